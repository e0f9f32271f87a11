// `ripple trial`: a virtual trial or cohort inside a simulated population
// (docs/TRIALS.md); a table on stdout, trial.csv and trial.h5 in the output folder,
// and with --report the figures (analysis/trial_report.py).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "compare/compare.hpp"
#include "ripple/errors.hpp"
#include "trial/trial.hpp"

namespace fs = std::filesystem;

namespace ripple::app {
namespace {

const char* const kTrialUsage =
    "usage: ripple trial TRIAL.toml [-o DIR] [-r R] [--seed N] [--set key=value]... [--jobs N] "
    "[--report] [--quiet]";

}  // namespace

int command_trial(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "folder for trial.csv, trial.h5 and the report (default runs/trial); created if missing");
  add("replications,r", po::value<int>()->value_name("R"),
      "replications (default: trial.replications of the file)");
  add("seed", po::value<long long>()->value_name("N"),
      "master seed (default: trial.seed, else run.seed of the base scenario)");
  add("set", po::value<std::vector<std::string>>()->value_name("key=value")->composing(),
      "change one parameter of the base scenario (repeatable)");
  add("jobs,j", po::value<int>()->value_name("N")->default_value(0),
      "replications at the same time, one thread each; 0: one per core (results do not "
      "depend on it)");
  add("report",
      "also write figures (Kaplan-Meier curves, outcome bars) with /usr/bin/python3 and "
      "matplotlib");
  add("quiet,q", "no progress and no table");
  const auto parsed = parse_command(
      args, visible, {"trial", true}, kTrialUsage,
      "Runs a virtual trial (individual randomisation with an allocation ratio) or an\n"
      "observational cohort (arms by a state at entry) inside the base scenario's population,\n"
      "R times, and reports for each outcome the share in each arm, risk and odds ratios,\n"
      "Kaplan-Meier curves and hazard ratios with 95% intervals, and contamination between\n"
      "arms. Writes DIR/trial.csv and DIR/trial.h5; see docs/TRIALS.md.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  std::vector<std::string> paths;
  if (vm.count("trial")) paths = vm["trial"].as<std::vector<std::string>>();
  if (paths.size() != 1) throw UsageError("trial: give exactly one TRIAL file", kTrialUsage);
  const int jobs = jobs_option(vm, kTrialUsage);
  std::vector<std::string> overrides;
  if (vm.count("set")) overrides = vm["set"].as<std::vector<std::string>>();
  trial::Spec spec = trial::load_trial(paths.front(), overrides);
  if (vm.count("replications")) {
    const int r = vm["replications"].as<int>();
    if (r < 1)
      throw UsageError(fmt::format("--replications {}: must be 1 or more", r), kTrialUsage);
    spec.replications = r;
  }
  if (vm.count("seed")) {
    const long long seed = vm["seed"].as<long long>();
    if (seed < 0 || seed > 4294967295LL)
      throw UsageError(fmt::format("--seed {}: must be from 0 to 4294967295", seed), kTrialUsage);
    spec.seed = static_cast<std::uint64_t>(seed);
  }
  const fs::path dir = output_folder(vm, "trial");

  const bool quiet = vm.count("quiet") > 0;
  const auto started = std::chrono::steady_clock::now();
  trial::Options options;
  options.jobs = jobs;
  options.progress = [&](std::size_t done, std::size_t total) {
    if (interrupt_signal() != 0) throw InputError("interrupted");
    if (quiet) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("trial: {}/{} replications done, {} elapsed\n", done, total,
                             format_duration(elapsed));
  };
  install_interrupt_handlers();
  if (!quiet)
    std::cerr << fmt::format(
        "trial: {} x {} replications, {} persons, entry at week {}, {} weeks "
        "of follow-up\n",
        spec.name, spec.replications, spec.base.params.population.persons, spec.entry_week,
        spec.follow_up_weeks);
  const trial::Result result = trial::run_trial(spec, options);
  trial::require_participants(result);  // before any output: an empty trial looks complete
  const std::vector<trial::OutcomeSummary> rows = trial::summarise(result);
  trial::write_csv(result, rows, dir / "trial.csv");
  trial::write_hdf5(result, rows, dir / "trial.h5");
  if (!quiet) {
    std::cout << trial::format_table(result, rows);
    std::cout << fmt::format("\nOutput: {} and {} ({} s)\n", (dir / "trial.csv").string(),
                             (dir / "trial.h5").string(), format_number(result.wall_seconds));
  }
  if (vm.count("report")) {
    run_analysis_script("trial_report.py", dir,
                        fmt::format("the table is in {}", (dir / "trial.csv").string()));
    if (!quiet) std::cout << fmt::format("Report: figures in {}\n", dir.string());
  }
  return kExitOk;
}

}  // namespace ripple::app
