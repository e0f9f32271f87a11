// Process 1: life events (ODD 7.1; DOMAIN.md studies 1 and 3).
//
// Reads:   alive, role, work, workplace, debt, symptoms, episode, arena slots, own tie
//          row, pending shock (from events that others brought on last week).
// Writes:  alive, work, workplace, tenure, debt, own tie row (kind), arena standing;
//          requests Died, Breakup and Conflict; Scratch::shock and flags.
// Params:  events.*, arenas.standing_loss, services.ips.job_keep_factor.
//
// Events that involve two persons (a death, a break-up, a family conflict) are
// decided by one of them and applied to both in the ordered service pass, which also
// removes a dead person's ties and hands grief to everyone tied to them. The other
// person feels it the next week through `pending_shock`. So no person ever writes
// another's state in the parallel pass.
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {
namespace {

using core::LocalDraws;
using core::Stream;

// Break-ups, conflicts, devaluation and its reversal, on the person's own row.
void family_events(Block& b, PersonId i, double u_breakup, double u_conflict, double u_revert,
                   double u_devalue, std::uint64_t pick, float& shock) {
  World& w = b.w;
  Ties& t = w.ties;
  const auto& ev = w.params.events;
  const bool in_recovery = w.persons.role[i] & kInRecovery;
  std::uint32_t family = 0, stressors = 0;
  std::uint32_t partner_edge = UINT32_MAX;
  const std::uint32_t row_begin = t.begin(i), family_end = t.family_end(i);
  for (std::uint32_t e = row_begin; e < family_end; ++e) {
    const auto rel = static_cast<Relation>(t.relation[e]);
    if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Removed)) continue;
    ++family;
    if (rel == Relation::Partner) partner_edge = e;
    if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Stressor)) ++stressors;
  }
  auto nth_family = [&](std::uint32_t n, bool stressor_only) {
    for (std::uint32_t e = row_begin; e < family_end; ++e) {
      if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Removed)) continue;
      if (stressor_only && t.kind[e] != static_cast<std::uint8_t>(TieKind::Stressor)) continue;
      if (n-- == 0) return e;
    }
    return UINT32_MAX;
  };
  // Each partner may end it: half the couple's rate on each side.
  if (partner_edge != UINT32_MAX && u_breakup < 0.5 * b.r.breakup)
    b.request(RequestKind::Breakup, i, ServiceKind::GP, 0.0f, t.other[partner_edge]);
  // A conflict this person starts with one of their family, likelier when unwell.
  if (family > 0 && u_conflict < b.r.conflict * family *
                                     (1.0 + ev.conflict_symptom_factor * w.persons.symptoms[i])) {
    const std::uint32_t e = nth_family(static_cast<std::uint32_t>(pick % family), false);
    b.request(RequestKind::Conflict, i, ServiceKind::GP, 0.0f, t.other[e]);
  }
  // A devaluing or abusive tie can turn supportive again (the environment changes),
  // twice as readily when the person's carer is in psychoeducation.
  const PersonId carer = w.persons.carer[i];
  const bool educated = carer != kNoPerson && (w.signal[carer].flags & kSigPsychoeducated);
  if (stressors > 0 && u_revert < b.r.devaluation_recover * stressors * (educated ? 2.0 : 1.0))
    t.kind[nth_family(static_cast<std::uint32_t>((pick >> 20) % stressors), true)] =
        static_cast<std::uint8_t>(TieKind::Support);
  // Devaluation by family (the excluded pallbearer): one family tie turns into a stressor.
  if (in_recovery && family > 0 && u_devalue < b.r.devaluation) {
    const std::uint32_t e = nth_family(static_cast<std::uint32_t>((pick >> 40) % family), false);
    t.kind[e] = static_cast<std::uint8_t>(TieKind::Stressor);
    shock += static_cast<float>(ev.event_shock);
    b.log(EventKind::FamilyDevaluation, i, t.other[e], static_cast<float>(ev.event_shock));
  }
}

void person_events(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  Ties& t = w.ties;
  const auto& ev = w.params.events;
  const std::size_t li = b.local(i);
  float shock = p.pending_shock[i];
  p.pending_shock[i] = 0.0f;
  // Every number has a fixed place in the person's sequence, whether used or not: the
  // k-th number then means the same thing in every configuration (common random
  // numbers). Numbers are taken by place (LocalDraws::at), so those not needed this
  // week are never computed. Output 0: death (low half), break-up (high half);
  // 1: conflict, reversal of a devaluation; 2: devaluation, job loss; 3: debt letter,
  // exclusion at work; 4: exclusion in arena slots 0 and 1; 5: slot 2; 6: the word
  // that picks family members.
  const core::LocalDraws u = b.draws(i, Stream::LifeEvents);
  const std::uint64_t x0 = u.at(0);
  const double u_death = LocalDraws::low_uniform(x0);

  // Death. Staff (professionals and peer workers) are outside the mortality model: a
  // worker who leaves is turnover.
  if (!(p.role[i] & (kProfessional | kPeerWorker)) && u_death < b.r.death) {
    p.alive[i] = 0;
    b.request(RequestKind::Died, i);
    b.log(EventKind::Death, i, kNoPerson, 1.0f);
    b.tally.deaths += 1;
    b.s.shock[li] = 0.0f;
    b.s.flags[li] = 0;
    return;
  }

  const float own_symptoms = p.symptoms[i];
  const bool in_recovery = p.role[i] & kInRecovery;
  const auto work = static_cast<Work>(p.work[i]);
  const std::uint64_t x1 = u.at(1), x3 = u.at(3);
  // Output 2 serves devaluation (persons in recovery) and job loss (the employed).
  const std::uint64_t x2 = in_recovery || work == Work::Employed ? u.at(2) : 0;
  const double u_breakup = LocalDraws::high_uniform(x0), u_conflict = LocalDraws::low_uniform(x1),
               u_revert = LocalDraws::high_uniform(x1), u_devalue = LocalDraws::low_uniform(x2),
               u_job = LocalDraws::high_uniform(x2), u_debt = LocalDraws::low_uniform(x3),
               u_work_exclusion = LocalDraws::high_uniform(x3);
  // Family events need a pass over the person's family ties. Most weeks no draw comes
  // near its hazard, so the pass is skipped unless one could fire (each test below
  // bounds the hazard from above: at most every family tie is live, or a stressor).
  const double most = static_cast<double>(t.family_count[i]);
  const bool maybe =
      u_breakup < 0.5 * b.r.breakup ||
      u_conflict < b.r.conflict * most * (1.0 + ev.conflict_symptom_factor * own_symptoms) ||
      u_revert < 2.0 * b.r.devaluation_recover * most ||
      (in_recovery && u_devalue < b.r.devaluation);
  if (maybe) family_events(b, i, u_breakup, u_conflict, u_revert, u_devalue, u.at(6), shock);

  if (work == Work::Employed) {
    const ArenaId a = p.workplace[i];
    double h = b.r.job_loss * (1.0 + ev.job_loss_climate_effect * (0.5 - w.arenas.climate[a]));
    if (in_episode(static_cast<Episode>(p.episode[i]))) h *= ev.job_loss_episode_factor;
    // New jobs of persons in recovery are fragile; those kept for months last.
    if (in_recovery && p.tenure_weeks[i] < ev.job_loss_recovery_weeks)
      h *= ev.job_loss_recovery_factor;
    if (p.enrolled[i] & service_bit(ServiceKind::Ips))
      h *= 1.0 - (1.0 - w.params.services.ips.job_keep_factor) * side_dose(w, i, ServiceKind::Ips);
    if (u_job < h || !w.arenas.open[a]) {
      p.work[i] = static_cast<std::uint8_t>(Work::Unemployed);
      p.workplace[i] = kNoArena;
      p.tenure_weeks[i] = 0;
      p.work_standing[i] = 0.0f;
      shock += static_cast<float>(ev.event_shock);
      b.log(EventKind::JobLoss, i, a, static_cast<float>(ev.event_shock));
    }
  }

  // Debt letters come more often to those already in debt, unwell or out of work.
  const bool no_income = work == Work::Unemployed;
  const double h_debt = b.r.debt_letter * (1.0 + ev.debt_load_factor * p.debt[i]) *
                        (1.0 + ev.debt_symptom_factor * own_symptoms) *
                        (no_income ? ev.no_income_factor : 1.0);
  if (u_debt < h_debt) {
    p.debt[i] = std::min(1.0f, p.debt[i] + static_cast<float>(ev.debt_per_letter));
    shock += static_cast<float>(ev.minor_shock_share * ev.event_shock);
    b.log(EventKind::DebtLetter, i, kNoPerson, static_cast<float>(ev.debt_per_letter));
  }

  // Exclusion in arenas, likelier where the climate is poor and when visibly unwell.
  const double visible = in_recovery && p.episode[i] != static_cast<std::uint8_t>(Episode::Well)
                             ? ev.visible_factor
                             : 1.0;
  for (int k = 0; k < kArenaSlots; ++k) {
    const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
    const ArenaId a = p.arena_slot[slot];
    if (a == kNoArena) continue;
    const double h = b.r.exclusion * (1.0 - w.arenas.climate[a]) * visible;
    if (u.uniform_at(static_cast<std::uint32_t>(4 + k / 2), k % 2) < h) {
      p.arena_standing[slot] = std::max(
          0.0f, p.arena_standing[slot] - static_cast<float>(w.params.arenas.standing_loss));
      shock += static_cast<float>(ev.minor_shock_share * ev.event_shock);
      b.log(EventKind::Exclusion, i, a, static_cast<float>(w.params.arenas.standing_loss));
    }
  }
  if (p.work[i] == static_cast<std::uint8_t>(Work::Employed)) {
    const ArenaId a = p.workplace[i];
    const double h = b.r.exclusion * (1.0 - w.arenas.climate[a]) * visible;
    if (u_work_exclusion < h) {
      p.work_standing[i] =
          std::max(0.0f, p.work_standing[i] - static_cast<float>(w.params.arenas.standing_loss));
      shock += static_cast<float>(ev.minor_shock_share * ev.event_shock);
      b.log(EventKind::Exclusion, i, a, static_cast<float>(w.params.arenas.standing_loss));
    }
  }

  b.s.shock[li] = shock;
  b.s.flags[li] = 0;
}

}  // namespace

void life_events(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (i + kPrefetchAhead < b.end) prefetch_arenas(b.w, i + kPrefetchAhead);
    if (!b.w.persons.alive[i]) continue;
    person_events(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
