// Reading and checking sweep files (docs/SWEEPS.md). Every problem is collected and
// reported at once, each with the file, line and column it was found at.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ripple/errors.hpp"
#include "scenario/toml_text.hpp"
#include "sweep/sweep.hpp"

namespace ripple::sweep {
namespace {

using scenario::ParamInfo;
using scenario::ParamType;

class Problems {
 public:
  explicit Problems(std::string name) : name_(std::move(name)) {}
  void at(const toml::source_position& where, const std::string& text) {
    if (where.line == 0) {
      lines_.push_back({0, 0, fmt::format("{}: {}", name_, text)});
      return;
    }
    lines_.push_back({where.line, where.column,
                      fmt::format("{}:{}:{}: {}", name_, where.line, where.column, text)});
  }
  void general(const std::string& text) { at({}, text); }
  bool empty() const { return lines_.empty(); }
  void throw_if_any() {
    if (lines_.empty()) return;
    std::stable_sort(lines_.begin(), lines_.end(), [](const Line& a, const Line& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    std::string message =
        lines_.size() == 1 ? std::string() : fmt::format("{} problems:\n", lines_.size());
    for (std::size_t i = 0; i < lines_.size(); ++i) message += (i > 0 ? "\n" : "") + lines_[i].text;
    throw InputError(message);
  }

 private:
  struct Line {
    std::uint32_t line, column;
    std::string text;
  };
  std::string name_;
  std::vector<Line> lines_;
};

toml::source_position where(const toml::node& node) { return node.source().begin; }

// The value of `node` for parameter `info`, or a reason it cannot be one.
std::optional<double> param_value(const ParamInfo& info, const toml::node& node, std::string& why) {
  std::optional<double> value;
  switch (info.type) {
    case ParamType::Real:
      if (const auto* v = node.as_floating_point()) value = v->get();
      if (const auto* v = node.as_integer()) value = static_cast<double>(v->get());
      if (!value) why = "must be a number";
      break;
    case ParamType::Int:
      if (const auto* v = node.as_integer()) value = static_cast<double>(v->get());
      if (!value) why = "must be a whole number";
      break;
    case ParamType::Bool:
      if (const auto* v = node.as_boolean()) value = v->get() ? 1.0 : 0.0;
      if (!value) why = "must be true or false";
      break;
    case ParamType::Choice:
      if (const auto* v = node.as_string()) {
        const int index = scenario::choice_index(info, v->get());
        if (index >= 0) value = index;
      }
      if (!value) why = fmt::format("must be one of {}", info.choices);
      break;
  }
  if (value && (*value < info.min || *value > info.max)) {
    why =
        fmt::format("is outside the valid range of {}, {} to {}", info.key,
                    scenario::format_value(info, info.min), scenario::format_value(info, info.max));
    value.reset();
  }
  return value;
}

// Leaves of a table as dotted keys, with the position of each.
struct Leaf {
  std::string key;
  const toml::node* node;
  toml::source_position where;
};

bool is_spec_table(const toml::table& table) {
  for (const char* name : {"values", "min", "max", "steps"})
    if (table.contains(name)) return true;
  return false;
}

void flatten(const toml::table& table, const std::string& prefix, std::vector<Leaf>& out,
             bool stop_at_specs) {
  for (const auto& [k, v] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    toml::source_position pos = where(v);
    if (pos.line == 0) pos = k.source().begin;
    const toml::table* sub = v.as_table();
    if (sub != nullptr && !(stop_at_specs && is_spec_table(*sub)))
      flatten(*sub, key, out, stop_at_specs);
    else
      out.push_back({key, &v, pos});
  }
  std::sort(out.begin(), out.end(), [](const Leaf& a, const Leaf& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
}

// The parameter named `key`, or a message with a suggestion.
const ParamInfo* known_param(const std::string& key, const toml::source_position& pos,
                             const std::string& context, Problems& problems) {
  const ParamInfo* info = scenario::find_param(key);
  if (info != nullptr) return info;
  const std::string suggestion = scenario::suggest_param(key);
  problems.at(
      pos, fmt::format("{}{}: unknown parameter{}; 'ripple params' lists them all", context, key,
                       suggestion.empty() ? "" : fmt::format(" (did you mean {}?)", suggestion)));
  return nullptr;
}

std::optional<std::int64_t> read_int(const toml::table& table, const char* name,
                                     const std::string& context, std::int64_t low,
                                     Problems& problems) {
  const toml::node* node = table.get(name);
  if (node == nullptr) return std::nullopt;
  const auto* v = node->as_integer();
  if (v == nullptr || v->get() < low) {
    problems.at(where(*node), fmt::format("{}{} = {}: must be a whole number of at least {}",
                                          context, name, scenario::toml_shown(*node), low));
    return std::nullopt;
  }
  return v->get();
}

void read_sweep_table(const toml::table& root, SweepSpec& spec, Problems& problems) {
  const toml::node* node = root.get("sweep");
  const toml::table* table = node != nullptr ? node->as_table() : nullptr;
  if (table == nullptr) {
    problems.general(
        "no [sweep] table; a sweep file starts with [sweep] and scenario = \"...\", design = "
        "\"grid\" (see docs/SWEEPS.md)");
    return;
  }
  for (const auto& [k, v] : *table) {
    static const char* const kKnown[] = {"scenario",    "design",  "replications",
                                         "master_seed", "samples", "common_random_numbers",
                                         "bootstrap"};
    if (std::find_if(std::begin(kKnown), std::end(kKnown),
                     [&](const char* name) { return k.str() == name; }) == std::end(kKnown))
      problems.at(k.source().begin, fmt::format("sweep.{}: unknown key; [sweep] takes {}", k.str(),
                                                fmt::join(kKnown, ", ")));
  }
  if (const toml::node* s = table->get("scenario"); s != nullptr && s->is_string()) {
    spec.scenario_path = s->as_string()->get();
    spec.scenario_line = static_cast<int>(where(*s).line);
  } else {
    problems.at(s != nullptr ? where(*s) : where(*table),
                "sweep.scenario: must name the base scenario file, e.g. scenario = "
                "\"../baseline.toml\" (relative to the sweep file)");
  }
  if (const toml::node* d = table->get("design")) {
    const std::string name = d->is_string() ? std::string(d->as_string()->get()) : "";
    if (name == "list")
      spec.design = DesignKind::List;
    else if (name == "grid")
      spec.design = DesignKind::Grid;
    else if (name == "lhs")
      spec.design = DesignKind::Lhs;
    else if (name == "saltelli")
      spec.design = DesignKind::Saltelli;
    else
      problems.at(where(*d), fmt::format("sweep.design = {}: must be \"list\", \"grid\", "
                                         "\"lhs\" or \"saltelli\"",
                                         scenario::toml_shown(*d)));
  } else {
    problems.at(where(*table),
                "sweep.design: missing; one of \"list\", \"grid\", \"lhs\", "
                "\"saltelli\"");
  }
  if (auto r = read_int(*table, "replications", "sweep.", 1, problems)) spec.replications = *r;
  if (spec.replications > 10000)
    problems.at(where(*table->get("replications")),
                fmt::format("sweep.replications = {}: at most 10000", spec.replications));
  if (const toml::node* m = table->get("master_seed")) {
    const auto* v = m->as_integer();
    if (v == nullptr || v->get() < 0)
      problems.at(where(*m), fmt::format("sweep.master_seed = {}: must be a whole number of at "
                                         "least 0",
                                         scenario::toml_shown(*m)));
    else
      spec.master_seed = static_cast<std::uint64_t>(v->get());
  }
  if (auto b = read_int(*table, "bootstrap", "sweep.", 0, problems)) spec.bootstrap = *b;
  if (const toml::node* c = table->get("common_random_numbers")) {
    if (const auto* v = c->as_boolean())
      spec.common_random_numbers = v->get();
    else
      problems.at(where(*c), fmt::format("sweep.common_random_numbers = {}: must be true or "
                                         "false",
                                         scenario::toml_shown(*c)));
  }
  const toml::node* samples = table->get("samples");
  const bool sampled = spec.design == DesignKind::Lhs || spec.design == DesignKind::Saltelli;
  if (samples != nullptr) {
    const auto* v = samples->as_integer();
    if (v == nullptr || v->get() < 1 || v->get() > 1000000)
      problems.at(where(*samples),
                  fmt::format("sweep.samples = {}: must be a whole number from 1 to 1000000",
                              scenario::toml_shown(*samples)));
    else if (!sampled)
      problems.at(where(*samples), fmt::format("sweep.samples: only lhs and saltelli designs "
                                               "take samples; a {} design lists its values",
                                               design_name(spec.design)));
    else
      spec.samples = v->get();
    if (spec.design == DesignKind::Saltelli && spec.samples == 1)
      problems.at(where(*samples),
                  "sweep.samples = 1: a saltelli design needs at least 2 base "
                  "samples to estimate variances");
  } else if (sampled) {
    problems.at(where(*table),
                fmt::format("sweep.samples: missing; a {} design needs the number of {}",
                            design_name(spec.design),
                            spec.design == DesignKind::Lhs ? "design points" : "base samples N"));
  }
}

void read_set_table(const toml::table& root, SweepSpec& spec, Problems& problems) {
  const toml::node* node = root.get("set");
  if (node == nullptr) return;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    problems.at(where(*node), "set: must be a table, written [set] then key = value lines");
    return;
  }
  std::vector<Leaf> leaves;
  flatten(*table, "", leaves, false);
  for (const Leaf& leaf : leaves) {
    const ParamInfo* info = known_param(leaf.key, leaf.where, "set.", problems);
    if (info == nullptr) continue;
    if (leaf.key == "run.seed") {
      problems.at(leaf.where,
                  "set.run.seed: run seeds are derived from sweep.master_seed; "
                  "set that instead");
      continue;
    }
    std::string why;
    if (!param_value(*info, *leaf.node, why)) {
      problems.at(leaf.where,
                  fmt::format("set.{} = {}: {}", leaf.key, scenario::toml_shown(*leaf.node), why));
      continue;
    }
    spec.fixed.push_back(leaf.key + "=" + *scenario::toml_text(*leaf.node));
  }
}

void read_parameter(const Leaf& leaf, const ParamInfo& info, SweepSpec& spec, Problems& problems) {
  const std::string context = "parameters." + leaf.key;
  const toml::table* table = leaf.node->as_table();
  if (table == nullptr) {
    problems.at(leaf.where, fmt::format("{} = {}: must be a table such as {{ values = [...] }} "
                                        "or {{ min = ..., max = ... }}",
                                        context, scenario::toml_shown(*leaf.node)));
    return;
  }
  ParameterSpec p;
  p.key = leaf.key;
  p.line = static_cast<int>(leaf.where.line);
  bool good = true;
  for (const auto& [k, v] : *table) {
    if (k.str() != "values" && k.str() != "min" && k.str() != "max" && k.str() != "steps") {
      problems.at(k.source().begin, fmt::format("{}.{}: unknown key; a parameter takes values, "
                                                "or min and max (and steps in a grid)",
                                                context, k.str()));
      good = false;
    }
  }
  const toml::node* values = table->get("values");
  const toml::node* min = table->get("min");
  const toml::node* max = table->get("max");
  const toml::node* steps = table->get("steps");
  const bool sampled = spec.design == DesignKind::Lhs || spec.design == DesignKind::Saltelli;
  if (sampled && (info.type == ParamType::Bool || info.type == ParamType::Choice)) {
    problems.at(leaf.where, fmt::format("{}: a {} design samples ranges of numbers; vary a "
                                        "true/false or choice parameter in a list or grid design",
                                        context, design_name(spec.design)));
    return;
  }
  if (values != nullptr && (min != nullptr || max != nullptr || steps != nullptr)) {
    problems.at(leaf.where,
                fmt::format("{}: give either values or min and max, not both", context));
    return;
  }
  if (values != nullptr) {
    if (sampled) {
      problems.at(where(*values), fmt::format("{}.values: a {} design samples a range; give min "
                                              "and max instead",
                                              context, design_name(spec.design)));
      return;
    }
    const toml::array* array = values->as_array();
    if (array == nullptr || array->empty()) {
      problems.at(where(*values), fmt::format("{}.values = {}: must be a non-empty list, e.g. "
                                              "values = [0.1, 0.2]",
                                              context, scenario::toml_shown(*values)));
      return;
    }
    for (const toml::node& item : *array) {
      std::string why;
      const auto v = param_value(info, item, why);
      if (!v) {
        problems.at(where(item).line != 0 ? where(item) : where(*values),
                    fmt::format("{}.values: {} {}", context, scenario::toml_shown(item), why));
        good = false;
      } else {
        p.values.push_back(*v);
      }
    }
  } else {
    if (min == nullptr || max == nullptr) {
      problems.at(leaf.where,
                  fmt::format("{}: needs values = [...], or both min and max", context));
      return;
    }
    if (info.type == ParamType::Bool || info.type == ParamType::Choice) {
      problems.at(leaf.where, fmt::format("{}: a true/false or choice parameter takes values = "
                                          "[...], not a range",
                                          context));
      return;
    }
    std::string why;
    const auto lo = param_value(info, *min, why);
    if (!lo)
      problems.at(where(*min),
                  fmt::format("{}.min = {}: {}", context, scenario::toml_shown(*min), why));
    why.clear();
    const auto hi = param_value(info, *max, why);
    if (!hi)
      problems.at(where(*max),
                  fmt::format("{}.max = {}: {}", context, scenario::toml_shown(*max), why));
    if (!lo || !hi) return;
    p.min = *lo;
    p.max = *hi;
    if (sampled) {
      if (steps != nullptr) {
        problems.at(where(*steps), fmt::format("{}.steps: only grid designs take steps", context));
        return;
      }
      if (!(p.min < p.max)) {
        problems.at(leaf.where,
                    fmt::format("{}: empty range, min = {} is not below max = {}", context,
                                scenario::toml_shown(*min), scenario::toml_shown(*max)));
        return;
      }
    } else if (spec.design == DesignKind::List) {
      problems.at(leaf.where, fmt::format("{}: a list design takes values = [...]", context));
      return;
    } else {
      if (steps == nullptr || !steps->is_integer() || steps->as_integer()->get() < 1 ||
          steps->as_integer()->get() > 100000) {
        problems.at(
            steps != nullptr ? where(*steps) : leaf.where,
            fmt::format("{}.steps{}: a grid over a range needs steps, a whole number "
                        "from 1 to 100000",
                        context, steps != nullptr ? " = " + scenario::toml_shown(*steps) : ""));
        return;
      }
      const std::int64_t n = steps->as_integer()->get();
      if (p.min > p.max || (n > 1 && p.min == p.max)) {
        problems.at(leaf.where,
                    fmt::format("{}: empty range, min = {} is not below max = {}", context,
                                scenario::toml_shown(*min), scenario::toml_shown(*max)));
        return;
      }
      // A whole-number parameter has max - min + 1 values in the range: more steps would
      // round to the same value twice and run the same design point again.
      if (info.type == ParamType::Int && static_cast<double>(n) > p.max - p.min + 1.0) {
        problems.at(
            where(*steps),
            fmt::format("{}.steps = {}: {} is a whole number, and {} to {} holds only {} "
                        "of them; steps would repeat values (at most {})",
                        context, n, p.key, scenario::toml_shown(*min), scenario::toml_shown(*max),
                        static_cast<std::int64_t>(p.max - p.min + 1.0),
                        static_cast<std::int64_t>(p.max - p.min + 1.0)));
        return;
      }
      for (std::int64_t i = 0; i < n; ++i) {
        double v =
            n == 1 ? p.min
                   : p.min + (p.max - p.min) * static_cast<double>(i) / static_cast<double>(n - 1);
        if (info.type == ParamType::Int) v = std::round(v);
        p.values.push_back(v);
      }
    }
  }
  if (good) spec.parameters.push_back(std::move(p));
}

void read_parameters(const toml::table& root, SweepSpec& spec, Problems& problems) {
  const toml::node* node = root.get("parameters");
  const toml::table* table = node != nullptr ? node->as_table() : nullptr;
  if (table == nullptr || table->empty()) {
    problems.at(node != nullptr ? where(*node) : toml::source_position{},
                "parameters: no parameters to vary; add a [parameters] table, e.g. "
                "services.cmhc.admin_share = { values = [0.1, 0.2] }");
    return;
  }
  std::vector<Leaf> leaves;
  flatten(*table, "", leaves, true);
  for (const Leaf& leaf : leaves) {
    const ParamInfo* info = known_param(leaf.key, leaf.where, "parameters.", problems);
    if (info == nullptr) continue;
    if (leaf.key == "run.seed") {
      problems.at(leaf.where,
                  "parameters.run.seed: run seeds are derived from "
                  "sweep.master_seed; vary replications instead");
      continue;
    }
    if (std::find_if(spec.fixed.begin(), spec.fixed.end(), [&](const std::string& f) {
          return f.starts_with(leaf.key + "=");
        }) != spec.fixed.end()) {
      problems.at(leaf.where, fmt::format("parameters.{}: also fixed in [set]; a parameter is "
                                          "either varied or fixed",
                                          leaf.key));
      continue;
    }
    read_parameter(leaf, *info, spec, problems);
  }
  if (spec.design == DesignKind::List && !spec.parameters.empty()) {
    const std::size_t n = spec.parameters.front().values.size();
    for (const ParameterSpec& p : spec.parameters)
      if (p.values.size() != n)
        problems.at(toml::source_position{static_cast<toml::source_index>(p.line), 1},
                    fmt::format("parameters.{}.values: {} values, but {} has {}; in a list "
                                "design point i takes the i-th value of every parameter",
                                p.key, p.values.size(), spec.parameters.front().key, n));
  }
}

}  // namespace

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::List:
      return "list";
    case DesignKind::Grid:
      return "grid";
    case DesignKind::Lhs:
      return "lhs";
    case DesignKind::Saltelli:
      return "saltelli";
  }
  return "?";
}

SweepSpec parse_sweep(std::string_view text, const std::string& path) {
  SweepSpec spec;
  spec.path = path;
  spec.text = std::string(text);
  Problems problems(path);
  std::optional<toml::table> root;
#if TOML_EXCEPTIONS
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    problems.at(e.source().begin, std::string(e.description()));
  }
#else
  toml::parse_result result = toml::parse(text, path);
  if (result)
    root = std::move(result).table();
  else
    problems.at(result.error().source().begin, std::string(result.error().description()));
#endif
  problems.throw_if_any();
  for (const auto& [k, v] : *root)
    if (k.str() != "sweep" && k.str() != "set" && k.str() != "parameters")
      problems.at(k.source().begin, fmt::format("{}: unknown table; a sweep file has [sweep], "
                                                "[set] and [parameters]",
                                                k.str()));
  read_sweep_table(*root, spec, problems);
  read_set_table(*root, spec, problems);
  read_parameters(*root, spec, problems);
  problems.throw_if_any();
  return spec;
}

SweepSpec load_sweep(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw InputError(path + ": is a folder; give the sweep file (.toml)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the sweep file (does it exist?)");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_sweep(text, path);
}

std::filesystem::path base_scenario_path(const SweepSpec& spec) {
  const std::filesystem::path given(spec.scenario_path);
  if (given.is_absolute() || spec.path == "<string>") return given;
  return std::filesystem::path(spec.path).parent_path() / given;
}

}  // namespace ripple::sweep
