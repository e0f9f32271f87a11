// The `ripple` command: run, validate, params, info.
//
// Exit codes: 0 success; 2 for anything the user can fix (a bad command line, a
// refused scenario, an unreadable run file, no room for the output); 1 for a bug
// (InternalError or any other exception); 128 + signal number when a run is
// interrupted (130 for Ctrl-C), after the partial output file has been removed.
// Only the results go to stdout; progress and messages go to stderr.

#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "ripple/ripple.hpp"

namespace fs = std::filesystem;

namespace ripple::app {
namespace {

const char* const kTopUsage = "usage: ripple [--help] [--version] COMMAND [ARGS]";

const char* const kTopHelp =
    R"(Ripple: an agent-based simulator of social recovery in mental health.
A thinking tool built on qualitative research, not a clinical predictor.

Commands:
  run SCENARIO       run a scenario and write an HDF5 run file
  validate SCENARIO  check a scenario and show its timeline of interventions
  params             list every model parameter: default, unit, range, meaning, source
  info RUN.h5        show how a run file was made and what it holds
  sweep SWEEP.toml   run a design of parameter values; index in DIR/sweep.h5
  sweep-merge DIR    build a sweep's index from the runs of its shards (--shard)
  compare A B [...]  run configurations of one population side by side and compare them
  trial TRIAL.toml   run a virtual trial or cohort and compare its arms
  calibrate TARGETS  fit the calibrated parameters to published figures (calibration/)

Options:
  -h [ --help ]      show this help
  --version          show the version and the commit Ripple was built from

Run 'ripple COMMAND --help' for the options of a command.
Exit codes: 0 success, 1 internal error (a bug), 2 bad input, 130 interrupted.
)";

// --- Formatting ---------------------------------------------------------------

std::string unit_suffix(const std::string& unit) {
  return unit.empty() || unit == "-" ? std::string() : "  " + unit;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string param_range(const scenario::ParamInfo& info) {
  using scenario::ParamType;
  switch (info.type) {
    case ParamType::Real:
    case ParamType::Int:
      return fmt::format("{} to {}", scenario::format_value(info, info.min),
                         scenario::format_value(info, info.max));
    case ParamType::Bool:
      return "true or false";
    case ParamType::Choice: {
      std::string out;
      for (int i = 0; i <= static_cast<int>(info.max); ++i)
        out += (i > 0 ? ", " : "") + scenario::choice_name(info, i);
      return out;
    }
  }
  return "?";
}

std::string_view top_group(std::string_view key) { return key.substr(0, key.find('.')); }

// --- run ------------------------------------------------------------------------

const char* const kRunUsage =
    "usage: ripple run SCENARIO [-o OUT.h5] [--seed N] [--threads N] [--steps N] "
    "[--overlay FILE] [--set key=value]... [--quiet]";

// Key outcomes, in the order a reader asks about them: the person, then family,
// then services.
constexpr const char* kStateOutcomes[] = {
    "recovery_index_mean", "symptoms_mean",   "in_episode",        "employed", "isolated",
    "carer_burden_mean",   "watchdog_carers", "waiting_weeks_mean"};
constexpr const char* kWeeklyOutcomes[] = {"admissions", "relapses",    "bed_days",
                                           "dropouts",   "staff_hours", "cost"};

struct SummaryRow {
  std::string label;
  std::string first;
  std::string last;
  std::string unit;
};

// `first` is the summary the first column shows: step 0 for levels, week 1 for
// weekly counts (at step 0 no week has been simulated, so every count is 0).
std::vector<SummaryRow> summary_rows(const std::vector<double>& first,
                                     const std::vector<double>& last, const auto& names) {
  std::vector<SummaryRow> rows;
  for (const char* name : names) {
    const auto index = summary_index(name);
    // The summary is the model's to define; show what it has.
    if (!index || *index >= first.size() || *index >= last.size()) continue;
    const io::Variable& variable = summary_variables()[*index];
    rows.push_back({variable.description.empty() ? variable.name : variable.description,
                    format_number(first[*index]), format_number(last[*index]), variable.unit});
  }
  return rows;
}

void print_run_summary(const scenario::Scenario& scenario, const RunResult& result) {
  std::cout << fmt::format("{}: {} persons, {} weeks, seed {}, {} threads, {} wall time\n",
                           scenario.name, result.persons, result.steps, scenario.params.run.seed,
                           result.threads, format_seconds(result.wall_seconds));
  std::cout << fmt::format("Output: {}\n", result.output.string());

  const std::vector<SummaryRow> state = summary_rows(result.first, result.last, kStateOutcomes);
  // A run of 0 weeks has no week to count in.
  const std::vector<SummaryRow> weekly =
      summary_rows(result.first_week, result.last, kWeeklyOutcomes);
  const std::string start_head = "start";
  const std::string first_week_head = "week 1";
  const std::string last_head = fmt::format("week {}", result.steps);
  std::size_t label_width = 0;
  std::size_t value_width = std::max({start_head.size(), first_week_head.size(), last_head.size()});
  for (const auto* rows : {&state, &weekly})
    for (const SummaryRow& row : *rows) {
      label_width = std::max(label_width, row.label.size());
      value_width = std::max({value_width, row.first.size(), row.last.size()});
    }

  const auto print_table = [&](const std::string& title, const std::string& first_head,
                               const std::vector<SummaryRow>& rows) {
    if (rows.empty()) return;
    std::cout << fmt::format("\n{:<{}}  {:>{}}    {:>{}}\n", title, label_width, first_head,
                             value_width, last_head, value_width);
    for (const SummaryRow& row : rows)
      std::cout << fmt::format("{:<{}}  {:>{}} -> {:>{}}{}\n", row.label, label_width, row.first,
                               value_width, row.last, value_width, unit_suffix(row.unit));
  };
  print_table("Key outcomes", start_head, state);
  print_table("In the first and the last week", first_week_head, weekly);
}

// The options that change the scenario, the same for run and validate.
void add_scenario_options(po::options_description& options) {
  auto add = options.add_options();
  add("seed", po::value<std::string>()->value_name("N"), "master seed, same as --set run.seed=N");
  add("steps", po::value<std::string>()->value_name("N"),
      "weeks to simulate, same as --set run.weeks=N");
  add("set", po::value<std::vector<std::string>>()->value_name("key=value")->composing(),
      "change one parameter, value in TOML syntax (repeatable), e.g. --set "
      "services.cmhc.staff_per_10k=3");
  add("overlay", po::value<std::string>()->value_name("FILE"),
      "parameter values from a file, e.g. the calibrated.toml of `ripple calibrate` (applied "
      "before --set)");
}

// The scenario at `path` with the options of add_scenario_options applied.
scenario::Scenario load_with_options(const std::string& path, const po::variables_map& vm) {
  // --seed and --steps go through the scenario reader like any --set, so their
  // ranges and messages come from the parameter table.
  std::vector<std::string> overrides;
  std::vector<int> overlay_lines;
  if (vm.count("overlay"))
    overrides = scenario::read_overlay(vm["overlay"].as<std::string>(), &overlay_lines);
  const std::vector<std::string> overlay_values = overrides;
  if (vm.count("set")) {
    const auto set = vm["set"].as<std::vector<std::string>>();
    overrides.insert(overrides.end(), set.begin(), set.end());
  }
  if (vm.count("seed")) overrides.push_back("run.seed=" + vm["seed"].as<std::string>());
  if (vm.count("steps")) overrides.push_back("run.weeks=" + vm["steps"].as<std::string>());
  try {
    scenario::Scenario loaded = load_with_shorthands(path, overrides, vm);
    if (vm.count("overlay")) loaded.overlay_path = vm["overlay"].as<std::string>();
    return loaded;
  } catch (const InputError& e) {
    if (overlay_values.empty()) throw;
    throw InputError(scenario::name_overlay_values(e.what(), vm["overlay"].as<std::string>(),
                                                   overlay_values, overlay_lines));
  }
}

// A bad -o is refused before anything is simulated. The writer renames its
// finished file over the name given, so the name must be one a run file may
// replace: nothing yet, or a plain file that is not one of the run's inputs.
// `given` is the -o value, or nothing for the default name `output`.
void check_output(const std::optional<std::string>& given, const fs::path& output,
                  const std::vector<std::string>& inputs) {
  const std::string name = given ? "-o " + *given : output.string();
  if (given && given->empty())
    throw InputError("-o \"\": the run file needs a name, e.g. -o runs/out.h5");
  if (given && given->back() == '/')
    throw InputError(fmt::format(
        "{}: names a folder (it ends in '/'); give the name of the run file, e.g. {}out.h5", name,
        name));
  io::check_replaceable(output, name);
  std::error_code error;
  if (!fs::exists(output, error)) return;
  for (const std::string& input : inputs) {
    if (fs::equivalent(output, input, error))
      throw InputError(fmt::format(
          "{}: is {}, which the run reads; the run file would replace it. Give another name.", name,
          input));
  }
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("output,o", po::value<std::string>()->value_name("OUT.h5"),
      "the run file to write (default runs/<scenario>-seed<seed>.h5); missing folders are "
      "created");
  add("threads", po::value<int>()->value_name("N")->default_value(0),
      "worker threads; 0 uses every core, more than the cores gives the cores (results do not "
      "depend on it)");
  add("quiet,q", "no progress bar and no summary");
  add_scenario_options(visible);
  const auto parsed =
      parse_command(args, visible, {"scenario", false, "run: a SCENARIO file is needed"}, kRunUsage,
                    "Runs a scenario week by week and writes an HDF5 run file (see "
                    "docs/OUTPUT.md).\nProgress goes to stderr; a summary of key outcomes "
                    "at the start and the end goes to stdout.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const int threads = vm["threads"].as<int>();
  if (threads < 0)
    throw UsageError(fmt::format("--threads {}: must be 0 (every core) or more", threads),
                     kRunUsage);

  const std::string path = vm["scenario"].as<std::string>();
  const scenario::Scenario scenario = load_with_options(path, vm);

  fs::path output =
      vm.count("output")
          ? fs::path(vm["output"].as<std::string>())
          : fs::path("runs") / fmt::format("{}-seed{}.h5", fs::path(path).stem().string(),
                                           scenario.params.run.seed);
  std::vector<std::string> inputs = {path};
  if (vm.count("overlay")) inputs.push_back(vm["overlay"].as<std::string>());
  check_output(vm.count("output") ? std::optional(vm["output"].as<std::string>()) : std::nullopt,
               output, inputs);
  if (output.has_parent_path()) {
    std::error_code error;
    fs::create_directories(output.parent_path(), error);
    if (error)
      throw InputError(fmt::format("{}: cannot create the folder for the run file: {}",
                                   output.parent_path().string(), error.message()));
  }
  check_resources(scenario, output);

  const bool quiet = vm.count("quiet") > 0;
  std::optional<Progress> progress;
  if (!quiet) progress.emplace(std::cerr, stderr_is_terminal());
  RunOptions options;
  options.output = output;
  options.threads = threads;
  options.progress = [&progress](std::int64_t done, std::int64_t total) {
    // The writer removes the partial file while this exception unwinds the run.
    if (interrupt_signal() != 0) throw InputError("interrupted");
    if (progress) progress->update(done, total);
  };
  install_interrupt_handlers();
  const RunResult result = run(scenario, options);
  if (progress) progress->finish();
  if (!quiet) print_run_summary(scenario, result);
  return kExitOk;
}

namespace {

// --- validate -------------------------------------------------------------------

const char* const kValidateUsage =
    "usage: ripple validate SCENARIO [--seed N] [--steps N] [--overlay FILE] [--set "
    "key=value]...";

}  // namespace

int command_validate(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add_scenario_options(visible);
  const auto parsed = parse_command(
      args, visible, {"scenario", false, "validate: a SCENARIO file is needed"}, kValidateUsage,
      "Reads and checks a scenario without running it: every problem in the "
      "file is\nreported at once, with its line. Shows the timeline of "
      "interventions.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  const scenario::Scenario scenario = load_with_options(path, vm);

  std::size_t workers = 0;  // added to a world of characters only (population.generated)
  for (const scenario::Character& c : scenario.characters) workers += c.staff >= 0 ? 1 : 0;
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  const std::size_t named = scenario.characters.size() - workers;
  const std::string persons =
      scenario.characters.empty() ? fmt::format("{} persons", scenario.params.population.persons)
      : !scenario.params.population.generated
          ? fmt::format("{} and {}, no generated town",
                        count(named, "named character", "named characters"),
                        count(workers, "service worker", "service workers"))
          : fmt::format("{} and {} generated persons",
                        count(scenario.characters.size(), "named character", "named characters"),
                        scenario.params.population.persons);
  // One line of the listing below per change: a [[timeline]] table that sets two
  // parameters makes two.
  std::cout << fmt::format("{}: OK ({}, {} weeks, {})\n", path, persons, scenario.params.run.weeks,
                           count(scenario.timeline.size(), "timeline change", "timeline changes"));
  if (!scenario.description.empty()) std::cout << scenario.description << "\n";
  for (const std::string& override_arg : scenario.overrides)
    std::cout << "  with --set " << override_arg << "\n";
  if (scenario.timeline.empty()) {
    std::cout << "Timeline: none; the parameters stay as set for the whole run.\n";
  } else {
    std::cout << "Timeline:\n";
    for (const scenario::Intervention& entry : scenario.timeline)
      std::cout << "  " << entry.describe() << "\n";
  }
  return kExitOk;
}

namespace {

// --- params ---------------------------------------------------------------------

const char* const kParamsUsage = "usage: ripple params [--markdown]";

// The source, and for a parameter `ripple calibrate` fits, its prior.
std::string source_text(const scenario::ParamInfo& info) {
  std::string text(info.source);
  if (const scenario::CalibratedInfo* c = scenario::find_calibrated(info.key))
    text += fmt::format(" [calibrated: prior {} to {}, docs/CALIBRATION.md]",
                        scenario::format_value(info, c->prior_min),
                        scenario::format_value(info, c->prior_max));
  return text;
}

void print_params_text() {
  struct Row {
    std::string_view group;
    std::string cells[6];
  };
  std::vector<Row> rows;
  for (const scenario::ParamInfo& info : scenario::parameter_table())
    rows.push_back({top_group(info.key),
                    {std::string(info.key), scenario::format_value(info, info.default_value),
                     std::string(info.unit), param_range(info), std::string(info.meaning),
                     source_text(info)}});
  const Row head{"", {"key", "default", "unit", "range", "meaning", "source"}};
  std::size_t width[6] = {};
  for (std::size_t c = 0; c < 6; ++c) width[c] = head.cells[c].size();
  for (const Row& row : rows)
    for (std::size_t c = 0; c < 6; ++c) width[c] = std::max(width[c], row.cells[c].size());

  const auto print_row = [&](const Row& row) {
    std::string line;
    // The last column is not padded, so lines end without trailing blanks.
    for (std::size_t c = 0; c < 5; ++c) line += fmt::format("{:<{}}  ", row.cells[c], width[c]);
    std::cout << line << row.cells[5] << "\n";
  };
  print_row(head);
  std::string_view group;
  for (const Row& row : rows) {
    if (row.group != group) {
      group = row.group;
      std::cout << "\n";
    }
    print_row(row);
  }
}

void print_params_markdown() {
  std::string_view group;
  bool first = true;
  for (const scenario::ParamInfo& info : scenario::parameter_table()) {
    if (top_group(info.key) != group) {
      group = top_group(info.key);
      std::cout << (first ? "" : "\n") << "### " << group << "\n\n"
                << "| key | default | unit | range | meaning | source |\n"
                << "|---|---|---|---|---|---|\n";
      first = false;
    }
    std::cout << fmt::format("| {} | {} | {} | {} | {} | {} |\n", escape_markdown(info.key),
                             escape_markdown(scenario::format_value(info, info.default_value)),
                             escape_markdown(info.unit), escape_markdown(param_range(info)),
                             escape_markdown(info.meaning), escape_markdown(source_text(info)));
  }
}

}  // namespace

int command_params(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("markdown", "print GitHub tables, one per group (for docs/ODD.md)");
  const auto parsed =
      parse_command(args, visible, {}, kParamsUsage,
                    "Lists every model parameter with its default, unit, valid range, "
                    "meaning and\nsource. Any of them can be set in a scenario file or "
                    "with --set key=value.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (vm.count("markdown"))
    print_params_markdown();
  else
    print_params_text();
  return kExitOk;
}

namespace {

// --- info -----------------------------------------------------------------------

const char* const kInfoUsage = "usage: ripple info RUN.h5";

std::string join_steps(const std::vector<std::int64_t>& steps) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < steps.size() && i < kShown; ++i)
    out += (i > 0 ? ", " : "") + std::to_string(steps[i]);
  if (steps.size() > kShown) out += fmt::format(", ... {} (in all {})", steps.back(), steps.size());
  return out;
}

void print_info(const std::string& path, const io::RunReader& reader) {
  const io::RunMeta meta = reader.meta();
  std::cout << path << "\n";
  const auto field = [](const char* name, const std::string& value) {
    std::cout << fmt::format("  {:<12}{}\n", name, value);
  };
  field("scenario", meta.scenario_path);
  if (!meta.overlay_path.empty()) field("--overlay", meta.overlay_path);
  std::istringstream overrides(meta.overrides);
  for (std::string line; std::getline(overrides, line);)
    if (!line.empty()) field("--set", line);
  field("ripple", fmt::format("{} (commit {})", meta.version, meta.git_commit));
  field("seed", std::to_string(meta.seed));
  field("threads", std::to_string(meta.threads));
  field("weeks", std::to_string(meta.steps));
  field("started", meta.started);
  field("finished", reader.finished());
  field("wall time", format_seconds(reader.wall_seconds()));
  if (!meta.timeline.empty()) {
    std::cout << "Timeline:\n";
    std::istringstream timeline(meta.timeline);
    for (std::string line; std::getline(timeline, line);)
      if (!line.empty()) std::cout << "  " << line << "\n";
  }

  const std::vector<std::string> names = reader.summary_names();
  const std::vector<std::int64_t> steps = reader.summary_steps();
  std::cout << fmt::format("\nSummary (/summary, {} records): first -> last\n", steps.size());
  struct Line {
    std::string name, first, last, unit, description;
  };
  std::vector<Line> lines;
  for (const std::string& name : names) {
    const std::vector<double> values = reader.summary(name);
    Line line{name, "-", "-", "", ""};
    if (!values.empty()) {
      line.first = format_number(values.front());
      line.last = format_number(values.back());
    }
    if (const auto index = summary_index(name)) {
      line.unit = summary_variables()[*index].unit;
      line.description = summary_variables()[*index].description;
    }
    lines.push_back(std::move(line));
  }
  std::size_t width[4] = {};
  for (const Line& line : lines) {
    width[0] = std::max(width[0], line.name.size());
    width[1] = std::max(width[1], line.first.size());
    width[2] = std::max(width[2], line.last.size());
    width[3] = std::max(width[3], line.unit.size());
  }
  for (const Line& line : lines)
    std::cout << fmt::format("  {:<{}}  {:>{}} -> {:>{}}  {:<{}}  {}\n", line.name, width[0],
                             line.first, width[1], line.last, width[2], line.unit, width[3],
                             line.description);

  const std::vector<std::uint32_t> recorded = reader.recorded_persons();
  const std::vector<std::int64_t> ts_steps = reader.timeseries_steps();
  if (recorded.empty() || ts_steps.empty())
    std::cout << "\nPer-person time series (/timeseries): none; no per-person records were kept "
                 "(output.level = \"none\", or no one to record)\n";
  else
    std::cout << fmt::format(
        "\nPer-person time series (/timeseries): {} persons, {} variables, {} "
        "records (weeks {})\n",
        recorded.size(), reader.timeseries_names().size(), ts_steps.size(), join_steps(ts_steps));

  const std::vector<io::Event> events = reader.events();
  const std::vector<std::string> kinds = reader.event_kind_names();
  std::map<std::size_t, std::size_t> by_kind;
  for (const io::Event& event : events) ++by_kind[event.kind];
  std::cout << fmt::format("Events (/events): {}\n", events.size());
  for (const auto& [kind, count] : by_kind)
    std::cout << fmt::format(
        "  {:<28}{}\n", kind < kinds.size() ? kinds[kind] : "kind " + std::to_string(kind), count);

  const std::vector<std::int64_t> tie_steps = reader.tie_snapshot_steps();
  if (tie_steps.empty())
    std::cout << "Tie snapshots (/ties): none\n";
  else
    std::cout << fmt::format("Tie snapshots (/ties): {} (weeks {})\n", tie_steps.size(),
                             join_steps(tie_steps));
}

}  // namespace

int command_info(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help");
  const auto parsed =
      parse_command(args, visible, {"run", false, "info: a RUN.h5 file is needed"}, kInfoUsage,
                    "Shows how a run file was made (scenario, version, commit, seed, "
                    "threads, times)\nand what it holds (outcomes, time series, events, "
                    "tie snapshots).");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["run"].as<std::string>();
  try {
    const io::RunReader reader{fs::path(path)};
    print_info(path, reader);
  } catch (const InputError& e) {
    // Someone reading the message must know which file was refused.
    const std::string what = e.what();
    if (what.find(path) == std::string::npos) throw InputError(path + ": " + what);
    throw;
  }
  return kExitOk;
}

namespace {

// --- dispatch -------------------------------------------------------------------

int dispatch(int argc, char** argv) {
  // Options before the command belong to `ripple` itself; the rest to the command.
  std::vector<std::string> top_args, command_args;
  std::string command;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (command.empty() && !arg.empty() && arg[0] == '-')
      top_args.push_back(arg);
    else if (command.empty())
      command = arg;
    else
      command_args.push_back(arg);
  }

  po::options_description top("Options");
  top.add_options()("help,h", "show this help")("version", "show the version");
  const po::variables_map vm = parse_options(top_args, top, {}, kTopUsage);
  if (vm.count("help")) {
    std::cout << kTopUsage << "\n\n" << kTopHelp;
    return kExitOk;
  }
  if (vm.count("version")) {
    std::cout << fmt::format("ripple {} (commit {})\n", version(), git_commit());
    return kExitOk;
  }
  // The one list of commands: dispatch and the message for an unknown one.
  using Command = int (*)(const std::vector<std::string>&);
  static const std::pair<const char*, Command> kCommands[] = {{"run", command_run},
                                                              {"validate", command_validate},
                                                              {"params", command_params},
                                                              {"info", command_info},
                                                              {"sweep", command_sweep},
                                                              {"sweep-merge", command_sweep_merge},
                                                              {"compare", command_compare},
                                                              {"trial", command_trial},
                                                              {"calibrate", command_calibrate}};
  for (const auto& [name, function] : kCommands)
    if (command == name) return function(command_args);
  if (command.empty()) throw UsageError("no command given", kTopUsage);
  std::string names;
  for (std::size_t i = 0; i < std::size(kCommands); ++i)
    names += fmt::format("{}{}",
                         i == 0                          ? ""
                         : i + 1 == std::size(kCommands) ? " and "
                                                         : ", ",
                         kCommands[i].first);
  throw UsageError(fmt::format("unknown command '{}'; the commands are {}", command, names),
                   kTopUsage);
}

}  // namespace
}  // namespace ripple::app

int main(int argc, char** argv) {
  using namespace ripple::app;
  ripple::io::skip_hdf5_cleanup_at_exit();
  const auto report_bug = [](const std::string& what) {
    // InternalError messages already start with "internal error at file:line".
    std::cerr << "ripple: " << (what.starts_with("internal error") ? "" : "internal error: ")
              << what
              << "\nThis is a bug in Ripple; please report this, with the command line and "
                 "the scenario file.\n";
    return kExitInternal;
  };
  try {
    return dispatch(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "ripple: error: " << e.what() << "\n"
              << e.usage() << "\nRun 'ripple --help' or 'ripple COMMAND --help' for more.\n";
    return kExitUsage;
  } catch (const ripple::InputError& e) {
    if (interrupt_signal() != 0) {
      // The progress line was ended while the exception unwound command_run.
      std::cerr << "ripple: interrupted; the partial run file was removed\n";
      return 128 + interrupt_signal();
    }
    std::cerr << "ripple: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const ripple::InternalError& e) {
    return report_bug(e.what());
  } catch (const std::exception& e) {
    return report_bug(e.what());
  }
}
