// Running a comparison: the runs, their seeds, and the rows of the table.
#include "compare/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <sstream>
#include <thread>

#include "ripple/outcomes.hpp"
#include "ripple/ripple.hpp"

namespace ripple::compare {
namespace {

// SplitMix64's finaliser: a well-mixed 64-bit value from a counter, so seeds of
// neighbouring replications share no structure.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::size_t summary_position(const std::string& name) {
  const auto& variables = summary_variables();
  for (std::size_t i = 0; i < variables.size(); ++i)
    if (variables[i].name == name) return i;
  internal_error(__FILE__, __LINE__, "no /summary variable named " + name);
}

// The line of `key` in a scenario text ("[population]" then "persons = ..", or a dotted
// "population.persons = .."); 0 when the file does not set it.
int key_line(const std::string& text, const std::string& key) {
  const std::size_t dot = key.rfind('.');
  const std::string table = key.substr(0, dot), leaf = key.substr(dot + 1);
  std::istringstream in(text);
  std::string line, current;
  const auto sets = [](std::string_view body, const std::string& name) {
    if (!body.starts_with(name)) return false;
    body.remove_prefix(name.size());
    const std::size_t at = body.find_first_not_of(" \t");
    return at != std::string_view::npos && body[at] == '=';
  };
  for (int number = 1; std::getline(in, line); ++number) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const std::string_view body = std::string_view(line).substr(start);
    if (body.starts_with("[")) {
      const std::size_t close = body.find(']');
      current = std::string(body.substr(1, close == std::string_view::npos ? 0 : close - 1));
      continue;
    }
    if ((current == table && sets(body, leaf)) || (current.empty() && sets(body, key)))
      return number;
  }
  return 0;
}

std::string where(const scenario::Scenario& s, const std::string& key) {
  for (const std::string& override_arg : s.overrides)
    if (override_arg.starts_with(key + "=")) return "--set";
  const int line = key_line(s.text, key);
  return line > 0 ? fmt::format("{} line {}", s.path, line) : s.path + " (default)";
}

RunOutcome run_one(scenario::Scenario s, std::uint64_t seed) {
  s.params.run.seed = static_cast<std::int64_t>(seed);
  Simulation simulation(s, 1);
  SubgroupTracker tracker(simulation);
  const std::size_t variables = summary_variables().size();
  const std::size_t sub = subgroups().size() * subgroup_variables().size();
  const std::size_t cost = summary_position("cost");
  const std::size_t recovery = summary_position("recovery_index_mean");
  const std::size_t in_recovery = summary_position("in_recovery");

  RunOutcome out;
  out.seed = seed;
  out.weekly_mean.assign(variables, 0.0);
  out.subgroup_mean.assign(sub, 0.0);
  std::vector<double> subgroup_weeks(sub, 0.0);
  out.subgroup_size.assign(tracker.sizes().begin(), tracker.sizes().end());
  out.series.push_back(simulation.summary());
  const std::int32_t weeks = simulation.weeks();
  for (std::int32_t w = 1; w <= weeks; ++w) {
    simulation.step();
    std::vector<double> values = simulation.summary();
    for (std::size_t v = 0; v < variables; ++v) out.weekly_mean[v] += values[v];
    out.total_cost += values[cost];
    out.recovery_years += recovery_years_of_week(values[recovery], values[in_recovery]);
    const std::vector<double> groups = tracker.measure(simulation);
    for (std::size_t g = 0; g < sub; ++g)
      if (std::isfinite(groups[g])) {
        out.subgroup_mean[g] += groups[g];
        subgroup_weeks[g] += 1.0;
      }
    out.series.push_back(std::move(values));
  }
  for (double& v : out.weekly_mean) v /= std::max(1, weeks);
  for (std::size_t g = 0; g < sub; ++g)
    out.subgroup_mean[g] =
        subgroup_weeks[g] > 0 ? out.subgroup_mean[g] / subgroup_weeks[g] : std::nan("");
  return out;
}

}  // namespace

std::uint64_t run_seed(std::uint64_t master, int replication, int configuration, bool independent) {
  const int stream = independent ? configuration : 0;
  if (replication == 0 && stream == 0) return master;
  // run.seed takes 32-bit values.
  const std::uint64_t key = mix(master) ^ mix((static_cast<std::uint64_t>(stream) << 32) +
                                              static_cast<std::uint64_t>(replication));
  return mix(key) & 0xFFFFFFFFull;
}

double recovery_years_of_week(double recovery_index_mean, double persons_in_recovery) {
  return recovery_index_mean * persons_in_recovery / 52.0;
}

void check_same_population(const std::vector<scenario::Scenario>& configurations) {
  if (configurations.size() < 2) return;
  const scenario::Scenario& first = configurations.front();
  std::vector<std::string> problems;
  for (std::size_t k = 1; k < configurations.size(); ++k) {
    const scenario::Scenario& other = configurations[k];
    for (const scenario::ParamInfo& info : scenario::parameter_table()) {
      const std::string key(info.key);
      if (!key.starts_with("population.") && !key.starts_with("initial.") && key != "run.weeks" &&
          key != "run.burn_in_weeks")
        continue;
      const double a = info.get(first.params), b = info.get(other.params);
      if (a == b) continue;
      problems.push_back(fmt::format("  {} is {} ({}) but {} ({})", key,
                                     scenario::format_value(info, a), where(first, key),
                                     scenario::format_value(info, b), where(other, key)));
    }
  }
  if (problems.empty()) return;
  std::string message =
      "compare: the configurations must describe the same population and horizon, so that "
      "differences come from the services and not from different people; these differ:\n";
  for (const std::string& problem : problems) message += problem + "\n";
  message += "Set population.*, initial.*, run.weeks and run.burn_in_weeks alike in every file.";
  throw InputError(message);
}

Result run_comparison(const std::vector<scenario::Scenario>& configurations,
                      const Options& options) {
  RIPPLE_CHECK(!configurations.empty() && options.replications >= 1,
               "run_comparison: nothing to run");
  check_same_population(configurations);
  const auto started = std::chrono::steady_clock::now();
  Result result;
  result.configurations = configurations;
  result.options = options;
  result.options.progress = nullptr;
  result.weeks = configurations.front().params.run.weeks;
  const std::size_t k_count = configurations.size();
  const auto reps = static_cast<std::size_t>(options.replications);
  result.runs.assign(k_count, std::vector<RunOutcome>(reps));

  const std::size_t total = k_count * reps;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min<std::size_t>(
      total, options.jobs > 0 ? static_cast<std::size_t>(options.jobs) : cores);

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished_one;
  std::size_t done = 0;
  std::exception_ptr failure;
  // Each run gets one thread and the runs share the cores: a run's results depend
  // only on its seed, so the order in which the runs finish does not matter.
  const auto work = [&] {
    for (;;) {
      const std::size_t job = next.fetch_add(1);
      if (job >= total || stop) return;
      const std::size_t k = job % k_count, r = job / k_count;
      try {
        RunOutcome outcome =
            run_one(configurations[k], run_seed(options.master_seed, static_cast<int>(r),
                                                static_cast<int>(k), options.independent));
        const std::lock_guard lock(mutex);
        result.runs[k][r] = std::move(outcome);
        ++done;
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      finished_one.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < workers; ++t) threads.emplace_back(work);
  std::exception_ptr stopped;
  {
    std::unique_lock lock(mutex);
    std::size_t reported = 0;
    while (done < total && !failure) {
      finished_one.wait_for(lock, std::chrono::milliseconds(200));
      if (options.progress && !stopped && (done != reported || done == 0)) {
        reported = done;
        const std::size_t now = done;
        lock.unlock();
        try {
          options.progress(now, total);
        } catch (...) {
          stopped = std::current_exception();
          stop = true;
        }
        lock.lock();
        if (stopped) break;
      }
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (stopped) std::rethrow_exception(stopped);
  if (failure) std::rethrow_exception(failure);
  if (options.progress) options.progress(total, total);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

const std::vector<KeyOutcome>& key_outcomes() {
  static const std::vector<KeyOutcome> kOutcomes = {
      {"recovery_index_mean", "Recovery index", "0-1"},
      {"relapses", "Relapses", "persons/week"},
      {"admissions", "Admissions", "persons/week"},
      {"bed_days", "Bed-days", "days/week"},
      {"employed", "Employed", "share"},
      {"isolated", "Isolated", "share"},
      {"carer_burden_mean", "Carer burden", "0-1"},
      {"dropouts", "Drop-outs", "persons/week"},
      {"waiting_weeks_mean", "Waiting time", "weeks"},
      {"staff_hours", "Staff hours", "hours/week"},
      {"cost", "Cost", "NOK/week"},
      {"total_cost", "Total cost, whole run", "NOK"},
      {"recovery_years", "Recovery-years, whole run", "years"}};
  return kOutcomes;
}

std::vector<double> outcome_values(const Result& result, const std::string& key,
                                   std::size_t configuration) {
  std::vector<double> values;
  const auto& runs = result.runs.at(configuration);
  if (key == "total_cost") {
    for (const RunOutcome& run : runs) values.push_back(run.total_cost);
  } else if (key == "recovery_years") {
    for (const RunOutcome& run : runs) values.push_back(run.recovery_years);
  } else {
    const std::size_t v = summary_position(key);
    for (const RunOutcome& run : runs) values.push_back(run.weekly_mean.at(v));
  }
  return values;
}

std::vector<double> subgroup_values(const Result& result, std::size_t group, std::size_t variable,
                                    std::size_t configuration) {
  std::vector<double> values;
  const std::size_t index = group * subgroup_variables().size() + variable;
  for (const RunOutcome& run : result.runs.at(configuration))
    values.push_back(run.subgroup_mean.at(index));
  return values;
}

namespace {

Row make_row(const Result& result, const auto& values_of) {
  Row row;
  const std::vector<double> first = values_of(0);
  for (std::size_t k = 0; k < result.configurations.size(); ++k) {
    const std::vector<double> values = values_of(k);
    row.mean.push_back(mean_interval(values));
    row.difference.push_back(paired_difference(first, values));
  }
  return row;
}

}  // namespace

std::vector<Row> key_rows(const Result& result) {
  std::vector<Row> rows;
  for (const KeyOutcome& outcome : key_outcomes()) {
    Row row =
        make_row(result, [&](std::size_t k) { return outcome_values(result, outcome.key, k); });
    row.key = outcome.key;
    row.label = outcome.label;
    row.unit = outcome.unit;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<SubgroupRow> subgroup_rows(const Result& result) {
  std::vector<SubgroupRow> rows;
  for (std::size_t g = 0; g < subgroups().size(); ++g)
    for (std::size_t v = 0; v < subgroup_variables().size(); ++v) {
      SubgroupRow out;
      out.group = g;
      out.variable = v;
      double size = 0.0;
      for (const RunOutcome& run : result.runs.front()) size += run.subgroup_size.at(g);
      out.size = size / static_cast<double>(result.runs.front().size());
      out.row = make_row(result, [&](std::size_t k) { return subgroup_values(result, g, v, k); });
      out.row.key = subgroup_variables()[v].name;
      out.row.label = subgroups()[g].label();
      out.row.unit = subgroup_variables()[v].unit;
      rows.push_back(std::move(out));
    }
  return rows;
}

std::vector<Icer> icers(const Result& result) {
  std::vector<Icer> out(result.configurations.size());
  const std::vector<double> cost_a = outcome_values(result, "total_cost", 0);
  const std::vector<double> years_a = outcome_values(result, "recovery_years", 0);
  for (std::size_t k = 1; k < result.configurations.size(); ++k)
    out[k] = icer(cost_a, outcome_values(result, "total_cost", k), years_a,
                  outcome_values(result, "recovery_years", k));
  return out;
}

}  // namespace ripple::compare
