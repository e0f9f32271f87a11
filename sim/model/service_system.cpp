// Process 8: the service system (ODD 7.8; DOMAIN.md studies 5 and 7).
//
// The one serial pass of the week. It hands out shared capacity (beds, caseload
// places, programme places) in a fixed order, so results never depend on threads:
//   0. events between two persons, in request order: a death removes the dead
//      person's ties from both ends and gives everyone tied to them grief in
//      proportion to the tie; a break-up removes the partner tie; a conflict makes
//      the tie a stressor for events.conflict_weeks on both sides;
//   1. releases, in request order (person order): deaths, ward discharges, leaving
//      a service (drop-out or discharge), finished programme places;
//   2. staff turnover, in staff order: a leaving worker is replaced at once by a new
//      one (generation + 1); clients notice next week and start again from low trust;
//   3. beds: this week's admission requests by severity (symptoms, then person id);
//   4. referrals join the waiting lists, in request order;
//   5. waiting lists, service by service in ServiceKind order, first come first
//      served; each new client goes to the next worker with room (round robin);
//   6. psychoeducation places, in request order.
// Reads and writes enrolment, waiting, workers, beds, places, staff caseloads.
// Params:  services.*, helping.alliance_start, chime.coercion_empowerment.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <tuple>

#include "model/process.hpp"
#include "ripple/errors.hpp"

namespace ripple::model {
namespace {

using core::Stream;

constexpr std::size_t idx(ServiceKind k) { return static_cast<std::size_t>(k); }

}  // namespace

void leave_service(World& w, PersonId i, ServiceKind k, std::vector<EventRecord>& events,
                   bool dropout) {
  Persons& p = w.persons;
  const std::uint16_t bit = service_bit(k);
  if (!(p.enrolled[i] & bit)) return;
  p.enrolled[i] = static_cast<std::uint16_t>(p.enrolled[i] & ~bit);
  PersonId& worker = worker_slot(p, k, i);
  if (worker != kNoPerson) {
    const std::uint32_t s = w.staff.index_of[worker];
    if (w.staff.caseload[s] > 0) --w.staff.caseload[s];
  }
  if (w.recorded[i])
    events.push_back({w.week, dropout ? EventKind::Dropout : EventKind::ServiceEnd, i, worker,
                      static_cast<float>(k)});
  worker = kNoPerson;
  if (kMainServices & bit) p.alliance[i] = 0.0f;
}

namespace {

void release_all(World& w, PersonId i, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  for (std::size_t k = 0; k < idx(ServiceKind::Count); ++k)
    leave_service(w, i, static_cast<ServiceKind>(k), events, false);
  p.waiting[i] = 0;
  // A dead person's state stays as it was, but for the bed: it is freed and the person
  // is no longer counted as admitted.
  if (p.episode[i] == static_cast<std::uint8_t>(Episode::Admitted)) {
    --w.services.beds_used;
    p.episode[i] = static_cast<std::uint8_t>(Episode::Acute);
  }
}

// The next worker of service k with room, round robin from where the last search ended.
std::uint32_t find_worker(World& w, ServiceKind k, std::int64_t cap) {
  auto& list = w.staff.of_service[idx(k)];
  if (list.empty()) return UINT32_MAX;
  std::size_t& next = w.services.next_worker[idx(k)];
  for (std::size_t tried = 0; tried < list.size(); ++tried) {
    const std::uint32_t s = list[(next + tried) % list.size()];
    if (w.staff.caseload[s] < static_cast<std::uint32_t>(cap)) {
      next = (next + tried + 1) % list.size();
      return s;
    }
  }
  return UINT32_MAX;
}

// Person i starts in service k with worker s: off its waiting list, into the worker's
// caseload, and for a main service a fresh helping relationship. `logged` is the
// magnitude of the ServiceStart event (the weeks waited, where there was a wait).
void start_with_worker(World& w, PersonId i, ServiceKind k, std::uint32_t s, float logged,
                       std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  const std::uint16_t bit = service_bit(k);
  ++w.staff.caseload[s];
  p.waiting[i] = static_cast<std::uint16_t>(p.waiting[i] & ~bit);
  p.enrolled[i] |= bit;
  worker_slot(p, k, i) = w.staff.person[s];
  if (kMainServices & bit) {
    p.main_generation[i] = w.staff.generation[s];
    p.alliance[i] = static_cast<float>(w.params.helping.alliance_start);
    p.continuity_weeks[i] = 0;
  }
  if (k == ServiceKind::Ips) p.ips_start_week[i] = w.week;
  if (w.recorded[i])
    events.push_back({w.week, EventKind::ServiceStart, i, w.staff.person[s], logged});
}

// The one move between main services: from the office-based CMHC to outreach.
bool is_transfer(const Persons& p, PersonId i, ServiceKind k) {
  return k == ServiceKind::Outreach && (p.enrolled[i] & service_bit(ServiceKind::Cmhc));
}

// Whether the waiting list of k would drop person i rather than admit them: k is a main
// service and i is in another one, and the move is not the CMHC's to outreach.
bool list_drops(const Persons& p, PersonId i, ServiceKind k) {
  return (kMainServices & service_bit(k)) && (p.enrolled[i] & kMainServices) &&
         !is_transfer(p, i, k);
}

void admit_from_waiting_list(World& w, ServiceKind k, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  auto& queue = w.services.waiting_list[idx(k)];
  const std::uint16_t bit = service_bit(k);
  const std::int64_t cap = caseload_cap(w.params, k);
  std::size_t taken = 0;
  for (; taken < queue.size(); ++taken) {
    const PersonId i = queue[taken];
    // Entries of persons who died, left the list or were taken elsewhere are skipped.
    if (!p.alive[i] || !(p.waiting[i] & bit) || (p.enrolled[i] & bit)) continue;
    if (list_drops(p, i, k)) {
      p.waiting[i] = static_cast<std::uint16_t>(p.waiting[i] & ~bit);
      continue;
    }
    const std::uint32_t s = find_worker(w, k, cap);
    if (s == UINT32_MAX) break;
    // A CMHC client who cannot bear offices moves to the outreach team once it has room.
    if (is_transfer(p, i, k)) leave_service(w, i, ServiceKind::Cmhc, events, false);
    start_with_worker(w, i, k, s, static_cast<float>(p.wait_weeks[i]), events);
    if (!(p.waiting[i] & kMainServices)) p.wait_weeks[i] = 0;
  }
  queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(taken));
}

}  // namespace

void end_caring(World& w, PersonId a, PersonId b) {
  Persons& p = w.persons;
  const auto programme =
      static_cast<std::uint16_t>(w.params.services.psychoeducation.programme_weeks);
  for (const auto& [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
    if (p.carer[x] == y) p.carer[x] = kNoPerson;
    if (p.cares_for[x] == y) {
      if (p.psychoeducation_weeks[x] > 0 && p.psychoeducation_weeks[x] < programme) {
        --w.services.psychoeducation_used;
        p.psychoeducation_weeks[x] = programme;
      }
      p.cares_for[x] = kNoPerson;
      p.style[x] = static_cast<std::uint8_t>(CaringStyle::NotCarer);
      p.role[x] = static_cast<std::uint8_t>(p.role[x] & ~kCarer);
      p.burden[x] = 0.0f;
    }
  }
}

namespace {

void log_event(World& w, std::vector<EventRecord>& events, EventKind kind, PersonId person,
               PersonId other, float magnitude) {
  if (w.recorded[person]) events.push_back({w.week, kind, person, other, magnitude});
}

}  // namespace

void remove_dead_ties(World& w, PersonId i, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  Ties& t = w.ties;
  const auto removed = static_cast<std::uint8_t>(TieKind::Removed);
  for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
    if (t.kind[e] == removed) continue;
    t.kind[e] = removed;
    const PersonId j = t.other[e];
    const std::uint32_t back = find_edge(t, j, i);
    if (back == UINT32_MAX || t.kind[back] == removed) continue;
    t.kind[back] = removed;
    const float grief = static_cast<float>(w.params.events.bereavement_shock) * t.strength[back];
    p.pending_shock[j] += grief;
    end_caring(w, i, j);
    log_event(w, events, EventKind::Bereavement, j, i, grief);
  }
}

namespace {

void pair_events(World& w, const std::vector<Request>& requests, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  Ties& t = w.ties;
  const auto& ev = w.params.events;
  const auto removed = static_cast<std::uint8_t>(TieKind::Removed);
  for (const Request& q : requests) {
    const PersonId i = q.person;
    if (q.kind == RequestKind::Died) {
      remove_dead_ties(w, i, events);
    } else if (q.kind == RequestKind::Breakup || q.kind == RequestKind::Conflict) {
      const PersonId j = q.other;
      if (!p.alive[i] || !p.alive[j]) continue;
      const std::uint32_t e1 = find_family_edge(t, i, j), e2 = find_family_edge(t, j, i);
      if (e1 == UINT32_MAX || e2 == UINT32_MAX || t.kind[e1] == removed || t.kind[e2] == removed)
        continue;  // the tie ended earlier this week (a death, the other partner's decision)
      const bool breakup = q.kind == RequestKind::Breakup;
      const float shock =
          static_cast<float>(breakup ? ev.event_shock : ev.minor_shock_share * ev.event_shock);
      for (const auto& [x, y, e] : {std::tuple{i, j, e1}, std::tuple{j, i, e2}}) {
        if (breakup) {
          t.kind[e] = removed;
        } else {
          t.conflict_weeks[e] = static_cast<std::uint8_t>(ev.conflict_weeks);
          t.strength[e] =
              std::max(0.05f, t.strength[e] - static_cast<float>(ev.conflict_strength_loss));
        }
        p.pending_shock[x] += shock;
        log_event(w, events, breakup ? EventKind::Breakup : EventKind::FamilyConflict, x, y, shock);
      }
      if (breakup) end_caring(w, i, j);
    }
  }
}

}  // namespace

std::string enrol_now(World& w, PersonId i, ServiceKind k, bool beyond_capacity,
                      std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  const std::uint16_t bit = service_bit(k);
  if (!p.alive[i]) return "has died";
  if (p.enrolled[i] & bit) return "is already in it";
  auto& list = w.staff.of_service[idx(k)];
  if (list.empty()) return "the service has no staff (switch it on first)";
  std::uint32_t s = find_worker(w, k, caseload_cap(w.params, k));
  if (s == UINT32_MAX && beyond_capacity) {
    // An extra place: the worker with the fewest clients takes one more.
    s = *std::min_element(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
      return w.staff.caseload[a] < w.staff.caseload[b];
    });
  }
  if (s == UINT32_MAX) {
    // The waiting list would drop such a person, so they are not queued and keep the
    // care they have.
    if (list_drops(p, i, k))
      return fmt::format("every worker is full, and a person in {} waits for no other main service",
                         kServiceNames[idx(main_service(p.enrolled[i]))]);
    // No room: first in the queue instead (the week's waiting-list pass takes them).
    if (!(p.waiting[i] & bit)) {
      if (!p.waiting[i]) p.wait_weeks[i] = 0;
      p.waiting[i] |= bit;
      auto& queue = w.services.waiting_list[idx(k)];
      queue.insert(queue.begin(), i);
    }
    return "every worker is full: first on the waiting list";
  }
  // One main service at a time: a person moved into another leaves the old one.
  if (kMainServices & bit) {
    const ServiceKind old = main_service(p.enrolled[i]);
    if (old != ServiceKind::Count) leave_service(w, i, old, events, false);
  }
  start_with_worker(w, i, k, s, 0.0f, events);
  return {};
}

void refer(World& w, PersonId i, ServiceKind k, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  const std::uint16_t bit = service_bit(k);
  if ((p.enrolled[i] | p.waiting[i]) & bit) return;
  if ((kMainServices & bit) && ((p.enrolled[i] | p.waiting[i]) & kMainServices) &&
      !is_transfer(p, i, k))
    return;
  if (caseload_cap(w.params, k) == 0) return;
  if (!p.waiting[i]) p.wait_weeks[i] = 0;
  p.waiting[i] |= bit;
  w.services.waiting_list[idx(k)].push_back(i);
  if (w.recorded[i])
    events.push_back({w.week, EventKind::Referral, i, kNoPerson, static_cast<float>(k)});
}

void service_system(World& w, const Rates& r, std::vector<Request>& requests,
                    std::vector<EventRecord>& events, Tally& tally) {
  Persons& p = w.persons;
  const auto& sv = w.params.services;
  // 0. events between two persons
  pair_events(w, requests, events);
  // 1. releases
  for (const Request& q : requests) {
    switch (q.kind) {
      case RequestKind::Died:
        release_all(w, q.person, events);
        break;
      case RequestKind::LeaveBed:
        if (p.episode[q.person] != static_cast<std::uint8_t>(Episode::Admitted)) break;
        --w.services.beds_used;
        p.episode[q.person] = static_cast<std::uint8_t>(Episode::Struggling);
        p.episode_weeks[q.person] = 0;
        p.weeks_since_discharge[q.person] = 0;
        if (w.recorded[q.person])
          events.push_back(
              {w.week, EventKind::Discharge, q.person, kNoPerson, p.symptoms[q.person]});
        break;
      case RequestKind::Leave:
        if (q.value > 0.5f && (p.enrolled[q.person] & service_bit(q.service))) tally.dropouts += 1;
        leave_service(w, q.person, q.service, events, q.value > 0.5f);
        break;
      case RequestKind::PsychoeducationPlace:
        if (q.value < 0.0f) --w.services.psychoeducation_used;
        break;
      default:
        break;
    }
  }
  // 2. turnover
  for (std::uint32_t s = 0; s < w.staff.person.size(); ++s) {
    const double h = r.turnover[w.staff.service[s]];
    if (h > 0.0 && w.rng.draw(Stream::Staff, s, static_cast<std::uint32_t>(w.week)).uniform(0) < h)
      ++w.staff.generation[s];
  }
  // 3. beds, the most severe first
  std::vector<std::pair<float, PersonId>> beds;
  for (const Request& q : requests)
    if (q.kind == RequestKind::Bed) beds.emplace_back(q.value, q.person);
  std::sort(beds.begin(), beds.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [severity, i] : beds) {
    if (w.services.beds_used >= w.services.beds) break;
    if (!p.alive[i] || p.episode[i] == static_cast<std::uint8_t>(Episode::Admitted)) continue;
    ++w.services.beds_used;
    p.episode[i] = static_cast<std::uint8_t>(Episode::Admitted);
    p.episode_weeks[i] = 0;
    // Admission is coercive: it costs empowerment (ODD 7.9).
    p.chime[4][i] =
        clamp01(p.chime[4][i] - static_cast<float>(w.params.chime.coercion_empowerment));
    tally.admissions += 1;
    if (w.recorded[i]) events.push_back({w.week, EventKind::Admission, i, kNoPerson, severity});
    // Everyone admitted is followed up by outpatient care afterwards.
    if (!(p.enrolled[i] & kMainServices)) {
      const ServiceKind to = sv.open_dialogue.enabled ? ServiceKind::OpenDialogue
                             : sv.outreach.enabled    ? ServiceKind::Outreach
                                                      : ServiceKind::Cmhc;
      refer(w, i, to, events);
    }
  }
  // 4. referrals
  for (const Request& q : requests)
    if (q.kind == RequestKind::Refer && p.alive[q.person]) refer(w, q.person, q.service, events);
  // 5. waiting lists
  for (std::size_t k = 0; k < idx(ServiceKind::Count); ++k)
    if (!w.services.waiting_list[k].empty())
      admit_from_waiting_list(w, static_cast<ServiceKind>(k), events);
  // 6. psychoeducation places
  for (const Request& q : requests) {
    if (q.kind != RequestKind::PsychoeducationPlace || q.value < 0.0f) continue;
    if (!sv.psychoeducation.enabled) break;
    if (w.services.psychoeducation_used >= w.services.psychoeducation_places) break;
    const PersonId carer = p.carer[q.person];
    if (carer == kNoPerson || !p.alive[carer] || p.psychoeducation_weeks[carer] > 0) continue;
    p.psychoeducation_weeks[carer] = 1;
    ++w.services.psychoeducation_used;
    if (w.recorded[q.person])
      events.push_back({w.week, EventKind::ServiceStart, q.person, carer,
                        static_cast<float>(ServiceKind::Psychoeducation)});
  }
  RIPPLE_CHECK(w.services.beds_used >= 0, "negative bed count");
  RIPPLE_CHECK(w.services.psychoeducation_used >= 0, "negative programme place count");
}

}  // namespace ripple::model
