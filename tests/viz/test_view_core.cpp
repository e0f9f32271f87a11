// The viewer's window-free parts: ego networks, layout, colours and life stories,
// on a small hand-made world.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "graph.hpp"
#include "layout.hpp"
#include "story.hpp"
#include "style.hpp"

namespace {

using namespace ripple;

// A world given as lists: persons 0..n-1 with ties, memberships, helping and events.
class FakeSource : public query::Source {
 public:
  std::map<std::uint32_t, query::PersonState> people;
  std::map<std::uint32_t, std::vector<query::SocialTie>> tie_rows;
  std::map<std::uint32_t, std::vector<query::Membership>> member_rows;
  std::map<std::uint32_t, std::vector<query::HelpingTie>> helping_rows;
  std::map<std::uint32_t, std::vector<io::Event>> event_rows;
  std::vector<std::pair<std::int64_t, float>> stress;
  std::int64_t now = 10;

  void tie(std::uint32_t a, std::uint32_t b, int kind_a = 0, int kind_b = 0, int relation = 3) {
    tie_rows[a].push_back({b, relation, kind_a, 0.5f});
    tie_rows[b].push_back({a, relation, kind_b, 0.5f});
  }
  void add(std::uint32_t id, float recovery = 0.5f) {
    query::PersonState p;
    p.id = id;
    p.recovery = recovery;
    people[id] = p;
  }

  std::int64_t step() const override { return now; }
  const query::Names& names() const override { return query::model_names(); }
  std::vector<std::uint32_t> persons() const override {
    std::vector<std::uint32_t> ids;
    for (const auto& [id, p] : people) ids.push_back(id);
    return ids;
  }
  std::optional<query::PersonState> person(std::uint32_t id) const override {
    const auto it = people.find(id);
    if (it == people.end()) return std::nullopt;
    return it->second;
  }
  template <class T>
  static std::vector<T> row(const std::map<std::uint32_t, std::vector<T>>& m, std::uint32_t id) {
    const auto it = m.find(id);
    return it == m.end() ? std::vector<T>{} : it->second;
  }
  std::vector<query::SocialTie> ties(std::uint32_t id) const override { return row(tie_rows, id); }
  std::vector<query::Membership> memberships(std::uint32_t id) const override {
    return row(member_rows, id);
  }
  std::vector<query::HelpingTie> helping(std::uint32_t id) const override {
    return row(helping_rows, id);
  }
  std::vector<io::Event> events(std::uint32_t id) const override { return row(event_rows, id); }
  std::vector<std::pair<std::int64_t, float>> stress_history(std::uint32_t) const override {
    return stress;
  }
  std::map<std::uint32_t, std::string> named;
  std::string name(std::uint32_t id) const override {
    const auto it = named.find(id);
    return it == named.end() ? std::string() : it->second;
  }
  std::vector<std::uint32_t> characters() const override {
    std::vector<std::uint32_t> ids;
    for (const auto& [id, n] : named) ids.push_back(id);
    return ids;
  }
};

// 0 - 1 - 2 - 3 in a line, 0 in a workplace, 0 with a therapist 9 of the CMHC.
FakeSource chain() {
  FakeSource s;
  for (std::uint32_t i = 0; i < 4; ++i) s.add(i, 0.25f * static_cast<float>(i));
  s.add(9);
  s.tie(0, 1);
  s.tie(1, 2, 0, 1);  // 2 sees the tie to 1 as a stressor
  s.tie(2, 3);
  s.member_rows[0].push_back({41, 0, 0.8f});
  s.helping_rows[0].push_back({9, 1, 0.6f, 12});
  return s;
}

std::size_t count_persons(const viz::EgoGraph& g) {
  std::size_t n = 0;
  for (const auto& node : g.nodes) n += node.type == viz::NodeType::Person;
  return n;
}

}  // namespace

TEST_CASE("An ego network reaches exactly k hops") {
  const FakeSource s = chain();
  const viz::EgoGraph one = viz::build_ego(s, 0, 1);
  CHECK(one.nodes[0].id == 0);
  CHECK(one.index.count(viz::node_key(viz::NodeType::Person, 1)) == 1);
  CHECK(one.index.count(viz::node_key(viz::NodeType::Person, 2)) == 0);
  const viz::EgoGraph two = viz::build_ego(s, 0, 2);
  CHECK(two.index.count(viz::node_key(viz::NodeType::Person, 2)) == 1);
  CHECK(two.index.count(viz::node_key(viz::NodeType::Person, 3)) == 0);
  const viz::EgoGraph three = viz::build_ego(s, 0, 3);
  CHECK(three.index.count(viz::node_key(viz::NodeType::Person, 3)) == 1);
  CHECK(count_persons(three) == 5);  // 0..3 and the therapist
}

TEST_CASE("An ego network has hubs and one edge per tie") {
  const FakeSource s = chain();
  const viz::EgoGraph g = viz::build_ego(s, 0, 3);
  REQUIRE(g.index.count(viz::node_key(viz::NodeType::Arena, 41)) == 1);
  REQUIRE(g.index.count(viz::node_key(viz::NodeType::Service, 1)) == 1);
  std::map<viz::EdgeKind, int> kinds;
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  for (const viz::Edge& e : g.edges) {
    ++kinds[e.kind];
    CHECK(pairs.insert(std::minmax(e.a, e.b)).second);  // no tie drawn twice
  }
  CHECK(kinds[viz::EdgeKind::Support] == 2);
  CHECK(kinds[viz::EdgeKind::Stressor] == 1);  // a stressor if either side says so
  CHECK(kinds[viz::EdgeKind::Helping] == 1);
  CHECK(kinds[viz::EdgeKind::Belonging] == 2);  // workplace, therapist in the CMHC
}

TEST_CASE("An ego network stops at the node limit and says so") {
  FakeSource s;
  s.add(0);
  for (std::uint32_t i = 1; i <= 50; ++i) {
    s.add(i);
    s.tie(0, i);
  }
  const viz::EgoGraph g = viz::build_ego(s, 0, 2, 20);
  CHECK(g.nodes.size() == 20);
  CHECK(g.truncated);
  for (const viz::Edge& e : g.edges) {
    CHECK(e.a < g.nodes.size());
    CHECK(e.b < g.nodes.size());
  }
  CHECK_FALSE(viz::build_ego(s, 0, 2).truncated);
}

TEST_CASE("The layout is deterministic and stays put between frames") {
  FakeSource s;
  for (std::uint32_t i = 0; i < 120; ++i) s.add(i);
  for (std::uint32_t i = 1; i < 120; ++i) s.tie(i % 7 == 0 ? 0 : i - i % 7, i);
  const viz::EgoGraph g = viz::build_ego(s, 0, 3);
  viz::Layout a, b;
  a.sync(g);
  b.sync(g);
  for (int i = 0; i < 400; ++i) {
    a.relax(g, 1);
    b.relax(g, 1);
  }
  REQUIRE(a.positions().size() == g.nodes.size());
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    CHECK(a.positions()[i].x == b.positions()[i].x);
    CHECK(a.positions()[i].y == b.positions()[i].y);
    CHECK(std::isfinite(a.positions()[i].x));
  }
  CHECK(a.positions()[0].x == 0.0f);
  // Settled: another frame moves nothing noticeably.
  CHECK(a.relax(g, 1) < 0.5f);
  // No two nodes on one spot.
  float closest = 1e9f;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    for (std::size_t j = i + 1; j < g.nodes.size(); ++j)
      closest = std::min(closest, std::hypot(a.positions()[i].x - a.positions()[j].x,
                                             a.positions()[i].y - a.positions()[j].y));
  CHECK(closest > 1.0f);
  // A new person joins: the old nodes keep their places when the frame starts.
  const std::vector<viz::Point> before = a.positions();
  s.add(500);
  s.tie(3, 500);
  const viz::EgoGraph grown = viz::build_ego(s, 0, 3);
  a.sync(grown);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const std::size_t j = grown.index.at(g.nodes[i].key);
    CHECK(a.positions()[j].x == before[i].x);
    CHECK(a.positions()[j].y == before[i].y);
  }
  // and after some frames they have moved far less than the edge length.
  for (int i = 0; i < 50; ++i) a.relax(grown, 1);
  float drift = 0;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const std::size_t j = grown.index.at(g.nodes[i].key);
    drift = std::max(
        drift, std::hypot(a.positions()[j].x - before[i].x, a.positions()[j].y - before[i].y));
  }
  CHECK(drift < 60.0f);
}

TEST_CASE("Tie kinds and episode states have distinct colours in both palettes") {
  for (const bool presenter : {false, true}) {
    std::set<std::tuple<int, int, int>> seen;
    for (int k = 0; k < static_cast<int>(viz::EdgeKind::Count); ++k) {
      const viz::Rgba c = viz::edge_colour(static_cast<viz::EdgeKind>(k), presenter);
      CHECK(seen.insert({c.r, c.g, c.b}).second);
    }
    const viz::Rgba bg = viz::palette(presenter).background;
    CHECK(seen.count({bg.r, bg.g, bg.b}) == 0);
    viz::Node well, acute;
    well.known = acute.known = true;
    acute.episode = 2;
    CHECK_FALSE(viz::node_colour(well, presenter) == viz::node_colour(acute, presenter));
  }
  viz::Node low, high;
  low.known = high.known = true;
  low.recovery = 0.1f;
  high.recovery = 0.9f;
  CHECK(viz::node_radius(high) > viz::node_radius(low));
}

TEST_CASE("A life story tells events in plain words with their week") {
  FakeSource s = chain();
  s.people[0].male = true;
  s.tie_rows[0].push_back({7, 0, 0, 0.9f});   // 7 is 0's partner
  s.event_rows[0] = {{37, 1, 0, 7, 0.5f},     // bereavement: the partner died
                     {37, 3, 0, 41, 0.3f},    // job loss
                     {40, 26, 0, 41, 0.1f}};  // joined the workplace arena 41
  s.stress = {{36, 0.2f}, {37, 0.5f}, {40, 0.5f}};
  const auto story = viz::life_story(s, 0);
  REQUIRE(story.size() == 2);
  CHECK(story[0].step == 37);
  CHECK(story[0].text.rfind("week 37: his partner died", 0) == 0);
  CHECK(story[0].text.find("he lost his job") != std::string::npos);
  CHECK(story[0].text.find("stress rose") != std::string::npos);
  CHECK(story[1].text == "week 40: he joined the workplace");
  // Records weeks apart (output.interval) mix in every change of those weeks: no remark,
  // rather than "his partner died; stress eased" when something else eased it.
  s.stress = {{36, 0.6f}, {40, 0.2f}};
  CHECK(viz::life_story(s, 0)[0].text.find("stress") == std::string::npos);
  s.people[0].male = false;
  CHECK(viz::life_story(s, 0)[0].text.rfind("week 37: her partner died", 0) == 0);
  CHECK(viz::life_story(s, 123).empty());
}

TEST_CASE("Named characters are called by their names in stories and network labels") {
  FakeSource s = chain();
  s.people[0].male = true;
  s.named = {{0, "Per"}, {1, "Mari"}};
  s.tie_rows[0][0].relation = 0;  // 0's tie to 1 is a partnership
  const auto& kinds = query::model_names().event_kind;
  const auto intervention = static_cast<std::uint8_t>(
      std::find(kinds.begin(), kinds.end(), "intervention") - kinds.begin());
  REQUIRE(intervention < kinds.size());
  s.event_rows[0] = {{37, 1, 0, 1, 0.5f},              // bereavement: his partner died
                     {38, 3, 0, 41, 0.3f},             // job loss
                     {39, intervention, 0, 1, 2.0f}};  // a person action: soften the tie
  const auto story = viz::life_story(s, 0);
  REQUIRE(story.size() == 3);
  CHECK(story[0].text == "week 37: his partner Mari died; the tie is gone");
  CHECK(story[1].text == "week 38: Per lost his job");
  CHECK(story[2].text == "week 39: the tie with his partner Mari was eased");
  // Persons without a name keep their pronouns and "#id" labels.
  s.named.erase(0);
  CHECK(viz::life_story(s, 0)[1].text == "week 38: he lost his job");
  const viz::EgoGraph g = viz::build_ego(s, 0, 2);
  const auto label = [&](std::uint32_t id) {
    return g.nodes[g.index.at(viz::node_key(viz::NodeType::Person, id))];
  };
  CHECK(label(1).label == "Mari");
  CHECK(label(1).named);
  CHECK(label(2).label == "#2");
  CHECK_FALSE(label(2).named);
  CHECK(query::display_name(s, 1) == "Mari");
  CHECK(query::display_name(s, 2) == "person 2");
}
