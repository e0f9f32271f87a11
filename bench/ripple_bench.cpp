// Times the engine on a generated population with summary-level output only.
// Prints one line: persons, weeks, threads, build and step seconds, agent-steps per
// second, peak memory, and the CPU seconds of the stepping summed over threads (on a
// busy machine wall time is noisy; the CPU time of the same work varies much less).
// bench/run calls it for several sizes, each in its own process so that peak memory is
// that run's alone.
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ripple/ripple.hpp"

namespace {

// User plus system CPU seconds of this process so far, all threads.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    fmt::print(stderr, "usage: ripple_bench PERSONS WEEKS THREADS [SCENARIO]\n");
    return 2;
  }
  const long persons = std::atol(argv[1]);
  const long weeks = std::atol(argv[2]);
  const int threads = std::atoi(argv[3]);
  const std::string path = argc > 4 ? argv[4] : "scenarios/baseline.toml";
  try {
    const auto scenario = ripple::scenario::load_scenario(
        path, {fmt::format("population.persons={}", persons), fmt::format("run.weeks={}", weeks),
               "output.level=\"none\"", "run.burn_in_weeks=0"});
    const auto t0 = std::chrono::steady_clock::now();
    ripple::Simulation sim(scenario, threads);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = cpu_seconds();
    for (long w = 0; w < weeks; ++w) sim.step();
    const auto t2 = std::chrono::steady_clock::now();
    const double step_cpu = cpu_seconds() - cpu1;
    const double build = std::chrono::duration<double>(t1 - t0).count();
    const double stepping = std::chrono::duration<double>(t2 - t1).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
    fmt::print("{:>9} {:>6} {:>7} {:>9.2f} {:>9.2f} {:>12.3g} {:>9.0f} {:>12.0f} {:>10.2f}\n",
               persons, weeks, sim.threads(), build, stepping,
               static_cast<double>(persons) * static_cast<double>(weeks) / stepping, peak_mb,
               peak_mb * 1024.0 * 1024.0 / static_cast<double>(persons), step_cpu);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ripple_bench: {}\n", e.what());
    return 1;
  }
  return 0;
}
