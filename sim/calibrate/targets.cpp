// Calibration target files: reading them, and measuring a target in a trial's result.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "calibrate/calibrate.hpp"
#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "trial/file_checks.hpp"

namespace fs = std::filesystem;

namespace ripple::calibration {

const char* statistic_name(Statistic s) {
  switch (s) {
    case Statistic::Share:
      return "share";
    case Statistic::Mean:
      return "mean";
    case Statistic::RiskRatio:
      return "risk_ratio";
    case Statistic::OddsRatio:
      return "odds_ratio";
    case Statistic::Contagion:
      return "contagion";
    case Statistic::Difference:
      return "difference";
  }
  return "?";
}

double Target::band_low() const { return low ? *low : value - 0.2 * std::abs(value); }
double Target::band_high() const { return high ? *high : value + 0.2 * std::abs(value); }

double Target::miss(double model) const {
  if (!std::isfinite(model)) return std::numeric_limits<double>::infinity();
  const double half = model < value ? value - band_low() : band_high() - value;
  if (half <= 0) return model == value ? 0.0 : std::numeric_limits<double>::infinity();
  return std::abs(model - value) / half;
}

namespace {

std::optional<double> number(const toml::table& table, const std::string& key,
                             const std::string& field, trial::Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto v = node->value<double>(); v && std::isfinite(*v)) return *v;
  problems.at(node, field, "must be a number");
  return std::nullopt;
}

// Leaves of a [base] table as dotted keys (as trial::parse_trial reads them).
void base_keys(const toml::table& table, const std::string& prefix,
               std::vector<std::pair<std::string, int>>& out) {
  for (const auto& [key, node] : table) {
    const std::string k = prefix + std::string(key.str());
    if (const auto* sub = node.as_table())
      base_keys(*sub, k + ".", out);
    else
      out.emplace_back(k, static_cast<int>(node.source().begin.line));
  }
}

}  // namespace

TargetFile parse_target_file(std::string_view text_in, const std::string& name,
                             const std::vector<std::string>& overrides, const fs::path& directory) {
  TargetFile file;
  file.path = name;
  // The design first: it refuses what a trial file would refuse.
  file.spec = trial::parse_trial(text_in, name, overrides, directory, {"calibration", "target"});
  const toml::table doc = toml::parse(text_in, name);  // valid: parse_trial read it
  trial::Problems problems(name);
  if (const toml::table* base = doc["base"].as_table()) base_keys(*base, "", file.base_keys);

  const toml::table* info = doc["calibration"].as_table();
  if (info == nullptr) {
    problems.at(doc.get("calibration"), "[calibration]",
                "is missing; say which published figure this file reproduces (row, quantity, "
                "source)");
    problems.throw_if_any();
  }
  trial::known_keys(*info, "calibration.", {"row", "quantity", "source", "certainty", "design"},
                    problems);
  const auto required = [&](const char* key) {
    const auto value = trial::text(*info, key, std::string("calibration.") + key, problems);
    if (!value && info->get(key) == nullptr)
      problems.at(info, std::string("calibration.") + key, "is missing");
    return value.value_or("");
  };
  file.row = required("row");
  file.quantity = required("quantity");
  file.source = required("source");
  file.certainty = trial::text(*info, "certainty", "calibration.certainty", problems).value_or("");
  file.design = trial::text(*info, "design", "calibration.design", problems).value_or("");

  const toml::node* targets_node = doc.get("target");
  const toml::array* targets = targets_node != nullptr ? targets_node->as_array() : nullptr;
  if (targets == nullptr || !targets->is_array_of_tables() || targets->empty()) {
    problems.at(targets_node != nullptr ? targets_node : info, "[[target]]",
                "a target file needs one or more [[target]] tables (a published figure each)");
    problems.throw_if_any();
  }
  std::vector<std::string> arm_names;
  for (const trial::Arm& arm : file.spec.arms) arm_names.push_back(arm.name);
  const std::vector<std::string> statistics = {"share",      "mean",      "risk_ratio",
                                               "odds_ratio", "contagion", "difference"};
  for (std::size_t k = 0; k < targets->size(); ++k) {
    const toml::table& table = *targets->get(k)->as_table();
    const std::string prefix = fmt::format("target {}.", k + 1);
    trial::known_keys(
        table, prefix,
        {"name", "statistic", "outcome", "arm", "week", "degree", "value", "interval", "weight"},
        problems);
    Target t;
    t.line = static_cast<int>(table.source().begin.line);
    t.name = trial::text(table, "name", prefix + "name", problems)
                 .value_or(fmt::format("{} {}", file.quantity, k + 1));
    // One name where one is meant (trial::codes would also take a list, as eligibility does).
    const auto one = [&](const toml::node& node, const std::string& field,
                         const std::vector<std::string>& names) -> std::optional<int> {
      if (node.is_array()) {
        problems.at(&node, field,
                    fmt::format("takes one name, not a list; one of {}", trial::join(names)));
        return std::nullopt;
      }
      const auto code = trial::codes(node, field, names, problems);
      if (code.size() == 1) return code[0];
      return std::nullopt;
    };
    if (const toml::node* node = table.get("statistic")) {
      if (const auto code = one(*node, prefix + "statistic", statistics))
        t.statistic = static_cast<Statistic>(*code);
    } else {
      problems.at(&table, prefix + "statistic", "is missing; one of " + trial::join(statistics));
    }
    const trial::OutcomeInfo* outcome = nullptr;
    if (const auto key = trial::text(table, "outcome", prefix + "outcome", problems)) {
      outcome = trial::find_outcome(*key);
      if (outcome == nullptr)
        problems.at(table.get("outcome"), prefix + "outcome",
                    fmt::format("\"{}\" is not a trial outcome", *key));
      else if (std::find(file.spec.outcomes.begin(), file.spec.outcomes.end(), *key) ==
               file.spec.outcomes.end())
        problems.at(table.get("outcome"), prefix + "outcome",
                    fmt::format("\"{}\" is not among trial.outcomes", *key));
      t.outcome = *key;
    }
    if (t.statistic == Statistic::Contagion) {
      if (outcome != nullptr)
        problems.at(table.get("outcome"), prefix + "outcome",
                    "contagion counts depressed contacts; leave the outcome out");
      t.degree = trial::integer(table, "degree", prefix + "degree", 1, 6, problems).value_or(0);
      if (t.degree == 0 && table.get("degree") == nullptr)
        problems.at(&table, prefix + "degree", "is missing; the degree of separation (1-6)");
      else if (t.degree > file.spec.network_degrees)
        problems.at(table.get("degree"), prefix + "degree",
                    fmt::format("is {} but trial.network_degrees is {}", t.degree,
                                file.spec.network_degrees));
    } else if (table.get("outcome") == nullptr) {
      problems.at(&table, prefix + "outcome", "is missing; name one of the trial's outcomes");
    } else if (outcome != nullptr) {
      const bool mean = outcome->kind == trial::OutcomeKind::Mean;
      if ((t.statistic == Statistic::Mean || t.statistic == Statistic::Difference) != mean)
        problems.at(table.get("statistic"), prefix + "statistic",
                    mean ? fmt::format("\"{}\" is a mean outcome; use statistic = \"mean\" or "
                                       "\"difference\"",
                                       t.outcome)
                         : fmt::format("\"{}\" is a share outcome; use share, risk_ratio or "
                                       "odds_ratio",
                                       t.outcome));
    }
    if (const toml::node* node = table.get("arm")) {
      if (const auto code = one(*node, prefix + "arm", arm_names)) t.arm = *code;
    }
    const bool ratio = t.statistic == Statistic::RiskRatio || t.statistic == Statistic::OddsRatio ||
                       t.statistic == Statistic::Difference;
    if (ratio && t.arm == 0)
      problems.at(table.get("arm") != nullptr ? table.get("arm") : &table, prefix + "arm",
                  "a ratio compares an arm with the first one; name a later arm");
    t.week = trial::integer(table, "week", prefix + "week", 1, file.spec.follow_up_weeks, problems)
                 .value_or(0);
    if (t.week > 0 && (outcome == nullptr || outcome->kind != trial::OutcomeKind::Event))
      problems.at(table.get("week"), prefix + "week",
                  "is for event outcomes (events up to that week of follow-up)");
    const auto value = number(table, "value", prefix + "value", problems);
    if (!value && table.get("value") == nullptr)
      problems.at(&table, prefix + "value", "is missing; the published figure");
    t.value = value.value_or(0);
    if (const toml::node* node = table.get("interval")) {
      const auto* array = node->as_array();
      const auto lo =
          array != nullptr && array->size() == 2 ? array->get(0)->value<double>() : std::nullopt;
      const auto hi =
          array != nullptr && array->size() == 2 ? array->get(1)->value<double>() : std::nullopt;
      if (!lo || !hi || !(*lo <= t.value && t.value <= *hi))
        problems.at(node, prefix + "interval",
                    "must be [low, high] around the value, e.g. interval = [0.26, 0.37]");
      else {
        t.low = *lo;
        t.high = *hi;
      }
    }
    // Without an interval the band is 20% either side of the value: for 0 that is 0 to 0,
    // which no model value of a noisy simulation ever meets (every miss is infinite).
    if (value && *value == 0 && !t.low && table.get("interval") == nullptr)
      problems.at(table.get("value"), prefix + "value",
                  "is 0 and needs an interval: the band of a value without one is 20% either "
                  "side of it, here 0 to 0, which can never be met; give interval = [low, high]");
    t.weight = number(table, "weight", prefix + "weight", problems).value_or(1.0);
    if (!(t.weight > 0 && t.weight <= 100))
      problems.at(table.get("weight"), prefix + "weight", "must be above 0 and at most 100");
    file.targets.push_back(std::move(t));
  }
  problems.throw_if_any();
  return file;
}

TargetFile load_target_file(const std::string& path, const std::vector<std::string>& overrides) {
  const std::string text = trial::read_file_text(
      path, "calibration target file", "[calibration], [trial], [[arm]] and [[target]] tables");
  return parse_target_file(text, path, overrides, fs::path(path).parent_path());
}

std::vector<TargetFile> load_targets(const std::string& path,
                                     const std::vector<std::string>& overrides) {
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError(path + ": no such folder or target file");
  if (!fs::is_directory(path, error)) return {load_target_file(path, overrides)};
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path))
    if (entry.is_regular_file() && entry.path().extension() == ".toml")
      names.push_back(entry.path().string());
  std::sort(names.begin(), names.end());
  if (names.empty()) throw InputError(path + ": holds no target files (*.toml)");
  std::vector<TargetFile> files;
  std::string problems;
  for (const std::string& name : names) {
    try {
      files.push_back(load_target_file(name, overrides));
    } catch (const InputError& e) {
      problems += (problems.empty() ? "" : "\n") + std::string(e.what());
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return files;
}

namespace {

// Per replication: participants in the arm counted and those with the outcome (or the
// sum of a mean outcome).
struct Counts {
  double n = 0, k = 0;
};

Counts count(const trial::Replication& rep, const trial::Spec& spec, const std::string& outcome,
             int arm, int week) {
  std::size_t event_slot = 0, value_slot = 0;
  bool event = false;
  std::size_t slot = 0;
  for (const std::string& key : spec.outcomes) {
    const bool e = trial::find_outcome(key)->kind == trial::OutcomeKind::Event;
    if (key == outcome) {
      event = e;
      slot = e ? event_slot : value_slot;
    }
    (e ? event_slot : value_slot)++;
  }
  Counts c;
  const double horizon = week > 0 ? week : spec.follow_up_weeks;
  for (const trial::Participant& x : rep.participants) {
    if (x.arm != arm) continue;
    if (event) {
      c.n += 1;
      c.k += x.events[slot].event && x.events[slot].time <= horizon ? 1 : 0;
    } else if (std::isfinite(x.values[slot])) {
      c.n += 1;
      c.k += x.values[slot];
    }
  }
  return c;
}

double statistic(Statistic s, const Counts& a, const Counts& ref) {
  switch (s) {
    case Statistic::Share:
    case Statistic::Mean:
      return a.n > 0 ? a.k / a.n : trial::kNaN;
    case Statistic::RiskRatio:
      return trial::risk_ratio(a.k, a.n, ref.k, ref.n).value;
    case Statistic::OddsRatio:
      return trial::odds_ratio(a.k, a.n, ref.k, ref.n).value;
    case Statistic::Difference:
      return a.n > 0 && ref.n > 0 ? a.k / a.n - ref.k / ref.n : trial::kNaN;
    case Statistic::Contagion:
      break;
  }
  return trial::kNaN;
}

}  // namespace

Measure measure(const Target& target, const trial::Result& result) {
  std::vector<double> per_rep;
  Measure m;
  if (target.statistic == Statistic::Contagion) {
    for (const trial::Replication& rep : result.replications)
      per_rep.push_back(trial::network_rise(rep.network, target.degree));
    m.value = trial::network_rise(trial::pooled_network(result), target.degree);
  } else {
    Counts arm, ref;
    for (const trial::Replication& rep : result.replications) {
      const Counts a = count(rep, result.spec, target.outcome, target.arm, target.week);
      const Counts r = count(rep, result.spec, target.outcome, 0, target.week);
      per_rep.push_back(statistic(target.statistic, a, r));
      arm.n += a.n;
      arm.k += a.k;
      ref.n += r.n;
      ref.k += r.k;
    }
    m.value = statistic(target.statistic, arm, ref);
  }
  per_rep.erase(
      std::remove_if(per_rep.begin(), per_rep.end(), [](double v) { return !std::isfinite(v); }),
      per_rep.end());
  const bool ratio =
      target.statistic == Statistic::RiskRatio || target.statistic == Statistic::OddsRatio;
  if (ratio) {
    const trial::Estimate e = trial::ratio_across(per_rep);
    m.low = e.low;
    m.high = e.high;
  } else if (per_rep.size() >= 2) {
    compare::Interval i = compare::mean_interval(per_rep);
    // A share or mean cannot leave its outcome's range (a share below 0); a difference
    // and a contagion rise can be negative.
    if (target.statistic == Statistic::Share || target.statistic == Statistic::Mean)
      if (const trial::OutcomeInfo* info = trial::find_outcome(target.outcome)) {
        const auto [lowest, highest] = trial::outcome_range(*info);
        i = trial::clip(i, lowest, highest);
      }
    m.low = i.low;
    m.high = i.high;
  }
  return m;
}

void refuse_free_in_base(const std::vector<TargetFile>& files, const std::vector<Free>& free) {
  std::string problems;
  for (const TargetFile& f : files)
    for (const auto& [key, line] : f.base_keys)
      if (std::any_of(free.begin(), free.end(), [&](const Free& p) { return p.key == key; }))
        problems += fmt::format(
            "{}{}:{}: base.{}: is a parameter the fit moves; the fit gives every target file "
            "one shared value of it, so this file's own value would be silently overridden. "
            "Remove it from [base] (or leave it out of --free)",
            problems.empty() ? "" : "\n", f.path, line, key);
  if (!problems.empty()) throw InputError(problems);
}

std::vector<Free> calibrated_parameters() {
  std::vector<Free> out;
  for (const scenario::CalibratedInfo& c : scenario::calibrated_table()) {
    const scenario::ParamInfo* info = scenario::find_param(c.key);
    RIPPLE_CHECK(info != nullptr, "calibrated parameter not in the table: " + std::string(c.key));
    out.push_back({std::string(c.key), c.prior_min, c.prior_max, info->default_value});
  }
  return out;
}

}  // namespace ripple::calibration
