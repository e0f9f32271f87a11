// Process 2, stress and buffering (ODD 7.2): stressors load, support, belonging and
// coping buffer; L(t+1) = (1 - decay) L(t) + X (1 - buffering * B).
#include <catch2/catch.hpp>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

TEST_CASE("a watchdog carer raises the cared-for person's stress compared with a supportive one",
          "[model][stress]") {
  // Two otherwise identical worlds: person 0 in recovery, cared for by household member 1.
  auto build = [](CaringStyle style) {
    auto t = std::make_unique<TinyWorld>(2);
    t->tie(0, 1, Relation::Household, 0.8f);
    t->in_recovery(0, Profile::Depression, 0.5f);
    t->make_carer(1, 0, style, 0.2f);
    return t;
  };
  auto watchdog = build(CaringStyle::Watchdog);
  auto supportive = build(CaringStyle::Supportive);
  watchdog->step();
  supportive->step();
  // Week 1 by hand. Supportive: no load at all. Watchdog: family.watchdog_stress 0.12
  // plus the tie counting as a stressor, stressor_weight 0.15 * strength 0.8, buffered
  // by coping alone (support 0): (0.12 + 0.12) * (1 - 0.6 * 0.5 / 3).
  CHECK(supportive->w.persons.stress[0] == 0.0f);
  CHECK(watchdog->w.persons.stress[0] == Approx(0.24f * 0.9f).epsilon(1e-4));
  watchdog->step(25);
  supportive->step(25);
  CHECK(watchdog->w.persons.stress[0] > 0.6f);  // heads for 0.216 / decay 0.25 = 0.86
  CHECK(supportive->w.persons.stress[0] < 0.01f);
  // Over-monitoring also costs empowerment (ODD 7.9).
  CHECK(watchdog->w.persons.chime[4][0] < supportive->w.persons.chime[4][0] - 0.1f);
}

TEST_CASE("support ties buffer the stress of a stressor tie", "[model][stress]") {
  // Person 0 has a devaluing relative (1). In world `supported` two close friends
  // (2 and 3) add support of strength 2 = stress.support_saturation.
  auto build = [](bool friends) {
    auto t = std::make_unique<TinyWorld>(4);
    t->tie(0, 1, Relation::Kin, 1.0f, TieKind::Stressor);
    if (friends) {
      t->tie(0, 2, Relation::Friend, 1.0f);
      t->tie(0, 3, Relation::Friend, 1.0f);
    }
    return t;
  };
  auto alone = build(false), supported = build(true);
  alone->step();
  supported->step();
  // Load 0.15 a week; buffer = (support + belonging + coping) / 3 = 0.5/3 or 1.5/3.
  CHECK(alone->w.persons.stress[0] == Approx(0.15f * (1.0f - 0.6f * 0.5f / 3.0f)).epsilon(1e-4));
  CHECK(supported->w.persons.stress[0] ==
        Approx(0.15f * (1.0f - 0.6f * 1.5f / 3.0f)).epsilon(1e-4));
  alone->step(40);
  supported->step(40);
  // Steady states 0.135 / 0.25 = 0.54 and 0.105 / 0.25 = 0.42.
  CHECK(alone->w.persons.stress[0] == Approx(0.54f).margin(0.01));
  CHECK(supported->w.persons.stress[0] == Approx(0.42f).margin(0.01));
}

TEST_CASE("debt and unstable housing load stress, and without them it fades", "[model][stress]") {
  TinyWorld t(3);
  t.w.persons.debt[0] = 1.0f;
  t.w.persons.housing[1] = 0.0f;
  t.w.persons.stress[2] = 2.0f;
  t.step();
  // Full debt: debt_weight 0.15; no housing stability: housing_weight 0.1 (the person
  // repays a little and housing recovers a little only after the stress step).
  CHECK(t.w.persons.stress[0] == Approx(0.15f * 0.9f).epsilon(1e-4));
  CHECK(t.w.persons.stress[1] == Approx(0.10f * 0.9f).epsilon(1e-4));
  // With no load at all stress decays by stress.decay = 25% a week.
  CHECK(t.w.persons.stress[2] == Approx(1.5f).epsilon(1e-5));
  t.step(30);
  CHECK(t.w.persons.stress[2] < 0.01f);
}

TEST_CASE("stress never exceeds stress.max however heavy the load", "[model][stress]") {
  auto params = quiet_params();
  params.stress.max = 1.5;
  params.stress.stressor_weight = 2.0;
  TinyWorld t(6, params);
  for (PersonId j = 1; j < 6; ++j) t.tie(0, j, Relation::Household, 1.0f, TieKind::Stressor);
  for (int week = 0; week < 20; ++week) {
    t.step();
    REQUIRE(t.w.persons.stress[0] <= 1.5f);
  }
  CHECK(t.w.persons.stress[0] == Approx(1.5f));
}
