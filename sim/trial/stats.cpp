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
  // p is group 1's share of the risk set's weight, n1 e^beta / (n0 + n1 e^beta),
  // written so that a large |beta| neither overflows nor gives inf / inf.
  const auto share = [](const Time& x, double b) {
    if (x.n1 == 0) return 0.0;
    if (x.n0 == 0) return 1.0;
    return b > 0 ? 1 / (1 + x.n0 / x.n1 * std::exp(-b))
                 : x.n1 * std::exp(b) / (x.n0 + x.n1 * std::exp(b));
  };
  const auto log_likelihood = [&](double b) {
    double sum = 0;
    for (const auto& [t, x] : times) {
      // log(n0 + n1 e^b), again without overflow.
      const double log_weight = x.n1 == 0 ? std::log(x.n0)
                                : b > 0   ? b + std::log(x.n1 + x.n0 * std::exp(-b))
                                          : std::log(x.n0 + x.n1 * std::exp(b));
      sum += x.d1 * b - (x.d0 + x.d1) * log_weight;
    }
    return sum;
  };
  // Newton-Raphson with step-halving: plain Newton from beta = 0 overshoots when the
  // curvature at 0 is small (few people in one arm, e.g. 3 of 4 admitted against 19 of
  // 149: 0 -> 11 -> -475 -> NaN), so a step that lowers the likelihood is halved until
  // it does not. Without convergence (the likelihood still rising at the limit: one
  // arm's events all come first) there is no finite estimate.
  double beta = 0, information = 0, current = log_likelihood(0);
  bool converged = false;
  for (int iteration = 0; iteration < 100 && !converged; ++iteration) {
    double score = 0;
    information = 0;
    for (const auto& [t, x] : times) {
      const double d = x.d0 + x.d1, p = share(x, beta);
      score += x.d1 - d * p;
      information += d * p * (1 - p);
    }
    if (!(information > 0)) return {};
    double step = score / information;
    if (std::abs(step) < 1e-10) {
      beta += step;
      converged = true;
      break;
    }
    // Near the maximum a Newton step changes the likelihood by less than its rounding,
    // so a fall within that rounding does not count as a fall.
    const double slack = 1e-12 * (1 + std::abs(current));
    double next = log_likelihood(beta + step);
    for (int halving = 0; halving < 60 && !(next >= current - slack); ++halving) {
      step /= 2;
      next = log_likelihood(beta + step);
    }
    if (!(next >= current - slack)) break;  // NaN: no estimate
    beta += step;
    current = next;
  }
  if (!converged || !std::isfinite(beta)) return {};
  // The information at the final beta.
  information = 0;
  for (const auto& [t, x] : times) {
    const double p = share(x, beta);
    information += (x.d0 + x.d1) * p * (1 - p);
  }
  if (!(information > 0)) return {};
  return log_interval(beta, 1 / std::sqrt(information), level);
}

}  // namespace ripple::trial
