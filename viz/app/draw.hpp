// Drawing an ego network with SFML: ties as quads and nodes as discs, each in one
// vertex array, then the labels. Shared by ripple-view and bench/viz_bench, which times
// it on an off-screen texture.
#pragma once

#include <SFML/Graphics.hpp>
#include <string>
#include <vector>

#include "graph.hpp"
#include "layout.hpp"

namespace ripple::viz {

struct DrawStyle {
  bool presenter = false;  // large, high contrast
  float zoom = 1.0f;
  const sf::Font* font = nullptr;  // labels and the title; none drawn without a font
};

// Draws `g` at `positions` (Layout::positions(), one per node) fitted into `area`, with
// `title` at its bottom left. Returns where each node was drawn, in g's node order.
std::vector<sf::Vector2f> draw_ego(sf::RenderTarget& target, const EgoGraph& g,
                                   const std::vector<Point>& positions, sf::FloatRect area,
                                   const std::string& title, const DrawStyle& style);

}  // namespace ripple::viz
