// What every process sees: the week's derived rates, one block of persons, the
// block's scratch values (written by one process, read by a later one in the
// same week), and the block's output buffers (requests, events, tallies).
//
// Rule of the weekly pass: a process reads and writes the state of the person it
// works on, and reads other persons only through World::signal (last week's
// snapshot). That is what makes the pass lock-free and independent of thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "core/blocks.hpp"
#include "core/rng.hpp"
#include "model/world.hpp"

namespace ripple::model {

// Per-year probabilities and other parameters turned into weekly terms once a week.
struct Rates {
  double death, breakup, job_loss, debt_letter, conflict, exclusion, devaluation,
      devaluation_recover;
  std::array<double, static_cast<std::size_t>(Profile::Count)> relapse, vulnerability;
  double med_start;
  double join, leave, job_find;
  double dropout, gp_visit;
  double style_drift, style_recover, psychoeducation_recover, consent_withdraw, consent_give;
  std::array<double, static_cast<std::size_t>(ArenaKind::Count)> rhythm;
  std::array<double, static_cast<std::size_t>(ServiceKind::Count)> turnover;
};
Rates derive_rates(const scenario::Params& p);

// What the stress walk reads of a neighbour, packed in 4 bytes (derived each week from
// World::signal by step_week). The walk reads one of these per tie, mostly scattered
// over the whole population; half the size of a Signal keeps twice as many of them in
// cache at a million persons. Bits 0-7: symptoms * 255; bits 16-31: distress * 1024;
// bits 8-15: the kSeen* flags below.
using Seen = std::uint32_t;
inline constexpr std::uint32_t kSeenIll = 1u << 8;         // in recovery and in an episode
inline constexpr std::uint32_t kSeenRecovered = 1u << 9;   // kSigRecovered
inline constexpr std::uint32_t kSeenWatchdog = 1u << 10;   // caring style watchdog
inline constexpr std::uint32_t kSeenWithdrawn = 1u << 11;  // caring style withdrawn
inline Seen seen_of(const Signal& s) {
  std::uint32_t v = s.symptoms | (static_cast<std::uint32_t>(s.distress) << 16);
  const auto episode = static_cast<Episode>(s.episode);
  if ((s.flags & kSigInRecovery) && (episode == Episode::Acute || episode == Episode::Admitted))
    v |= kSeenIll;
  if (s.flags & kSigRecovered) v |= kSeenRecovered;
  if (s.style == static_cast<std::uint8_t>(CaringStyle::Watchdog)) v |= kSeenWatchdog;
  if (s.style == static_cast<std::uint8_t>(CaringStyle::Withdrawn)) v |= kSeenWithdrawn;
  return v;
}

// Values handed from one process to a later one within the week, per person of a block.
struct Scratch {
  std::array<float, core::kBlockSize> shock;                   // stress from this week's events
  std::array<float, core::kBlockSize> support;                 // summed support strength
  std::array<float, core::kBlockSize> stressor;                // stressor load (stress units)
  std::array<float, core::kBlockSize> received;                // distress received along ties
  std::array<float, core::kBlockSize> volatility;              // symptom noise this week
  std::array<float, core::kBlockSize> belonging;               // arena and work belonging 0-1
  std::array<float, core::kBlockSize> presence;                // contacts delivered this week
  std::array<float, core::kBlockSize> power_sharing;           // of the main service, 0 if none
  std::array<std::uint8_t, core::kBlockSize> recovered_peers;  // ties to recovered peers
  std::array<std::uint8_t, core::kBlockSize> flags;            // kScratch* bits
  std::array<core::WeekKey, core::kBlockSize> week_key;  // one Philox draw per person and week
};
inline constexpr std::uint8_t kScratchRelapse = 1;
inline constexpr std::uint8_t kScratchCrisis = 2;        // an acute episode started
inline constexpr std::uint8_t kScratchDevalued = 4;      // a family tie devalues the person
inline constexpr std::uint8_t kScratchWatchdog = 8;      // the person's carer over-monitors
inline constexpr std::uint8_t kScratchIllRelative = 16;  // a relative is severely ill

struct Block {
  World& w;
  const Rates& r;
  std::size_t begin, end;
  Scratch& s;
  std::vector<Request>& requests;
  std::vector<EventRecord>& events;
  Tally& tally;

  std::size_t local(PersonId i) const { return i - begin; }
  // The person's random numbers of this week in one process's stream (core/rng.hpp).
  core::LocalDraws draws(PersonId i, core::Stream stream) const {
    return core::LocalDraws(s.week_key[local(i)], static_cast<std::uint32_t>(stream));
  }
  void log(EventKind kind, PersonId person, PersonId other, float magnitude) {
    if (w.recorded[person]) events.push_back({w.week, kind, person, other, magnitude});
  }
  void request(RequestKind kind, PersonId person, ServiceKind service = ServiceKind::GP,
               float value = 0.0f, PersonId other = kNoPerson) {
    requests.push_back({person, kind, service, value, other});
  }
};

// The processes of the weekly person pass, in the order step.cpp calls them.
void life_events(Block& b);
void stress_buffering(Block& b);
void symptoms_episodes(Block& b);
void belonging_work(Block& b);
void helping_relationships(Block& b);
void family_backing(Block& b);
void hope_empowerment(Block& b);
void ripple_propagation(Block& b);
// Before the person pass: what each household pools (ODD 7.4), from last week's state.
void pool_households(World& w);
// The ordered pass over the week's requests (beds, caseloads, places).
void service_system(World& w, const Rates& r, std::vector<Request>& requests,
                    std::vector<EventRecord>& events, Tally& tally);

// Takes person i into service k now, outside the weekly order (a trial place, a live
// what-if): a worker with room, else with `beyond_capacity` the least-loaded worker
// (over the cap), else first on the waiting list (not for a main service when the person
// is in another one, except the CMHC's move to outreach: then nothing changes and the
// reason says so). A person moved into a main service leaves the one they were in.
// Returns "" when enrolled, else why not, in plain words.
std::string enrol_now(World& w, PersonId i, ServiceKind k, bool beyond_capacity,
                      std::vector<EventRecord>& events);

// Ends the links of caring between two persons whose tie ended. A carer who was in
// the psychoeducation programme leaves it and hands the place back (what they learned
// stays: the weeks count is set to the programme's end).
void end_caring(World& w, PersonId a, PersonId b);

// Person i leaves service k (if in it): off the worker's caseload, logged as a drop-out
// or an ordinary end; a main service's alliance ends with it.
void leave_service(World& w, PersonId i, ServiceKind k, std::vector<EventRecord>& events,
                   bool dropout);

// Puts person i on service k's waiting list (if not already in or waiting for it).
void refer(World& w, PersonId i, ServiceKind k, std::vector<EventRecord>& events);

// Removes a dead person's ties at both ends; everyone tied to them grieves next week
// in proportion to the tie (events.bereavement_shock).
void remove_dead_ties(World& w, PersonId dead, std::vector<EventRecord>& events);

// Adds this block's outcomes to b.tally (after all processes of the week).
void tally_block(Block& b);

// Asks for the arena data of person i (climate and open flag of each membership and
// the workplace) ahead of use: arenas are scattered in memory, and at a million
// persons these reads stalled the passes that use them.
inline void prefetch_arenas(const World& w, std::size_t i) {
  const Persons& p = w.persons;
  for (int k = 0; k < kArenaSlots; ++k) {
    const ArenaId a = p.arena_slot[i * kArenaSlots + k];
    if (a != kNoArena) {
      __builtin_prefetch(w.arenas.climate.data() + a);
      __builtin_prefetch(w.arenas.open.data() + a);
    }
  }
  if (p.workplace[i] != kNoArena) {
    __builtin_prefetch(w.arenas.climate.data() + p.workplace[i]);
    __builtin_prefetch(w.arenas.open.data() + p.workplace[i]);
  }
}
inline constexpr std::size_t kPrefetchAhead = 4;  // persons

// --- small shared helpers -------------------------------------------------

// 1 + boost, halving its extra part every `half_life` weeks: an effect strongest at the
// start of a period (rapid job search in supported employment, ODD 7.4; a watchdog
// carer's stress after an episode, ODD 7.2).
inline double halving_boost(double boost, double weeks, double half_life) {
  return 1.0 + boost * std::exp2(-weeks / half_life);
}

inline float clamp01(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }
inline float unpack01(std::uint8_t v) { return static_cast<float>(v) * (1.0f / 255.0f); }
inline std::uint8_t pack01(float x) {
  return static_cast<std::uint8_t>(clamp01(x) * 255.0f + 0.5f);
}

inline bool is_family(Relation r) {
  return r == Relation::Partner || r == Relation::Household || r == Relation::Kin;
}

inline bool in_episode(Episode e) { return e == Episode::Acute || e == Episode::Admitted; }

// Hours of work (ODD 7.4). A job taken now is part-time with arenas.part_time_share
// (services.ips.part_time_share when found with supported employment), otherwise full
// time; a part-time job's hours are uniform from half to one and a half times
// arenas.part_time_hours, below full time. `u` and `v` are two uniforms in [0, 1).
inline std::uint8_t job_hours_at_hire(const scenario::Params& params, bool ips, double u,
                                      double v) {
  const auto& ar = params.arenas;
  const auto full = static_cast<int>(ar.full_time_hours);
  const double part_share = ips ? params.services.ips.part_time_share : ar.part_time_share;
  if (u >= part_share) return static_cast<std::uint8_t>(full);
  const auto mean = static_cast<int>(ar.part_time_hours);
  const int low = std::max(1, std::min(mean / 2, full - 1));
  const int high = std::max(low, std::min(mean + mean / 2, full - 1));
  return static_cast<std::uint8_t>(low + static_cast<int>(v * (high - low + 1)));
}

// Hours worked this week: none when not employed or in an acute episode or on a ward
// (sick leave; the job is kept), otherwise the job's hours less a share for symptoms.
inline int weekly_hours(const scenario::Params& params, const Persons& p, PersonId i) {
  if (p.work[i] != static_cast<std::uint8_t>(Work::Employed) ||
      in_episode(static_cast<Episode>(p.episode[i])))
    return 0;
  const double kept = 1.0 - params.arenas.symptom_hours_effect * static_cast<double>(p.symptoms[i]);
  return static_cast<int>(std::lround(static_cast<double>(p.job_hours[i]) * kept));
}

// The main helping relationship comes from one of these services.
inline constexpr std::uint16_t kMainServices = service_bit(ServiceKind::Cmhc) |
                                               service_bit(ServiceKind::Outreach) |
                                               service_bit(ServiceKind::OpenDialogue);
// Services a person has to navigate (GP and ward are not counted as separate systems).
inline constexpr std::uint16_t kNavigatedServices =
    kMainServices | service_bit(ServiceKind::Ips) | service_bit(ServiceKind::PeerSupport);

// Bit count without a library call (the build targets any x86-64, without POPCNT).
// Most persons are in no service or one: those answer without the full count.
inline int popcount16(std::uint16_t x) {
  if ((x & (x - 1u)) == 0) return x != 0 ? 1 : 0;
  unsigned v = x;
  v = v - ((v >> 1) & 0x5555u);
  v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
  v = (v + (v >> 4)) & 0x0F0Fu;
  return static_cast<int>((v + (v >> 8)) & 0x1Fu);
}

// Which main service a person is in (Count if none).
inline ServiceKind main_service(std::uint16_t enrolled) {
  if (!(enrolled & kMainServices)) return ServiceKind::Count;  // most persons
  if (enrolled & service_bit(ServiceKind::OpenDialogue)) return ServiceKind::OpenDialogue;
  if (enrolled & service_bit(ServiceKind::Outreach)) return ServiceKind::Outreach;
  if (enrolled & service_bit(ServiceKind::Cmhc)) return ServiceKind::Cmhc;
  return ServiceKind::Count;
}

// Parameters of the main services, by kind, in one shape.
struct HelpingStyle {
  double contacts_per_week, power_sharing, communication, family_involvement, practical_counselling,
      pushing, follow_up, transcending, availability, home_treatment;
  bool office_based;
};
HelpingStyle helping_style(const scenario::Params& p, ServiceKind k);

// Staffing parameters of the services that employ workers, by kind, in one shape;
// all zero for the GP, the ward and the psychoeducation programme (beds and places).
struct Staffing {
  bool enabled;
  double staff_per_10k;
  std::int64_t caseload_cap;
  double hours_per_week, admin_share;
};
Staffing staffing(const scenario::Params& p, ServiceKind k);

// Most clients a worker of service k may take now (0 while the service is closed).
inline std::int64_t caseload_cap(const scenario::Params& p, ServiceKind k) {
  const Staffing s = staffing(p, k);
  return s.enabled ? s.caseload_cap : 0;
}

// The slot holding the worker who serves person i in service k (kNoPerson if none);
// a reference into Persons, const or not as `p` is.
template <class P>
auto& worker_slot(P& p, ServiceKind k, PersonId i) {
  switch (k) {
    case ServiceKind::Ips:
      return p.ips_worker[i];
    case ServiceKind::PeerSupport:
      return p.peer_worker[i];
    case ServiceKind::Coordinator:
      return p.coordinator[i];
    default:
      return p.main_worker[i];
  }
}
inline PersonId worker_of(const Persons& p, ServiceKind k, PersonId i) {
  return worker_slot(p, k, i);
}

// Planned contacts a week and the contacts at which the effect is full, for the
// services beside the main helping relationship (IPS, peer support, coordinator).
struct SideContacts {
  double planned, full_effect;
};
inline SideContacts side_contacts(const scenario::Params& p, ServiceKind k) {
  const auto& sv = p.services;
  switch (k) {
    case ServiceKind::Ips:
      return {sv.ips.contacts_per_week, sv.ips.full_effect_contacts};
    case ServiceKind::PeerSupport:
      return {sv.peer_support.contacts_per_week, sv.peer_support.full_effect_contacts};
    case ServiceKind::Coordinator:
      return {sv.coordinator.contacts_per_week, sv.coordinator.full_effect_contacts};
    default:
      return {0.0, 1.0};
  }
}

// Contacts person i gets this week from its worker in side service k: the planned
// contacts, capped by the worker's time after administration shared over the
// caseload (as for the main worker, ODD 7.5). 0 without a worker. Staff capacity and
// caseloads change only in the ordered service pass, so any process may ask.
inline float side_delivered(const World& w, PersonId i, ServiceKind k) {
  const PersonId worker = worker_of(w.persons, k, i);
  if (worker == kNoPerson) return 0.0f;
  const std::uint32_t s = w.staff.index_of[worker];
  const float share = w.staff.capacity_contacts[s] /
                      static_cast<float>(std::max<std::uint32_t>(1, w.staff.caseload[s]));
  return std::min(static_cast<float>(side_contacts(w.params, k).planned), share);
}

// How much of a side service's effect person i gets this week, 0-1: delivered
// contacts over the contacts at which the effect is full.
inline float side_dose(const World& w, PersonId i, ServiceKind k) {
  const float delivered = side_delivered(w, i, k);
  if (delivered <= 0.0f) return 0.0f;
  return std::min(1.0f, delivered / static_cast<float>(side_contacts(w.params, k).full_effect));
}

// Services beyond the first that a person navigates alone (ODD 7.8), after the
// coordinator's relief.
inline float fragmentation(const World& w, PersonId i) {
  const int extra = popcount16(w.persons.enrolled[i] & kNavigatedServices) - 1;
  if (extra <= 0) return 0.0f;
  // The coordinator's relief acts in proportion to the contacts it has time for.
  const double relief = w.params.services.coordinator.fragmentation_relief *
                        side_dose(w, i, ServiceKind::Coordinator);
  return static_cast<float>(extra * (1.0 - relief));
}

// The edge of row `from` that points to `to`, or UINT32_MAX.
inline std::uint32_t find_edge(const Ties& t, PersonId from, PersonId to) {
  for (std::uint32_t e = t.begin(from); e < t.end(from); ++e)
    if (t.other[e] == to) return e;
  return UINT32_MAX;
}

// find_edge for a pair known to be family (a conflict, a break-up): family ties come
// first in every row, so the search looks there first; only if the pair has no family
// tie does it go on over the whole row. The serial service pass makes tens of
// thousands of these a week at a million persons, each on a row of its own.
inline std::uint32_t find_family_edge(const Ties& t, PersonId from, PersonId to) {
  for (std::uint32_t e = t.begin(from); e < t.family_end(from); ++e)
    if (t.other[e] == to) return e;
  return find_edge(t, from, to);
}

}  // namespace ripple::model
