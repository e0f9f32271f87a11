// Open Dialogue network meetings (scenarios/teaching/open_dialogue.toml): the network
// team holds the crisis of Maja at home; the office-based CMHC has no crisis team, and she is
// admitted. Same town and seed; only Maja's service differs.
#include <catch2/catch.hpp>

#include "story/story_support.hpp"

using namespace ripple;
using namespace ripple::testing;

namespace {

scenario::Scenario in_service(const char* service, const std::vector<std::string>& o = {}) {
  auto s = story("open_dialogue.toml", o);
  const auto maja = person(s, "Maja");
  const auto* names = std::begin(scenario::kEnrolServiceNames);
  const auto found = std::find_if(names, std::end(scenario::kEnrolServiceNames),
                                  [&](const char* n) { return std::string(n) == service; });
  s.characters[maja].services = {static_cast<int>(found - names)};
  return s;
}

}  // namespace

TEST_CASE("story open dialogue: the network team holds the crisis of Maja at home", "[story]") {
  const int weeks = 30;
  const auto od_s = in_service("open_dialogue");
  const auto maja = person(od_s, "Maja");
  const auto od = run_cast(od_s, weeks);
  const auto cmhc = run_cast(in_service("cmhc"), weeks);
  const auto admitted = [](std::uint8_t e) { return e == 3; };
  // The same crisis: in the office-based clinic she is admitted for weeks; the network
  // team holds it at home.
  const int ward_od = weeks_where(od, &CastWeek::episode, maja, 0, weeks, admitted);
  const int ward_cmhc = weeks_where(cmhc, &CastWeek::episode, maja, 0, weeks, admitted);
  CHECK(ward_cmhc >= 3);
  CHECK(ward_od <= ward_cmhc - 3);
  // Over ten other seeds, the team at least halves her weeks on the ward.
  int od_total = 0, cmhc_total = 0;
  for (const int seed : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
    const std::vector<std::string> o{"run.seed=" + std::to_string(seed)};
    od_total += weeks_where(run_cast(in_service("open_dialogue", o), weeks), &CastWeek::episode,
                            maja, 0, weeks, admitted);
    cmhc_total += weeks_where(run_cast(in_service("cmhc", o), weeks), &CastWeek::episode, maja, 0,
                              weeks, admitted);
  }
  CHECK(cmhc_total >= 20);
  CHECK(2 * od_total <= cmhc_total);
}
