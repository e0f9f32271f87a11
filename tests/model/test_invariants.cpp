// Invariants of a generated world, checked after every week of a run with every
// service switched on and raised event rates: values stay in range, ties stay
// symmetric, capacity is never exceeded, links stay consistent, people are conserved.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "api/state.hpp"
#include "ripple/ripple.hpp"

using namespace ripple::model;

namespace {

constexpr const char* kScenario = R"(
[run]
weeks = 52
burn_in_weeks = 8
seed = 11

[population]
persons = 3000
depression_prevalence = 0.15

[events]
death_per_year = 0.05
breakup_per_year = 0.3
family_conflict_per_year = 2.0
family_devaluation_per_year = 0.5
exclusion_per_year = 2.0
job_loss_per_year = 0.3

[family]
style_drift_per_year = 0.9
style_recover_per_year = 0.5
consent_withdraw_per_year = 0.5

[services.cmhc]
caseload_cap = 8
turnover_per_year = 0.6
[services.outreach]
enabled = true
caseload_cap = 4
[services.inpatient]
beds_per_10k = 10.0
[services.ips]
enabled = true
caseload_cap = 5
[services.psychoeducation]
enabled = true
places_per_10k = 20.0
programme_weeks = 8
[services.peer_support]
enabled = true
[services.coordinator]
enabled = true
caseload_cap = 6

[output]
level = "none"
)";

// Collects every broken invariant of the world as a line of text (at most a few of each
// kind), so one failing week shows what went wrong where.
class Checker {
 public:
  explicit Checker(const World& w) : w_(w) {}

  std::vector<std::string> problems;

  void fail(const std::string& what) {
    if (problems.size() < 20) problems.push_back(fmt::format("week {}: {}", w_.week, what));
  }

  void unit(const char* name, PersonId i, float x) {
    if (!(x >= 0.0f && x <= 1.0f)) fail(fmt::format("{}[{}] = {} outside [0, 1]", name, i, x));
  }

  void values() {
    const Persons& p = w_.persons;
    const float max_stress = static_cast<float>(w_.params.stress.max);
    static constexpr const char* kChime[] = {"connectedness", "hope", "identity", "meaning",
                                             "empowerment"};
    for (PersonId i = 0; i < p.n; ++i) {
      unit("symptoms", i, p.symptoms[i]);
      unit("symptoms_trend", i, p.symptoms_trend[i]);
      for (int k = 0; k < 5; ++k) unit(kChime[k], i, p.chime[k][i]);
      unit("recovery", i, p.recovery[i]);
      unit("coping", i, p.coping[i]);
      unit("debt", i, p.debt[i]);
      unit("housing", i, p.housing[i]);
      unit("adherence", i, p.adherence[i]);
      unit("burden", i, p.burden[i]);
      unit("alliance", i, p.alliance[i]);
      unit("work_standing", i, p.work_standing[i]);
      unit("vulnerability", i, p.vulnerability[i]);
      for (int k = 0; k < kArenaSlots; ++k) {
        const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
        unit("arena_standing", i, p.arena_standing[slot]);
        if (p.arena_slot[slot] != kNoArena && p.arena_slot[slot] >= w_.arenas.kind.size())
          fail(fmt::format("arena_slot of {} = {} is no arena", i, p.arena_slot[slot]));
      }
      if (!(p.stress[i] >= 0.0f && p.stress[i] <= max_stress))
        fail(fmt::format("stress[{}] = {} outside [0, {}]", i, p.stress[i], max_stress));
      for (float x : {p.received[i], p.pending_shock[i], p.contacts[i]})
        if (!(x >= 0.0f) || !std::isfinite(x)) fail(fmt::format("a flow of {} is {}", i, x));
      if (p.episode[i] >= static_cast<std::uint8_t>(Episode::Count) ||
          p.work[i] >= static_cast<std::uint8_t>(Work::Count) ||
          p.style[i] >= static_cast<std::uint8_t>(CaringStyle::Count) ||
          p.medication[i] >= static_cast<std::uint8_t>(Medication::Count))
        fail(fmt::format("a state code of {} is out of range", i));
      if (p.work[i] == static_cast<std::uint8_t>(Work::Employed) && p.workplace[i] == kNoArena)
        fail(fmt::format("{} is employed without a workplace", i));
    }
  }

  void ties() {
    const Ties& t = w_.ties;
    const std::size_t n = w_.persons.n;
    if (t.offsets.size() != n + 1 || t.offsets[0] != 0 || t.offsets[n] != t.other.size())
      fail("CSR offsets do not span the edge arrays");
    for (std::size_t i = 0; i < n; ++i)
      if (t.offsets[i + 1] < t.offsets[i]) fail(fmt::format("offsets decrease at {}", i));
    for (const auto* size : {&t.relation, &t.kind, &t.conflict_weeks})
      if (size->size() != t.other.size()) fail("tie arrays differ in length");
    if (t.strength.size() != t.other.size()) fail("tie strength array differs in length");
    const auto removed = static_cast<std::uint8_t>(TieKind::Removed);
    for (PersonId i = 0; i < n; ++i) {
      bool family_over = false;  // family ties come first in every row
      for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
        const bool family = is_family(static_cast<Relation>(t.relation[e]));
        if (family && family_over) fail(fmt::format("row {} has a family tie after others", i));
        family_over |= !family;
        const PersonId j = t.other[e];
        if (j >= n || j == i) {
          fail(fmt::format("tie {} -> {} points nowhere", i, j));
          continue;
        }
        if (!(t.strength[e] >= 0.0f && t.strength[e] <= 1.0f))
          fail(fmt::format("tie {} -> {} has strength {}", i, j, t.strength[e]));
        const std::uint32_t back = find_edge(t, j, i);
        if (back == UINT32_MAX) {
          fail(fmt::format("tie {} -> {} has no tie back", i, j));
          continue;
        }
        if ((t.kind[e] == removed) != (t.kind[back] == removed))
          fail(fmt::format("tie {} -> {} is removed on one side only ({} / {})", i, j, t.kind[e],
                           t.kind[back]));
        // A removed tie keeps whatever strength each side last saw.
        if (t.relation[e] != t.relation[back] ||
            (t.kind[e] != removed && t.strength[e] != t.strength[back]))
          fail(fmt::format("tie {} -> {} differs from its tie back", i, j));
        if (t.kind[e] != removed && !(w_.persons.alive[i] && w_.persons.alive[j]))
          fail(fmt::format("live tie {} -> {} with a dead person", i, j));
        // The stress pass walks friends and co-workers on a short path that assumes
        // they are never in conflict (so keep their base strength) and never the carer.
        if (!family && (t.conflict_weeks[e] != 0 || t.strength[e] != t.base_strength[e]))
          fail(fmt::format("non-family tie {} -> {} is in conflict or weakened", i, j));
        if (!family && w_.persons.carer[i] == j)
          fail(fmt::format("{}'s carer {} is not family", i, j));
      }
    }
  }

  void services() {
    const Persons& p = w_.persons;
    const Staff& s = w_.staff;
    for (std::size_t k = 0; k < s.person.size(); ++k) {
      const auto kind = static_cast<ServiceKind>(s.service[k]);
      const std::int64_t cap = staffing(w_.params, kind).caseload_cap;
      if (static_cast<std::int64_t>(s.caseload[k]) > cap)
        fail(fmt::format("worker {} of {} holds {} clients, cap {}", s.person[k],
                         kServiceNames[s.service[k]], s.caseload[k], cap));
    }
    // Each worker's caseload is the number of persons enrolled with them.
    std::vector<std::uint32_t> counted(s.person.size(), 0);
    std::int64_t admitted = 0;
    for (PersonId i = 0; i < p.n; ++i) {
      for (std::size_t k = 0; k < static_cast<std::size_t>(ServiceKind::Count); ++k) {
        const auto kind = static_cast<ServiceKind>(k);
        if (kind == ServiceKind::GP || kind == ServiceKind::Inpatient ||
            kind == ServiceKind::Psychoeducation)
          continue;
        if (!(p.enrolled[i] & service_bit(kind))) continue;
        const PersonId worker = worker_of(p, kind, i);
        if (worker == kNoPerson) {
          fail(fmt::format("{} is enrolled in {} without a worker", i, kServiceNames[k]));
          continue;
        }
        const std::uint32_t index = s.index_of[worker];
        if (index == UINT32_MAX || s.service[index] != k) {
          fail(fmt::format("{}'s {} worker {} is not staff of it", i, kServiceNames[k], worker));
          continue;
        }
        ++counted[index];
      }
      if (popcount16(p.enrolled[i] & kMainServices) > 1)
        fail(fmt::format("{} is in more than one main service", i));
      // A person who dies on the ward keeps the episode code Admitted (see the
      //  test in test_service_system.cpp); the bed itself is released.
      if (p.alive[i] && p.episode[i] == static_cast<std::uint8_t>(Episode::Admitted)) ++admitted;
      if (!p.alive[i] && (p.enrolled[i] || p.waiting[i]))
        fail(fmt::format("dead person {} is still enrolled or waiting", i));
    }
    for (std::size_t k = 0; k < s.person.size(); ++k)
      if (counted[k] != s.caseload[k])
        fail(fmt::format("worker {} has caseload {} but {} clients", s.person[k], s.caseload[k],
                         counted[k]));
    const ServiceState& sv = w_.services;
    if (sv.beds_used > sv.beds) fail(fmt::format("{} beds used of {}", sv.beds_used, sv.beds));
    if (sv.beds_used != admitted)
      fail(fmt::format("{} beds used but {} persons admitted", sv.beds_used, admitted));
    if (sv.psychoeducation_used < 0 || sv.psychoeducation_used > sv.psychoeducation_places)
      fail(fmt::format("{} programme places used of {}", sv.psychoeducation_used,
                       sv.psychoeducation_places));
  }

  void carers() {
    const Persons& p = w_.persons;
    for (PersonId i = 0; i < p.n; ++i) {
      const PersonId j = p.carer[i];
      if (j != kNoPerson && (j >= p.n || p.cares_for[j] != i))
        fail(fmt::format("carer[{}] = {} but cares_for[{}] = {}", i, j, j,
                         j < p.n ? static_cast<std::int64_t>(p.cares_for[j]) : -1));
      const PersonId k = p.cares_for[i];
      if (k != kNoPerson && (k >= p.n || p.carer[k] != i))
        fail(fmt::format("cares_for[{}] = {} but carer[{}] differs", i, k, k));
      if (k != kNoPerson) {
        if (!(p.role[i] & kCarer)) fail(fmt::format("{} cares without the carer role", i));
        if (p.style[i] == static_cast<std::uint8_t>(CaringStyle::NotCarer))
          fail(fmt::format("{} cares without a caring style", i));
      }
      if (!p.alive[i] && (j != kNoPerson || k != kNoPerson))
        fail(fmt::format("dead person {} still has a caring link", i));
    }
  }

 private:
  const World& w_;
};

}  // namespace

TEST_CASE("a generated world keeps its invariants every week", "[model][invariants]") {
  const auto scenario = ripple::scenario::parse_scenario(kScenario, "invariants.toml");
  ripple::Simulation sim(scenario, 2);
  const World& w = sim.state().world;
  const std::size_t n = w.persons.n;
  REQUIRE(n == 3000);
  std::size_t alive_before = 0;
  for (PersonId i = 0; i < n; ++i) alive_before += w.persons.alive[i];
  const auto& names = ripple::summary_variables();
  std::size_t deaths = 0, admitted_weeks = 0, style_changes_seen = 0;
  for (int week = 1; week <= 52; ++week) {
    sim.step();
    Checker check(w);
    check.values();
    check.ties();
    check.services();
    check.carers();
    INFO(fmt::format("{}", fmt::join(check.problems, "\n")));
    REQUIRE(check.problems.empty());

    REQUIRE(w.persons.n == n);
    std::size_t alive = 0;
    for (PersonId i = 0; i < n; ++i) alive += w.persons.alive[i];
    REQUIRE(alive <= alive_before);
    deaths += alive_before - alive;
    alive_before = alive;
    admitted_weeks += static_cast<std::size_t>(w.services.beds_used);

    const std::vector<double> summary = sim.summary();
    REQUIRE(summary.size() == names.size());
    for (std::size_t v = 0; v < summary.size(); ++v) {
      INFO(names[v].name);
      REQUIRE(std::isfinite(summary[v]));
      REQUIRE(summary[v] >= 0.0);
      if (names[v].unit == "0-1" || names[v].unit == "share") REQUIRE(summary[v] <= 1.0);
    }
    style_changes_seen += summary[18] + summary[19] > 0.0;
  }
  // The run exercised what the invariants guard: deaths, admissions, changed styles.
  CHECK(deaths > 20);
  CHECK(admitted_weeks > 0);
  CHECK(style_changes_seen > 0);
}

// Staff, peer workers included, are outside the mortality model (a worker who leaves
// is turnover), so no client is ever left with a dead worker.
TEST_CASE("no client is served by a worker who has died", "[model][invariants]") {
  constexpr const char* kPeerScenario = R"(
[run]
weeks = 52
burn_in_weeks = 0
seed = 3
[population]
persons = 3000
[events]
death_per_year = 0.2
[services.peer_support]
enabled = true
staff_per_10k = 30.0
[output]
level = "none"
)";
  ripple::Simulation sim(ripple::scenario::parse_scenario(kPeerScenario, "peer.toml"), 2);
  const World& w = sim.state().world;
  for (int week = 0; week < 52; ++week) sim.step();
  std::size_t dead_staff = 0, served_by_dead = 0, dead_with_caseload = 0, deaths = 0;
  for (PersonId i = 0; i < w.persons.n; ++i) deaths += w.persons.alive[i] ? 0 : 1;
  for (std::size_t s = 0; s < w.staff.person.size(); ++s) {
    if (w.persons.alive[w.staff.person[s]]) continue;
    ++dead_staff;
    dead_with_caseload += w.staff.caseload[s] > 0;
  }
  for (PersonId i = 0; i < w.persons.n; ++i) {
    if (!w.persons.alive[i]) continue;
    for (const ServiceKind k : {ServiceKind::Cmhc, ServiceKind::PeerSupport, ServiceKind::Ips,
                                ServiceKind::Coordinator, ServiceKind::Outreach})
      if ((w.persons.enrolled[i] & service_bit(k)) && !w.persons.alive[worker_of(w.persons, k, i)])
        ++served_by_dead;
  }
  INFO(dead_staff << " workers died; " << dead_with_caseload << " of them still hold clients; "
                  << served_by_dead << " persons are enrolled with a dead worker");
  REQUIRE(deaths > 100);  // the run tests something: a fifth of the town dies in a year
  CHECK(dead_staff == 0);
  CHECK(served_by_dead == 0);
  CHECK(dead_with_caseload == 0);
}
