// Numbers that used to be written into the model code and are now parameters (ODD 5,
// 7.2, 7.9, 8): the generated start follows the `initial` and `population` keys, and the
// recovery index and the stress buffer follow their weights.
#include <catch2/catch.hpp>
#include <cmath>

#include "model/init/population.hpp"
#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

ripple::scenario::Params small_population() {
  auto params = ripple::scenario::Params{};
  params.population.persons = 2000;
  params.population.depression_prevalence = 0.2;
  return params;
}

}  // namespace

TEST_CASE("the generated start takes its values from the initial group", "[model][initial]") {
  auto params = small_population();
  auto& ini = params.initial;
  ini.coping_recovery = 0.72;
  ini.coping_other = 0.21;
  ini.chime_recovery = 0.33;
  ini.chime_other = 0.81;
  ini.debt_level = 0.55;
  ini.debt_share_recovery = 1.0;
  ini.debt_share_other = 0.0;
  ini.stress_max = 0.05;
  ini.symptoms_other = 0.02;
  ini.tenure_weeks_min = 100;
  ini.tenure_weeks_max = 110;
  ini.carer_burden_min = 0.7;
  ini.carer_burden_max = 0.75;
  World w;
  build_world(w, params);
  const Persons& p = w.persons;
  int in_recovery = 0, others = 0, employed = 0, carers = 0;
  for (PersonId i = 0; i < p.n; ++i) {
    CHECK(p.stress[i] <= 0.05f);
    if (p.role[i] & kInRecovery) {
      ++in_recovery;
      CHECK(p.coping[i] == static_cast<float>(ini.coping_recovery));
      CHECK(p.debt[i] == static_cast<float>(ini.debt_level));
      for (const auto& component : p.chime) CHECK(component[i] == static_cast<float>(0.33));
      CHECK(p.recovery[i] == static_cast<float>(0.33));
    } else {
      ++others;
      CHECK(p.coping[i] == static_cast<float>(ini.coping_other));
      CHECK(p.debt[i] == 0.0f);
      CHECK(p.chime[0][i] == static_cast<float>(0.81));
      CHECK(p.symptoms[i] <= 0.02f);
    }
    if (p.work[i] == static_cast<std::uint8_t>(Work::Employed)) {
      ++employed;
      CHECK(p.tenure_weeks[i] >= 100);
      CHECK(p.tenure_weeks[i] <= 110);
    }
    if (p.role[i] & kCarer) {
      ++carers;
      CHECK(p.burden[i] >= 0.7f);
      CHECK(p.burden[i] <= 0.75f);
    }
  }
  // The checks above must have met every kind of person.
  CHECK(in_recovery > 100);
  CHECK(others > 100);
  CHECK(employed > 100);
  CHECK(carers > 10);
}

TEST_CASE("ages sex households and tie strengths follow the population keys", "[model][initial]") {
  auto params = small_population();
  auto& pop = params.population;
  pop.age_min = 20;
  pop.age_max = 24;
  pop.male_share = 0.0;
  pop.household_mean_size = 3.0;
  pop.household_max_size = 2;
  pop.household_strength_min = 0.91;
  pop.household_strength_max = 0.93;
  pop.kin_strength_min = 0.5;
  pop.kin_strength_max = 0.5;
  pop.friend_strength_min = 0.11;
  pop.friend_strength_max = 0.12;
  pop.coworker_strength_min = 0.01;
  pop.coworker_strength_max = 0.02;
  params.symptoms.vulnerability_min = 0.3;
  World w;
  build_world(w, params);
  const Persons& p = w.persons;
  bool seen_youngest = false, seen_oldest = false;
  for (PersonId i = 0; i < p.n; ++i) {
    CHECK(p.age[i] >= 20);
    CHECK(p.age[i] <= 24);
    seen_youngest |= p.age[i] == 20;
    seen_oldest |= p.age[i] == 24;
    CHECK_FALSE(p.traits[i] & kMale);
    CHECK(p.vulnerability[i] >= 0.3f);
  }
  CHECK(seen_youngest);
  CHECK(seen_oldest);
  const auto& start = w.households.start;
  for (std::size_t h = 0; h + 1 < start.size(); ++h) CHECK(start[h + 1] - start[h] <= 2);
  int counted[4] = {0, 0, 0, 0};
  const Ties& t = w.ties;
  for (PersonId i = 0; i < p.n; ++i)
    for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
      const auto rel = static_cast<Relation>(t.relation[e]);
      const float s = t.strength[e];
      if (rel == Relation::Partner || rel == Relation::Household) {
        ++counted[0];
        CHECK(s >= 0.91f);
        CHECK(s <= 0.93f);
      } else if (rel == Relation::Kin) {
        ++counted[1];
        CHECK(s == 0.5f);
      } else if (rel == Relation::Friend) {
        ++counted[2];
        CHECK(s >= 0.11f);
        CHECK(s <= 0.12f);
      } else if (rel == Relation::Coworker) {
        ++counted[3];
        CHECK(s >= 0.01f);
        CHECK(s <= 0.02f);
      }
    }
  for (const int n : counted) CHECK(n > 50);
}

TEST_CASE("more students per school means fewer schools", "[model][initial]") {
  auto few = small_population(), many = small_population();
  few.population.school_mean_size = 20.0;
  many.population.school_mean_size = 2000.0;
  World a, b;
  build_world(a, few);
  build_world(b, many);
  const auto schools = [](const World& w) {
    return w.arenas.by_kind[static_cast<std::size_t>(ArenaKind::School)].size();
  };
  std::size_t students = 0;
  for (PersonId i = 0; i < a.persons.n; ++i)
    students += a.persons.work[i] == static_cast<std::uint8_t>(Work::Studying);
  REQUIRE(students > 40);
  CHECK(schools(a) == static_cast<std::size_t>(std::ceil(static_cast<double>(students) / 20.0)));
  CHECK(schools(b) == 1);
}

TEST_CASE("the recovery index is the weighted mean of the CHIME components", "[model][hope]") {
  auto params = quiet_params();
  auto& ch = params.chime;
  ch.recovery_weight_connectedness = 3.0;
  ch.recovery_weight_hope = 1.0;
  ch.recovery_weight_identity = 0.0;
  ch.recovery_weight_meaning = 2.0;
  ch.recovery_weight_empowerment = 0.5;
  TinyWorld t(3, params);
  for (PersonId i = 0; i < 3; ++i) t.in_recovery(i, Profile::Depression, 0.3f);
  t.w.persons.chime[0][0] = 0.9f;
  t.w.persons.chime[2][1] = 0.95f;
  t.w.persons.chime[3][2] = 0.05f;
  t.step(3);
  const double weights[5] = {3.0, 1.0, 0.0, 2.0, 0.5};
  for (PersonId i = 0; i < 3; ++i) {
    double weighted = 0.0, plain = 0.0;
    for (int k = 0; k < 5; ++k) {
      weighted += weights[k] * t.w.persons.chime[k][i];
      plain += t.w.persons.chime[k][i] / 5.0;
    }
    weighted /= 6.5;
    CHECK(t.w.persons.recovery[i] == Approx(weighted).epsilon(1e-5));
    // The components differ enough that the weights matter.
    CHECK(std::abs(weighted - plain) > 0.01);
  }
}

TEST_CASE("a stress buffer weighted on coping alone follows coping", "[model][stress]") {
  // Two persons under the same steady load from a stressor tie; one copes fully, one
  // not at all, and neither has support or belonging. With all weight on coping the
  // buffer is 1 for the first and 0 for the second; with equal weights both buffers
  // come from coping only and differ by a third.
  auto build = [](double support_weight, double belonging_weight) {
    auto params = ripple::testing::frozen_symptoms();
    params.stress.buffer_weight_support = support_weight;
    params.stress.buffer_weight_belonging = belonging_weight;
    params.stress.buffer_weight_coping = 1.0;
    auto t = std::make_unique<TinyWorld>(4, params);
    t->tie(0, 1, Relation::Household, 1.0f, TieKind::Stressor);
    t->tie(2, 3, Relation::Household, 1.0f, TieKind::Stressor);
    t->w.persons.coping[0] = 1.0f;
    t->w.persons.coping[2] = 0.0f;
    return t;
  };
  auto coping_only = build(0.0, 0.0), equal = build(1.0, 1.0);
  coping_only->w.persons.coping[0] = 1.0f;
  coping_only->step();
  equal->step();
  const auto& a = coping_only->w.persons;
  const auto& b = equal->w.persons;
  // Stress after one week from zero is the load times (1 - stress.buffering * buffer).
  const double buffering = coping_only->w.params.stress.buffering;
  REQUIRE(a.stress[2] > 0.0f);
  CHECK(a.stress[0] == Approx(a.stress[2] * (1.0 - buffering)).epsilon(1e-4));
  CHECK(b.stress[0] == Approx(b.stress[2] * (1.0 - buffering / 3.0)).epsilon(1e-4));
}
