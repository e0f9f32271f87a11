// `ripple calibrate`: target files are read or refused with file, line and field; a
// target is measured as hand-computed; the fit lowers the distance with common random
// numbers; the command writes its overlay, table and record.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "calibrate/calibrate.hpp"
#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"
#include "support/tmpdir.hpp"

using namespace ripple;
using namespace ripple::calibration;
using ripple::testing::TempDir;

namespace {

const std::string kScenario = "[population]\npersons = 2000\n[run]\nburn_in_weeks = 4\n";

// A good target file: a one-arm cohort with two figures; `extra` is appended.
std::string good(const std::string& extra = "") {
  return "[calibration]\n"                           // 1
         "row = \"9\"\n"                             // 2
         "quantity = \"test figure\"\n"              // 3
         "source = \"nobody 2026\"\n"                // 4
         "[trial]\n"                                 // 5
         "scenario = \"base.toml\"\n"                // 6
         "design = \"cohort\"\n"                     // 7
         "follow_up_weeks = 8\n"                     // 8
         "replications = 2\n"                        // 9
         "outcomes = [\"relapse\", \"lonely\"]\n"    // 10
         "network_degrees = 2\n"                     // 11
         "[eligibility]\n"                           // 12
         "profile = [\"psychosis\", \"bipolar\"]\n"  // 13
         "[[arm]]\n"                                 // 14
         "name = \"all\"\n"                          // 15
         "exposure = {}\n"                           // 16
         "[[target]]\n"                              // 17
         "name = \"relapse by week 4\"\n"            // 18
         "statistic = \"share\"\n"                   // 19
         "outcome = \"relapse\"\n"                   // 20
         "week = 4\n"                                // 21
         "value = 0.2\n"                             // 22
         "[[target]]\n"                              // 23
         "statistic = \"contagion\"\n"               // 24
         "degree = 2\n"                              // 25
         "value = 0.4\n"                             // 26
         "interval = [0.1, 0.5]\n" +                 // 27
         extra;
}

TargetFile parse_in(const TempDir& dir, const std::string& text) {
  ripple::testing::write_file(dir / "base.toml", kScenario);
  return parse_target_file(text, "t.toml", {}, dir.path());
}

std::string refusal(const std::string& text) {
  TempDir dir;
  try {
    parse_in(dir, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

trial::Participant person(int arm, bool event, double time) {
  trial::Participant x;
  x.arm = arm;
  x.events.push_back({time, event});
  return x;
}

}  // namespace

TEST_CASE("a calibration target file is read as written", "[calibration_file]") {
  TempDir dir;
  const TargetFile f = parse_in(dir, good());
  CHECK(f.row == "9");
  CHECK(f.quantity == "test figure");
  REQUIRE(f.spec.arms.size() == 1);
  CHECK(f.spec.network_degrees == 2);
  REQUIRE(f.targets.size() == 2);
  CHECK(f.targets[0].statistic == Statistic::Share);
  CHECK(f.targets[0].week == 4);
  CHECK(f.targets[0].line == 17);
  CHECK(f.targets[0].band_low() == Approx(0.16));  // 20% either side without an interval
  CHECK(f.targets[0].band_high() == Approx(0.24));
  CHECK(f.targets[1].statistic == Statistic::Contagion);
  CHECK(f.targets[1].degree == 2);
  CHECK(f.targets[1].band_low() == Approx(0.1));
  CHECK(f.targets[1].band_high() == Approx(0.5));
}

TEST_CASE("bad calibration target files are refused with line and field", "[calibration_file]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {replace(good(), "row = \"9\"\n", ""), "t.toml:1: calibration.row: is missing"},
      {replace(good(), "statistic = \"share\"", "statistic = \"median\""),
       "t.toml:19: target 1.statistic: \"median\" is not one of"},
      {replace(good(), "outcome = \"relapse\"\n", "outcome = \"employed\"\n"),
       "t.toml:20: target 1.outcome: \"employed\" is not among trial.outcomes"},
      {replace(good(), "degree = 2", "degree = 3"),
       "t.toml:25: target 2.degree: is 3 but trial.network_degrees is 2"},
      {replace(good(), "interval = [0.1, 0.5]", "interval = [0.5, 0.9]"),
       "t.toml:27: target 2.interval: must be [low, high] around the value"},
      {replace(good(), "week = 4", "week = 9"),
       "t.toml:21: target 1.week: is 9, must be from 1 to 8"},
      {replace(good(), "value = 0.2\n", ""), "t.toml:17: target 1.value: is missing"},
      {good("[[target]]\nstatistic = \"odds_ratio\"\noutcome = \"relapse\"\nvalue = 2\n"),
       "target 3.arm: a ratio compares an arm with the first one"},
      {good("[[target]]\nstatistic = \"mean\"\noutcome = \"lonely\"\nvalue = 2\n"),
       "\"lonely\" is a share outcome"},
      {good("[[target]]\nstatistic = \"difference\"\noutcome = \"lonely\"\nvalue = 2\n"),
       "\"lonely\" is a share outcome"},
      {replace(good("[[target]]\nstatistic = \"difference\"\noutcome = \"weeks_to_job\"\n"
                    "value = -10\n"),
               "outcomes = [\"relapse\", \"lonely\"]",
               "outcomes = [\"relapse\", \"weeks_to_job\"]"),
       "target 3.arm: a ratio compares an arm with the first one"},
      {replace(good("[[target]]\nstatistic = \"share\"\noutcome = \"weeks_worked\"\nvalue = 1\n"),
               "outcomes = [\"relapse\", \"lonely\"]",
               "outcomes = [\"relapse\", \"weeks_worked\"]"),
       "\"weeks_worked\" is a mean outcome; use statistic = \"mean\" or \"difference\""},
      {good("[[target]]\nstatistic = \"share\"\noutcome = \"lonely\"\nvalue = 0.5\nweight = 0\n"),
       "target 3.weight: must be above 0"},
      {replace(good(), "[calibration]\n", "[calibrate]\n"), "t.toml:1: calibrate: unknown key"},
      {replace(good(), "statistic = \"share\"", "statistic = [\"share\", \"odds_ratio\"]"),
       "t.toml:19: target 1.statistic: takes one name, not a list"},
      {good("[[arm]]\nname = \"more\"\nexposure = {}\n[[target]]\nstatistic = \"risk_ratio\"\n"
            "outcome = \"relapse\"\narm = [\"more\", \"all\"]\nvalue = 2\n"),
       "target 3.arm: takes one name, not a list"},
      {replace(good(), "value = 0.2\n", "value = 0\n"),
       "t.toml:22: target 1.value: is 0 and needs an interval"},
      {good("[[target]]\nstatistic = \"share\"\noutcome = \"lonely\"\nvalue = 0.5\n"
            "weight = 101\n"),
       "target 3.weight: must be above 0 and at most 100"},
      {good("[[target]]\nstatistic = \"share\"\noutcome = \"lonely\"\nweek = 4\n"
            "value = 0.5\n"),
       "target 3.week: is for event outcomes"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    CHECK_THAT(refusal(text), Catch::Contains(expected));
  }
}

TEST_CASE("a target's miss is 1 at the edge of its band on either side", "[calibration_file]") {
  Target t;
  t.value = 4.87;
  t.low = 3.22;
  t.high = 7.36;
  CHECK(t.miss(4.87) == 0.0);
  CHECK(t.miss(3.22) == Approx(1.0));
  CHECK(t.miss(7.36) == Approx(1.0));
  CHECK(t.miss(2.395) == Approx(1.5));
  CHECK(t.miss(6.115) == Approx(0.5));
  CHECK(std::isinf(t.miss(std::nan(""))));
}

// Two replications of a two-arm trial of relapse over 52 weeks. Replication 1: reference
// 1 of 4 by week 10 (another at week 30); arm 2 of 2. Replication 2: reference 1 of 2;
// arm 1 of 4.
trial::Result hand_computed_result() {
  trial::Result result;
  result.spec.outcomes = {"relapse"};
  result.spec.follow_up_weeks = 52;
  result.spec.arms.resize(2);
  trial::Replication r1, r2;
  r1.participants = {person(0, true, 5),   person(0, true, 30), person(0, false, 52),
                     person(0, false, 52), person(1, true, 10), person(1, true, 2)};
  r2.participants = {person(0, true, 1),   person(0, false, 52), person(1, true, 9),
                     person(1, false, 52), person(1, false, 52), person(1, false, 40)};
  result.replications = {r1, r2};
  return result;
}

TEST_CASE("targets are measured as computed by hand", "[calibration_file]") {
  const trial::Result result = hand_computed_result();
  Target t;
  t.outcome = "relapse";
  t.week = 10;
  t.statistic = Statistic::Share;
  CHECK(measure(t, result).value == Approx(2.0 / 6.0));  // reference: 1 + 1 of 6
  t.week = 0;
  CHECK(measure(t, result).value == Approx(3.0 / 6.0));  // by the end: also week 30
  t.arm = 1;
  t.week = 10;
  const Measure share = measure(t, result);
  CHECK(share.value == Approx(3.0 / 6.0));
  // Per replication 1.0 and 0.25: t interval with df 1 around 0.625, 0.625 +- 12.706 *
  // 0.375 (sd/sqrt(2)), i.e. -4.14 to 5.39, clipped to a share's range.
  CHECK(share.low == 0.0);
  CHECK(share.high == 1.0);
  t.statistic = Statistic::OddsRatio;  // pooled: (3/3) / (2/4)
  CHECK(measure(t, result).value == Approx(2.0));
  t.statistic = Statistic::RiskRatio;  // (3/6) / (2/6)
  CHECK(measure(t, result).value == Approx(1.5));

  // Contagion: 40 of 100 egos depressed; of 50 depressed alters at degree 1, 30 have a
  // depressed ego: (30 / 50) / 0.4 - 1 = 0.5.
  trial::Result net;
  net.spec.network_degrees = 1;
  trial::Replication r;
  r.network.egos = 100;
  r.network.depressed_egos = 40;
  r.network.pairs = {500};
  r.network.depressed_alters = {50};
  r.network.both_depressed = {30};
  net.replications = {r};
  Target c;
  c.statistic = Statistic::Contagion;
  c.degree = 1;
  CHECK(measure(c, net).value == Approx(0.5));
}

TEST_CASE("every calibrated parameter is in the table with a prior inside its range",
          "[calibration_file]") {
  const std::vector<Free> free = calibrated_parameters();
  REQUIRE(free.size() >= 5);
  for (const Free& f : free) {
    INFO(f.key);
    const scenario::ParamInfo* info = scenario::find_param(f.key);
    REQUIRE(info != nullptr);
    CHECK(f.low < f.high);
    CHECK(f.low >= info->min);
    CHECK(f.high <= info->max);
    CHECK(f.start >= f.low);
    CHECK(f.start <= f.high);
  }
}

TEST_CASE("the fit lowers the distance and evaluations repeat exactly", "[calibration_fit]") {
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", kScenario);
  // One figure that depends strongly on one parameter: CMHC clients who drop out
  // within 26 weeks, against the yearly drop-out rate.
  const std::string text =
      "[calibration]\nrow = \"8\"\nquantity = \"drop-out\"\nsource = \"test\"\n"
      "[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\nfollow_up_weeks = 26\n"
      "replications = 2\noutcomes = [\"dropout\"]\n"
      "[base]\npopulation.persons = 3000\n"
      "[eligibility]\nservices = [\"cmhc\"]\n[[arm]]\nname = \"clients\"\nexposure = {}\n"
      "[[target]]\nstatistic = \"share\"\noutcome = \"dropout\"\nvalue = 0.3\n";
  const std::vector<TargetFile> files = {parse_target_file(text, "t.toml", {}, dir.path())};
  const std::vector<Free> free = {{"helping.dropout_per_year", 0.02, 0.6, 0.02}};
  Options options;
  options.jobs = 2;
  const Evaluation a = evaluate(files, free, {0.02}, options);
  const Evaluation b = evaluate(files, free, {0.02}, options);
  CHECK(a.distance == b.distance);  // common random numbers: the same seeds every time
  const Evaluation high = evaluate(files, free, {0.5}, options);
  CHECK(high.measures[0][0].value > a.measures[0][0].value);
  options.max_evaluations = 12;
  const Fit fitted = fit(files, free, options);
  CHECK(fitted.history.size() <= 12);
  CHECK(fitted.start.distance == a.distance);
  CHECK(fitted.best.distance < fitted.start.distance);
  CHECK(fitted.best.distance < 1.0);  // within the band
  CHECK(fitted.best.x[0] > 0.2);      // 0.02 a year gives far too few drop-outs
  // -n counts distinct evaluations: the optimiser's first call (the starting point,
  // evaluated already) is not run again, so -n 2 moves once.
  for (std::size_t i = 1; i < fitted.history.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) CHECK(fitted.history[i].x != fitted.history[j].x);
  // Every value tried has at most 12 significant digits, so calibrated.toml does not show
  // the rounding noise of the mapping onto the prior (0.20899999999999996).
  for (const Evaluation& e : fitted.history) CHECK(fmt::format("{}", e.x[0]).size() <= 14);
  options.max_evaluations = 2;
  const Fit two = fit(files, free, options);
  REQUIRE(two.history.size() == 2);
  CHECK(two.history[1].x != two.history[0].x);
  CHECK(two.stopped == "reached 2 evaluations");
}

TEST_CASE("calibrate refuses a design without participants at the start", "[calibration_fit]") {
  TempDir dir;
  const std::vector<TargetFile> files = {
      parse_in(dir, replace(good(), "[eligibility]\n", "[eligibility]\nmin_age = 119\n"))};
  const std::vector<Free> free = {{"helping.dropout_per_year", 0.02, 0.6, 0.1}};
  Options options;
  options.max_evaluations = 1;
  try {
    fit(files, free, options);
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("no one in the population meets the eligibility of "
                                         "t.toml:12"));
  }
}

TEST_CASE("a target file's base table may not set a parameter the fit moves",
          "[calibration_file]") {
  TempDir dir;
  const std::vector<TargetFile> files = {
      parse_in(dir, replace(good(), "[eligibility]\n",
                            "[base]\npopulation.persons = 2500\nfamily.burden_gain = 0.3\n"
                            "[eligibility]\n"))};
  // Fitted: refused with the file, the line of the key, and why.
  try {
    refuse_free_in_base(files, {{"family.burden_gain", 0.01, 0.5, 0.06}});
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("t.toml:14: base.family.burden_gain: is a parameter "
                                         "the fit moves"));
    CHECK_THAT(e.what(), Catch::Contains("silently overridden"));
  }
  // Not fitted (--free names others): the file's value stands.
  CHECK_NOTHROW(refuse_free_in_base(files, {{"helping.dropout_per_year", 0.02, 0.6, 0.15}}));
}

TEST_CASE("calibrate refuses a --free key given twice", "[calibration_file]") {
  // It would fit two dimensions of one parameter and write it twice into
  // calibrated.toml, which --overlay then refuses.
  TempDir dir;
  const auto result = ripple::testing::run_command(
      std::string(RIPPLE_BINARY) + " calibrate '" + RIPPLE_SOURCE_DIR +
      "/calibration/09-carer-burden.toml' -n 2 -q --free family.burden_gain --free "
      "family.burden_gain -o '" +
      (dir / "out").string() + "' 2>&1");
  INFO(result.output);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.output, Catch::Contains("--free family.burden_gain: given twice"));
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "calibrated.toml"));
}

TEST_CASE("a band without an interval is 20 percent either side of a negative value too",
          "[calibration_file]") {
  Target t;
  t.value = -10;
  CHECK(t.band_low() == Approx(-12.0));
  CHECK(t.band_high() == Approx(-8.0));
  CHECK(t.miss(-11) == Approx(0.5));
  CHECK(t.miss(-6) == Approx(2.0));
}

TEST_CASE("a ratio target's interval is the t interval of the per-replication logs",
          "[calibration_file]") {
  // The replications of the hand-computed case: by week 10 the arm has 2 of 2 and 1 of 4,
  // the reference 1 of 4 and 1 of 2. Risk ratios (2.5/3) / (1.5/5) = 2.778 (a cell of 0:
  // one half added) and (1/4) / (1/2) = 0.5: mean log 0.1643, half-width 12.706 * 0.8574.
  const trial::Result result = hand_computed_result();
  Target t;
  t.outcome = "relapse";
  t.week = 10;
  t.arm = 1;
  t.statistic = Statistic::RiskRatio;
  const Measure m = measure(t, result);
  CHECK(m.value == Approx(1.5));
  CHECK(m.low == Approx(2.18778e-5).epsilon(1e-4));
  CHECK(m.high == Approx(63483.9).epsilon(1e-4));
}

TEST_CASE("the distance weighs each target and counts one it cannot measure as far off",
          "[calibration_fit]") {
  TempDir dir;
  // A second arm no one joins (everyone meets the first arm's exposure): its share cannot
  // be measured.
  const std::string text =
      replace(good("[[target]]\nname = \"nobody\"\nstatistic = \"share\"\n"
                   "outcome = \"lonely\"\narm = \"none\"\nvalue = 0.5\n"
                   "weight = 2\n"),
              "exposure = {}\n", "exposure = {}\n[[arm]]\nname = \"none\"\nexposure = {}\n");
  const std::vector<TargetFile> files = {
      parse_in(dir, replace(text, "value = 0.2\n", "value = 0.2\nweight = 3\n"))};
  REQUIRE(files[0].targets.size() == 3);
  CHECK(files[0].targets[0].weight == 3.0);
  const std::vector<Free> free = {{"helping.dropout_per_year", 0.02, 0.6, 0.15}};
  const Evaluation e = evaluate(files, free, {0.15});
  REQUIRE(e.measures[0].size() == 3);
  CHECK(std::isnan(e.measures[0][2].value));
  double expected = 0, worst = -1;
  std::size_t worst_target = 99;
  for (std::size_t t = 0; t < 3; ++t) {
    const Target& target = files[0].targets[t];
    const double miss = target.miss(e.measures[0][t].value);
    const double term = target.weight * (std::isfinite(miss) ? miss * miss : 100.0);
    expected += term;
    if (term > worst) {
      worst = term;
      worst_target = t;
    }
  }
  CHECK(e.distance == Approx(expected));
  CHECK(e.distance >= 200.0);  // 2 * 100 for the target that cannot be measured
  CHECK(e.worst_file == 0);
  CHECK(e.worst_target == worst_target);
}
