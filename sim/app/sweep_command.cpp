// `ripple sweep` and `ripple sweep-merge`: many runs of one base scenario, and the
// index that reaches them all (docs/SWEEPS.md, docs/CLUSTER.md, docs/OUTPUT.md).
//
// On one machine, runs go to child processes (fork), several at once, so that one run
// that crashes is recorded as failed and the others carry on, and so that concurrent
// runs share no process state. With --mpi, rank 0 hands out runs from a work queue and
// the other ranks run them in their own process; with --shard I/N a process does every
// N-th run and leaves the index to `ripple sweep-merge`.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.hpp"
#include "app/progress.hpp"
#include "ripple/ripple.hpp"
#include "sweep/sweep.hpp"

#ifdef RIPPLE_HAVE_MPI
// The C API only: OpenMPI's mpi.h otherwise pulls in its deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace fs = std::filesystem;

namespace ripple::app {
namespace {

const char* const kSweepUsage =
    "usage: ripple sweep SWEEP.toml [-o DIR] [--jobs J] [--threads T] [--shard I/N] [--mpi]";
const char* const kMergeUsage = "usage: ripple sweep-merge DIR";

// Persons from which one run gets every core instead of one core per run: below it, a
// run's parallel loops are too short to keep several threads busy, and whole runs side
// by side use the cores better.
constexpr std::int64_t kLargeRunPersons = 200000;

// The outcomes shown on stdout; the index holds all of them.
const char* const kShownOutcomes[] = {"recovery_index_mean", "in_episode", "employed", "isolated",
                                      "cost"};

int cores() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// "runs 12/40 done, 1 failed, 2 running, 0:35 left", redrawn in place on a terminal and
// written as a line per tenth of the sweep elsewhere.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, std::size_t already_done, bool quiet)
      : total_(total), base_done_(already_done), quiet_(quiet), terminal_(stderr_is_terminal()) {
    start_ = std::chrono::steady_clock::now();
  }
  ~SweepProgress() { finish(); }
  SweepProgress(const SweepProgress&) = delete;
  SweepProgress& operator=(const SweepProgress&) = delete;

  void update(std::size_t done, std::size_t failed, std::size_t running) {
    if (quiet_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::size_t finished_now = done + failed - base_done_;
    const std::size_t left = total_ - done - failed;
    std::string eta = "estimating time left";
    if (finished_now > 0)
      eta =
          format_duration(elapsed / static_cast<double>(finished_now) * static_cast<double>(left)) +
          " left";
    if (left == 0) eta = "finished in " + format_duration(elapsed);
    const std::string line = fmt::format("runs {}/{} done, {} failed, {} running, {}", done, total_,
                                         failed, running, eta);
    if (terminal_) {
      std::cerr << "\r" << line << std::string(line.size() < width_ ? width_ - line.size() : 0, ' ')
                << std::flush;
      width_ = line.size();
      open_ = true;
      return;
    }
    // A line when another tenth is finished (each finished run in sweeps of up to 20).
    const std::size_t finished = done + failed;
    const std::size_t step = total_ <= 20 ? finished : (total_ == 0 ? 10 : finished * 10 / total_);
    if (step != last_step_) {
      last_step_ = step;
      std::cerr << line << "\n";
    }
  }
  void finish() {
    if (open_) std::cerr << "\n";
    open_ = false;
  }

 private:
  std::size_t total_, base_done_;
  bool quiet_, terminal_;
  std::chrono::steady_clock::time_point start_;
  std::size_t width_ = 0;
  std::size_t last_step_ = static_cast<std::size_t>(-1);
  bool open_ = false;
};

struct Options {
  fs::path dir;
  int jobs = 0;     // 0: chosen automatically
  int threads = 0;  // 0: chosen automatically
  std::optional<std::pair<std::size_t, std::size_t>> shard;
  bool mpi = false;
  bool quiet = false;
  bool report = false;
  bool dry_run = false;
  bool merge = false;  // sweep-merge: runs are retried by running their share again
};

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  std::size_t index = 0, count = 0;
  bool good = slash != std::string::npos && slash > 0 && slash + 1 < text.size();
  if (good) {
    try {
      std::size_t used = 0;
      index = std::stoul(text.substr(0, slash), &used);
      good = used == slash;
      count = std::stoul(text.substr(slash + 1), &used);
      good = good && used == text.size() - slash - 1;
    } catch (const std::exception&) {
      good = false;
    }
  }
  if (!good || count == 0 || index >= count)
    throw UsageError(fmt::format("--shard {}: must be I/N with 0 <= I < N, e.g. --shard 0/8 "
                                 "for the first of 8 shares",
                                 text),
                     kSweepUsage);
  return {index, count};
}

// The runs still to do: every run of this process's share whose file does not check out.
std::vector<std::size_t> runs_to_do(const sweep::Plan& plan, const Options& options,
                                    std::size_t& already_done) {
  std::vector<std::size_t> todo;
  already_done = 0;
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    if (options.shard && !sweep::in_shard(i, options.shard->first, options.shard->second)) continue;
    if (sweep::check_run(sweep::run_path(options.dir, plan.runs[i]), plan.runs[i]))
      ++already_done;
    else
      todo.push_back(i);
  }
  return todo;
}

void remove_stale_files(const fs::path& dir, const sweep::RunSpec& run) {
  std::error_code ignored;
  fs::remove(sweep::run_path(dir, run), ignored);
  fs::remove(sweep::error_path(dir, run), ignored);
}

// Runs `todo` in child processes, `jobs` at a time. Returns the number of failed runs.
std::size_t run_local(const sweep::Plan& plan, const std::vector<std::size_t>& todo,
                      std::size_t already_done, std::size_t share, const Options& options, int jobs,
                      int threads) {
  SweepProgress progress(share, already_done, options.quiet);
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0, done = already_done, failed = 0;
  progress.update(done, failed, 0);
  while (next < todo.size() || !running.empty()) {
    while (interrupt_signal() == 0 && next < todo.size() &&
           running.size() < static_cast<std::size_t>(jobs)) {
      const std::size_t run = todo[next++];
      remove_stale_files(options.dir, plan.runs[run]);
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0)
        throw InputError(fmt::format("cannot start a run process: {}", std::strerror(errno)));
      if (pid == 0) {
        // The child: Ctrl-C ends it at once (its .part file is never taken for a run).
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        const std::string error = sweep::execute_run(options.dir, plan, run, threads);
        std::fflush(nullptr);
        _exit(error.empty() ? 0 : 3);
      }
      running[pid] = run;
      progress.update(done, failed, running.size());
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw InternalError(fmt::format("waitpid failed: {}", std::strerror(errno)));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const sweep::RunSpec& spec = plan.runs[it->second];
    running.erase(it);
    std::string why;
    if (sweep::check_run(sweep::run_path(options.dir, spec), spec, &why)) {
      ++done;
    } else if (WIFSIGNALED(status) && interrupt_signal() != 0) {
      // Interrupted: left pending, to be run again.
    } else {
      std::string message = why;
      if (WIFSIGNALED(status))
        message = fmt::format("the run process ended with signal {} ({})", WTERMSIG(status),
                              strsignal(WTERMSIG(status)));
      if (!fs::exists(sweep::error_path(options.dir, spec))) {
        std::ofstream note(sweep::error_path(options.dir, spec));
        note << message << "\n";
      }
      ++failed;
    }
    progress.update(done, failed, running.size());
  }
  progress.finish();
  return failed;
}

std::string format_value(const std::string& key, double value) {
  const scenario::ParamInfo* info = scenario::find_param(key);
  return info != nullptr ? scenario::format_value(*info, value) : format_number(value);
}

// Plain tables on stdout: what was run, and the key outcomes or Sobol indices.
void print_summary(const sweep::Plan& plan, const sweep::IndexSummary& summary, const fs::path& dir,
                   std::size_t skipped) {
  const std::size_t n = plan.runs.size();
  std::cout << fmt::format("Sweep {}: {} runs ({} design points x {} replications), {} design\n",
                           plan.spec.path, n, plan.design.points.size(), plan.spec.replications,
                           sweep::design_name(plan.spec.design));
  std::cout << fmt::format("  done {}{}, failed {}, pending {}\n", summary.done,
                           skipped > 0 ? fmt::format(" ({} already complete)", skipped) : "",
                           summary.failed, summary.pending);
  std::cout << fmt::format("  index {}\n", (dir / "sweep.h5").string());

  std::vector<std::size_t> shown;
  for (const char* name : kShownOutcomes)
    if (const auto index = summary_index(name)) shown.push_back(*index);

  if (plan.spec.design == sweep::DesignKind::Saltelli) {
    if (!summary.has_sobol) {
      std::cout << "\n" << summary.sobol_note << "\n";
      return;
    }
    std::cout << "\nSobol indices (first order S1 and total ST, 95% bootstrap intervals; all "
                 "outcomes in /sobol):\n";
    bool noisy = false;
    std::size_t width = 9;
    for (const std::string& key : plan.design.keys) width = std::max(width, key.size());
    for (const std::size_t o : shown) {
      std::cout << fmt::format("\n  {}\n", summary.outcome_names[o]);
      std::cout << fmt::format("    {:<{}}  {:>6} {:>17}  {:>6} {:>17}\n", "parameter", width, "S1",
                               "interval", "ST", "interval");
      const sweep::SobolIndices& s = summary.sobol[o];
      noisy = noisy || sweep::sobol_noisy(s);
      for (std::size_t j = 0; j < plan.design.keys.size(); ++j)
        std::cout << fmt::format(
            "    {:<{}}  {:>6.3f} [{:>6.3f}, {:>6.3f}]  {:>6.3f} [{:>6.3f}, "
            "{:>6.3f}]\n",
            plan.design.keys[j], width, s.first[j], s.first_low[j], s.first_high[j], s.total[j],
            s.total_low[j], s.total_high[j]);
    }
    if (noisy)
      std::cout << fmt::format(
          "\nSome indices lie outside 0..1 or have intervals wider than 0.3: with {} base "
          "samples\nthey are mostly sampling noise. Raise `samples` in the sweep file "
          "(docs/SWEEPS.md).\n",
          plan.spec.samples);
    return;
  }

  // Key outcomes by design point, averaged over the point's completed replications.
  constexpr std::size_t kMaxPoints = 40;
  std::cout << "\nKey outcomes by design point (means over weeks 1..end and replications):\n";
  std::vector<std::string> head = {"point"};
  for (const std::string& key : plan.design.keys) head.push_back(key);
  for (const std::size_t o : shown) head.push_back(summary.outcome_names[o]);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t p = 0; p < plan.design.points.size() && p < kMaxPoints; ++p) {
    std::vector<std::string> row = {std::to_string(p)};
    for (std::size_t j = 0; j < plan.design.keys.size(); ++j)
      row.push_back(format_value(plan.design.keys[j], plan.design.points[p][j]));
    for (const std::size_t o : shown) {
      double sum = 0.0;
      std::size_t count = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (plan.runs[i].point == p && summary.status[i] == sweep::RunStatus::Done) {
          sum += summary.outcomes[i][o];
          ++count;
        }
      row.push_back(count > 0 ? format_number(sum / static_cast<double>(count)) : "-");
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  const auto print_row = [&](const std::vector<std::string>& row) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format(" {:>{}}", row[c], width[c]);
    std::cout << line << "\n";
  };
  print_row(head);
  for (const auto& row : rows) print_row(row);
  if (plan.design.points.size() > kMaxPoints)
    std::cout << fmt::format("  ... {} more design points in the index\n",
                             plan.design.points.size() - kMaxPoints);
}

void print_failures(const sweep::Plan& plan, const sweep::IndexSummary& summary) {
  std::size_t shown = 0;
  for (std::size_t i = 0; i < plan.runs.size() && shown < 5; ++i)
    if (summary.status[i] == sweep::RunStatus::Failed) {
      std::cerr << fmt::format("ripple: run {} failed: {}\n", plan.runs[i].name, summary.errors[i]);
      ++shown;
    }
  if (summary.failed > shown)
    std::cerr << fmt::format(
        "ripple: ... and {} more failed runs (see /design/error in the "
        "index)\n",
        summary.failed - shown);
}

// "p0002-r00, p0003-r00, ... and 12 more": the runs not there yet.
std::string pending_names(const sweep::Plan& plan, const sweep::IndexSummary& summary) {
  constexpr std::size_t kShown = 5;
  std::string names;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < plan.runs.size() && shown < kShown; ++i)
    if (summary.status[i] == sweep::RunStatus::Pending) {
      names += (shown > 0 ? ", " : "") + plan.runs[i].name;
      ++shown;
    }
  if (summary.pending > shown) names += fmt::format(" ... and {} more", summary.pending - shown);
  return names;
}

int finish_with_index(const sweep::Plan& plan, const Options& options, std::size_t skipped) {
  const sweep::IndexSummary summary = sweep::write_index(options.dir, plan);
  print_summary(plan, summary, options.dir, skipped);
  print_failures(plan, summary);
  if (options.report) {
    run_analysis_script("sweep_report.py", options.dir,
                        fmt::format("the index is in {}", (options.dir / "sweep.h5").string()));
  }
  if (interrupt_signal() != 0) {
    std::cerr << "ripple: interrupted; finished runs are kept, run the same command again to "
                 "go on\n";
    return 128 + interrupt_signal();
  }
  if (summary.failed > 0)
    std::cerr << fmt::format("ripple: {} of {} runs failed; {}\n", summary.failed, plan.runs.size(),
                             options.merge ? "run the shares that hold them again to retry "
                                             "them, then merge again"
                                           : "run the same command again to retry them");
  // Pending runs are those of shares not run (or not finished) yet: the index is
  // written, but the sweep is not complete, and a job chain must not take it for done.
  if (summary.pending > 0)
    std::cerr << fmt::format(
        "ripple: {} of {} runs are not there yet ({}); run the shares that hold them "
        "(ripple sweep {} -o {} --shard I/N), then merge again\n",
        summary.pending, plan.runs.size(), pending_names(plan, summary), plan.spec.path,
        options.dir.string());
  return summary.failed > 0 || summary.pending > 0 ? kExitUsage : kExitOk;
}

sweep::Plan load_plan(const std::string& path) {
  const sweep::SweepSpec spec = sweep::load_sweep(path);
  const fs::path base = sweep::base_scenario_path(spec);
  std::ifstream in(base, std::ios::binary);
  std::error_code error;
  if (!in || fs::is_directory(base, error))
    throw InputError(
        fmt::format("{}:{}: sweep.scenario = \"{}\": cannot open {} (the path is "
                    "taken relative to the sweep file)",
                    spec.path, spec.scenario_line, spec.scenario_path, base.string()));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return sweep::make_plan(spec, text, base.string());
}

// Chooses how many runs go side by side and how many threads each gets.
std::pair<int, int> choose_parallelism(const sweep::Plan& plan, const Options& options,
                                       std::size_t todo) {
  const scenario::Scenario first = plan.scenario(0);
  const bool large = first.params.population.persons >= kLargeRunPersons;
  int jobs = options.jobs, threads = options.threads;
  if (jobs == 0 && threads == 0) {
    jobs = large ? 1 : cores();
    threads = large ? cores() : 1;
  } else if (jobs == 0) {
    jobs = std::max(1, cores() / threads);
  } else if (threads == 0) {
    threads = std::max(1, cores() / jobs);
  }
  jobs = std::max(1, std::min(jobs, static_cast<int>(std::max<std::size_t>(todo, 1))));
  return {jobs, threads};
}

#ifdef RIPPLE_HAVE_MPI

// Finalizes MPI however the command ends.
struct MpiSession {
  MpiSession() {
    int argc = 0;
    char** argv = nullptr;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank = 0, size = 1;
};

constexpr int kTagResult = 1, kTagWork = 2;

int run_mpi(const std::string& sweep_path, Options options) {
  MpiSession mpi;
  // Every rank reads and checks the plan; a bad sweep file is refused by all alike.
  const sweep::Plan plan = load_plan(sweep_path);
  options.threads = options.threads == 0 ? 1 : options.threads;
  if (mpi.rank != 0) {
    // Worker: ask for a run, do it, report, until told to stop.
    long long message[2] = {-1, 0};
    while (true) {
      MPI_Send(message, 2, MPI_LONG_LONG, 0, kTagResult, MPI_COMM_WORLD);
      long long run = -1;
      MPI_Recv(&run, 1, MPI_LONG_LONG, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (run < 0) break;
      const std::string error =
          sweep::execute_run(options.dir, plan, static_cast<std::size_t>(run), options.threads);
      message[0] = run;
      message[1] = error.empty() ? 0 : 1;
    }
    return kExitOk;
  }
  sweep::check_definition(options.dir, plan);
  sweep::save_definition(options.dir, plan);
  std::size_t already_done = 0;
  const std::vector<std::size_t> todo = runs_to_do(plan, options, already_done);
  if (!options.quiet)
    std::cerr << fmt::format("sweep: {} runs, {} already complete, {} to do on {} worker ranks\n",
                             plan.runs.size(), already_done, todo.size(),
                             std::max(mpi.size - 1, 1));
  if (mpi.size == 1) {
    SweepProgress progress(plan.runs.size(), already_done, options.quiet);
    std::size_t done = already_done, failed = 0;
    for (const std::size_t run : todo) {
      remove_stale_files(options.dir, plan.runs[run]);
      progress.update(done, failed, 1);
      if (sweep::execute_run(options.dir, plan, run, options.threads).empty())
        ++done;
      else
        ++failed;
    }
    progress.update(done, failed, 0);
    progress.finish();
    return finish_with_index(plan, options, already_done);
  }
  // Dispatcher: a dynamic queue, so fast and slow runs even out across ranks. It polls
  // with short sleeps rather than a blocking receive, which in OpenMPI spins a core.
  SweepProgress progress(plan.runs.size(), already_done, options.quiet);
  std::size_t next = 0, done = already_done, failed = 0, running = 0;
  int workers = mpi.size - 1;
  for (const std::size_t run : todo) remove_stale_files(options.dir, plan.runs[run]);
  while (workers > 0) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    long long message[2];
    MPI_Recv(message, 2, MPI_LONG_LONG, status.MPI_SOURCE, kTagResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (message[0] >= 0) {
      --running;
      if (message[1] == 0)
        ++done;
      else
        ++failed;
    }
    long long run = -1;
    if (next < todo.size()) {
      run = static_cast<long long>(todo[next++]);
      ++running;
    } else {
      --workers;
    }
    MPI_Send(&run, 1, MPI_LONG_LONG, status.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
    progress.update(done, failed, running);
  }
  progress.finish();
  return finish_with_index(plan, options, already_done);
}

#endif

}  // namespace

int command_sweep(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  auto add = visible.add_options();
  add("help,h", "show this help");
  add("output,o", po::value<std::string>()->value_name("DIR"),
      "folder of the sweep: run files in DIR/runs, the index DIR/sweep.h5 (default "
      "sweeps/<sweep file name>)");
  add("jobs,j", po::value<int>()->value_name("J"),
      "runs side by side (default: one per core, or one at a time from 200000 persons)");
  add("threads,t", po::value<int>()->value_name("T"),
      "threads of each run (default: 1, or every core from 200000 persons)");
  add("shard", po::value<std::string>()->value_name("I/N"),
      "do only the I-th of N disjoint shares of the runs (0 <= I < N), for job arrays; "
      "build the index afterwards with 'ripple sweep-merge DIR'");
  add("mpi", "hand out runs to MPI ranks (start with mpirun); rank 0 writes the index");
  add("dry-run", "check the sweep file and list the runs, without running anything");
  add("report", "afterwards, make the HTML report with analysis/sweep_report.py");
  add("quiet,q", "no progress on stderr");
  const auto parsed = parse_command(
      args, visible, {"sweep", false, "sweep: a SWEEP.toml file is needed"}, kSweepUsage,
      "Runs a base scenario over a design of parameter values (list, grid, Latin\n"
      "hypercube or Saltelli) with replications, and writes DIR/sweep.h5: the design\n"
      "table, key outcomes and links to every run file. Running the same command again\n"
      "skips the runs whose files check out and redoes failed or partial ones.\n"
      "The sweep file format is in docs/SWEEPS.md; clusters in docs/CLUSTER.md.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["sweep"].as<std::string>();
  Options options;
  options.dir = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                   : fs::path("sweeps") / fs::path(path).stem();
  if (vm.count("jobs")) {
    options.jobs = vm["jobs"].as<int>();
    if (options.jobs < 1) throw UsageError("--jobs: must be at least 1", kSweepUsage);
  }
  if (vm.count("threads")) {
    options.threads = vm["threads"].as<int>();
    if (options.threads < 1) throw UsageError("--threads: must be at least 1", kSweepUsage);
  }
  if (vm.count("shard")) options.shard = parse_shard(vm["shard"].as<std::string>());
  options.mpi = vm.count("mpi") > 0;
  options.quiet = vm.count("quiet") > 0;
  options.report = vm.count("report") > 0;
  options.dry_run = vm.count("dry-run") > 0;
  if (options.mpi && options.shard)
    throw UsageError("--mpi and --shard do not go together: MPI shares the runs itself",
                     kSweepUsage);

  if (options.mpi) {
#ifdef RIPPLE_HAVE_MPI
    return run_mpi(path, options);
#else
    throw InputError(
        "--mpi: this ripple was built without MPI; install libopenmpi-dev "
        "(scripts/setup.sh) and build again");
#endif
  }

  const sweep::Plan plan = load_plan(path);
  if (options.dry_run) {
    std::cout << fmt::format("{}: OK, {} runs ({} design points x {} replications), {} design\n",
                             path, plan.runs.size(), plan.design.points.size(),
                             plan.spec.replications, sweep::design_name(plan.spec.design));
    for (const sweep::RunSpec& run : plan.runs) {
      std::string values;
      for (std::size_t j = 0; j < plan.design.keys.size(); ++j)
        values += fmt::format("  {}={}", plan.design.keys[j],
                              format_value(plan.design.keys[j], plan.design.points[run.point][j]));
      std::cout << fmt::format("  {}  seed {}{}\n", run.name, run.seed, values);
    }
    return kExitOk;
  }
  sweep::check_definition(options.dir, plan);
  sweep::save_definition(options.dir, plan);
  check_resources(plan.scenario(0), sweep::run_path(options.dir, plan.runs.front()));

  std::size_t already_done = 0;
  const std::vector<std::size_t> todo = runs_to_do(plan, options, already_done);
  const std::size_t share = todo.size() + already_done;
  const auto [jobs, threads] = choose_parallelism(plan, options, todo.size());
  if (!options.quiet)
    std::cerr << fmt::format(
        "sweep: {} runs{}, {} already complete, {} to do; {} at a time with "
        "{} thread{} each\n",
        share,
        options.shard ? fmt::format(" in share {}/{}", options.shard->first, options.shard->second)
                      : "",
        already_done, todo.size(), jobs, threads, threads == 1 ? "" : "s");
  install_interrupt_handlers();
  const std::size_t failed = run_local(plan, todo, already_done, share, options, jobs, threads);
  if (options.shard) {
    std::cout << fmt::format(
        "Share {}/{} of {}: {} runs, {} failed. When every share has "
        "finished, build the index with: ripple sweep-merge {}\n",
        options.shard->first, options.shard->second, path, share, failed, options.dir.string());
    if (interrupt_signal() != 0) return 128 + interrupt_signal();
    return failed > 0 ? kExitUsage : kExitOk;
  }
  return finish_with_index(plan, options, already_done);
}

int command_sweep_merge(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help");
  const auto parsed = parse_command(
      args, visible, {"dir", false, "sweep-merge: a sweep folder DIR is needed"}, kMergeUsage,
      "Builds DIR/sweep.h5 from the run files that the shares of a sweep "
      "(--shard I/N)\nwrote into DIR, checking each. Runs not there yet are "
      "listed as pending, damaged\nrun files as failed; the exit code is 0 only when "
      "every run is done.");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  Options options;
  options.dir = vm["dir"].as<std::string>();
  options.merge = true;
  const sweep::Plan plan = sweep::load_definition(options.dir);
  return finish_with_index(plan, options, 0);
}

}  // namespace ripple::app
