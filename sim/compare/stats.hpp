// The statistics of a comparison: means with Student t intervals over replications,
// and the incremental cost-effectiveness ratio with the care it needs.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace ripple::compare {

// Mean of n values with its two-sided confidence interval, mean +- t(n-1) * sd / sqrt(n).
// With one value the interval is unknown (NaN bounds); with no values everything is NaN.
struct Interval {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;  // sample standard deviation (n - 1 in the denominator)
  double low = 0.0;
  double high = 0.0;
  bool excludes_zero() const { return low > 0.0 || high < 0.0; }
};

// The upper (1 + level) / 2 quantile of Student's t with `df` degrees of freedom
// (Boost.Math), e.g. 2.262 for df = 9 and level = 0.95.
double t_quantile(double df, double level = 0.95);

Interval mean_interval(std::span<const double> values, double level = 0.95);

// Paired differences b[r] - a[r] and their mean interval. Throws InternalError when
// the lengths differ.
Interval paired_difference(std::span<const double> a, std::span<const double> b,
                           double level = 0.95);

// Incremental cost per recovery-year gained of B over A, from the paired differences
// of total cost and of recovery-years. When the interval of the recovery-year
// difference includes 0 the ratio is not meaningful (it could be any size or sign)
// and `ratio` is empty; `reason` then says why in plain words.
struct Icer {
  Interval cost;            // total cost B - A
  Interval recovery_years;  // recovery-years B - A
  std::optional<double> ratio;
  std::string reason;  // empty when ratio is set
};
Icer icer(std::span<const double> cost_a, std::span<const double> cost_b,
          std::span<const double> years_a, std::span<const double> years_b);

}  // namespace ripple::compare
