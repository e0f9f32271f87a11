// Process 9, hope and empowerment, and the recovery index (ODD 7.9).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {
constexpr int kHope = 1, kEmpowerment = 4;
}

TEST_CASE("a tie to a peer who has recovered raises hope", "[model][hope]") {
  // Person 0 is in recovery with a friend (1) who is also in recovery. In world
  // `recovered` the friend is held at a recovery index of 0.9 (>= ripple.recovered_index
  // 0.7), in world `struggling` at 0.3.
  auto build = [] {
    auto t = std::make_unique<TinyWorld>(2);
    t->tie(0, 1, Relation::Friend, 0.6f);
    t->in_recovery(0, Profile::Depression, 0.3f);
    t->in_recovery(1, Profile::Depression, 0.3f);
    return t;
  };
  auto recovered = build(), struggling = build();
  auto hold = [](TinyWorld& t, float level) {
    for (auto& component : t.w.persons.chime) component[1] = level;
    t.w.persons.recovery[1] = level;
  };
  for (int week = 0; week < 40; ++week) {
    hold(*recovered, 0.9f);
    hold(*struggling, 0.3f);
    recovered->step();
    struggling->step();
  }
  // Hope target 0.4 (chime.hope_base) plus chime.peer_hope 0.3 with a recovered peer.
  CHECK(recovered->w.persons.chime[kHope][0] == Approx(0.7f).margin(0.05));
  CHECK(struggling->w.persons.chime[kHope][0] == Approx(0.4f).margin(0.05));
}

TEST_CASE("an admission is coercive: it costs empowerment at once", "[model][hope]") {
  // Person 0 in a severe acute episode; the ward has one bed in one world and none in
  // the other (both wards exist, so the only difference is the free bed).
  auto build = [](std::int64_t beds) {
    auto params = quiet_params();
    params.services.inpatient.enabled = true;
    auto t = std::make_unique<TinyWorld>(1, params);
    t->in_recovery(0, Profile::Psychosis, 0.8f);
    t->set_symptoms(0, 0.9f, Episode::Acute);
    t->w.services.beds = beds;
    return t;
  };
  auto admitted = build(1), at_home = build(0);
  admitted->step();
  at_home->step();
  REQUIRE(admitted->w.persons.episode[0] == static_cast<std::uint8_t>(Episode::Admitted));
  REQUIRE(at_home->w.persons.episode[0] == static_cast<std::uint8_t>(Episode::Acute));
  // Everything up to the service pass was identical; the admission takes
  // chime.coercion_empowerment = 0.2 off.
  CHECK(admitted->w.persons.chime[kEmpowerment][0] ==
        Approx(at_home->w.persons.chime[kEmpowerment][0] - 0.2f).margin(1e-5));
  // While admitted the empowerment target stays 0.2 lower.
  admitted->step(3);
  at_home->step(3);
  CHECK(admitted->w.persons.chime[kEmpowerment][0] <
        at_home->w.persons.chime[kEmpowerment][0] - 0.19f);
}

TEST_CASE("shared decisions raise empowerment", "[model][hope]") {
  // Two clients of two network teams that differ only in power sharing (0.9 vs 0.1).
  auto build = [](double power_sharing) {
    auto params = quiet_params();
    params.helping.discharge_after_weeks = 520;
    params.services.open_dialogue.power_sharing = power_sharing;
    auto t = std::make_unique<TinyWorld>(2, params);
    t->hire(1, ServiceKind::OpenDialogue);
    t->in_recovery(0, Profile::Psychosis, 0.5f);
    t->enrol(0, ServiceKind::OpenDialogue, 1, 0.5f);
    return t;
  };
  auto shared = build(0.9), directed = build(0.1);
  shared->step(60);
  directed->step(60);
  // Targets 0.5 + 0.4 * (power_sharing - 0.5): 0.66 and 0.34.
  CHECK(shared->w.persons.chime[kEmpowerment][0] == Approx(0.66f).margin(0.02));
  CHECK(directed->w.persons.chime[kEmpowerment][0] == Approx(0.34f).margin(0.02));
}

TEST_CASE("the recovery index is the mean of the five CHIME components", "[model][hope]") {
  TinyWorld t(3);
  for (PersonId i = 0; i < 3; ++i) t.in_recovery(i, Profile::Depression, 0.3f);
  t.w.persons.chime[0][1] = 0.9f;
  t.w.persons.chime[3][2] = 0.1f;
  t.step(5);
  for (PersonId i = 0; i < 3; ++i) {
    float sum = 0.0f;
    for (const auto& component : t.w.persons.chime) sum += component[i];
    CHECK(t.w.persons.recovery[i] == Approx(sum / 5.0f).epsilon(1e-5));
  }
  // A person without a condition has no CHIME trajectory: nothing is updated.
  TinyWorld others(1);
  others.step(5);
  CHECK(others.w.persons.chime[kHope][0] == 0.5f);
  CHECK(others.w.persons.recovery[0] == 0.5f);
}

TEST_CASE("a professional conveys hope in proportion to alliance and contacts", "[model][hope]") {
  // The same client of a CMHC therapist in two worlds that differ only in
  // chime.professional_hope. ODD 7.9: the hope target gains professional_hope x A x
  // min(1, n), so after one week hope differs by chime.rate times that.
  auto build = [](double professional_hope) {
    auto params = quiet_params();
    params.helping.discharge_after_weeks = 520;
    params.chime.professional_hope = professional_hope;
    auto t = std::make_unique<TinyWorld>(2, params);
    t->hire(1, ServiceKind::Cmhc);
    t->in_recovery(0, Profile::Depression, 0.5f);
    t->enrol(0, ServiceKind::Cmhc, 1, 0.8f);
    return t;
  };
  auto conveyed = build(0.3), silent = build(0.0);
  conveyed->step();
  silent->step();
  const auto& p = conveyed->w.persons;
  REQUIRE(p.contacts[0] > 0.1f);
  const double expected =
      conveyed->w.params.chime.rate * 0.3 * p.alliance[0] * std::min(1.0f, p.contacts[0]);
  CHECK(p.chime[kHope][0] - silent->w.persons.chime[kHope][0] == Approx(expected).epsilon(1e-3));
}

TEST_CASE("an acute episode lowers the hope target", "[model][hope]") {
  // The same person in an acute episode in two worlds that differ only in
  // chime.episode_hope; after one week hope differs by chime.rate x episode_hope.
  auto build = [](double episode_hope, float symptoms, Episode episode) {
    auto params = ripple::testing::frozen_symptoms();
    params.chime.episode_hope = episode_hope;
    auto t = std::make_unique<TinyWorld>(1, params);
    t->in_recovery(0, Profile::Psychosis, 0.5f);
    t->set_symptoms(0, symptoms, episode);
    t->step();
    REQUIRE(t->w.persons.episode[0] == static_cast<std::uint8_t>(episode));
    return t->w.persons.chime[kHope][0];
  };
  CHECK(build(0.0, 0.7f, Episode::Acute) - build(0.2, 0.7f, Episode::Acute) ==
        Approx(ripple::testing::quiet_params().chime.rate * 0.2).epsilon(1e-3));
  // Outside an episode the parameter changes nothing.
  CHECK(build(0.0, 0.4f, Episode::Struggling) == build(0.2, 0.4f, Episode::Struggling));
}

TEST_CASE("outside services power sharing neither raises nor lowers empowerment", "[model][hope]") {
  // A person in recovery in no service, not working, with no carer: the empowerment
  // target is chime.empowerment_base whatever chime.power_sharing_neutral is (ODD 7.9).
  for (const double neutral : {0.1, 0.5, 0.9}) {
    auto params = quiet_params();
    params.chime.power_sharing_neutral = neutral;
    TinyWorld t(1, params);
    t.in_recovery(0, Profile::Depression, 0.3f);
    t.w.persons.chime[kEmpowerment][0] = 0.2f;
    t.step(20);
    // E moves 5% of the way to the target a week: 0.5 - 0.3 x 0.95^20.
    CHECK(t.w.persons.chime[kEmpowerment][0] ==
          Approx(params.chime.empowerment_base - 0.3 * std::pow(0.95, 20)).epsilon(1e-4));
  }
}
