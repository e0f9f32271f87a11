// Scenarios: a TOML file (plus --set overrides) turned into checked Params and a
// timeline of interventions. Nothing runs until a scenario has passed every check.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "params.hpp"

namespace ripple::scenario {

// Arena kinds a timeline entry can close or open.
// Order and names are part of the scenario format: "workplace", "school",
// "faith", "club", "volunteer", "peer_group".
inline constexpr const char* kArenaKindNames[] = {"workplace", "school",    "faith",
                                                  "club",      "volunteer", "peer_group"};

// One entry of the timeline, applied at the start of week `week`.
struct Intervention {
  enum class Kind : std::uint8_t {
    Set,  // set parameter `key` to `value` (any parameter but run.*, population.*, output.*)
    CloseArenas,  // close `share` of the open arenas of kind `arena_kind`
    OpenArenas,   // reopen `share` of the closed arenas of kind `arena_kind`
  };
  std::int64_t week = 0;
  Kind kind = Kind::Set;
  std::string key;     // Set: a parameter key
  double value = 0.0;  // Set: the new value, as ParamInfo::set takes it
  int arena_kind = 0;  // Close/OpenArenas: index into kArenaKindNames
  double share = 1.0;  // Close/OpenArenas: in [0, 1]
  int line = 0;        // line in the scenario file, for messages (0 for --set)

  // Plain words, e.g. "week 104: set services.open_dialogue.enabled = true".
  std::string describe() const;
};

struct Scenario {
  std::string name;         // [scenario] name = "...", optional; defaults to the file stem
  std::string description;  // [scenario] description = "...", optional
  std::string path;         // as given by the user; "<string>" for parsed text
  std::string text;         // the file's full text, stored in every run
  Params params;
  std::vector<Intervention> timeline;  // sorted by week, stable
  std::vector<std::string> overrides;  // the --set arguments, as given
};

// Reads, parses and checks a scenario file, then applies `overrides`
// ("key=value", value in TOML syntax: 0.2, 30, true, "sample").
// Throws ripple::InputError listing every problem found: file, line, column, field,
// the value given, what is allowed, and a suggestion for a misspelt key.
// Refused: a missing file, a directory, an empty or binary file, TOML syntax
// errors, unknown keys, wrong types, out-of-range values, bad timeline entries,
// and inconsistent settings (check_consistency).
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// As load_scenario, from text in memory; `name` stands for the file in messages.
Scenario parse_scenario(std::string_view text, const std::string& name,
                        const std::vector<std::string>& overrides = {});

// The resolved parameters as a TOML document (every key, grouped by table),
// which parse_scenario reads back to the same Params.
std::string to_toml(const Params& params);

}  // namespace ripple::scenario
