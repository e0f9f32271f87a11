// Keeping it secret (scenarios/teaching/keeping_it_secret.toml): without Lena's consent
// her mother cannot be involved or offered the family programme; once Lena says yes
// (week 6, the what-if in the file), Eva is involved, gets a place, and carries less.
// Same town and seed in both versions; only the consent entry differs.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

namespace {

// The story with its commented-out what-if switched on.
scenario::Scenario with_consent() {
  const auto s = story("keeping_it_secret.toml");
  std::string text = s.text;
  const std::string hidden = "# [[timeline]]";
  const auto at = text.find(hidden);
  REQUIRE(at != std::string::npos);
  std::string tail = text.substr(at);
  for (std::size_t k = 0; (k = tail.find("# ", k)) != std::string::npos;)
    if (k == 0 || tail[k - 1] == '\n')
      tail.erase(k, 2);
    else
      k += 2;
  return scenario::parse_scenario(text.substr(0, at) + tail, "keeping_it_secret.toml");
}

}  // namespace

TEST_CASE("story keeping it secret: consent lets the family be involved and eases the load on Eva",
          "[story]") {
  const int weeks = 40;
  const auto secret_s = story("keeping_it_secret.toml");
  const auto open_s = with_consent();
  REQUIRE(secret_s.timeline.empty());
  REQUIRE(open_s.timeline.size() == 1);
  const auto lena = person(secret_s, "Lena"), eva = person(secret_s, "Eva");
  const auto secret = run_cast(secret_s, weeks);
  const auto told = run_cast(open_s, weeks);
  const auto involved = [](std::uint8_t c) { return (c & 2) != 0; };
  const auto in_programme = [](std::uint16_t w) { return w > 0; };
  // Secret: never involved, never in the programme. Told in week 6: involved from the
  // next weeks on, with a place in the programme for Eva.
  CHECK(weeks_where(secret, &CastWeek::consent, lena, 0, weeks, involved) == 0);
  CHECK(weeks_where(secret, &CastWeek::programme_weeks, eva, 0, weeks, in_programme) == 0);
  for (int k = 0; k < 6; ++k)
    CHECK(told[static_cast<std::size_t>(k)].burden[eva] ==
          secret[static_cast<std::size_t>(k)].burden[eva]);
  CHECK(weeks_where(told, &CastWeek::consent, lena, 0, weeks, involved) >= 30);
  CHECK(weeks_where(told, &CastWeek::programme_weeks, eva, 0, 10, in_programme) > 0);
  // The programme eases the growth of her burden: she carries clearly less.
  CHECK(mean_of(told, &CastWeek::burden, eva, 20, weeks) <
        mean_of(secret, &CastWeek::burden, eva, 20, weeks) - 0.05);
  // Over other seeds too.
  double eased = 0;
  for (const int seed : {1, 3, 4, 5}) {
    const std::string o = "run.seed=" + std::to_string(seed);
    auto a = story("keeping_it_secret.toml", {o});
    auto b = open_s;
    b.params.run.seed = seed;
    const double by = mean_of(run_cast(a, weeks), &CastWeek::burden, eva, 20, weeks) -
                      mean_of(run_cast(b, weeks), &CastWeek::burden, eva, 20, weeks);
    CHECK(by > 0.0);  // lower in every seed
    eased += by;
  }
  CHECK(eased / 4 > 0.025);
}
