// `ripple compare`: several configurations of the same population, each run R times
// with common random numbers, and the paired differences to the first configuration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "compare/stats.hpp"
#include "scenario/scenario.hpp"

namespace ripple::compare {

struct Options {
  int replications = 10;
  std::uint64_t master_seed = 1;
  // Every run gets its own seed (configuration and replication), as if the
  // configurations had been run apart; for showing what common random numbers buy.
  bool independent = false;
  int jobs = 0;  // runs at the same time, each with one thread; 0: one per core
  // Called after each finished run with (runs done, runs in all); may throw to stop.
  std::function<void(std::size_t, std::size_t)> progress;
};

// The seed of replication r (of configuration k in independent mode). Replication 0
// of the first configuration uses the master seed itself, so it repeats `ripple run`.
std::uint64_t run_seed(std::uint64_t master, int replication, int configuration, bool independent);

// Throws InputError naming both files and every parameter that differs when the
// configurations do not describe the same population and horizon (population.*,
// run.weeks, run.burn_in_weeks).
void check_same_population(const std::vector<scenario::Scenario>& configurations);

// What one run gives.
struct RunOutcome {
  std::uint64_t seed = 0;
  std::vector<double> weekly_mean;          // per summary variable: mean over weeks 1..end
  std::vector<std::vector<double>> series;  // [week 0..end][summary variable]
  double total_cost = 0.0;                  // sum of the weekly cost over weeks 1..end
  double recovery_years = 0.0;              // see recovery_years() below
  std::vector<double> subgroup_mean;  // [group * variables + variable], mean over weeks 1..end
  std::vector<double> subgroup_size;  // persons in each subgroup at the start
};

// Recovery-years of one week: persons in recovery times their mean recovery index,
// divided by 52. Over a run, the sum over weeks 1..end.
double recovery_years_of_week(double recovery_index_mean, double persons_in_recovery);

struct Result {
  std::vector<scenario::Scenario> configurations;
  Options options;
  std::int64_t weeks = 0;
  std::vector<std::vector<RunOutcome>> runs;  // [configuration][replication]
  double wall_seconds = 0.0;
};

// Runs every configuration options.replications times, in parallel over runs. The
// result does not depend on options.jobs.
Result run_comparison(const std::vector<scenario::Scenario>& configurations,
                      const Options& options);

// --- Reading the result -----------------------------------------------------------

// A key outcome of the table: a /summary variable's mean per week, or one of the
// run totals "total_cost" and "recovery_years".
struct KeyOutcome {
  std::string key;
  std::string label;
  std::string unit;
};
const std::vector<KeyOutcome>& key_outcomes();

// Per-run values of a key outcome (or of any /summary variable by name) for one
// configuration, one per replication.
std::vector<double> outcome_values(const Result& result, const std::string& key,
                                   std::size_t configuration);
std::vector<double> subgroup_values(const Result& result, std::size_t group, std::size_t variable,
                                    std::size_t configuration);

struct Row {
  std::string key, label, unit;
  std::vector<Interval> mean;        // per configuration: mean over replications
  std::vector<Interval> difference;  // per configuration: paired difference to the first
};
std::vector<Row> key_rows(const Result& result);
// One row per subgroup and subgroup variable; key is "<variable>", label the group.
struct SubgroupRow {
  std::size_t group = 0;
  std::size_t variable = 0;
  double size = 0.0;  // persons at the start, mean over replications of the first config
  Row row;
};
std::vector<SubgroupRow> subgroup_rows(const Result& result);
// ICER of each configuration against the first (index 0 is unused).
std::vector<Icer> icers(const Result& result);

// --- Writing the result -----------------------------------------------------------

// The plain-text table for stdout.
std::string format_table(const Result& result);
// A sentence a planner can forward, per configuration beyond the first.
std::string plain_summary(const Result& result);
// DIR/compare.csv and DIR/compare.h5, each written under a temporary name and renamed.
void write_csv(const Result& result, const std::filesystem::path& path);
void write_hdf5(const Result& result, const std::filesystem::path& path);

}  // namespace ripple::compare
