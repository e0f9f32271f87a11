// Named characters in scenario files: what is refused (with file and line) and the
// world built from what is accepted.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/init/population.hpp"
#include "model/process.hpp"
#include "ripple/errors.hpp"
#include "scenario/scenario.hpp"
#include "support/refusal.hpp"

using ripple::InputError;
using ripple::scenario::parse_scenario;
namespace model = ripple::model;

namespace {

const std::string kHead = "[population]\npersons = 50\n[run]\nweeks = 10\n";

std::string refusal(const std::string& body) {
  return ripple::testing::scenario_refusal(kHead + body, "story.toml");
}

}  // namespace

TEST_CASE("bad character declarations are refused with their line", "[scenario][characters]") {
  const std::string two = "[[person]]\nname = \"Anna\"\n[[person]]\nname = \"Tom\"\n";
  // Lines: the head has 4 lines, so the first [[person]] is line 5.
  CHECK_THAT(refusal(two + "[[tie]]\nbetween = [\"Anna\", \"Tim\"]\nrelation = \"friend\"\n"),
             Catch::Contains("story.toml:10:") && Catch::Contains("did you mean \"Tom\"?"));
  CHECK_THAT(
      refusal(two + "[[person]]\nname = \"Anna\"\n"),
      Catch::Contains("story.toml:10:") && Catch::Contains("declared twice (also at line 5)"));
  CHECK_THAT(refusal(two + "[[household]]\nmembers = [\"Anna\"]\n[[household]]\nmembers = "
                           "[\"Anna\", \"Tom\"]\n"),
             Catch::Contains("story.toml:12:") &&
                 Catch::Contains("\"Anna\" already lives in household[0]"));
  CHECK_THAT(refusal(two + "[[tie]]\nbetween = [\"Anna\", \"Anna\"]\nrelation = \"friend\"\n"),
             Catch::Contains("story.toml:10:") && Catch::Contains("two different persons"));
  CHECK_THAT(refusal(two + "[[tie]]\nbetween = [\"Anna\", \"Tom\"]\nrelation = \"cousin\"\n"),
             Catch::Contains("story.toml:11:") && Catch::Contains("must be one of \"partner\""));
  CHECK_THAT(refusal(two + "[[tie]]\nbetween = [\"Anna\", \"Tom\"]\nrelation = \"partner\"\n"),
             Catch::Contains("do not live in the same household"));
  CHECK_THAT(refusal("[[person]]\nname = \"Anna\"\nvulnerability = 1.5\n"),
             Catch::Contains("story.toml:7:") && Catch::Contains("must be a number from 0 to 1"));
  CHECK_THAT(refusal("[[person]]\nname = \"Anna\"\nprofil = \"bipolar\"\n"),
             Catch::Contains("story.toml:7:") && Catch::Contains("did you mean profile?"));
  CHECK_THAT(
      refusal(two + "[[household]]\nmembers = [\"Anna\", \"Tom\"]\n"
                    "[[timeline]]\nweek = 3\naction = \"psychoeducation\"\nperson = \"Ana\"\n"),
      Catch::Contains("story.toml:14:") && Catch::Contains("did you mean \"Anna\"?"));
  CHECK_THAT(refusal("[[person]]\nname = \"Anna\"\ncarer = \"Tom\"\n[[person]]\nname = \"Tom\"\n"),
             Catch::Contains("the carer must live in the same [[household]]"));
  CHECK_THAT(refusal("[[person]]\nname = \"Anna\"\nworkplace = \"Mill\"\n"),
             Catch::Contains("no [[arena]] of that name"));
}

TEST_CASE("ripple validate refuses a bad character with exit code 2", "[scenario][characters]") {
  const std::string dir = std::filesystem::temp_directory_path() / "ripple-characters-bad.toml";
  {
    std::ofstream out(dir);
    out << kHead
        << "[[person]]\nname = \"Anna\"\n[[tie]]\nbetween = [\"Anna\", \"Bo\"]\n"
           "relation = \"kin\"\n";
  }
  const int status =
      std::system((std::string(RIPPLE_BINARY) + " validate " + dir + " > /dev/null 2>&1").c_str());
  std::filesystem::remove(dir);
  CHECK(WEXITSTATUS(status) == 2);
}

TEST_CASE("the world built from characters has exactly the declared cast",
          "[scenario][characters]") {
  const auto s = parse_scenario(kHead + R"(
[[arena]]
name = "Mill"
kind = "workplace"
climate = 0.9
[[arena]]
name = "Band"
kind = "club"
climate = 0.2
[[person]]
name = "Solo"
arenas = ["Band"]
[[person]]
name = "Anna"
profile = "psychosis"
carer = "Tom"
services = ["cmhc"]
[[person]]
name = "Tom"
workplace = "Mill"
style = "watchdog"
burden = 0.7
[[household]]
members = ["Anna", "Tom"]
[[tie]]
between = ["Tom", "Anna"]
relation = "partner"
strength = 0.8
kind = ["stressor", "support"]
[[tie]]
between = ["Solo", "Anna"]
relation = "friend"
)",
                                "cast.toml");
  model::World w;
  model::build_world(w, s);
  // Household first (Anna 0, Tom 1), then Solo (2), then 50 generated persons.
  REQUIRE(s.characters.size() == 3);
  CHECK(s.characters[0].name == "Anna");
  CHECK(s.characters[2].name == "Solo");
  CHECK(w.persons.n == 53);
  CHECK(w.characters == 3);
  CHECK(w.households.start[0] == 0);
  CHECK(w.households.start[1] == 2);
  CHECK(w.households.start[2] == 3);
  // Ties: exactly the two declared, each on both sides, with each side's view.
  const auto& t = w.ties;
  CHECK(t.end(0) - t.begin(0) == 2);
  CHECK(t.end(1) - t.begin(1) == 1);
  CHECK(t.end(2) - t.begin(2) == 1);
  const std::uint32_t tom_anna = model::find_edge(t, 1, 0), anna_tom = model::find_edge(t, 0, 1);
  REQUIRE(tom_anna != UINT32_MAX);
  REQUIRE(anna_tom != UINT32_MAX);
  CHECK(t.relation[tom_anna] == static_cast<std::uint8_t>(model::Relation::Partner));
  CHECK(t.kind[tom_anna] == static_cast<std::uint8_t>(model::TieKind::Stressor));
  CHECK(t.kind[anna_tom] == static_cast<std::uint8_t>(model::TieKind::Support));
  CHECK(t.strength[anna_tom] == Approx(0.8));
  CHECK(model::find_edge(t, 2, 0) != UINT32_MAX);
  // Carer and style.
  CHECK(w.persons.carer[0] == 1);
  CHECK(w.persons.cares_for[1] == 0);
  CHECK(w.persons.style[1] == static_cast<std::uint8_t>(model::CaringStyle::Watchdog));
  CHECK(w.persons.burden[1] == Approx(0.7));
  CHECK((w.persons.role[0] & model::kInRecovery) != 0);
  // Arenas: Tom works at the Mill, Solo is in the band, nobody else named anything.
  const model::ArenaId mill = w.persons.workplace[1];
  REQUIRE(mill != model::kNoArena);
  CHECK(w.arenas.climate[mill] == Approx(0.9f));
  CHECK(w.persons.workplace[0] == model::kNoArena);
  CHECK(w.persons.arena_slot[2 * model::kArenaSlots] != model::kNoArena);
  CHECK(w.arenas.climate[w.persons.arena_slot[2 * model::kArenaSlots]] == Approx(0.2f));
  CHECK(w.persons.arena_slot[2 * model::kArenaSlots + 1] == model::kNoArena);
  for (model::PersonId i = 0; i < 3; ++i) CHECK(w.staff.index_of[i] == UINT32_MAX);
  // Anna starts in the community mental health team.
  CHECK((w.persons.enrolled[0] & model::service_bit(model::ServiceKind::Cmhc)) != 0);
}
