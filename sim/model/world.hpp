// The state of the modelled world, laid out as one array per variable (struct of
// arrays). Person i owns element i of every person array and row i of the tie
// arrays; during the weekly parallel pass it writes only those. Other persons are
// seen through `signal`, a compact 8-byte copy of what neighbours need, taken at
// the end of the previous week (docs/ODD.md 3.3).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/rng.hpp"
#include "scenario/params.hpp"

namespace ripple::model {

using PersonId = std::uint32_t;
using ArenaId = std::uint32_t;
inline constexpr PersonId kNoPerson = std::numeric_limits<PersonId>::max();
inline constexpr ArenaId kNoArena = std::numeric_limits<ArenaId>::max();

enum class Profile : std::uint8_t { None, Bipolar, Psychosis, Depression, Substance, Count };
enum class Episode : std::uint8_t { Well, Struggling, Acute, Admitted, Count };
enum class Work : std::uint8_t { Employed, Studying, Unemployed, Benefits, Count };
enum class CaringStyle : std::uint8_t { NotCarer, Supportive, Watchdog, Withdrawn, Count };
enum class Medication : std::uint8_t { None, Trying, Helpful, Stopped, GaveUp, Count };
enum class Relation : std::uint8_t { Partner, Household, Kin, Friend, Coworker, Count };
enum class TieKind : std::uint8_t { Support, Stressor, Removed, Count };
enum class ArenaKind : std::uint8_t { Workplace, School, Faith, Club, Volunteer, PeerGroup, Count };
enum class ServiceKind : std::uint8_t {
  GP,
  Cmhc,
  Outreach,
  Inpatient,
  Ips,
  Psychoeducation,
  PeerSupport,
  OpenDialogue,
  Coordinator,
  Count
};

// Names used in output files and messages, indexed by the enums above.
inline constexpr const char* kProfileNames[] = {"none", "bipolar", "psychosis", "depression",
                                                "substance"};
inline constexpr const char* kEpisodeNames[] = {"well", "struggling", "acute", "admitted"};
inline constexpr const char* kWorkNames[] = {"employed", "studying", "unemployed", "benefits"};
inline constexpr const char* kStyleNames[] = {"not_carer", "supportive", "watchdog", "withdrawn"};
inline constexpr const char* kMedicationNames[] = {"none", "trying", "helpful", "stopped",
                                                   "gave_up"};
inline constexpr const char* kRelationNames[] = {"partner", "household", "kin", "friend",
                                                 "coworker"};
inline constexpr const char* kTieKindNames[] = {"support", "stressor", "removed"};
inline constexpr const char* kArenaKindNames[] = {"workplace", "school",    "faith",
                                                  "club",      "volunteer", "peer_group"};
inline constexpr const char* kServiceNames[] = {"gp",           "cmhc",          "outreach",
                                                "inpatient",    "ips",           "psychoeducation",
                                                "peer_support", "open_dialogue", "coordinator"};

constexpr std::uint16_t service_bit(ServiceKind k) {
  return static_cast<std::uint16_t>(1u << static_cast<unsigned>(k));
}

// Roles (combinable).
inline constexpr std::uint8_t kInRecovery = 1;
inline constexpr std::uint8_t kCarer = 2;
inline constexpr std::uint8_t kPeerWorker = 4;
inline constexpr std::uint8_t kProfessional = 8;

// Traits fixed at creation.
inline constexpr std::uint8_t kMale = 1;
inline constexpr std::uint8_t kSocialAnxiety = 2;
inline constexpr std::uint8_t kOfficeAversion = 4;
inline constexpr std::uint8_t kMedResponder = 8;
inline constexpr std::uint8_t kWishToWork = 16;

// What a neighbour can see of a person: 8 bytes, refreshed once a week.
struct Signal {
  std::uint8_t symptoms;  // symptoms * 255
  std::uint8_t recovery;  // recovery index * 255
  std::uint8_t episode;   // Episode
  std::uint8_t style;     // CaringStyle
  std::uint8_t flags;     // kSig* bits below
  std::uint8_t reserved;
  std::uint16_t distress;  // distress sent along ties this week, * 1024 (ODD 7.7)
};
static_assert(sizeof(Signal) == 8);
inline constexpr std::uint8_t kSigAlive = 1;
inline constexpr std::uint8_t kSigInRecovery = 2;
inline constexpr std::uint8_t kSigRecovered =
    4;  // in recovery with index >= ripple.recovered_index
// A person in recovery whose family a service involves, with consent (ODD 7.6).
inline constexpr std::uint8_t kSigFamilyInvolved = 8;
// A carer who is or was in the psychoeducation programme. A bit of its own: a person
// can be both in recovery and a carer, and each reader asks about one role only.
inline constexpr std::uint8_t kSigPsychoeducated = 16;

inline constexpr int kArenaSlots = 3;  // non-work arena memberships per person

// Requests a person makes during the parallel pass for the ordered service pass.
enum class RequestKind : std::uint8_t {
  Died,                  // release everything the person held
  Bed,                   // needs admission (value: symptoms, the priority)
  LeaveBed,              // discharged from the ward
  Refer,                 // referral to a service (service)
  Leave,                 // leaves a service (service; value 1 = drop-out, 0 = discharge)
  PsychoeducationPlace,  // a carer's household asks for a programme place
  Breakup,               // the partnership with `other` ends, for both
  Conflict,              // a family conflict with `other`, for both
};
struct Request {
  PersonId person;
  RequestKind kind;
  ServiceKind service;
  float value;
  PersonId other;
};

// Event kinds of the event log (names stored as an HDF5 enum).
enum class EventKind : std::uint8_t {
  Death,
  Bereavement,
  Breakup,
  JobLoss,
  JobFound,
  DebtLetter,
  FamilyConflict,
  Exclusion,
  FamilyDevaluation,
  Relapse,
  EpisodeStart,
  EpisodeEnd,
  Admission,
  Discharge,
  HeldAtHome,
  Referral,
  ServiceStart,
  ServiceEnd,
  Dropout,
  StaffTurnover,
  StyleChange,
  ConsentWithdrawn,
  ConsentGiven,
  MedicationStarted,
  MedicationHelpful,
  MedicationStopped,
  JoinedArena,
  LeftArena,
  Intervention,
  Onset,  // the first episode of a person who had no condition (appended: codes are stable)
  Count
};
inline constexpr const char* kEventNames[] = {"death",
                                              "bereavement",
                                              "breakup",
                                              "job_loss",
                                              "job_found",
                                              "debt_letter",
                                              "family_conflict",
                                              "exclusion",
                                              "family_devaluation",
                                              "relapse",
                                              "episode_start",
                                              "episode_end",
                                              "admission",
                                              "discharge",
                                              "held_at_home",
                                              "referral",
                                              "service_start",
                                              "service_end",
                                              "dropout",
                                              "staff_turnover",
                                              "style_change",
                                              "consent_withdrawn",
                                              "consent_given",
                                              "medication_started",
                                              "medication_helpful",
                                              "medication_stopped",
                                              "joined_arena",
                                              "left_arena",
                                              "intervention",
                                              "onset"};
static_assert(std::size(kEventNames) == static_cast<std::size_t>(EventKind::Count));

struct EventRecord {
  std::int32_t step;
  EventKind kind;
  PersonId person;
  PersonId other;
  float magnitude;
};

// Per-block outcome tallies of one week, summed in block order (ODD 7.10).
struct Tally {
  double recovery_sum = 0, symptoms_sum = 0, in_episode = 0, recovering = 0;
  std::array<double, 5> chime_sum{};
  double employed = 0, isolated = 0, burden_sum = 0, carers = 0, watchdog = 0, withdrawn = 0;
  double admissions = 0, relapses = 0, bed_days = 0, dropouts = 0, contacts = 0, home_visits = 0,
         gp_visits = 0, waiting_weeks_sum = 0, waiting = 0, alive = 0, stress_sum = 0, deaths = 0,
         in_service = 0, job_finds = 0, admitted = 0;
  double hours_sum = 0;                    // hours worked by employed persons in recovery
  std::array<double, 50> recovery_hist{};  // distribution of the recovery index, bins of 0.02

  void add(const Tally& o);
};

struct Persons {
  std::size_t n = 0;
  // fixed at creation
  std::vector<std::uint8_t> role, traits, profile, age;
  std::vector<std::uint32_t> household;
  std::vector<float> vulnerability;
  // A fixed uniform number per person: a service involving a share x of families involves
  // those with rank < x, so raising x only adds families (common random numbers).
  std::vector<float> involvement_rank;
  // life and symptoms
  std::vector<std::uint8_t> alive, episode, medication, med_trials, work, consent, style;
  std::vector<std::uint16_t> episode_weeks, med_weeks, tenure_weeks, weeks_since_discharge,
      well_weeks;
  std::vector<float> symptoms, symptoms_trend, stress, coping, debt, housing, adherence;
  std::array<std::vector<float>, 5> chime;  // connectedness, hope, identity, meaning, empowerment
  std::vector<float> recovery;              // recovery index (ODD 7.9)
  std::vector<float> received;              // distress received last week (ODD 7.7)
  std::vector<float> pending_shock;  // stress from events others brought on (a death, a break-up)
  // work and arenas
  std::vector<ArenaId> workplace;
  std::vector<float> work_standing;
  // Weekly hours of the current job, 0 when not employed (ODD 7.4); the hours worked in a
  // week are weekly_hours() in process.hpp.
  std::vector<std::uint8_t> job_hours;
  std::vector<ArenaId> arena_slot;    // n * kArenaSlots
  std::vector<float> arena_standing;  // n * kArenaSlots
  // family
  std::vector<float> burden;
  std::vector<PersonId> cares_for, carer;
  std::vector<std::uint16_t> psychoeducation_weeks;  // weeks in the programme (carers)
  // services (ODD 7.8)
  std::vector<std::uint16_t> enrolled, waiting, wait_weeks;
  std::vector<PersonId> main_worker;           // therapist, outreach worker or network team member
  std::vector<std::uint32_t> main_generation;  // the worker's generation when assigned
  std::vector<float> alliance;
  std::vector<std::uint16_t> continuity_weeks;
  std::vector<PersonId> ips_worker, peer_worker, coordinator;
  // The week of the latest start in supported employment: its rapid job search makes
  // job finding likeliest in the first weeks (ODD 7.4).
  std::vector<std::int32_t> ips_start_week;
  // this week's service use, for tallies and costs
  std::vector<float> contacts;
  std::vector<std::uint8_t> home_visit_week;

  void resize(std::size_t count);
};

// Person-person ties as compressed sparse rows. Every tie appears in both persons'
// rows, each side with its own kind and strength (its own view of the tie). Within a
// row, family ties (partner, household, kin) come first, so a process looking for
// family can stop at the first tie that is not.
struct Ties {
  std::vector<std::uint32_t> offsets;  // n + 1, row i is [offsets[i], offsets[i+1])
  std::vector<PersonId> other;
  std::vector<std::uint8_t> relation, kind;
  std::vector<std::uint8_t> conflict_weeks;  // weeks a conflict keeps the tie a stressor
  std::vector<float> strength;               // now; conflicts weaken it (ODD 7.1)
  std::vector<float> base_strength;          // the tie's usual strength, which it regains
  // Per person: how many ties at the start of the row are family ties. Rows never change
  // shape after they are packed (a removed tie keeps its place), so walks that need only
  // the family stop here instead of testing every tie's relation.
  std::vector<std::uint8_t> family_count;
  std::uint32_t begin(PersonId i) const { return offsets[i]; }
  std::uint32_t end(PersonId i) const { return offsets[i + 1]; }
  std::uint32_t family_end(PersonId i) const { return offsets[i] + family_count[i]; }
};

struct Arenas {
  std::vector<std::uint8_t> kind, open;
  std::vector<float> climate;  // inclusion climate 0-1
  std::vector<float> weight;   // climate * rhythm of the kind, refreshed each week
  std::array<std::vector<ArenaId>, static_cast<std::size_t>(ArenaKind::Count)> by_kind;
};

// Staff of every service (professionals and peer workers are persons too).
struct Staff {
  std::vector<PersonId> person;
  std::vector<std::uint8_t> service;
  std::vector<std::uint32_t> caseload, generation;
  std::vector<float> capacity_contacts;  // contacts a week the worker can give
  // staff[k] are the indices into the arrays above of service k's workers
  std::array<std::vector<std::uint32_t>, static_cast<std::size_t>(ServiceKind::Count)> of_service;
  std::vector<std::uint32_t> index_of;  // per person: staff index or UINT32_MAX
};

// Households are runs of consecutive persons: household h is [start[h], start[h+1]).
// What they pool (ODD 7.4) is worked out once a week, before the person pass, from
// last week's state, so every member reads the same figures.
struct Households {
  std::vector<PersonId> start;  // one more entry than households
  std::vector<float> debt;      // mean debt of the living members
  std::vector<float> repay;     // mean weekly repayment their incomes allow
  std::size_t count() const { return start.empty() ? 0 : start.size() - 1; }
};

// Queues and capacity of the ordered service pass (ODD 7.8).
struct ServiceState {
  std::array<std::vector<PersonId>, static_cast<std::size_t>(ServiceKind::Count)> waiting_list;
  std::array<std::size_t, static_cast<std::size_t>(ServiceKind::Count)> next_worker{};
  std::int64_t beds = 0, beds_used = 0;
  std::int64_t psychoeducation_places = 0, psychoeducation_used = 0;
};

struct World {
  scenario::Params params;
  core::Rng rng{1};
  std::int32_t week = 0;
  Persons persons;
  Households households;
  Ties ties;
  Arenas arenas;
  Staff staff;
  ServiceState services;
  std::vector<Signal> signal, next_signal;
  // What the stress walk reads of each neighbour, 4 bytes a person, derived from
  // `signal` at the start of every week (step_week; model::Seen in process.hpp).
  std::vector<std::uint32_t> seen;
  // output: persons whose events are logged (empty vector = none), as a flag per person
  std::vector<std::uint8_t> recorded;
  // Named characters of the scenario are persons 0..characters-1 (never hired as staff).
  std::uint32_t characters = 0;
};

}  // namespace ripple::model
