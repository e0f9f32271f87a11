// `ripple compare`: configurations of the same population run side by side with common
// random numbers; a table on stdout, CSV and HDF5 in the output folder, and with
// --report the figures and an HTML report (analysis/compare_report.py).
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
#include "ripple/ripple.hpp"

namespace fs = std::filesystem;

namespace ripple::app {
namespace {

const char* const kCompareUsage =
    "usage: ripple compare A.toml B.toml [C.toml ...] [-r R] [-o DIR] [--seed N] [--steps N] "
    "[--set key=value]... [--jobs N] [--independent] [--report] [--quiet]";

}  // namespace

int command_compare(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("replications,r", po::value<int>()->value_name("R")->default_value(10),
      "runs of each configuration (at least 2 for confidence intervals)");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "folder for compare.csv, compare.h5 and the report (default runs/compare); created if "
      "missing");
  add("seed", po::value<std::string>()->value_name("N"),
      "master seed (default: run.seed of the first configuration)");
  add("steps", po::value<std::string>()->value_name("N"),
      "weeks to simulate, same as --set run.weeks=N");
  add("set", po::value<std::vector<std::string>>()->value_name("key=value")->composing(),
      "change one parameter in every configuration (repeatable)");
  add("jobs,j", po::value<int>()->value_name("N")->default_value(0),
      "runs at the same time, one thread each; 0: one per core (results do not depend on it)");
  add("independent",
      "give every run its own seed instead of common random numbers (to see what they buy)");
  add("report",
      "also write figures and report.html (needs /usr/bin/python3 with h5py, numpy, "
      "matplotlib)");
  add("quiet,q", "no progress and no table");
  const auto parsed = parse_command(
      args, visible, {"scenario", true}, kCompareUsage,
      "Runs each configuration R times on the same population with common random numbers\n"
      "(replication r of every configuration uses the same seed), and reports each key\n"
      "outcome's mean and the paired difference to the first configuration with a 95%\n"
      "confidence interval, by subgroup too, and the cost per recovery-year gained.\n"
      "Writes DIR/compare.csv and DIR/compare.h5; see docs/COMPARE.md.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  std::vector<std::string> paths;
  if (vm.count("scenario")) paths = vm["scenario"].as<std::vector<std::string>>();
  if (paths.size() < 2)
    throw UsageError("compare: two or more SCENARIO files are needed", kCompareUsage);
  const int replications = vm["replications"].as<int>();
  if (replications < 2)
    throw UsageError(
        fmt::format("--replications {}: at least 2 are needed for an interval", replications),
        kCompareUsage);
  const int jobs = jobs_option(vm, kCompareUsage);

  std::vector<std::string> overrides;
  if (vm.count("set")) overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("steps")) overrides.push_back("run.weeks=" + vm["steps"].as<std::string>());
  std::vector<scenario::Scenario> configurations;
  for (const std::string& path : paths)
    configurations.push_back(load_with_shorthands(path, overrides, vm));
  // Two files with the same scenario name would be told apart only by their place.
  for (std::size_t k = 0; k < configurations.size(); ++k)
    for (std::size_t j = 0; j < k; ++j)
      if (configurations[j].name == configurations[k].name)
        configurations[k].name += fmt::format(" ({})", k + 1);

  compare::Options options;
  options.replications = replications;
  options.jobs = jobs;
  options.independent = vm.count("independent") > 0;
  options.master_seed = static_cast<std::uint64_t>(configurations.front().params.run.seed);
  if (vm.count("seed")) {
    // Checked like run.seed, with the message naming --seed.
    const scenario::Scenario seeded =
        load_with_shorthands(paths.front(), {"run.seed=" + vm["seed"].as<std::string>()}, vm);
    options.master_seed = static_cast<std::uint64_t>(seeded.params.run.seed);
  }
  compare::check_same_population(configurations);

  const fs::path dir = output_folder(vm, "compare");

  const bool quiet = vm.count("quiet") > 0;
  const auto started = std::chrono::steady_clock::now();
  const bool terminal = stderr_is_terminal();
  std::size_t last_shown = 0;
  options.progress = [&](std::size_t done, std::size_t total) {
    if (interrupt_signal() != 0) throw InputError("interrupted");
    if (quiet || done == last_shown) return;
    // In a log (not a terminal) one line per tenth of the runs, not one per run.
    if (!terminal && done < total && done * 10 / total == last_shown * 10 / total) return;
    last_shown = done;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double left =
        done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0.0;
    std::cerr << fmt::format("{}compare: {}/{} runs done, {} elapsed, about {} left{}",
                             terminal ? "\r" : "", done, total, format_duration(elapsed),
                             format_duration(left), terminal && done < total ? "" : "\n")
              << std::flush;
  };
  install_interrupt_handlers();
  if (!quiet)
    std::cerr << fmt::format("compare: {} configurations x {} replications, {} weeks, {}\n",
                             configurations.size(), replications,
                             configurations.front().params.run.weeks,
                             options.independent ? "independent seeds" : "common random numbers");
  const compare::Result result = compare::run_comparison(configurations, options);

  // A report left by an earlier comparison in this folder would sit beside the new table
  // as if it described it: removed before the new data are written (a report is made
  // again with --report). Only the files compare_report.py writes, nothing else.
  std::error_code ignored;
  fs::remove(dir / "report.html", ignored);
  for (const char* figure : {"timeseries", "forest", "ce_plane"})
    for (const char* extension : {".png", ".svg"})
      fs::remove(dir / "figures" / (std::string(figure) + extension), ignored);
  if (fs::is_directory(dir / "figures", ignored) && fs::is_empty(dir / "figures", ignored))
    fs::remove(dir / "figures", ignored);
  compare::write_csv(result, dir / "compare.csv");
  compare::write_hdf5(result, dir / "compare.h5");
  if (!quiet) {
    std::cout << compare::format_table(result) << "\n" << compare::plain_summary(result);
    std::cout << fmt::format("\nOutput: {} and {}\n", (dir / "compare.csv").string(),
                             (dir / "compare.h5").string());
  }
  if (vm.count("report")) {
    run_analysis_script("compare_report.py", dir,
                        fmt::format("the table is in {} and {}", (dir / "compare.csv").string(),
                                    (dir / "compare.h5").string()));
    if (!quiet) std::cout << fmt::format("Report: {}\n", (dir / "report.html").string());
  }
  return kExitOk;
}

}  // namespace ripple::app
