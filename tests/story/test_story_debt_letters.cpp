// The unmet debt letters (scenarios/teaching/debt_letters.toml): without practical
// counselling Tor's debt climbs with the letters and weighs on his stress; a CMHC that
// takes up money in most contacts brings the debt down. Same town and seed in both
// versions; only services.cmhc.practical_counselling differs.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

TEST_CASE("story debt letters: practical counselling brings down the debt and stress of Tor",
          "[story]") {
  const int weeks = 40;
  const auto unmet_s = story("debt_letters.toml");
  const auto tor = person(unmet_s, "Tor");
  const auto unmet = run_cast(unmet_s, weeks);
  const auto helped =
      run_cast(story("debt_letters.toml", {"services.cmhc.practical_counselling=0.8"}), weeks);
  // Pooling a household's income changes nothing for a man who lives alone.
  const auto pooled =
      run_cast(story("debt_letters.toml", {"finances.household_pooling=1.0"}), weeks);
  for (int k = 0; k < weeks; ++k)
    CHECK(pooled[static_cast<std::size_t>(k)].debt[tor] ==
          unmet[static_cast<std::size_t>(k)].debt[tor]);
  // Without counselling the debt stays high; with it, it falls well below.
  CHECK(unmet.back().debt[tor] > 0.4f);
  CHECK(helped.back().debt[tor] < unmet.back().debt[tor] - 0.1f);
  // Debt weighs on him every week (ODD 7.2): his stress runs lower once it falls.
  CHECK(mean_of(helped, &CastWeek::stress, tor, 20, weeks) <
        0.9 * mean_of(unmet, &CastWeek::stress, tor, 20, weeks));
  // Over other seeds the counselling lowers his final debt by at least 0.1 on average.
  double lowered = 0;
  for (const int seed : {1, 2, 3, 4}) {
    const std::string o = "run.seed=" + std::to_string(seed);
    lowered +=
        run_cast(story("debt_letters.toml", {o}), weeks).back().debt[tor] -
        run_cast(story("debt_letters.toml", {o, "services.cmhc.practical_counselling=0.8"}), weeks)
            .back()
            .debt[tor];
  }
  CHECK(lowered / 4 > 0.1);
}
