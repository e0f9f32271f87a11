// Trial files: a good one is read as written; a bad one is refused with the file,
// line and field of each problem (and `ripple trial` exits with 2).
#include <catch2/catch.hpp>
#include <string>

#include "ripple/errors.hpp"
#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple;
using namespace ripple::trial;
using ripple::testing::TempDir;

namespace {

const std::string kScenario = "[population]\npersons = 2000\n";

// A good trial file; `extra` is appended (TOML allows later tables).
std::string good(const std::string& head_extra = "", const std::string& extra = "") {
  return "[trial]\n"                   // 1
         "scenario = \"base.toml\"\n"  // 2
         "design = \"randomised\"\n"   // 3
         "follow_up_weeks = 8\n"       // 4
         "replications = 2\n" +        // 5
         head_extra +
         "[eligibility]\n"
         "profile = [\"psychosis\", \"bipolar\"]\n"
         "[[arm]]\n"
         "name = \"control\"\n"
         "[[arm]]\n"
         "name = \"IPS\"\n"
         "give = [\"ips\"]\n"
         "weight = 2\n" +
         extra;
}

// The message of the InputError that parsing `text` throws ("" if none).
std::string refusal(const std::string& text) {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  try {
    parse_trial(text, "t.toml", {}, dir.path());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a good trial file is read as written") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  const Spec spec =
      parse_trial(good("outcomes = [\"relapse\", \"bed_days\"]\n"), "t.toml", {}, dir.path());
  CHECK(spec.design == Design::Randomised);
  REQUIRE(spec.arms.size() == 2);
  CHECK(spec.arms[1].name == "IPS");
  CHECK(spec.arms[1].weight == 2);
  CHECK(spec.arms[1].give == std::vector<std::string>{"ips"});
  CHECK(spec.eligibility.profile.size() == 2);
  CHECK(spec.outcomes == std::vector<std::string>{"relapse", "bed_days"});
  CHECK(spec.base.params.population.persons == 2000);
  CHECK(spec.base.params.run.weeks == 8);
  // Weeks before entry are simulated too.
  const Spec later = parse_trial(good("entry_week = 3\n"), "t.toml", {}, dir.path());
  CHECK(later.entry_week == 3);
  CHECK(later.base.params.run.weeks == 11);
}

TEST_CASE("trial base overrides and command line overrides reach the scenario") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  const Spec spec = parse_trial(good("", "[base]\n\"services.ips.enabled\" = true\n"), "t.toml",
                                {"population.persons=3000"}, dir.path());
  CHECK(spec.base.params.services.ips.enabled);
  CHECK(spec.base.params.population.persons == 3000);
}

TEST_CASE("bad trial files are refused naming file line and field") {
  // Each case: the file, then what the message must hold.
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {"[trial]\nscenario = \"base.toml\"\ndesign = \"randomised\"\nfoo = 1\n",
       "t.toml:4: trial.foo"},
      {good().replace(good().find("randomised"), 10, "crossover"), "t.toml:3: trial.design"},
      {good().replace(good().find("psychosis"), 9, "psychoses"), "t.toml:7: eligibility.profile"},
      {good().replace(good().find("follow_up_weeks = 8"), 19, "follow_up_weeks = 0"),
       "t.toml:4: trial.follow_up_weeks"},
      {good().replace(good().find("follow_up_weeks = 8"), 19, "follow_up_weeks = \"8\""),
       "t.toml:4: trial.follow_up_weeks: must be a whole number"},
      {good().replace(good().find("[\"ips\"]"), 7, "[\"yoga\"]"), "arm 2.give"},
      {good("", "[eligibility.x]\n"), "t.toml:14: eligibility.x: unknown key"},
      // A bad value of [base] is named by its own line (16), not the table's.
      {good() + "[base]\npopulation.persons = 3000\n\"services.nope\" = 1\n",
       "t.toml:16: services.nope=1: unknown parameter"},
      {good() + "[base]\n\"run.weeks\" = 10\n", "base.run.weeks"},
      {good().replace(good().find("base.toml"), 9, "missing.toml"), "trial.scenario"},
      {"[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\n[[arm]]\nname = \"a\"\n"
       "exposure = { carer_style = \"watchdog\" }\n[[arm]]\nname = \"b\"\n",
       "arm 2.exposure: is missing"},
      {"[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\n[[arm]]\nname = \"a\"\n"
       "weight = 2\nexposure = { carer_style = \"watchdog\" }\n[[arm]]\nname = \"b\"\n"
       "exposure = { carer_style = \"supportive\" }\n",
       "t.toml:6: arm 1.weight"},
      {"[trial]\nscenario = \"base.toml\"\ndesign = \"randomised\"\n[[arm]]\nname = \"a\"\n",
       "two or more [[arm]]"},
      {good("", "[eligibility]\n"), "not valid TOML"},
      {good().replace(good().find("[eligibility]\n"), 14,
                      "[eligibility]\nmin_age = 60\nmax_age = 20\n"),
       "eligibility.max_age: 20 is below min_age 60"},
      {good().replace(good().find("name = \"IPS\""), 12, "name = \"control\""),
       "\"control\" names two arms"},
      {"[scenario]\nname = \"x\"\n", "[trial]"},
      {good().replace(good().find("[eligibility]\n"), 14,
                      "[eligibility]\nmin_weeks_well = 10\nmax_weeks_well = 5\n"),
       "eligibility.max_weeks_well: 5 is below min_weeks_well 10"},
      {good().replace(good().find("[eligibility]\n"), 14,
                      "[eligibility]\nhas_carer = false\ncarer_style = \"watchdog\"\n"),
       "eligibility.carer_style: asks for a carer's style but has_carer = false"},
      {"[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\nparticipants = 50\n"
       "[[arm]]\nname = \"a\"\nexposure = {}\n",
       "t.toml:4: trial.participants: a cohort takes every eligible person"},
      {good().replace(good().find("weight = 2"), 10, "weight = 0"),
       "arm 2.weight: is 0, must be from 1 to 100"},
      {good("outcomes = [\"relapse\", \"bed_days\", \"relapse\"]\n"),
       "t.toml:6: trial.outcomes: \"relapse\" is listed twice"},
      {good().replace(good().find("give = [\"ips\"]"), 14, "exposure = { has_carer = true }"),
       "arm 2.exposure: is for cohorts"},
      {good() + "[base]\n\"run.seed\" = 3\n", "base.run.seed: is set by the trial"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::string message = refusal(c.text);
    INFO(message);
    CHECK(message.find(c.expect) != std::string::npos);
    CHECK(message.find("t.toml") != std::string::npos);
  }
}

TEST_CASE("the command line cannot set what the trial decides") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  for (const std::string set : {"run.seed=5", "run.weeks=10"}) {
    INFO(set);
    CHECK_THROWS_WITH(parse_trial(good(), "t.toml", {set}, dir.path()),
                      Catch::Contains("--set " + set + ": is set by the trial"));
  }
}

TEST_CASE("ripple trial refuses a bad trial file with exit code 2") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  const auto path = ripple::testing::write_file(
      dir / "t.toml", good().replace(good().find("randomised"), 10, "crossover"));
  const auto result =
      ripple::testing::run_command(std::string(RIPPLE_BINARY) + " trial '" + path.string() +
                                   "' -o '" + (dir / "out").string() + "' -q");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("trial.design") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "trial.csv"));
  const auto empty = ripple::testing::write_file(dir / "empty.toml", "\n");
  CHECK(ripple::testing::run_command(std::string(RIPPLE_BINARY) + " trial '" + empty.string() +
                                     "' -q")
            .exit_code == 2);
}

TEST_CASE("ripple trial refuses a trial without participants and writes no output") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  // No one in a population of 2000 is 119 or older.
  const auto path = ripple::testing::write_file(
      dir / "t.toml",
      good().replace(good().find("[eligibility]\n"), 14, "[eligibility]\nmin_age = 119\n"));
  const auto result =
      ripple::testing::run_command(std::string(RIPPLE_BINARY) + " trial '" + path.string() +
                                   "' -o '" + (dir / "out").string() + "' -q --report 2>&1");
  INFO(result.output);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("no one in the population meets the eligibility of " + path.string() +
                           ":6") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "trial.csv"));
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "trial.h5"));
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "report.html"));
}

TEST_CASE("trial --report draws Kaplan-Meier curves and shows the shares of trial.h5") {
  // The watchdog cohort with binary outcomes too (stored as events / n, not sum / n:
  // the report once read `sum` for them and crashed on trials/ips.toml).
  TempDir dir;
  const auto path = ripple::testing::write_file(
      dir / "cohort.toml",
      std::string("[trial]\nscenario = \"") + RIPPLE_SOURCE_DIR +
          "/scenarios/baseline.toml\"\n"
          "design = \"cohort\"\nfollow_up_weeks = 26\nreplications = 2\n"
          "outcomes = [\"relapse\", \"admission\", \"bed_days\", \"employed\", "
          "\"lonely_any_week\", \"carer_burden_high\"]\n"
          "[base]\npopulation.persons = 2000\n"
          "[eligibility]\nprofile = [\"psychosis\", \"bipolar\"]\nhas_carer = true\n"
          "[[arm]]\nname = \"supportive carer\"\nexposure = { carer_style = \"supportive\" }\n"
          "[[arm]]\nname = \"watchdog carer\"\nexposure = { carer_style = \"watchdog\" }\n");
  const std::string out = (dir / "wd").string();
  const auto result =
      ripple::testing::run_command(std::string(RIPPLE_BINARY) + " trial '" + path.string() +
                                   "' -q --report -o '" + out + "' 2>&1");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "wd" / "report.html"));
  const auto check = ripple::testing::run_command(
      std::string(RIPPLE_PYTHON) + " '" + RIPPLE_SOURCE_DIR +
      "/tests/trial/check_trial_report.py' '" + out + "' event binary mean 2>&1");
  INFO(check.output);
  CHECK(check.exit_code == 0);
}

TEST_CASE("a crash of a report script is an internal error, bad input stays exit code 2") {
  TempDir dir;
  // The script reports bad input itself (exit 2): no trial.h5 in the folder.
  const auto bad = ripple::testing::run_command(std::string(RIPPLE_PYTHON) + " '" +
                                                RIPPLE_SOURCE_DIR + "/analysis/trial_report.py' '" +
                                                (dir / "nothing").string() + "' 2>&1");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("no such file") != std::string::npos);
  // A script that crashes (an exception) makes `ripple trial --report` exit with 1.
  const auto scripts = dir / "scripts";
  std::filesystem::create_directories(scripts);
  ripple::testing::write_file(scripts / "trial_report.py", "raise KeyError('sum')\n");
  const auto result = ripple::testing::run_command(
      "RIPPLE_ANALYSIS_DIR='" + scripts.string() + "' " + RIPPLE_BINARY + " trial '" +
      RIPPLE_SOURCE_DIR + "/trials/watchdog-cohort.toml' -r 1 --set population.persons=2000 " +
      "-q --report -o '" + (dir / "out").string() + "' 2>&1");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK(result.output.find("internal error") != std::string::npos);
}
