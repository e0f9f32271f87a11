// Force-directed layout of an ego network that stays put between frames: nodes keep
// their positions from the previous frame (warm start), new nodes appear next to a
// neighbour already placed, and each frame moves nodes a little (a small, decaying
// "temperature"). Deterministic: the same graphs in the same order give the same
// positions.
//
// Written here rather than taken from Boost.Graph: its Fruchterman-Reingold routine
// runs a whole cooling schedule from a hot start on every call, while a viewer needs
// a few cheap steps per frame that continue where the last frame stopped.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "graph.hpp"

namespace ripple::viz {

struct Point {
  float x = 0, y = 0;
};

class Layout {
 public:
  explicit Layout(float edge_length = 60.0f) : length_(edge_length) {}

  // Matches positions to g's nodes (index i of positions() is g.nodes[i]).
  void sync(const EgoGraph& g);
  // Runs force steps; returns the largest distance a node moved in the last one.
  float relax(const EgoGraph& g, int iterations = 1);
  const std::vector<Point>& positions() const { return pos_; }
  // The largest per-node temperature (how far a node may still move in one step).
  float temperature() const { return temperature_; }
  // Forgets everything (the next sync starts from scratch).
  void reset();

 private:
  float length_;
  float temperature_ = 0;
  std::vector<Point> pos_;
  std::vector<float> heat_;  // per node: how far it may move in one step; decays
  struct Memory {
    Point at;
    float heat;
  };
  std::unordered_map<std::uint64_t, Memory> remembered_;
};

}  // namespace ripple::viz
