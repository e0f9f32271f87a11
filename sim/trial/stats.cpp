// The statistics of a trial: shares, risk and odds ratios, Kaplan-Meier and the Cox
// hazard ratio. Written here because they are short and must behave exactly as
// docs/TRIALS.md says (zero cells, ties, intervals); the quantiles come from Boost.Math.
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "trial/trial.hpp"

namespace ripple::trial {

double z_quantile(double level) {
  const boost::math::normal normal;
  return boost::math::quantile(normal, (1.0 + level) / 2.0);
}

Estimate share(double events, double n, double level) {
  if (!(n > 0)) return {};
  const double z = z_quantile(level), p = events / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double hours_20plus(const WorkRecord& r) {
  if (r.weeks <= 0) return kNaN;
  return r.hours >= 20.0 * r.weeks ? 1.0 : 0.0;
}

double weeks_worked(const WorkRecord& r, int follow_up_weeks) {
  if (r.weeks <= 0 || follow_up_weeks <= 0) return kNaN;
  return 52.0 * r.weeks / follow_up_weeks;
}

double weeks_to_event(const Observation& o) { return o.event ? o.time : kNaN; }

namespace {

// The four cells of the 2x2 table, each raised by 0.5 when any is zero.
struct Table {
  double a, b, c, d;
};
std::optional<Table> table(double a, double n1, double c, double n0) {
  if (!(n1 > 0) || !(n0 > 0)) return std::nullopt;
  Table t{a, n1 - a, c, n0 - c};
  if (t.a == 0 || t.b == 0 || t.c == 0 || t.d == 0) {
    t.a += 0.5;
    t.b += 0.5;
    t.c += 0.5;
    t.d += 0.5;
  }
  return t;
}

Estimate log_interval(double log_value, double se, double level) {
  const double z = z_quantile(level);
  return {std::exp(log_value), std::exp(log_value - z * se), std::exp(log_value + z * se)};
}

}  // namespace

Estimate risk_ratio(double a, double n1, double c, double n0, double level) {
  const auto t = table(a, n1, c, n0);
  if (!t) return {};
  const double m1 = t->a + t->b, m0 = t->c + t->d;
  const double se = std::sqrt(1 / t->a - 1 / m1 + 1 / t->c - 1 / m0);
  return log_interval(std::log((t->a / m1) / (t->c / m0)), se, level);
}

Estimate odds_ratio(double a, double n1, double c, double n0, double level) {
  const auto t = table(a, n1, c, n0);
  if (!t) return {};
  const double se = std::sqrt(1 / t->a + 1 / t->b + 1 / t->c + 1 / t->d);
  return log_interval(std::log((t->a * t->d) / (t->b * t->c)), se, level);
}

Estimate ratio_across(std::span<const double> ratios, double level) {
  std::vector<double> logs;
  for (const double r : ratios)
    if (std::isfinite(r) && r > 0) logs.push_back(std::log(r));
  if (logs.size() < 2) return {};
  const compare::Interval i = compare::mean_interval(logs, level);
  return {std::exp(i.mean), std::exp(i.low), std::exp(i.high)};
}

std::vector<KmStep> kaplan_meier(std::span<const Observation> data, double level) {
  // Events and censorings per distinct time; at a tie, events come before censorings.
  std::map<double, std::pair<double, double>> at;  // time -> (events, censored)
  for (const Observation& o : data) (o.event ? at[o.time].first : at[o.time].second) += 1;
  const double z = z_quantile(level);
  double risk = static_cast<double>(data.size()), survival = 1, greenwood = 0;
  std::vector<KmStep> out;
  for (const auto& [time, counts] : at) {
    const double d = counts.first;
    if (d > 0) {
      survival *= 1 - d / risk;
      if (risk > d) greenwood += d / (risk * (risk - d));
      const double se = survival * std::sqrt(greenwood);
      out.push_back({time, risk, d, survival, se, std::max(0.0, survival - z * se),
                     std::min(1.0, survival + z * se)});
    }
    risk -= counts.first + counts.second;
  }
  return out;
}

Estimate hazard_ratio(std::span<const Observation> group0, std::span<const Observation> group1,
                      double level) {
  // Per distinct event time: events in each group, and at risk in each group.
  struct Time {
    double d0 = 0, d1 = 0, n0 = 0, n1 = 0;
  };
  std::map<double, Time> times;
  for (const Observation& o : group0)
    if (o.event) times[o.time].d0 += 1;
  for (const Observation& o : group1)
    if (o.event) times[o.time].d1 += 1;
  double e0 = 0, e1 = 0;
  for (auto& [t, x] : times) {
    for (const Observation& o : group0) x.n0 += o.time >= t ? 1 : 0;
    for (const Observation& o : group1) x.n1 += o.time >= t ? 1 : 0;
    e0 += x.d0;
    e1 += x.d1;
  }
  if (e0 == 0 || e1 == 0) return {};
  // Breslow: at each time the d events share one risk set, so the partial
  // log-likelihood is sum d1 * beta - d * log(n0 + n1 * exp(beta)); it is concave.
  double beta = 0, information = 0;
  for (int iteration = 0; iteration < 50; ++iteration) {
    double score = 0;
    information = 0;
    const double r = std::exp(beta);
    for (const auto& [t, x] : times) {
      const double d = x.d0 + x.d1, p = x.n1 * r / (x.n0 + x.n1 * r);
      score += x.d1 - d * p;
      information += d * p * (1 - p);
    }
    if (!(information > 0)) return {};
    const double step = score / information;
    beta += step;
    if (std::abs(step) < 1e-10) break;
  }
  // The information at the final beta.
  information = 0;
  for (const auto& [t, x] : times) {
    const double p = x.n1 * std::exp(beta) / (x.n0 + x.n1 * std::exp(beta));
    information += (x.d0 + x.d1) * p * (1 - p);
  }
  return log_interval(beta, 1 / std::sqrt(information), level);
}

}  // namespace ripple::trial
