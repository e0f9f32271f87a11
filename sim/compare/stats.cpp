#include "compare/stats.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "ripple/errors.hpp"

namespace ripple::compare {

double t_quantile(double df, double level) {
  RIPPLE_CHECK(df > 0 && level > 0 && level < 1, "t_quantile: bad degrees of freedom or level");
  const boost::math::students_t distribution(df);
  return boost::math::quantile(distribution, 0.5 + level / 2.0);
}

Interval mean_interval(std::span<const double> values, double level) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Interval out;
  out.n = values.size();
  if (values.empty()) return {0, kNaN, kNaN, kNaN, kNaN};
  double sum = 0.0;
  for (const double v : values) sum += v;
  out.mean = sum / static_cast<double>(out.n);
  if (out.n < 2) {
    out.sd = out.low = out.high = kNaN;
    return out;
  }
  double squares = 0.0;
  for (const double v : values) squares += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(squares / static_cast<double>(out.n - 1));
  const double half = t_quantile(static_cast<double>(out.n - 1), level) * out.sd /
                      std::sqrt(static_cast<double>(out.n));
  out.low = out.mean - half;
  out.high = out.mean + half;
  return out;
}

Interval paired_difference(std::span<const double> a, std::span<const double> b, double level) {
  RIPPLE_CHECK(a.size() == b.size(), "paired_difference: the samples differ in length");
  std::vector<double> differences(a.size());
  for (std::size_t r = 0; r < a.size(); ++r) differences[r] = b[r] - a[r];
  return mean_interval(differences, level);
}

Icer icer(std::span<const double> cost_a, std::span<const double> cost_b,
          std::span<const double> years_a, std::span<const double> years_b) {
  Icer out;
  out.cost = paired_difference(cost_a, cost_b);
  out.recovery_years = paired_difference(years_a, years_b);
  const Interval& years = out.recovery_years;
  if (years.n < 2 || !std::isfinite(years.low)) {
    out.reason = "too few replications to tell whether recovery-years changed";
  } else if (!years.excludes_zero()) {
    out.reason =
        "not meaningful: the 95% interval of the recovery-years gained includes 0, so the "
        "ratio could take any size and sign";
  } else if (years.mean > 0.0 && out.cost.mean <= 0.0) {
    // A ratio of a saving to a gain would be negative, and "cheaper per year gained"
    // reads wrongly: this quadrant needs no ratio (health economists call it dominant).
    out.reason = "not needed: it saves money and gains recovery-years (it dominates)";
  } else if (years.mean < 0.0 && out.cost.mean >= 0.0) {
    out.reason = "not needed: it costs as much or more and loses recovery-years (it is dominated)";
  } else if (years.mean < 0.0) {
    out.reason = fmt::format(
        "not a cost per year gained: it saves {:.0f} NOK for each recovery-year it loses",
        out.cost.mean / years.mean);
  } else {
    out.ratio = out.cost.mean / years.mean;
  }
  return out;
}

}  // namespace ripple::compare
