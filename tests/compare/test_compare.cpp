// `ripple compare`: common random numbers, refused populations, and outputs that agree.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "compare/compare.hpp"
#include "ripple/outcomes.hpp"
#include "ripple/ripple.hpp"
#include "scenario/scenario.hpp"
#include "support/tmpdir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using ripple::testing::CommandResult;
using ripple::testing::run_command;
using ripple::testing::TempDir;
using ripple::testing::write_file;

namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Equal element by element, where NaN (a group with nobody to measure) equals NaN.
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

std::string services(const std::string& name) {
  return std::string(RIPPLE_SOURCE_DIR) + "/scenarios/services/" + name + ".toml";
}

// Small and short, so that a comparison takes seconds.
const std::vector<std::string> kSmall = {"population.persons=2000", "run.weeks=26",
                                         "run.burn_in_weeks=10"};

std::vector<ripple::scenario::Scenario> small_pair() {
  return {ripple::scenario::load_scenario(services("fragmented"), kSmall),
          ripple::scenario::load_scenario(services("open-dialogue"), kSmall)};
}

double width(const ripple::compare::Interval& interval) { return interval.high - interval.low; }

}  // namespace

TEST_CASE("common random numbers give a narrower interval than independent seeds", "[compare]") {
  ripple::compare::Options options;
  options.replications = 8;
  options.master_seed = 11;
  options.jobs = 2;
  const auto configurations = small_pair();
  const auto common = ripple::compare::run_comparison(configurations, options);
  options.independent = true;
  const auto independent = ripple::compare::run_comparison(configurations, options);

  // With common numbers both configurations meet the same people and chance events, so
  // the paired differences vary far less than the outcomes themselves.
  const auto crn_rows = ripple::compare::key_rows(common);
  const auto ind_rows = ripple::compare::key_rows(independent);
  REQUIRE(crn_rows.size() == ind_rows.size());
  for (std::size_t i = 0; i < crn_rows.size(); ++i) {
    if (crn_rows[i].key != "recovery_index_mean" && crn_rows[i].key != "recovery_years" &&
        crn_rows[i].key != "employed")
      continue;
    INFO(crn_rows[i].key);
    CHECK(width(crn_rows[i].difference[1]) < 0.5 * width(ind_rows[i].difference[1]));
  }
  // Independent mode really used other seeds for the second configuration.
  CHECK(common.runs[1][3].seed == common.runs[0][3].seed);
  CHECK(independent.runs[1][3].seed != independent.runs[0][3].seed);
}

TEST_CASE("a comparison does not depend on how many runs go at once", "[compare]") {
  ripple::compare::Options options;
  options.replications = 2;
  options.master_seed = 5;
  options.jobs = 1;
  const auto configurations = small_pair();
  const auto one = ripple::compare::run_comparison(configurations, options);
  options.jobs = 2;
  const auto two = ripple::compare::run_comparison(configurations, options);
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t r = 0; r < 2; ++r) {
      CHECK(one.runs[k][r].weekly_mean == two.runs[k][r].weekly_mean);
      CHECK(same_values(one.runs[k][r].subgroup_mean, two.runs[k][r].subgroup_mean));
      CHECK(one.runs[k][r].total_cost == two.runs[k][r].total_cost);
    }
}

TEST_CASE("subgroups cover every person in recovery once per dimension", "[compare]") {
  ripple::compare::Options options;
  options.replications = 1;
  const auto result = ripple::compare::run_comparison(small_pair(), options);
  const auto& sizes = result.runs[0][0].subgroup_size;
  REQUIRE(sizes.size() == 8);
  const double conditions = sizes[0] + sizes[1] + sizes[2] + sizes[3];
  CHECK(conditions > 0);
  CHECK(sizes[4] + sizes[5] == conditions);  // living alone or with family
  CHECK(sizes[6] + sizes[7] == conditions);  // employed or not
  CHECK(sizes[4] > 0);
  CHECK(sizes[5] > 0);
}

TEST_CASE("configurations with different populations are refused", "[compare]") {
  const TempDir dir;
  const fs::path a = write_file(dir / "a.toml", "[population]\npersons = 2000\n");
  const fs::path b =
      write_file(dir / "b.toml", "[run]\nweeks = 10\n[population]\npersons = 3000\n");
  const CommandResult result =
      run_command(quoted(RIPPLE_BINARY) + " compare " + quoted(a.string()) + " " +
                  quoted(b.string()) + " -r 2 --steps 4 -o " + quoted((dir / "out").string()));
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.output, Contains("population.persons is 2000"));
  CHECK_THAT(result.output, Contains("a.toml line 2"));
  CHECK_THAT(result.output, Contains("b.toml line 4"));
  CHECK_FALSE(fs::exists(dir / "out" / "compare.h5"));
}

TEST_CASE("the table on stdout agrees with compare.csv and compare.h5", "[compare]") {
  const TempDir dir;
  std::string sets;
  for (const std::string& s : kSmall) sets += " --set " + s;
  const std::string out = (dir / "out").string();
  const CommandResult run = run_command(
      quoted(RIPPLE_BINARY) + " compare " + quoted(services("fragmented")) + " " +
      quoted(services("family-outreach")) + " " + quoted(services("open-dialogue")) +
      " -r 3 --seed 3" + sets + " -o " + quoted(out) + " > " +
      quoted((dir / "stdout.txt").string()) + " 2> " + quoted((dir / "stderr.txt").string()));
  REQUIRE(run.exit_code == 0);
  REQUIRE(fs::exists(dir / "out" / "compare.csv"));
  REQUIRE(fs::exists(dir / "out" / "compare.h5"));
  const CommandResult check =
      run_command(std::string(RIPPLE_PYTHON) + " " +
                  quoted(std::string(RIPPLE_SOURCE_DIR) + "/tests/compare/check_outputs.py") + " " +
                  quoted(out) + " " + quoted((dir / "stdout.txt").string()));
  INFO(check.output);
  CHECK(check.exit_code == 0);
}

TEST_CASE("subgroup admissions and bed-days add up to no more than the whole population's",
          "[compare]") {
  // Nobody dies, so each group keeps its size; the condition groups split the persons
  // in recovery at the start, who are among everyone the summary counts.
  const auto scenario = ripple::scenario::parse_scenario(
      "[population]\npersons = 3000\n[run]\nweeks = 78\nburn_in_weeks = 0\n"
      "[events]\ndeath_per_year = 0.0\n",
      "subgroups");
  ripple::Simulation simulation(scenario, 1);
  ripple::SubgroupTracker tracker(simulation);
  const auto& names = ripple::subgroup_variables();
  const auto index = [&](const std::string& name) {
    for (std::size_t v = 0; v < names.size(); ++v)
      if (names[v].name == name) return v;
    FAIL("no subgroup variable " << name);
    return std::size_t{0};
  };
  const std::size_t admissions = index("admissions"), bed_days = index("bed_days"),
                    cost = index("cost");
  const std::size_t summary_bed_days = ripple::summary_index("bed_days").value();
  // The summary tallies a week before the service pass admits, the tracker after it:
  // the group's bed-days of week t are in the summary of week t + 1.
  double group_admissions = 0, group_bed_days = 0, all_bed_days = 0, last_week_bed_days = 0;
  for (int week = 1; week <= 78; ++week) {
    simulation.step();
    const std::vector<double> values = tracker.measure(simulation);
    const std::vector<double> summary = simulation.summary();
    if (week > 1) {
      REQUIRE(last_week_bed_days <= summary[summary_bed_days] + 1e-9);
      all_bed_days += summary[summary_bed_days];
      group_bed_days += last_week_bed_days;
    }
    last_week_bed_days = 0;
    for (std::size_t g = 0; g < 4; ++g) {  // the condition profiles
      const double size = static_cast<double>(tracker.sizes()[g]);
      if (size == 0) continue;
      group_admissions += values[g * names.size() + admissions] * size;
      last_week_bed_days += values[g * names.size() + bed_days] * size;
      REQUIRE(values[g * names.size() + cost] >= 0.0);
    }
  }
  CHECK(group_admissions > 0);  // the test sees admissions at all
  CHECK(group_bed_days > 0);
  CHECK(group_bed_days <= all_bed_days + 1e-9);
  // An admission starts at least one week in bed.
  CHECK(group_bed_days + last_week_bed_days >= 7.0 * group_admissions - 1e-9);
}

TEST_CASE("a comparison into a used folder removes the earlier report", "[compare]") {
  // An old report.html beside a new compare.h5 would be read as describing it.
  const TempDir dir;
  fs::create_directories(dir / "out" / "figures");
  write_file(dir / "out" / "report.html", "<html>an earlier comparison</html>");
  write_file(dir / "out" / "figures" / "forest.png", "old");
  write_file(dir / "out" / "figures" / "notes.txt", "the user's own");
  const CommandResult run = run_command(
      quoted(RIPPLE_BINARY) + " compare " + quoted(services("fragmented")) + " " +
      quoted(services("open-dialogue")) +
      " -r 2 -q --set population.persons=1000 --set run.weeks=8 --set run.burn_in_weeks=2 -o " +
      quoted((dir / "out").string()) + " 2>&1");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(fs::exists(dir / "out" / "compare.h5"));
  CHECK_FALSE(fs::exists(dir / "out" / "report.html"));
  CHECK_FALSE(fs::exists(dir / "out" / "figures" / "forest.png"));
  CHECK(fs::exists(dir / "out" / "figures" / "notes.txt"));
}

namespace {

// A comparison of two configurations over three replications, built by hand: config 1's
// recovery index is config 0's plus {0.1, 0.2, 0.2}, its cost and recovery-years are
// the clear case of test_stats.cpp (50 NOK more for 2 years more), and subgroup 0 has
// 10, 20 and 30 persons in config 0's runs. Weeks: 2.
ripple::compare::Result hand_made() {
  ripple::compare::Result result;
  result.configurations = {ripple::scenario::parse_scenario("[scenario]\nname = \"a\"\n", "a"),
                           ripple::scenario::parse_scenario("[scenario]\nname = \"b\"\n", "b")};
  result.options.replications = 3;
  result.weeks = 2;
  const std::size_t variables = ripple::summary_variables().size();
  const std::size_t groups = ripple::subgroups().size();
  const std::size_t sub = groups * ripple::subgroup_variables().size();
  const std::size_t recovery = ripple::summary_index("recovery_index_mean").value();
  const double index[2][3] = {{0.5, 0.6, 0.7}, {0.6, 0.8, 0.9}};
  const double cost[2][3] = {{100, 110, 120}, {150, 162, 168}};
  const double years[2][3] = {{10, 11, 12}, {12, 13.2, 13.8}};
  result.runs.assign(2, std::vector<ripple::compare::RunOutcome>(3));
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t r = 0; r < 3; ++r) {
      ripple::compare::RunOutcome& run = result.runs[k][r];
      run.seed = 100 * k + r;
      run.weekly_mean.assign(variables, 0.0);
      run.weekly_mean[recovery] = index[k][r];
      run.total_cost = cost[k][r];
      run.recovery_years = years[k][r];
      run.subgroup_mean.assign(sub, 0.0);
      run.subgroup_mean[0] = index[k][r];  // subgroup 0, first subgroup variable
      run.subgroup_size.assign(groups, static_cast<double>(10 * (r + 1) + 5 * k));
      // Week w of this run holds 100 k + 10 r + w in every variable.
      for (std::size_t w = 0; w <= 2; ++w)
        run.series.emplace_back(variables, static_cast<double>(100 * k + 10 * r + w));
    }
  return result;
}

}  // namespace

TEST_CASE("rows pair each configuration with the first one replication by replication",
          "[compare]") {
  const ripple::compare::Result result = hand_made();
  const auto rows = ripple::compare::key_rows(result);
  const auto row = [&](const std::string& key) {
    for (const auto& r : rows)
      if (r.key == key) return r;
    FAIL("no row " << key);
    return rows.front();
  };
  const auto index = row("recovery_index_mean");
  CHECK(index.mean[0].mean == Approx(0.6));
  CHECK(index.mean[1].mean == Approx(2.3 / 3));
  CHECK(index.difference[0].mean == 0.0);
  CHECK(index.difference[1].mean == Approx(0.5 / 3));  // b - a, not a - b
  CHECK(index.difference[1].n == 3);
  CHECK(row("total_cost").difference[1].mean == Approx(50.0));
  CHECK(row("recovery_years").difference[1].mean == Approx(2.0));

  const auto subgroups = ripple::compare::subgroup_rows(result);
  REQUIRE(!subgroups.empty());
  CHECK(subgroups[0].group == 0);
  CHECK(subgroups[0].variable == 0);
  CHECK(subgroups[0].size == Approx(20.0));  // the first configuration's mean
  CHECK(subgroups[0].row.difference[1].mean == Approx(0.5 / 3));

  const auto ratios = ripple::compare::icers(result);
  REQUIRE(ratios.size() == 2);
  REQUIRE(ratios[1].ratio.has_value());
  CHECK(*ratios[1].ratio == Approx(25.0));
  CHECK(ratios[1].cost.mean == Approx(50.0));
}

TEST_CASE("a run's means and totals count weeks 1 to the end and not week 0", "[compare]") {
  auto scenario = ripple::scenario::parse_scenario(
      "[population]\npersons = 1000\n[run]\nweeks = 4\nburn_in_weeks = 0\n", "small");
  ripple::compare::Options options;
  options.replications = 1;
  options.master_seed = 9;
  options.jobs = 1;
  const auto result = ripple::compare::run_comparison({scenario}, options);
  const ripple::compare::RunOutcome& run = result.runs[0][0];

  // The same run stepped here: replication 0 of the first configuration uses the master seed.
  scenario.params.run.seed = 9;
  ripple::Simulation simulation(scenario, 1);
  const std::size_t cost = ripple::summary_index("cost").value(),
                    index = ripple::summary_index("recovery_index_mean").value(),
                    in_recovery = ripple::summary_index("in_recovery").value();
  std::vector<std::vector<double>> weeks{simulation.summary()};
  for (int w = 1; w <= 4; ++w) {
    simulation.step();
    weeks.push_back(simulation.summary());
  }
  double total_cost = 0.0, years = 0.0, mean_index = 0.0;
  for (int w = 1; w <= 4; ++w) {
    total_cost += weeks[w][cost];
    years += weeks[w][index] * weeks[w][in_recovery] / 52.0;
    mean_index += weeks[w][index] / 4.0;
  }
  REQUIRE(weeks[0][cost] != weeks[4][cost]);  // week 0 would show if it were counted
  CHECK(run.seed == 9);
  CHECK(run.series == weeks);
  CHECK(run.total_cost == Approx(total_cost).epsilon(1e-12));
  CHECK(run.recovery_years == Approx(years).epsilon(1e-12));
  CHECK(run.weekly_mean[index] == Approx(mean_index).epsilon(1e-12));
  // A recovery-year is 52 person-weeks at full index, or 104 at half of it.
  CHECK(ripple::compare::recovery_years_of_week(0.5, 104.0) == Approx(1.0));
}

TEST_CASE("compare.h5 keeps runs in configuration then replication order", "[compare]") {
  const TempDir dir;
  const fs::path path = dir / "compare.h5";
  ripple::compare::write_hdf5(hand_made(), path);
  CHECK_FALSE(fs::exists(dir / "compare.h5.partial"));
  const fs::path script = write_file(dir / "check.py", R"PY(
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
problems = []
# Three replications: Student t with 2 degrees of freedom.
if abs(f.attrs["t_quantile"] - 4.302653) > 1e-5: problems.append(f"t {f.attrs['t_quantile']}")
if f["seeds"].shape != (2, 3) or f["seeds"][1, 2] != 102: problems.append(f"seeds {f['seeds'][()]}")
ts = f["timeseries/cost"]
if ts.shape != (2, 3, 3): problems.append(f"timeseries shape {ts.shape}")
elif ts[1, 2, 1] != 121 or ts[0, 1, 2] != 12: problems.append(f"timeseries {ts[()]}")
if list(f["timeseries/step"][()]) != [0, 1, 2]: problems.append("step")
runs = f["runs/total_cost"]
if runs.shape != (2, 3) or runs[1, 0] != 150: problems.append(f"runs {runs[()]}")
if abs(f["icer/ratio"][1] - 25.0) > 1e-9: problems.append(f"icer {f['icer/ratio'][()]}")
print("\n".join(problems) if problems else "OK")
)PY");
  const CommandResult check = run_command(std::string(RIPPLE_PYTHON) + " " +
                                          quoted(script.string()) + " " + quoted(path.string()));
  INFO(check.output);
  CHECK_THAT(check.output, Contains("OK"));
}
