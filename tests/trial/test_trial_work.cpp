// The work outcomes of a trial (hours_20plus, weeks_worked, weeks_to_job; calibration
// target 7): their definitions on hand-built work histories, and on a small IPS trial
// their agreement with the job events and the hours of work in the person state.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "calibrate/calibrate.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "scenario/scenario.hpp"
#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple;
using namespace ripple::trial;
using ripple::testing::TempDir;

namespace {

WorkRecord history(const std::vector<int>& weekly_hours) {
  // -1: not in work that week; otherwise in work with these hours (0: sick leave).
  WorkRecord r;
  for (const int h : weekly_hours) r.add_week(h >= 0, h < 0 ? 0 : h);
  return r;
}

}  // namespace

TEST_CASE("hours_20plus is the mean over the weeks in work against 20 hours", "[trial_work]") {
  // Never in work: not counted.
  CHECK(std::isnan(hours_20plus(history({-1, -1, -1}))));
  // 37 hours for two weeks, then a week of sick leave: mean 74 / 3 = 24.7.
  CHECK(hours_20plus(history({-1, 37, 37, 0})) == 1.0);
  // Exactly 20 on average (16 and 24) counts; 19.5 (15 and 24) does not.
  CHECK(hours_20plus(history({16, 24, -1})) == 1.0);
  CHECK(hours_20plus(history({15, 24, -1})) == 0.0);
  // Weeks out of work do not lower the mean: 22 hours in the one week worked.
  CHECK(hours_20plus(history({-1, -1, -1, 22})) == 1.0);
}

TEST_CASE("weeks_worked counts weeks in work per 52 weeks of follow-up", "[trial_work]") {
  CHECK(std::isnan(weeks_worked(history({-1, -1}), 2)));
  // 3 weeks in work (one of them on sick leave) in 6 weeks: 26 a year.
  CHECK(weeks_worked(history({-1, 10, 0, 30, -1, -1}), 6) == Approx(26.0));
  // 39 of 78 weeks: half the time, 26 a year; all 78 weeks: 52 a year.
  std::vector<int> half(78, -1), all(78, 20);
  for (std::size_t w = 39; w < 78; ++w) half[w] = 25;
  CHECK(weeks_worked(history(half), 78) == Approx(26.0));
  CHECK(weeks_worked(history(all), 78) == Approx(52.0));
}

TEST_CASE("weeks_to_job is the event time and nothing when censored", "[trial_work]") {
  CHECK(weeks_to_event({12, true}) == 12.0);
  CHECK(std::isnan(weeks_to_event({78, false})));
}

TEST_CASE("a difference target is the arm's mean less the first arm's", "[trial_work]") {
  Result result;
  result.spec.outcomes = {"weeks_to_job"};
  result.spec.arms.resize(2);
  const auto person = [](int arm, double value) {
    Participant x;
    x.arm = arm;
    x.values.push_back(value);
    return x;
  };
  // Replication 1: reference 20 and 30 (mean 25), arm 10 (and one without a job).
  // Replication 2: reference 40, arm 12 and 20.
  Replication r1, r2;
  r1.participants = {person(0, 20), person(0, 30), person(1, 10), person(1, kNaN)};
  r2.participants = {person(0, 40), person(1, 12), person(1, 20)};
  result.replications = {r1, r2};
  calibration::Target t;
  t.statistic = calibration::Statistic::Difference;
  t.outcome = "weeks_to_job";
  t.arm = 1;
  // Pooled: arm (10 + 12 + 20) / 3 = 14, reference (20 + 30 + 40) / 3 = 30.
  const calibration::Measure m = calibration::measure(t, result);
  CHECK(m.value == Approx(14.0 - 30.0));
  // Per replication -15 and -24: t interval (df 1) around -19.5, sd / sqrt(2) = 4.5.
  CHECK(m.low == Approx(-19.5 - 12.7062047 * 4.5).epsilon(1e-6));
  CHECK(m.high == Approx(-19.5 + 12.7062047 * 4.5).epsilon(1e-6));
}

TEST_CASE("work outcomes of a small IPS trial agree with its job events", "[trial_work]") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 2000\n");
  const Spec spec = parse_trial(
      "[trial]\nscenario = \"base.toml\"\ndesign = \"randomised\"\nfollow_up_weeks = 40\n"
      "replications = 1\nseed = 3\n"
      "outcomes = [\"job\", \"employed\", \"hours_20plus\", \"weeks_worked\", "
      "\"weeks_to_job\"]\n"
      "[base]\n\"services.ips.enabled\" = true\n\"services.ips.staff_per_10k\" = 20.0\n"
      "\"services.ips.referral_by_services\" = false\n"
      "[eligibility]\nwork = [\"unemployed\"]\nwish_to_work = true\n"
      "[[arm]]\nname = \"usual\"\n[[arm]]\nname = \"IPS\"\ngive = [\"ips\"]\n",
      "t.toml", {}, dir.path());
  const Replication rep = run_replication(spec, 21);
  REQUIRE(rep.participants.size() > 20);
  int workers = 0, at_20 = 0, employed_at_end = 0;
  for (const Participant& x : rep.participants) {
    REQUIRE(x.events.size() == 1);
    REQUIRE(x.values.size() == 4);
    const Observation& job = x.events[0];
    const double employed = x.values[0], twenty = x.values[1], weeks = x.values[2],
                 to_job = x.values[3];
    // Everyone entered unemployed, so a participant worked in follow-up exactly when a
    // job was found, and the time to it is the job event's time.
    CHECK(std::isnan(weeks) == !job.event);
    CHECK(std::isnan(twenty) == !job.event);
    if (!job.event) {
      CHECK(std::isnan(to_job));
      CHECK(employed != 1.0);
      continue;
    }
    CHECK(to_job == job.time);
    // In work from the week the job was found at most, and at least that week.
    CHECK(weeks >= 52.0 / 40.0 - 1e-9);
    CHECK(weeks <= 52.0 * (40.0 - job.time + 1.0) / 40.0 + 1e-9);
    ++workers;
    at_20 += twenty == 1.0 ? 1 : 0;
    employed_at_end += employed == 1.0 ? 1 : 0;
  }
  // Jobs were found; their hours are neither all under 20 nor all 20 and over (part-time
  // and full-time jobs both occur).
  REQUIRE(workers > 5);
  CHECK(at_20 > 0);
  CHECK(at_20 < workers);
  CHECK(employed_at_end > 0);
}

namespace {

// Every person of a 2,000-person town after burn-in and `weeks` simulated weeks.
std::vector<query::PersonState> everyone(const std::vector<std::string>& overrides, int weeks) {
  std::vector<std::string> all = {"population.persons=2000", "run.burn_in_weeks=8"};
  all.insert(all.end(), overrides.begin(), overrides.end());
  const scenario::Scenario s =
      scenario::load_scenario(std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml", all);
  Simulation sim(s, 1);
  for (int w = 0; w < weeks; ++w) sim.step();
  query::LiveSource live(sim);
  std::vector<query::PersonState> out;
  for (std::uint32_t id = 0;; ++id) {
    const auto p = live.person(id);
    if (!p) break;
    if (p->alive) out.push_back(*p);
  }
  return out;
}

constexpr int kEmployed = 0, kAcute = 2;  // query::Names work and episode codes

}  // namespace

TEST_CASE("hours of work follow the job and the episode", "[trial_work]") {
  // Full-time jobs only and no loss for symptoms: 37 hours, none on sick leave.
  const auto full = everyone({"arenas.part_time_share=0", "arenas.symptom_hours_effect=0"}, 10);
  int employed = 0;
  for (const query::PersonState& p : full) {
    if (p.work != kEmployed) {
      CHECK(p.hours == 0);
      CHECK(p.job_hours == 0);
      continue;
    }
    ++employed;
    CHECK(p.job_hours == 37);
    CHECK(p.hours == (p.episode >= kAcute ? 0 : 37));
  }
  CHECK(employed > 300);

  // Part-time jobs only, never rising: hours uniform from 8 to 24 (half to one and a half
  // times 16), every value reached among some thousand workers.
  const auto part = everyone({"arenas.part_time_share=1", "arenas.hours_rise=0"}, 10);
  int low = 99, high = 0;
  for (const query::PersonState& p : part)
    if (p.work == kEmployed) {
      low = std::min(low, p.job_hours);
      high = std::max(high, p.job_hours);
      CHECK(p.hours <= p.job_hours);
    }
  CHECK(low == 8);
  CHECK(high == 24);

  // Part-time at first: with a rise of 4 hours every 2 weeks, 20 weeks lift every
  // part-time job held throughout to full time.
  const auto rising = everyone({"arenas.part_time_share=1", "arenas.hours_rise_weeks=2"}, 20);
  int lifted = 0, workers = 0;
  for (const query::PersonState& p : rising)
    if (p.work == kEmployed) {
      ++workers;
      lifted += p.job_hours == 37 ? 1 : 0;
    }
  CHECK(lifted * 2 > workers);

  // Symptoms lower the hours worked, never raise them.
  const auto usual = everyone({}, 10);
  int fewer = 0;
  for (const query::PersonState& p : usual)
    if (p.work == kEmployed) {
      CHECK(p.hours <= p.job_hours);
      fewer += p.hours < p.job_hours && p.episode < kAcute ? 1 : 0;
    }
  CHECK(fewer > 0);
}
