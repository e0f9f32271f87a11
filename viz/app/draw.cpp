#include "draw.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "style.hpp"

namespace ripple::viz {
namespace {

sf::Color colour(Rgba c) { return {c.r, c.g, c.b, c.a}; }

}  // namespace

std::vector<sf::Vector2f> draw_ego(sf::RenderTarget& target, const EgoGraph& g,
                                   const std::vector<Point>& pos, sf::FloatRect area,
                                   const std::string& title, const DrawStyle& style) {
  std::vector<sf::Vector2f> at;
  if (pos.size() != g.nodes.size()) return at;
  const bool presenter = style.presenter;
  const float scale = presenter ? 1.5f : 1.0f;
  float extent = 1.0f;
  for (const Point& p : pos) extent = std::max({extent, std::abs(p.x), std::abs(p.y)});
  const float fit = 0.45f * std::min(area.width, area.height) / extent * style.zoom;
  const sf::Vector2f mid(area.left + area.width / 2, area.top + area.height / 2);
  at.resize(pos.size());
  for (std::size_t i = 0; i < pos.size(); ++i)
    at[i] = mid + sf::Vector2f(pos[i].x * fit, pos[i].y * fit);

  // Ties as thin quads (lines of one pixel vanish on projectors).
  sf::VertexArray quads(sf::Quads);
  const float half = presenter ? 2.0f : 1.2f;
  for (const Edge& e : g.edges) {
    const sf::Vector2f a = at[e.a], b = at[e.b];
    const sf::Vector2f d = b - a;
    const float len = std::sqrt(d.x * d.x + d.y * d.y);
    if (len < 1e-3f) continue;
    const sf::Vector2f n(-d.y / len * half, d.x / len * half);
    const sf::Color c = colour(edge_colour(e.kind, presenter));
    quads.append({a + n, c});
    quads.append({b + n, c});
    quads.append({b - n, c});
    quads.append({a - n, c});
  }
  target.draw(quads);

  // Nodes as triangle fans in one vertex array (thousands of draw calls would not
  // keep 60 frames a second). Small discs get fewer sides: with 2,000 nodes the
  // triangle count, not the pixels, is what a software renderer pays for.
  sf::VertexArray discs(sf::Triangles);
  constexpr int kSides = 14, kSmallSides = 8;
  constexpr float kSmall = 7.0f;  // radius in pixels below which a disc is small
  static const auto kCircle = [] {
    std::array<std::array<sf::Vector2f, kSides + 1>, 2> unit{};
    for (int k = 0; k < 2; ++k) {
      const int sides = k == 0 ? kSides : kSmallSides;
      for (int s = 0; s <= sides; ++s) {
        const float a = 6.2831853f * static_cast<float>(s) / static_cast<float>(sides);
        unit[static_cast<std::size_t>(k)][static_cast<std::size_t>(s)] = {std::cos(a), std::sin(a)};
      }
    }
    return unit;
  }();
  const auto disc = [&](sf::Vector2f c, float r, sf::Color col) {
    const bool small = r < kSmall;
    const auto& unit = kCircle[small ? 1 : 0];
    const int sides = small ? kSmallSides : kSides;
    for (int s = 0; s < sides; ++s) {
      discs.append({c, col});
      discs.append({c + unit[static_cast<std::size_t>(s)] * r, col});
      discs.append({c + unit[static_cast<std::size_t>(s) + 1] * r, col});
    }
  };
  const Palette& pal = palette(presenter);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const float r = node_radius(n, scale);
    if (i == 0) disc(at[i], r + 3.0f * scale, colour(pal.centre_ring));
    disc(at[i], r, colour(node_colour(n, presenter)));
    if (n.type != NodeType::Person) disc(at[i], r * 0.45f, colour(pal.background));  // hubs
  }
  target.draw(discs);
  if (style.font == nullptr) return at;

  // Labels for the centre, the named characters and the hubs.
  const unsigned size = presenter ? 20u : 12u;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (i != 0 && n.type == NodeType::Person && !n.named) continue;
    sf::Text text(n.label, *style.font, n.named ? size + 2 : size);
    text.setFillColor(colour(pal.text));
    if (n.named) text.setStyle(sf::Text::Bold);
    text.setPosition(at[i] + sf::Vector2f(node_radius(n, scale) + 3.0f, -6.0f));
    target.draw(text);
  }
  sf::Text heading(title, *style.font, presenter ? 24u : 15u);
  heading.setFillColor(colour(pal.text));
  heading.setPosition(area.left + 10.0f, area.top + area.height - (presenter ? 34.0f : 24.0f));
  target.draw(heading);
  return at;
}

}  // namespace ripple::viz
