// Scenarios: a TOML file (plus --set overrides) turned into checked Params and a
// timeline of interventions. Nothing runs until a scenario has passed every check.
#pragma once

#include <cstdint>
#include <optional>
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
    CloseArenas,   // close `share` of the open arenas of kind `arena_kind`
    OpenArenas,    // reopen `share` of the closed arenas of kind `arena_kind`
    PersonAction,  // a per-person action (`action`) for character `person` (see below)
  };
  std::int64_t week = 0;
  Kind kind = Kind::Set;
  std::string key;     // Set: a parameter key
  double value = 0.0;  // Set: the new value, as ParamInfo::set takes it
  int arena_kind = 0;  // Close/OpenArenas: index into kArenaKindNames
  double share = 1.0;  // Close/OpenArenas: in [0, 1]
  int line = 0;        // line in the scenario file, for messages (0 for --set)
  // PersonAction: index into kPersonActionNames; person and other are person numbers
  // of characters (other: tie actions only); service names an enrollable service.
  int action = 0;
  std::uint32_t person = 0, other = 0;
  std::string person_name, other_name, service;
  double amount = 0.5;  // soften_tie: the share of the tie's strength it loses

  // Plain words, e.g. "week 104: set services.open_dialogue.enabled = true".
  std::string describe() const;
};

// Per-person actions a timeline entry can take, in the order of ripple::PersonAction.
// Teaching stories added devalue_tie (a tie turns stressor on the person's side, with the
// shock of a devaluation), give_consent and withdraw_consent (to involve the family).
inline constexpr const char* kPersonActionNames[] = {
    "psychoeducation", "enrol",       "soften_tie",   "remove_tie",
    "supportive_tie",  "devalue_tie", "give_consent", "withdraw_consent"};

// Whether the action names a tie (person and other): soften, remove, supportive, devalue.
constexpr bool is_tie_action(int action) { return action >= 2 && action <= 5; }

// Names of the choices a character declaration takes; the order is the model's
// (model/world.hpp), which population.cpp checks at compile time.
inline constexpr const char* kCharacterProfileNames[] = {"none", "bipolar", "psychosis",
                                                         "depression", "substance"};
inline constexpr const char* kCharacterWorkNames[] = {"employed", "studying", "unemployed",
                                                      "benefits"};
inline constexpr const char* kCharacterStyleNames[] = {"not_carer", "supportive", "watchdog",
                                                       "withdrawn"};
inline constexpr const char* kCharacterRelationNames[] = {"partner", "household", "kin", "friend",
                                                          "coworker"};
inline constexpr const char* kCharacterTieKindNames[] = {"support", "stressor"};
// Services a character can start in (or be enrolled into by the timeline).
inline constexpr const char* kEnrolServiceNames[] = {"cmhc", "outreach",     "open_dialogue",
                                                     "ips",  "peer_support", "coordinator"};

// A named arena ([[arena]]): name, kind (index into kArenaKindNames), inclusion climate.
struct NamedArena {
  std::string name;
  int kind = 0;
  double climate = 0.5;
  int line = 0;
};

// A named person ([[person]]). Unset optionals keep the generator's draw for that
// person. Characters are stored in person-number order: the members of each
// [[household]] in turn (as listed), then those living alone, in file order.
struct Character {
  std::string name;
  int line = 0;
  std::optional<int> age;
  std::optional<bool> male;
  std::optional<int> profile;  // kCharacterProfileNames
  std::optional<double> vulnerability, symptoms, stress, debt, coping, burden;
  std::optional<int> work;  // kCharacterWorkNames
  std::optional<bool> consent;
  std::optional<int> style;     // kCharacterStyleNames; only for a carer
  int workplace = -1;           // index into Scenario::arenas, or -1
  std::vector<int> arenas;      // indices into Scenario::arenas (not workplaces), at most 3
  std::vector<int> services;    // kEnrolServiceNames
  std::int64_t carer = -1;      // person number of the carer (same household), or -1
  bool generated_ties = false;  // also gets the generator's kin, friends and co-workers
  std::uint32_t household = 0;  // index of the character's household (runs of persons)
  // Too anxious to join an arena alone (ODD 2.1); unset keeps the generator's draw.
  std::optional<bool> social_anxiety;
  // A worker the loader adds to a world of characters only (population.generated =
  // false): index into kEnrolServiceNames of the service employing them, else -1.
  int staff = -1;
};

// A declared tie between two characters (person numbers a < b after reordering).
struct CharacterTie {
  std::uint32_t a = 0, b = 0;
  int relation = 0;                // kCharacterRelationNames
  std::optional<double> strength;  // unset: the middle of the population's range
  int kind_ab = 0, kind_ba = 0;    // kCharacterTieKindNames: a's view of b, b's view of a
  int line = 0;
};

struct Scenario {
  std::string name;         // [scenario] name = "...", optional; defaults to the file stem
  std::string description;  // [scenario] description = "...", optional
  std::string path;         // as given by the user; "<string>" for parsed text
  std::string text;         // the file's full text, stored in every run
  Params params;
  std::vector<Intervention> timeline;  // sorted by week, stable
  std::vector<std::string> overrides;  // the --set arguments, as given
  std::string overlay_path;  // the --overlay file as given (its values are in overrides), or ""
  // Named characters (persons 0..characters.size()-1), their ties and arenas. With
  // population.generated = false the loader appends one worker per staffed service the
  // scenario opens (Character::staff >= 0), after the declared persons.
  std::vector<Character> characters;
  std::vector<std::uint32_t> character_households;  // first person of each, then the end
  std::vector<CharacterTie> character_ties;
  std::vector<NamedArena> arenas;
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

// The parameter values of an overlay file (e.g. the calibrated.toml `ripple calibrate`
// writes: `group.key = value` lines or tables) as "key=value" overrides, to be given
// before any --set. Throws InputError naming the file and line of anything else.
// `lines`, if given, receives the line of each value.
std::vector<std::string> read_overlay(const std::string& path, std::vector<int>* lines = nullptr);

// Rewrites the "--set key=value" of overlay values in a load_scenario message as
// "FILE:LINE: key=value", so a bad value in an overlay is reported where it is.
std::string name_overlay_values(std::string message, const std::string& path,
                                const std::vector<std::string>& values,
                                const std::vector<int>& lines);

// The resolved parameters as a TOML document (every key, grouped by table),
// which parse_scenario reads back to the same Params.
std::string to_toml(const Params& params);

}  // namespace ripple::scenario
