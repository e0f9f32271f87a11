// Actions for one person or family (a trial arm, a live what-if): places in services
// and in the family programme, and changes to one tie (ODD 7.11).
#include <catch2/catch.hpp>

#include "model/interventions.hpp"
#include "ripple/ripple.hpp"
#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

PersonAction enrol(PersonId i, ServiceKind k, bool beyond = false) {
  PersonAction a;
  a.kind = PersonAction::Kind::Enrol;
  a.person = i;
  a.service = k;
  a.beyond_capacity = beyond;
  return a;
}

}  // namespace

TEST_CASE("a place in a service goes to a worker with room, else first in the queue",
          "[model][actions]") {
  // One IPS worker with a cap of 1 client; persons 0 and 1 are given places.
  auto params = quiet_params();
  params.services.ips.enabled = true;
  params.services.ips.caseload_cap = 1;
  TinyWorld t(4, params);
  t.hire(3, ServiceKind::Ips);
  std::vector<EventRecord> events;
  CHECK(apply_person_action(t.w, enrol(0, ServiceKind::Ips), events).empty());
  CHECK(t.w.persons.ips_worker[0] == 3);
  CHECK(t.w.staff.caseload[0] == 1);
  // Full: person 1 goes to the front of the waiting list.
  t.w.services.waiting_list[static_cast<std::size_t>(ServiceKind::Ips)] = {2};
  const std::string full = apply_person_action(t.w, enrol(1, ServiceKind::Ips), events);
  CHECK(full.find("waiting list") != std::string::npos);
  CHECK(t.w.persons.ips_worker[1] == kNoPerson);
  CHECK(t.w.services.waiting_list[static_cast<std::size_t>(ServiceKind::Ips)].front() == 1);
  // Beyond capacity: an extra place with the least-loaded worker.
  CHECK(apply_person_action(t.w, enrol(2, ServiceKind::Ips, true), events).empty());
  CHECK(t.w.persons.ips_worker[2] == 3);
  CHECK(t.w.staff.caseload[0] == 2);
  // Again: already in it.
  CHECK_FALSE(apply_person_action(t.w, enrol(0, ServiceKind::Ips), events).empty());
  // Only what was done is logged.
  int logged = 0;
  for (const EventRecord& e : events) logged += e.kind == EventKind::Intervention;
  CHECK(logged == 2);
}

TEST_CASE("a place in another main service moves the person out of the first", "[model][actions]") {
  auto params = quiet_params();
  params.services.cmhc.enabled = params.services.open_dialogue.enabled = true;
  TinyWorld t(3, params);
  t.hire(1, ServiceKind::Cmhc);
  t.hire(2, ServiceKind::OpenDialogue);
  t.in_recovery(0, Profile::Psychosis, 0.5f);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.6f);
  std::vector<EventRecord> events;
  CHECK(apply_person_action(t.w, enrol(0, ServiceKind::OpenDialogue), events).empty());
  CHECK(t.w.persons.enrolled[0] == service_bit(ServiceKind::OpenDialogue));
  CHECK(t.w.persons.main_worker[0] == 2);
  CHECK(t.w.staff.caseload[t.w.staff.index_of[1]] == 0);
  CHECK(t.w.persons.alliance[0] == Approx(params.helping.alliance_start));
}

TEST_CASE("a full main service keeps a client of another in the care they have",
          "[model][actions]") {
  // Person 0 is in the CMHC; Open Dialogue's one worker is full. The waiting list would
  // drop a client of another main service, so 0 is not queued and stays in the CMHC,
  // and the answer says why (it once said "first on the waiting list" and the place was
  // lost a week later).
  auto params = quiet_params();
  params.services.cmhc.enabled = params.services.open_dialogue.enabled = true;
  params.services.open_dialogue.caseload_cap = 1;
  TinyWorld t(5, params);
  t.hire(1, ServiceKind::Cmhc);
  t.hire(2, ServiceKind::OpenDialogue);
  t.in_recovery(0, Profile::Psychosis, 0.5f);
  t.in_recovery(3, Profile::Psychosis, 0.5f);
  t.enrol(0, ServiceKind::Cmhc, 1, 0.6f);
  t.enrol(3, ServiceKind::OpenDialogue, 2, 0.6f);
  std::vector<EventRecord> events;
  const std::string why = apply_person_action(t.w, enrol(0, ServiceKind::OpenDialogue), events);
  CHECK(why.find("every worker is full") != std::string::npos);
  CHECK(why.find("cmhc") != std::string::npos);
  CHECK(t.w.persons.enrolled[0] == service_bit(ServiceKind::Cmhc));
  CHECK(t.w.persons.waiting[0] == 0);
  CHECK(t.w.services.waiting_list[static_cast<std::size_t>(ServiceKind::OpenDialogue)].empty());
  t.step();
  CHECK(t.w.persons.enrolled[0] == service_bit(ServiceKind::Cmhc));
  // The one move the waiting list makes, from the CMHC to outreach, still queues.
  t.w.params.services.outreach.enabled = true;
  t.w.params.services.outreach.caseload_cap = 1;
  t.hire(4, ServiceKind::Outreach);
  t.enrol(3, ServiceKind::Outreach, 4, 0.6f);
  const std::string queued = apply_person_action(t.w, enrol(0, ServiceKind::Outreach), events);
  CHECK(queued.find("waiting list") != std::string::npos);
  CHECK(t.w.services.waiting_list[static_cast<std::size_t>(ServiceKind::Outreach)].front() == 0);
}

TEST_CASE("psychoeducation offered to a family goes to the person's carer", "[model][actions]") {
  TinyWorld t(3);
  t.in_recovery(0, Profile::Psychosis, 0.5f);
  t.tie(0, 1, Relation::Partner, 0.8f);
  t.make_carer(1, 0, CaringStyle::Watchdog, 0.8f);
  std::vector<EventRecord> events;
  PersonAction a;
  a.kind = PersonAction::Kind::Psychoeducation;
  a.person = 2;  // no carer
  CHECK(apply_person_action(t.w, a, events) == "has no carer to offer the programme to");
  a.person = 0;
  CHECK(apply_person_action(t.w, a, events).empty());
  CHECK(t.w.persons.psychoeducation_weeks[1] == 1);
  CHECK(t.w.services.psychoeducation_used == 1);
  // The programme runs its course and the place is handed back at its end.
  t.w.params.services.psychoeducation.enabled = true;
  t.step(static_cast<int>(t.w.params.services.psychoeducation.programme_weeks));
  CHECK(t.w.services.psychoeducation_used == 0);
}

TEST_CASE("a stressor tie can be softened, made supportive or removed", "[model][actions]") {
  TinyWorld t(3);
  t.tie(0, 1, Relation::Partner, 0.8f, TieKind::Stressor);
  t.tie(0, 2, Relation::Friend, 0.6f);
  t.step();  // packs the ties
  std::vector<EventRecord> events;
  PersonAction a;
  a.person = 0;
  a.other = 1;
  a.kind = PersonAction::Kind::SoftenTie;
  a.amount = 0.25f;
  CHECK(apply_person_action(t.w, a, events).empty());
  const std::uint32_t e01 = t.edge(0, 1), e10 = t.edge(1, 0);
  CHECK(t.w.ties.strength[e01] == Approx(0.6f));
  CHECK(t.w.ties.strength[e10] == Approx(0.6f));
  CHECK(t.w.ties.base_strength[e01] == Approx(0.6f));  // it does not grow back
  a.kind = PersonAction::Kind::SupportiveTie;
  CHECK(apply_person_action(t.w, a, events).empty());
  CHECK(t.w.ties.kind[e01] == static_cast<std::uint8_t>(TieKind::Support));
  a.kind = PersonAction::Kind::RemoveTie;
  CHECK(apply_person_action(t.w, a, events).empty());
  CHECK(t.w.ties.kind[e01] == static_cast<std::uint8_t>(TieKind::Removed));
  CHECK(t.w.ties.kind[e10] == static_cast<std::uint8_t>(TieKind::Removed));
  CHECK(apply_person_action(t.w, a, events) == "has no tie to that person");
  // The friend tie is untouched.
  CHECK(t.w.ties.kind[t.edge(0, 2)] == static_cast<std::uint8_t>(TieKind::Support));
}

TEST_CASE("Simulation::act refuses persons and services that do not exist", "[model][actions]") {
  const auto scenario = ripple::scenario::parse_scenario(
      "[population]\npersons = 500\n[run]\nweeks = 2\nburn_in_weeks = 0\n", "tiny");
  ripple::Simulation sim(scenario, 1);
  ripple::PersonAction a;
  a.person = 500;
  a.service = "cmhc";
  CHECK_THROWS_AS(sim.act(a), ripple::InputError);
  a.person = 0;
  a.service = "ward";
  CHECK_THROWS_WITH(sim.act(a), Catch::Contains("service 'ward' cannot take a person"));
  a.kind = ripple::PersonAction::Kind::RemoveTie;
  a.other = 100000;
  CHECK_THROWS_AS(sim.act(a), ripple::InputError);
  // A person with no ties: a plain answer, not an error.
  a.kind = ripple::PersonAction::Kind::SoftenTie;
  a.other = 0;
  CHECK(sim.act(a) == "has no tie to that person");
}
