// Reading and checking trial files (docs/TRIALS.md). Every problem is collected and
// reported at once with the file, line and field it was found at.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ripple/errors.hpp"
#include "ripple/query.hpp"
#include "scenario/toml_text.hpp"
#include "trial/file_checks.hpp"
#include "trial/trial.hpp"

namespace ripple::trial {

bool Criteria::empty() const {
  return profile.empty() && episode.empty() && work.empty() && carer_style.empty() &&
         services.empty() && !min_age && !max_age && !min_weeks_well && !max_weeks_well &&
         !discharged_within_weeks && !has_carer && !wish_to_work;
}

const std::vector<OutcomeInfo>& outcome_table() {
  static const std::vector<OutcomeInfo> kTable = {
      {"relapse", "relapse", OutcomeKind::Event, "a relapse or a new episode during follow-up"},
      {"admission", "admission", OutcomeKind::Event, "admitted to a ward during follow-up"},
      {"job", "competitive job found", OutcomeKind::Event,
       "found a job in the open labour market during follow-up"},
      {"dropout", "drop-out", OutcomeKind::Event, "dropped out of a service during follow-up"},
      {"employed", "employed at end", OutcomeKind::Binary,
       "in competitive employment at the end of follow-up (alive participants)"},
      {"bed_days", "bed-days", OutcomeKind::Mean, "days on a ward during follow-up"},
      {"recovery_index", "recovery index at end", OutcomeKind::Mean,
       "recovery index (0-1) at the end of follow-up (alive participants)"},
      {"carer_burden", "carer burden at end", OutcomeKind::Mean,
       "burden (0-1) of the participant's carer at the end (participants with a carer)"},
      {"carer_burden_high", "carer's burden significant", OutcomeKind::Binary,
       "the carer's burden is at or above family.burden_threshold at the end (participants "
       "with a carer)"},
      {"lonely", "lonely at end", OutcomeKind::Binary,
       "connectedness (CHIME) below 0.5, the middle of its scale, at the end (alive "
       "participants)"},
      {"lonely_any_week", "lonely in some week", OutcomeKind::Binary,
       "connectedness (CHIME) below 0.5 at the end of at least one week of follow-up (alive "
       "participants); over 52 weeks, the model's \"felt lonely in the past 12 months\""},
      {"clinician_left", "main clinician left", OutcomeKind::Event,
       "the participant's main worker left the service (staff turnover) during follow-up"},
      {"entry_clinician_left", "clinician at entry left", OutcomeKind::Event,
       "the participant's main worker at entry left the service during follow-up, whether "
       "or not the participant was still their client (as staff records show it)"},
      {"hours_20plus", "working 20+ hours a week", OutcomeKind::Binary,
       "worked 20 or more hours a week on average over the weeks in competitive work "
       "(participants in competitive work in some week of follow-up)"},
      {"weeks_worked", "weeks worked per year", OutcomeKind::Mean,
       "weeks in competitive work per 52 weeks of follow-up (participants in competitive "
       "work in some week of follow-up)"},
      {"weeks_to_job", "weeks to first job", OutcomeKind::Mean,
       "weeks from entry to the first competitive job found (participants who found one)"},
  };
  return kTable;
}

std::pair<double, double> outcome_range(const OutcomeInfo& info) {
  if (info.kind != OutcomeKind::Mean) return {0.0, 1.0};
  const std::string key = info.key;
  if (key == "recovery_index" || key == "carer_burden") return {0.0, 1.0};
  if (key == "weeks_worked") return {0.0, 52.0};
  return {0.0, std::numeric_limits<double>::infinity()};  // bed-days, weeks to a job
}

compare::Interval clip(compare::Interval i, double lo, double hi) {
  // NaN (too few replications for an interval) stays NaN.
  if (i.low < lo) i.low = lo;
  if (i.high > hi) i.high = hi;
  return i;
}

const OutcomeInfo* find_outcome(const std::string& key) {
  for (const OutcomeInfo& info : outcome_table())
    if (key == info.key) return &info;
  return nullptr;
}

void Problems::at(const toml::node* node, const std::string& field, const std::string& text) {
  const auto line = node != nullptr ? node->source().begin.line : 0u;
  lines_.push_back({line, line > 0 ? fmt::format("{}:{}: {}: {}", name_, line, field, text)
                                   : fmt::format("{}: {}: {}", name_, field, text)});
}

void Problems::throw_if_any() {
  if (lines_.empty()) return;
  std::stable_sort(lines_.begin(), lines_.end(),
                   [](const Line& a, const Line& b) { return a.line < b.line; });
  std::string message =
      lines_.size() == 1 ? std::string() : fmt::format("{} problems:\n", lines_.size());
  for (std::size_t i = 0; i < lines_.size(); ++i) message += (i > 0 ? "\n" : "") + lines_[i].text;
  throw InputError(message);
}

std::string join(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

void known_keys(const toml::table& table, const std::string& prefix,
                const std::vector<std::string>& known, Problems& problems) {
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (std::find(known.begin(), known.end(), k) == known.end())
      problems.at(&node, prefix + k, "unknown key; known keys here: " + join(known));
  }
}

std::optional<int> integer(const toml::table& table, const std::string& key,
                           const std::string& field, long long lo, long long hi,
                           Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  const auto* v = node->as_integer();
  if (v == nullptr) {
    problems.at(node, field, "must be a whole number");
    return std::nullopt;
  }
  if (v->get() < lo || v->get() > hi) {
    problems.at(node, field, fmt::format("is {}, must be from {} to {}", v->get(), lo, hi));
    return std::nullopt;
  }
  return static_cast<int>(v->get());
}

std::optional<std::string> text(const toml::table& table, const std::string& key,
                                const std::string& field, Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* v = node->as_string()) return v->get();
  problems.at(node, field, "must be a string in quotes");
  return std::nullopt;
}

std::vector<int> codes(const toml::node& node, const std::string& field,
                       const std::vector<std::string>& allowed, Problems& problems) {
  std::vector<int> out;
  const auto one = [&](const toml::node& item) {
    const auto* v = item.as_string();
    if (v == nullptr) {
      problems.at(&item, field, "must be a name in quotes, one of " + join(allowed));
      return;
    }
    const auto at = std::find(allowed.begin(), allowed.end(), v->get());
    if (at == allowed.end()) {
      problems.at(&item, field, fmt::format("\"{}\" is not one of {}", v->get(), join(allowed)));
      return;
    }
    out.push_back(static_cast<int>(at - allowed.begin()));
  };
  if (const auto* array = node.as_array()) {
    if (array->empty()) problems.at(&node, field, "is empty; leave the key out to allow any");
    for (const toml::node& item : *array) one(item);
  } else {
    one(node);
  }
  return out;
}

namespace {

Criteria criteria(const toml::table& table, const std::string& prefix, Problems& problems) {
  known_keys(
      table, prefix,
      {"profile", "episode", "work", "carer_style", "services", "min_age", "max_age",
       "min_weeks_well", "max_weeks_well", "discharged_within_weeks", "has_carer", "wish_to_work"},
      problems);
  const query::Names& names = query::model_names();
  Criteria c;
  const auto list = [&](const char* key, const std::vector<std::string>& allowed) {
    const toml::node* node = table.get(key);
    return node != nullptr ? codes(*node, prefix + key, allowed, problems) : std::vector<int>{};
  };
  std::vector<std::string> profiles(names.profile.begin() + 1, names.profile.end());
  c.profile = list("profile", profiles);
  for (int& p : c.profile) ++p;  // "none" is not a condition one can be eligible by
  c.episode = list("episode", names.episode);
  c.work = list("work", names.work);
  c.services = list("services", names.service);
  std::vector<std::string> styles(names.caring_style.begin() + 1, names.caring_style.end());
  c.carer_style = list("carer_style", styles);
  for (int& s : c.carer_style) ++s;
  c.min_age = integer(table, "min_age", prefix + "min_age", 0, 120, problems);
  c.max_age = integer(table, "max_age", prefix + "max_age", 0, 120, problems);
  if (c.min_age && c.max_age && *c.min_age > *c.max_age)
    problems.at(table.get("max_age"), prefix + "max_age",
                fmt::format("{} is below min_age {}", *c.max_age, *c.min_age));
  c.min_weeks_well =
      integer(table, "min_weeks_well", prefix + "min_weeks_well", 0, 65535, problems);
  c.max_weeks_well =
      integer(table, "max_weeks_well", prefix + "max_weeks_well", 0, 65535, problems);
  if (c.min_weeks_well && c.max_weeks_well && *c.min_weeks_well > *c.max_weeks_well)
    problems.at(table.get("max_weeks_well"), prefix + "max_weeks_well",
                fmt::format("{} is below min_weeks_well {}", *c.max_weeks_well, *c.min_weeks_well));
  c.discharged_within_weeks = integer(table, "discharged_within_weeks",
                                      prefix + "discharged_within_weeks", 0, 65534, problems);
  for (const auto& [key, slot] :
       {std::pair{"has_carer", &c.has_carer}, std::pair{"wish_to_work", &c.wish_to_work}}) {
    if (const toml::node* node = table.get(key)) {
      if (const auto* v = node->as_boolean())
        *slot = v->get();
      else
        problems.at(node, prefix + key, "must be true or false");
    }
  }
  if (!c.carer_style.empty() && c.has_carer == false)
    problems.at(table.get("carer_style"), prefix + "carer_style",
                "asks for a carer's style but has_carer = false");
  return c;
}

// Leaves of the [base] table as dotted keys with their --set text.
void base_overrides(const toml::table& table, const std::string& prefix,
                    std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [key, node] : table) {
    const std::string k = prefix + std::string(key.str());
    if (const auto* sub = node.as_table())
      base_overrides(*sub, k + ".", out);
    else
      out.emplace_back(k, &node);
  }
}

}  // namespace

Spec parse_trial(std::string_view text_in, const std::string& name,
                 const std::vector<std::string>& overrides, const std::filesystem::path& directory,
                 const std::vector<std::string>& extra_tables) {
  Spec spec;
  spec.path = name;
  spec.text = std::string(text_in);
  toml::table doc;
  try {
    doc = toml::parse(text_in, name);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: not valid TOML: {}", name, e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  Problems problems(name);
  std::vector<std::string> tables = {"trial", "base", "eligibility", "arm"};
  tables.insert(tables.end(), extra_tables.begin(), extra_tables.end());
  known_keys(doc, "", tables, problems);

  const toml::table* trial = doc["trial"].as_table();
  if (trial == nullptr) {
    problems.at(doc.get("trial"), "[trial]",
                "is missing; a trial file starts with a [trial] table naming its scenario");
    problems.throw_if_any();
  }
  known_keys(*trial, "trial.",
             {"name", "description", "scenario", "design", "participants", "entry_week",
              "follow_up_weeks", "replications", "seed", "outcomes", "network_degrees"},
             problems);
  spec.name = text(*trial, "name", "trial.name", problems)
                  .value_or(std::filesystem::path(name).stem().string());
  spec.description = text(*trial, "description", "trial.description", problems).value_or("");
  const auto design = text(*trial, "design", "trial.design", problems);
  if (!design)
    problems.at(trial->get("design") != nullptr ? trial->get("design") : trial, "trial.design",
                "is missing; write design = \"randomised\" or design = \"cohort\"");
  else if (*design == "randomised" || *design == "randomized")
    spec.design = Design::Randomised;
  else if (*design == "cohort")
    spec.design = Design::Cohort;
  else
    problems.at(trial->get("design"), "trial.design",
                fmt::format("\"{}\" is not a design; use \"randomised\" or \"cohort\"", *design));
  spec.participants =
      integer(*trial, "participants", "trial.participants", 0, 100000000, problems).value_or(0);
  if (spec.design == Design::Cohort && trial->get("participants") != nullptr)
    problems.at(trial->get("participants"), "trial.participants",
                "a cohort takes every eligible person in each exposure group; leave it out");
  spec.entry_week =
      integer(*trial, "entry_week", "trial.entry_week", 0, 5200, problems).value_or(0);
  spec.follow_up_weeks =
      integer(*trial, "follow_up_weeks", "trial.follow_up_weeks", 1, 5200, problems).value_or(52);
  spec.replications =
      integer(*trial, "replications", "trial.replications", 1, 10000, problems).value_or(10);
  const auto seed = integer(*trial, "seed", "trial.seed", 0, 4294967295LL, problems);
  spec.network_degrees =
      integer(*trial, "network_degrees", "trial.network_degrees", 0, 6, problems).value_or(0);

  if (const toml::node* node = trial->get("outcomes")) {
    std::vector<std::string> keys;
    for (const OutcomeInfo& info : outcome_table()) keys.push_back(info.key);
    for (const int k : codes(*node, "trial.outcomes", keys, problems)) {
      if (std::find(spec.outcomes.begin(), spec.outcomes.end(), keys[k]) != spec.outcomes.end())
        problems.at(node, "trial.outcomes", fmt::format("\"{}\" is listed twice", keys[k]));
      else
        spec.outcomes.push_back(keys[k]);
    }
  } else {
    for (const OutcomeInfo& info : outcome_table()) spec.outcomes.push_back(info.key);
  }

  if (const toml::node* node = doc.get("eligibility")) {
    spec.eligibility_line = static_cast<int>(node->source().begin.line);
    if (const auto* table = node->as_table())
      spec.eligibility = criteria(*table, "eligibility.", problems);
    else
      problems.at(node, "eligibility", "must be a table: [eligibility]");
  }

  // The arms.
  const toml::node* arms_node = doc.get("arm");
  const toml::array* arms = arms_node != nullptr ? arms_node->as_array() : nullptr;
  const std::size_t min_arms = spec.design == Design::Cohort ? 1 : 2;
  if (arms == nullptr || !arms->is_array_of_tables() || arms->size() < min_arms) {
    problems.at(arms_node != nullptr ? arms_node : trial, "[[arm]]",
                spec.design == Design::Cohort
                    ? "a cohort needs one or more [[arm]] tables, each with its exposure"
                    : "a randomised trial needs two or more [[arm]] tables (the first is the "
                      "reference arm)");
  } else {
    for (std::size_t k = 0; k < arms->size(); ++k) {
      const toml::table& table = *arms->get(k)->as_table();
      const std::string prefix = fmt::format("arm {}.", k + 1);
      known_keys(table, prefix, {"name", "give", "weight", "exposure"}, problems);
      Arm arm;
      arm.line = static_cast<int>(table.source().begin.line);
      arm.name =
          text(table, "name", prefix + "name", problems).value_or(fmt::format("arm {}", k + 1));
      for (const Arm& other : spec.arms)
        if (other.name == arm.name)
          problems.at(table.get("name"), prefix + "name",
                      fmt::format("\"{}\" names two arms", arm.name));
      if (const toml::node* give = table.get("give")) {
        const std::vector<std::string> gifts(std::begin(kGifts), std::end(kGifts));
        if (const auto* array = give->as_array(); array != nullptr && array->empty()) {
          // give = [] : nothing extra
        } else {
          for (const int g : codes(*give, prefix + "give", gifts, problems))
            arm.give.push_back(gifts[g]);
        }
      }
      if (const toml::node* weight = table.get("weight")) {
        if (spec.design == Design::Cohort)
          problems.at(weight, prefix + "weight",
                      "is for randomised trials; a cohort has no allocation");
        arm.weight = integer(table, "weight", prefix + "weight", 1, 100, problems).value_or(1);
      }
      if (const toml::node* exposure = table.get("exposure")) {
        if (spec.design == Design::Randomised)
          problems.at(exposure, prefix + "exposure",
                      "is for cohorts; a randomised trial allocates by chance");
        else if (const auto* t = exposure->as_table())
          arm.exposure = criteria(*t, prefix + "exposure.", problems);
        else
          problems.at(exposure, prefix + "exposure",
                      "must be a table, e.g. exposure = { carer_style = \"watchdog\" }");
      } else if (spec.design == Design::Cohort) {
        problems.at(
            &table, prefix + "exposure",
            "is missing; each arm of a cohort says which state at entry puts a person in it");
      }
      spec.arms.push_back(std::move(arm));
    }
  }

  // The base scenario, with [base] and then --set overrides.
  const auto scenario_path = text(*trial, "scenario", "trial.scenario", problems);
  if (!scenario_path && trial->get("scenario") == nullptr)
    problems.at(trial, "trial.scenario", "is missing; name the base scenario file");
  std::vector<std::string> all_overrides;
  std::vector<int> base_lines;  // the line of each [base] value, for messages
  const toml::node* base_node = doc.get("base");
  if (base_node != nullptr) {
    if (const auto* table = base_node->as_table()) {
      std::vector<std::pair<std::string, const toml::node*>> leaves;
      base_overrides(*table, "", leaves);
      for (const auto& [key, node] : leaves) {
        if (key.starts_with("run.seed") || key == "run.weeks")
          problems.at(node, "base." + key,
                      "is set by the trial (trial.seed, trial.entry_week + trial.follow_up_weeks)");
        else if (const auto value = scenario::toml_text(*node)) {
          all_overrides.push_back(key + "=" + *value);
          base_lines.push_back(static_cast<int>(node->source().begin.line));
        } else
          problems.at(node, "base." + key, "must be a number, true/false or a string");
      }
    } else {
      problems.at(base_node, "base", "must be a table: [base]");
    }
  }
  problems.throw_if_any();

  std::filesystem::path scenario_file(*scenario_path);
  if (scenario_file.is_relative()) scenario_file = directory / scenario_file;
  try {
    spec.base = scenario::load_scenario(scenario_file.string(), all_overrides);
  } catch (const InputError& e) {
    // A value of [base] is named by its own line in the trial file (the scenario reader
    // reports it as a --set); otherwise the trial's scenario line says which file led there.
    const std::string message =
        scenario::name_overlay_values(e.what(), name, all_overrides, base_lines);
    if (message != e.what()) throw InputError(message);
    throw InputError(fmt::format("{}:{}: trial.scenario: the base scenario cannot be used:\n{}",
                                 name, trial->get("scenario")->source().begin.line, e.what()));
  }
  // The command line's --set come last and are reported as such; like [base], they
  // cannot set what the trial itself decides.
  for (const std::string& o : overrides) {
    const std::string key = o.substr(0, o.find('='));
    if (key == "run.seed" || key == "run.weeks")
      throw InputError(fmt::format(
          "--set {}: is set by the trial ({}); change it in {}", o,
          key == "run.seed" ? "trial.seed" : "trial.entry_week + trial.follow_up_weeks", name));
  }
  if (!overrides.empty()) {
    all_overrides.insert(all_overrides.end(), overrides.begin(), overrides.end());
    spec.base = scenario::load_scenario(scenario_file.string(), all_overrides);
  }
  spec.seed = seed ? static_cast<std::uint64_t>(*seed)
                   : static_cast<std::uint64_t>(spec.base.params.run.seed);
  spec.base.params.run.weeks = spec.entry_week + spec.follow_up_weeks;
  // Participants' events are kept only for recorded persons: everyone in recovery.
  spec.base.params.output.level = std::max<int>(spec.base.params.output.level, 2);
  return spec;
}

std::string read_file_text(const std::string& path, const std::string& kind,
                           const std::string& needs) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw InputError(path + ": no such " + kind);
  if (std::filesystem::is_directory(path, error))
    throw InputError(path + ": is a folder, not a " + kind);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be read");
  std::ostringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  if (text.find('\0') != std::string::npos)
    throw InputError(path + ": is not a text file (it holds NUL bytes)");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InputError(path + ": is empty; a " + kind + " needs " + needs);
  return text;
}

Spec load_trial(const std::string& path, const std::vector<std::string>& overrides) {
  const std::string text = read_file_text(path, "trial file", "a [trial] table and [[arm]] tables");
  return parse_trial(text, path, overrides, std::filesystem::path(path).parent_path());
}

}  // namespace ripple::trial
