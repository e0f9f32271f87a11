// The scenario pieces added for the teaching stories: a character's social anxiety,
// and the timeline actions devalue_tie, give_consent and withdraw_consent.
#include <catch2/catch.hpp>
#include <string>

#include "model/init/population.hpp"
#include "model/interventions.hpp"
#include "model/process.hpp"
#include "ripple/errors.hpp"
#include "scenario/scenario.hpp"
#include "support/refusal.hpp"

using ripple::InputError;
using ripple::scenario::parse_scenario;
namespace model = ripple::model;

namespace {

// Head: 4 lines; Anna (in recovery) is declared on line 5, Tom on line 9.
const std::string kHead =
    "[population]\npersons = 50\n[run]\nweeks = 10\n"
    "[[person]]\nname = \"Anna\"\nprofile = \"bipolar\"\nconsent = false\n"
    "[[person]]\nname = \"Tom\"\nprofile = \"none\"\n"
    "[[tie]]\nbetween = [\"Anna\", \"Tom\"]\nrelation = \"kin\"\n";  // lines 12-14

std::string refusal(const std::string& body) {
  return ripple::testing::scenario_refusal(kHead + body, "story.toml");
}

}  // namespace

TEST_CASE("story actions and social anxiety are read and checked", "[scenario][characters]") {
  // Line 15 is the first line after the head.
  CHECK_THAT(refusal("[[timeline]]\nweek = 2\naction = \"devalue_tie\"\nperson = \"Anna\"\n"),
             Catch::Contains("story.toml:15:") && Catch::Contains("other is missing"));
  CHECK_THAT(refusal("[[timeline]]\nweek = 2\naction = \"give_consent\"\nperson = \"Anna\"\n"
                     "other = \"Tom\"\n"),
             Catch::Contains("story.toml:19:") && Catch::Contains("only for the tie actions"));
  CHECK_THAT(refusal("[[timeline]]\nweek = 2\naction = \"withdraw_consent\"\nperson = \"Ana\"\n"),
             Catch::Contains("story.toml:18:") && Catch::Contains("did you mean \"Anna\"?"));
  CHECK_THAT(refusal("[[timeline]]\nweek = 2\naction = \"devalue\"\nperson = \"Anna\"\n"),
             Catch::Contains("story.toml:17:") && Catch::Contains("\"devalue_tie\""));
  CHECK_THAT(refusal("[[person]]\nname = \"Bo\"\nsocial_anxiety = \"yes\"\n"),
             Catch::Contains("story.toml:17:") && Catch::Contains("social_anxiety") &&
                 Catch::Contains("must be true or false"));
  const auto s = parse_scenario(kHead +
                                    "[[timeline]]\nweek = 3\naction = \"devalue_tie\"\n"
                                    "person = \"Anna\"\nother = \"Tom\"\n"
                                    "[[timeline]]\nweek = 5\naction = \"give_consent\"\n"
                                    "person = \"Anna\"\n",
                                "story.toml");
  REQUIRE(s.timeline.size() == 2);
  CHECK(s.timeline[0].describe() == "week 3: Anna feels devalued by Tom (the tie turns stressor)");
  CHECK(s.timeline[0].other == 1);
  CHECK(s.timeline[1].describe() == "week 5: Anna consents to involving the family");
}

TEST_CASE("a character's social anxiety overrides the draw and nothing else",
          "[scenario][characters]") {
  const std::string body = "[population]\npersons = 200\n[run]\nweeks = 4\nseed = 9\n";
  const std::string anna = "[[person]]\nname = \"Anna\"\nprofile = \"depression\"\n";
  model::World drawn, anxious, calm;
  model::build_world(drawn, parse_scenario(body + anna, "a.toml"));
  model::build_world(anxious, parse_scenario(body + anna + "social_anxiety = true\n", "b.toml"));
  model::build_world(calm, parse_scenario(body + anna + "social_anxiety = false\n", "c.toml"));
  CHECK((anxious.persons.traits[0] & model::kSocialAnxiety) != 0);
  CHECK((calm.persons.traits[0] & model::kSocialAnxiety) == 0);
  // Every other trait bit of Anna, and everyone else, as drawn.
  const auto others = static_cast<std::uint8_t>(~model::kSocialAnxiety);
  CHECK((anxious.persons.traits[0] & others) == (drawn.persons.traits[0] & others));
  CHECK(std::equal(drawn.persons.traits.begin() + 1, drawn.persons.traits.end(),
                   anxious.persons.traits.begin() + 1));
  CHECK(drawn.persons.stress == calm.persons.stress);
}

TEST_CASE("devalue_tie and the consent actions change the person and say why not",
          "[scenario][characters]") {
  const auto s = parse_scenario(kHead, "story.toml");
  model::World w;
  model::build_world(w, s);
  std::vector<model::EventRecord> events;
  model::PersonAction a;
  a.person = 0;  // Anna
  a.other = 1;   // Tom
  a.kind = model::PersonAction::Kind::DevalueTie;
  const std::uint32_t anna_tom = model::find_edge(w.ties, 0, 1);
  const std::uint32_t tom_anna = model::find_edge(w.ties, 1, 0);
  REQUIRE(anna_tom != UINT32_MAX);
  const auto stressor = static_cast<std::uint8_t>(model::TieKind::Stressor);
  const auto support = static_cast<std::uint8_t>(model::TieKind::Support);
  REQUIRE(w.ties.kind[anna_tom] == support);
  const float shock_before = w.persons.pending_shock[0];
  CHECK(model::apply_person_action(w, a, events).empty());
  CHECK(w.ties.kind[anna_tom] == stressor);
  CHECK(w.ties.kind[tom_anna] == support);  // Tom does not see it that way
  CHECK(w.persons.pending_shock[0] ==
        Approx(shock_before + w.params.events.event_shock).epsilon(1e-6));
  CHECK_THAT(model::apply_person_action(w, a, events), Catch::Contains("already"));

  a.kind = model::PersonAction::Kind::GiveConsent;
  REQUIRE((w.persons.consent[0] & 1) == 0);
  CHECK(model::apply_person_action(w, a, events).empty());
  CHECK((w.persons.consent[0] & 1) == 1);
  CHECK_THAT(model::apply_person_action(w, a, events), Catch::Contains("consented already"));
  w.persons.consent[0] |= 2;  // as if the family were involved
  a.kind = model::PersonAction::Kind::WithdrawConsent;
  CHECK(model::apply_person_action(w, a, events).empty());
  CHECK(w.persons.consent[0] == 0);
  a.person = 1;  // Tom is not in recovery
  CHECK_THAT(model::apply_person_action(w, a, events), Catch::Contains("not in recovery"));
}
