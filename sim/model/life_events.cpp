// Process 1: life events (ODD 7.1; DOMAIN.md studies 1 and 3).
//
// Reads:   alive, role, work, workplace, debt, symptoms, episode, arena slots, own tie
//          row, neighbours' signals (alive, symptoms).
// Writes:  alive, work, workplace, tenure, debt, own tie row (kind, conflict weeks),
//          arena standing, carer links of the person; Scratch::shock and flags.
// Params:  events.*, arenas.standing_loss, services.ips.job_keep_factor.
//
// Events shared by two persons (a break-up, a family conflict) use a draw keyed by
// the pair, so both partners see the same event without talking to each other.
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {
namespace {

using core::Stream;

void lose_tie_links(Persons& p, PersonId i, PersonId j) {
  if (p.carer[i] == j) p.carer[i] = kNoPerson;
  if (p.cares_for[i] == j) {
    p.cares_for[i] = kNoPerson;
    p.style[i] = static_cast<std::uint8_t>(CaringStyle::NotCarer);
    p.role[i] = static_cast<std::uint8_t>(p.role[i] & ~kCarer);
    p.burden[i] = 0.0f;
  }
}

void person_events(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  Ties& t = w.ties;
  const auto& ev = w.params.events;
  const std::size_t li = b.local(i);
  float shock = 0.0f;
  std::uint8_t flags = 0;
  const std::uint32_t week = static_cast<std::uint32_t>(w.week);
  const core::Draw4 d = w.rng.draw(Stream::LifeEvents, i, week, 0);

  // Death. Staff are outside the mortality model: a leaving worker is turnover.
  if (!(p.role[i] & kProfessional) && d.uniform(0) < b.r.death) {
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
  std::uint32_t family_ties = 0;
  for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
    if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Removed)) continue;
    const PersonId j = t.other[e];
    const Signal sj = w.signal[j];
    if (!(sj.flags & kSigAlive)) {  // bereavement: the tie ends, grief in proportion to it
      const float grief = static_cast<float>(ev.bereavement_shock) * t.strength[e];
      shock += grief;
      t.kind[e] = static_cast<std::uint8_t>(TieKind::Removed);
      lose_tie_links(p, i, j);
      b.log(EventKind::Bereavement, i, j, grief);
      continue;
    }
    const auto rel = static_cast<Relation>(t.relation[e]);
    if (!is_family(rel)) continue;
    ++family_ties;
    const core::Draw4 pd = w.rng.pair_draw(Stream::PairEvents, i, j, week);
    if (rel == Relation::Partner && pd.uniform(0) < b.r.breakup) {
      t.kind[e] = static_cast<std::uint8_t>(TieKind::Removed);
      lose_tie_links(p, i, j);
      shock += static_cast<float>(ev.event_shock);
      b.log(EventKind::Breakup, i, j, static_cast<float>(ev.event_shock));
      continue;
    }
    // Conflict is likelier when either side is unwell; both compute the same value.
    const float worst = std::max(unpack01(sj.symptoms), own_symptoms);
    if (pd.uniform(1) < b.r.conflict * (1.0 + 2.0 * worst)) {
      t.conflict_weeks[e] = static_cast<std::uint8_t>(ev.conflict_weeks);
      shock += static_cast<float>(0.5 * ev.event_shock);
      b.log(EventKind::FamilyConflict, i, j, static_cast<float>(0.5 * ev.event_shock));
    } else if (t.conflict_weeks[e] > 0) {
      --t.conflict_weeks[e];
    }
    // A devaluing or abusive tie can turn supportive again (the environment changes);
    // psychoeducation in the person's household doubles the chance.
    if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Stressor)) {
      const bool educated = p.carer[i] == j && (sj.flags & kSigCoTherapist);
      if (pd.uniform(2) < b.r.devaluation_recover * (educated ? 2.0 : 1.0))
        t.kind[e] = static_cast<std::uint8_t>(TieKind::Support);
      else
        flags |= kScratchDevalued;
    }
  }

  // Devaluation by family (the excluded pallbearer): one family tie turns into a stressor.
  if (in_recovery && family_ties > 0 && d.uniform(1) < b.r.devaluation) {
    std::uint32_t pick = d.w[3] % family_ties;
    for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
      if (t.kind[e] == static_cast<std::uint8_t>(TieKind::Removed) ||
          !is_family(static_cast<Relation>(t.relation[e])))
        continue;
      if (pick-- == 0) {
        t.kind[e] = static_cast<std::uint8_t>(TieKind::Stressor);
        shock += static_cast<float>(ev.event_shock);
        flags |= kScratchDevalued;
        b.log(EventKind::FamilyDevaluation, i, t.other[e], static_cast<float>(ev.event_shock));
        break;
      }
    }
  }

  const core::Draw4 d2 = w.rng.draw(Stream::LifeEvents, i, week, 1);
  const auto work = static_cast<Work>(p.work[i]);
  if (work == Work::Employed) {
    const ArenaId a = p.workplace[i];
    double h = b.r.job_loss * (1.5 - w.arenas.climate[a]);
    if (in_episode(static_cast<Episode>(p.episode[i]))) h *= ev.job_loss_episode_factor;
    if (p.enrolled[i] & service_bit(ServiceKind::Ips)) h *= w.params.services.ips.job_keep_factor;
    if (d.uniform(2) < h || !w.arenas.open[a]) {
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
  const double h_debt =
      b.r.debt_letter * (1.0 + 3.0 * p.debt[i]) * (1.0 + own_symptoms) * (no_income ? 2.0 : 1.0);
  if (d2.uniform(0) < h_debt) {
    p.debt[i] = std::min(1.0f, p.debt[i] + static_cast<float>(ev.debt_per_letter));
    shock += static_cast<float>(0.5 * ev.event_shock);
    b.log(EventKind::DebtLetter, i, kNoPerson, static_cast<float>(ev.debt_per_letter));
  }

  // Exclusion in arenas, likelier where the climate is poor and when visibly unwell.
  const double visible = in_recovery && p.episode[i] != static_cast<std::uint8_t>(Episode::Well)
                             ? 2.0
                             : 1.0;
  for (int k = 0; k < kArenaSlots; ++k) {
    const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
    const ArenaId a = p.arena_slot[slot];
    if (a == kNoArena) continue;
    const double h = b.r.exclusion * (1.0 - w.arenas.climate[a]) * visible;
    if (d2.uniform(1 + k) < h) {
      p.arena_standing[slot] =
          std::max(0.0f, p.arena_standing[slot] - static_cast<float>(w.params.arenas.standing_loss));
      shock += static_cast<float>(0.5 * ev.event_shock);
      b.log(EventKind::Exclusion, i, a, static_cast<float>(w.params.arenas.standing_loss));
    }
  }
  if (p.work[i] == static_cast<std::uint8_t>(Work::Employed)) {
    const ArenaId a = p.workplace[i];
    const double h = b.r.exclusion * (1.0 - w.arenas.climate[a]) * visible;
    if (w.rng.draw(Stream::LifeEvents, i, week, 2).uniform(0) < h) {
      p.work_standing[i] =
          std::max(0.0f, p.work_standing[i] - static_cast<float>(w.params.arenas.standing_loss));
      shock += static_cast<float>(0.5 * ev.event_shock);
      b.log(EventKind::Exclusion, i, a, static_cast<float>(w.params.arenas.standing_loss));
    }
  }

  b.s.shock[li] = shock;
  b.s.flags[li] = flags;
}

}  // namespace

void life_events(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (!b.w.persons.alive[i]) continue;
    person_events(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
