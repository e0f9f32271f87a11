// Process 6, family backing therapy (ODD 7.6): carer burden grows with the cared-for
// person's symptoms; high burden pushes the caring style toward watchdog or
// withdrawal, and psychoeducation brings carers back.
#include <catch2/catch.hpp>
#include <cmath>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
using ripple::testing::frozen_symptoms;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

CaringStyle style_of(const TinyWorld& t, PersonId i) {
  return static_cast<CaringStyle>(t.w.persons.style[i]);
}

// Person 0 in recovery with symptoms held at `symptoms`; person 1 their household carer.
std::unique_ptr<TinyWorld> cared_for(const ripple::scenario::Params& params, float symptoms,
                                     CaringStyle style, float burden) {
  auto t = std::make_unique<TinyWorld>(2, params);
  t->tie(0, 1, Relation::Household, 0.8f);
  t->in_recovery(0, Profile::Psychosis, 0.8f);
  t->set_symptoms(0, symptoms, symptoms > 0.65f ? Episode::Acute : Episode::Well);
  t->make_carer(1, 0, style, burden);
  return t;
}

}  // namespace

TEST_CASE("carer burden grows with the cared-for person's symptoms and eases when they are well",
          "[model][family]") {
  auto params = frozen_symptoms();
  auto ill = cared_for(params, 0.9f, CaringStyle::Supportive, 0.3f);
  auto well = cared_for(params, 0.0f, CaringStyle::Supportive, 0.3f);
  ill->step();
  well->step();
  // B += 0.06 s (1 - B), then B -= 0.03 (1 - s) B, with s as neighbours see it
  // (0.9 rounded to 1/255).
  const float s = std::round(0.9f * 255.0f) / 255.0f;
  const float grown = 0.3f + 0.06f * s * 0.7f;
  CHECK(ill->w.persons.burden[1] == Approx(grown - 0.03f * (1.0f - s) * grown).epsilon(1e-4));
  CHECK(well->w.persons.burden[1] == Approx(0.3f - 0.03f * 0.3f).epsilon(1e-4));
  ill->step(51);
  well->step(51);
  CHECK(ill->w.persons.burden[1] > 0.85f);  // heads for 0.054 / 0.057 = 0.95
  CHECK(well->w.persons.burden[1] < 0.1f);
  // Burden is a load on the carer's own stress (ODD 7.2).
  CHECK(ill->w.persons.stress[1] > well->w.persons.stress[1] + 0.3f);
}

TEST_CASE(
    "a carer whose burden stays high without support drifts to watchdog or withdrawal "
    "within a year",
    "[model][family]") {
  // style_drift_per_year = 1 makes drift certain once burden passes the threshold (0.6).
  auto params = frozen_symptoms();
  params.family.style_drift_per_year = 1.0;
  auto high = cared_for(params, 0.9f, CaringStyle::Supportive, 0.4f);
  auto low = cared_for(params, 0.1f, CaringStyle::Supportive, 0.4f);
  int drift_week = -1;
  for (int week = 1; week <= 52; ++week) {
    high->step();
    low->step();
    if (drift_week < 0 && style_of(*high, 1) != CaringStyle::Supportive) {
      drift_week = week;
      CHECK(high->w.persons.burden[1] > params.family.burden_threshold);
    }
  }
  // From 0.4 burden passes 0.6 after about 5 weeks of symptoms at 0.9.
  CHECK(drift_week > 1);
  CHECK(drift_week <= 10);
  const CaringStyle drifted = style_of(*high, 1);
  CHECK((drifted == CaringStyle::Watchdog || drifted == CaringStyle::Withdrawn));
  CHECK(count_events(high->events, EventKind::StyleChange, 1) == 1);
  // A carer whose burden stays low keeps a supportive style.
  CHECK(style_of(*low, 1) == CaringStyle::Supportive);
  CHECK(low->w.persons.burden[1] < params.family.burden_threshold);
  CHECK(count_events(low->events, EventKind::StyleChange, 1) == 0);
}

TEST_CASE("a carer in psychoeducation returns to a supportive style despite high burden",
          "[model][family]") {
  // Two watchdog carers under high burden; one is in the programme. Unaided recovery
  // here needs burden below 0.6 (family.style_recover_burden), so only the educated
  // carer comes back.
  auto params = frozen_symptoms();
  params.family.psychoeducation_recover_per_year = 1.0;
  params.family.style_recover_per_year = 1.0;
  params.family.style_recover_burden = 0.6;
  auto educated = cared_for(params, 0.9f, CaringStyle::Watchdog, 0.9f);
  auto alone = cared_for(params, 0.9f, CaringStyle::Watchdog, 0.9f);
  educated->start_psychoeducation(1);
  educated->step();
  alone->step();
  CHECK(style_of(*educated, 1) == CaringStyle::Supportive);
  CHECK(count_events(educated->events, EventKind::StyleChange, 1) == 1);
  alone->step(51);
  educated->step(51);
  CHECK(style_of(*alone, 1) == CaringStyle::Watchdog);
  CHECK(style_of(*educated, 1) == CaringStyle::Supportive);  // drift is off in this world
  // The programme also halves burden growth (services.psychoeducation.burden_relief):
  // burden settles at 0.027 / 0.030 = 0.90 instead of 0.054 / 0.057 = 0.95.
  CHECK(educated->w.persons.burden[1] == Approx(0.90f).margin(0.01));
  CHECK(alone->w.persons.burden[1] == Approx(0.947f).margin(0.01));
  // After programme_weeks (26) the place is handed back and the carer counts as educated.
  CHECK(educated->w.persons.psychoeducation_weeks[1] ==
        params.services.psychoeducation.programme_weeks);
  CHECK(educated->w.services.psychoeducation_used == 0);
}

TEST_CASE("unaided return to a supportive style is bounded by family.style_recover_burden",
          "[model][family]") {
  // The same watchdog carer under high burden (0.9), unaided, at a certain weekly return:
  // with the bound at 1 they come back at the first step, with 0.6 they never do.
  auto params = frozen_symptoms();
  params.family.style_recover_per_year = 1.0;
  params.family.style_recover_burden = 1.0;
  auto any_burden = cared_for(params, 0.9f, CaringStyle::Watchdog, 0.9f);
  params.family.style_recover_burden = 0.6;
  auto bounded = cared_for(params, 0.9f, CaringStyle::Watchdog, 0.9f);
  any_burden->step();
  bounded->step(52);
  CHECK(any_burden->w.persons.burden[1] > 0.6f);
  CHECK(style_of(*any_burden, 1) == CaringStyle::Supportive);
  CHECK(count_events(any_burden->events, EventKind::StyleChange, 1) == 1);
  CHECK(bounded->w.persons.burden[1] > 0.6f);
  CHECK(style_of(*bounded, 1) == CaringStyle::Watchdog);
}

TEST_CASE("with drift and recovery rates at zero a caring style never changes", "[model][family]") {
  auto params = frozen_symptoms();
  auto watchdog = cared_for(params, 0.9f, CaringStyle::Watchdog, 0.1f);
  auto supportive = cared_for(params, 0.9f, CaringStyle::Supportive, 0.9f);
  watchdog->step(104);
  supportive->step(104);
  CHECK(style_of(*watchdog, 1) == CaringStyle::Watchdog);
  CHECK(style_of(*supportive, 1) == CaringStyle::Supportive);
  CHECK(count_events(watchdog->events, EventKind::StyleChange, 1) == 0);
  CHECK(count_events(supportive->events, EventKind::StyleChange, 1) == 0);
}

// A carer who stops caring leaves the programme and hands the place back at once
// (end_caring in the service pass); otherwise places would leak and the programme shrink.
TEST_CASE("when a partner in the programme stops caring after a break-up the place is handed back",
          "[model][family]") {
  auto params = frozen_symptoms();
  params.events.breakup_per_year = 1.0;
  TinyWorld t(2, params);
  t.tie(0, 1, Relation::Partner, 0.8f);
  t.in_recovery(0, Profile::Psychosis, 0.8f);
  t.make_carer(1, 0, CaringStyle::Supportive, 0.5f);
  t.start_psychoeducation(1);
  REQUIRE(t.w.services.psychoeducation_used == 1);
  for (int week = 0; week < 20 && count_events(t.events, EventKind::Breakup, 1) == 0; ++week)
    t.step();
  REQUIRE(count_events(t.events, EventKind::Breakup, 1) == 1);
  REQUIRE(t.w.persons.cares_for[1] == kNoPerson);
  t.step(static_cast<int>(params.services.psychoeducation.programme_weeks) + 4);
  CHECK(t.w.services.psychoeducation_used == 0);
}

// The same when the carer in the programme, or the person cared for, dies.
TEST_CASE("when a carer in the programme dies the place is handed back", "[model][family]") {
  auto params = frozen_symptoms();
  params.events.death_per_year = 1.0;  // weekly hazard 1: both die in week 1
  TinyWorld t(2, params);
  t.tie(0, 1, Relation::Household, 0.8f);
  t.in_recovery(0, Profile::Psychosis, 0.8f);
  t.make_carer(1, 0, CaringStyle::Supportive, 0.5f);
  t.start_psychoeducation(1);
  t.step();
  REQUIRE(t.w.persons.alive[1] == 0);
  CHECK(t.w.services.psychoeducation_used == 0);
}
