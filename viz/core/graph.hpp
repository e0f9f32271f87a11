// The ego network of one person, built from a query::Source: persons up to k hops
// away along social and helping ties, with the arenas and services they belong to as
// hub nodes. No window here, so it is tested on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ripple/query.hpp"

namespace ripple::viz {

enum class NodeType : std::uint8_t { Person, Arena, Service };
enum class EdgeKind : std::uint8_t { Belonging, Support, Stressor, Helping, Count };
inline constexpr const char* kEdgeKindNames[] = {"belonging", "support", "stressor",
                                                 "helping relationship"};

// A node's identity across frames: persons, arenas and services are numbered apart.
constexpr std::uint64_t node_key(NodeType type, std::uint32_t id) {
  return (static_cast<std::uint64_t>(type) << 32) | id;
}

struct Node {
  NodeType type = NodeType::Person;
  std::uint32_t id = 0;  // person id, arena id or service code
  std::uint64_t key = 0;
  int hop = 0;         // persons: hops from the centre; hubs: hop of their first member
  bool known = false;  // persons: the source has their state
  int episode = 0;     // persons: episode code
  float recovery = 0;  // persons: recovery index
  int kind = 0;        // arenas: arena kind code; services: service code
  bool named = false;  // persons: a character of the scenario (label is the name)
  std::string label;   // persons: the name, or "#id"
};

struct Edge {
  std::size_t a = 0, b = 0;  // node indices
  EdgeKind kind = EdgeKind::Support;
  float strength = 0;
  int relation = -1;  // social ties: relation code
};

struct EgoGraph {
  std::uint32_t centre = query::kNobody;
  std::vector<Node> nodes;  // nodes[0] is the centre person
  std::vector<Edge> edges;
  bool truncated = false;                                // max_nodes was reached
  std::unordered_map<std::uint64_t, std::size_t> index;  // key -> node index
};

// Persons up to `hops` ties from `centre` (breadth first, ties in the source's
// order), at most `max_nodes` nodes in all. Each social tie is drawn once even if
// both sides list it; a tie is a stressor if either side sees it as one.
EgoGraph build_ego(const query::Source& source, std::uint32_t centre, int hops,
                   std::size_t max_nodes = 2000);

EdgeKind edge_kind_of_tie(const query::Names& names, int tie_kind);

}  // namespace ripple::viz
