// Front-loaded expressed emotion (ODD 7.2): a watchdog carer's stress is largest right
// after an episode and eases toward family.watchdog_stress as the person stays well.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::frozen_symptoms;
using ripple::testing::TinyWorld;

namespace {

// Person 0 in recovery, well for `well_weeks` weeks, cared for by household member 1.
std::unique_ptr<TinyWorld> cared_for(CaringStyle style, std::uint16_t well_weeks, double boost) {
  auto params = frozen_symptoms();  // symptoms held: the person stays well
  params.family.watchdog_early_boost = boost;
  params.family.watchdog_half_life_weeks = 10.0;
  auto t = std::make_unique<TinyWorld>(2, params);
  t->tie(0, 1, Relation::Household, 0.8f);
  t->in_recovery(0, Profile::Psychosis, 0.5f);
  t->make_carer(1, 0, style, 0.2f);
  t->w.persons.well_weeks[0] = well_weeks;
  return t;
}

}  // namespace

TEST_CASE("a watchdog carer adds more stress right after an episode than after a long well spell",
          "[model][stress][watchdog]") {
  auto just_well = cared_for(CaringStyle::Watchdog, 0, 3.0);
  auto long_well = cared_for(CaringStyle::Watchdog, 100, 3.0);
  just_well->step();
  long_well->step();
  // Week 1 by hand, buffered by coping alone as in the constant case (factor 0.9): the
  // tie as a stressor, 0.15 * 0.8 = 0.12, plus the watchdog's 0.12 * (1 + 3 * 2^(-w/10)).
  const auto expected = [](double well) {
    return (0.12 * (1.0 + 3.0 * std::exp2(-well / 10.0)) + 0.12) * 0.9;
  };
  CHECK(just_well->w.persons.stress[0] == Approx(expected(0)).epsilon(1e-4));    // 0.54
  CHECK(long_well->w.persons.stress[0] == Approx(expected(100)).epsilon(1e-4));  // 0.216
  CHECK(just_well->w.persons.stress[0] > 1.9f * long_well->w.persons.stress[0]);

  // As the person stays well the extra part halves every 10 weeks: after 80 weeks both
  // persons carry nearly the lasting load (steady state 0.216 / decay 0.25 = 0.864).
  just_well->step(79);
  long_well->step(79);
  CHECK(just_well->w.persons.well_weeks[0] == 80);
  CHECK(just_well->w.persons.stress[0] == Approx(long_well->w.persons.stress[0]).margin(0.02));
  CHECK(long_well->w.persons.stress[0] == Approx(0.864).margin(0.01));
}

TEST_CASE("the front-loading changes only what a watchdog carer adds",
          "[model][stress][watchdog]") {
  // A supportive carer adds no stress however recent the episode.
  auto supportive = cared_for(CaringStyle::Supportive, 0, 3.0);
  supportive->step(4);
  CHECK(supportive->w.persons.stress[0] == 0.0f);
  // Without a boost the watchdog adds watchdog_stress whatever the well weeks.
  auto recent = cared_for(CaringStyle::Watchdog, 0, 0.0);
  auto settled = cared_for(CaringStyle::Watchdog, 100, 0.0);
  recent->step();
  settled->step();
  CHECK(recent->w.persons.stress[0] == settled->w.persons.stress[0]);
  CHECK(recent->w.persons.stress[0] == Approx(0.24 * 0.9).epsilon(1e-4));
}
