// The excluded pallbearer (scenarios/teaching/excluded_pallbearer.toml): left out by her
// family at the funeral, Kari's stress climbs and her sense of who she is falls; when
// her brother comes round, her stress eases again. Same town and seed in every version.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

TEST_CASE("story excluded pallbearer: devaluation by family raises stress and lowers identity",
          "[story]") {
  const auto told = story("excluded_pallbearer.toml");
  auto untold = told;
  untold.timeline.clear();  // the same family, without the funeral slight
  const auto kari = person(told, "Kari"), geir = person(told, "Geir");
  const int weeks = 40;
  const auto excluded = run_cast(told, weeks);
  const auto included = run_cast(untold, weeks);
  // The same until the funeral (week 4 is the first week that differs).
  for (int k = 0; k < 4; ++k)
    CHECK(excluded[static_cast<std::size_t>(k)].stress[kari] ==
          included[static_cast<std::size_t>(k)].stress[kari]);
  const double stress_out = mean_of(excluded, &CastWeek::stress, kari, 5, 20);
  const double stress_in = mean_of(included, &CastWeek::stress, kari, 5, 20);
  const double identity_out = mean_of(excluded, &CastWeek::identity, kari, 15, 40);
  const double identity_in = mean_of(included, &CastWeek::identity, kari, 15, 40);
  // The slight and the stressor ties it leaves: her stress in the weeks after runs far
  // above the untold story's (by more than half a unit of stress on average).
  CHECK(stress_out > stress_in + 0.5);
  // Devaluation by family costs identity (ODD 7.4): well below, not just different.
  CHECK(identity_out < identity_in - 0.1);
  // And her symptoms follow her stress upward.
  CHECK(mean_of(excluded, &CastWeek::symptoms, kari, 5, 40) >
        mean_of(included, &CastWeek::symptoms, kari, 5, 40) + 0.05);

  // Her brother comes round in week 12: his tie turns supportive again on her side.
  const auto repaired = run_cast(told, weeks, [&](Simulation& sim, int week) {
    if (week != 12) return;
    PersonAction mend;
    mend.kind = PersonAction::Kind::SupportiveTie;
    mend.person = kari;
    mend.other = geir;
    REQUIRE(sim.act(mend).empty());
  });
  const double stress_mended = mean_of(repaired, &CastWeek::stress, kari, 20, 40);
  const double stress_still = mean_of(excluded, &CastWeek::stress, kari, 20, 40);
  // One relative coming round takes a good part of the load off (her mother still
  // devalues her, so not all of it).
  for (int k = 0; k < 12; ++k)
    CHECK(repaired[static_cast<std::size_t>(k)].stress[kari] ==
          excluded[static_cast<std::size_t>(k)].stress[kari]);
  CHECK(stress_mended < stress_still - 0.15);
  CHECK(stress_mended > mean_of(included, &CastWeek::stress, kari, 20, 40));
}
