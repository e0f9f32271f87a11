#include "style.hpp"

#include <algorithm>

namespace ripple::viz {

const Palette& palette(bool presenter) {
  // Tie colours are told apart by people with the common colour-vision deficiencies
  // (blue / orange / vermilion / bluish green from the Okabe-Ito set).
  static const Palette kNormal = {
      {24, 26, 32, 255},
      {230, 230, 230, 255},
      {120, 120, 130, 255},
      {150, 110, 200, 255},
      {90, 160, 230, 255},
      {255, 255, 255, 255},
      {{80, 200, 120, 255}, {240, 200, 60, 255}, {230, 90, 60, 255}, {200, 40, 160, 255}},
      {{204, 121, 167, 255}, {0, 158, 115, 255}, {213, 94, 0, 255}, {86, 180, 233, 255}}};
  static const Palette kPresenter = {
      {0, 0, 0, 255},
      {255, 255, 255, 255},
      {170, 170, 170, 255},
      {200, 150, 255, 255},
      {120, 200, 255, 255},
      {255, 255, 0, 255},
      {{0, 255, 120, 255}, {255, 230, 0, 255}, {255, 60, 30, 255}, {255, 0, 200, 255}},
      {{200, 150, 255, 255}, {0, 230, 160, 255}, {255, 120, 0, 255}, {90, 200, 255, 255}}};
  return presenter ? kPresenter : kNormal;
}

Rgba edge_colour(EdgeKind kind, bool presenter) {
  return palette(presenter).edge[static_cast<int>(kind)];
}

Rgba node_colour(const Node& node, bool presenter) {
  const Palette& p = palette(presenter);
  switch (node.type) {
    case NodeType::Arena:
      return p.arena;
    case NodeType::Service:
      return p.service;
    case NodeType::Person:
      break;
  }
  if (!node.known) return p.unknown_person;
  return p.episode[std::clamp(node.episode, 0, 3)];
}

float node_radius(const Node& node, float scale) {
  if (node.type != NodeType::Person) return 9.0f * scale;
  if (!node.known) return 4.0f * scale;
  return (4.0f + 10.0f * std::clamp(node.recovery, 0.0f, 1.0f)) * scale;
}

}  // namespace ripple::viz
