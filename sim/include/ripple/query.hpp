// Read-only questions about one moment of a run: who a person is, how they are doing,
// whom they are tied to, which arenas and services they belong to, and what happened
// to them. Two sources answer them: a finished run file (ReplaySource) and a model
// running in this process (LiveSource). The viewer and scripts use only this header
// and ripple.hpp; neither exposes the model's internals.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/ripple.hpp"

namespace ripple::query {

inline constexpr std::uint32_t kNobody = 0xFFFFFFFFu;

// Code names of a run: entry k names code k.
struct Names {
  std::vector<std::string> relation, tie_kind, arena_kind, service, event_kind;
  std::vector<std::string> profile, episode, work, caring_style, medication;
};

// The code names of this Ripple's model (a run file carries its own; see ReplaySource).
const Names& model_names();

// The role bits of PersonState::role (as in /persons/role).
inline constexpr int kRoleInRecovery = 1;
inline constexpr int kRoleCarer = 2;
inline constexpr int kRolePeerWorker = 4;
inline constexpr int kRoleProfessional = 8;

// A person at the source's current step. Codes index the matching Names list.
struct PersonState {
  std::uint32_t id = kNobody;
  int role = 0, profile = 0, age = 0;
  bool male = false, alive = true;
  std::uint32_t carer = kNobody, cares_for = kNobody;
  int episode = 0, work = 0, caring_style = 0, medication = 0;
  // Hours worked this week (0 when not employed, or on sick leave in an acute episode or on
  // a ward) and the weekly hours of the person's job (0: none). A ReplaySource reads
  // `hours` from the time series where the run recorded it and leaves job_hours at 0.
  int hours = 0, job_hours = 0;
  float symptoms = 0, recovery = 0, stress = 0, coping = 0, debt = 0, housing = 0;
  float burden = 0, alliance = 0;
  std::array<float, 5> chime{};  // connectedness, hope, identity, meaning, empowerment
  std::uint32_t services = 0;    // bit k: enrolled in service k
  // Weeks well since the last episode ended, weeks since the last discharge from a ward
  // (65535: never, or longer ago than that), and the household the person lives in.
  // A ReplaySource leaves them at these defaults.
  int well_weeks = 0, weeks_since_discharge = 65535;
  std::uint32_t household = kNobody;
  bool wish_to_work = false;  // wants competitive work (looks for it while unemployed)
  // A carer's weeks in family psychoeducation so far (0: never offered it). Live only.
  int psychoeducation_weeks = 0;
  // A person in recovery's consent to involve the family, and whether the family is
  // involved now (worked out each week from the consent).
  bool consent = false, family_involved = false;
};

struct SocialTie {
  std::uint32_t other = kNobody;
  int relation = 0, kind = 0;  // Names::relation, Names::tie_kind
  float strength = 0;
};
struct Membership {
  std::uint32_t arena = 0;
  int arena_kind = 0;  // Names::arena_kind
  float standing = 0;
};
struct HelpingTie {
  std::uint32_t worker = kNobody;
  int service = 0;  // Names::service
  float alliance = 0;
  int continuity_weeks = 0;
};

// One moment of a run, seen person by person. A person the source knows nothing
// about (not recorded in a file) gives nullopt and empty lists.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::int64_t step() const = 0;
  virtual const Names& names() const = 0;
  // Persons worth starting from: the recorded persons of a file, everyone live.
  virtual std::vector<std::uint32_t> persons() const = 0;
  virtual std::optional<PersonState> person(std::uint32_t id) const = 0;
  virtual std::vector<SocialTie> ties(std::uint32_t id) const = 0;
  virtual std::vector<Membership> memberships(std::uint32_t id) const = 0;
  virtual std::vector<HelpingTie> helping(std::uint32_t id) const = 0;
  // Events of this person (as `person`) up to and including the current step.
  virtual std::vector<io::Event> events(std::uint32_t id) const = 0;
  // The person's stress at each recorded step so far (the life story says when it rose).
  virtual std::vector<std::pair<std::int64_t, float>> stress_history(std::uint32_t id) const = 0;
  // The name the scenario gives a person ([[person]] name = "Mari"); "" for a generated
  // person, one the source does not know, or a run file written before names.
  virtual std::string name(std::uint32_t id) const {
    (void)id;
    return {};
  }
  // The named characters of a story scenario (persons 0..k-1), in person order.
  virtual std::vector<std::uint32_t> characters() const { return {}; }
};

// "Mari" for a named person, else "person 12".
std::string display_name(const Source& source, std::uint32_t id);

// A finished run file. Opening checks the file like RunReader (InputError naming the
// file for a missing, truncated, corrupt or foreign file). seek() moves to a step:
// person values come from the last record at or before it, ties from the last
// snapshot at or before it.
class ReplaySource final : public Source {
 public:
  explicit ReplaySource(const std::filesystem::path& path);
  ~ReplaySource() override;

  const std::filesystem::path& path() const;
  const io::RunMeta& meta() const;
  std::vector<std::int64_t> steps() const;  // the weeks of /summary
  void seek(std::int64_t step);             // clamps to the run's weeks
  // Weekly outcomes: names in order, values[v][row of steps()].
  const std::vector<std::string>& summary_names() const;
  const std::vector<double>& summary(const std::string& name) const;  // InputError if absent

  std::int64_t step() const override;
  const Names& names() const override;
  std::vector<std::uint32_t> persons() const override;
  std::optional<PersonState> person(std::uint32_t id) const override;
  std::vector<SocialTie> ties(std::uint32_t id) const override;
  std::vector<Membership> memberships(std::uint32_t id) const override;
  std::vector<HelpingTie> helping(std::uint32_t id) const override;
  std::vector<io::Event> events(std::uint32_t id) const override;
  std::vector<std::pair<std::int64_t, float>> stress_history(std::uint32_t id) const override;
  std::string name(std::uint32_t id) const override;
  std::vector<std::uint32_t> characters() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A Simulation in this process, read as it stands. Call collect() after every
// Simulation::step() and intervene() so the person's events and the outcome history
// are kept (the Simulation itself keeps only the last week's).
class LiveSource final : public Source {
 public:
  explicit LiveSource(const Simulation& simulation);
  ~LiveSource() override;

  void collect();
  // Outcome history since the source was made: steps and values[v][row].
  const std::vector<std::int64_t>& history_steps() const;
  const std::vector<std::vector<double>>& history() const;  // in summary_variables() order
  // Interventions logged so far, in plain words with their week.
  const std::vector<std::string>& interventions() const;
  // The week of each logged intervention (as interventions(), in the same order).
  const std::vector<std::int64_t>& intervention_steps() const;
  void note_intervention(const std::string& words);
  // The current value of a parameter (as ParamInfo::get gives it); InputError if unknown.
  double parameter(const std::string& key) const;

  std::int64_t step() const override;
  const Names& names() const override;
  std::vector<std::uint32_t> persons() const override;
  std::optional<PersonState> person(std::uint32_t id) const override;
  std::vector<SocialTie> ties(std::uint32_t id) const override;
  std::vector<Membership> memberships(std::uint32_t id) const override;
  std::vector<HelpingTie> helping(std::uint32_t id) const override;
  std::vector<io::Event> events(std::uint32_t id) const override;
  std::vector<std::pair<std::int64_t, float>> stress_history(std::uint32_t id) const override;
  std::string name(std::uint32_t id) const override;
  std::vector<std::uint32_t> characters() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ripple::query
