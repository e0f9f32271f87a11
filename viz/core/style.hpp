// Colours and sizes of the network view and the legend. Plain RGBA so that tests
// (and the screenshot check) can name them without a window.
#pragma once

#include <cstdint>

#include "graph.hpp"

namespace ripple::viz {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

struct Palette {
  Rgba background, text, unknown_person, arena, service, centre_ring;
  Rgba episode[4];  // well, struggling, acute, admitted
  Rgba edge[static_cast<int>(EdgeKind::Count)];
};

// The everyday palette and a high-contrast one for projectors (presenter mode).
const Palette& palette(bool presenter);

Rgba edge_colour(EdgeKind kind, bool presenter);
Rgba node_colour(const Node& node, bool presenter);
// Persons grow with their recovery index; hubs have a fixed size.
float node_radius(const Node& node, float scale = 1.0f);

}  // namespace ripple::viz
