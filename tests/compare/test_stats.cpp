// The statistics of `ripple compare` against values worked out by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "compare/compare.hpp"
#include "compare/stats.hpp"

using ripple::compare::icer;
using ripple::compare::mean_interval;
using ripple::compare::paired_difference;
using ripple::compare::t_quantile;

TEST_CASE("t quantiles match printed tables", "[compare]") {
  // Two-sided 95%: the 0.975 quantile (any t table).
  CHECK(t_quantile(1) == Approx(12.7062).epsilon(1e-5));
  CHECK(t_quantile(4) == Approx(2.7764).epsilon(1e-4));
  CHECK(t_quantile(9) == Approx(2.2622).epsilon(1e-4));
  CHECK(t_quantile(29) == Approx(2.0452).epsilon(1e-4));
  CHECK(t_quantile(9, 0.90) == Approx(1.8331).epsilon(1e-4));
}

TEST_CASE("mean interval of five values worked by hand", "[compare]") {
  // 1..5: mean 3, sample variance 10/4 = 2.5, half-width 2.7764 * sqrt(2.5 / 5) = 1.9632.
  const std::vector<double> values{4, 1, 5, 2, 3};
  const auto interval = mean_interval(values);
  CHECK(interval.n == 5);
  CHECK(interval.mean == Approx(3.0));
  CHECK(interval.sd == Approx(std::sqrt(2.5)));
  CHECK(interval.low == Approx(3.0 - 1.9632).epsilon(1e-4));
  CHECK(interval.high == Approx(3.0 + 1.9632).epsilon(1e-4));
  CHECK(interval.excludes_zero());
}

TEST_CASE("one value has no interval and no values have no mean", "[compare]") {
  const std::vector<double> one{2.5};
  const auto single = mean_interval(one);
  CHECK(single.mean == 2.5);
  CHECK(std::isnan(single.low));
  CHECK_FALSE(single.excludes_zero());
  CHECK(std::isnan(mean_interval(std::vector<double>{}).mean));
}

TEST_CASE("paired differences use each replication's own pair", "[compare]") {
  // b - a = {1, 2, 3}: mean 2, sd 1, half-width 4.3027 / sqrt(3) = 2.4841. Unpaired, the
  // spread of a and b themselves (tens) would make the interval far wider.
  const std::vector<double> a{10, 30, 50}, b{11, 32, 53};
  const auto d = paired_difference(a, b);
  CHECK(d.mean == Approx(2.0));
  CHECK(d.sd == Approx(1.0));
  CHECK(d.low == Approx(2.0 - 2.4841).epsilon(1e-4));
  CHECK(d.high == Approx(2.0 + 2.4841).epsilon(1e-4));
  CHECK_FALSE(d.excludes_zero());
}

TEST_CASE("cost per recovery-year is given only when recovery-years clearly changed", "[compare]") {
  const std::vector<double> cost_a{100, 110, 120, 130}, cost_b{150, 162, 168, 180};
  // Gains {2, 2.2, 1.8, 2}: mean 2, clearly above 0; extra cost {50, 52, 48, 50}: mean 50.
  const std::vector<double> years_a{10, 11, 12, 13}, years_b{12, 13.2, 13.8, 15};
  const auto clear = icer(cost_a, cost_b, years_a, years_b);
  REQUIRE(clear.ratio.has_value());
  CHECK(*clear.ratio == Approx(25.0));
  CHECK(clear.reason.empty());
  // Gains {1, -1, 1, -1}: the interval includes 0, so no ratio.
  const std::vector<double> years_c{11, 10, 13, 12};
  const auto unclear = icer(cost_a, cost_b, years_a, years_c);
  CHECK_FALSE(unclear.ratio.has_value());
  CHECK(unclear.reason.find("not meaningful") != std::string::npos);
}

TEST_CASE("cost per recovery-year is not given as a number outside the costly-and-better quadrant",
          "[compare]") {
  const std::vector<double> cost_a{100, 110, 120, 130}, cheaper{60, 72, 78, 90};
  const std::vector<double> years_a{10, 11, 12, 13}, better{12, 13.2, 13.8, 15},
      worse{8, 8.8, 10.2, 11};
  const auto dominant = icer(cost_a, cheaper, years_a, better);
  CHECK_FALSE(dominant.ratio.has_value());
  CHECK(dominant.reason.find("dominates") != std::string::npos);
  const auto dominated = icer(cheaper, cost_a, better, years_a);
  CHECK_FALSE(dominated.ratio.has_value());
  CHECK(dominated.reason.find("dominated") != std::string::npos);
  // Saves 40 a replication and loses 2 recovery-years: 20 saved per year lost.
  const auto trade = icer(cost_a, cheaper, years_a, worse);
  CHECK_FALSE(trade.ratio.has_value());
  CHECK(trade.reason.find("saves 20 NOK for each recovery-year it loses") != std::string::npos);
}

TEST_CASE("a change that costs nothing extra and gains recovery-years needs no ratio",
          "[compare]") {
  // Extra cost exactly 0 in every replication: 0 NOK per year gained would read as a
  // price; it is the dominant quadrant's edge.
  const std::vector<double> cost{100, 110, 120, 130};
  const std::vector<double> years_a{10, 11, 12, 13}, better{12, 13.2, 13.8, 15};
  const auto free = icer(cost, cost, years_a, better);
  CHECK_FALSE(free.ratio.has_value());
  CHECK(free.reason.find("dominates") != std::string::npos);
}

TEST_CASE("replication seeds are shared across configurations only with common numbers",
          "[compare]") {
  using ripple::compare::run_seed;
  CHECK(run_seed(7, 0, 0, false) == 7);
  CHECK(run_seed(7, 3, 0, false) == run_seed(7, 3, 2, false));
  CHECK(run_seed(7, 3, 0, true) != run_seed(7, 3, 2, true));
  CHECK(run_seed(7, 1, 0, false) != run_seed(7, 2, 0, false));
  CHECK(run_seed(7, 1, 0, false) != run_seed(8, 1, 0, false));
  for (int r = 0; r < 50; ++r) CHECK(run_seed(123456789, r, 1, true) <= 0xFFFFFFFFull);
}
