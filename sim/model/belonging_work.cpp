// Process 4: belonging and work (ODD 7.4; DOMAIN.md studies 1 and 5).
//
// Reads:   arena slots and standing, arenas (kind, climate, open), work, traits,
//          symptoms, episode, enrolment, IPS start week; Scratch::support, stressor,
//          belonging, flags.
// Writes:  arena slots and standing, work, workplace, tenure, work standing, debt,
//          housing, and the CHIME components connectedness, identity and meaning.
// Params:  arenas.*, chime.*, helping.pushing_effect, services.*.pushing,
//          services.ips.job_find_factor, services.ips.rapid_search_*,
//          services.ips.full_effect_contacts,
//          stress.support_saturation, finances.*; the households' pooled debt and
//          repayment (pool_households, before the person pass).
//
// Membership raises connectedness and meaning in proportion to the arena's inclusion
// climate, the person's standing and rhythm; exclusion lowers identity; work adds
// meaning, identity, income and rhythm. A socially anxious person rarely joins an
// arena alone; being accompanied ("pushed") by staff removes most of that barrier.
#include <algorithm>
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {

namespace {

// Weekly debt repayment that a person's income allows.
float repayment(const scenario::Params& params, Work work) {
  const auto& fin = params.finances;
  return static_cast<float>(work == Work::Employed   ? fin.repay_employed
                            : work == Work::Benefits ? fin.repay_benefits
                                                     : fin.repay_other);
}

}  // namespace

void pool_households(World& w) {
  Households& h = w.households;
  if (w.params.finances.household_pooling <= 0.0) return;  // nobody reads the pool
  const Persons& p = w.persons;
  h.debt.resize(h.count());
  h.repay.resize(h.count());
  static_assert(static_cast<int>(Work::Count) == 4);
  float repay_of[4];
  for (std::uint8_t k = 0; k < 4; ++k) repay_of[k] = repayment(w.params, static_cast<Work>(k));
  core::for_blocks(h.count(), [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      float debt = 0.0f, repay = 0.0f, members = 0.0f;
      for (PersonId i = h.start[k]; i < h.start[k + 1]; ++i) {
        if (!p.alive[i]) continue;
        debt += p.debt[i];
        repay += repay_of[p.work[i] & 3];
        members += 1.0f;
      }
      const float share = members > 0.0f ? 1.0f / members : 0.0f;
      h.debt[k] = debt * share;
      h.repay[k] = repay * share;
    }
  });
}

namespace {

using core::LocalDraws;
using core::Stream;

ArenaId pick_open(const World& w, ArenaKind kind, std::uint64_t word) {
  const auto& list = w.arenas.by_kind[static_cast<std::size_t>(kind)];
  if (list.empty()) return kNoArena;
  const ArenaId a = list[word % list.size()];
  return w.arenas.open[a] ? a : kNoArena;  // a closed arena turns the seeker away this week
}

void person_belonging(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& ar = w.params.arenas;
  const auto& ch = w.params.chime;
  const std::size_t li = b.local(i);
  // Each number has a fixed place whether used or not (common random numbers), and is
  // computed only when needed (LocalDraws::at). Output 0: joining an arena (low half),
  // finding a job (high half); 1: leaving arena slots 0 and 1; 2: slot 2; 3: the word
  // that picks the arena joined; 4: the word that picks the workplace; 5: the hours of
  // a job found (both halves).
  const core::LocalDraws u = b.draws(i, Stream::Belonging);
  const bool in_recovery = p.role[i] & kInRecovery;
  const auto episode = static_cast<Episode>(p.episode[i]);

  const float newcomer = static_cast<float>(ar.newcomer_standing);
  // Standing drifts toward what the arena's climate allows; too low and the person leaves.
  float standing_sum = 0.0f;
  int memberships = 0;
  int free_slot = -1;
  for (int k = 0; k < kArenaSlots; ++k) {
    const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
    const ArenaId a = p.arena_slot[slot];
    if (a == kNoArena) {
      if (free_slot < 0) free_slot = k;
      continue;
    }
    const float goal = newcomer + (1.0f - newcomer) * w.arenas.climate[a];
    float& standing = p.arena_standing[slot];
    standing += static_cast<float>(ar.standing_recovery) * (goal - standing);
    if (!w.arenas.open[a] || standing < ar.leave_standing ||
        u.uniform_at(static_cast<std::uint32_t>(1 + k / 2), k % 2) < b.r.leave) {
      b.log(EventKind::LeftArena, i, a, standing);
      p.arena_slot[slot] = kNoArena;
      standing = 0.0f;
      if (free_slot < 0) free_slot = k;
      continue;
    }
    standing_sum += standing;
    ++memberships;
  }
  auto work = static_cast<Work>(p.work[i]);
  if (work == Work::Employed) {
    const float goal = newcomer + (1.0f - newcomer) * w.arenas.climate[p.workplace[i]];
    p.work_standing[i] += static_cast<float>(ar.standing_recovery) * (goal - p.work_standing[i]);
    standing_sum += p.work_standing[i];
    ++memberships;
    if (p.tenure_weeks[i] < 65535) ++p.tenure_weeks[i];
    // Part-time at first: a part-time job's hours rise by steps while the person keeps well.
    if (p.tenure_weeks[i] % static_cast<std::uint16_t>(ar.hours_rise_weeks) == 0 &&
        p.job_hours[i] < ar.full_time_hours && !in_episode(episode))
      p.job_hours[i] = static_cast<std::uint8_t>(
          std::min<std::int64_t>(ar.full_time_hours, p.job_hours[i] + ar.hours_rise));
  } else {
    p.job_hours[i] = 0;
  }

  // Joining a new arena; staff who accompany the person lower the anxiety barrier.
  const ServiceKind main = main_service(p.enrolled[i]);
  if (free_slot >= 0 && !in_episode(episode)) {
    double h = b.r.join;
    if (p.traits[i] & kSocialAnxiety) {
      const double pushing =
          main == ServiceKind::Count ? 0.0 : helping_style(w.params, main).pushing;
      h *= 1.0 - (1.0 - w.params.helping.pushing_effect * pushing) * ar.anxiety_barrier;
    }
    if (LocalDraws::low_uniform(u.at(0)) < h) {
      const std::uint64_t pick = u.at(3);
      static constexpr ArenaKind kChoices[] = {ArenaKind::Faith, ArenaKind::Club,
                                               ArenaKind::Volunteer, ArenaKind::PeerGroup};
      const int choices = in_recovery ? 4 : 3;
      const ArenaKind kind = kChoices[pick % static_cast<std::uint64_t>(choices)];
      const ArenaId a = pick_open(w, kind, pick >> 8);
      bool already = false;
      for (int k = 0; k < kArenaSlots; ++k)
        already |= p.arena_slot[static_cast<std::size_t>(i) * kArenaSlots + k] == a;
      if (a != kNoArena && !already) {
        const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + free_slot;
        p.arena_slot[slot] = a;
        p.arena_standing[slot] = newcomer;
        b.log(EventKind::JoinedArena, i, a, newcomer);
      }
    }
  }

  // Job finding for those who want work; supported employment multiplies it.
  if (work == Work::Unemployed && (p.traits[i] & kWishToWork) && !in_episode(episode)) {
    double h = b.r.job_find * (1.0 - p.symptoms[i]);
    // Supported employment multiplies job finding in proportion to the contacts the
    // employment specialist has time for; its rapid job search adds a boost that is
    // largest at enrolment and halves every rapid_search_half_life_weeks.
    if (p.enrolled[i] & service_bit(ServiceKind::Ips)) {
      const auto& ips = w.params.services.ips;
      const double weeks_in = std::max(0, w.week - p.ips_start_week[i]);
      const double factor = ips.job_find_factor * halving_boost(ips.rapid_search_boost, weeks_in,
                                                                ips.rapid_search_half_life_weeks);
      h *= 1.0 + (factor - 1.0) * side_dose(w, i, ServiceKind::Ips);
    }
    if (LocalDraws::high_uniform(u.at(0)) < h) {
      const ArenaId a = pick_open(w, ArenaKind::Workplace, u.at(4));
      if (a != kNoArena) {
        p.work[i] = static_cast<std::uint8_t>(Work::Employed);
        work = Work::Employed;
        p.workplace[i] = a;
        p.tenure_weeks[i] = 0;
        p.work_standing[i] = newcomer;
        const std::uint64_t x = u.at(5);
        p.job_hours[i] = job_hours_at_hire(w.params, p.enrolled[i] & service_bit(ServiceKind::Ips),
                                           LocalDraws::low_uniform(x), LocalDraws::high_uniform(x));
        b.tally.job_finds += in_recovery ? 1 : 0;
        b.log(EventKind::JobFound, i, a, newcomer);
      }
    }
  }

  // Income pays debt down; debt erodes housing stability. A household pools a share of
  // both: members repay partly at the household's rate and keep a home partly by the
  // household's debt (pool_households, computed from last week's state).
  const auto& fin = w.params.finances;
  const auto pool = static_cast<float>(fin.household_pooling);
  float repay = repayment(w.params, work);
  float debt_seen = 0.0f;
  if (pool > 0.0f) {
    const std::uint32_t h = p.household[i];
    repay = (1.0f - pool) * repay + pool * w.households.repay[h];
    debt_seen = pool * w.households.debt[h];
  }
  p.debt[i] = std::max(0.0f, p.debt[i] - repay);
  debt_seen += (1.0f - pool) * p.debt[i];
  p.housing[i] += static_cast<float>(fin.housing_rate) *
                  ((1.0f - static_cast<float>(fin.housing_debt_effect) * debt_seen) - p.housing[i]);

  // Connectedness, meaning and identity approach their targets. They are outcomes of
  // persons in recovery only (nobody reads them for others), so others skip this.
  if (!in_recovery) return;
  const float belonging = b.s.belonging[li];
  const float support_level =
      clamp01(b.s.support[li] / static_cast<float>(w.params.stress.support_saturation));
  const float stressor_level = clamp01(b.s.stressor[li]);
  const float employed = work == Work::Employed ? p.work_standing[i] : 0.0f;
  const float studying = work == Work::Studying ? static_cast<float>(ch.study_share) : 0.0f;
  const float mean_standing =
      memberships > 0 ? standing_sum / static_cast<float>(memberships) : newcomer;
  const bool devalued = b.s.flags[li] & kScratchDevalued;

  const float c_target = static_cast<float>(ch.support_weight) * support_level +
                         static_cast<float>(ch.belonging_weight) * belonging -
                         static_cast<float>(ch.stressor_connectedness) * stressor_level;
  const float m_target =
      static_cast<float>(ch.work_meaning) * (employed + studying) +
      static_cast<float>(ch.belonging_weight) * belonging +
      ((p.role[i] & (kCarer | kPeerWorker)) ? static_cast<float>(ch.role_meaning) : 0.0f);
  const auto family_loss = static_cast<float>(ch.family_devaluation_identity);
  const float i_target = static_cast<float>(ch.identity_base) +
                         static_cast<float>(ch.work_identity) * (employed + studying) +
                         static_cast<float>(ch.belonging_identity) * belonging -
                         static_cast<float>(ch.devaluation_identity) *
                             ((1.0f - mean_standing) + (devalued ? family_loss : 0.0f)) -
                         (in_episode(episode) ? static_cast<float>(ch.episode_identity) : 0.0f);
  const float rate = static_cast<float>(ch.rate);
  auto& chime = p.chime;
  chime[0][i] = clamp01(chime[0][i] + rate * (clamp01(c_target) - chime[0][i]));
  chime[2][i] = clamp01(chime[2][i] + rate * (clamp01(i_target) - chime[2][i]));
  chime[3][i] = clamp01(chime[3][i] + rate * (clamp01(m_target) - chime[3][i]));
}

}  // namespace

void belonging_work(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (i + kPrefetchAhead < b.end) prefetch_arenas(b.w, i + kPrefetchAhead);
    if (!b.w.persons.alive[i]) continue;
    person_belonging(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
