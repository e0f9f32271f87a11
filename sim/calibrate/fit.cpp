// The fit: every target file's design run at given parameter values, and NLopt's
// derivative-free Sbplx method moving the calibrated parameters within their priors.
#include <fmt/format.h>
#include <hdf5.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlopt.hpp>
#include <string>

#include "calibrate/calibrate.hpp"
#include "ripple/errors.hpp"
#include "scenario/params.hpp"

namespace fs = std::filesystem;

namespace ripple::calibration {

Evaluation evaluate(const std::vector<TargetFile>& files, const std::vector<Free>& free,
                    const std::vector<double>& x, const Options& options) {
  RIPPLE_CHECK(x.size() == free.size(), "one value per free parameter");
  Evaluation e;
  e.x = x;
  e.measures.resize(files.size());
  double worst = -1;
  for (std::size_t f = 0; f < files.size(); ++f) {
    trial::Spec spec = files[f].spec;
    for (std::size_t k = 0; k < free.size(); ++k) {
      const scenario::ParamInfo* info = scenario::find_param(free[k].key);
      info->set(spec.base.params, x[k]);
    }
    if (const std::string rule = scenario::check_consistency(spec.base.params); !rule.empty()) {
      e.valid = false;
      e.problem = rule;
      e.distance = std::numeric_limits<double>::infinity();
      return e;
    }
    trial::Options run;
    run.jobs = options.jobs;
    const trial::Result result = trial::run_trial(spec, run);
    // At the start a design without participants is the user's to fix (its targets
    // could never be measured); later, moved parameters may empty a design, and the
    // fit counts its targets as far off instead of stopping.
    if (options.require_participants) trial::require_participants(result);
    if (options.design_done) options.design_done(f + 1, files.size());
    for (std::size_t t = 0; t < files[f].targets.size(); ++t) {
      const Target& target = files[f].targets[t];
      const Measure m = measure(target, result);
      e.measures[f].push_back(m);
      const double miss = target.miss(m.value);
      // A target the design cannot measure (no participants) counts as far off.
      const double term = target.weight * (std::isfinite(miss) ? miss * miss : 100.0);
      e.distance += term;
      if (term > worst) {
        worst = term;
        e.worst_file = f;
        e.worst_target = t;
      }
    }
  }
  return e;
}

namespace {

struct State {
  const std::vector<TargetFile>* files;
  const std::vector<Free>* free;
  const Options* options;
  Fit* fit;
  // The distance at every point evaluated so far, by NLopt's coordinates: Sbplx's first
  // call is the starting point, which fit() has evaluated already, and it may come back
  // to a point. A repeat is answered from here, so -n counts distinct evaluations.
  std::map<std::vector<double>, double> seen;
  bool budget_spent = false;
};

// A parameter value at 12 significant digits. low + u * (high - low) leaves rounding
// noise in the last digits (0.20899999999999996, 33.60000000000001), which calibrated.toml
// would then print, as the shortest text that gives the same double back. The fit
// evaluates the tidied value, so the file holds exactly what was evaluated.
double tidy(double v) { return std::stod(fmt::format("{:.12g}", v)); }

// NLopt works on [0, 1] per parameter; the prior box is mapped onto it.
double objective(const std::vector<double>& u_in, std::vector<double>& gradient, void* data) {
  RIPPLE_CHECK(gradient.empty(), "the fit uses a derivative-free method");
  State& s = *static_cast<State*>(data);
  std::vector<double> u(u_in.size()), x(u_in.size());
  for (std::size_t k = 0; k < u.size(); ++k) {
    const Free& p = (*s.free)[k];
    u[k] = std::clamp(u_in[k], 0.0, 1.0);
    x[k] = tidy(p.low + u[k] * (p.high - p.low));
  }
  if (const auto at = s.seen.find(u); at != s.seen.end()) return at->second;
  if (s.fit->history.size() >= static_cast<std::size_t>(s.options->max_evaluations)) {
    s.budget_spent = true;
    throw nlopt::forced_stop();
  }
  Evaluation e = evaluate(*s.files, *s.free, x, *s.options);
  if (e.distance < s.fit->best.distance) s.fit->best = e;
  s.fit->history.push_back(e);
  if (s.options->progress) s.options->progress(e, s.fit->history.size(), s.fit->best);
  // A large finite value: Sbplx treats infinity as a failure.
  const double value = std::isfinite(e.distance) ? e.distance : 1e12;
  s.seen.emplace(u, value);
  return value;
}

}  // namespace

Fit fit(const std::vector<TargetFile>& files, const std::vector<Free>& free,
        const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  Fit result;
  result.free = free;
  std::vector<double> u(free.size()), x(free.size());
  for (std::size_t k = 0; k < free.size(); ++k) {
    x[k] = free[k].start;
    u[k] = (free[k].start - free[k].low) / (free[k].high - free[k].low);
  }
  Options first = options;
  first.require_participants = true;
  result.start = evaluate(files, free, x, first);
  result.best = result.start;
  result.history.push_back(result.start);
  if (options.progress) options.progress(result.start, 1, result.best);

  if (options.max_evaluations > 1 && !free.empty()) {
    nlopt::opt opt(nlopt::LN_SBPLX, static_cast<unsigned>(free.size()));
    opt.set_lower_bounds(std::vector<double>(free.size(), 0.0));
    opt.set_upper_bounds(std::vector<double>(free.size(), 1.0));
    // First steps of a fifth of each prior range (the objective has plateaus: counts of
    // events); stop when steps shrink below 1/1000.
    opt.set_initial_step(std::vector<double>(free.size(), 0.2));
    opt.set_xtol_abs(1e-3);
    // The budget of distinct evaluations is counted in objective(); NLopt's own count
    // includes repeats, so it only bounds a run that keeps coming back to known points.
    opt.set_maxeval(20 * options.max_evaluations);
    State state{&files, &free, &options, &result, {}, false};
    opt.set_min_objective(objective, &state);
    double value = 0;
    for (double& v : u) v = std::clamp(v, 0.0, 1.0);
    state.seen.emplace(u, std::isfinite(result.start.distance) ? result.start.distance : 1e12);
    try {
      const nlopt::result why = opt.optimize(u, value);
      switch (why) {
        case nlopt::MAXEVAL_REACHED:
          result.stopped = fmt::format(
              "the optimiser kept returning to points it had seen "
              "({} calls)",
              20 * options.max_evaluations);
          break;
        case nlopt::XTOL_REACHED:
          result.stopped = "parameters stopped moving";
          break;
        case nlopt::FTOL_REACHED:
          result.stopped = "the distance stopped falling";
          break;
        default:
          result.stopped = fmt::format("NLopt finished ({})", static_cast<int>(why));
          break;
      }
    } catch (const nlopt::roundoff_limited&) {
      result.stopped = "limited by round-off";
    } catch (const nlopt::forced_stop&) {
      result.stopped = state.budget_spent
                           ? fmt::format("reached {} evaluations", options.max_evaluations)
                           : "stopped";
    }
  } else {
    result.stopped = "no fit asked for (one evaluation)";
  }
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

// --- Output -------------------------------------------------------------------------

namespace {

std::string number(double v) {
  if (!std::isfinite(v)) return "-";
  return std::abs(v) >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.3f}", v);
}

// Writes through a temporary name so that a failed write never leaves a file that
// looks complete.
template <typename Write>
void write_atomically(const fs::path& path, Write write) {
  const fs::path partial = path.string() + ".partial";
  write(partial);
  std::error_code error;
  fs::rename(partial, path, error);
  if (error)
    throw InputError(fmt::format("{}: cannot be written: {}", path.string(), error.message()));
}

void check_stream(std::ofstream& out, const fs::path& path) {
  out.flush();
  if (!out)
    throw InputError(fmt::format("{}: cannot be written (is the disk full?)", path.string()));
}

}  // namespace

std::string format_table(const std::vector<TargetFile>& files, const Evaluation& e) {
  // Ranges as "low to high": with a hyphen a negative bound would read as "-0.06--0.01".
  std::string out = fmt::format("{:<5} {:<46} {:>8} {:>18} {:>8} {:>18} {:>6}\n", "row", "target",
                                "published", "band", "model", "model 95% CI", "miss");
  for (std::size_t f = 0; f < files.size(); ++f)
    for (std::size_t t = 0; t < files[f].targets.size(); ++t) {
      const Target& target = files[f].targets[t];
      const Measure& m = e.measures.at(f).at(t);
      const double miss = target.miss(m.value);
      std::string name = target.name;
      if (name.size() > 46) name = name.substr(0, 45) + "~";
      out += fmt::format(
          "{:<5} {:<46} {:>8} {:>18} {:>8} {:>18} {:>5}{}\n", files[f].row, name,
          number(target.value),
          fmt::format("{} to {}", number(target.band_low()), number(target.band_high())),
          number(m.value), fmt::format("{} to {}", number(m.low), number(m.high)),
          std::isfinite(miss) ? fmt::format("{:.2f}", miss) : "-", miss <= 1 ? " " : " *");
    }
  out +=
      "miss: distance from the published value in units of its band (1 = at the edge); * "
      "outside the band\n";
  return out;
}

void write_overlay(const Fit& fit, const std::vector<TargetFile>& files, const fs::path& path) {
  write_atomically(path, [&](const fs::path& partial) {
    std::ofstream out(partial);
    out << "# Parameter values fitted by `ripple calibrate` to the published figures of\n"
           "# CALIBRATION-TARGETS.md (docs/CALIBRATION.md). Use them with\n"
           "#   ripple run SCENARIO --overlay THIS_FILE\n";
    out << fmt::format(
        "# targets: {} files, {} figures; {} evaluations; distance {} -> {}\n", files.size(),
        [&] {
          std::size_t n = 0;
          for (const TargetFile& f : files) n += f.targets.size();
          return n;
        }(),
        fit.history.size(), number(fit.start.distance), number(fit.best.distance));
    for (std::size_t k = 0; k < fit.free.size(); ++k) {
      const scenario::ParamInfo* info = scenario::find_param(fit.free[k].key);
      out << fmt::format("{} = {}   # prior {} to {}; default was {}\n", fit.free[k].key,
                         scenario::format_value(*info, fit.best.x[k]), number(fit.free[k].low),
                         number(fit.free[k].high),
                         scenario::format_value(*info, fit.free[k].start));
    }
    check_stream(out, partial);
  });
}

void write_csv(const std::vector<TargetFile>& files, const Fit& fit, const fs::path& path) {
  write_atomically(path, [&](const fs::path& partial) {
    std::ofstream out(partial);
    out << "row,target,statistic,published,band_low,band_high,start,model,model_low,model_high,"
           "miss,source\n";
    for (std::size_t f = 0; f < files.size(); ++f)
      for (std::size_t t = 0; t < files[f].targets.size(); ++t) {
        const Target& target = files[f].targets[t];
        const Measure& m = fit.best.measures.at(f).at(t);
        out << fmt::format("{},\"{}\",{},{},{},{},{},{},{},{},{},\"{}\"\n", files[f].row,
                           target.name, statistic_name(target.statistic), target.value,
                           target.band_low(), target.band_high(),
                           fit.start.measures.at(f).at(t).value, m.value, m.low, m.high,
                           target.miss(m.value), files[f].source);
      }
    check_stream(out, partial);
  });
}

namespace {

void attribute(hid_t where, const char* name, const std::string& value) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, std::max<std::size_t>(1, value.size()));
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(where, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, type, value.c_str());
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
}

void matrix(hid_t where, const char* name, const std::vector<double>& data, hsize_t rows,
            hsize_t cols) {
  const hsize_t dims[2] = {rows, cols};
  const hid_t space = H5Screate_simple(2, dims, nullptr);
  const hid_t d =
      H5Dcreate2(where, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (rows * cols > 0) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
  H5Dclose(d);
  H5Sclose(space);
}

}  // namespace

void write_hdf5(const std::vector<TargetFile>& files, const Fit& fit, const fs::path& path) {
  write_atomically(path, [&](const fs::path& partial) {
    const hid_t file = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0) throw InputError(partial.string() + ": cannot be created");
    std::string keys, targets;
    std::size_t n_targets = 0;
    for (const Free& p : fit.free) keys += p.key + "\n";
    for (const TargetFile& f : files)
      for (const Target& t : f.targets) {
        targets += fmt::format("{}: {}\n", f.row, t.name);
        ++n_targets;
      }
    attribute(file, "parameters", keys);
    attribute(file, "targets", targets);
    attribute(file, "stopped", fit.stopped);
    // Every evaluation: parameter values, distance, and each target's model value.
    const hsize_t evals = fit.history.size(), p = fit.free.size();
    std::vector<double> x, distance, values;
    for (const Evaluation& e : fit.history) {
      x.insert(x.end(), e.x.begin(), e.x.end());
      distance.push_back(e.distance);
      std::size_t written = 0;
      for (const auto& file_measures : e.measures)
        for (const Measure& m : file_measures) {
          values.push_back(m.value);
          ++written;
        }
      values.insert(values.end(), n_targets - written, trial::kNaN);  // stopped early (invalid)
    }
    matrix(file, "x", x, evals, p);
    matrix(file, "distance", distance, evals, 1);
    matrix(file, "model", values, evals, n_targets);
    // The targets: published value, band, and the best fit's value and interval.
    std::vector<double> table;
    for (std::size_t f = 0; f < files.size(); ++f)
      for (std::size_t t = 0; t < files[f].targets.size(); ++t) {
        const Target& target = files[f].targets[t];
        const Measure& m = fit.best.measures.at(f).at(t);
        table.insert(table.end(), {target.value, target.band_low(), target.band_high(), m.value,
                                   m.low, m.high, target.weight});
      }
    matrix(file, "best", table, n_targets, 7);
    attribute(file, "best_columns",
              "published,band_low,band_high,model,model_low,model_high,weight");
    std::vector<double> priors;
    for (const Free& f : fit.free) priors.insert(priors.end(), {f.low, f.high, f.start});
    matrix(file, "priors", priors, p, 3);
    const herr_t closed = H5Fclose(file);
    if (closed < 0) throw InputError(partial.string() + ": cannot be written");
  });
}

}  // namespace ripple::calibration
