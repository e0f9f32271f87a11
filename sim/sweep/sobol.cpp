// Sobol indices from a Saltelli design. The estimators are a few sums over the base
// samples, written here rather than taken from a library: no packaged C++ library on
// Debian provides them, and the bootstrap needs them evaluated on resampled indices.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ripple/errors.hpp"
#include "sweep/sweep.hpp"

namespace ripple::sweep {
namespace {

struct Estimates {
  std::vector<double> first, total;
};

// y(j, 0) = f(A_j), y(j, 1) = f(B_j), y(j, 2 + i) = f(AB_j^i); `rows` are the base
// samples to use (with repeats in a bootstrap resample).
Estimates estimate(const std::vector<double>& y, std::size_t k,
                   const std::vector<std::size_t>& rows) {
  const std::size_t stride = k + 2;
  const auto n = static_cast<double>(rows.size());
  // The variance of f over A and B together (Saltelli et al. 2010, eq. after (b)).
  double mean = 0.0;
  for (const std::size_t j : rows) mean += y[j * stride] + y[j * stride + 1];
  mean /= 2.0 * n;
  double variance = 0.0;
  for (const std::size_t j : rows) {
    const double a = y[j * stride] - mean, b = y[j * stride + 1] - mean;
    variance += a * a + b * b;
  }
  variance /= 2.0 * n - 1.0;
  Estimates out{std::vector<double>(k), std::vector<double>(k)};
  for (std::size_t i = 0; i < k; ++i) {
    double first = 0.0, total = 0.0;
    for (const std::size_t j : rows) {
      const double fa = y[j * stride], fb = y[j * stride + 1], fab = y[j * stride + 2 + i];
      // Saltelli et al. (2010), table 2 (b), with f_B centred: the same in expectation,
      // but without the noise of mean * (f_AB - f_A) when the mean dwarfs the spread.
      first += (fb - mean) * (fab - fa);
      total += (fa - fab) * (fa - fab) / 2.0;  // Jansen (1999), table 2 (f)
    }
    const bool flat = !(variance > 0.0);
    out.first[i] = flat ? std::numeric_limits<double>::quiet_NaN() : first / n / variance;
    out.total[i] = flat ? std::numeric_limits<double>::quiet_NaN() : total / n / variance;
  }
  return out;
}

// The q-quantile of sorted finite values by linear interpolation (NaN if none).
double quantile(std::vector<double> values, double q) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (at - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

bool sobol_noisy(const SobolIndices& s) {
  constexpr double kSlack = 0.05, kWide = 0.3;
  const auto outside = [&](double v) { return v < -kSlack || v > 1.0 + kSlack; };
  for (std::size_t i = 0; i < s.first.size(); ++i) {
    // Comparisons with NaN are false: a flat outcome or a run without bootstrap passes.
    if (outside(s.first[i]) || outside(s.total[i])) return true;
    if (s.first_high[i] - s.first_low[i] > kWide || s.total_high[i] - s.total_low[i] > kWide)
      return true;
  }
  return false;
}

SobolIndices sobol_indices(const std::vector<double>& y, std::size_t base_samples,
                           std::size_t parameters, std::size_t resamples, std::uint64_t seed) {
  RIPPLE_CHECK(y.size() == base_samples * (parameters + 2),
               "Saltelli outputs do not match the design");
  RIPPLE_CHECK(base_samples >= 2, "Sobol indices need at least two base samples");
  std::vector<std::size_t> rows(base_samples);
  for (std::size_t j = 0; j < base_samples; ++j) rows[j] = j;
  const Estimates point = estimate(y, parameters, rows);
  SobolIndices out;
  out.first = point.first;
  out.total = point.total;
  std::vector<std::vector<double>> first(parameters), total(parameters);
  std::uint64_t state = mix64(seed ^ 0x424F4F54ull);
  for (std::size_t b = 0; b < resamples; ++b) {
    for (std::size_t j = 0; j < base_samples; ++j) {
      state += 0x9E3779B97F4A7C15ull;
      rows[j] = static_cast<std::size_t>(mix64(state) % base_samples);
    }
    const Estimates e = estimate(y, parameters, rows);
    for (std::size_t i = 0; i < parameters; ++i) {
      first[i].push_back(e.first[i]);
      total[i].push_back(e.total[i]);
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < parameters; ++i) {
    out.first_low.push_back(resamples > 0 ? quantile(first[i], 0.025) : nan);
    out.first_high.push_back(resamples > 0 ? quantile(first[i], 0.975) : nan);
    out.total_low.push_back(resamples > 0 ? quantile(total[i], 0.025) : nan);
    out.total_high.push_back(resamples > 0 ? quantile(total[i], 0.975) : nan);
  }
  return out;
}

}  // namespace ripple::sweep
