// Character names through the run file and the query API, and the live what-ifs the
// viewer offers for one person, done through the viewer's own code path (viz/core).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "actions.hpp"
#include "graph.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "story.hpp"
#include "support/tmpdir.hpp"

namespace {

using namespace ripple;

const std::string kStory =
    std::string(RIPPLE_SOURCE_DIR) + "/scenarios/teaching/watchdog_carer.toml";

scenario::Scenario story(std::vector<std::string> sets = {}) {
  sets.insert(sets.end(), {"population.persons=2000", "run.weeks=4", "output.interval=1",
                           "output.ties_interval=2"});
  return scenario::load_scenario(kStory, sets);
}

// The story with Mari's side of her tie to Per turned into a stressor.
scenario::Scenario story_with_stressor() {
  std::ifstream in(kStory);
  std::stringstream text;
  text << in.rdbuf();
  std::string toml = text.str();
  const std::string tie = "strength = 0.9";
  const auto at = toml.find(tie);
  REQUIRE(at != std::string::npos);
  toml.insert(at + tie.size(), "\nkind = [\"stressor\", \"support\"]");
  return scenario::parse_scenario(toml, "watchdog_stressor.toml",
                                  {"population.persons=2000", "run.weeks=4"});
}

// The life story as one text, for checks and failure messages.
std::string story_text(const query::Source& s, std::uint32_t id) {
  std::string text;
  for (const viz::StoryLine& line : viz::life_story(s, id)) text += line.text + "\n";
  return text;
}

std::optional<query::SocialTie> tie(const query::Source& s, std::uint32_t a, std::uint32_t b) {
  for (const query::SocialTie& t : s.ties(a))
    if (t.other == b) return t;
  return std::nullopt;
}

}  // namespace

TEST_CASE("A story's character names are in the run file and the query API") {
  testing::TempDir dir;
  const auto s = story();
  REQUIRE(s.characters.size() == 2);
  RunOptions options;
  options.output = dir / "story.h5";
  options.threads = 1;
  run(s, options);

  const io::PersonTable table = io::RunReader(options.output).persons();
  REQUIRE(table.names.size() == table.id.size());
  std::size_t generated = 0;
  for (std::size_t r = 0; r < table.id.size(); ++r) {
    if (table.id[r] < 2) {
      CHECK(table.names[r] == s.characters[table.id[r]].name);
    } else {
      CHECK(table.names[r].empty());
      ++generated;
    }
  }
  CHECK(generated > 0);  // the other recorded persons are there, without names
  // The name is not taken for a code column.
  for (const io::Variable& c : table.columns) CHECK(c.name != "name");

  query::ReplaySource replay(options.output);
  CHECK(replay.name(0) == "Mari");
  CHECK(replay.name(1) == "Per");
  CHECK(replay.name(table.id.back()).empty());
  CHECK(replay.characters() == std::vector<std::uint32_t>{0, 1});

  Simulation sim(s, 1);
  query::LiveSource live(sim);
  CHECK(live.name(0) == "Mari");
  CHECK(live.name(1) == "Per");
  CHECK(live.name(2).empty());
  CHECK(live.characters() == std::vector<std::uint32_t>{0, 1});
  // The ego network of Mari labels her husband by his name.
  const viz::EgoGraph g = viz::build_ego(replay, 0, 1);
  CHECK(g.nodes[0].label == "Mari");
  CHECK(g.nodes[g.index.at(viz::node_key(viz::NodeType::Person, 1))].label == "Per");
}

TEST_CASE("A run file written without names still reads with none") {
  testing::TempDir dir;
  RunOptions options;
  options.output = dir / "plain.h5";
  options.threads = 1;
  run(scenario::load_scenario(std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml",
                              {"population.persons=2000", "run.weeks=2", "run.burn_in_weeks=0"}),
      options);
  query::ReplaySource replay(options.output);
  CHECK(replay.characters().empty());
  REQUIRE_FALSE(replay.persons().empty());
  CHECK(replay.name(replay.persons().front()).empty());
}

TEST_CASE("Softening and removing a tie live changes it as the query API sees it") {
  const auto s = story();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  const auto before = tie(live, 0, 1);
  REQUIRE(before);

  PersonAction soften;
  soften.kind = PersonAction::Kind::SoftenTie;
  soften.person = 0;
  soften.other = 1;
  soften.amount = 0.5;
  const viz::ActionOutcome done = viz::act_now(sim, live, soften);
  INFO(done.message);
  REQUIRE(done.done);
  CHECK(done.message.find("Mari") != std::string::npos);
  CHECK(done.message.find("Per") != std::string::npos);
  const auto softer = tie(live, 0, 1);
  REQUIRE(softer);
  CHECK(softer->strength == Approx(before->strength * 0.5f));
  CHECK(tie(live, 1, 0)->strength < before->strength);
  REQUIRE(live.interventions().size() == 1);
  CHECK(live.interventions()[0] == done.message);
  CHECK(live.intervention_steps() == std::vector<std::int64_t>{sim.week()});

  // The next week, Mari's life story tells it.
  sim.step();
  live.collect();
  const auto lines = viz::life_story(live, 0);
  const bool told = std::any_of(lines.begin(), lines.end(), [](const viz::StoryLine& l) {
    return l.text.find("the tie with her carer Per was eased") != std::string::npos;
  });
  CHECK(told);

  PersonAction remove = soften;
  remove.kind = PersonAction::Kind::RemoveTie;
  CHECK(viz::act_now(sim, live, remove).done);
  CHECK_FALSE(tie(live, 0, 1));
  CHECK_FALSE(tie(live, 1, 0));
  const viz::ActionOutcome again = viz::act_now(sim, live, remove);
  CHECK_FALSE(again.done);
  CHECK(again.message.find("Mari has no tie to that person") != std::string::npos);
  CHECK(live.interventions().size() == 2);  // a refusal is not logged
}

TEST_CASE("A stressor tie is listed first and can be made supportive live") {
  const auto s = story_with_stressor();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  const std::vector<viz::TieOption> options = viz::tie_options(live, 0);
  REQUIRE_FALSE(options.empty());
  CHECK(options[0].other == 1);
  CHECK(options[0].stressor);
  CHECK(options[0].label.rfind("Per (partner, stressor", 0) == 0);
  for (std::size_t k = 1; k < options.size(); ++k) CHECK_FALSE(options[k].stressor);

  PersonAction a;
  a.kind = PersonAction::Kind::SupportiveTie;
  a.person = 0;
  a.other = options[0].other;
  REQUIRE(viz::act_now(sim, live, a).done);
  const auto now = tie(live, 0, 1);
  REQUIRE(now);
  CHECK(viz::edge_kind_of_tie(live.names(), now->kind) == viz::EdgeKind::Support);
  CHECK_FALSE(viz::tie_options(live, 0)[0].stressor);
}

TEST_CASE("Psychoeducation and a service place are offered live or refused with the reason") {
  const auto s = story();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  REQUIRE(live.person(0)->carer == 1);
  REQUIRE(live.person(1)->psychoeducation_weeks == 0);

  PersonAction family;
  family.kind = PersonAction::Kind::Psychoeducation;
  family.person = 0;
  REQUIRE(viz::act_now(sim, live, family).done);
  CHECK(live.person(1)->psychoeducation_weeks > 0);  // Per, her carer, is in the programme
  const viz::ActionOutcome twice = viz::act_now(sim, live, family);
  CHECK_FALSE(twice.done);
  CHECK(twice.message.find("already") != std::string::npos);
  family.person = 1;  // Per has no carer of his own
  const viz::ActionOutcome nobody = viz::act_now(sim, live, family);
  CHECK_FALSE(nobody.done);
  CHECK(nobody.message.find("Per has no carer") != std::string::npos);

  PersonAction enrol;
  enrol.kind = PersonAction::Kind::Enrol;
  enrol.person = 0;
  enrol.service = "cmhc";
  enrol.beyond_capacity = true;
  const std::uint32_t before = live.person(0)->services;
  const viz::ActionOutcome place = viz::act_now(sim, live, enrol);
  INFO(place.message);
  REQUIRE(place.done);
  const auto& services = live.names().service;
  const auto cmhc = std::find(services.begin(), services.end(), "cmhc") - services.begin();
  CHECK((before & (1u << cmhc)) == 0);
  CHECK((live.person(0)->services & (1u << cmhc)) != 0);

  enrol.service = "astrology";
  const viz::ActionOutcome unknown = viz::act_now(sim, live, enrol);
  CHECK_FALSE(unknown.done);
  CHECK(unknown.message.find("astrology") != std::string::npos);
  CHECK(live.interventions().size() == 2);
}

TEST_CASE("Devaluing a tie live turns the person's side into a stressor and is told") {
  const auto s = story();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  const auto before = tie(live, 0, 1);
  REQUIRE(before);
  REQUIRE(viz::edge_kind_of_tie(live.names(), before->kind) == viz::EdgeKind::Support);
  const int per_side = tie(live, 1, 0)->kind;

  PersonAction devalue;
  devalue.kind = PersonAction::Kind::DevalueTie;
  devalue.person = 0;
  devalue.other = 1;
  const viz::ActionOutcome done = viz::act_now(sim, live, devalue);
  INFO(done.message);
  REQUIRE(done.done);
  CHECK(done.message == "week " + std::to_string(sim.week()) + ": Mari feels devalued by Per");
  const auto after = tie(live, 0, 1);
  REQUIRE(after);
  CHECK(viz::edge_kind_of_tie(live.names(), after->kind) == viz::EdgeKind::Stressor);
  CHECK(tie(live, 1, 0)->kind == per_side);  // only Mari's view changes
  CHECK(viz::tie_options(live, 0)[0].stressor);
  REQUIRE(live.interventions().size() == 1);
  CHECK(live.interventions()[0] == done.message);

  // Devaluing a tie that already is a stressor is refused, and not logged.
  const viz::ActionOutcome again = viz::act_now(sim, live, devalue);
  CHECK_FALSE(again.done);
  CHECK(again.message.find("Mari already feels that tie as a stressor") != std::string::npos);
  CHECK(live.interventions().size() == 1);

  sim.step();
  live.collect();
  const std::string told = story_text(live, 0);
  INFO(told);
  CHECK(told.find("Mari felt devalued by her carer Per") != std::string::npos);
}

TEST_CASE("Consent to involve the family is given and withdrawn live") {
  const auto s = story();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  REQUIRE((live.person(0)->role & query::kRoleInRecovery) != 0);
  REQUIRE_FALSE(live.person(0)->consent);  // the story starts without it

  PersonAction give;
  give.kind = PersonAction::Kind::GiveConsent;
  give.person = 0;
  const viz::ActionOutcome given = viz::act_now(sim, live, give);
  INFO(given.message);
  REQUIRE(given.done);
  CHECK(given.message ==
        "week " + std::to_string(sim.week()) + ": Mari consents to involving the family");
  CHECK(live.person(0)->consent);
  const viz::ActionOutcome twice = viz::act_now(sim, live, give);
  CHECK_FALSE(twice.done);
  CHECK(twice.message.find("Mari has consented already") != std::string::npos);

  // With her consent and Per in the family programme, the family is involved a week on,
  // and her story says she agreed.
  PersonAction family;
  family.kind = PersonAction::Kind::Psychoeducation;
  family.person = 0;
  REQUIRE(viz::act_now(sim, live, family).done);
  sim.step();
  live.collect();
  CHECK(live.person(0)->family_involved);
  std::string told = story_text(live, 0);
  INFO(told);
  CHECK(told.find("Mari agreed to involve the family") != std::string::npos);

  PersonAction withdraw = give;
  withdraw.kind = PersonAction::Kind::WithdrawConsent;
  const viz::ActionOutcome withdrawn = viz::act_now(sim, live, withdraw);
  INFO(withdrawn.message);
  REQUIRE(withdrawn.done);
  CHECK(withdrawn.message.find("Mari withdraws consent") != std::string::npos);
  CHECK_FALSE(live.person(0)->consent);
  CHECK_FALSE(live.person(0)->family_involved);
  REQUIRE(live.interventions().size() == 3);
  CHECK(live.interventions()[2] == withdrawn.message);
  sim.step();
  live.collect();
  CHECK_FALSE(live.person(0)->family_involved);  // not again the next week either
  told = story_text(live, 0);
  CHECK(told.find("Mari no longer wants the family involved") != std::string::npos);

  // Per is not in recovery: there is no consent of his to give.
  give.person = 1;
  const viz::ActionOutcome carer = viz::act_now(sim, live, give);
  CHECK_FALSE(carer.done);
  CHECK(carer.message.find("Per is not in recovery") != std::string::npos);
  CHECK(live.interventions().size() == 3);
}

TEST_CASE("A replay seeks to each weekly tie snapshot and finds the ties the live run had") {
  testing::TempDir dir;
  const auto s = scenario::load_scenario(
      std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml",
      {"population.persons=2000", "run.weeks=4", "run.burn_in_weeks=0", "output.level=\"all\"",
       "output.interval=1", "output.ties_interval=1"});
  RunOptions options;
  options.output = dir / "weekly.h5";
  options.threads = 1;
  run(s, options);
  query::ReplaySource replay(options.output);
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  const auto sorted = [](std::vector<query::SocialTie> ties) {
    std::sort(ties.begin(), ties.end(),
              [](const auto& a, const auto& b) { return a.other < b.other; });
    return ties;
  };
  for (std::int64_t week = 1; week <= 4; ++week) {
    sim.step();
    live.collect();
    replay.seek(week);
    REQUIRE(replay.step() == week);
    std::size_t compared = 0;
    for (std::uint32_t id = 0; id < 2000; id += 97) {
      const auto a = sorted(replay.ties(id)), b = sorted(live.ties(id));
      REQUIRE(a.size() == b.size());
      for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].other == b[k].other);
        CHECK(a[k].kind == b[k].kind);
        CHECK(a[k].strength == b[k].strength);
      }
      compared += a.size();
    }
    CHECK(compared > 0);
  }
}
