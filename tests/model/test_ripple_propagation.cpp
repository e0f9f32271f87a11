// Relational ripple effects (ODD 7.7): a loss hits everyone close and fades with distance.
#include <catch2/catch.hpp>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
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

TEST_CASE(
    "an acute episode that starts sends the crisis signal, and the episode signal while it lasts",
    "[model][ripple]") {
  // Person 0 is in recovery, struggling with symptoms held at 0.7 (above the acute
  // threshold 0.65), so an acute episode starts in week 1. Friend 1 is the only tie.
  // By ODD 7.7 person 0 sends crisis_signal + episode_signal * crisis_signal in the
  // week it starts and episode_signal * crisis_signal plus attenuation times what it
  // received in the weeks after; the friend passes on attenuation times that.
  const auto params = ripple::testing::frozen_symptoms();
  TinyWorld t(2, params);
  t.tie(0, 1, Relation::Friend, 1.0f);
  t.in_recovery(0, Profile::Bipolar, 0.8f);
  t.set_symptoms(0, 0.7f, Episode::Struggling);
  const auto& rp = params.ripple;
  const double lasting = rp.episode_signal * rp.crisis_signal;
  auto distress = [&](PersonId i) { return t.w.signal[i].distress / 1024.0; };
  constexpr double kResolution = 2.0 / 1024.0;

  t.step();
  REQUIRE(t.w.persons.episode[0] == static_cast<std::uint8_t>(Episode::Acute));
  CHECK(count_events(t.events, EventKind::EpisodeStart, 0) == 1);
  CHECK(distress(0) == Approx(rp.crisis_signal + lasting).margin(kResolution));
  CHECK(distress(1) == 0.0);  // nothing had reached the friend yet
  const double first = distress(0);

  t.step();  // the episode goes on: no new crisis
  CHECK(distress(0) == Approx(lasting).margin(kResolution));
  CHECK(distress(1) == Approx(rp.attenuation * first).margin(kResolution));
  // The friend felt the crisis: ripple.weight times the distress received.
  CHECK(t.w.persons.stress[1] > 0.0f);
}

TEST_CASE("distress travels along family ties as it does along friendships", "[model][ripple]") {
  // Person 1 has a crisis in week 1 (struggling, symptoms held at 0.7). Person 0 lives
  // with them and person 2 is their friend, both ties of strength 1 and their only ties:
  // in week 2 each receives what 1 sent, R = strength * d / max(1, strength) = d.
  const auto params = ripple::testing::frozen_symptoms();
  TinyWorld t(3, params);
  t.tie(0, 1, Relation::Household, 1.0f);
  t.tie(1, 2, Relation::Friend, 1.0f);
  t.in_recovery(1, Profile::Bipolar, 0.8f);
  t.set_symptoms(1, 0.7f, Episode::Struggling);
  t.step();
  const double sent = t.w.signal[1].distress / 1024.0;
  REQUIRE(sent > 0.5);
  t.step();
  CHECK(t.w.persons.received[2] == Approx(sent).margin(1e-4));
  CHECK(t.w.persons.received[0] == Approx(sent).margin(1e-4));
}
