// Process 3, symptoms, episodes and medication (ODD 7.3): thresholds with hysteresis,
// relapse hazards and the protection of a helpful medication.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
using ripple::testing::frozen_symptoms;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

Episode episode_of(const TinyWorld& t, PersonId i) {
  return static_cast<Episode>(t.w.persons.episode[i]);
}

}  // namespace

TEST_CASE("episode states step up at thresholds and down only below them by the hysteresis",
          "[model][symptoms]") {
  // Thresholds: struggling 0.35, acute 0.65, hysteresis 0.1. Symptoms are frozen.
  TinyWorld t(6, frozen_symptoms());
  t.set_symptoms(0, 0.64f, Episode::Acute);       // just below acute: stays acute
  t.set_symptoms(1, 0.54f, Episode::Acute);       // below 0.65 - 0.1: ends
  t.set_symptoms(2, 0.64f, Episode::Well);        // well person at 0.64: struggling, not acute
  t.set_symptoms(3, 0.30f, Episode::Struggling);  // below 0.35 but above 0.25: stays
  t.set_symptoms(4, 0.24f, Episode::Struggling);  // below 0.25: well again
  t.set_symptoms(5, 0.66f, Episode::Struggling);  // above acute: an episode starts
  t.step(4);
  CHECK(episode_of(t, 0) == Episode::Acute);
  CHECK(episode_of(t, 1) == Episode::Struggling);
  CHECK(episode_of(t, 2) == Episode::Struggling);
  CHECK(episode_of(t, 3) == Episode::Struggling);
  CHECK(episode_of(t, 4) == Episode::Well);
  CHECK(episode_of(t, 5) == Episode::Acute);
  CHECK(count_events(t.events, EventKind::EpisodeEnd, 0) == 0);
  CHECK(count_events(t.events, EventKind::EpisodeEnd, 1) == 1);
  CHECK(count_events(t.events, EventKind::EpisodeStart, 5) == 1);
  CHECK(count_events(t.events, EventKind::EpisodeStart, 2) == 0);
}

TEST_CASE("an acute episode ends only once symptoms fall below acute minus hysteresis",
          "[model][symptoms]") {
  // No stress, so symptoms fall toward 0 at 5% a week from 0.7: 0.665, 0.632, 0.600,
  // 0.570, 0.542. They cross 0.65 in week 2 but the episode ends only in week 5.
  auto params = quiet_params();
  params.symptoms.acute_adapt_rate = 0.05;
  TinyWorld t(1, params);
  t.set_symptoms(0, 0.7f, Episode::Acute);
  const float acute = static_cast<float>(params.symptoms.acute_threshold);
  const float end = acute - static_cast<float>(params.symptoms.hysteresis);
  int weeks_below_acute_still_acute = 0, ended_week = -1;
  for (int week = 1; week <= 10 && ended_week < 0; ++week) {
    t.step();
    const float s = t.w.persons.symptoms[0];
    if (s >= end) {
      REQUIRE(episode_of(t, 0) == Episode::Acute);
      if (s < acute) ++weeks_below_acute_still_acute;
    } else {
      CHECK(episode_of(t, 0) == Episode::Struggling);
      ended_week = week;
    }
  }
  CHECK(weeks_below_acute_still_acute == 3);
  CHECK(ended_week == 5);
  CHECK(count_events(t.events, EventKind::EpisodeEnd, 0) == 1);
}

TEST_CASE("a helpful medication taken regularly lowers the relapse hazard", "[model][symptoms]") {
  // 200 persons with bipolar disorder and a relapse chance of 0.5 a year; symptoms return
  // to 0 within a week, so everyone stays at risk. In world `treated` all take a helpful
  // medication at full adherence (medication.protection 0.5 halves the hazard). The
  // draws are the same in both worlds, so the treated relapses are a subset.
  auto params = quiet_params();
  params.symptoms.bipolar_relapse_per_year = 0.5;
  params.symptoms.adapt_rate = 1.0;
  params.medication.adherence_loss_well = 0.0;
  constexpr PersonId kPersons = 200;
  auto build = [&](bool treated) {
    auto t = std::make_unique<TinyWorld>(kPersons, params);
    for (PersonId i = 0; i < kPersons; ++i) {
      t->in_recovery(i, Profile::Bipolar, 0.0f);
      if (treated) {
        t->w.persons.medication[i] = static_cast<std::uint8_t>(Medication::Helpful);
        t->w.persons.adherence[i] = 1.0f;
      }
    }
    return t;
  };
  auto treated = build(true), untreated = build(false);
  double relapses_treated = 0, relapses_untreated = 0;
  for (int week = 0; week < 52; ++week) {
    treated->step();
    untreated->step();
    relapses_treated += treated->last.relapses;
    relapses_untreated += untreated->last.relapses;
  }
  // Expected 200 * 52 * 0.0132 = 138 untreated and half as many treated.
  CHECK(relapses_untreated > 100);
  CHECK(relapses_untreated < 180);
  CHECK(relapses_treated < 0.65 * relapses_untreated);
  CHECK(relapses_treated > 0.35 * relapses_untreated);
}

TEST_CASE("stopping a helpful medication raises the relapse hazard for a while",
          "[model][symptoms]") {
  auto params = quiet_params();
  params.symptoms.bipolar_relapse_per_year = 0.2;
  params.symptoms.adapt_rate = 1.0;
  constexpr PersonId kPersons = 200;
  auto build = [&](bool stopped) {
    auto t = std::make_unique<TinyWorld>(kPersons, params);
    for (PersonId i = 0; i < kPersons; ++i) {
      t->in_recovery(i, Profile::Bipolar, 0.0f);
      if (stopped) t->w.persons.medication[i] = static_cast<std::uint8_t>(Medication::Stopped);
    }
    return t;
  };
  auto stopped = build(true), never = build(false);
  long r_stopped = 0, r_never = 0;
  for (int week = 0; week < 20; ++week) {  // within medication.stop_weeks = 26
    stopped->step();
    never->step();
    r_stopped += static_cast<long>(stopped->last.relapses);
    r_never += static_cast<long>(never->last.relapses);
  }
  // Expected 200 * 20 * 0.0043 = 17 without medication, three times as many after stopping.
  CHECK(r_never > 5);
  CHECK(r_stopped > 2 * r_never);
}

TEST_CASE("with every relapse and onset rate at zero nobody relapses", "[model][symptoms]") {
  TinyWorld t(4);
  t.in_recovery(0, Profile::Bipolar, 0.9f);
  t.in_recovery(1, Profile::Psychosis, 0.9f);
  t.in_recovery(2, Profile::Substance, 0.9f);
  t.w.persons.stress[0] = 5.0f;  // even under stress (the hazard is rate * e^(0.5 L))
  t.step(104);
  for (PersonId i = 0; i < 4; ++i) CHECK(count_events(t.events, EventKind::Relapse, i) == 0);
  CHECK(t.last.relapses == 0);
}

TEST_CASE("stress drives symptoms toward vulnerability * L / (L + stress_half)",
          "[model][symptoms]") {
  // Stress held at 2 (= stress_half) by a steady load: the target is vulnerability / 2.
  auto params = quiet_params();
  params.symptoms.adapt_rate = 0.5;
  TinyWorld t(2, params);
  t.in_recovery(0, Profile::Depression, 0.6f);
  t.in_recovery(1, Profile::Depression, 0.3f);
  for (int week = 0; week < 30; ++week) {
    t.w.persons.stress[0] = t.w.persons.stress[1] = 2.0f;
    t.w.persons.debt[0] = t.w.persons.debt[1] = 0.0f;
    t.step();
  }
  // The stress step runs first and lowers stress to 1.5 (decay, no load) before symptoms
  // are set: target = v * 1.5 / 3.5.
  CHECK(t.w.persons.symptoms[0] == Approx(0.6f * 1.5f / 3.5f).epsilon(1e-3));
  CHECK(t.w.persons.symptoms[1] == Approx(0.3f * 1.5f / 3.5f).epsilon(1e-3));
}

namespace {

// Person 0 in recovery, cared for by supportive household member 1. With `educated` the
// carer is in family psychoeducation, which involves the family (consent is given):
// after the first week's family pass person 0's signal carries the co-therapist flag.
std::unique_ptr<TinyWorld> cared_for(const ripple::scenario::Params& params, bool educated) {
  auto t = std::make_unique<TinyWorld>(2, params);
  t->tie(0, 1, Relation::Household, 0.8f);
  t->in_recovery(0, Profile::Depression, 0.5f);
  t->make_carer(1, 0, CaringStyle::Supportive, 0.0f);
  if (educated) t->start_psychoeducation(1);
  return t;
}

}  // namespace

TEST_CASE("an involved carer notices early signs, so a relapse starts milder",
          "[model][symptoms]") {
  // Symptoms are frozen; relapses are switched on after the first week (weekly hazard 1).
  auto params = frozen_symptoms();
  auto involved = cared_for(params, true), alone = cared_for(params, false);
  for (TinyWorld* t : {involved.get(), alone.get()}) {
    t->step();
    REQUIRE(t->w.persons.symptoms[0] == 0.0f);
    t->w.params.symptoms.depression_relapse_per_year = 1.0;
    t->step();
    REQUIRE(count_events(t->events, EventKind::Relapse, 0) == 1);
  }
  REQUIRE(involved->w.signal[0].flags & kSigFamilyInvolved);
  REQUIRE_FALSE(alone->w.signal[0].flags & kSigFamilyInvolved);
  const double jump = params.symptoms.relapse_jump;
  CHECK(alone->w.persons.symptoms[0] == Approx(jump));
  CHECK(involved->w.persons.symptoms[0] ==
        Approx(jump * (1.0 - params.family.co_therapist_detection)));
}

TEST_CASE("a person in recovery who cares for another and is in the programme is not involved",
          "[model][symptoms]") {
  // Person 0 is in recovery, cared for by 1 (who is not in psychoeducation, so 0's family is
  // not involved), and is the carer in the programme of person 2. Being in the programme
  // as a carer involves 2's family, not 0's: 0's relapse starts at the full jump. (Both
  // roles once shared one signal bit, and 0 relapsed as if their own family were involved.)
  auto params = frozen_symptoms();
  TinyWorld t(3, params);
  t.tie(0, 1, Relation::Household, 0.8f);
  t.tie(0, 2, Relation::Household, 0.8f);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.in_recovery(2, Profile::Depression, 0.5f);
  t.make_carer(1, 0, CaringStyle::Supportive, 0.0f);
  t.make_carer(0, 2, CaringStyle::Supportive, 0.0f);
  t.start_psychoeducation(0);
  t.step();
  REQUIRE(t.w.persons.symptoms[0] == 0.0f);
  t.w.params.symptoms.depression_relapse_per_year = 1.0;
  t.step();
  REQUIRE(count_events(t.events, EventKind::Relapse, 0) == 1);
  CHECK(t.w.signal[0].flags & kSigPsychoeducated);
  CHECK_FALSE(t.w.signal[0].flags & kSigFamilyInvolved);
  CHECK(t.w.signal[2].flags & kSigFamilyInvolved);
  CHECK(t.w.persons.symptoms[0] == Approx(params.symptoms.relapse_jump));
}

TEST_CASE("a supportive involved carer keeps medication adherence up", "[model][symptoms]") {
  // Person 0 is well and takes a helpful medication at adherence 0.8. Alone, adherence
  // falls by medication.adherence_loss_well a week; with the involved carer it then
  // regains family.medication_help of the gap to 1 (ODD 7.3).
  auto params = frozen_symptoms();
  auto involved = cared_for(params, true), alone = cared_for(params, false);
  for (TinyWorld* t : {involved.get(), alone.get()}) {
    t->w.persons.medication[0] = static_cast<std::uint8_t>(Medication::Helpful);
    t->w.persons.adherence[0] = 0.8f;
    t->step();  // the family pass of week 1 involves the educated carer
  }
  REQUIRE(involved->w.signal[0].flags & kSigFamilyInvolved);
  const float before = involved->w.persons.adherence[0];
  REQUIRE(alone->w.persons.adherence[0] == Approx(before));
  involved->step();
  alone->step();
  const auto loss = static_cast<float>(params.medication.adherence_loss_well);
  const auto help = static_cast<float>(params.family.medication_help);
  CHECK(alone->w.persons.adherence[0] == Approx(before - loss));
  CHECK(involved->w.persons.adherence[0] ==
        Approx(before - loss + help * (1.0f - (before - loss))));
}

TEST_CASE("on the ward symptoms fall by services.inpatient.treatment_effect a week",
          "[model][symptoms]") {
  // Symptoms are otherwise frozen. Person 0 holds the only bed; person 1 is as ill but
  // gets none.
  auto params = frozen_symptoms();
  params.services.inpatient.enabled = true;
  TinyWorld t(2, params);
  for (PersonId i : {0u, 1u}) t.in_recovery(i, Profile::Psychosis, 0.8f);
  t.set_symptoms(0, 0.9f, Episode::Admitted);
  t.set_symptoms(1, 0.9f, Episode::Acute);
  t.w.services.beds = 1;
  t.w.services.beds_used = 1;
  t.step();
  const auto effect = static_cast<float>(params.services.inpatient.treatment_effect);
  REQUIRE(effect > 0.0f);
  CHECK(t.w.persons.symptoms[0] == Approx(0.9f * (1.0f - effect)));
  CHECK(t.w.persons.symptoms[1] == Approx(0.9f));
}

TEST_CASE("a medication found helpful before is taken up again as helpful, a new one as a trial",
          "[model][symptoms]") {
  // Person 0 is struggling and a client of a CMHC therapist (2); medication starts are
  // certain (weekly hazard 1). Only the medication history differs.
  auto params = frozen_symptoms();
  params.medication.start_per_year = 1.0;
  params.helping.discharge_after_weeks = 520;
  auto build = [&](Medication before) {
    auto t = std::make_unique<TinyWorld>(3, params);
    t->hire(2, ServiceKind::Cmhc);
    t->in_recovery(0, Profile::Depression, 0.5f);
    t->set_symptoms(0, 0.4f, Episode::Struggling);
    t->enrol(0, ServiceKind::Cmhc, 2, 0.5f);
    t->w.persons.medication[0] = static_cast<std::uint8_t>(before);
    return t;
  };
  auto stopped = build(Medication::Stopped), never = build(Medication::None);
  stopped->step();
  never->step();
  CHECK(count_events(stopped->events, EventKind::MedicationStarted, 0) == 1);
  CHECK(count_events(never->events, EventKind::MedicationStarted, 0) == 1);
  CHECK(stopped->w.persons.medication[0] == static_cast<std::uint8_t>(Medication::Helpful));
  CHECK(never->w.persons.medication[0] == static_cast<std::uint8_t>(Medication::Trying));
  CHECK(stopped->w.persons.adherence[0] == Approx(params.medication.start_adherence));
}

TEST_CASE("adherence erodes more slowly while unwell, by medication.adherence_loss_unwell_share",
          "[model][symptoms]") {
  // Two persons on a helpful medication at adherence 0.8, no carer: one well, one
  // struggling (symptoms held at 0.4).
  const auto params = frozen_symptoms();
  TinyWorld t(2, params);
  for (PersonId i : {0u, 1u}) {
    t.in_recovery(i, Profile::Depression, 0.5f);
    t.w.persons.medication[i] = static_cast<std::uint8_t>(Medication::Helpful);
    t.w.persons.adherence[i] = 0.8f;
  }
  t.set_symptoms(1, 0.4f, Episode::Struggling);
  t.step();
  const auto& m = params.medication;
  REQUIRE(m.adherence_loss_unwell_share != 1.0);
  CHECK(t.w.persons.adherence[0] == Approx(0.8 - m.adherence_loss_well));
  CHECK(t.w.persons.adherence[1] ==
        Approx(0.8 - m.adherence_loss_well * m.adherence_loss_unwell_share));
}

TEST_CASE("external instability makes symptoms more volatile", "[model][symptoms]") {
  // The same person in two worlds, so the same noise: symptoms held at 0.3 apart from
  // the noise (adapt rates 0). Without work stability is stress.idle_stability; in
  // world `indebted` full debt makes it 0. By ODD 7.2 the noise is scaled by
  // 1 + stress.instability_volatility * (1 - stability).
  auto params = frozen_symptoms();
  params.symptoms.volatility = 0.05;
  auto build = [&](float debt) {
    auto t = std::make_unique<TinyWorld>(1, params);
    t->set_symptoms(0, 0.3f, Episode::Well);
    t->w.persons.debt[0] = debt;
    return t;
  };
  auto calm = build(0.0f), indebted = build(1.0f);
  calm->step();
  indebted->step();
  const double k = params.stress.instability_volatility;
  const double ratio = (1.0 + k) / (1.0 + k * (1.0 - params.stress.idle_stability));
  const double calm_noise = calm->w.persons.symptoms[0] - 0.3;
  const double indebted_noise = indebted->w.persons.symptoms[0] - 0.3;
  REQUIRE(std::abs(calm_noise) > 1e-3);  // a draw near 0 would say nothing
  CHECK(indebted_noise == Approx(ratio * calm_noise).epsilon(1e-3));
}
