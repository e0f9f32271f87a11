// Pushed into the brass band (scenarios/teaching/brass_band.toml): socially anxious Jon
// joins no arena on his own; when his CMHC goes with clients into arenas he joins one,
// and his connectedness rises. The versions differ only in services.cmhc.pushing.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

TEST_CASE("story brass band: accompanied Jon joins an arena and feels more connected", "[story]") {
  const int weeks = 40;
  const auto alone_s = story("brass_band.toml");
  const auto jon = person(alone_s, "Jon");
  const auto alone = run_cast(alone_s, weeks);
  const auto pushed = run_cast(story("brass_band.toml", {"services.cmhc.pushing=1.0"}), weeks);
  const auto in_arena = [](float standing) { return standing > 0.0f; };
  int joined = -1;
  for (int k = 0; k < weeks && joined < 0; ++k)
    if (pushed[static_cast<std::size_t>(k)].belonging_standing[jon] > 0.0f) joined = k;
  // Alone he never joins; accompanied he is in an arena within twenty weeks.
  CHECK(weeks_where(alone, &CastWeek::belonging_standing, jon, 0, weeks, in_arena) == 0);
  REQUIRE(joined >= 0);
  CHECK(joined < 20);
  // Until he joins, the two runs are the same Jon.
  for (int k = 0; k < joined; ++k)
    CHECK(pushed[static_cast<std::size_t>(k)].connectedness[jon] ==
          alone[static_cast<std::size_t>(k)].connectedness[jon]);
  // Belonging lifts his connectedness (ODD 7.4).
  CHECK(mean_of(pushed, &CastWeek::connectedness, jon, 30, 40) >
        mean_of(alone, &CastWeek::connectedness, jon, 30, 40) + 0.02);
  // Over other seeds: alone never, accompanied mostly; connectedness higher on average.
  double gain = 0;
  int joined_alone = 0, joined_pushed = 0;
  for (const int seed : {1, 2, 3, 5, 6, 7}) {
    const std::string s = "run.seed=" + std::to_string(seed);
    const auto a = run_cast(story("brass_band.toml", {s}), weeks);
    const auto b = run_cast(story("brass_band.toml", {s, "services.cmhc.pushing=1.0"}), weeks);
    gain += mean_of(b, &CastWeek::connectedness, jon, 30, 40) -
            mean_of(a, &CastWeek::connectedness, jon, 30, 40);
    joined_alone += weeks_where(a, &CastWeek::belonging_standing, jon, 0, weeks, in_arena) > 0;
    joined_pushed += weeks_where(b, &CastWeek::belonging_standing, jon, 0, weeks, in_arena) > 0;
  }
  CHECK(joined_alone == 0);
  CHECK(joined_pushed >= 4);
  CHECK(gain / 6 > 0.03);
}
