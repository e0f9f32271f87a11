// Process 8, the service system (ODD 7.8): beds, caseloads and waiting lists,
// fragmentation and the coordinator who removes most of it.
#include <catch2/catch.hpp>

#include "model/interventions.hpp"
#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

constexpr auto kAdmitted = static_cast<std::uint8_t>(Episode::Admitted);

// Persons 0 and 1 in severe acute episodes (symptoms 0.9 and 0.85, above
// symptoms.admission_threshold 0.8), no carer and no outreach team to hold them at
// home; the ward exists and has `beds` beds.
std::unique_ptr<TinyWorld> two_in_crisis(std::int64_t beds) {
  auto params = quiet_params();
  params.services.inpatient.enabled = true;
  params.symptoms.acute_adapt_rate = 0.0;  // only ward treatment lowers symptoms
  auto t = std::make_unique<TinyWorld>(3, params);
  t->in_recovery(0, Profile::Psychosis, 0.8f);
  t->in_recovery(1, Profile::Bipolar, 0.8f);
  t->set_symptoms(0, 0.9f, Episode::Acute);
  t->set_symptoms(1, 0.85f, Episode::Acute);
  t->w.services.beds = beds;
  return t;
}

int admitted_count(const TinyWorld& t) {
  int n = 0;
  for (PersonId i = 0; i < t.w.persons.n; ++i) n += t.w.persons.episode[i] == kAdmitted;
  return n;
}

}  // namespace

TEST_CASE("with one free bed exactly one of two persons in crisis is admitted, the more severe",
          "[model][services]") {
  auto t = two_in_crisis(1);
  t->step();
  CHECK(t->w.persons.episode[0] == kAdmitted);
  CHECK(t->w.persons.episode[1] == static_cast<std::uint8_t>(Episode::Acute));
  CHECK(t->w.services.beds_used == 1);
  CHECK(t->last.admissions == 1);
  CHECK(count_events(t->events, EventKind::Admission, 0) == 1);
  // Week by week the bed is never shared: person 1 waits until person 0 is discharged
  // (symptoms fall 15% a week on the ward, below 0.5 in week 5).
  int first_admission_of_1 = -1;
  for (int week = 2; week <= 20; ++week) {
    t->step();
    REQUIRE(t->w.services.beds_used <= 1);
    REQUIRE(admitted_count(*t) == t->w.services.beds_used);
    if (first_admission_of_1 < 0 && t->w.persons.episode[1] == kAdmitted)
      first_admission_of_1 = week;
  }
  CHECK(count_events(t->events, EventKind::Discharge, 0) >= 1);
  CHECK(first_admission_of_1 == 5);
}

TEST_CASE("with no beds nobody is admitted", "[model][services]") {
  auto t = two_in_crisis(0);
  for (int week = 0; week < 10; ++week) {
    t->step();
    REQUIRE(admitted_count(*t) == 0);
    REQUIRE(t->last.admissions == 0);
  }
  CHECK(t->w.services.beds_used == 0);
  CHECK(count_events(t->events, EventKind::Admission, 0) == 0);
  CHECK(count_events(t->events, EventKind::Admission, 1) == 0);
}

TEST_CASE("more beds than persons in crisis admit everyone who needs one, and nobody else",
          "[model][services]") {
  auto t = two_in_crisis(5);
  t->set_symptoms(2, 0.7f, Episode::Acute);  // acute but below the admission threshold
  t->step();
  CHECK(t->w.persons.episode[0] == kAdmitted);
  CHECK(t->w.persons.episode[1] == kAdmitted);
  CHECK(t->w.persons.episode[2] == static_cast<std::uint8_t>(Episode::Acute));
  CHECK(t->w.services.beds_used == 2);
}

TEST_CASE("a coordinator removes most of the stress of navigating several services",
          "[model][services]") {
  // Person 0 is a client of a CMHC therapist (1) and an IPS specialist (2): one service
  // beyond the first. In world `coordinated` a coordinator (3) takes 80% of that away.
  auto build = [](bool coordinator) {
    auto params = quiet_params();
    params.helping.discharge_after_weeks = 520;
    auto t = std::make_unique<TinyWorld>(4, params);
    t->in_recovery(0, Profile::Depression, 0.5f);
    t->hire(1, ServiceKind::Cmhc);
    t->hire(2, ServiceKind::Ips);
    t->hire(3, ServiceKind::Coordinator);
    t->enrol(0, ServiceKind::Cmhc, 1, 0.5f);
    t->enrol(0, ServiceKind::Ips, 2, 0.0f);
    if (coordinator) t->enrol(0, ServiceKind::Coordinator, 3, 0.0f);
    return t;
  };
  auto coordinated = build(true), fragmented = build(false);
  CHECK(fragmentation(coordinated->w, 0) == Approx(0.2f));
  CHECK(fragmentation(fragmented->w, 0) == Approx(1.0f));
  coordinated->step();
  fragmented->step();
  // Week 1: stress.bureaucracy_weight 0.05 per service alone, buffered by coping 0.5 only.
  CHECK(fragmented->w.persons.stress[0] == Approx(0.05f * 0.9f).epsilon(1e-4));
  CHECK(coordinated->w.persons.stress[0] == Approx(0.01f * 0.9f).epsilon(1e-4));
  coordinated->step(25);
  fragmented->step(25);
  CHECK(coordinated->w.persons.stress[0] < 0.5f * fragmented->w.persons.stress[0]);
}

TEST_CASE("a full caseload puts the next referral on the waiting list until a place frees",
          "[model][services]") {
  // One CMHC therapist with a caseload cap of 1. Person 0 is referred first, person 1
  // second. Person 0 is well and is discharged after helping.discharge_after_weeks = 3.
  auto params = quiet_params();
  params.services.cmhc.enabled = true;
  params.services.cmhc.caseload_cap = 1;
  params.helping.discharge_after_weeks = 3;
  TinyWorld t(3, params);
  t.hire(2, ServiceKind::Cmhc);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.in_recovery(1, Profile::Depression, 0.5f);
  t.set_symptoms(1, 0.4f, Episode::Struggling);  // stays in care: not well
  refer(t.w, 0, ServiceKind::Cmhc, t.events);
  refer(t.w, 1, ServiceKind::Cmhc, t.events);
  t.step();
  const auto cmhc = service_bit(ServiceKind::Cmhc);
  CHECK(t.w.persons.enrolled[0] & cmhc);
  CHECK_FALSE(t.w.persons.enrolled[1] & cmhc);
  CHECK(t.w.persons.waiting[1] & cmhc);
  CHECK(t.w.staff.caseload[0] == 1);
  int enrolled_week = -1;
  for (int week = 2; week <= 10 && enrolled_week < 0; ++week) {
    t.step();
    REQUIRE(t.w.staff.caseload[0] <= 1);
    if (t.w.persons.enrolled[1] & cmhc) enrolled_week = week;
  }
  // Person 0 is well from week 1: discharged in the pass of week 3, and the place goes
  // to person 1 in the same pass.
  CHECK(enrolled_week == 3);
  CHECK_FALSE(t.w.persons.enrolled[0] & cmhc);
  CHECK(t.w.persons.main_worker[1] == 2);
  CHECK(t.w.persons.alliance[1] == Approx(params.helping.alliance_start).margin(0.02));
  CHECK(count_events(t.events, EventKind::ServiceEnd, 0) == 1);
}

TEST_CASE("with no turnover a worker's post never changes hands", "[model][services]") {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  TinyWorld t(2, params);
  t.hire(1, ServiceKind::Cmhc);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.5f);
  t.step(104);
  CHECK(t.w.staff.generation[0] == 0);
  CHECK(count_events(t.events, EventKind::StaffTurnover, 0) == 0);
}

TEST_CASE("a turnover rate of one a year replaces a worker every week", "[model][services]") {
  auto params = quiet_params();
  params.helping.discharge_after_weeks = 520;
  params.services.cmhc.turnover_per_year = 1.0;
  TinyWorld t(2, params);
  t.hire(1, ServiceKind::Cmhc);
  t.in_recovery(0, Profile::Depression, 0.5f);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.5f);
  t.step(10);
  CHECK(t.w.staff.generation[0] == 10);
  // Noticed at each week's contact after the first: trust never builds.
  CHECK(count_events(t.events, EventKind::StaffTurnover, 0) == 9);
  CHECK(t.w.persons.alliance[0] < params.helping.alliance_start + 0.02);
}

// A person who dies on the ward frees the bed and is not left counted as admitted.
TEST_CASE("a person who dies on the ward frees the bed and is no longer counted as admitted",
          "[model][services]") {
  auto params = quiet_params();
  params.events.death_per_year = 1.0;  // weekly hazard 1: everyone not on staff dies in week 1
  params.services.inpatient.enabled = true;
  TinyWorld t(1, params);
  t.in_recovery(0, Profile::Psychosis, 0.8f);
  t.set_symptoms(0, 0.9f, Episode::Admitted);
  t.w.services.beds = 1;
  t.w.services.beds_used = 1;
  t.step();
  REQUIRE(t.w.persons.alive[0] == 0);
  CHECK(t.w.services.beds_used == 0);
  CHECK(t.w.persons.episode[0] != kAdmitted);
}

TEST_CASE("an Open Dialogue team holds a crisis at home that would otherwise need a bed",
          "[model][services]") {
  // Two persons in severe crisis with free beds: person 0 is with the Open Dialogue
  // network team (home_treatment 1: it always holds the episode at home), person 1 is
  // in no service that comes home.
  auto t = two_in_crisis(2);
  t->w.params.services.open_dialogue.enabled = true;
  t->w.params.services.open_dialogue.home_treatment = 1.0;
  t->w.params.helping.discharge_after_weeks = 520;
  t->hire(2, ServiceKind::OpenDialogue);
  t->enrol(0, ServiceKind::OpenDialogue, 2, 0.5f);
  t->step();
  CHECK(t->w.persons.episode[0] == static_cast<std::uint8_t>(Episode::Acute));
  CHECK(count_events(t->events, EventKind::HeldAtHome, 0) == 1);
  CHECK(t->w.persons.episode[1] == kAdmitted);
  CHECK(count_events(t->events, EventKind::HeldAtHome, 1) == 0);
  // With home treatment set to 0 the team's client needs the bed too.
  auto u = two_in_crisis(2);
  u->w.params.services.open_dialogue.enabled = true;
  u->w.params.services.open_dialogue.home_treatment = 0.0;
  u->w.params.helping.discharge_after_weeks = 520;
  u->hire(2, ServiceKind::OpenDialogue);
  u->enrol(0, ServiceKind::OpenDialogue, 2, 0.5f);
  u->step();
  CHECK(u->w.persons.episode[0] == kAdmitted);
}

namespace {

// Persons 0-3 in recovery and struggling, referred to the CMHC, whose two therapists
// (persons 4 and 5, hired in that order) take two each in the first week.
std::unique_ptr<TinyWorld> cmhc_of_two() {
  auto params = quiet_params();
  params.services.cmhc.enabled = true;
  params.services.cmhc.caseload_cap = 2;
  auto t = std::make_unique<TinyWorld>(6, params);
  t->hire(4, ServiceKind::Cmhc);
  t->hire(5, ServiceKind::Cmhc);
  for (PersonId i = 0; i < 4; ++i) {
    t->in_recovery(i, Profile::Depression, 0.5f);
    t->set_symptoms(i, 0.4f, Episode::Struggling);
    refer(t->w, i, ServiceKind::Cmhc, t->events);
  }
  t->step();
  return t;
}

ripple::scenario::Intervention set(const std::string& key, double value) {
  ripple::scenario::Intervention x;
  x.kind = ripple::scenario::Intervention::Kind::Set;
  x.key = key;
  x.value = value;
  return x;
}

}  // namespace

TEST_CASE("a staff cut in the timeline lets the last hired worker go, whose clients queue again",
          "[model][services]") {
  auto t = cmhc_of_two();
  const auto cmhc = service_bit(ServiceKind::Cmhc);
  const auto& p = t->w.persons;
  std::vector<PersonId> of_5;
  for (PersonId i = 0; i < 4; ++i) {
    REQUIRE(p.enrolled[i] & cmhc);
    if (p.main_worker[i] == 5) of_5.push_back(i);
  }
  REQUIRE(of_5.size() == 2);
  // Six persons want one therapist at any positive rate.
  apply_intervention(t->w, set("services.cmhc.staff_per_10k", 1.0), t->events);
  const auto& staff = t->w.staff.of_service[static_cast<std::size_t>(ServiceKind::Cmhc)];
  REQUIRE(staff.size() == 1);
  CHECK(t->w.staff.person[staff[0]] == 4);
  CHECK_FALSE(p.role[5] & kProfessional);
  for (const PersonId i : of_5) {
    CHECK_FALSE(p.enrolled[i] & cmhc);
    CHECK(p.waiting[i] & cmhc);
    CHECK(count_events(t->events, EventKind::ServiceEnd, i) == 1);
  }
  CHECK(t->w.staff.caseload[staff[0]] == 2);
  // The one therapist left is full: the two wait on.
  t->step(3);
  for (const PersonId i : of_5) CHECK(p.waiting[i] & cmhc);
}

TEST_CASE("switching a service off in the timeline ends its clients' care and its waiting list",
          "[model][services]") {
  auto t = cmhc_of_two();
  const auto cmhc = service_bit(ServiceKind::Cmhc);
  const auto& p = t->w.persons;
  // A cut first leaves two clients waiting; then the CMHC closes.
  apply_intervention(t->w, set("services.cmhc.staff_per_10k", 1.0), t->events);
  REQUIRE(t->w.services.waiting_list[static_cast<std::size_t>(ServiceKind::Cmhc)].size() == 2);
  apply_intervention(t->w, set("services.cmhc.enabled", 0.0), t->events);
  CHECK(t->w.staff.of_service[static_cast<std::size_t>(ServiceKind::Cmhc)].empty());
  for (PersonId i = 0; i < 4; ++i) {
    CHECK_FALSE(p.enrolled[i] & cmhc);
    CHECK_FALSE(p.waiting[i] & cmhc);
  }
  CHECK(t->w.services.waiting_list[static_cast<std::size_t>(ServiceKind::Cmhc)].empty());
  t->step(2);
  for (PersonId i = 0; i < 4; ++i) CHECK_FALSE(p.enrolled[i] & cmhc);
}

TEST_CASE("new clients go to the workers in turn, not all to the first with room",
          "[model][services]") {
  // Two CMHC therapists (4 and 5) with room for 30 each; four referrals in one week.
  // ODD 7.8 step 5: each new client goes to the next worker in round-robin order.
  auto params = quiet_params();
  params.services.cmhc.enabled = true;
  params.helping.discharge_after_weeks = 520;
  TinyWorld t(6, params);
  t.hire(4, ServiceKind::Cmhc);
  t.hire(5, ServiceKind::Cmhc);
  for (PersonId i = 0; i < 4; ++i) {
    t.in_recovery(i, Profile::Depression, 0.5f);
    t.set_symptoms(i, 0.4f, Episode::Struggling);
    refer(t.w, i, ServiceKind::Cmhc, t.events);
  }
  t.step();
  CHECK(t.w.persons.main_worker[0] == 4);
  CHECK(t.w.persons.main_worker[1] == 5);
  CHECK(t.w.persons.main_worker[2] == 4);
  CHECK(t.w.persons.main_worker[3] == 5);
  CHECK(t.w.staff.caseload[0] == 2);
  CHECK(t.w.staff.caseload[1] == 2);
}

TEST_CASE("a person admitted outside care is referred on to outpatient care", "[model][services]") {
  // Person 0 in a severe crisis, in no main service, takes the one bed. ODD 7.8 step 3:
  // referred to Open Dialogue if enabled, else outreach if enabled, else the CMHC. No
  // service has staff, so the referral waits where the test can see it.
  auto referred_to = [](bool open_dialogue, bool outreach) {
    auto t = two_in_crisis(1);
    t->w.params.services.cmhc.enabled = true;
    t->w.params.services.outreach.enabled = outreach;
    t->w.params.services.open_dialogue.enabled = open_dialogue;
    t->step();
    REQUIRE(t->w.persons.episode[0] == kAdmitted);
    CHECK(t->w.persons.waiting[1] == 0);  // not admitted: not referred by the ward
    return t->w.persons.waiting[0];
  };
  CHECK(referred_to(true, true) == service_bit(ServiceKind::OpenDialogue));
  CHECK(referred_to(false, true) == service_bit(ServiceKind::Outreach));
  CHECK(referred_to(false, false) == service_bit(ServiceKind::Cmhc));
}

TEST_CASE("a ward discharge frees the bed and starts the weeks since discharge again",
          "[model][services]") {
  // Person 0, admitted long ago and discharged from a ward long before that, is now well
  // enough to leave (symptoms below services.inpatient.discharge_symptoms).
  auto params = ripple::testing::frozen_symptoms();
  params.services.inpatient.enabled = true;
  TinyWorld t(1, params);
  t.in_recovery(0, Profile::Psychosis, 0.8f);
  t.set_symptoms(0, 0.1f, Episode::Admitted);
  t.w.persons.weeks_since_discharge[0] = 500;
  t.w.services.beds = 1;
  t.w.services.beds_used = 1;
  t.step();
  CHECK(t.w.services.beds_used == 0);
  CHECK(t.w.persons.episode[0] == static_cast<std::uint8_t>(Episode::Struggling));
  CHECK(t.w.persons.weeks_since_discharge[0] == 0);
  CHECK(count_events(t.events, EventKind::Discharge, 0) == 1);
  t.step(3);
  CHECK(t.w.persons.weeks_since_discharge[0] == 3);
}
