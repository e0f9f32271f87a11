// Shared environment (ODD 5.1): areas of population.area_persons consecutive persons
// scale the prevalence of every condition profile by a lognormal risk multiplier; and
// kin and workplaces near home (ODD 5.5) keep ties within an area.
#include <fmt/format.h>

#include <algorithm>
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

// The share of persons in recovery in each area of 1,000.
std::vector<double> shares_by_area(double risk_sd, std::int64_t seed) {
  auto params = ripple::scenario::Params{};
  params.run.seed = seed;
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
  return share;
}

AreaShares area_shares(double risk_sd) {
  const std::vector<double> share = shares_by_area(risk_sd, 1);
  const auto areas = static_cast<double>(share.size());
  AreaShares s;
  for (const double x : share) s.overall += x / areas;
  for (const double x : share) s.spread += (x - s.overall) * (x - s.overall) / (areas - 1.0);
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

TEST_CASE("every town gets the same spread of area risks, only the order depends on the seed",
          "[model][initial]") {
  // The areas' multipliers are the lognormal's quantiles dealt in a random order, so the
  // areas' shares, sorted, differ between seeds by sampling within an area only (sd
  // about 0.02 for the difference). Independent draws from the lognormal would give
  // one seed a top area at three times the mean and another at six.
  std::vector<double> a = shares_by_area(1.0, 1), b = shares_by_area(1.0, 2);
  CHECK(a != b);  // the order (and the persons) differ
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  for (std::size_t k = 0; k < a.size(); ++k) {
    INFO(fmt::format("rank {}: {:.3f} and {:.3f}", k, a[k], b[k]));
    CHECK(std::abs(a[k] - b[k]) < 0.07);
  }
}

namespace {

struct CrossArea {
  std::size_t kin = 0, kin_across = 0, coworkers = 0, coworkers_across = 0;
};

CrossArea ties_across_areas(double kin_local, double workplace_local) {
  auto params = ripple::scenario::Params{};
  params.population.persons = 6000;
  params.population.area_persons = 1000;
  params.population.kin_local_share = kin_local;
  params.population.workplace_local_share = workplace_local;
  World w;
  build_world(w, params);
  CrossArea c;
  for (PersonId i = 0; i < w.persons.n; ++i)
    for (std::uint32_t e = w.ties.begin(i); e < w.ties.end(i); ++e) {
      const auto rel = static_cast<Relation>(w.ties.relation[e]);
      const bool across = i / 1000 != w.ties.other[e] / 1000;
      if (rel == Relation::Kin) {
        ++c.kin;
        c.kin_across += across ? 1 : 0;
      } else if (rel == Relation::Coworker) {
        ++c.coworkers;
        c.coworkers_across += across ? 1 : 0;
      }
    }
  return c;
}

}  // namespace

TEST_CASE("kin and workplaces near home keep those ties inside the area", "[model][initial]") {
  const CrossArea town = ties_across_areas(0.0, 0.0);
  const CrossArea near = ties_across_areas(1.0, 1.0);
  const CrossArea half = ties_across_areas(0.5, 0.5);
  INFO(fmt::format("kin ties across areas {}/{}, {}/{}, {}/{}; co-workers {}/{}, {}/{}, {}/{}",
                   town.kin_across, town.kin, half.kin_across, half.kin, near.kin_across, near.kin,
                   town.coworkers_across, town.coworkers, half.coworkers_across, half.coworkers,
                   near.coworkers_across, near.coworkers));
  REQUIRE(town.kin > 1000);
  REQUIRE(town.coworkers > 1000);
  // Drawn from the whole town, five in six leave the area (six areas).
  CHECK(town.kin_across > town.kin * 3 / 4);
  CHECK(town.coworkers_across > town.coworkers * 3 / 4);
  CHECK(near.kin_across == 0);
  CHECK(near.coworkers_across == 0);
  // Half near home: half of the kin ties leave the area as often as in the town. A
  // workplace of the area holds its local half and, from the rest, one in six from the
  // area too: a pair of co-workers is inside with chance (0.5 + 0.5 / 6)^2 = 0.34.
  CHECK(half.kin_across > town.kin_across / 3);
  CHECK(half.kin_across < town.kin_across * 2 / 3);
  const double coworkers_across =
      static_cast<double>(half.coworkers_across) / static_cast<double>(half.coworkers);
  CHECK(coworkers_across > 0.58);
  CHECK(coworkers_across < 0.74);
}
