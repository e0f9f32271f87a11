// Relational ripple effects (ODD 7.7): a loss hits everyone close and fades with distance.
#include <catch2/catch.hpp>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::TinyWorld;

TEST_CASE("a bereavement removes the tie and its stress fades with each degree of separation",
          "[model][ripple]") {
  // A chain 0 - 1 - 2 - 3 - 4 - 5 of friends of equal strength; person 0 dies.
  TinyWorld t(6);
  for (PersonId i = 0; i + 1 < 6; ++i) t.tie(i, i + 1, Relation::Friend, 0.8f);
  t.kill(0);
  const auto tie_10 = t.edge(1, 0);
  CHECK(t.w.ties.kind[tie_10] == static_cast<std::uint8_t>(TieKind::Removed));
  CHECK(ripple::testing::count_events(t.events, EventKind::Bereavement, 1) == 1);
  CHECK(ripple::testing::count_events(t.events, EventKind::Bereavement, 2) == 0);
  t.step(6);
  const auto& stress = t.w.persons.stress;
  CHECK(stress[1] > stress[2]);
  CHECK(stress[2] > stress[3]);
  CHECK(stress[3] > stress[4]);
  CHECK(stress[1] > 0.1f);
  CHECK(stress[4] < 0.1f * stress[1]);
}

TEST_CASE("without ripple weight, a loss stays with those directly tied", "[model][ripple]") {
  auto params = ripple::testing::quiet_params();
  params.ripple.weight = 0.0;
  TinyWorld t(4, params);
  for (PersonId i = 0; i + 1 < 4; ++i) t.tie(i, i + 1, Relation::Friend, 0.8f);
  t.kill(0);
  t.step(6);
  CHECK(t.w.persons.stress[1] > 0.1f);
  CHECK(t.w.persons.stress[2] == 0.0f);
  CHECK(t.w.persons.stress[3] == 0.0f);
}
