#include "params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace ripple::scenario {
namespace {

constexpr double last_choice_index(std::string_view choices) {
  return static_cast<double>(std::count(choices.begin(), choices.end(), '|'));
}

constexpr ParamInfo kTable[] = {
#define RIPPLE_GROUP(name)
#define RIPPLE_END_GROUP(name)
#define RIPPLE_ACCESSORS(path, T)                                        \
  [](const Params& p) -> double { return static_cast<double>(p.path); }, \
      [](Params& p, double v) { p.path = static_cast<decltype(p.path)>(T(v)); }
#define RIPPLE_REAL(leaf, path, def, lo, hi, unit, meaning, source) \
  {#path,                                                           \
   #leaf,                                                           \
   ParamType::Real,                                                 \
   def,                                                             \
   lo,                                                              \
   hi,                                                              \
   "",                                                              \
   unit,                                                            \
   meaning,                                                         \
   source,                                                          \
   RIPPLE_ACCESSORS(path, double)},
#define RIPPLE_INT(leaf, path, def, lo, hi, unit, meaning, source) \
  {#path,                                                          \
   #leaf,                                                          \
   ParamType::Int,                                                 \
   double(def),                                                    \
   double(lo),                                                     \
   double(hi),                                                     \
   "",                                                             \
   unit,                                                           \
   meaning,                                                        \
   source,                                                         \
   RIPPLE_ACCESSORS(path, std::llround)},
#define RIPPLE_BOOL(leaf, path, def, meaning, source) \
  {#path,                                             \
   #leaf,                                             \
   ParamType::Bool,                                   \
   (def) ? 1.0 : 0.0,                                 \
   0.0,                                               \
   1.0,                                               \
   "",                                                \
   "true/false",                                      \
   meaning,                                           \
   source,                                            \
   RIPPLE_ACCESSORS(path, 0.0 !=)},
#define RIPPLE_CHOICE(leaf, path, def, choices, meaning, source) \
  {#path,                                                        \
   #leaf,                                                        \
   ParamType::Choice,                                            \
   double(def),                                                  \
   0.0,                                                          \
   last_choice_index(choices),                                   \
   choices,                                                      \
   "choice",                                                     \
   meaning,                                                      \
   source,                                                       \
   RIPPLE_ACCESSORS(path, static_cast<int>)},
#define RIPPLE_CALIBRATED(path, prior_min, prior_max)
#include "parameters.def"
#undef RIPPLE_GROUP
#undef RIPPLE_END_GROUP
#undef RIPPLE_ACCESSORS
#undef RIPPLE_REAL
#undef RIPPLE_INT
#undef RIPPLE_BOOL
#undef RIPPLE_CHOICE
#undef RIPPLE_CALIBRATED
};

constexpr CalibratedInfo kCalibrated[] = {
#define RIPPLE_GROUP(name)
#define RIPPLE_END_GROUP(name)
#define RIPPLE_REAL(leaf, path, def, lo, hi, unit, meaning, source)
#define RIPPLE_INT(leaf, path, def, lo, hi, unit, meaning, source)
#define RIPPLE_BOOL(leaf, path, def, meaning, source)
#define RIPPLE_CHOICE(leaf, path, def, choices, meaning, source)
#define RIPPLE_CALIBRATED(path, prior_min, prior_max) {#path, prior_min, prior_max},
#include "parameters.def"
#undef RIPPLE_GROUP
#undef RIPPLE_END_GROUP
#undef RIPPLE_REAL
#undef RIPPLE_INT
#undef RIPPLE_BOOL
#undef RIPPLE_CHOICE
#undef RIPPLE_CALIBRATED
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = choices.find('|', start);
    out.push_back(choices.substr(start, bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

}  // namespace

std::span<const ParamInfo> parameter_table() { return kTable; }

std::span<const CalibratedInfo> calibrated_table() { return kCalibrated; }

const CalibratedInfo* find_calibrated(std::string_view key) {
  for (const CalibratedInfo& info : kCalibrated)
    if (info.key == key) return &info;
  return nullptr;
}

const ParamInfo* find_param(std::string_view key) {
  for (const ParamInfo& info : kTable)
    if (info.key == key) return &info;
  return nullptr;
}

std::string suggest_param(std::string_view key) {
  std::string_view best;
  std::size_t best_distance = std::string_view::npos;
  for (const ParamInfo& info : kTable) {
    // A key with the right leaf in another group is a likely mix-up too.
    const std::size_t dot = key.rfind('.');
    const std::string_view leaf = dot == std::string_view::npos ? key : key.substr(dot + 1);
    std::size_t d = edit_distance(key, info.key);
    if (leaf == info.leaf) d = std::min<std::size_t>(d, 2);
    if (d < best_distance) {
      best_distance = d;
      best = info.key;
    }
  }
  // Only suggest when the typo is small compared with the key.
  if (best_distance <= std::max<std::size_t>(2, key.size() / 4)) return std::string(best);
  return {};
}

int choice_index(const ParamInfo& info, std::string_view name) {
  const auto names = split_choices(info.choices);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

std::string choice_name(const ParamInfo& info, int index) {
  const auto names = split_choices(info.choices);
  if (index < 0 || static_cast<std::size_t>(index) >= names.size()) return "?";
  return std::string(names[static_cast<std::size_t>(index)]);
}

std::string format_value(const ParamInfo& info, double value) {
  switch (info.type) {
    case ParamType::Real: {
      // Keep a decimal point so the value reads as a real number in TOML and docs.
      std::string text = fmt::format("{}", value);
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return text;
    }
    case ParamType::Int:
      return fmt::format("{}", std::llround(value));
    case ParamType::Bool:
      return value != 0.0 ? "true" : "false";
    case ParamType::Choice:
      return fmt::format("\"{}\"", choice_name(info, static_cast<int>(value)));
  }
  return "?";
}

std::string check_consistency(const Params& p) {
  std::vector<std::string> problems;
  const auto& s = p.symptoms;
  if (s.struggling_threshold + s.hysteresis >= s.acute_threshold)
    problems.push_back(
        fmt::format("symptoms.struggling_threshold ({}) + symptoms.hysteresis ({}) must be below "
                    "symptoms.acute_threshold ({}), or episodes could not step down",
                    s.struggling_threshold, s.hysteresis, s.acute_threshold));
  if (s.struggling_threshold - s.hysteresis < 0.0)
    problems.push_back(
        fmt::format("symptoms.hysteresis ({}) must not exceed symptoms.struggling_threshold ({})",
                    s.hysteresis, s.struggling_threshold));
  if (s.admission_threshold < s.acute_threshold)
    problems.push_back(fmt::format(
        "symptoms.admission_threshold ({}) must be at least symptoms.acute_threshold ({})",
        s.admission_threshold, s.acute_threshold));
  if (p.services.inpatient.discharge_symptoms >= s.admission_threshold)
    problems.push_back(
        fmt::format("services.inpatient.discharge_symptoms ({}) must be below "
                    "symptoms.admission_threshold ({})",
                    p.services.inpatient.discharge_symptoms, s.admission_threshold));
  if (p.family.watchdog_share + p.family.withdrawn_share > 1.0)
    problems.push_back(
        fmt::format("family.watchdog_share ({}) + family.withdrawn_share ({}) must not exceed 1",
                    p.family.watchdog_share, p.family.withdrawn_share));
  const auto& pop = p.population;
  const double prevalence = pop.bipolar_prevalence + pop.psychosis_prevalence +
                            pop.depression_prevalence + pop.substance_prevalence;
  if (prevalence > 1.0)
    problems.push_back(fmt::format(
        "population.bipolar_prevalence + population.psychosis_prevalence + "
        "population.depression_prevalence + population.substance_prevalence = {} must not exceed 1",
        prevalence));
  if (pop.employment_rate + pop.student_share > 1.0)
    problems.push_back(fmt::format(
        "population.employment_rate ({}) + population.student_share ({}) must not exceed 1",
        pop.employment_rate, pop.student_share));
  // Ranges given as a min and a max: the min must not exceed the max.
  auto ordered = [&](std::string_view lo_key, double lo, std::string_view hi_key, double hi) {
    if (lo > hi)
      problems.push_back(fmt::format("{} ({}) must not exceed {} ({})", lo_key, lo, hi_key, hi));
  };
  ordered("population.age_min", static_cast<double>(pop.age_min), "population.age_max",
          static_cast<double>(pop.age_max));
  ordered("population.household_strength_min", pop.household_strength_min,
          "population.household_strength_max", pop.household_strength_max);
  ordered("population.kin_strength_min", pop.kin_strength_min, "population.kin_strength_max",
          pop.kin_strength_max);
  ordered("population.friend_strength_min", pop.friend_strength_min,
          "population.friend_strength_max", pop.friend_strength_max);
  ordered("population.coworker_strength_min", pop.coworker_strength_min,
          "population.coworker_strength_max", pop.coworker_strength_max);
  const auto& ini = p.initial;
  ordered("initial.tenure_weeks_min", static_cast<double>(ini.tenure_weeks_min),
          "initial.tenure_weeks_max", static_cast<double>(ini.tenure_weeks_max));
  ordered("initial.carer_burden_min", ini.carer_burden_min, "initial.carer_burden_max",
          ini.carer_burden_max);
  // Weights of a weighted mean: at least one must be positive.
  const auto& st = p.stress;
  if (st.buffer_weight_support + st.buffer_weight_belonging + st.buffer_weight_coping <= 0.0)
    problems.push_back(
        "stress.buffer_weight_support, stress.buffer_weight_belonging and "
        "stress.buffer_weight_coping are all 0; at least one must be positive");
  const auto& ch = p.chime;
  if (ch.recovery_weight_connectedness + ch.recovery_weight_hope + ch.recovery_weight_identity +
          ch.recovery_weight_meaning + ch.recovery_weight_empowerment <=
      0.0)
    problems.push_back(
        "chime.recovery_weight_connectedness, chime.recovery_weight_hope, "
        "chime.recovery_weight_identity, chime.recovery_weight_meaning and "
        "chime.recovery_weight_empowerment are all 0; at least one must be positive");
  std::string out;
  for (const auto& problem : problems) out += problem + "\n";
  return out;
}

}  // namespace ripple::scenario
