// `ripple calibrate`: fitting the parameters marked as calibrated in the parameter
// table to published figures (docs/CALIBRATION.md). Each target file in calibration/
// is a trial or cohort design (docs/TRIALS.md) plus the figures it measured; the model
// runs the same design and the fit brings its figures close to the published ones.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trial/trial.hpp"

namespace ripple::calibration {

// What a target compares, computed from the design's result.
//   share:      the share of participants in `arm` with the outcome (event outcomes:
//               by `week` of follow-up; binary outcomes: at the end)
//   mean:       the mean of a mean outcome in `arm`
//   risk_ratio, odds_ratio: `arm` against the first arm (event outcomes by `week`)
//   contagion:  the relative rise in the chance of being depressed when a contact at
//               `degree` steps is depressed (Spec::network_degrees must reach it)
//   difference: the mean of a mean outcome in `arm` less that in the first arm
enum class Statistic { Share, Mean, RiskRatio, OddsRatio, Contagion, Difference };

struct Target {
  std::string name;
  Statistic statistic = Statistic::Share;
  std::string outcome;              // a trial outcome key; empty for contagion
  int arm = 0;                      // index into the design's arms
  int week = 0;                     // event outcomes: up to this week of follow-up (0: the end)
  int degree = 0;                   // contagion only
  double value = 0;                 // the published figure
  std::optional<double> low, high;  // its published interval, if any
  double weight = 1;
  int line = 0;
  // The band the model must fall in: the published interval, or 20% either side of
  // the value when none is published.
  double band_low() const;
  double band_high() const;
  // How far a model value is from the published one, in units of the band's half on
  // that side: 0 at the value, 1 at the band's edge. Infinity for a NaN value.
  double miss(double model) const;
};

struct TargetFile {
  std::string path;  // as found
  std::string row;   // the row of CALIBRATION-TARGETS.md, e.g. "4b"
  std::string quantity, source, certainty, design;
  trial::Spec spec;
  std::vector<Target> targets;
  std::vector<std::pair<std::string, int>> base_keys;  // [base]'s dotted keys and their lines
};

// Reads one target file; `overrides` ("key=value") change its base scenario after the
// file's [base]. Problems are reported like a trial file's: file, line, field, exit 2.
TargetFile load_target_file(const std::string& path,
                            const std::vector<std::string>& overrides = {});
TargetFile parse_target_file(std::string_view text, const std::string& name,
                             const std::vector<std::string>& overrides = {},
                             const std::filesystem::path& directory = ".");
// Every *.toml in a folder (sorted by name), or one file.
std::vector<TargetFile> load_targets(const std::string& path,
                                     const std::vector<std::string>& overrides = {});

// The model's value of a target in one result, pooled over replications, with the
// t interval of the per-replication values (NaN where it cannot be computed).
struct Measure {
  double value = trial::kNaN, low = trial::kNaN, high = trial::kNaN;
};
Measure measure(const Target& target, const trial::Result& result);

// A parameter the fit may move, within its prior range.
struct Free {
  std::string key;
  double low = 0, high = 1;
  double start = 0;  // the current default
};
// The parameters marked as calibrated in the parameter table (parameters.def).
std::vector<Free> calibrated_parameters();

// Throws InputError (file:line of each) when a target file's [base] sets a parameter
// the fit moves: the fit gives every file one shared value, so the file's own value
// would be silently overridden.
void refuse_free_in_base(const std::vector<TargetFile>& files, const std::vector<Free>& free);

// One evaluation: all targets at the given parameter values.
struct Evaluation {
  std::vector<double> x;                       // per free parameter
  std::vector<std::vector<Measure>> measures;  // [file][target]
  double distance = 0;                         // sum of weight * miss^2
  std::size_t worst_file = 0, worst_target = 0;
  bool valid = true;  // false: the values break a consistency rule of the parameters
  std::string problem;
};

struct Options {
  int jobs = 0;              // replications at once; 0: one per core
  int max_evaluations = 60;  // of the optimiser
  std::function<void(const Evaluation&, std::size_t count, const Evaluation& best)> progress;
  // Called after each target file's design within an evaluation: (files done, files).
  std::function<void(std::size_t done, std::size_t files)> design_done;
  // Throw InputError (trial::require_participants) when a design has no participants;
  // fit() asks it of the starting point only.
  bool require_participants = false;
};

// Runs every target file's design with the free parameters set to `x` (common random
// numbers: the files' seeds do not change between evaluations).
Evaluation evaluate(const std::vector<TargetFile>& files, const std::vector<Free>& free,
                    const std::vector<double>& x, const Options& options = {});

struct Fit {
  std::vector<Free> free;
  Evaluation start, best;
  std::vector<Evaluation> history;  // every evaluation, in order
  std::string stopped;              // why the optimiser stopped, in words
  double wall_seconds = 0;
};

// Minimises the weighted distance with NLopt's derivative-free subplex method (Sbplx)
// in the box of the priors, starting at the current defaults.
Fit fit(const std::vector<TargetFile>& files, const std::vector<Free>& free,
        const Options& options = {});

// Output (written under temporary names and renamed).
std::string format_table(const std::vector<TargetFile>& files, const Evaluation& e);
void write_overlay(const Fit& fit, const std::vector<TargetFile>& files,
                   const std::filesystem::path& path);
void write_csv(const std::vector<TargetFile>& files, const Fit& fit,
               const std::filesystem::path& path);
void write_hdf5(const std::vector<TargetFile>& files, const Fit& fit,
                const std::filesystem::path& path);

const char* statistic_name(Statistic s);

}  // namespace ripple::calibration
