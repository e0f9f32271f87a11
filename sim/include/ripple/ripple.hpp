// Ripple's public API: everything the command line, the viewer and scripts use.
// They never include model headers; the model never includes theirs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

namespace ripple {

std::string version();     // e.g. "0.1.0"
std::string git_commit();  // commit the binary was built from

// The outcomes in /summary, in order, with units and meanings.
const std::vector<io::Variable>& summary_variables();
// Index of a /summary outcome by name (none if the summary has no such outcome).
std::optional<std::size_t> summary_index(const std::string& name);
// Per-person variables in /timeseries.
const std::vector<io::Variable>& timeseries_variables();

// How large a run will be, estimated before anything is allocated.
struct Estimate {
  std::uint64_t memory_bytes = 0;  // peak resident memory of the engine
  std::uint64_t output_bytes = 0;  // upper bound of the HDF5 file (uncompressed)
  std::uint64_t recorded_persons = 0;
};
Estimate estimate(const scenario::Scenario& scenario);

// Throws InputError when the estimate exceeds the memory this machine has available
// or the free space where `output` would be written; the message gives both figures.
void check_resources(const scenario::Scenario& scenario, const std::filesystem::path& output);

// Something done for one person (or their family) in a running Simulation.
struct PersonAction {
  enum class Kind {
    Psychoeducation,  // the person's carer gets a family psychoeducation place (an extra one)
    Enrol,            // the person gets a place in `service` (one main service at a time)
    SoftenTie,        // the tie to `other` loses the share `amount` of its strength, for good
    RemoveTie,        // the tie to `other` ends, on both sides
    SupportiveTie,    // the person's side of the tie to `other` turns supportive
    DevalueTie,       // the person's side of the tie to `other` turns stressor, with a shock
    GiveConsent,      // the person (in recovery) consents to involving the family
    WithdrawConsent,  // the person withdraws that consent; the family is no longer involved
  };
  Kind kind = Kind::Enrol;
  std::uint32_t person = 0;
  std::uint32_t other = 0;  // the other end of the tie (tie actions)
  // Enrol: cmhc, outreach, open_dialogue, ips, peer_support or coordinator.
  std::string service;
  double amount = 0.5;           // SoftenTie: in [0, 1]
  bool beyond_capacity = false;  // Enrol: a full service takes the person anyway (an extra place)
};

// A model being run week by week, in this process.
class Simulation {
 public:
  // Builds the population. threads = 0 uses every core. Throws InputError if the
  // scenario cannot be built (e.g. too little memory).
  explicit Simulation(const scenario::Scenario& scenario, int threads = 0);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  void step();                 // advances one week
  std::int32_t week() const;   // weeks done so far
  std::int32_t weeks() const;  // the scenario's horizon (run.weeks)
  std::size_t persons() const;
  int threads() const;  // worker threads used: the request, at most the cores TBB may use

  // The outcomes of the last week (or of the initial state before any step), in the
  // order of summary_variables().
  std::vector<double> summary() const;

  // Applies a timeline entry now (it is logged as an intervention event).
  void intervene(const scenario::Intervention& intervention);

  // Does something for one person or their family now (between weeks), logged as an
  // intervention event of that person: a trial arm, a live what-if. Returns "" when
  // done, else why it could not be done, in plain words (e.g. "has no carer to offer
  // the programme to"). Throws InputError for a person or service that does not exist.
  std::string act(const PersonAction& action);

  // Internals for the run writer and tests in this library.
  struct State;
  State& state();
  const State& state() const;

 private:
  std::unique_ptr<State> state_;
};

struct RunOptions {
  std::filesystem::path output;       // the .h5 file to write; empty: no file
  int threads = 0;                    // 0: all cores
  std::optional<std::uint64_t> seed;  // overrides run.seed
  std::optional<std::int64_t> steps;  // overrides run.weeks
  // Called after each week with (weeks done, total weeks).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

struct RunResult {
  std::filesystem::path output;
  std::int64_t steps = 0;
  std::size_t persons = 0;
  int threads = 0;
  double wall_seconds = 0.0;
  std::vector<double> first;       // summary at step 0 (before the first week)
  std::vector<double> first_week;  // summary after week 1 (empty for a run of 0 weeks)
  std::vector<double> last;        // summary after the last week
};

// Runs a scenario from start to end, writing the HDF5 run file under a temporary
// name and renaming it when complete. Throws InputError (bad input, no room, a
// write failure) or InternalError.
RunResult run(const scenario::Scenario& scenario, const RunOptions& options);

}  // namespace ripple
