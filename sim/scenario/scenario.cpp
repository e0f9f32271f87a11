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
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "ripple/errors.hpp"

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

// A float keeps its decimal point, so "2.0" given for an integer does not read as "2".
std::string show_float(double v) {
  std::string s = fmt::format("{}", v);
  if (std::isfinite(v) && s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

// The value as the user wrote it, near enough to find it in the file.
std::string show(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return toml_string(node.as_string()->get());
    case toml::node_type::integer:
      return fmt::format("{}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return show_float(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
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
                                context, leaf.key, show(*leaf.node), example->key,
                                format_value(*example, example->default_value)));
    } else if (leaf.node->is_table()) {
      const std::string suggestion = suggest_param(leaf.key);
      problems.at(
          leaf.where,
          fmt::format("{}[{}]: unknown table{}", context, leaf.key,
                      suggestion.empty() ? std::string() : "; did you mean " + suggestion + "?"));
    } else {
      problems.at(leaf.where, fmt::format("{}{} = {}: {}", context, leaf.key, show(*leaf.node),
                                          unknown_key(leaf.key)));
    }
    return std::nullopt;
  }
  const std::optional<double> v = value_of(*info, *leaf.node);
  if (!v) {
    problems.at(leaf.where,
                fmt::format("{}{} = {}: {}", context, leaf.key, show(*leaf.node), rule(*info)));
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
      problems.at(leaf.where, fmt::format("{}{} = {}: set twice (also at line {})", context,
                                          leaf.key, show(*leaf.node), it->second->where.line));
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
                                         show(node)));
    return;
  }
  for (auto&& [k, v] : *table) {
    const std::string key(k.str());
    const auto* s = v.as_string();
    if (key == "name" || key == "description") {
      if (s == nullptr || (key == "name" && s->get().empty()))
        problems.at(where(v), fmt::format("scenario.{} = {}: must be a{} string", key, show(v),
                                          key == "name" ? " non-empty" : ""));
      else
        (key == "name" ? scenario.name : scenario.description) = s->get();
    } else {
      problems.at(where(v), fmt::format("scenario.{} = {}: unknown key; [scenario] takes name "
                                        "and description",
                                        key, show(v)));
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
                                          context, show(*node), weeks - 1, weeks));
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
                                         context, show(node)));
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
                              context, leaf.key, show(*leaf.node)));
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

void read_action(const toml::table& entry, const toml::node& action, const std::string& context,
                 Intervention base, std::vector<Intervention>& out, Problems& problems) {
  bool good = true;
  const auto* name = action.as_string();
  if (name != nullptr && name->get() == "close_arenas") {
    base.kind = Intervention::Kind::CloseArenas;
  } else if (name != nullptr && name->get() == "open_arenas") {
    base.kind = Intervention::Kind::OpenArenas;
  } else {
    problems.at(where(action), fmt::format("{}.action = {}: must be \"close_arenas\" or "
                                           "\"open_arenas\"",
                                           context, show(action)));
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
                                          show(*kind), fmt::join(kinds, ", ")));
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
                                             context, show(*share)));
      good = false;
    } else {
      base.share = *v;
    }
  }
  if (good) out.push_back(std::move(base));
}

void read_timeline(const toml::node& node, std::int64_t weeks, std::vector<Intervention>& out,
                   Problems& problems) {
  const toml::array* entries = node.as_array();
  if (entries == nullptr) {
    problems.at(where(node), fmt::format("timeline = {}: must be an array of tables, written "
                                         "[[timeline]] then week = 52 and set = {{ ... }}",
                                         show(node)));
    return;
  }
  for (std::size_t index = 0; index < entries->size(); ++index) {
    const toml::node& item = *entries->get(index);
    const std::string context = fmt::format("timeline[{}]", index);
    const toml::table* entry = item.as_table();
    if (entry == nullptr) {
      problems.at(where(item), fmt::format("{} = {}: must be a table, written [[timeline]]",
                                           context, show(item)));
      continue;
    }
    for (auto&& [k, v] : *entry) {
      const std::string_view key = k.str();
      if (key == "label" && !v.is_string())
        problems.at(where(v), fmt::format("{}.label = {}: must be a string", context, show(v)));
      if (key != "week" && key != "label" && key != "set" && key != "action" &&
          key != "arena_kind" && key != "share")
        problems.at(where(v), fmt::format("{}.{} = {}: unknown key; a timeline entry takes week, "
                                          "label, and either set or action (with arena_kind and "
                                          "share)",
                                          context, key, show(v)));
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
                                                 context, only_action, show(*stray)));
      read_set(*set, context, base, found, problems);
    } else if (action != nullptr) {
      read_action(*entry, *action, context, base, found, problems);
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
  flatten(root, "", leaves, {"scenario", "timeline"});
  report_repeats(leaves, "", problems);
  for (const Leaf& leaf : leaves)
    if (const auto checked = check_leaf(leaf, "", problems))
      checked->first->set(scenario.params, checked->second);

  apply_overrides(overrides, scenario.params, problems);

  if (const toml::node* timeline = root.get("timeline"))
    read_timeline(*timeline, scenario.params.run.weeks, scenario.timeline, problems);
  std::stable_sort(scenario.timeline.begin(), scenario.timeline.end(),
                   [](const Intervention& a, const Intervention& b) { return a.week < b.week; });

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

}  // namespace ripple::scenario
