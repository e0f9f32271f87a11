#include "app/cli.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

#include "app/progress.hpp"
#include "ripple/ripple.hpp"

namespace ripple::app {
namespace {

// A signal handler may only touch lock-free flags, so these globals record the
// signal and the progress callback of a run turns it into an exception.
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_signal_count = 0;

// The first signal asks the run to stop cleanly after the current week. Wrappers
// such as `timeout` deliver one Ctrl-C twice (to the process and to its group), so
// only a third signal is taken as "stop now", e.g. while a large population is
// still being built; the partial file is then left behind.
void on_signal(int signal_number) {
  g_signal = signal_number;
  g_signal_count = g_signal_count + 1;
  if (g_signal_count >= 3) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

constexpr int kStyle =
    po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() { return static_cast<int>(g_signal); }

po::variables_map parse_options(const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const std::string& usage) {
  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(args).options(options).positional(positional).style(kStyle).run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what(), usage);
  }
  return vm;
}

std::optional<po::variables_map> parse_command(const std::vector<std::string>& args,
                                               const po::options_description& visible,
                                               const Positional& positional,
                                               const std::string& usage, const std::string& about) {
  // The unnamed arguments are options too, hidden from the help's list of options.
  po::options_description all;
  all.add(visible);
  po::positional_options_description order;
  if (positional.name != nullptr) {
    po::options_description hidden;
    if (positional.many)
      hidden.add_options()(positional.name, po::value<std::vector<std::string>>());
    else
      hidden.add_options()(positional.name, po::value<std::string>());
    all.add(hidden);
    order.add(positional.name, positional.many ? -1 : 1);
  }
  po::variables_map vm = parse_options(args, all, order, usage);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << about << "\n\n" << visible;
    return std::nullopt;
  }
  if (positional.missing != nullptr && !vm.count(positional.name))
    throw UsageError(positional.missing, usage);
  return vm;
}

int jobs_option(const po::variables_map& vm, const std::string& usage) {
  const int jobs = vm["jobs"].as<int>();
  if (jobs < 0)
    throw UsageError(fmt::format("--jobs {}: must be 0 (one per core) or more", jobs), usage);
  return jobs;
}

std::filesystem::path output_folder(const po::variables_map& vm, const std::string& name) {
  const std::filesystem::path dir = vm.count("output")
                                        ? std::filesystem::path(vm["output"].as<std::string>())
                                        : std::filesystem::path("runs") / name;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error)
    throw InputError(
        fmt::format("{}: cannot create the output folder: {}", dir.string(), error.message()));
  return dir;
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  if (std::fabs(value) >= 1000.0) return fmt::format("{:.0f}", value);
  if (std::fabs(value) >= 10.0) return fmt::format("{:.1f}", value);
  return fmt::format("{:.3f}", value);
}

std::string format_seconds(double seconds) {
  if (seconds < 1.0) return fmt::format("{:.2f} s", seconds);
  if (seconds < 60.0) return fmt::format("{:.1f} s", seconds);
  return format_duration(seconds);
}

void run_analysis_script(const std::string& script, const std::filesystem::path& dir,
                         const std::string& kept) {
  std::filesystem::path folder = RIPPLE_ANALYSIS_SOURCE_DIR;
  if (const char* env = std::getenv("RIPPLE_ANALYSIS_DIR"); env != nullptr && *env != '\0')
    folder = env;
  const std::filesystem::path path = folder / script;
  if (!std::filesystem::exists(path))
    throw InputError(fmt::format("{}: the report script is missing; {}", path.string(), kept));
  // Single quotes for the shell that std::system starts; a quote inside is closed,
  // escaped and reopened.
  const auto quote = [](const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::cout.flush();
  const std::string command =
      fmt::format("/usr/bin/python3 {} {}", quote(path.string()), quote(dir.string()));
  // The scripts exit with 2 for bad input (ripple_analysis.fail: a missing or foreign
  // file), which stays the user's error; any other failure (a traceback exits with 1,
  // a signal) is a bug in our own script.
  const int status = std::system(command.c_str());
  if (status == 0) return;
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 2)
    throw InputError(fmt::format("{}: the report could not be made (see the message above); {}",
                                 path.string(), kept));
  throw InternalError(fmt::format(
      "{}: the report script failed (see the message above; exit status {}); {}", path.string(),
      status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : status, kept));
}

scenario::Scenario load_with_shorthands(const std::string& path,
                                        const std::vector<std::string>& overrides,
                                        const po::variables_map& vm) {
  try {
    return scenario::load_scenario(path, overrides);
  } catch (const InputError& e) {
    std::string message = e.what();
    const auto rename = [&](const char* option, const char* key) {
      if (!vm.count(option)) return;
      const std::string value = vm[option].as<std::string>();
      const std::string from = fmt::format("--set {}={}", key, value);
      const std::string to = fmt::format("--{} {}", option, value);
      for (std::size_t at = message.find(from); at != std::string::npos;
           at = message.find(from, at + to.size()))
        message.replace(at, from.size(), to);
    };
    rename("seed", "run.seed");
    rename("steps", "run.weeks");
    throw InputError(message);
  }
}

}  // namespace ripple::app
