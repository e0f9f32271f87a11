// Model parameters: the Params struct and its descriptor table, both generated
// from parameters.def so that every default, unit and range is written once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ripple::scenario {

// The nested struct of all parameters, e.g. `p.services.cmhc.caseload_cap`.
struct Params {
#define RIPPLE_GROUP(name) struct {
#define RIPPLE_END_GROUP(name) \
  }                            \
  name;
#define RIPPLE_REAL(leaf, path, def, lo, hi, unit, meaning, source) double leaf = def;
#define RIPPLE_INT(leaf, path, def, lo, hi, unit, meaning, source) std::int64_t leaf = def;
#define RIPPLE_BOOL(leaf, path, def, meaning, source) bool leaf = def;
#define RIPPLE_CHOICE(leaf, path, def, choices, meaning, source) int leaf = def;
#define RIPPLE_CALIBRATED(path, prior_min, prior_max)
#include "parameters.def"
#undef RIPPLE_GROUP
#undef RIPPLE_END_GROUP
#undef RIPPLE_REAL
#undef RIPPLE_INT
#undef RIPPLE_BOOL
#undef RIPPLE_CHOICE
#undef RIPPLE_CALIBRATED
};

enum class ParamType : std::uint8_t { Real, Int, Bool, Choice };

// One row of the parameter table. Values pass through `double`, which holds
// every int up to 2^53 exactly; the table's int ranges stay far below that.
struct ParamInfo {
  std::string_view key;   // TOML key, e.g. "services.cmhc.caseload_cap"
  std::string_view leaf;  // last component of the key
  ParamType type;
  double default_value;
  double min;                // inclusive; for Bool 0, for Choice 0
  double max;                // inclusive; for Bool 1, for Choice count - 1
  std::string_view choices;  // "a|b|c" for Choice, empty otherwise
  std::string_view unit;
  std::string_view meaning;
  std::string_view source;  // a citation, or a text starting with "assumption"
  double (*get)(const Params&);
  void (*set)(Params&, double);
};

// Every parameter, in declaration order.
std::span<const ParamInfo> parameter_table();

// A parameter fitted by `ripple calibrate` (docs/CALIBRATION.md), with the range its
// prior allows; marked by RIPPLE_CALIBRATED in parameters.def.
struct CalibratedInfo {
  std::string_view key;
  double prior_min, prior_max;
};
std::span<const CalibratedInfo> calibrated_table();
// The prior of a calibrated parameter, or nullptr.
const CalibratedInfo* find_calibrated(std::string_view key);

// The parameter with this exact key, or nullptr.
const ParamInfo* find_param(std::string_view key);

// The closest known key to a misspelt one (edit distance), or empty if none is close.
std::string suggest_param(std::string_view key);

// Names of the choices of a Choice parameter, and the index of `name` (-1 if unknown).
int choice_index(const ParamInfo& info, std::string_view name);
std::string choice_name(const ParamInfo& info, int index);

// A value as it would be written in TOML ("0.33", "30", "true", "\"sample\"").
std::string format_value(const ParamInfo& info, double value);

// Checks the rules that involve several parameters (e.g. thresholds in order).
// Returns one message per broken rule, naming the keys; empty if consistent.
std::string check_consistency(const Params& p);

}  // namespace ripple::scenario
