// The trial statistics against small cases worked out by hand (the formulas in
// docs/TRIALS.md evaluated on paper / with a calculator).
#include <catch2/catch.hpp>
#include <cmath>
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
