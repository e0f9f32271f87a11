// `ripple calibrate`: fits the calibrated parameters to the published figures in a
// folder of target files (docs/CALIBRATION.md); writes the fitted values as a scenario
// overlay, a table, a CSV, an HDF5 record of every evaluation and, with --report, a plot.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "calibrate/calibrate.hpp"
#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;

namespace ripple::app {
namespace {

const char* const kCalibrateUsage =
    "usage: ripple calibrate TARGETS... [-o DIR] [-n N] [--check] [--free key]... [-r R] "
    "[--overlay FILE]... [--set key=value]... [--jobs N] [--report] [--quiet]";

}  // namespace

int command_calibrate(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "folder for calibrated.toml, calibration.csv, calibration.h5 and the report (default "
      "runs/calibration); created if missing");
  add("evaluations,n", po::value<int>()->value_name("N")->default_value(60),
      "most evaluations of all targets, the start included (a point met again is not rerun)");
  add("check", "evaluate the targets at the current values only, without fitting");
  add("free", po::value<std::vector<std::string>>()->value_name("key")->composing(),
      "fit only this calibrated parameter (repeatable; default: all of them)");
  add("replications,r", po::value<int>()->value_name("R"),
      "replications of every design (default: each file's trial.replications)");
  add("overlay", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
      "parameter values from a file, e.g. an earlier calibrated.toml, for every design "
      "(repeatable; applied before --set)");
  add("set", po::value<std::vector<std::string>>()->value_name("key=value")->composing(),
      "change one parameter of every design's base scenario (repeatable)");
  add("jobs,j", po::value<int>()->value_name("N")->default_value(0),
      "replications at the same time; 0: one per core (results do not depend on it)");
  add("report", "also write a plot of published against model values (python3, matplotlib)");
  add("quiet,q", "no progress and no table");
  const auto parsed = parse_command(
      args, visible, {"targets", true}, kCalibrateUsage,
      "Runs the trial or cohort design of every target file (TARGETS: folders such as\n"
      "calibration/, or files) and fits the parameters marked as calibrated in the\n"
      "parameter table (`ripple params`) to the published figures, all at once, with NLopt's\n"
      "derivative-free Sbplx method and common random numbers. The distance is the sum of\n"
      "weight * miss^2, where miss is the distance from the published value in units of its\n"
      "interval (or of 20% of the value where none is published). See docs/CALIBRATION.md.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  std::vector<std::string> paths;
  if (vm.count("targets")) paths = vm["targets"].as<std::vector<std::string>>();
  if (paths.empty())
    throw UsageError("calibrate: give a TARGETS folder (e.g. calibration/) or target files",
                     kCalibrateUsage);
  const int jobs = jobs_option(vm, kCalibrateUsage);
  const int evaluations = vm["evaluations"].as<int>();
  if (evaluations < 1)
    throw UsageError(fmt::format("--evaluations {}: must be 1 or more", evaluations),
                     kCalibrateUsage);
  std::vector<std::string> overrides;
  if (vm.count("overlay"))
    for (const std::string& file : vm["overlay"].as<std::vector<std::string>>()) {
      const std::vector<std::string> values = scenario::read_overlay(file);
      overrides.insert(overrides.end(), values.begin(), values.end());
    }
  if (vm.count("set")) {
    const auto set = vm["set"].as<std::vector<std::string>>();
    overrides.insert(overrides.end(), set.begin(), set.end());
  }
  std::vector<calibration::TargetFile> files;
  for (const std::string& path : paths) {
    std::vector<calibration::TargetFile> more = calibration::load_targets(path, overrides);
    for (calibration::TargetFile& f : more) files.push_back(std::move(f));
  }
  if (vm.count("replications")) {
    const int r = vm["replications"].as<int>();
    if (r < 1)
      throw UsageError(fmt::format("--replications {}: must be 1 or more", r), kCalibrateUsage);
    for (calibration::TargetFile& f : files) f.spec.replications = r;
  }
  std::vector<calibration::Free> free = calibration::calibrated_parameters();
  if (vm.count("free")) {
    std::vector<calibration::Free> chosen;
    for (const std::string& key : vm["free"].as<std::vector<std::string>>()) {
      const auto at = std::find_if(free.begin(), free.end(),
                                   [&](const calibration::Free& f) { return f.key == key; });
      if (at == free.end()) {
        std::string known;
        for (const calibration::Free& f : free) known += "\n  " + f.key;
        throw UsageError(
            fmt::format("--free {}: not a calibrated parameter; these are:{}", key, known),
            kCalibrateUsage);
      }
      // Twice would fit two dimensions of one parameter and write it twice into
      // calibrated.toml, which --overlay then refuses.
      if (std::any_of(chosen.begin(), chosen.end(),
                      [&](const calibration::Free& f) { return f.key == key; }))
        throw UsageError(fmt::format("--free {}: given twice; give each parameter once", key),
                         kCalibrateUsage);
      chosen.push_back(*at);
    }
    free = chosen;
  }
  calibration::refuse_free_in_base(files, free);
  // Start from the values the designs actually use (a --set or --overlay may have moved
  // them; they apply to every file alike, and no file's [base] sets a free parameter).
  for (calibration::Free& f : free)
    f.start =
        std::clamp(scenario::find_param(f.key)->get(files.front().spec.base.params), f.low, f.high);
  const fs::path dir = output_folder(vm, "calibration");

  const bool quiet = vm.count("quiet") > 0;
  std::size_t figures = 0;
  for (const calibration::TargetFile& f : files) figures += f.targets.size();
  const auto started = std::chrono::steady_clock::now();
  calibration::Options options;
  options.jobs = jobs;
  options.max_evaluations = vm.count("check") ? 1 : evaluations;
  // On a terminal, which design of the evaluation is running, redrawn in place: an
  // evaluation of every file takes a minute or more. Logs get the lines below only.
  const bool terminal = !quiet && stderr_is_terminal();
  std::size_t evaluation = 1;
  options.design_done = [&](std::size_t done, std::size_t all) {
    if (interrupt_signal() != 0) throw InputError("interrupted");
    if (!terminal || done == all) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("\rcalibrate: evaluation {}: {} of {} designs run ({} elapsed)\033[K",
                             evaluation, done, all, format_duration(elapsed))
              << std::flush;
  };
  options.progress = [&](const calibration::Evaluation& e, std::size_t count,
                         const calibration::Evaluation& best) {
    if (interrupt_signal() != 0) throw InputError("interrupted");
    evaluation = count + 1;
    if (quiet) return;
    if (terminal) std::cerr << "\r\033[K";
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const calibration::TargetFile& wf = files[best.worst_file];
    std::cerr << fmt::format(
        "calibrate: evaluation {}/{}: distance {} (best {}); worst target: {} {} ({} elapsed)\n",
        count, options.max_evaluations,
        e.valid ? fmt::format("{:.3f}", e.distance) : "- (" + e.problem + ")",
        fmt::format("{:.3f}", best.distance), wf.row, wf.targets[best.worst_target].name,
        format_duration(elapsed));
  };
  install_interrupt_handlers();
  if (!quiet)
    std::cerr << fmt::format(
        "calibrate: {} target files, {} published figures, {} free parameters, {}\n", files.size(),
        figures, free.size(), vm.count("check") ? "checking the current values" : "fitting");
  const calibration::Fit result = calibration::fit(files, free, options);
  calibration::write_overlay(result, files, dir / "calibrated.toml");
  calibration::write_csv(files, result, dir / "calibration.csv");
  calibration::write_hdf5(files, result, dir / "calibration.h5");
  if (!quiet) {
    std::cout << calibration::format_table(files, result.best);
    std::cout << fmt::format(
        "\nDistance: {:.3f} at the start, {:.3f} at the best of {} "
        "evaluations ({}).\n",
        result.start.distance, result.best.distance, result.history.size(), result.stopped);
    if (!vm.count("check")) {
      std::cout << "Fitted values:\n";
      for (std::size_t k = 0; k < result.free.size(); ++k)
        std::cout << fmt::format("  {:<40} {:>9.4f}   (was {:.4f}; prior {} to {})\n",
                                 result.free[k].key, result.best.x[k], result.free[k].start,
                                 result.free[k].low, result.free[k].high);
    }
    std::cout << fmt::format("Output: {}, {}, {} ({})\n", (dir / "calibrated.toml").string(),
                             (dir / "calibration.csv").string(), (dir / "calibration.h5").string(),
                             format_duration(result.wall_seconds));
  }
  if (vm.count("report")) {
    run_analysis_script("calibration_report.py", dir,
                        fmt::format("the table is in {}", (dir / "calibration.csv").string()));
    if (!quiet) std::cout << fmt::format("Report: {}\n", (dir / "calibration.png").string());
  }
  return kExitOk;
}

}  // namespace ripple::app
