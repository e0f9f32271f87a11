// Reading a scenario: file checks, TOML parsing, one check per value against the
// parameter table, --set overrides, the timeline, and the rules across parameters.
// Every problem is collected first and reported in one InputError, sorted by its
// place in the file, so a user fixes a scenario in one pass rather than one error
// per run.

#include "scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "ripple/errors.hpp"
#include "scenario/toml_text.hpp"

namespace ripple::scenario {
namespace {

// Lines are sorted by their place in the file; problems without a place (--set
// arguments, rules across parameters) follow in the order they were found.
class Problems {
 public:
  explicit Problems(std::string name) : name_(std::move(name)) {}

  void at(const toml::source_position& where, const std::string& text) {
    if (where.line == 0) return general(text);
    placed_.push_back({where.line, where.column,
                       fmt::format("{}:{}:{}: {}", name_, where.line, where.column, text)});
  }
  void general(const std::string& text) { unplaced_.push_back(fmt::format("{}: {}", name_, text)); }
  // A line that stands on its own, e.g. "--set key=value: rule".
  void bare(const std::string& text) { unplaced_.push_back(text); }

  bool empty() const { return placed_.empty() && unplaced_.empty(); }

  [[noreturn]] void raise() {
    std::stable_sort(placed_.begin(), placed_.end(), [](const Placed& a, const Placed& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    std::string message;
    for (const Placed& p : placed_) message += p.text + "\n";
    for (const std::string& text : unplaced_) message += text + "\n";
    message.pop_back();
    throw InputError(message);
  }

 private:
  struct Placed {
    std::uint32_t line;
    std::uint32_t column;
    std::string text;
  };
  std::string name_;
  std::vector<Placed> placed_;
  std::vector<std::string> unplaced_;
};

bool fixed_during_run(std::string_view key) {
  return key.starts_with("run.") || key.starts_with("population.") || key.starts_with("initial.") ||
         key.starts_with("output.");
}

// The first parameter inside `group` (e.g. "services.cmhc"), or nullptr if `group`
// is not a table of parameters.
const ParamInfo* first_in_group(std::string_view group) {
  for (const ParamInfo& info : parameter_table())
    if (info.key.size() > group.size() && info.key.starts_with(group) &&
        info.key[group.size()] == '.')
      return &info;
  return nullptr;
}

std::string unit_note(std::string_view unit) {
  if (unit.empty() || unit == "-") return {};
  return fmt::format(" ({})", unit);
}

// What a parameter accepts, in the words of the error messages.
std::string rule(const ParamInfo& info) {
  switch (info.type) {
    case ParamType::Real:
      return fmt::format("must be a number from {} to {}{}", info.min, info.max,
                         unit_note(info.unit));
    case ParamType::Int:
      return fmt::format("must be an integer from {} to {}{}", std::llround(info.min),
                         std::llround(info.max), unit_note(info.unit));
    case ParamType::Bool:
      return "must be true or false";
    case ParamType::Choice: {
      std::vector<std::string> names;
      for (int i = 0; i <= static_cast<int>(info.max); ++i)
        names.push_back(toml_string(choice_name(info, i)));
      return fmt::format("must be one of {}", fmt::join(names, ", "));
    }
  }
  return "?";
}

bool in_range(const ParamInfo& info, double v) {
  return std::isfinite(v) && v >= info.min && v <= info.max;
}

// The value as ParamInfo::set takes it, or nothing if `node` breaks the rule.
std::optional<double> value_of(const ParamInfo& info, const toml::node& node) {
  std::optional<double> v;
  switch (info.type) {
    case ParamType::Real:
      if (const auto* i = node.as_integer()) v = static_cast<double>(i->get());
      if (const auto* f = node.as_floating_point()) v = f->get();
      break;
    case ParamType::Int:
      if (const auto* i = node.as_integer()) v = static_cast<double>(i->get());
      break;
    case ParamType::Bool:
      if (const auto* b = node.as_boolean()) v = b->get() ? 1.0 : 0.0;
      break;
    case ParamType::Choice:
      if (const auto* s = node.as_string()) {
        const int index = choice_index(info, s->get());
        if (index >= 0) v = static_cast<double>(index);
      }
      break;
  }
  if (v && !in_range(info, *v)) v.reset();
  return v;
}

std::string unknown_key(std::string_view key) {
  const std::string suggestion = suggest_param(key);
  if (suggestion.empty()) return "unknown parameter (`ripple params` lists them all)";
  return fmt::format("unknown parameter; did you mean {}?", suggestion);
}

toml::source_position where(const toml::node& node) { return node.source().begin; }

struct Leaf {
  std::string key;  // dotted, e.g. "services.cmhc.caseload_cap"
  const toml::node* node;
  toml::source_position where;
};

// Nested tables and dotted keys become one dotted key per value. A key that names a
// parameter stops the descent even if it holds a table, so the table is reported
// as a wrong value rather than as unknown keys below it.
// At the top of the file, `skip` holds the [scenario] and [[timeline]] tables, which
// are read apart.
void flatten(const toml::table& table, const std::string& prefix, std::vector<Leaf>& out,
             std::initializer_list<std::string_view> skip = {}) {
  for (auto&& [k, v] : table) {
    if (std::find(skip.begin(), skip.end(), k.str()) != skip.end()) continue;
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const toml::table* sub = v.as_table();
    toml::source_position pos = where(v);
    if (pos.line == 0) pos = k.source().begin;
    if (find_param(key) != nullptr || sub == nullptr || sub->empty())
      out.push_back({key, &v, pos});
    else
      flatten(*sub, key, out);
  }
}

// Checks one value against the table; `context` names where it sits ("" or
// "timeline[2]: "). Returns the parameter and value to set, if both are good.
std::optional<std::pair<const ParamInfo*, double>> check_leaf(const Leaf& leaf,
                                                              const std::string& context,
                                                              Problems& problems) {
  const ParamInfo* info = find_param(leaf.key);
  if (info == nullptr) {
    if (const ParamInfo* example = first_in_group(leaf.key)) {
      // An empty [services.cmhc] table sets nothing, which is harmless.
      if (!leaf.node->is_table())
        problems.at(leaf.where,
                    fmt::format("{}{} = {}: is a table of parameters, not a value; e.g. {} = {}",
                                context, leaf.key, toml_shown(*leaf.node), example->key,
                                format_value(*example, example->default_value)));
    } else if (leaf.node->is_table()) {
      const std::string suggestion = suggest_param(leaf.key);
      problems.at(
          leaf.where,
          fmt::format("{}[{}]: unknown table{}", context, leaf.key,
                      suggestion.empty() ? std::string() : "; did you mean " + suggestion + "?"));
    } else {
      problems.at(leaf.where, fmt::format("{}{} = {}: {}", context, leaf.key,
                                          toml_shown(*leaf.node), unknown_key(leaf.key)));
    }
    return std::nullopt;
  }
  const std::optional<double> v = value_of(*info, *leaf.node);
  if (!v) {
    problems.at(leaf.where, fmt::format("{}{} = {}: {}", context, leaf.key, toml_shown(*leaf.node),
                                        rule(*info)));
    return std::nullopt;
  }
  return std::pair(info, *v);
}

// A parameter reached by two spellings (e.g. a [services.cmhc] table and a quoted
// "services.cmhc.caseload_cap" key) would leave it unclear which one counts.
void report_repeats(std::vector<Leaf>& leaves, const std::string& context, Problems& problems) {
  std::map<std::string, const Leaf*> first;
  std::stable_sort(leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  for (const Leaf& leaf : leaves) {
    const auto [it, inserted] = first.emplace(leaf.key, &leaf);
    if (!inserted)
      problems.at(leaf.where,
                  fmt::format("{}{} = {}: set twice (also at line {})", context, leaf.key,
                              toml_shown(*leaf.node), it->second->where.line));
  }
}

struct Parsed {
  std::optional<toml::table> table;
  std::string error;
  toml::source_position where;
};

Parsed parse_toml(std::string_view text, std::string_view source) {
#if TOML_EXCEPTIONS
  try {
    return {toml::parse(text, source), {}, {}};
  } catch (const toml::parse_error& e) {
    return {std::nullopt, std::string(e.description()), e.source().begin};
  }
#else
  toml::parse_result result = toml::parse(text, source);
  if (result) return {std::move(result).table(), {}, {}};
  return {std::nullopt, std::string(result.error().description()), result.error().source().begin};
#endif
}

// toml++ would also refuse these, but with a message about a character in the
// middle of a line; a file that is not text deserves to be called that.
void check_text(std::string_view text, Problems& problems) {
  if (text.empty()) {
    problems.general(
        "the file is empty; a scenario with all defaults still needs a line, e.g. "
        "\"# all defaults\"");
    return;
  }
  std::uint32_t line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      problems.general(fmt::format(
          "not a text file (a NUL byte on line {}); a scenario is a UTF-8 TOML text file", line));
      return;
    }
    if (c == '\n') ++line;
    std::size_t length = 1;
    std::uint32_t lowest = 0;
    if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      lowest = 0x10000;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      lowest = 0x800;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      lowest = 0x80;
    } else if (c >= 0x80) {
      length = 0;
    }
    bool valid = length != 0 && i + length <= text.size();
    std::uint32_t code = length == 4 ? (c & 0x07u) : length == 3 ? (c & 0x0Fu) : (c & 0x1Fu);
    for (std::size_t j = 1; valid && j < length; ++j) {
      const auto next = static_cast<unsigned char>(text[i + j]);
      valid = (next & 0xC0u) == 0x80u;
      code = (code << 6) | (next & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (valid && length > 1)
      valid = code >= lowest && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    if (!valid) {
      problems.general(fmt::format(
          "not a text file (invalid UTF-8 on line {}); a scenario is a UTF-8 TOML text file",
          line));
      return;
    }
    i += length;
  }
}

void read_scenario_table(const toml::node& node, Scenario& scenario, Problems& problems) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    problems.at(where(node), fmt::format("scenario = {}: must be a table, e.g. [scenario] then "
                                         "name = \"baseline\"",
                                         toml_shown(node)));
    return;
  }
  for (auto&& [k, v] : *table) {
    const std::string key(k.str());
    const auto* s = v.as_string();
    if (key == "name" || key == "description") {
      if (s == nullptr || (key == "name" && s->get().empty()))
        problems.at(where(v), fmt::format("scenario.{} = {}: must be a{} string", key,
                                          toml_shown(v), key == "name" ? " non-empty" : ""));
      else
        (key == "name" ? scenario.name : scenario.description) = s->get();
    } else {
      problems.at(where(v), fmt::format("scenario.{} = {}: unknown key; [scenario] takes name "
                                        "and description",
                                        key, toml_shown(v)));
    }
  }
}

void apply_overrides(const std::vector<std::string>& overrides, Params& params,
                     Problems& problems) {
  for (const std::string& arg : overrides) {
    const std::size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      problems.bare(fmt::format(
          "--set {}: must be key=value, e.g. --set services.cmhc.admin_share=0.2", arg));
      continue;
    }
    const auto trim = [](std::string_view s) {
      const std::size_t begin = s.find_first_not_of(" \t");
      if (begin == std::string_view::npos) return std::string_view();
      return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
    };
    const std::string key(trim(std::string_view(arg).substr(0, eq)));
    const std::string_view text = trim(std::string_view(arg).substr(eq + 1));
    const ParamInfo* info = find_param(key);
    if (info == nullptr) {
      problems.bare(fmt::format("--set {}: {}", arg, unknown_key(key)));
      continue;
    }
    std::optional<double> v;
    const Parsed parsed = parse_toml("value = " + std::string(text), "--set");
    // A newline in the argument could smuggle in a second key; only one value counts.
    if (parsed.table && parsed.table->size() == 1)
      if (const toml::node* node = parsed.table->get("value")) v = value_of(*info, *node);
    // `--set output.level=sample` saves quoting the word twice on a shell line.
    if (!v && info->type == ParamType::Choice) {
      const int index = choice_index(*info, text);
      if (index >= 0) v = static_cast<double>(index);
    }
    if (!v) {
      problems.bare(fmt::format("--set {}: {}", arg, rule(*info)));
      continue;
    }
    info->set(params, *v);
  }
}

std::optional<std::int64_t> read_week(const toml::table& entry, const std::string& context,
                                      std::int64_t weeks, Problems& problems) {
  const toml::node* node = entry.get("week");
  if (node == nullptr) {
    problems.at(where(entry), fmt::format("{}: week is missing; e.g. week = 52", context));
    return std::nullopt;
  }
  const auto* i = node->as_integer();
  if (i == nullptr || i->get() < 0 || i->get() >= weeks) {
    problems.at(where(*node), fmt::format("{}.week = {}: must be an integer from 0 to {} (weeks; "
                                          "the run lasts run.weeks = {})",
                                          context, toml_shown(*node), weeks - 1, weeks));
    return std::nullopt;
  }
  return i->get();
}

void read_set(const toml::node& node, const std::string& context, Intervention base,
              std::vector<Intervention>& out, Problems& problems) {
  const toml::table* table = node.as_table();
  if (table == nullptr || table->empty()) {
    problems.at(where(node), fmt::format("{}.set = {}: must be a table of parameters, e.g. set = "
                                         "{{ \"services.cmhc.admin_share\" = 0.2 }}",
                                         context, toml_shown(node)));
    return;
  }
  std::vector<Leaf> leaves;
  flatten(*table, "", leaves);
  report_repeats(leaves, context + ": ", problems);
  for (const Leaf& leaf : leaves) {
    if (fixed_during_run(leaf.key) && find_param(leaf.key) != nullptr) {
      problems.at(leaf.where,
                  fmt::format("{}: {} = {}: cannot change during a run (run.*, population.*, "
                              "initial.* and output.* are fixed at the start); set it outside "
                              "the timeline",
                              context, leaf.key, toml_shown(*leaf.node)));
      continue;
    }
    if (const auto checked = check_leaf(leaf, context + ": ", problems)) {
      Intervention intervention = base;
      intervention.kind = Intervention::Kind::Set;
      intervention.key = leaf.key;
      intervention.value = checked->second;
      intervention.line = static_cast<int>(leaf.where.line);
      out.push_back(std::move(intervention));
    }
  }
}

// ---- Named characters: [[person]], [[household]], [[tie]] and [[arena]] -------------

// The index of `value` among `names`, or a problem naming the allowed values.
template <std::size_t N>
std::optional<int> read_choice(const toml::node& node, const char* const (&names)[N],
                               const std::string& context, Problems& problems,
                               std::size_t first = 0) {
  if (const auto* s = node.as_string())
    for (std::size_t k = first; k < N; ++k)
      if (s->get() == names[k]) return static_cast<int>(k);
  std::vector<std::string> allowed;
  for (std::size_t k = first; k < N; ++k) allowed.push_back(toml_string(names[k]));
  problems.at(where(node), fmt::format("{} = {}: must be one of {}", context, toml_shown(node),
                                       fmt::join(allowed, ", ")));
  return std::nullopt;
}

std::optional<double> read_real(const toml::node& node, double lo, double hi,
                                const std::string& context, Problems& problems) {
  std::optional<double> v;
  if (const auto* i = node.as_integer()) v = static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) v = f->get();
  if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
    problems.at(where(node), fmt::format("{} = {}: must be a number from {} to {}", context,
                                         toml_shown(node), lo, hi));
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> read_name(const toml::node& node, const std::string& context,
                                     Problems& problems) {
  const auto* s = node.as_string();
  if (s == nullptr || s->get().empty()) {
    problems.at(where(node), fmt::format("{} = {}: must be a non-empty string (a name)", context,
                                         toml_shown(node)));
    return std::nullopt;
  }
  return s->get();
}

// The strings of an array (each checked by read_name), or nothing if it is not one.
std::optional<std::vector<std::pair<std::string, const toml::node*>>> read_names(
    const toml::node& node, const std::string& context, Problems& problems) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    problems.at(where(node), fmt::format("{} = {}: must be an array of names, e.g. [\"Anna\", "
                                         "\"Tom\"]",
                                         context, toml_shown(node)));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, const toml::node*>> out;
  bool good = true;
  for (std::size_t k = 0; k < array->size(); ++k) {
    const toml::node& item = *array->get(k);
    if (const auto name = read_name(item, fmt::format("{}[{}]", context, k), problems))
      out.emplace_back(*name, &item);
    else
      good = false;
  }
  if (!good) return std::nullopt;
  return out;
}

// Suggests a declared name close to a misspelt one.
std::string name_hint(const std::string& name, const std::map<std::string, std::uint32_t>& known,
                      const char* what) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& [candidate, index] : known) {
    // Levenshtein distance, small strings only.
    std::vector<std::size_t> row(candidate.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= name.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        const std::size_t up = row[j];
        row[j] =
            std::min({row[j] + 1, row[j - 1] + 1,
                      diagonal + (std::tolower(static_cast<unsigned char>(name[i - 1])) ==
                                          std::tolower(static_cast<unsigned char>(candidate[j - 1]))
                                      ? 0
                                      : 1)});
        diagonal = up;
      }
    }
    if (row.back() < best_distance) {
      best_distance = row.back();
      best = candidate;
    }
  }
  std::vector<std::string> all;
  for (const auto& [candidate, index] : known) all.push_back(toml_string(candidate));
  if (!best.empty()) return fmt::format("no {} of that name; did you mean \"{}\"?", what, best);
  if (all.empty()) return fmt::format("no {} of that name (none is declared)", what);
  return fmt::format("no {} of that name; declared: {}", what, fmt::join(all, ", "));
}

const toml::array* array_of_tables(const toml::table& root, const char* key, Problems& problems) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return nullptr;
  const toml::array* array = node->as_array();
  bool good = array != nullptr;
  if (good)
    for (const toml::node& item : *array) good = good && item.is_table();
  if (!good) {
    problems.at(where(*node), fmt::format("{} = {}: must be written as [[{}]] tables", key,
                                          toml_shown(*node), key));
    return nullptr;
  }
  return array;
}

struct RawPerson {
  const toml::table* table;
  Character character;
  std::string carer_name;
  const toml::node* carer_node = nullptr;
  std::vector<std::pair<std::string, const toml::node*>> arena_names;
  std::string workplace_name;
  const toml::node* workplace_node = nullptr;
};

void read_person(const toml::table& table, const std::string& context, RawPerson& raw,
                 Problems& problems) {
  Character& c = raw.character;
  c.line = static_cast<int>(where(table).line);
  constexpr const char* kKeys[] = {
      "name",  "age",    "sex",      "profile",        "vulnerability", "symptoms", "stress",
      "debt",  "coping", "work",     "workplace",      "arenas",        "consent",  "carer",
      "style", "burden", "services", "generated_ties", "social_anxiety"};
  for (auto&& [k, v] : table) {
    const std::string key(k.str());
    const std::string field = context + "." + key;
    if (key == "name") {
      if (auto name = read_name(v, field, problems)) c.name = *name;
    } else if (key == "age") {
      const auto* i = v.as_integer();
      if (i == nullptr || i->get() < 0 || i->get() > 120)
        problems.at(where(v), fmt::format("{} = {}: must be an integer from 0 to 120 (years)",
                                          field, toml_shown(v)));
      else
        c.age = static_cast<int>(i->get());
    } else if (key == "sex") {
      constexpr const char* kSexes[] = {"female", "male"};
      if (auto s = read_choice(v, kSexes, field, problems)) c.male = *s == 1;
    } else if (key == "profile") {
      c.profile = read_choice(v, kCharacterProfileNames, field, problems);
    } else if (key == "vulnerability") {
      c.vulnerability = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "symptoms") {
      c.symptoms = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "stress") {
      c.stress = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "debt") {
      c.debt = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "coping") {
      c.coping = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "burden") {
      c.burden = read_real(v, 0.0, 1.0, field, problems);
    } else if (key == "work") {
      c.work = read_choice(v, kCharacterWorkNames, field, problems);
    } else if (key == "style") {
      c.style = read_choice(v, kCharacterStyleNames, field, problems, 1);
    } else if (key == "consent") {
      if (const auto* b = v.as_boolean())
        c.consent = b->get();
      else
        problems.at(where(v), fmt::format("{} = {}: must be true or false", field, toml_shown(v)));
    } else if (key == "social_anxiety") {
      if (const auto* b = v.as_boolean())
        c.social_anxiety = b->get();
      else
        problems.at(where(v), fmt::format("{} = {}: must be true or false", field, toml_shown(v)));
    } else if (key == "generated_ties") {
      if (const auto* b = v.as_boolean())
        c.generated_ties = b->get();
      else
        problems.at(where(v), fmt::format("{} = {}: must be true or false", field, toml_shown(v)));
    } else if (key == "workplace") {
      if (auto name = read_name(v, field, problems)) {
        raw.workplace_name = *name;
        raw.workplace_node = &v;
      }
    } else if (key == "carer") {
      if (auto name = read_name(v, field, problems)) {
        raw.carer_name = *name;
        raw.carer_node = &v;
      }
    } else if (key == "arenas") {
      if (auto names = read_names(v, field, problems)) {
        if (names->size() > static_cast<std::size_t>(3))
          problems.at(where(v), fmt::format("{} = {}: at most 3 arenas besides the workplace",
                                            field, toml_shown(v)));
        else
          raw.arena_names = *names;
      }
    } else if (key == "services") {
      const toml::array* array = v.as_array();
      if (array == nullptr) {
        problems.at(where(v), fmt::format("{} = {}: must be an array, e.g. [\"cmhc\"]", field,
                                          toml_shown(v)));
      } else {
        for (std::size_t n = 0; n < array->size(); ++n)
          if (auto service = read_choice(*array->get(n), kEnrolServiceNames,
                                         fmt::format("{}[{}]", field, n), problems))
            c.services.push_back(*service);
      }
    } else {
      std::string suggestion;
      for (const char* known : kKeys) {
        std::map<std::string, std::uint32_t> one{{known, 0}};
        if (name_hint(key, one, "key").find("did you mean") != std::string::npos)
          suggestion = known;
      }
      problems.at(where(v),
                  fmt::format("{} = {}: unknown key{}; a [[person]] takes {}", field, toml_shown(v),
                              suggestion.empty() ? "" : "; did you mean " + suggestion + "?",
                              fmt::join(kKeys, ", ")));
    }
  }
  if (table.get("name") == nullptr)
    problems.at(where(table), fmt::format("{}: name is missing; e.g. name = \"Anna\"", context));
}

void read_cast(const toml::table& root, Scenario& scenario, Problems& problems) {
  // Arenas first: persons name them.
  std::map<std::string, std::uint32_t> arena_index;
  if (const toml::array* arenas = array_of_tables(root, "arena", problems)) {
    for (std::size_t k = 0; k < arenas->size(); ++k) {
      const toml::table& table = *arenas->get(k)->as_table();
      const std::string context = fmt::format("arena[{}]", k);
      NamedArena arena;
      arena.line = static_cast<int>(where(table).line);
      arena.climate = scenario.params.population.inclusion_climate_mean;
      bool good = true;
      for (auto&& [key, v] : table) {
        const std::string field = context + "." + std::string(key.str());
        if (key.str() == "name") {
          auto name = read_name(v, field, problems);
          good = good && name.has_value();
          if (name) arena.name = *name;
        } else if (key.str() == "kind") {
          auto kind = read_choice(v, kArenaKindNames, field, problems);
          good = good && kind.has_value();
          if (kind) arena.kind = *kind;
        } else if (key.str() == "climate") {
          auto climate = read_real(v, 0.0, 1.0, field, problems);
          good = good && climate.has_value();
          if (climate) arena.climate = *climate;
        } else {
          problems.at(where(v), fmt::format("{} = {}: unknown key; an [[arena]] takes name, kind "
                                            "and climate",
                                            field, toml_shown(v)));
        }
      }
      for (const char* needed : {"name", "kind"})
        if (table.get(needed) == nullptr) {
          problems.at(where(table), fmt::format("{}: {} is missing", context, needed));
          good = false;
        }
      if (!good) continue;
      if (const auto it = arena_index.find(arena.name); it != arena_index.end()) {
        problems.at(where(*table.get("name")),
                    fmt::format("{}.name = {}: declared twice (also at line {})", context,
                                toml_string(arena.name), scenario.arenas[it->second].line));
        continue;
      }
      arena_index.emplace(arena.name, static_cast<std::uint32_t>(scenario.arenas.size()));
      scenario.arenas.push_back(std::move(arena));
    }
  }

  // Persons, by name, in file order.
  std::vector<RawPerson> raw;
  std::map<std::string, std::uint32_t> by_name;  // file order index
  if (const toml::array* persons = array_of_tables(root, "person", problems)) {
    for (std::size_t k = 0; k < persons->size(); ++k) {
      const toml::table& table = *persons->get(k)->as_table();
      RawPerson r{&table, {}, {}, nullptr, {}, {}, nullptr};
      const std::string context = fmt::format("person[{}]", k);
      read_person(table, context, r, problems);
      if (r.character.name.empty()) continue;
      if (const auto it = by_name.find(r.character.name); it != by_name.end()) {
        problems.at(where(*table.get("name")),
                    fmt::format("{}.name = {}: declared twice (also at line {})", context,
                                toml_string(r.character.name), raw[it->second].character.line));
        continue;
      }
      by_name.emplace(r.character.name, static_cast<std::uint32_t>(raw.size()));
      raw.push_back(std::move(r));
    }
  }

  // Households: runs of persons; those in none live alone.
  std::vector<std::int64_t> household_of(raw.size(), -1);
  std::vector<std::vector<std::uint32_t>> households;
  if (const toml::array* list = array_of_tables(root, "household", problems)) {
    for (std::size_t k = 0; k < list->size(); ++k) {
      const toml::table& table = *list->get(k)->as_table();
      const std::string context = fmt::format("household[{}]", k);
      for (auto&& [key, v] : table)
        if (key.str() != "members")
          problems.at(where(v), fmt::format("{}.{} = {}: unknown key; a [[household]] takes "
                                            "members",
                                            context, key.str(), toml_shown(v)));
      const toml::node* members = table.get("members");
      if (members == nullptr) {
        problems.at(where(table), fmt::format("{}: members is missing; e.g. members = [\"Anna\", "
                                              "\"Tom\"]",
                                              context));
        continue;
      }
      const auto names = read_names(*members, context + ".members", problems);
      if (!names) continue;
      if (names->empty()) {
        problems.at(where(*members),
                    fmt::format("{}.members = []: needs at least one member", context));
        continue;
      }
      std::vector<std::uint32_t> run;
      for (const auto& [name, node] : *names) {
        const auto it = by_name.find(name);
        if (it == by_name.end()) {
          problems.at(where(*node), fmt::format("{}.members: \"{}\": {}", context, name,
                                                name_hint(name, by_name, "[[person]]")));
          continue;
        }
        if (household_of[it->second] >= 0) {
          problems.at(where(*node),
                      fmt::format("{}.members: \"{}\" already lives in household[{}]; a person "
                                  "belongs to one household",
                                  context, name, household_of[it->second]));
          continue;
        }
        household_of[it->second] = static_cast<std::int64_t>(k);
        run.push_back(it->second);
      }
      households.push_back(std::move(run));
    }
  }
  for (std::uint32_t r = 0; r < raw.size(); ++r)
    if (household_of[r] < 0) households.push_back({r});

  // Person numbers: household by household.
  std::vector<std::uint32_t> number(raw.size());
  std::map<std::string, std::uint32_t> person_number;
  for (const auto& members : households) {
    if (members.empty()) continue;
    scenario.character_households.push_back(static_cast<std::uint32_t>(scenario.characters.size()));
    for (const std::uint32_t r : members) {
      number[r] = static_cast<std::uint32_t>(scenario.characters.size());
      raw[r].character.household =
          static_cast<std::uint32_t>(scenario.character_households.size() - 1);
      person_number.emplace(raw[r].character.name, number[r]);
      scenario.characters.push_back(raw[r].character);
    }
  }
  scenario.character_households.push_back(static_cast<std::uint32_t>(scenario.characters.size()));
  auto& cast = scenario.characters;

  // References by name: workplace, arenas, carer.
  for (const RawPerson& r : raw) {
    Character& c = cast[person_number.at(r.character.name)];
    const std::string context = fmt::format("person \"{}\"", c.name);
    if (r.workplace_node != nullptr) {
      const auto it = arena_index.find(r.workplace_name);
      if (it == arena_index.end()) {
        problems.at(where(*r.workplace_node),
                    fmt::format("{}: workplace = {}: {}", context, toml_string(r.workplace_name),
                                name_hint(r.workplace_name, arena_index, "[[arena]]")));
      } else if (scenario.arenas[it->second].kind != 0) {
        problems.at(where(*r.workplace_node),
                    fmt::format("{}: workplace = {}: that arena is a {}, not a workplace", context,
                                toml_string(r.workplace_name),
                                kArenaKindNames[scenario.arenas[it->second].kind]));
      } else if (c.work && *c.work != 0) {
        problems.at(
            where(*r.workplace_node),
            fmt::format("{}: workplace = {}: only for work = \"employed\" (work is \"{}\")",
                        context, toml_string(r.workplace_name), kCharacterWorkNames[*c.work]));
      } else {
        c.workplace = static_cast<int>(it->second);
        c.work = 0;
      }
    } else if (c.work && *c.work == 0) {
      problems.at(where(*r.table), fmt::format("{}: work = \"employed\" needs a workplace = "
                                               "\"...\" naming an [[arena]] of kind workplace",
                                               context));
    }
    for (const auto& [name, node] : r.arena_names) {
      const auto it = arena_index.find(name);
      if (it == arena_index.end()) {
        problems.at(where(*node), fmt::format("{}: arenas: \"{}\": {}", context, name,
                                              name_hint(name, arena_index, "[[arena]]")));
      } else if (scenario.arenas[it->second].kind == 0) {
        problems.at(where(*node), fmt::format("{}: arenas: \"{}\" is a workplace; name it with "
                                              "workplace = \"{}\"",
                                              context, name, name));
      } else if (std::find(c.arenas.begin(), c.arenas.end(), static_cast<int>(it->second)) !=
                 c.arenas.end()) {
        problems.at(where(*node), fmt::format("{}: arenas: \"{}\" is listed twice", context, name));
      } else {
        c.arenas.push_back(static_cast<int>(it->second));
      }
    }
    if (r.carer_node != nullptr) {
      const auto it = person_number.find(r.carer_name);
      if (it == person_number.end()) {
        problems.at(where(*r.carer_node),
                    fmt::format("{}: carer = {}: {}", context, toml_string(r.carer_name),
                                name_hint(r.carer_name, person_number, "[[person]]")));
      } else if (it->second == person_number.at(c.name)) {
        problems.at(where(*r.carer_node),
                    fmt::format("{}: carer = {}: a person cannot be their own carer", context,
                                toml_string(r.carer_name)));
      } else if (cast[it->second].household != c.household) {
        problems.at(where(*r.carer_node),
                    fmt::format("{}: carer = {}: the carer must live in the same [[household]]",
                                context, toml_string(r.carer_name)));
      } else if (!c.profile || *c.profile == 0) {
        problems.at(where(*r.carer_node),
                    fmt::format("{}: carer = {}: only a person in recovery has a carer; give "
                                "{} a profile other than \"none\"",
                                context, toml_string(r.carer_name), c.name));
      } else {
        c.carer = it->second;
      }
    }
  }
  // One person cares for one other; a carer is not in recovery; style only for carers.
  const auto at_line = [](int line) {
    return toml::source_position{static_cast<toml::source_index>(line), 1};
  };
  std::vector<std::int64_t> cares_for(cast.size(), -1);
  for (std::uint32_t i = 0; i < cast.size(); ++i) {
    if (cast[i].carer < 0) continue;
    const auto carer = static_cast<std::uint32_t>(cast[i].carer);
    if (cares_for[carer] >= 0) {
      problems.at(at_line(cast[i].line),
                  fmt::format("person \"{}\": carer = \"{}\": already the carer of \"{}\"; a "
                              "carer cares for one person",
                              cast[i].name, cast[carer].name,
                              cast[static_cast<std::size_t>(cares_for[carer])].name));
    } else if (cast[carer].profile && *cast[carer].profile != 0) {
      problems.at(at_line(cast[i].line),
                  fmt::format("person \"{}\": carer = \"{}\": a carer has profile = \"none\" (the "
                              "model's carers are not in recovery themselves)",
                              cast[i].name, cast[carer].name));
    } else if (cast[carer].carer >= 0) {
      problems.at(at_line(cast[i].line),
                  fmt::format("person \"{}\": carer = \"{}\": the carer has a carer of their own",
                              cast[i].name, cast[carer].name));
    } else {
      cares_for[carer] = i;
    }
  }
  for (std::uint32_t i = 0; i < cast.size(); ++i)
    if (cares_for[i] < 0 && (cast[i].style || cast[i].burden))
      problems.at(at_line(cast[i].line),
                  fmt::format("person \"{}\": style and burden are for a carer; name \"{}\" as "
                              "someone's carer (carer = \"{}\" on the person cared for)",
                              cast[i].name, cast[i].name, cast[i].name));

  // Ties between characters.
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> declared;  // pair -> line
  std::vector<int> partners(cast.size(), 0);
  if (const toml::array* ties = array_of_tables(root, "tie", problems)) {
    for (std::size_t k = 0; k < ties->size(); ++k) {
      const toml::table& table = *ties->get(k)->as_table();
      const std::string context = fmt::format("tie[{}]", k);
      CharacterTie tie;
      tie.line = static_cast<int>(where(table).line);
      bool good = true;
      std::optional<std::uint32_t> ends[2];
      const toml::node* between = table.get("between");
      for (auto&& [key, v] : table) {
        const std::string field = context + "." + std::string(key.str());
        if (key.str() == "between") {
          const auto names = read_names(v, field, problems);
          if (!names) {
            good = false;
          } else if (names->size() != 2) {
            problems.at(where(v), fmt::format("{} = {}: must name two persons, e.g. [\"Anna\", "
                                              "\"Tom\"]",
                                              field, toml_shown(v)));
            good = false;
          } else {
            for (int e = 0; e < 2; ++e) {
              const auto& [name, node] = (*names)[static_cast<std::size_t>(e)];
              const auto it = person_number.find(name);
              if (it == person_number.end()) {
                problems.at(where(*node),
                            fmt::format("{}: \"{}\": {}", field, name,
                                        name_hint(name, person_number, "[[person]]")));
                good = false;
              } else {
                ends[e] = it->second;
              }
            }
          }
        } else if (key.str() == "relation") {
          const auto relation = read_choice(v, kCharacterRelationNames, field, problems);
          good = good && relation.has_value();
          if (relation) tie.relation = *relation;
        } else if (key.str() == "strength") {
          tie.strength = read_real(v, 0.0, 1.0, field, problems);
          good = good && tie.strength.has_value();
        } else if (key.str() == "kind") {
          if (const toml::array* views = v.as_array()) {
            if (views->size() != 2) {
              problems.at(where(v), fmt::format("{} = {}: must be one kind for both, or two (the "
                                                "first person's view, then the second's)",
                                                field, toml_shown(v)));
              good = false;
            } else {
              const auto ab =
                  read_choice(*views->get(0), kCharacterTieKindNames, field + "[0]", problems);
              const auto ba =
                  read_choice(*views->get(1), kCharacterTieKindNames, field + "[1]", problems);
              good = good && ab && ba;
              tie.kind_ab = ab.value_or(0);
              tie.kind_ba = ba.value_or(0);
            }
          } else {
            const auto both = read_choice(v, kCharacterTieKindNames, field, problems);
            good = good && both.has_value();
            tie.kind_ab = tie.kind_ba = both.value_or(0);
          }
        } else {
          problems.at(where(v), fmt::format("{} = {}: unknown key; a [[tie]] takes between, "
                                            "relation, strength and kind",
                                            field, toml_shown(v)));
        }
      }
      for (const char* needed : {"between", "relation"})
        if (table.get(needed) == nullptr) {
          problems.at(where(table), fmt::format("{}: {} is missing", context, needed));
          good = false;
        }
      if (!good || !ends[0] || !ends[1]) continue;
      const std::uint32_t a = *ends[0], b = *ends[1];
      if (a == b) {
        problems.at(where(*between), fmt::format("{}.between: a tie joins two different persons "
                                                 "(\"{}\" twice)",
                                                 context, cast[a].name));
        continue;
      }
      const auto pair = std::minmax(a, b);
      if (const auto it = declared.find(pair); it != declared.end()) {
        problems.at(where(*between),
                    fmt::format("{}.between: \"{}\" and \"{}\" already have a tie (line {})",
                                context, cast[a].name, cast[b].name, it->second));
        continue;
      }
      const bool together = cast[a].household == cast[b].household;
      const bool in_home = tie.relation <= 1;  // partner, household
      if (together != in_home) {
        problems.at(where(*table.get("relation")),
                    fmt::format("{}.relation = \"{}\": {} and {} {} the same household, so the "
                                "relation must be {}",
                                context, kCharacterRelationNames[tie.relation], cast[a].name,
                                cast[b].name, together ? "live in" : "do not live in",
                                together ? "\"partner\" or \"household\""
                                         : "\"kin\", \"friend\" or \"coworker\""));
        continue;
      }
      if (tie.relation == 0 && (partners[a] > 0 || partners[b] > 0)) {
        problems.at(where(*table.get("relation")),
                    fmt::format("{}.relation = \"partner\": \"{}\" has a partner already", context,
                                partners[a] > 0 ? cast[a].name : cast[b].name));
        continue;
      }
      if (tie.relation == 0) partners[a] = partners[b] = 1;
      declared.emplace(pair, tie.line);
      if (a > b) {
        std::swap(tie.kind_ab, tie.kind_ba);
        tie.a = b;
        tie.b = a;
      } else {
        tie.a = a;
        tie.b = b;
      }
      scenario.character_ties.push_back(tie);
    }
  }
  // Members of a household not tied by a [[tie]] get a supportive household tie.
  const auto& starts = scenario.character_households;
  for (std::size_t h = 0; h + 1 < starts.size(); ++h)
    for (std::uint32_t a = starts[h]; a < starts[h + 1]; ++a)
      for (std::uint32_t b = a + 1; b < starts[h + 1]; ++b)
        if (!declared.contains({a, b})) {
          CharacterTie tie;
          tie.a = a;
          tie.b = b;
          tie.relation = 1;
          tie.line = cast[a].line;
          scenario.character_ties.push_back(tie);
        }
  std::sort(scenario.character_ties.begin(), scenario.character_ties.end(),
            [](const CharacterTie& x, const CharacterTie& y) {
              return std::pair(x.a, x.b) < std::pair(y.a, y.b);
            });
}

// A per-person timeline entry: person (and other, amount or service) by name.
void read_person_action(const toml::table& entry, const std::string& context, Intervention base,
                        const std::vector<Character>& cast, std::vector<Intervention>& out,
                        Problems& problems) {
  std::map<std::string, std::uint32_t> names;
  for (std::uint32_t i = 0; i < cast.size(); ++i) names.emplace(cast[i].name, i);
  bool good = true;
  const bool tie_action = is_tie_action(base.action);
  const auto person = [&](const char* key, std::uint32_t& id, std::string& name) {
    const toml::node* node = entry.get(key);
    if (node == nullptr) {
      problems.at(where(entry), fmt::format("{}: {} is missing; name a [[person]], e.g. {} = "
                                            "\"Anna\"",
                                            context, key, key));
      good = false;
      return;
    }
    const auto given = read_name(*node, fmt::format("{}.{}", context, key), problems);
    if (!given) {
      good = false;
      return;
    }
    const auto it = names.find(*given);
    if (it == names.end()) {
      problems.at(where(*node), fmt::format("{}.{} = {}: {}", context, key, toml_string(*given),
                                            name_hint(*given, names, "[[person]]")));
      good = false;
      return;
    }
    id = it->second;
    name = *given;
  };
  person("person", base.person, base.person_name);
  if (tie_action) {
    person("other", base.other, base.other_name);
    if (good && base.person == base.other) {
      problems.at(where(*entry.get("other")),
                  fmt::format("{}.other: a tie joins two different persons", context));
      good = false;
    }
  }
  const toml::node* amount = entry.get("amount");
  const toml::node* service = entry.get("service");
  for (const char* stray : {"arena_kind", "share"})
    if (const toml::node* node = entry.get(stray)) {
      problems.at(where(*node), fmt::format("{}.{} = {}: belongs with close_arenas or "
                                            "open_arenas",
                                            context, stray, toml_shown(*node)));
      good = false;
    }
  if (amount != nullptr && base.action != 2) {
    problems.at(where(*amount), fmt::format("{}.amount = {}: only for action = \"soften_tie\"",
                                            context, toml_shown(*amount)));
    good = false;
  } else if (amount != nullptr) {
    const auto v = read_real(*amount, 0.0, 1.0, context + ".amount", problems);
    good = good && v.has_value();
    base.amount = v.value_or(0.5);
  }
  if (!tie_action)
    if (const toml::node* other = entry.get("other")) {
      problems.at(where(*other), fmt::format("{}.other = {}: only for the tie actions", context,
                                             toml_shown(*other)));
      good = false;
    }
  if (base.action == 1) {
    if (service == nullptr) {
      problems.at(where(entry),
                  fmt::format("{}: service is missing; e.g. service = \"cmhc\"", context));
      good = false;
    } else if (const auto k =
                   read_choice(*service, kEnrolServiceNames, context + ".service", problems)) {
      base.service = kEnrolServiceNames[*k];
    } else {
      good = false;
    }
  } else if (service != nullptr) {
    problems.at(where(*service), fmt::format("{}.service = {}: only for action = \"enrol\"",
                                             context, toml_shown(*service)));
    good = false;
  }
  if (good) out.push_back(std::move(base));
}

void read_action(const toml::table& entry, const toml::node& action, const std::string& context,
                 Intervention base, const std::vector<Character>& cast,
                 std::vector<Intervention>& out, Problems& problems) {
  bool good = true;
  const auto* name = action.as_string();
  const auto person_action =
      name == nullptr ? std::end(kPersonActionNames)
                      : std::find_if(std::begin(kPersonActionNames), std::end(kPersonActionNames),
                                     [&](const char* k) { return name->get() == k; });
  if (person_action != std::end(kPersonActionNames)) {
    base.kind = Intervention::Kind::PersonAction;
    base.action = static_cast<int>(person_action - std::begin(kPersonActionNames));
    read_person_action(entry, context, base, cast, out, problems);
    return;
  }
  if (name != nullptr && name->get() == "close_arenas") {
    base.kind = Intervention::Kind::CloseArenas;
  } else if (name != nullptr && name->get() == "open_arenas") {
    base.kind = Intervention::Kind::OpenArenas;
  } else {
    std::vector<std::string> names{"\"close_arenas\"", "\"open_arenas\""};
    for (const char* k : kPersonActionNames) names.push_back(toml_string(k));
    problems.at(where(action), fmt::format("{}.action = {}: must be one of {}", context,
                                           toml_shown(action), fmt::join(names, ", ")));
    good = false;
  }
  std::vector<std::string> kinds;
  for (const char* kind : kArenaKindNames) kinds.push_back(toml_string(kind));
  const toml::node* kind = entry.get("arena_kind");
  const auto* kind_name = kind == nullptr ? nullptr : kind->as_string();
  const auto found = kind_name == nullptr
                         ? std::end(kArenaKindNames)
                         : std::find_if(std::begin(kArenaKindNames), std::end(kArenaKindNames),
                                        [&](const char* k) { return kind_name->get() == k; });
  if (kind == nullptr) {
    problems.at(where(entry), fmt::format("{}: arena_kind is missing; it must be one of {}",
                                          context, fmt::join(kinds, ", ")));
    good = false;
  } else if (found == std::end(kArenaKindNames)) {
    problems.at(where(*kind), fmt::format("{}.arena_kind = {}: must be one of {}", context,
                                          toml_shown(*kind), fmt::join(kinds, ", ")));
    good = false;
  } else {
    base.arena_kind = static_cast<int>(found - std::begin(kArenaKindNames));
  }
  if (const toml::node* share = entry.get("share")) {
    std::optional<double> v;
    if (const auto* i = share->as_integer()) v = static_cast<double>(i->get());
    if (const auto* f = share->as_floating_point()) v = f->get();
    if (!v || !std::isfinite(*v) || *v < 0.0 || *v > 1.0) {
      problems.at(where(*share), fmt::format("{}.share = {}: must be a number from 0 to 1 (share "
                                             "of the arenas of that kind)",
                                             context, toml_shown(*share)));
      good = false;
    } else {
      base.share = *v;
    }
  }
  if (good) out.push_back(std::move(base));
}

void read_timeline(const toml::node& node, std::int64_t weeks, const std::vector<Character>& cast,
                   std::vector<Intervention>& out, Problems& problems) {
  const toml::array* entries = node.as_array();
  if (entries == nullptr) {
    problems.at(where(node), fmt::format("timeline = {}: must be an array of tables, written "
                                         "[[timeline]] then week = 52 and set = {{ ... }}",
                                         toml_shown(node)));
    return;
  }
  for (std::size_t index = 0; index < entries->size(); ++index) {
    const toml::node& item = *entries->get(index);
    const std::string context = fmt::format("timeline[{}]", index);
    const toml::table* entry = item.as_table();
    if (entry == nullptr) {
      problems.at(where(item), fmt::format("{} = {}: must be a table, written [[timeline]]",
                                           context, toml_shown(item)));
      continue;
    }
    for (auto&& [k, v] : *entry) {
      const std::string_view key = k.str();
      if (key == "label" && !v.is_string())
        problems.at(where(v),
                    fmt::format("{}.label = {}: must be a string", context, toml_shown(v)));
      if (key != "week" && key != "label" && key != "set" && key != "action" &&
          key != "arena_kind" && key != "share" && key != "person" && key != "other" &&
          key != "amount" && key != "service")
        problems.at(where(v), fmt::format("{}.{} = {}: unknown key; a timeline entry takes week, "
                                          "label, and either set or action (with arena_kind and "
                                          "share, or person, other, amount and service)",
                                          context, key, toml_shown(v)));
    }
    const std::optional<std::int64_t> week = read_week(*entry, context, weeks, problems);
    Intervention base;
    base.week = week.value_or(0);
    base.line = static_cast<int>(where(*entry).line);
    const toml::node* set = entry->get("set");
    const toml::node* action = entry->get("action");
    std::vector<Intervention> found;
    if (set != nullptr && action != nullptr) {
      problems.at(where(*entry), fmt::format("{}: has both set and action; use one [[timeline]] "
                                             "entry for each",
                                             context));
    } else if (set != nullptr) {
      for (const char* only_action : {"arena_kind", "share"})
        if (const toml::node* stray = entry->get(only_action))
          problems.at(where(*stray), fmt::format("{}.{} = {}: belongs with action, not set",
                                                 context, only_action, toml_shown(*stray)));
      read_set(*set, context, base, found, problems);
    } else if (action != nullptr) {
      read_action(*entry, *action, context, base, cast, found, problems);
    } else {
      problems.at(where(*entry),
                  fmt::format("{}: needs set = {{ ... }} or action = \"close_arenas\" / "
                              "\"open_arenas\"",
                              context));
    }
    if (week) out.insert(out.end(), found.begin(), found.end());
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The timeline can break a rule that the starting values keep (e.g. lower
// acute_threshold below struggling_threshold in week 52), so the parameters are
// checked again after each week's changes. Only rules newly broken are reported.
void check_timeline_consistency(const Scenario& scenario, Problems& problems) {
  Params params = scenario.params;
  std::vector<std::string> before = lines_of(check_consistency(params));
  const auto& timeline = scenario.timeline;
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    if (timeline[i].kind == Intervention::Kind::Set) {
      const ParamInfo* info = find_param(timeline[i].key);
      RIPPLE_CHECK(info != nullptr, "timeline entry with an unchecked key");
      info->set(params, timeline[i].value);
    }
    const bool last_of_week = i + 1 == timeline.size() || timeline[i + 1].week != timeline[i].week;
    if (!last_of_week) continue;
    std::vector<std::string> now = lines_of(check_consistency(params));
    for (const std::string& line : now)
      if (std::find(before.begin(), before.end(), line) == before.end())
        problems.general(
            fmt::format("after the timeline changes of week {}: {}", timeline[i].week, line));
    before = std::move(now);
  }
}

// A world of characters only (population.generated = false): refused without a
// [[person]]; otherwise every staffed service the scenario opens, at the start or by its
// timeline, gets one worker of its own, appended to the cast living alone, so that
// referrals find someone (a generated town would hire them from its persons).
void add_service_staff(const std::vector<Leaf>& leaves, const std::vector<std::string>& overrides,
                       Scenario& scenario, Problems& problems) {
  if (scenario.params.population.generated) return;
  if (scenario.characters.empty()) {
    const std::string why =
        "a world of characters only needs at least one [[person]] (e.g. [[person]] name = "
        "\"Anna\"); declare the story's persons, or set generated = true for a generated town";
    std::string from_set;
    for (const std::string& arg : overrides)
      if (arg.starts_with("population.generated")) from_set = arg;
    const Leaf* leaf = nullptr;
    for (const Leaf& l : leaves)
      if (l.key == "population.generated") leaf = &l;
    if (!from_set.empty())
      problems.bare(fmt::format("--set {}: {}", from_set, why));
    else if (leaf != nullptr)
      problems.at(leaf->where, fmt::format("population.generated = false: {}", why));
    else
      problems.general(fmt::format("population.generated = false: {}", why));
    return;
  }
  // Names in the order of kEnrolServiceNames.
  constexpr const char* kStaffNames[] = {
      "CMHC clinician", "Outreach worker", "Open Dialogue therapist", "IPS employment specialist",
      "Peer worker",    "Care coordinator"};
  static_assert(std::size(kStaffNames) == std::size(kEnrolServiceNames));
  auto opened = [](const Params& p, std::string_view service) {
    const ParamInfo* enabled = find_param(fmt::format("services.{}.enabled", service));
    const ParamInfo* staff = find_param(fmt::format("services.{}.staff_per_10k", service));
    RIPPLE_CHECK(enabled != nullptr && staff != nullptr, "staffed service without its keys");
    return enabled->get(p) != 0.0 && staff->get(p) > 0.0;
  };
  std::vector<bool> needed(std::size(kEnrolServiceNames), false);
  Params params = scenario.params;
  for (std::size_t k = 0; k <= scenario.timeline.size(); ++k) {
    if (k > 0 && scenario.timeline[k - 1].kind == Intervention::Kind::Set) {
      const ParamInfo* info = find_param(scenario.timeline[k - 1].key);
      RIPPLE_CHECK(info != nullptr, "timeline entry with an unchecked key");
      info->set(params, scenario.timeline[k - 1].value);
    }
    for (std::size_t s = 0; s < needed.size(); ++s)
      needed[s] = needed[s] || opened(params, kEnrolServiceNames[s]);
  }
  std::set<std::string> taken;
  for (const Character& c : scenario.characters) taken.insert(c.name);
  for (std::size_t s = 0; s < needed.size(); ++s) {
    if (!needed[s]) continue;
    Character worker;
    worker.name = kStaffNames[s];
    // A story may already have someone of that name: the worker gets a number.
    for (int copy = 2; taken.contains(worker.name); ++copy)
      worker.name = fmt::format("{} {}", kStaffNames[s], copy);
    taken.insert(worker.name);
    worker.staff = static_cast<int>(s);
    // Workers are not in recovery, except peer workers, who are and are well.
    const bool peer = std::string_view(kEnrolServiceNames[s]) == "peer_support";
    worker.profile = peer ? 3 : 0;  // kCharacterProfileNames: "depression" / "none"
    if (peer) worker.symptoms = 0.05;
    worker.household = static_cast<std::uint32_t>(scenario.character_households.size() - 1);
    scenario.characters.push_back(std::move(worker));
    scenario.character_households.push_back(static_cast<std::uint32_t>(scenario.characters.size()));
  }
}

}  // namespace

std::string Intervention::describe() const {
  const auto percent = [](double fraction) {
    return fraction >= 1.0 ? std::string("all") : fmt::format("{:.4g}% of", fraction * 100.0);
  };
  const char* kind_name =
      arena_kind >= 0 && arena_kind < static_cast<int>(std::size(kArenaKindNames))
          ? kArenaKindNames[arena_kind]
          : "?";
  switch (kind) {
    case Kind::Set: {
      const ParamInfo* info = find_param(key);
      return fmt::format("week {}: set {} = {}", week, key,
                         info != nullptr ? format_value(*info, value) : fmt::format("{}", value));
    }
    case Kind::CloseArenas:
      return fmt::format("week {}: close {} {} arenas", week, percent(share), kind_name);
    case Kind::OpenArenas:
      return fmt::format("week {}: reopen {} closed {} arenas", week,
                         share >= 1.0 ? std::string("all") : percent(share) + " the", kind_name);
    case Kind::PersonAction:
      switch (action) {
        case 0:
          return fmt::format("week {}: psychoeducation for the family of {}", week, person_name);
        case 1:
          return fmt::format("week {}: enrol {} in {}", week, person_name, service);
        case 2:
          return fmt::format("week {}: soften the tie {} - {} by {:.4g}%", week, person_name,
                             other_name, amount * 100.0);
        case 3:
          return fmt::format("week {}: remove the tie {} - {}", week, person_name, other_name);
        case 5:
          return fmt::format("week {}: {} feels devalued by {} (the tie turns stressor)", week,
                             person_name, other_name);
        case 6:
          return fmt::format("week {}: {} consents to involving the family", week, person_name);
        case 7:
          return fmt::format("week {}: {} withdraws consent to involving the family", week,
                             person_name);
        default:
          return fmt::format("week {}: {}'s side of the tie to {} turns supportive", week,
                             person_name, other_name);
      }
  }
  return fmt::format("week {}: ?", week);
}

Scenario parse_scenario(std::string_view text, const std::string& name,
                        const std::vector<std::string>& overrides) {
  Problems problems(name);
  Scenario scenario;
  scenario.name = std::filesystem::path(name).stem().string();
  scenario.path = "<string>";
  scenario.text = std::string(text);
  scenario.overrides = overrides;

  check_text(text, problems);
  if (!problems.empty()) problems.raise();
  const Parsed parsed = parse_toml(text, name);
  if (!parsed.table) {
    problems.at(parsed.where, parsed.error);
    problems.raise();
  }
  const toml::table& root = *parsed.table;

  if (const toml::node* table = root.get("scenario"))
    read_scenario_table(*table, scenario, problems);
  std::vector<Leaf> leaves;
  flatten(root, "", leaves, {"scenario", "timeline", "person", "household", "tie", "arena"});
  report_repeats(leaves, "", problems);
  for (const Leaf& leaf : leaves)
    if (const auto checked = check_leaf(leaf, "", problems))
      checked->first->set(scenario.params, checked->second);

  apply_overrides(overrides, scenario.params, problems);
  read_cast(root, scenario, problems);

  if (const toml::node* timeline = root.get("timeline"))
    read_timeline(*timeline, scenario.params.run.weeks, scenario.characters, scenario.timeline,
                  problems);
  std::stable_sort(scenario.timeline.begin(), scenario.timeline.end(),
                   [](const Intervention& a, const Intervention& b) { return a.week < b.week; });
  add_service_staff(leaves, overrides, scenario, problems);

  for (const std::string& line : lines_of(check_consistency(scenario.params)))
    problems.general(line);
  check_timeline_consistency(scenario, problems);

  if (!problems.empty()) problems.raise();
  return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError("(no path): a scenario file must be named");
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    throw InputError(fmt::format("{}: no such file", path));
  if (error) throw InputError(fmt::format("{}: cannot read: {}", path, error.message()));
  if (status.type() == fs::file_type::directory)
    throw InputError(fmt::format("{}: is a directory, not a scenario file", path));
  if (status.type() != fs::file_type::regular)
    throw InputError(fmt::format("{}: not a regular file", path));

  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(
        fmt::format("{}: cannot open: {}", path, std::generic_category().message(errno)));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad())
    throw InputError(
        fmt::format("{}: cannot read: {}", path, std::generic_category().message(errno)));

  Scenario scenario = parse_scenario(text, path, overrides);
  scenario.path = path;
  return scenario;
}

std::string to_toml(const Params& params) {
  // Tables in the order the parameter table first names them; in TOML a [table]
  // may be opened only once.
  std::vector<std::pair<std::string_view, std::vector<const ParamInfo*>>> tables;
  for (const ParamInfo& info : parameter_table()) {
    const std::size_t dot = info.key.rfind('.');
    const std::string_view table = dot == std::string_view::npos ? "" : info.key.substr(0, dot);
    auto it =
        std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.first == table; });
    if (it == tables.end()) it = tables.insert(tables.end(), {table, {}});
    it->second.push_back(&info);
  }
  // Keys outside any table must come before the first [table] header.
  std::stable_partition(tables.begin(), tables.end(),
                        [](const auto& t) { return t.first.empty(); });
  std::string out = "# Every Ripple parameter, as resolved (defaults included).\n";
  for (const auto& [table, infos] : tables) {
    if (!table.empty()) out += fmt::format("\n[{}]\n", table);
    for (const ParamInfo* info : infos)
      out += fmt::format("{} = {}\n", info->leaf, format_value(*info, info->get(params)));
  }
  return out;
}

namespace {

void overlay_leaves(const toml::table& table, const std::string& prefix, const std::string& path,
                    std::vector<std::string>& out, std::vector<int>& lines) {
  for (const auto& [key, node] : table) {
    const std::string k = prefix + std::string(key.str());
    const auto line = node.source().begin.line;
    if (const auto* sub = node.as_table()) {
      overlay_leaves(*sub, k + ".", path, out, lines);
      continue;
    } else if (const auto text = toml_text(node)) {
      out.push_back(k + "=" + *text);
    } else {
      throw InputError(
          fmt::format("{}:{}: {}: an overlay holds parameter values only", path, line, k));
    }
    lines.push_back(static_cast<int>(line));
  }
}

}  // namespace

std::vector<std::string> read_overlay(const std::string& path, std::vector<int>* lines) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw InputError(path + ": no such overlay file");
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: not valid TOML: {}", path, e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  std::vector<std::string> out;
  std::vector<int> found;
  overlay_leaves(doc, "", path, out, found);
  if (lines != nullptr) *lines = found;
  return out;
}

std::string name_overlay_values(std::string message, const std::string& path,
                                const std::vector<std::string>& values,
                                const std::vector<int>& lines) {
  for (std::size_t k = 0; k < values.size() && k < lines.size(); ++k) {
    const std::string from = "--set " + values[k];
    const std::string to = fmt::format("{}:{}: {}", path, lines[k], values[k]);
    for (auto at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size()))
      message.replace(at, from.size(), to);
  }
  return message;
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::optional<std::string> toml_text(const toml::node& node) {
  if (const auto* v = node.as_integer()) return fmt::format("{}", v->get());
  if (const auto* v = node.as_floating_point()) {
    std::string s = fmt::format("{}", v->get());
    if (std::isfinite(v->get()) && s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
  }
  if (const auto* v = node.as_boolean()) return v->get() ? "true" : "false";
  if (const auto* v = node.as_string()) return toml_string(v->get());
  return std::nullopt;
}

std::string toml_shown(const toml::node& node) {
  if (auto text = toml_text(node)) return *text;
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return node.as_array()->empty() ? "[]" : "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

}  // namespace ripple::scenario
