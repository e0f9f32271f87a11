// The rules that link parameters moved out of the model code (ODD 8, 11): a minimum
// must not exceed its maximum, the weights of a weighted mean must not all be 0, and
// the starting state cannot be changed during a run. Each refusal names the keys.

#include <catch2/catch.hpp>
#include <string>

#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"
#include "support/refusal.hpp"
#include "support/tmpdir.hpp"

namespace ripple::scenario {
namespace {

using Catch::Matchers::Contains;

std::string refusal(const std::string& text) {
  const std::string message = ripple::testing::scenario_refusal(text, "bad.toml");
  if (message == "(accepted)") FAIL("no InputError was thrown for:\n" << text);
  return message;
}

TEST_CASE("a minimum above its maximum is refused naming both keys and values", "[scenario]") {
  CHECK_THAT(refusal("[population]\nage_min = 60\nage_max = 30\n"),
             Contains("bad.toml") &&
                 Contains("population.age_min (60) must not exceed population.age_max (30)"));
  CHECK_THAT(refusal("[population]\nfriend_strength_min = 0.9\n"),
             Contains("population.friend_strength_min (0.9) must not exceed "
                      "population.friend_strength_max (0.8)"));
  CHECK_THAT(refusal("[initial]\ncarer_burden_max = 0.1\n"),
             Contains("initial.carer_burden_min (0.2) must not exceed "
                      "initial.carer_burden_max (0.1)"));
  CHECK_THAT(refusal("[initial]\ntenure_weeks_min = 100\ntenure_weeks_max = 99\n"),
             Contains("initial.tenure_weeks_min (100) must not exceed "
                      "initial.tenure_weeks_max (99)"));
  // Equal ends are a range of one value and are accepted.
  const Scenario same = parse_scenario("[population]\nage_min = 40\nage_max = 40\n", "ok.toml");
  CHECK(same.params.population.age_min == 40);
  CHECK(same.params.population.age_max == 40);
}

TEST_CASE("weights that are all 0 are refused and one positive weight is enough", "[scenario]") {
  CHECK_THAT(refusal("[stress]\nbuffer_weight_support = 0\nbuffer_weight_belonging = 0\n"
                     "buffer_weight_coping = 0\n"),
             Contains("stress.buffer_weight_support") && Contains("at least one must be positive"));
  CHECK_THAT(
      refusal("[chime]\nrecovery_weight_connectedness = 0\nrecovery_weight_hope = 0\n"
              "recovery_weight_identity = 0\nrecovery_weight_meaning = 0\n"
              "recovery_weight_empowerment = 0\n"),
      Contains("chime.recovery_weight_empowerment") && Contains("at least one must be positive"));
  CHECK_NOTHROW(parse_scenario("[stress]\nbuffer_weight_support = 0\nbuffer_weight_belonging = 0\n",
                               "ok.toml"));
  CHECK_NOTHROW(parse_scenario("[chime]\nrecovery_weight_hope = 0\n", "ok.toml"));
}

TEST_CASE("the starting state cannot be changed in the timeline", "[scenario]") {
  CHECK_THAT(refusal("[[timeline]]\nweek = 10\nset = { \"initial.coping_recovery\" = 0.6 }\n"),
             Contains("initial.coping_recovery") && Contains("cannot change during a run"));
  // Behavioural parameters that replaced constants can change during a run.
  CHECK_NOTHROW(parse_scenario(
      "[[timeline]]\nweek = 10\nset = { \"helping.dropout_alliance_effect\" = 1.5 }\n", "ok.toml"));
}

TEST_CASE("ripple validate refuses a reversed range given with --set with exit 2", "[scenario]") {
  const std::string baseline = std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml";
  const testing::CommandResult refused =
      testing::run_command(std::string("'") + RIPPLE_BINARY + "' validate '" + baseline +
                           "' --set population.age_min=70 --set population.age_max=20");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output,
             Contains("population.age_min (70) must not exceed population.age_max (20)"));
  const testing::CommandResult accepted =
      testing::run_command(std::string("'") + RIPPLE_BINARY + "' validate '" + baseline +
                           "' --set population.age_min=20 --set population.age_max=70");
  CHECK(accepted.exit_code == 0);
}

}  // namespace
}  // namespace ripple::scenario
