// Drawing an ego network and its legend with SFML. Shared by ripple-view and
// bench/viz_bench, which times it.
//
// Built for 2,000 nodes at 60 frames a second, also on Mesa's software renderer
// (llvmpipe), which pays per triangle, per draw call and per textured or blended pixel:
// each node is one quad cut out by a disc texture sampled nearest (not a fan of 8-14
// triangles), each tie one wide line without blending, and every label's glyphs go
// into one vertex array per character size, so a frame is a handful of draw calls
// whatever the number of nodes. The vertex arrays are kept between frames.
#pragma once

#include <SFML/Graphics.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph.hpp"
#include "layout.hpp"

namespace ripple::viz {

struct DrawStyle {
  bool presenter = false;  // large, high contrast
  float zoom = 1.0f;
  const sf::Font* font = nullptr;  // labels and the title; none drawn without a font
  // Pixels of the target per unit of the coordinates drawn in: 0.5 when the network is
  // drawn into a half-size texture to be scaled up (Viewer, while the layout moves).
  // Line widths are given in pixels, so they are scaled by it to look the same.
  float pixels = 1.0f;
  // How much larger presenter mode draws nodes, ties and words.
  float scale() const { return presenter ? 1.5f : 1.0f; }
};

class EgoPainter {
 public:
  // Draws `g` at `positions` (Layout::positions(), one per node) fitted into `area`,
  // with `title` at its bottom left. Returns where each node was drawn, in g's node
  // order. Needs an active OpenGL context (the target's) on first use.
  std::vector<sf::Vector2f> draw(sf::RenderTarget& target, const EgoGraph& g,
                                 const std::vector<Point>& positions, sf::FloatRect area,
                                 const std::string& title, const DrawStyle& style);

  // draw() in its three parts: where each node goes in `area`, the ties and nodes, and
  // the labels and title (so that the shapes can be drawn at a lower resolution and the
  // words sharp on top).
  static std::vector<sf::Vector2f> place(const std::vector<Point>& positions, sf::FloatRect area,
                                         const DrawStyle& style);
  void draw_shapes(sf::RenderTarget& target, const EgoGraph& g, const std::vector<sf::Vector2f>& at,
                   const DrawStyle& style);
  void draw_labels(sf::RenderTarget& target, const EgoGraph& g, const std::vector<sf::Vector2f>& at,
                   sf::FloatRect area, const std::string& title, const DrawStyle& style);

  // The legend at the top left: tie colours, episode colours and hub kinds, in exactly
  // the palette's colours.
  void draw_legend(sf::RenderTarget& target, const DrawStyle& style);

 private:
  // Glyph quads of `words` (UTF-8) with their top left at `at`, into the batch of
  // their character size.
  void add_text(const sf::Font& font, const std::string& words, sf::Vector2f at, unsigned size,
                bool bold, sf::Color colour);
  void add_disc(sf::Vector2f centre, float radius, sf::Color colour);
  void add_rect(sf::Vector2f corner, sf::Vector2f size, sf::Color colour);
  void draw_text(sf::RenderTarget& target, const sf::Font& font);
  const sf::Texture& disc_texture();

  // Made on first draw: an sf::Texture opens the display when constructed, and the
  // viewer must be able to refuse a bad file without one.
  std::unique_ptr<sf::Texture> disc_;
  sf::VertexArray ties_{sf::Lines}, discs_{sf::Triangles};
  std::map<unsigned, sf::VertexArray> glyphs_;  // by character size
};

}  // namespace ripple::viz
