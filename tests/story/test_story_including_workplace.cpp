// The including workplace (scenarios/teaching/including_workplace.toml): Siv falls ill;
// an including bakery keeps her at work, one with a poor climate lets her go. The two
// versions differ only in the bakery's climate (same town, seed and random streams).
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

namespace {

constexpr auto kEmployed = static_cast<std::uint8_t>(model::Work::Employed);

scenario::Scenario with_climate(double climate, const std::vector<std::string>& overrides = {}) {
  auto s = story("including_workplace.toml", overrides);
  for (auto& arena : s.arenas)
    if (arena.name == "Harbour bakery") arena.climate = climate;
  return s;
}

}  // namespace

TEST_CASE("story including workplace: a good climate keeps Siv at work through her episode",
          "[story]") {
  const int weeks = 40;
  const auto siv = person(with_climate(0.95), "Siv");
  const auto including = run_cast(with_climate(0.95), weeks);
  const auto cold = run_cast(with_climate(0.1), weeks);
  const auto employed = [](std::uint8_t w) { return w == kEmployed; };
  const int weeks_in = weeks_where(including, &CastWeek::work, siv, 0, weeks, employed);
  const int weeks_cold = weeks_where(cold, &CastWeek::work, siv, 0, weeks, employed);
  // The including bakery keeps her through the episode; the cold one lets her go early.
  CHECK(weeks_in == weeks);
  CHECK(weeks_cold <= 10);
  // Without the job her identity runs far lower, and her stress higher.
  CHECK(mean_of(including, &CastWeek::identity, siv, 10, 40) >
        mean_of(cold, &CastWeek::identity, siv, 10, 40) + 0.2);
  CHECK(mean_of(including, &CastWeek::stress, siv, 10, 40) <
        0.9 * mean_of(cold, &CastWeek::stress, siv, 10, 40));
  // Not one lucky draw: over other seeds the including bakery keeps her in most, the
  // cold one in at most one.
  int kept_in = 0, kept_cold = 0;
  for (const int seed : {1, 2, 4, 5, 6, 7}) {
    const std::vector<std::string> o{"run.seed=" + std::to_string(seed), "run.weeks=20"};
    kept_in += run_cast(with_climate(0.95, o), 20).back().work[siv] == kEmployed;
    kept_cold += run_cast(with_climate(0.1, o), 20).back().work[siv] == kEmployed;
  }
  CHECK(kept_in >= 4);
  CHECK(kept_cold <= 1);
}
