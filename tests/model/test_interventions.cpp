// Timeline interventions (ODD 7.11): closing and reopening arenas, and a tie made
// supportive again.
#include <catch2/catch.hpp>

#include "model/interventions.hpp"
#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::TinyWorld;

namespace {

ripple::scenario::Intervention arenas(bool close, double share) {
  ripple::scenario::Intervention x;
  x.kind = close ? ripple::scenario::Intervention::Kind::CloseArenas
                 : ripple::scenario::Intervention::Kind::OpenArenas;
  x.arena_kind = static_cast<int>(ArenaKind::Club);
  x.share = share;
  return x;
}

}  // namespace

TEST_CASE("closing a share of arenas closes the first open ones, reopening the first closed",
          "[model][interventions]") {
  // Four clubs; ODD 7.11: round(share x count) of the open (closed) ones, in arena order.
  TinyWorld t(2);
  std::vector<ArenaId> clubs;
  for (int k = 0; k < 4; ++k) clubs.push_back(t.add_arena(ArenaKind::Club, 0.5f));
  const auto is_open = [&](std::size_t k) { return t.w.arenas.open[clubs[k]] != 0; };
  REQUIRE((is_open(0) && is_open(1) && is_open(2) && is_open(3)));
  std::vector<EventRecord> events;
  apply_intervention(t.w, arenas(true, 0.5), events);
  CHECK_FALSE(is_open(0));
  CHECK_FALSE(is_open(1));
  CHECK(is_open(2));
  CHECK(is_open(3));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == EventKind::Intervention);
  CHECK(events[0].magnitude == 2.0f);
  // Half of the two still open: the first of them.
  apply_intervention(t.w, arenas(true, 0.5), events);
  CHECK_FALSE(is_open(2));
  CHECK(is_open(3));
  // Reopening a third of the three closed: the first closed one.
  apply_intervention(t.w, arenas(false, 1.0 / 3.0), events);
  CHECK(is_open(0));
  CHECK_FALSE(is_open(1));
  CHECK_FALSE(is_open(2));
  CHECK(events.back().magnitude == 1.0f);
}

TEST_CASE("a tie made supportive ends the conflict on both sides", "[model][interventions]") {
  TinyWorld t(2);
  t.tie(0, 1, Relation::Partner, 0.8f, TieKind::Stressor);
  const std::uint32_t e01 = t.edge(0, 1), e10 = t.edge(1, 0);
  t.w.ties.conflict_weeks[e01] = t.w.ties.conflict_weeks[e10] = 5;
  t.w.ties.strength[e01] = t.w.ties.strength[e10] = 0.3f;
  PersonAction a;
  a.kind = PersonAction::Kind::SupportiveTie;
  a.person = 0;
  a.other = 1;
  std::vector<EventRecord> events;
  CHECK(apply_person_action(t.w, a, events).empty());
  CHECK(t.w.ties.kind[e01] == static_cast<std::uint8_t>(TieKind::Support));
  CHECK(t.w.ties.conflict_weeks[e01] == 0);
  CHECK(t.w.ties.conflict_weeks[e10] == 0);
  // The strength the conflict took is back on both sides (ODD 7.11: the conflict ends).
  CHECK(t.w.ties.strength[e01] == Approx(0.8f));
  CHECK(t.w.ties.strength[e10] == Approx(0.8f));
}
