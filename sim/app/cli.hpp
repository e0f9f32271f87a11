// What every `ripple` command shares: exit codes, usage errors, option parsing,
// plain number formatting and the Ctrl-C handling of long runs.
#pragma once

#include <boost/program_options.hpp>
#include <csignal>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"

namespace ripple::app {

namespace po = boost::program_options;

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitUsage = 2;

// A command line the user must correct; `usage` is the short usage of the command.
class UsageError : public std::runtime_error {
 public:
  UsageError(const std::string& what, std::string usage)
      : std::runtime_error(what), usage_(std::move(usage)) {}
  const std::string& usage() const { return usage_; }

 private:
  std::string usage_;
};

// Parses a command's arguments; a bad option becomes a UsageError. Options are never
// guessed from prefixes (`--se` for `--seed`): a typo is refused, not read as another.
po::variables_map parse_options(const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const std::string& usage);

// A command's arguments that come without an option name (a scenario, a run file, a
// folder): what the variables map calls them, and whether the command takes any number
// of them (a list of strings) or one (a string). No name: the command takes none.
// `missing`, if given, is the message when there is none (a UsageError).
struct Positional {
  const char* name = nullptr;
  bool many = false;
  const char* missing = nullptr;
};

// What every command does with its command line: parses `args` against the options
// `visible` and the unnamed arguments `positional` (a bad option is a UsageError), and
// on --help prints the usage, `about` and the options and returns nothing, after which
// the command returns kExitOk. `visible` must offer "help,h".
std::optional<po::variables_map> parse_command(const std::vector<std::string>& args,
                                               const po::options_description& visible,
                                               const Positional& positional,
                                               const std::string& usage, const std::string& about);

// The value of --jobs (runs at the same time; 0: one per core); a negative one is a
// UsageError.
int jobs_option(const po::variables_map& vm, const std::string& usage);

// The folder named by --output, or runs/<name> without it, created with any folders
// missing above it; an InputError names the folder when it cannot be made.
std::filesystem::path output_folder(const po::variables_map& vm, const std::string& name);

// Plain numbers: counts without decimals, shares and indices with three.
std::string format_number(double value);
std::string format_seconds(double seconds);

// Loads a scenario with --set overrides; messages about --seed N and --steps N name
// those options rather than the --set they stand for.
scenario::Scenario load_with_shorthands(const std::string& path,
                                        const std::vector<std::string>& overrides,
                                        const po::variables_map& vm);

// Runs analysis/<script> (or $RIPPLE_ANALYSIS_DIR/<script>) with Debian's python3 on
// the output folder `dir`, after flushing stdout so the lines come out in order.
// Throws InputError naming the script when it fails; `kept` says what is there anyway.
void run_analysis_script(const std::string& script, const std::filesystem::path& dir,
                         const std::string& kept);

// The first SIGINT/SIGTERM asks a long job to stop cleanly at the next check; a third
// one stops the process at once. interrupt_signal() is 0 until a signal came.
void install_interrupt_handlers();
int interrupt_signal();

// The commands, one per source file beyond run/validate/params/info in main.cpp.
int command_run(const std::vector<std::string>& args);
int command_validate(const std::vector<std::string>& args);
int command_params(const std::vector<std::string>& args);
int command_info(const std::vector<std::string>& args);
int command_sweep(const std::vector<std::string>& args);        // sweep_command.cpp
int command_sweep_merge(const std::vector<std::string>& args);  // sweep_command.cpp
int command_compare(const std::vector<std::string>& args);
int command_trial(const std::vector<std::string>& args);      // trial_command.cpp
int command_calibrate(const std::vector<std::string>& args);  // calibrate_command.cpp

}  // namespace ripple::app
