#include "graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace ripple::viz {

EdgeKind edge_kind_of_tie(const query::Names& names, int tie_kind) {
  const auto k = static_cast<std::size_t>(tie_kind);
  if (k < names.tie_kind.size() && names.tie_kind[k] == "stressor") return EdgeKind::Stressor;
  return EdgeKind::Support;
}

namespace {

std::string name_of(const std::vector<std::string>& names, int code) {
  const auto k = static_cast<std::size_t>(code);
  return k < names.size() ? names[k] : fmt::format("code {}", code);
}

struct Builder {
  const query::Source& source;
  std::size_t max_nodes;
  EgoGraph g;
  // undirected social ties seen so far: (low, high) -> edge index
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> social;

  bool full() const { return g.nodes.size() >= max_nodes; }

  // Index of the node, adding it if there is room; SIZE_MAX if there is none.
  std::size_t add(NodeType type, std::uint32_t id, int hop, int kind) {
    const std::uint64_t key = node_key(type, id);
    if (const auto it = g.index.find(key); it != g.index.end()) return it->second;
    if (full()) {
      g.truncated = true;
      return SIZE_MAX;
    }
    Node n;
    n.type = type;
    n.id = id;
    n.key = key;
    n.hop = hop;
    n.kind = kind;
    const query::Names& names = source.names();
    if (type == NodeType::Person) {
      if (const auto p = source.person(id)) {
        n.known = true;
        n.episode = p->episode;
        n.recovery = p->recovery;
      }
      n.label = source.name(id);
      n.named = !n.label.empty();
      if (!n.named) n.label = fmt::format("#{}", id);
    } else if (type == NodeType::Arena) {
      n.label = fmt::format("{} {}", name_of(names.arena_kind, kind), id);
    } else {
      n.label = name_of(names.service, kind);
    }
    g.index.emplace(key, g.nodes.size());
    g.nodes.push_back(std::move(n));
    return g.nodes.size() - 1;
  }

  void link(std::size_t a, std::size_t b, EdgeKind kind, float strength, int relation) {
    if (a == SIZE_MAX || b == SIZE_MAX || a == b) return;
    g.edges.push_back({a, b, kind, strength, relation});
  }
};

}  // namespace

EgoGraph build_ego(const query::Source& source, std::uint32_t centre, int hops,
                   std::size_t max_nodes) {
  Builder b{source, std::max<std::size_t>(max_nodes, 1), {}, {}};
  b.g.centre = centre;
  const query::Names& names = source.names();
  b.add(NodeType::Person, centre, 0, 0);
  std::vector<std::uint32_t> frontier{centre};
  for (int hop = 0; hop <= hops && !frontier.empty(); ++hop) {
    std::vector<std::uint32_t> next;
    for (const std::uint32_t id : frontier) {
      const std::size_t me = b.g.index.at(node_key(NodeType::Person, id));
      const bool expand = hop < hops;  // the outermost ring shows only ties among itself
      for (const query::SocialTie& t : source.ties(id)) {
        std::size_t other;
        const auto known = b.g.index.find(node_key(NodeType::Person, t.other));
        if (known != b.g.index.end()) {
          other = known->second;
        } else if (expand) {
          other = b.add(NodeType::Person, t.other, hop + 1, 0);
          if (other != SIZE_MAX) next.push_back(t.other);
        } else {
          continue;
        }
        if (other == SIZE_MAX) continue;
        const auto pair = std::minmax(me, other);
        const EdgeKind kind = edge_kind_of_tie(names, t.kind);
        if (const auto seen = b.social.find(pair); seen != b.social.end()) {
          if (kind == EdgeKind::Stressor) b.g.edges[seen->second].kind = EdgeKind::Stressor;
          continue;
        }
        b.social.emplace(pair, b.g.edges.size());
        b.link(me, other, kind, t.strength, t.relation);
      }
      if (!expand && hop > 0) continue;
      for (const query::HelpingTie& h : source.helping(id)) {
        std::size_t worker;
        const auto known = b.g.index.find(node_key(NodeType::Person, h.worker));
        if (known != b.g.index.end()) {
          worker = known->second;
        } else {
          worker = b.add(NodeType::Person, h.worker, hop + 1, 0);
          if (worker != SIZE_MAX && expand) next.push_back(h.worker);
        }
        b.link(me, worker, EdgeKind::Helping, h.alliance, -1);
        const std::size_t service =
            b.add(NodeType::Service, static_cast<std::uint32_t>(h.service), hop + 1, h.service);
        b.link(worker, service, EdgeKind::Belonging, 1.0f, -1);
      }
      for (const query::Membership& m : source.memberships(id)) {
        const std::size_t arena = b.add(NodeType::Arena, m.arena, hop + 1, m.arena_kind);
        b.link(me, arena, EdgeKind::Belonging, m.standing, -1);
      }
    }
    frontier = std::move(next);
  }
  // A worker reached twice would link to its service twice; keep one.
  std::sort(b.g.edges.begin(), b.g.edges.end(), [](const Edge& x, const Edge& y) {
    return std::tie(x.a, x.b, x.kind) < std::tie(y.a, y.b, y.kind);
  });
  b.g.edges.erase(std::unique(b.g.edges.begin(), b.g.edges.end(),
                              [](const Edge& x, const Edge& y) {
                                return x.a == y.a && x.b == y.b && x.kind == y.kind;
                              }),
                  b.g.edges.end());
  return std::move(b.g);
}

}  // namespace ripple::viz
