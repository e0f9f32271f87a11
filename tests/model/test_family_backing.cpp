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

TEST_CASE("family.watchdog_vs_withdraw decides which way a drifting carer goes",
          "[model][family]") {
  // Drift is certain above the burden threshold; the direction is watchdog with
  // probability watchdog_vs_withdraw (ODD 7.6), so 1 always gives watchdog, 0 withdrawal.
  auto drifted = [](double watchdog_share) {
    auto params = frozen_symptoms();
    params.family.style_drift_per_year = 1.0;
    params.family.watchdog_vs_withdraw = watchdog_share;
    auto t = cared_for(params, 0.9f, CaringStyle::Supportive, 0.9f);
    t->step();
    REQUIRE(count_events(t->events, EventKind::StyleChange, 1) == 1);
    return style_of(*t, 1);
  };
  CHECK(drifted(1.0) == CaringStyle::Watchdog);
  CHECK(drifted(0.0) == CaringStyle::Withdrawn);
}

TEST_CASE("consent is withdrawn more often in an acute episode", "[model][family]") {
  // Eight persons in recovery with a carer each, consent given. The weekly base chance
  // of withdrawal is about 0.056 (consent_withdraw_per_year 0.95); consent_episode_factor
  // 20 makes it certain in an acute episode (ODD 7.6), so every acute person withdraws
  // in the first week.
  auto params = frozen_symptoms();
  params.family.consent_withdraw_per_year = 0.95;
  params.family.consent_episode_factor = 20.0;
  TinyWorld t(16, params);
  for (PersonId i = 0; i < 8; ++i) {
    t.in_recovery(i, Profile::Psychosis, 0.8f);
    t.set_symptoms(i, 0.7f, Episode::Acute);
    t.make_carer(8 + i, i, CaringStyle::Supportive, 0.2f);
  }
  t.step();
  for (PersonId i = 0; i < 8; ++i) {
    CHECK((t.w.persons.consent[i] & 1) == 0);
    CHECK(count_events(t.events, EventKind::ConsentWithdrawn, i) == 1);
  }
}

TEST_CASE(
    "a family is involved with consent when the service involves it or the carer was educated",
    "[model][family]") {
  // Person 0 (with carer 1) is a CMHC client of therapist 2. ODD 7.6: involved if consent
  // is given, there is a carer, and the fixed involvement rank is below the service's
  // family_involvement or the carer is or was in the programme. The involved flag is bit
  // 1 of Persons::consent.
  auto involved = [](double family_involvement, bool educated, bool consent) {
    auto params = frozen_symptoms();
    params.helping.discharge_after_weeks = 520;
    params.family.consent_give_per_year = 0.0;
    params.services.cmhc.family_involvement = family_involvement;
    TinyWorld t(3, params);
    t.tie(0, 1, Relation::Household, 0.8f);
    t.in_recovery(0, Profile::Psychosis, 0.8f);
    t.set_symptoms(0, 0.4f, Episode::Struggling);
    t.make_carer(1, 0, CaringStyle::Supportive, 0.2f);
    t.w.persons.consent[0] = consent ? 1 : 0;
    t.w.persons.involvement_rank[0] = 0.5f;
    t.hire(2, ServiceKind::Cmhc);
    t.enrol(0, ServiceKind::Cmhc, 2, 0.5f);
    if (educated) t.start_psychoeducation(1);
    t.step();
    return (t.w.persons.consent[0] & 2) != 0;
  };
  CHECK(involved(0.8, false, true));
  CHECK_FALSE(involved(0.2, false, true));
  CHECK(involved(0.2, true, true));
  CHECK_FALSE(involved(0.8, true, false));
}

TEST_CASE("a person in care asks for a programme place for the carer, given while places last",
          "[model][family]") {
  // Persons 0-2 are CMHC clients of therapist 6 with carers 3-5 and consent; the
  // programme has two places. ODD 7.6 and 7.8 step 6: each asks, and places go in
  // request order (person order) while they last.
  auto params = frozen_symptoms();
  params.helping.discharge_after_weeks = 520;
  params.services.psychoeducation.enabled = true;
  TinyWorld t(7, params);
  t.hire(6, ServiceKind::Cmhc);
  for (PersonId i = 0; i < 3; ++i) {
    t.in_recovery(i, Profile::Psychosis, 0.8f);
    t.set_symptoms(i, 0.4f, Episode::Struggling);
    t.make_carer(3 + i, i, CaringStyle::Supportive, 0.2f);
    t.enrol(i, ServiceKind::Cmhc, 6, 0.5f);
  }
  t.w.services.psychoeducation_places = 2;
  t.step();
  CHECK(t.w.persons.psychoeducation_weeks[3] == 1);
  CHECK(t.w.persons.psychoeducation_weeks[4] == 1);
  CHECK(t.w.persons.psychoeducation_weeks[5] == 0);
  CHECK(t.w.services.psychoeducation_used == 2);
  // The third carer waits until a place is handed back, however long that takes.
  t.step(4);
  CHECK(t.w.persons.psychoeducation_weeks[5] == 0);
  CHECK(t.w.services.psychoeducation_used == 2);
}
