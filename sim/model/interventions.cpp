// Timeline interventions (ODD 7.11): set a parameter, or close or reopen arenas.
#include "model/interventions.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

#include "model/process.hpp"
#include "model/step.hpp"
#include "ripple/errors.hpp"

namespace ripple::model {
namespace {

// The count for a service scaled to the population: at least one if the rate is positive.
std::int64_t scaled(double per_10k, std::size_t persons) {
  if (per_10k <= 0.0) return 0;
  return std::max<std::int64_t>(1, std::llround(per_10k * static_cast<double>(persons) / 10000.0));
}

// The workers service `k` should have now: none while it is switched off.
std::size_t wanted_staff(const World& w, ServiceKind k) {
  const Staffing staff = staffing(w.params, k);
  return static_cast<std::size_t>(scaled(staff.enabled ? staff.staff_per_10k : 0.0, w.persons.n));
}

// Candidates for a new worker: persons in an order fixed by the seed, so that hiring
// is reproducible. Peer workers come from persons in recovery, other staff from the rest.
bool can_hire(const World& w, PersonId i, ServiceKind k) {
  const Persons& p = w.persons;
  // A story's characters stay who the story says they are.
  if (i < w.characters) return false;
  if (!p.alive[i] || (p.role[i] & (kProfessional | kPeerWorker))) return false;
  const bool recovering = p.role[i] & kInRecovery;
  if (k == ServiceKind::PeerSupport)
    return recovering && p.episode[i] == static_cast<std::uint8_t>(Episode::Well);
  return !recovering && p.cares_for[i] == kNoPerson;
}

}  // namespace

void hire_worker(World& w, PersonId i, ServiceKind k) {
  w.persons.role[i] |= (k == ServiceKind::PeerSupport) ? kPeerWorker : kProfessional;
  const auto s = static_cast<std::uint32_t>(w.staff.person.size());
  w.staff.person.push_back(i);
  w.staff.service.push_back(static_cast<std::uint8_t>(k));
  w.staff.caseload.push_back(0);
  w.staff.generation.push_back(0);
  w.staff.capacity_contacts.push_back(0.0f);
  w.staff.index_of[i] = s;
  w.staff.of_service[static_cast<std::size_t>(k)].push_back(s);
}

void refresh_services(World& w) {
  const std::size_t n = w.persons.n;
  for (std::size_t kk = 0; kk < static_cast<std::size_t>(ServiceKind::Count); ++kk) {
    const auto k = static_cast<ServiceKind>(kk);
    const std::size_t want = wanted_staff(w, k);
    auto& list = w.staff.of_service[kk];
    if (list.size() >= want) continue;
    // Walk persons from a seeded start with a stride coprime to n: a fixed permutation.
    const core::Draw4 d = w.rng.draw(core::Stream::InitServices, static_cast<std::uint32_t>(kk),
                                     static_cast<std::uint32_t>(w.week));
    std::size_t stride = 7919;  // a prime; moved on until coprime with n
    while (std::gcd(stride, n) != 1) stride += 2;
    std::size_t at = d.w[0] % n;
    for (std::size_t tried = 0; tried < n && list.size() < want; ++tried) {
      at = (at + stride) % n;
      const auto i = static_cast<PersonId>(at);
      if (can_hire(w, i, k)) hire_worker(w, i, k);
    }
  }
  const auto& sv = w.params.services;
  w.services.beds = sv.inpatient.enabled ? scaled(sv.inpatient.beds_per_10k, n) : 0;
  w.services.psychoeducation_places =
      sv.psychoeducation.enabled ? scaled(sv.psychoeducation.places_per_10k, n) : 0;
  refresh_capacity(w);
}

void shrink_services(World& w, std::vector<EventRecord>& events) {
  Persons& p = w.persons;
  for (std::size_t kk = 0; kk < static_cast<std::size_t>(ServiceKind::Count); ++kk) {
    const auto k = static_cast<ServiceKind>(kk);
    const bool enabled = staffing(w.params, k).enabled;
    const std::size_t want = wanted_staff(w, k);
    auto& list = w.staff.of_service[kk];
    // The last hired go first; a story's characters stay who the story says they are.
    std::vector<PersonId> leaving;
    std::vector<std::uint32_t> kept;
    std::size_t surplus = list.size() > want ? list.size() - want : 0;
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (surplus > 0 && w.staff.person[*it] >= w.characters) {
        leaving.push_back(w.staff.person[*it]);
        --surplus;
      } else {
        kept.push_back(*it);
      }
    }
    if (leaving.empty() && enabled) continue;
    list.assign(kept.rbegin(), kept.rend());
    std::sort(leaving.begin(), leaving.end());
    const std::uint16_t bit = service_bit(k);
    for (PersonId i = 0; i < p.n; ++i) {
      if (!(p.enrolled[i] & bit)) continue;
      const PersonId worker = worker_of(p, k, i);
      if (enabled && !std::binary_search(leaving.begin(), leaving.end(), worker)) continue;
      leave_service(w, i, k, events, false);
      // While the service stays open, its lost clients queue again like new referrals.
      if (enabled && p.alive[i]) refer(w, i, k, events);
    }
    if (!enabled) {
      for (const PersonId i : w.services.waiting_list[kk])
        p.waiting[i] = static_cast<std::uint16_t>(p.waiting[i] & ~bit);
      w.services.waiting_list[kk].clear();
    }
    for (const PersonId person : leaving) {
      p.role[person] = static_cast<std::uint8_t>(p.role[person] & ~(kProfessional | kPeerWorker));
      w.staff.index_of[person] = UINT32_MAX;
    }
  }
}

void apply_intervention(World& w, const scenario::Intervention& x,
                        std::vector<EventRecord>& events) {
  using Kind = scenario::Intervention::Kind;
  float magnitude = 0.0f;
  if (x.kind == Kind::Set) {
    const scenario::ParamInfo* info = scenario::find_param(x.key);
    RIPPLE_CHECK(info != nullptr, "timeline key not in the parameter table: " + x.key);
    info->set(w.params, x.value);
    magnitude = static_cast<float>(x.value);
    shrink_services(w, events);
    refresh_services(w);
  } else if (x.kind == Kind::PersonAction) {
    // A story's timeline entry for a character, through the same path as Simulation::act.
    PersonAction a;
    a.person = x.person;
    a.other = scenario::is_tie_action(x.action) ? x.other : kNoPerson;
    a.amount = static_cast<float>(x.amount);
    a.beyond_capacity = true;
    constexpr PersonAction::Kind kinds[] = {
        PersonAction::Kind::Psychoeducation, PersonAction::Kind::Enrol,
        PersonAction::Kind::SoftenTie,       PersonAction::Kind::RemoveTie,
        PersonAction::Kind::SupportiveTie,   PersonAction::Kind::DevalueTie,
        PersonAction::Kind::GiveConsent,     PersonAction::Kind::WithdrawConsent};
    static_assert(std::size(kinds) == std::size(scenario::kPersonActionNames));
    RIPPLE_CHECK(x.action >= 0 && x.action < static_cast<int>(std::size(kinds)),
                 "timeline person action out of range");
    a.kind = kinds[x.action];
    if (a.kind == PersonAction::Kind::Enrol) {
      const auto* names = std::begin(kServiceNames);
      const auto* found = std::find_if(names, std::end(kServiceNames),
                                       [&](const char* name) { return x.service == name; });
      RIPPLE_CHECK(found != std::end(kServiceNames), "timeline service unknown: " + x.service);
      a.service = static_cast<ServiceKind>(found - names);
    }
    RIPPLE_CHECK(a.person < w.persons.n && (a.other == kNoPerson || a.other < w.persons.n),
                 "timeline person out of range");
    // Logged by apply_person_action when done; a refusal (e.g. no carer) is no error in a
    // story, the entry simply changes nothing.
    apply_person_action(w, a, events);
    return;
  } else {
    const auto& list = w.arenas.by_kind[static_cast<std::size_t>(x.arena_kind)];
    const bool closing = x.kind == Kind::CloseArenas;
    // Arenas in list order: closing takes the first open ones, reopening the first closed.
    std::vector<ArenaId> candidates;
    for (const ArenaId a : list)
      if (static_cast<bool>(w.arenas.open[a]) == closing) candidates.push_back(a);
    const auto count =
        static_cast<std::size_t>(std::llround(x.share * static_cast<double>(candidates.size())));
    for (std::size_t k = 0; k < count; ++k) w.arenas.open[candidates[k]] = closing ? 0 : 1;
    magnitude = static_cast<float>(count);
  }
  events.push_back({w.week, EventKind::Intervention, kNoPerson, kNoPerson, magnitude});
}

std::string apply_person_action(World& w, const PersonAction& a, std::vector<EventRecord>& events) {
  using Kind = PersonAction::Kind;
  Persons& p = w.persons;
  Ties& t = w.ties;
  const PersonId i = a.person;
  std::string why_not;
  switch (a.kind) {
    case Kind::Psychoeducation: {
      const PersonId carer = p.carer[i];
      if (carer == kNoPerson || !p.alive[carer]) {
        why_not = "has no carer to offer the programme to";
      } else if (p.psychoeducation_weeks[carer] > 0) {
        why_not = "the carer is in the programme already or has completed it";
      } else {
        // A place of its own: counted as used, and handed back when the programme ends.
        p.psychoeducation_weeks[carer] = 1;
        ++w.services.psychoeducation_used;
        if (w.recorded[i])
          events.push_back({w.week, EventKind::ServiceStart, i, carer,
                            static_cast<float>(ServiceKind::Psychoeducation)});
      }
      break;
    }
    case Kind::Enrol:
      why_not = enrol_now(w, i, a.service, a.beyond_capacity, events);
      break;
    case Kind::GiveConsent:
    case Kind::WithdrawConsent: {
      // Persons::consent: bit 0 consent given, bit 1 family involved (family_backing.cpp),
      // which is worked out again each week from the consent.
      constexpr std::uint8_t kGiven = 1, kInvolved = 2;
      const bool give = a.kind == Kind::GiveConsent;
      if (!(p.role[i] & kInRecovery))
        why_not = "is not in recovery, so there is no consent to give or withdraw";
      else if (give == static_cast<bool>(p.consent[i] & kGiven))
        why_not = give ? "has consented already" : "has not consented";
      else
        p.consent[i] = give ? static_cast<std::uint8_t>(p.consent[i] | kGiven)
                            : static_cast<std::uint8_t>(p.consent[i] & ~(kGiven | kInvolved));
      break;
    }
    case Kind::SoftenTie:
    case Kind::RemoveTie:
    case Kind::SupportiveTie:
    case Kind::DevalueTie: {
      const std::uint32_t e1 = find_edge(t, i, a.other), e2 = find_edge(t, a.other, i);
      const auto removed = static_cast<std::uint8_t>(TieKind::Removed);
      if (e1 == UINT32_MAX || e2 == UINT32_MAX || t.kind[e1] == removed) {
        why_not = "has no tie to that person";
        break;
      }
      if (a.kind == Kind::RemoveTie) {
        t.kind[e1] = t.kind[e2] = removed;
        end_caring(w, i, a.other);
      } else if (a.kind == Kind::SoftenTie) {
        // Both sides, and the strength it would recover to, so it stays softer.
        for (const std::uint32_t e : {e1, e2}) {
          t.base_strength[e] *= 1.0f - a.amount;
          t.strength[e] *= 1.0f - a.amount;
        }
      } else if (a.kind == Kind::DevalueTie) {
        // As a devaluation by family (ODD 7.1): only the person's view changes, and the
        // person feels the shock of the event next week.
        if (t.kind[e1] == static_cast<std::uint8_t>(TieKind::Stressor)) {
          why_not = "already feels that tie as a stressor";
          break;
        }
        t.kind[e1] = static_cast<std::uint8_t>(TieKind::Stressor);
        p.pending_shock[i] += static_cast<float>(w.params.events.event_shock);
      } else {
        t.kind[e1] = static_cast<std::uint8_t>(TieKind::Support);
        t.conflict_weeks[e1] = t.conflict_weeks[e2] = 0;
        t.strength[e1] = t.strength[e2] = std::max(t.strength[e1], t.base_strength[e1]);
      }
      break;
    }
  }
  if (why_not.empty())
    events.push_back({w.week, EventKind::Intervention, i, a.other, static_cast<float>(a.kind)});
  return why_not;
}

}  // namespace ripple::model
