// Worlds of characters only (population.generated = false): the world holds exactly the
// declared persons and one worker for each staffed service the scenario opens; it runs
// with its services, reproducibly; and the setting without any [[person]] is refused.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "api/state.hpp"
#include "model/init/population.hpp"
#include "model/process.hpp"
#include "ripple/errors.hpp"
#include "ripple/ripple.hpp"
#include "scenario/scenario.hpp"
#include "support/refusal.hpp"
#include "support/tmpdir.hpp"

using ripple::InputError;
using ripple::scenario::parse_scenario;
namespace model = ripple::model;

namespace {

// Two households (a family of three and a friend alone), a workplace and a club; the
// CMHC is open from the start (the default) and outreach opens in week 5.
const std::string kFamily = R"([population]
generated = false
[run]
weeks = 52
burn_in_weeks = 8
[services.outreach]
enabled = false
[[arena]]
name = "Mill"
kind = "workplace"
climate = 0.8
[[arena]]
name = "Choir"
kind = "club"
climate = 0.6
[[person]]
name = "Anna"
profile = "psychosis"
symptoms = 0.7
carer = "Tom"
services = ["cmhc"]
arenas = ["Choir"]
[[person]]
name = "Tom"
work = "employed"
workplace = "Mill"
style = "watchdog"
[[person]]
name = "Liv"
work = "studying"
[[person]]
name = "Kai"
profile = "depression"
work = "employed"
workplace = "Mill"
[[household]]
members = ["Anna", "Tom", "Liv"]
[[tie]]
between = ["Anna", "Tom"]
relation = "household"
[[tie]]
between = ["Anna", "Liv"]
relation = "household"
[[tie]]
between = ["Anna", "Kai"]
relation = "friend"
[[tie]]
between = ["Tom", "Kai"]
relation = "coworker"
[[timeline]]
week = 5
set = { "services.outreach.enabled" = true }
)";

std::string refusal(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return ripple::testing::scenario_refusal(text, "story.toml", overrides);
}

std::size_t ties_of(const model::World& w) { return w.ties.offsets.back() / 2; }

}  // namespace

TEST_CASE("a world of characters only holds the cast and one worker per opened service",
          "[scenario][characters]") {
  const auto s = parse_scenario(kFamily, "family.toml");
  // The four declared persons, then the workers: CMHC (open) and outreach (week 5).
  REQUIRE(s.characters.size() == 6);
  CHECK(s.characters[4].name == "CMHC clinician");
  CHECK(s.characters[5].name == "Outreach worker");
  model::World w;
  model::build_world(w, s);
  CHECK(w.persons.n == 6);
  CHECK(w.characters == 6);
  // Households: the family, Kai alone, then each worker alone.
  CHECK(w.households.start == std::vector<std::uint32_t>{0, 3, 4, 5, 6});
  // Ties: the four declared and the household tie Tom and Liv get by living together
  // (undeclared household members are family); the workers have none of their own.
  CHECK(ties_of(w) == 5);
  const std::uint32_t tom_liv = model::find_edge(w.ties, 1, 2);
  REQUIRE(tom_liv != UINT32_MAX);
  CHECK(w.ties.relation[tom_liv] == static_cast<std::uint8_t>(model::Relation::Household));
  CHECK(w.ties.end(4) == w.ties.begin(4));
  CHECK(model::find_edge(w.ties, 0, 3) != UINT32_MAX);
  CHECK(model::find_edge(w.ties, 2, 3) == UINT32_MAX);
  // Arenas: only the two declared.
  std::size_t arenas = 0;
  for (const auto& kind : w.arenas.by_kind) arenas += kind.size();
  CHECK(arenas == 2);
  CHECK(w.persons.workplace[1] == w.persons.workplace[3]);
  CHECK(w.persons.workplace[2] == model::kNoArena);
  // The workers staff their services (the closed outreach team too, ready for week 5),
  // and nobody else is staff.
  const auto& staff = w.staff;
  REQUIRE(staff.of_service[static_cast<std::size_t>(model::ServiceKind::Cmhc)].size() == 1);
  REQUIRE(staff.of_service[static_cast<std::size_t>(model::ServiceKind::Outreach)].size() == 1);
  CHECK(staff.person[staff.of_service[static_cast<std::size_t>(model::ServiceKind::Cmhc)][0]] == 4);
  CHECK(staff.person[staff.of_service[static_cast<std::size_t>(model::ServiceKind::Outreach)][0]] ==
        5);
  CHECK(staff.person.size() == 2);
  for (model::PersonId i = 0; i < 4; ++i) CHECK(staff.index_of[i] == UINT32_MAX);
  CHECK((w.persons.role[4] & model::kProfessional) != 0);
  CHECK((w.persons.role[4] & model::kInRecovery) == 0);
  // Anna starts with the clinician as her worker.
  CHECK((w.persons.enrolled[0] & model::service_bit(model::ServiceKind::Cmhc)) != 0);
  CHECK(w.persons.main_worker[0] == 4);
}

TEST_CASE("a peer worker of a characters-only world is in recovery and well",
          "[scenario][characters]") {
  const auto s = parse_scenario(kFamily + "[services.peer_support]\nenabled = true\n", "peer.toml");
  std::size_t peer = s.characters.size();
  for (std::size_t i = 0; i < s.characters.size(); ++i)
    if (s.characters[i].name == "Peer worker") peer = i;
  REQUIRE(peer < s.characters.size());
  model::World w;
  model::build_world(w, s);
  CHECK((w.persons.role[peer] & model::kPeerWorker) != 0);
  CHECK((w.persons.role[peer] & model::kInRecovery) != 0);
  CHECK(w.persons.episode[peer] == static_cast<std::uint8_t>(model::Episode::Well));
}

TEST_CASE("a worker does not take a name a character already has", "[scenario][characters]") {
  const auto s = parse_scenario(
      "[population]\ngenerated = false\n[[person]]\nname = \"CMHC clinician\"\n", "name.toml");
  REQUIRE(s.characters.size() == 2);
  CHECK(s.characters[1].name == "CMHC clinician 2");
  CHECK(s.characters[1].staff >= 0);
  CHECK(s.characters[0].staff < 0);
}

TEST_CASE("a world of characters only runs a year with its services the same on 1 and 2 threads",
          "[scenario][characters]") {
  // Every staffed service open, so each finds its worker.
  const std::vector<std::string> all{
      "services.ips.enabled=true", "services.peer_support.enabled=true",
      "services.coordinator.enabled=true", "services.psychoeducation.enabled=true",
      "services.open_dialogue.enabled=true"};
  const auto s = parse_scenario(kFamily, "family.toml", all);
  REQUIRE(s.characters.size() == 10);
  ripple::Simulation one(s, 1), two(s, 2);
  bool finite = true;
  double contacts = 0.0;
  const auto& names = ripple::summary_variables();
  for (int week = 0; week < 52; ++week) {
    one.step();
    two.step();
    const std::vector<double> a = one.summary(), b = two.summary();
    REQUIRE(a.size() == names.size());
    CHECK(a == b);
    for (std::size_t v = 0; v < a.size(); ++v) {
      finite = finite && std::isfinite(a[v]);
      if (names[v].name.find("contact") != std::string::npos) contacts += a[v];
    }
  }
  CHECK(finite);
  CHECK(one.persons() == 10);
  const auto& p1 = one.state().world.persons;
  const auto& p2 = two.state().world.persons;
  CHECK(p1.stress == p2.stress);
  CHECK(p1.symptoms == p2.symptoms);
  CHECK(p1.recovery == p2.recovery);
  // The services did something for the family in that year.
  CHECK(contacts > 0.0);
}

TEST_CASE("a world of characters only without any person is refused with its line",
          "[scenario][characters]") {
  const std::string text = "[run]\nweeks = 10\n[population]\ngenerated = false\n";
  const std::string from_file = refusal(text);
  CHECK_THAT(from_file, Catch::Contains("story.toml:4:") &&
                            Catch::Contains("population.generated") &&
                            Catch::Contains("[[person]]"));
  const std::string from_set = refusal("[run]\nweeks = 10\n", {"population.generated=false"});
  CHECK_THAT(from_set,
             Catch::Contains("--set population.generated=false") && Catch::Contains("[[person]]"));
  // With a person it is accepted; a generated town stays the default.
  CHECK(refusal(text + "[[person]]\nname = \"Anna\"\n") == "(accepted)");
  CHECK(refusal("[run]\nweeks = 10\n") == "(accepted)");
  // The generated town's lower bound is unchanged.
  CHECK_THAT(refusal("[population]\npersons = 5\n"),
             Catch::Contains("story.toml:2:") && Catch::Contains("population.persons"));
}

TEST_CASE("ripple validate and run refuse a characters-only world without persons with exit 2",
          "[scenario][characters]") {
  ripple::testing::TempDir dir;
  const auto path = ripple::testing::write_file(
      dir / "empty.toml", "# no persons\n[population]\ngenerated = false\n[run]\nweeks = 4\n");
  const std::string binary = std::string("'") + RIPPLE_BINARY + "' ";
  const auto validate = ripple::testing::run_command(binary + "validate '" + path.string() + "'");
  INFO(validate.output);
  CHECK(validate.exit_code == 2);
  CHECK_THAT(validate.output,
             Catch::Contains("empty.toml:3:") && Catch::Contains("population.generated"));
  const auto out = dir / "out.h5";
  const auto run = ripple::testing::run_command(binary + "run '" + path.string() + "' -o '" +
                                                out.string() + "'");
  INFO(run.output);
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output,
             Catch::Contains("empty.toml:3:") && Catch::Contains("population.generated"));
  CHECK(!std::filesystem::exists(out));
}
