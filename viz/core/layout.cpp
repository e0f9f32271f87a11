#include "layout.hpp"

#include <algorithm>
#include <cmath>
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
  float moved = 0;
  std::vector<Point> force(n);
  std::unordered_map<std::int64_t, std::vector<std::size_t>> grid;
  const auto cell_of = [&](float v) { return static_cast<std::int64_t>(std::floor(v / cell)); };
  const auto key_of = [](std::int64_t cx, std::int64_t cy) { return cx * 1000003 + cy; };
  for (int it = 0; it < iterations && temperature_ >= 0.01f; ++it) {
    std::fill(force.begin(), force.end(), Point{});
    // Repulsion between nearby nodes (a uniform grid keeps this linear in n).
    grid.clear();
    for (std::size_t i = 0; i < n; ++i)
      grid[key_of(cell_of(pos_[i].x), cell_of(pos_[i].y))].push_back(i);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t cx = cell_of(pos_[i].x), cy = cell_of(pos_[i].y);
      for (std::int64_t dx = -1; dx <= 1; ++dx)
        for (std::int64_t dy = -1; dy <= 1; ++dy) {
          const auto found = grid.find(key_of(cx + dx, cy + dy));
          if (found == grid.end()) continue;
          for (const std::size_t j : found->second) {
            if (j == i) continue;
            float ddx = pos_[i].x - pos_[j].x, ddy = pos_[i].y - pos_[j].y;
            float d2 = ddx * ddx + ddy * ddy;
            if (d2 < 1e-4f) {  // two nodes on one spot: push apart along a fixed direction
              const float a = angle_of(g.nodes[i].key ^ g.nodes[j].key);
              ddx = std::cos(a) * (i < j ? 1.0f : -1.0f);
              ddy = std::sin(a) * (i < j ? 1.0f : -1.0f);
              d2 = 1.0f;
            }
            if (d2 > cell * cell) continue;
            const float f = k2 / d2;  // k^2 / d, along the unit vector (dx/d)
            force[i].x += ddx * f;
            force[i].y += ddy * f;
          }
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
  for (std::size_t i = 0; i < n; ++i) remembered_[g.nodes[i].key] = {pos_[i], heat_[i]};
  return moved;
}

}  // namespace ripple::viz
