// Shared environment (ODD 5.1): areas of population.area_persons consecutive persons
// scale the prevalence of every condition profile by a lognormal risk multiplier.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "model/init/population.hpp"

using namespace ripple::model;

namespace {

struct AreaShares {
  double overall = 0.0;  // share of persons in recovery
  double spread = 0.0;   // standard deviation of that share between areas
};

AreaShares area_shares(double risk_sd) {
  auto params = ripple::scenario::Params{};
  params.population.persons = 20000;
  params.population.area_persons = 1000;
  params.population.depression_prevalence = 0.2;
  params.population.area_risk_sd = risk_sd;
  World w;
  build_world(w, params);
  const std::size_t areas = w.persons.n / 1000;
  std::vector<double> share(areas, 0.0);
  for (PersonId i = 0; i < w.persons.n; ++i)
    if (w.persons.role[i] & kInRecovery) share[i / 1000] += 1.0 / 1000.0;
  AreaShares s;
  for (const double x : share) s.overall += x / static_cast<double>(areas);
  for (const double x : share)
    s.spread += (x - s.overall) * (x - s.overall) / static_cast<double>(areas - 1);
  s.spread = std::sqrt(s.spread);
  return s;
}

}  // namespace

TEST_CASE("conditions cluster in areas whose risk differs, at the same overall prevalence",
          "[model][initial]") {
  const AreaShares even = area_shares(0.0);
  const AreaShares uneven = area_shares(1.0);
  INFO(
      fmt::format("share in recovery {:.3f} (areas' sd {:.3f}) without area risk, {:.3f} "
                  "(sd {:.3f}) with log-sd 1",
                  even.overall, even.spread, uneven.overall, uneven.spread));
  // Without area risk the areas differ by sampling alone: sd sqrt(0.235 * 0.765 / 1000).
  CHECK(even.spread < 0.025);
  CHECK(uneven.spread > 0.08);
  CHECK(std::abs(uneven.overall - even.overall) < 0.03);  // areas at risk 4+ saturate
}
