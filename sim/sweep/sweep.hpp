// Parameter sweeps: a sweep file (docs/SWEEPS.md) names a base scenario, the parameters
// to vary and how (a list, a full-factorial grid, a Latin hypercube or a Saltelli design
// for Sobol indices), replications and a master seed. This library turns it into a
// checked plan of runs, checks finished run files, estimates Sobol indices and writes
// the sweep index DIR/sweep.h5 (docs/OUTPUT.md, "Sweep index"). Running is left to the
// caller (sim/app/sweep_command.cpp), which may use processes, MPI ranks or shards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"

namespace ripple::sweep {

enum class DesignKind { List, Grid, Lhs, Saltelli };
const char* design_name(DesignKind kind);  // "list", "grid", "lhs", "saltelli"

// One varied parameter as written in [parameters]. Values are as ParamInfo::set takes
// them (a choice's index, a bool as 0/1).
struct ParameterSpec {
  std::string key;
  std::vector<double> values;   // list and grid; for a grid range, the expanded steps
  double min = 0.0, max = 0.0;  // lhs and saltelli: the sampled range
  int line = 0;                 // line in the sweep file, for messages
};

// A sweep file, parsed and checked on its own (parameters known, ranges non-empty and
// inside the parameters' valid ranges). The base scenario is not read yet.
struct SweepSpec {
  std::string path;           // as given; "<string>" for text in memory
  std::string text;           // the sweep file's full text
  std::string scenario_path;  // the base scenario, as written in the file
  int scenario_line = 0;
  DesignKind design = DesignKind::Grid;
  std::int64_t replications = 1;
  std::uint64_t master_seed = 1;
  std::int64_t samples = 0;  // lhs: design points; saltelli: base samples N
  bool common_random_numbers = true;
  std::int64_t bootstrap = 1000;          // Sobol bootstrap resamples
  std::vector<std::string> fixed;         // [set] as "key=value" overrides for every run
  std::vector<ParameterSpec> parameters;  // in the order of the file
};

// Parses and checks a sweep file. Throws ripple::InputError listing every problem with
// file, line, column and field.
SweepSpec parse_sweep(std::string_view text, const std::string& path);
SweepSpec load_sweep(const std::string& path);

// The base scenario's path: `scenario_path` taken relative to the sweep file's folder.
std::filesystem::path base_scenario_path(const SweepSpec& spec);

// Design points: points[p][k] is the value of parameter k at point p.
struct Design {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> points;
  // Saltelli: N base samples; point j*(k+2) is A_j, then B_j, then AB_j with column
  // i taken from B for i = 0..k-1 (k parameters).
  std::size_t base_samples = 0;
};
Design make_design(const SweepSpec& spec);

// The seed of replication `replication` of design point `point`, a pure function of
// its arguments (a SplitMix64 mix). With common random numbers the point is left out,
// so replication r of every point shares one seed (and one population). Values fit
// run.seed (32 bits).
std::uint64_t derive_seed(std::uint64_t master_seed, std::uint64_t point, std::uint64_t replication,
                          bool common_random_numbers);

// One run of the plan. Run i is replication i % R of point i / R.
struct RunSpec {
  std::size_t point = 0;
  std::int32_t replication = 0;
  std::uint64_t seed = 0;
  std::string name;  // e.g. "p0007-r01"; the link name under /runs
  std::string file;  // path relative to the sweep folder, e.g. "runs/p0007-r01.h5"
  std::vector<std::string> overrides;  // [set] then the point's values, then run.seed
  std::int64_t weeks = 0;
};

struct Plan {
  SweepSpec spec;
  std::string base_text;  // the base scenario's text
  std::string base_path;  // as it is named in messages
  Design design;
  std::vector<RunSpec> runs;
  // Scenario of run i, built with the same checks as --set.
  scenario::Scenario scenario(std::size_t run) const;
};

// Builds every run and checks every design point's scenario before anything runs;
// throws InputError naming the sweep file, the design point and the problem.
Plan make_plan(const SweepSpec& spec, const std::string& base_text, const std::string& base_path);

// Whether run i belongs to shard `index` of `count` (0-based): a round-robin share.
inline bool in_shard(std::size_t run, std::size_t index, std::size_t count) {
  return run % count == index;
}

// What a sweep folder holds besides the index.
std::filesystem::path run_path(const std::filesystem::path& dir, const RunSpec& run);
std::filesystem::path error_path(const std::filesystem::path& dir, const RunSpec& run);

// Checks a finished run file: it opens, and holds the seed, overrides and weeks the plan
// expects, with a full /summary. Returns the outcomes (the mean of each summary variable
// over weeks 1..end, in the order of summary_variables()), or the reason it is not
// complete in `why`.
std::optional<std::vector<double>> check_run(const std::filesystem::path& file, const RunSpec& run,
                                             std::string* why = nullptr);

// Sobol indices of one outcome for each parameter, with 95% bootstrap intervals.
struct SobolIndices {
  std::vector<double> first, first_low, first_high;
  std::vector<double> total, total_low, total_high;
};
// `y` holds one output per design point in the Saltelli order of Design (N*(k+2) values).
// First order: Saltelli et al. (2010); total: Jansen (1999); intervals: percentile
// bootstrap over the N base samples, `resamples` times, drawn from `seed`.
SobolIndices sobol_indices(const std::vector<double>& y, std::size_t base_samples,
                           std::size_t parameters, std::size_t resamples, std::uint64_t seed);
// Whether indices are dominated by sampling noise: an estimate outside 0..1 by more than
// 0.05, or a 95% interval wider than 0.3 (a flat outcome's NaN indices are not noise).
bool sobol_noisy(const SobolIndices& s);

enum class RunStatus { Pending, Done, Failed };
const char* status_name(RunStatus status);

struct IndexSummary {
  std::size_t done = 0, failed = 0, pending = 0;
  std::vector<RunStatus> status;
  std::vector<std::string> errors;
  std::vector<std::vector<double>> outcomes;  // [run][variable], NaN when not done
  bool has_sobol = false;
  std::vector<std::string> outcome_names;
  std::vector<SobolIndices> sobol;  // per outcome
  std::string sobol_note;           // why there are no indices, if there are none
};

// Looks at every run's file (checked, not assumed) and error note in `dir`, and writes
// DIR/sweep.h5 under a temporary name, renamed when complete.
IndexSummary write_index(const std::filesystem::path& dir, const Plan& plan);

// The files a sweep folder keeps so that sweep-merge and resumed sweeps can rebuild the
// plan: DIR/sweep.toml (the sweep file) and DIR/base_scenario.toml.
void save_definition(const std::filesystem::path& dir, const Plan& plan);
// Refuses (InputError) a folder that holds a different sweep.
void check_definition(const std::filesystem::path& dir, const Plan& plan);
// The plan stored in `dir` by save_definition.
Plan load_definition(const std::filesystem::path& dir);

// Runs one run of the plan in this process, writing its file (or its error note).
// Returns the error message, empty on success. Interrupts come from `progress`.
std::string execute_run(const std::filesystem::path& dir, const Plan& plan, std::size_t run,
                        int threads);

}  // namespace ripple::sweep
