// Supported employment's rapid job search (ODD 7.4; Bond et al. 2008): the IPS boost to
// job finding is largest in the first weeks after enrolment and fades afterwards, and
// a new job is likelier to be lost by a person in recovery (events.job_loss_recovery_*).
#include <catch2/catch.hpp>

#include "model/interventions.hpp"
#include "support/tiny_world.hpp"

using namespace ripple::model;
using ripple::testing::count_events;
using ripple::testing::quiet_params;
using ripple::testing::TinyWorld;

namespace {

// Jobs found per person-week of searching, in the first 8 weeks after enrolment in IPS
// and in weeks 24-31 after it.
struct Hazards {
  double early = 0, late = 0;
};

Hazards ips_job_finding(double boost) {
  // 1,500 persons, all well and unemployed, and one employment specialist who gives each
  // of them the full dose (full effect at 0.01 contacts a week). They want work only from
  // week 20, when they are enrolled in IPS through the service system, so the boost must
  // count from the week of enrolment, not from the start of the run.
  constexpr PersonId kClients = 1500;
  auto params = quiet_params();
  params.arenas.job_find_per_year = 0.2;
  params.services.ips.enabled = true;
  params.services.ips.caseload_cap = 5000;
  params.services.ips.full_effect_contacts = 0.01;
  params.services.ips.job_find_factor = 4.0;
  params.services.ips.rapid_search_boost = boost;
  params.services.ips.rapid_search_half_life_weeks = 6.0;
  TinyWorld t(kClients + 1, params);
  t.add_arena(ArenaKind::Workplace, 0.5f);
  t.hire(kClients, ServiceKind::Ips);
  t.step(20);
  std::vector<EventRecord> log;
  for (PersonId i = 0; i < kClients; ++i) {
    t.w.persons.traits[i] |= kWishToWork;
    PersonAction enrol;
    enrol.kind = PersonAction::Kind::Enrol;
    enrol.person = i;
    enrol.service = ServiceKind::Ips;
    REQUIRE(apply_person_action(t.w, enrol, log).empty());
    REQUIRE(t.w.persons.ips_start_week[i] == 20);
  }
  Hazards h;
  double searching_early = 0, searching_late = 0;
  for (int week = 0; week < 32; ++week) {
    int searching = 0;
    for (PersonId i = 0; i < kClients; ++i)
      searching += t.w.persons.work[i] == static_cast<std::uint8_t>(Work::Unemployed) ? 1 : 0;
    const std::size_t before = t.events.size();
    t.step();
    int found = 0;
    for (std::size_t e = before; e < t.events.size(); ++e)
      found += t.events[e].kind == EventKind::JobFound ? 1 : 0;
    if (week < 8) {
      searching_early += searching;
      h.early += found;
    } else if (week >= 24) {
      searching_late += searching;
      h.late += found;
    }
  }
  h.early /= searching_early;
  h.late /= searching_late;
  return h;
}

}  // namespace

TEST_CASE("rapid job search makes IPS job finding likeliest in the first weeks after enrolment",
          "[model][belonging][ips]") {
  // Weekly hazard without IPS: 1 - 0.8^(1/52) = 0.0043; IPS multiplies it by
  // job_find_factor 4. A boost of 3 halving every 6 weeks triples that on average
  // over weeks 0-7 (1 + 3 x 0.69) but adds only 13% over weeks 24-31 (1 + 3 x 0.044).
  const Hazards none = ips_job_finding(0.0), rapid = ips_job_finding(3.0);
  INFO("no boost: early " << none.early << ", late " << none.late << "; boost 3: early "
                          << rapid.early << ", late " << rapid.late);
  // Without the boost the hazard is the same early and late.
  CHECK(none.early == Approx(none.late).epsilon(0.25));
  CHECK(none.early == Approx(0.0043 * 4.0).epsilon(0.15));
  // With it, the first weeks find jobs about three times as fast, later weeks hardly faster.
  CHECK(rapid.early > 2.5 * none.early);
  CHECK(rapid.early > 2.0 * rapid.late);
  CHECK(rapid.late < 1.4 * none.late);
}

TEST_CASE("persons in recovery lose new jobs more often by events.job_loss_recovery_factor",
          "[model][life_events][ips]") {
  // 600 employed persons in a workplace of average climate: 200 in recovery in a new job,
  // 200 in recovery who have held theirs for two years, and 200 others in a new job (all
  // well, no symptoms). Job loss is 0.3 a year, 5 times that in the first 26 weeks of a
  // job in recovery. Over 26 weeks the chance of losing the job is 1 - 0.7^(26/52) = 16%,
  // and 1 - (1 - 5 h)^26 = 60% in the new jobs in recovery, with h = 1 - 0.7^(1/52).
  auto params = quiet_params();
  params.events.job_loss_per_year = 0.3;
  params.events.job_loss_recovery_factor = 5.0;
  params.events.job_loss_recovery_weeks = 26;
  params.events.event_shock = 0.0;
  constexpr PersonId kPersons = 600;
  TinyWorld t(kPersons, params);
  const ArenaId work = t.add_arena(ArenaKind::Workplace, 0.5f);
  for (PersonId i = 0; i < kPersons; ++i) {
    t.employ(i, work, 0.75f);
    if (i % 3 != 2) t.in_recovery(i, Profile::Depression, 0.0f);
    if (i % 3 == 1) t.w.persons.tenure_weeks[i] = 104;
  }
  t.step(26);
  int lost[3] = {0, 0, 0};
  for (PersonId i = 0; i < kPersons; ++i)
    lost[i % 3] += count_events(t.events, EventKind::JobLoss, i);
  INFO("lost of 200: new jobs in recovery " << lost[0] << ", old jobs in recovery " << lost[1]
                                            << ", others " << lost[2]);
  CHECK(lost[0] == Approx(200 * 0.595).margin(20));
  CHECK(lost[1] == Approx(200 * 0.163).margin(15));
  CHECK(lost[2] == Approx(200 * 0.163).margin(15));
}
