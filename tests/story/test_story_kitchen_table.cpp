// Around the kitchen table (scenarios/teaching/kitchen_table.toml): a world of one family,
// a friend and a café. Tor's worry turns into watching; the family programme in week 14
// brings him back, and Ingrid's stress falls below its course without the programme.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

namespace {

// The story without its timeline entry (the programme is never offered).
scenario::Scenario without_programme() {
  auto s = story("kitchen_table.toml");
  s.timeline.clear();
  return s;
}

}  // namespace

TEST_CASE("story kitchen table: the world is the family and a clinician only",
          "[story][characters]") {
  const auto s = story("kitchen_table.toml");
  Simulation sim(s, 1);
  // Ingrid, Tor, Jonas, Sara and the CMHC clinician (the programme has places, not staff).
  CHECK(sim.persons() == 5);
  REQUIRE(s.characters.size() == 5);
  CHECK(s.characters[4].name == "CMHC clinician");
  const auto& w = sim.state().world;
  std::size_t arenas = 0;
  for (const auto& kind : w.arenas.by_kind) arenas += kind.size();
  CHECK(arenas == 1);
}

TEST_CASE("story kitchen table: Tor turns watchdog and the programme brings him back",
          "[story][characters]") {
  const int weeks = 40;
  const auto s = story("kitchen_table.toml");
  const auto ingrid = person(s, "Ingrid"), tor = person(s, "Tor");
  const auto with = run_cast(s, weeks);
  const auto without = run_cast(without_programme(), weeks);
  const auto watchdog = static_cast<std::uint8_t>(model::CaringStyle::Watchdog);
  const auto is_watchdog = [&](std::uint8_t style) { return style == watchdog; };
  // Before the programme both runs are the same, and Tor is watching for most of it.
  CHECK(weeks_where(with, &CastWeek::style, tor, 4, 14, is_watchdog) >= 7);
  CHECK(mean_of(with, &CastWeek::stress, ingrid, 0, 14) ==
        Approx(mean_of(without, &CastWeek::stress, ingrid, 0, 14)));
  // He is in the programme from week 14.
  CHECK(with[14].programme_weeks[tor] > 0);
  CHECK(without[14].programme_weeks[tor] == 0);
  // Afterwards he watches far less than without it, and Ingrid's stress runs lower.
  const int watched_with = weeks_where(with, &CastWeek::style, tor, 24, weeks, is_watchdog);
  const int watched_without = weeks_where(without, &CastWeek::style, tor, 24, weeks, is_watchdog);
  CHECK(watched_with + 8 <= watched_without);
  CHECK(mean_of(with, &CastWeek::stress, ingrid, 24, weeks) <
        0.9 * mean_of(without, &CastWeek::stress, ingrid, 24, weeks));
}
