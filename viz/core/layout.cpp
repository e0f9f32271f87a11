#include "layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace ripple::viz {
namespace {

// A fixed pseudo-random angle per node key (splitmix64), so placement needs no RNG state.
float angle_of(std::uint64_t key) {
  std::uint64_t z = key + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(static_cast<double>(z >> 11) * 0x1.0p-53 * 2.0 * std::numbers::pi);
}

// Four floats (or ints) in one SSE/NEON register: GCC and Clang vector extensions,
// since neither vectorises the loop below on its own (a float sum may not be reordered).
using Floats = float __attribute__((vector_size(16)));
using Ints = std::int32_t __attribute__((vector_size(16)));

// Adds the repulsion of the nodes at (xs[s], ys[s]), s in [from, to), on a node at
// (x, y) to fx, fy: k^2 / d along the unit vector, none beyond `reach2` (squared) or
// closer than 0.01. Four nodes at a time, without branches. Returns how many were
// closer than 0.01 (the node itself among them).
int repel(const float* xs, const float* ys, std::size_t from, std::size_t to, float x, float y,
          float k2, float reach2, float& fx, float& fy) {
  constexpr float kOnTop = 1e-4f;  // squared
  Floats sx = {}, sy = {};
  Ints on_top = {};
  const Floats vx = Floats{} + x, vy = Floats{} + y, eps = Floats{} + kOnTop;
  const Floats reach = Floats{} + reach2, kk = Floats{} + k2;
  for (; from + 4 <= to; from += 4) {
    Floats px, py;
    std::memcpy(&px, xs + from, sizeof px);
    std::memcpy(&py, ys + from, sizeof py);
    const Floats ddx = vx - px, ddy = vy - py;
    const Floats d2 = ddx * ddx + ddy * ddy;
    const Ints close = d2 < eps;  // all bits set where true
    const Ints inside = ~close & (d2 <= reach);
    const Floats safe = reinterpret_cast<Floats>((reinterpret_cast<Ints>(d2) & ~close) |
                                                 (reinterpret_cast<Ints>(eps) & close));
    const Floats f = reinterpret_cast<Floats>(reinterpret_cast<Ints>(kk / safe) & inside);
    sx += ddx * f;
    sy += ddy * f;
    on_top -= close;
  }
  int count = on_top[0] + on_top[1] + on_top[2] + on_top[3];
  fx += (sx[0] + sx[1]) + (sx[2] + sx[3]);
  fy += (sy[0] + sy[1]) + (sy[2] + sy[3]);
  for (; from < to; ++from) {
    const float ddx = x - xs[from], ddy = y - ys[from];
    const float d2 = ddx * ddx + ddy * ddy;
    if (d2 < kOnTop) {
      ++count;
    } else if (d2 <= reach2) {
      fx += ddx * k2 / d2;
      fy += ddy * k2 / d2;
    }
  }
  return count;
}

}  // namespace

void Layout::reset() {
  remembered_.clear();
  pos_.clear();
  heat_.clear();
  temperature_ = 0;
}

void Layout::sync(const EgoGraph& g) {
  const std::size_t n = g.nodes.size();
  pos_.assign(n, Point{});
  heat_.assign(n, length_);  // new nodes move freely until they settle
  std::vector<char> placed(n, 0);
  std::size_t fresh = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (const auto it = remembered_.find(g.nodes[i].key); it != remembered_.end()) {
      pos_[i] = it->second.at;
      heat_[i] = it->second.heat;
      placed[i] = 1;
    }
  }
  if (n > 0 && !placed[0]) {  // a new centre starts at the origin
    pos_[0] = {};
    placed[0] = 1;
    ++fresh;
  }
  // Place the rest next to an already placed neighbour, in node order (breadth first).
  std::vector<std::vector<std::size_t>> adjacent(n);
  for (const Edge& e : g.edges) {
    adjacent[e.a].push_back(e.b);
    adjacent[e.b].push_back(e.a);
  }
  std::vector<char> known = placed;
  for (std::size_t i = 1; i < n; ++i) {
    if (placed[i]) continue;
    Point anchor{};
    for (const std::size_t j : adjacent[i])
      if (placed[j]) {
        anchor = pos_[j];
        break;
      }
    const float a = angle_of(g.nodes[i].key);
    pos_[i] = {anchor.x + length_ * std::cos(a), anchor.y + length_ * std::sin(a)};
    placed[i] = 1;
    ++fresh;
  }
  // Known nodes make a little room for newcomers, but barely move.
  if (fresh > 0)
    for (std::size_t i = 0; i < n; ++i)
      if (known[i]) heat_[i] = std::max(heat_[i], 0.02f * length_);
  temperature_ = 0;
  for (const float h : heat_) temperature_ = std::max(temperature_, h);
  remembered_.clear();
  for (std::size_t i = 0; i < n; ++i) remembered_[g.nodes[i].key] = {pos_[i], heat_[i]};
}

float Layout::relax(const EgoGraph& g, int iterations) {
  const std::size_t n = g.nodes.size();
  if (pos_.size() != n) sync(g);
  const float k = length_, k2 = k * k;
  const float cell = 2.0f * k;  // repulsion is ignored beyond two edge lengths
  const float reach2 = cell * cell;
  float moved = 0;
  std::vector<Point> force(n);
  // Repulsion between nearby nodes, on a uniform grid of cells two edge lengths wide. A
  // settled 2,000-node ego network is dense (several hundred nodes within reach of
  // each), so this loop is most of a frame's layout work: the nodes are sorted by cell,
  // column-major, so that the three cells (cx, cy-1..cy+1) of a column are one run of
  // the sorted list, summed from contiguous coordinates four at a time (repel). (A hash
  // map of per-cell vectors and a branchy loop over it cost about 9 ms a frame.)
  const auto cell_of = [&](float v) {
    return static_cast<std::int32_t>(std::clamp(std::floor(v / cell), -1.0e9f, 1.0e9f));
  };
  const auto key_of = [](std::int32_t cx, std::int32_t cy) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx) ^ 0x80000000u) << 32) |
           (static_cast<std::uint32_t>(cy) ^ 0x80000000u);
  };
  std::vector<std::pair<std::uint64_t, std::size_t>> sorted(n);
  std::vector<std::uint64_t> keys(n);
  std::vector<float> xs(n), ys(n);
  std::vector<std::int32_t> cxs(n), cys(n);
  int done = 0;
  for (int it = 0; it < iterations && temperature_ >= 0.01f; ++it, ++done) {
    std::fill(force.begin(), force.end(), Point{});
    for (std::size_t i = 0; i < n; ++i) {
      cxs[i] = cell_of(pos_[i].x);
      cys[i] = cell_of(pos_[i].y);
      sorted[i] = {key_of(cxs[i], cys[i]), i};
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t s = 0; s < n; ++s) {
      keys[s] = sorted[s].first;
      xs[s] = pos_[sorted[s].second].x;
      ys[s] = pos_[sorted[s].second].y;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const float x = pos_[i].x, y = pos_[i].y;
      float fx = 0, fy = 0;
      int on_top = 0;  // nodes (itself included) closer than 0.01
      std::size_t runs[3][2];
      for (std::int32_t dx = -1; dx <= 1; ++dx) {
        const auto first =
            std::lower_bound(keys.begin(), keys.end(), key_of(cxs[i] + dx, cys[i] - 1));
        const auto last = std::upper_bound(first, keys.end(), key_of(cxs[i] + dx, cys[i] + 1));
        runs[dx + 1][0] = static_cast<std::size_t>(first - keys.begin());
        runs[dx + 1][1] = static_cast<std::size_t>(last - keys.begin());
        on_top +=
            repel(xs.data(), ys.data(), runs[dx + 1][0], runs[dx + 1][1], x, y, k2, reach2, fx, fy);
      }
      force[i].x += fx;
      force[i].y += fy;
      if (on_top > 1)  // others on this very spot: push apart along a fixed direction each
        for (const auto& run : runs)
          for (std::size_t s = run[0]; s < run[1]; ++s) {
            const std::size_t j = sorted[s].second;
            const float ddx = x - xs[s], ddy = y - ys[s];
            if (j == i || ddx * ddx + ddy * ddy >= 1e-4f) continue;
            const float a = angle_of(g.nodes[i].key ^ g.nodes[j].key);
            force[i].x += k2 * std::cos(a) * (i < j ? 1.0f : -1.0f);
            force[i].y += k2 * std::sin(a) * (i < j ? 1.0f : -1.0f);
          }
    }
    // Attraction along edges.
    for (const Edge& e : g.edges) {
      const float ddx = pos_[e.a].x - pos_[e.b].x, ddy = pos_[e.a].y - pos_[e.b].y;
      const float d = std::sqrt(ddx * ddx + ddy * ddy);
      const float f = d / k;  // d^2 / k along the unit vector
      force[e.a].x -= ddx * f;
      force[e.a].y -= ddy * f;
      force[e.b].x += ddx * f;
      force[e.b].y += ddy * f;
    }
    // A weak pull to the centre keeps loose parts in view.
    for (std::size_t i = 0; i < n; ++i) {
      force[i].x -= 0.02f * pos_[i].x;
      force[i].y -= 0.02f * pos_[i].y;
    }
    moved = 0;
    for (std::size_t i = 1; i < n; ++i) {  // node 0, the centre, stays at the origin
      const float f = std::sqrt(force[i].x * force[i].x + force[i].y * force[i].y);
      if (f <= 0 || heat_[i] < 0.01f) continue;
      const float step = std::min(f * 0.1f, heat_[i]);
      pos_[i].x += force[i].x / f * step;
      pos_[i].y += force[i].y / f * step;
      moved = std::max(moved, step);
    }
    if (n > 0) pos_[0] = {};
    temperature_ = 0;
    for (float& h : heat_) {
      h *= 0.95f;
      temperature_ = std::max(temperature_, h);
    }
  }
  // Nothing moved when no step ran (a settled layout): what is remembered still holds.
  if (done > 0)
    for (std::size_t i = 0; i < n; ++i) remembered_[g.nodes[i].key] = {pos_[i], heat_[i]};
  return moved;
}

}  // namespace ripple::viz
