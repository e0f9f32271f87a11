// The trial statistics against small cases worked out by hand (the formulas in
// docs/TRIALS.md evaluated on paper / with a calculator).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple::trial;

TEST_CASE("risk ratio with the Katz interval") {
  // 10 of 100 against 20 of 100: RR 0.5, se(log) = sqrt(1/10 - 1/100 + 1/20 - 1/100).
  const Estimate rr = risk_ratio(10, 100, 20, 100);
  CHECK(rr.value == Approx(0.5));
  CHECK(rr.low == Approx(0.246641).epsilon(1e-5));
  CHECK(rr.high == Approx(1.013620).epsilon(1e-5));
}

TEST_CASE("odds ratio with the Woolf interval") {
  // Cells 10 90 / 20 80: OR = 800 / 1800.
  const Estimate o = odds_ratio(10, 100, 20, 100);
  CHECK(o.value == Approx(4.0 / 9.0));
  CHECK(o.low == Approx(0.196404).epsilon(1e-5));
  CHECK(o.high == Approx(1.005738).epsilon(1e-5));
}

TEST_CASE("a zero cell adds one half to every cell") {
  // 0 of 10 against 5 of 10 becomes 0.5 of 11 against 5.5 of 11.
  const Estimate rr = risk_ratio(0, 10, 5, 10);
  CHECK(rr.value == Approx(1.0 / 11.0));
  const double se = std::sqrt(1 / 0.5 - 1 / 11.0 + 1 / 5.5 - 1 / 11.0);
  CHECK(std::log(rr.high / rr.value) == Approx(1.959964 * se).epsilon(1e-5));
  const Estimate o = odds_ratio(0, 10, 5, 10);
  CHECK(o.value == Approx((0.5 * 5.5) / (10.5 * 5.5)));
  CHECK(std::isnan(risk_ratio(1, 0, 1, 10).value));
}

TEST_CASE("Wilson interval of a share") {
  const Estimate none = share(0, 10);
  CHECK(none.value == 0.0);
  CHECK(none.low == 0.0);
  CHECK(none.high == Approx(0.277533).epsilon(1e-5));  // z^2 / (n + z^2)
  const Estimate half = share(50, 100);
  CHECK(half.value == 0.5);
  CHECK(half.high - 0.5 == Approx(0.5 - half.low));  // symmetric at one half
  CHECK(std::isnan(share(0, 0).value));
}

TEST_CASE("ratios across replications use the t interval of the logs") {
  // Logs 0 and log 4: mean log 2, sd log(4)/sqrt(2), t(1) = 12.7062.
  const std::vector<double> ratios = {1.0, 4.0};
  const Estimate e = ratio_across(ratios);
  CHECK(e.value == Approx(2.0));
  CHECK(e.low == Approx(0.000299282).epsilon(1e-4));
  CHECK(e.high == Approx(13365.3).epsilon(1e-4));
  const std::vector<double> one = {2.0, std::nan("")};
  CHECK(std::isnan(ratio_across(one).value));
}

TEST_CASE("Kaplan-Meier with Greenwood variance") {
  // Events at 1, 3, 3 and 5; censored at 2 and 4.
  const std::vector<Observation> data = {{1, true}, {2, false}, {3, true},
                                         {3, true}, {4, false}, {5, true}};
  const std::vector<KmStep> km = kaplan_meier(data);
  REQUIRE(km.size() == 3);
  CHECK(km[0].time == 1);
  CHECK(km[0].at_risk == 6);
  CHECK(km[0].survival == Approx(5.0 / 6.0));
  CHECK(km[1].time == 3);
  CHECK(km[1].at_risk == 4);
  CHECK(km[1].events == 2);
  CHECK(km[1].survival == Approx(5.0 / 12.0));
  CHECK(km[1].se == Approx(0.221788).epsilon(1e-5));  // S * sqrt(1/30 + 2/8)
  CHECK(km[1].low == 0.0);                            // 0.417 - 1.96 * 0.222 < 0, clipped
  CHECK(km[1].high == Approx(5.0 / 12.0 + 1.959964 * 0.221788).epsilon(1e-4));
  CHECK(km[2].time == 5);
  CHECK(km[2].at_risk == 1);
  CHECK(km[2].survival == 0.0);
}

TEST_CASE("Cox hazard ratio with Breslow ties") {
  // One event time: the Breslow estimate is d1 n0 / (d0 n1) = 2 * 4 / (1 * 4) = 2, and
  // the information d p (1 - p) with p = 8 / 12 is 2 / 3.
  const std::vector<Observation> g0 = {{1, true}, {2, false}, {2, false}, {2, false}};
  const std::vector<Observation> g1 = {{1, true}, {1, true}, {2, false}, {2, false}};
  const Estimate hr = hazard_ratio(g0, g1);
  CHECK(hr.value == Approx(2.0).epsilon(1e-8));
  CHECK(hr.low == Approx(0.181353).epsilon(1e-5));
  CHECK(hr.high == Approx(22.0564).epsilon(1e-5));
  // No events in one group: no estimate.
  const std::vector<Observation> none = {{2, false}, {2, false}};
  CHECK(std::isnan(hazard_ratio(g0, none).value));
}

TEST_CASE("Cox hazard ratio over two event times solves the score equation") {
  // Times 1 and 2; at 1: n0 = 3, n1 = 3, one event in group 1; at 2: n0 = 3, n1 = 2,
  // one event in group 0. Score: 1 - 3r/(3+3r) - 2r/(3+2r) = 0, i.e.
  // 1/(1+r) = 2r/(3+2r)  =>  3 + 2r = 2r + 2r^2  =>  r = sqrt(1.5).
  const std::vector<Observation> g0 = {{2, true}, {3, false}, {3, false}};
  const std::vector<Observation> g1 = {{1, true}, {3, false}, {3, false}};
  CHECK(hazard_ratio(g0, g1).value == Approx(std::sqrt(1.5)).epsilon(1e-8));
}

TEST_CASE("Cox hazard ratio converges where plain Newton-Raphson diverged") {
  // One event time (1) with n0 = 100, d0 = 1 and n1 = 2, d1 = 1; the score
  // 1 - 2r / (100 + 2r) = 0 gives r = 50 by hand. Plain Newton from beta = 0 steps to
  // beta = 25 (score 0.96 over information 0.038), where the information is about
  // 1e-9 and the next step is -7e8: NaN. At the maximum p = 1/2, so the information
  // is d p (1 - p) = 1/2 and the interval is exp(log 50 +- 1.96 * sqrt 2).
  std::vector<Observation> g0(100, Observation{10, false});
  g0[0] = {1, true};
  const std::vector<Observation> g1 = {{1, true}, {10, false}};
  const Estimate hr = hazard_ratio(g0, g1);
  CHECK(hr.value == Approx(50.0).epsilon(1e-8));
  const double half = z_quantile(0.95) * std::sqrt(2.0);
  CHECK(hr.low == Approx(50.0 * std::exp(-half)).epsilon(1e-6));
  CHECK(hr.high == Approx(50.0 * std::exp(half)).epsilon(1e-6));
  // One arm's events all come once the other arm has left: the likelihood rises without end,
  // and there is no finite estimate rather than a huge one.
  const std::vector<Observation> early = {{1, true}, {1, true}, {2, false}};
  const std::vector<Observation> late = {{3, true}, {5, false}, {5, false}};
  CHECK(std::isnan(hazard_ratio(late, early).value));
}

TEST_CASE("intervals of shares and of nonnegative means are clipped to their range") {
  // Reference participants tied to another arm: 0 of 3, 0 of 3 and 1 of 3 per replication;
  // the t interval around 1/9 reaches below 0 (1/9 - 4.303 * 0.111 = -0.37).
  Result result;
  result.spec.arms.resize(2);
  for (int tied = 0; tied < 3; ++tied) {
    Replication rep;
    rep.participants.resize(3);
    for (Participant& x : rep.participants) x.arm = 0;
    rep.participants[0].contaminated = tied == 2;
    result.replications.push_back(rep);
  }
  const Contamination c = contamination(result);
  CHECK(c.share.mean == Approx(1.0 / 9.0));
  CHECK(c.share.low == 0.0);
  CHECK(c.share.high == Approx(1.0 / 9.0 + 4.30265273 * (1.0 / 9.0)).epsilon(1e-6));
  // The ranges: shares and 0-1 scales, weeks worked per year, and the unbounded counts.
  CHECK(outcome_range(*find_outcome("lonely")) == std::pair<double, double>{0.0, 1.0});
  CHECK(outcome_range(*find_outcome("relapse")) == std::pair<double, double>{0.0, 1.0});
  CHECK(outcome_range(*find_outcome("carer_burden")) == std::pair<double, double>{0.0, 1.0});
  CHECK(outcome_range(*find_outcome("weeks_worked")) == std::pair<double, double>{0.0, 52.0});
  CHECK(outcome_range(*find_outcome("bed_days")).first == 0.0);
  CHECK(std::isinf(outcome_range(*find_outcome("bed_days")).second));
  // NaN bounds (one replication: no interval) stay NaN.
  ripple::compare::Interval none;
  none.low = none.high = kNaN;
  CHECK(std::isnan(clip(none, 0, 1).low));
}

TEST_CASE("a replication without events in either arm is left out of the ratio across") {
  ripple::testing::TempDir dir;
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 100\n");
  Result result;
  result.spec = parse_trial(
      "[trial]\nscenario = \"base.toml\"\ndesign = \"randomised\"\noutcomes = [\"relapse\"]\n"
      "[[arm]]\nname = \"a\"\n[[arm]]\nname = \"b\"\n",
      "t.toml", {}, dir.path());
  // Replications 0 and 1: 10 a side, events 2 vs 4 and 3 vs 6; replication 2: none at all.
  const int events[3][2] = {{2, 4}, {3, 6}, {0, 0}};
  for (const auto& rep_events : events) {
    Replication rep;
    for (int arm = 0; arm < 2; ++arm)
      for (int i = 0; i < 10; ++i) {
        Participant x;
        x.arm = arm;
        x.events.push_back({10.0, i < rep_events[arm]});
        rep.participants.push_back(x);
      }
    result.replications.push_back(rep);
  }
  const auto rows = summarise(result);
  REQUIRE(rows.size() == 1);
  const Comparison& c = rows[0].versus[1];
  // Both replications with events have a risk ratio of exactly 2, so the interval across
  // them has no width; the empty replication's ratio of about 1 would have widened it.
  CHECK(c.rr_across.value == Approx(2.0));
  CHECK(c.rr_across.low == Approx(2.0));
  CHECK(c.rr_across.high == Approx(2.0));
}

TEST_CASE("risk and odds ratios of arms of different sizes") {
  // 10 of 50 against 20 of 100: both risks are 0.2, so RR = 1, and se(log RR) =
  // sqrt(1/10 - 1/50 + 1/20 - 1/100) = sqrt(0.12): exp(-+1.96 * 0.3464) = 0.5071, 1.9718.
  const Estimate rr = risk_ratio(10, 50, 20, 100);
  CHECK(rr.value == Approx(1.0));
  CHECK(rr.low == Approx(0.507148).epsilon(1e-5));
  CHECK(rr.high == Approx(1.971809).epsilon(1e-5));
  // Cells 10 40 / 20 80: OR = 800 / 800 = 1, se = sqrt(1/10 + 1/40 + 1/20 + 1/80).
  const Estimate o = odds_ratio(10, 50, 20, 100);
  CHECK(o.value == Approx(1.0));
  CHECK(o.low == Approx(0.427976).epsilon(1e-5));
  CHECK(o.high == Approx(2.336582).epsilon(1e-5));
}

TEST_CASE("an arm in which everyone had the event adds one half to every cell") {
  // 10 of 10 against 5 of 10: the arm's cell without the event is 0, so the table becomes
  // 10.5 0.5 / 5.5 5.5. RR = (10.5 / 11) / (5.5 / 11) = 1.909; OR = 10.5 * 5.5 / (0.5 *
  // 5.5) = 21 (uncorrected it would be 10 * 5 / 0: infinite).
  const Estimate rr = risk_ratio(10, 10, 5, 10);
  CHECK(rr.value == Approx(10.5 / 5.5));
  CHECK(rr.low == Approx(1.042654).epsilon(1e-5));
  CHECK(rr.high == Approx(3.495531).epsilon(1e-5));
  const Estimate o = odds_ratio(10, 10, 5, 10);
  CHECK(o.value == Approx(21.0));
  CHECK(o.low == Approx(0.971555).epsilon(1e-5));
  CHECK(o.high == Approx(453.9116).epsilon(1e-5));
  // The same when the reference arm is the one where everyone had the event.
  CHECK(odds_ratio(5, 10, 10, 10).value == Approx(1.0 / 21.0));
}

TEST_CASE("a ratio of 0 in a replication has no log and is left out across replications") {
  // Logs of 2 and 8: mean log 4; the 0 (no events in the arm, a corrected ratio is never
  // 0, but a caller may pass one) would pull the mean log to minus infinity.
  const std::vector<double> ratios = {0.0, 2.0, 8.0};
  CHECK(ratio_across(ratios).value == Approx(4.0));
}

TEST_CASE("Kaplan-Meier keeps a person censored at an event time in that time's risk set") {
  // Events at 1, 2 and 3; censored at 2. At time 2 the censored person was still at risk:
  // 3 at risk, S = 3/4 * 2/3 = 1/2; at time 3 one is left, S = 0.
  const std::vector<Observation> data = {{1, true}, {2, false}, {2, true}, {3, true}};
  const std::vector<KmStep> km = kaplan_meier(data);
  REQUIRE(km.size() == 3);
  CHECK(km[0].at_risk == 4);
  CHECK(km[1].time == 2);
  CHECK(km[1].at_risk == 3);
  CHECK(km[1].events == 1);
  CHECK(km[1].survival == Approx(0.5));
  CHECK(km[2].at_risk == 1);
  CHECK(km[2].survival == 0.0);
}

TEST_CASE("Kaplan-Meier bounds are clipped to 0 and 1 on both sides") {
  // The first step of the Greenwood case: S = 5/6, se = S * sqrt(1/30) = 0.1521; S + 1.96
  // se = 1.13 is clipped to 1, S - 1.96 se = 0.535 is not.
  const std::vector<Observation> data = {{1, true}, {2, false}, {3, true},
                                         {3, true}, {4, false}, {5, true}};
  const std::vector<KmStep> km = kaplan_meier(data);
  REQUIRE(km.size() == 3);
  CHECK(km[0].high == 1.0);
  CHECK(km[0].low == Approx(0.535134).epsilon(1e-5));
  for (const KmStep& s : km)
    CHECK((s.low >= 0 && s.low <= s.survival && s.survival <= s.high && s.high <= 1));
}

namespace {

// A participant with a relapse observation and the values of employed and bed_days.
Participant participant(int arm, Observation relapse, double employed, double bed_days) {
  Participant x;
  x.arm = arm;
  x.events.push_back(relapse);
  x.values = {employed, bed_days};
  return x;
}

// Two replications alike: control 10 participants, 2 relapses (at 1 and 2), employed 3 of
// 8 alive, bed-days 70 for one and 0 for the rest (mean 7), the first one tied to the
// other arm; treated 20 participants, 8 relapses (at 1 to 8), employed 10 of 15 alive,
// 14 bed-days each.
Result two_arms() {
  Result result;
  result.spec.outcomes = {"relapse", "employed", "bed_days"};
  result.spec.arms.resize(2);
  result.spec.arms[0].name = "control";
  result.spec.arms[1].name = "treated";
  for (int r = 0; r < 2; ++r) {
    Replication rep;
    for (int i = 0; i < 10; ++i) {
      const Observation relapse = i < 2 ? Observation{i + 1.0, true} : Observation{10, false};
      const double employed = i < 3 ? 1.0 : i < 8 ? 0.0 : kNaN;
      rep.participants.push_back(participant(0, relapse, employed, i == 0 ? 70.0 : 0.0));
      rep.participants.back().contaminated = i == 0;
    }
    for (int i = 0; i < 20; ++i) {
      const Observation relapse = i < 8 ? Observation{i + 1.0, true} : Observation{10, false};
      const double employed = i < 10 ? 1.0 : i < 15 ? 0.0 : kNaN;
      rep.participants.push_back(participant(1, relapse, employed, 14.0));
    }
    result.replications.push_back(rep);
  }
  return result;
}

}  // namespace

TEST_CASE("summarise puts the reference arm in the denominator of every comparison") {
  const Result result = two_arms();
  const auto rows = summarise(result);
  REQUIRE(rows.size() == 3);
  // Relapse: control 4 of 20, treated 16 of 40: RR (16/40) / (4/20) = 2, OR 16 * 16 /
  // (24 * 4) = 8/3; the hazard ratio is treated against control, above 1.
  const OutcomeSummary& relapse = rows[0];
  CHECK(relapse.arms[0].n == 20);
  CHECK(relapse.arms[0].events == 4);
  CHECK(relapse.arms[1].n == 40);
  CHECK(relapse.arms[1].events == 16);
  const Comparison& c = relapse.versus[1];
  CHECK(c.rr_pooled.value == Approx(2.0));
  CHECK(c.or_pooled.value == Approx(8.0 / 3.0));
  std::vector<Observation> control, treated;
  for (const Replication& rep : result.replications)
    for (const Participant& x : rep.participants)
      (x.arm == 0 ? control : treated).push_back(x.events[0]);
  CHECK(c.hr_pooled.value > 1.0);
  CHECK(c.hr_pooled.value == Approx(hazard_ratio(control, treated).value));
  // Each arm's Kaplan-Meier curve starts from its own participants.
  REQUIRE(!relapse.arms[0].km.empty());
  REQUIRE(!relapse.arms[1].km.empty());
  CHECK(relapse.arms[0].km[0].at_risk == 20);
  CHECK(relapse.arms[1].km[0].at_risk == 40);
  CHECK(relapse.arms[1].km.back().survival == Approx(24.0 / 40.0));
  // Employed at the end: participants without a value (died) are not counted. Control 6
  // of 16, treated 20 of 30: RR (20/30) / (6/16) = 16/9.
  const OutcomeSummary& employed = rows[1];
  CHECK(employed.arms[0].n == 16);
  CHECK(employed.arms[0].events == 6);
  CHECK(employed.arms[1].n == 30);
  CHECK(employed.versus[1].rr_pooled.value == Approx(16.0 / 9.0));
  // Bed-days: means 7 and 14, so the treated arm's difference is +7 in each replication.
  const OutcomeSummary& bed_days = rows[2];
  CHECK(bed_days.arms[0].pooled.value == Approx(7.0));
  CHECK(bed_days.arms[1].pooled.value == Approx(14.0));
  CHECK(bed_days.versus[1].difference.mean == Approx(7.0));
}

TEST_CASE("contamination counts reference participants only") {
  // One of the 10 control participants of each replication is tied to the other arm; the
  // 20 treated participants are never counted, tied or not.
  const Contamination c = contamination(two_arms());
  CHECK(c.reference == 20);
  CHECK(c.tied == 2);
  CHECK(c.share.mean == Approx(0.1));
}

TEST_CASE("trial.csv holds each estimate with its own low and high") {
  ripple::testing::TempDir dir;
  const Result result = two_arms();
  const auto rows = summarise(result);
  write_csv(result, rows, dir / "trial.csv");
  std::ifstream csv(dir / "trial.csv");
  const std::string prefix = "relapse,\"treated\",\"control\",risk_ratio,pooled,";
  std::string line, found;
  while (std::getline(csv, line))
    if (line.rfind(prefix, 0) == 0) found = line.substr(prefix.size());
  REQUIRE(!found.empty());
  // estimate,low,high
  std::vector<double> columns;
  std::istringstream fields(found);
  for (std::string field; std::getline(fields, field, ',');) columns.push_back(std::stod(field));
  REQUIRE(columns.size() == 3);
  const Estimate& rr = rows[0].versus[1].rr_pooled;
  CHECK(columns[0] == Approx(2.0));
  CHECK(columns[1] == Approx(rr.low));
  CHECK(columns[2] == Approx(rr.high));
  CHECK(columns[1] < columns[0]);
  CHECK(columns[0] < columns[2]);
}

TEST_CASE("a replication in which everyone had the event is left out of the ratio across") {
  // Replications 0 and 1: 10 a side, events 2 vs 4 and 3 vs 6 (risk ratio 2 in both);
  // replication 2: all 10 in both arms, whose 0.5-corrected ratio of 1 says nothing.
  Result result;
  result.spec.outcomes = {"relapse"};
  result.spec.arms.resize(2);
  const int events[3][2] = {{2, 4}, {3, 6}, {10, 10}};
  for (const auto& rep_events : events) {
    Replication rep;
    for (int arm = 0; arm < 2; ++arm)
      for (int i = 0; i < 10; ++i)
        rep.participants.push_back(participant(arm, {10.0, i < rep_events[arm]}, 0, 0));
    result.replications.push_back(rep);
  }
  const auto rows = summarise(result);
  REQUIRE(rows.size() == 1);
  const Comparison& c = rows[0].versus[1];
  CHECK(c.rr_across.value == Approx(2.0));
  CHECK(c.rr_across.low == Approx(2.0));
  CHECK(c.rr_across.high == Approx(2.0));
}
