// Design points, run seeds and the checked plan of runs.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>

#include "ripple/errors.hpp"
#include "ripple/ripple.hpp"
#include "sweep/sweep.hpp"

namespace ripple::sweep {
namespace {

namespace fs = std::filesystem;

// SplitMix64's output function (Steele, Lea and Flood 2014): a bijective 64-bit mix.
// Written out because it is four lines and its exact output is part of the seed contract.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A SplitMix64 sequence for design sampling; every number is a function of the master
// seed and the design, so the same sweep file gives the same design points anywhere.
class Sequence {
 public:
  explicit Sequence(std::uint64_t seed) : state_(mix64(seed ^ 0x5357454550ull)) {}
  std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform in [0, n); the modulo bias for n << 2^64 is negligible.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

// A value in [min, max] from u in [0, 1): an int parameter takes each whole number of
// its range with equal probability.
double scale(const scenario::ParamInfo& info, const ParameterSpec& p, double u) {
  if (info.type == scenario::ParamType::Int) {
    const double v = std::floor(p.min + u * (p.max - p.min + 1.0));
    return std::min(v, p.max);
  }
  return p.min + u * (p.max - p.min);
}

std::string read_text(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open {}", path.string(), what));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& text) {
  // A name of this process's own, as shards may save the same definition at once.
  const fs::path part = fs::path(fmt::format("{}.part{}", path.string(), ::getpid()));
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw InputError(fmt::format("{}: cannot write this file", part.string()));
  }
  std::error_code error;
  fs::rename(part, path, error);
  if (error)
    throw InputError(
        fmt::format("{}: cannot rename to {}: {}", part.string(), path.string(), error.message()));
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t master_seed, std::uint64_t point, std::uint64_t replication,
                          bool common_random_numbers) {
  std::uint64_t h = mix64(master_seed + 0x9E3779B97F4A7C15ull);
  h = mix64(h ^ (replication + 1) * 0xD1B54A32D192ED03ull);
  if (!common_random_numbers) h = mix64(h ^ (point + 1) * 0xAEF17502108EF2D9ull);
  return h & 0xFFFFFFFFull;  // run.seed holds 32 bits
}

Design make_design(const SweepSpec& spec) {
  Design design;
  const std::size_t k = spec.parameters.size();
  for (const ParameterSpec& p : spec.parameters) design.keys.push_back(p.key);
  std::vector<const scenario::ParamInfo*> infos;
  for (const ParameterSpec& p : spec.parameters) {
    infos.push_back(scenario::find_param(p.key));
    RIPPLE_CHECK(infos.back() != nullptr, "sweep parameter not checked: " + p.key);
  }
  switch (spec.design) {
    case DesignKind::List: {
      const std::size_t n = k == 0 ? 0 : spec.parameters.front().values.size();
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> point;
        for (const ParameterSpec& p : spec.parameters) point.push_back(p.values.at(i));
        design.points.push_back(std::move(point));
      }
      break;
    }
    case DesignKind::Grid: {
      // The last parameter varies fastest, like nested loops in the order of the file.
      std::size_t n = 1;
      for (const ParameterSpec& p : spec.parameters) n *= p.values.size();
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> point(k);
        std::size_t rest = i;
        for (std::size_t j = k; j-- > 0;) {
          const std::size_t m = spec.parameters[j].values.size();
          point[j] = spec.parameters[j].values[rest % m];
          rest /= m;
        }
        design.points.push_back(std::move(point));
      }
      break;
    }
    case DesignKind::Lhs: {
      // Each parameter's range is cut into N equal strata; a random permutation gives
      // every stratum exactly one point, at a random place inside it.
      const auto n = static_cast<std::size_t>(spec.samples);
      Sequence random(spec.master_seed ^ 0x4C4853ull);
      design.points.assign(n, std::vector<double>(k));
      for (std::size_t j = 0; j < k; ++j) {
        std::vector<std::size_t> strata(n);
        std::iota(strata.begin(), strata.end(), std::size_t{0});
        for (std::size_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[random.below(i)]);
        for (std::size_t i = 0; i < n; ++i) {
          const double u =
              (static_cast<double>(strata[i]) + random.uniform()) / static_cast<double>(n);
          design.points[i][j] = scale(*infos[j], spec.parameters[j], u);
        }
      }
      break;
    }
    case DesignKind::Saltelli: {
      // Two independent random N x k matrices A and B; AB_i is A with column i from B.
      const auto n = static_cast<std::size_t>(spec.samples);
      Sequence random(spec.master_seed ^ 0x53414C54ull);
      design.base_samples = n;
      for (std::size_t s = 0; s < n; ++s) {
        std::vector<double> a(k), b(k);
        for (std::size_t j = 0; j < k; ++j)
          a[j] = scale(*infos[j], spec.parameters[j], random.uniform());
        for (std::size_t j = 0; j < k; ++j)
          b[j] = scale(*infos[j], spec.parameters[j], random.uniform());
        design.points.push_back(a);
        design.points.push_back(b);
        for (std::size_t i = 0; i < k; ++i) {
          std::vector<double> ab = a;
          ab[i] = b[i];
          design.points.push_back(std::move(ab));
        }
      }
      break;
    }
  }
  return design;
}

scenario::Scenario Plan::scenario(std::size_t run) const {
  scenario::Scenario scenario =
      scenario::parse_scenario(base_text, base_path, runs.at(run).overrides);
  // Parsed text is "<string>" to the parser; the run files, `ripple info` and the
  // plots name the base scenario the text came from.
  if (!base_path.empty()) scenario.path = base_path;
  return scenario;
}

Plan make_plan(const SweepSpec& spec, const std::string& base_text, const std::string& base_path) {
  Plan plan;
  plan.spec = spec;
  plan.base_text = base_text;
  plan.base_path = base_path;
  plan.design = make_design(spec);
  const std::size_t points = plan.design.points.size();
  const auto reps = static_cast<std::size_t>(spec.replications);
  if (points * reps > 10000000)
    throw InputError(
        fmt::format("{}: {} runs ({} design points x {} replications); at most "
                    "10 million",
                    spec.path, points * reps, points, reps));
  // The base scenario with the fixed settings: its problems are reported once.
  scenario::Scenario base;
  try {
    base = scenario::parse_scenario(base_text, base_path, spec.fixed);
  } catch (const InputError& e) {
    throw InputError(
        fmt::format("{}:{}: sweep.scenario: the base scenario with [set] is "
                    "refused:\n{}",
                    spec.path, spec.scenario_line, e.what()));
  }
  const int point_digits = std::max<int>(4, static_cast<int>(std::to_string(points).size()));
  const int rep_digits = std::max<int>(2, static_cast<int>(std::to_string(reps).size()));
  std::vector<std::string> problems;
  for (std::size_t p = 0; p < points; ++p) {
    std::vector<std::string> overrides = spec.fixed;
    std::string described;
    for (std::size_t j = 0; j < plan.design.keys.size(); ++j) {
      const scenario::ParamInfo* info = scenario::find_param(plan.design.keys[j]);
      const std::string value = scenario::format_value(*info, plan.design.points[p][j]);
      overrides.push_back(plan.design.keys[j] + "=" + value);
      described += (j > 0 ? ", " : "") + plan.design.keys[j] + " = " + value;
    }
    // Every point is checked with the rules across parameters, before any run starts.
    try {
      scenario::parse_scenario(base_text, base_path, overrides);
    } catch (const InputError& e) {
      const ParameterSpec& first = spec.parameters.front();
      problems.push_back(fmt::format("{}:{}: design point {} ({}) is refused: {}", spec.path,
                                     first.line, p, described, e.what()));
      if (problems.size() >= 10) break;
      continue;
    }
    for (std::size_t r = 0; r < reps; ++r) {
      RunSpec run;
      run.point = p;
      run.replication = static_cast<std::int32_t>(r);
      run.seed = derive_seed(spec.master_seed, p, r, spec.common_random_numbers);
      run.name = fmt::format("p{:0{}}-r{:0{}}", p, point_digits, r, rep_digits);
      run.file = "runs/" + run.name + ".h5";
      run.overrides = overrides;
      run.overrides.push_back(fmt::format("run.seed={}", run.seed));
      run.weeks = base.params.run.weeks;
      plan.runs.push_back(std::move(run));
    }
  }
  if (!problems.empty()) {
    std::string message = fmt::format("{}", fmt::join(problems, "\n"));
    if (problems.size() >= 10) message += "\n(stopped after 10 refused design points)";
    throw InputError(message);
  }
  return plan;
}

fs::path run_path(const fs::path& dir, const RunSpec& run) { return dir / run.file; }
fs::path error_path(const fs::path& dir, const RunSpec& run) {
  return dir / "runs" / (run.name + ".error");
}

void save_definition(const fs::path& dir, const Plan& plan) {
  std::error_code error;
  fs::create_directories(dir / "runs", error);
  if (error)
    throw InputError(
        fmt::format("{}: cannot create the sweep folder: {}", dir.string(), error.message()));
  write_text(dir / "sweep.toml", plan.spec.text);
  write_text(dir / "base_scenario.toml", plan.base_text);
  write_text(dir / "base_scenario.path", plan.base_path + "\n" + plan.spec.path + "\n");
}

void check_definition(const fs::path& dir, const Plan& plan) {
  if (!fs::exists(dir / "sweep.toml")) return;
  const std::string sweep = read_text(dir / "sweep.toml", "the stored sweep file");
  const std::string base = fs::exists(dir / "base_scenario.toml")
                               ? read_text(dir / "base_scenario.toml", "the stored scenario")
                               : std::string();
  if (sweep != plan.spec.text || base != plan.base_text)
    throw InputError(fmt::format(
        "{}: this folder holds another sweep (its sweep.toml or base_scenario.toml differs "
        "from {} and {}); give another -o folder, or remove this one to start again",
        dir.string(), plan.spec.path, plan.base_path));
}

Plan load_definition(const fs::path& dir) {
  if (!fs::exists(dir / "sweep.toml"))
    throw InputError(
        fmt::format("{}: no sweep.toml here; is this a folder written by 'ripple "
                    "sweep'?",
                    dir.string()));
  const std::string text = read_text(dir / "sweep.toml", "the stored sweep file");
  const std::string base = read_text(dir / "base_scenario.toml", "the stored base scenario");
  std::string base_name = (dir / "base_scenario.toml").string();
  std::string sweep_name = (dir / "sweep.toml").string();
  if (fs::exists(dir / "base_scenario.path")) {
    std::ifstream in(dir / "base_scenario.path");
    std::string line;
    if (std::getline(in, line) && !line.empty()) base_name = line;
    if (std::getline(in, line) && !line.empty()) sweep_name = line;
  }
  // Problems are those of the stored copies, so the messages name them (the original
  // files may have changed since, or be gone); the plan then carries the original names.
  const std::string stored_sweep = (dir / "sweep.toml").string();
  Plan plan =
      make_plan(parse_sweep(text, stored_sweep), base, (dir / "base_scenario.toml").string());
  plan.spec.path = sweep_name;
  plan.base_path = base_name;
  return plan;
}

std::string execute_run(const fs::path& dir, const Plan& plan, std::size_t index, int threads) {
  const RunSpec& run = plan.runs.at(index);
  const fs::path error_file = error_path(dir, run);
  std::error_code ignored;
  fs::remove(error_file, ignored);
  std::string message;
  try {
    RunOptions options;
    options.output = run_path(dir, run);
    options.threads = threads;
    ripple::run(plan.scenario(index), options);
    return {};
  } catch (const InputError& e) {
    message = e.what();
  } catch (const InternalError& e) {
    message = std::string("internal error (a bug in Ripple): ") + e.what();
  } catch (const std::exception& e) {
    message = std::string("internal error (a bug in Ripple): ") + e.what();
  }
  try {
    write_text(error_file, message + "\n");
  } catch (const InputError&) {
    // The run is recorded as failed or pending either way; the message still reaches
    // the caller.
  }
  return message;
}

}  // namespace ripple::sweep
