// Process 2: stress and buffering (ODD 7.2; DOMAIN.md studies 1 and 3).
//
// Reads:   own tie row and the neighbours' signals, this week's shock, debt, housing,
//          work, services the person navigates, coping, carer burden.
// Writes:  stress, the conflict counters and strength (repair after a conflict) of the
//          own tie row. Scratch: support,
//          stressor, received, volatility, recovered_peers, flags (watchdog, ill relative,
//          devalued by a family tie).
// Params:  stress.*, family.watchdog_stress, family.watchdog_early_boost,
//          family.watchdog_half_life_weeks, ripple.weight, ripple.recovered_index.
//
// L(t+1) = (1 - decay) L(t) + X (1 - buffering * B), where X sums this week's
// stressors and B in [0,1] averages support, belonging and coping (the
// stress-buffering hypothesis). External stability (no debt, a stable home, work)
// damps symptom volatility: "no stability around them, no stability inside".
#include <algorithm>
#include <array>
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {
namespace {

// Belonging from arena memberships and work, each weighted by the arena's climate,
// the person's standing there and how often it meets (ODD 7.4).
float belonging_level(const World& w, PersonId i) {
  const Persons& p = w.persons;
  float sum = 0.0f;
  for (int k = 0; k < kArenaSlots; ++k) {
    const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
    const ArenaId a = p.arena_slot[slot];
    if (a == kNoArena) continue;
    sum += w.arenas.weight[a] * p.arena_standing[slot];
  }
  if (p.workplace[i] != kNoArena) sum += w.arenas.weight[p.workplace[i]] * p.work_standing[i];
  // One well-including daily arena is full belonging; more arenas add with saturation.
  return clamp01(sum);
}

// What the walk over a person's ties needs, loaded once a block: raw pointers that
// the compiler may keep in registers (the conflict counters are bytes, and a byte store
// could otherwise alias every vector and parameter, forcing reloads on every tie) and
// the parameters already in float, each converted exactly as the formulas below would
// convert it, so the results are the same bit for bit.
struct TieWalk {
  const PersonId* __restrict other;
  const std::uint8_t* __restrict kind;
  std::uint8_t* __restrict conflict_weeks;
  float* __restrict strength;
  const float* __restrict base_strength;
  const Seen* __restrict seen;
  float repair, watchdog_stress, ill_relative_load, stressor_weight, withdrawn_support;
  // Front-loaded expressed emotion (ODD 7.2): the watchdog's stress is watchdog_stress
  // * (1 + early_boost * 2^(-well weeks / half-life)).
  double watchdog_early_boost, watchdog_half_life_weeks;
  // What a supporter with packed symptoms v gives per unit of tie strength,
  // 1 - unwell_supporter * v / 255, for every v: one load instead of a conversion and
  // three float operations on every tie.
  std::array<float, 256> give;
  // The rest of the week's formula, per person.
  float debt_weight, housing_weight, bureaucracy_weight, waiting_load, ripple_weight,
      support_saturation, ws, wb, wc, buffer_weights, keep, buffering, max_stress, idle_stability,
      volatility, instability_volatility;
  // What knowing one can call one's main service adds to the buffer, by service kind.
  std::array<float, static_cast<std::size_t>(ServiceKind::Count)> can_call;

  explicit TieWalk(World& w)
      : other(w.ties.other.data()),
        kind(w.ties.kind.data()),
        conflict_weeks(w.ties.conflict_weeks.data()),
        strength(w.ties.strength.data()),
        base_strength(w.ties.base_strength.data()),
        seen(w.seen.data()),
        repair(static_cast<float>(w.params.events.tie_repair)),
        watchdog_stress(static_cast<float>(w.params.family.watchdog_stress)),
        ill_relative_load(
            static_cast<float>(w.params.stress.ill_relative * w.params.stress.stressor_weight)),
        stressor_weight(static_cast<float>(w.params.stress.stressor_weight)),
        withdrawn_support(static_cast<float>(w.params.stress.withdrawn_support)),
        watchdog_early_boost(w.params.family.watchdog_early_boost),
        watchdog_half_life_weeks(w.params.family.watchdog_half_life_weeks) {
    const auto& st = w.params.stress;
    const auto unwell_supporter = static_cast<float>(st.unwell_supporter);
    for (int v = 0; v < 256; ++v)
      give[v] = 1.0f - unwell_supporter * unpack01(static_cast<std::uint8_t>(v));
    debt_weight = static_cast<float>(st.debt_weight);
    housing_weight = static_cast<float>(st.housing_weight);
    bureaucracy_weight = static_cast<float>(st.bureaucracy_weight);
    waiting_load = static_cast<float>(st.waiting_load);
    ripple_weight = static_cast<float>(w.params.ripple.weight);
    support_saturation = static_cast<float>(st.support_saturation);
    ws = static_cast<float>(st.buffer_weight_support);
    wb = static_cast<float>(st.buffer_weight_belonging);
    wc = static_cast<float>(st.buffer_weight_coping);
    buffer_weights = ws + wb + wc;
    keep = 1.0f - static_cast<float>(st.decay);
    buffering = static_cast<float>(st.buffering);
    max_stress = static_cast<float>(st.max);
    idle_stability = static_cast<float>(st.idle_stability);
    volatility = static_cast<float>(w.params.symptoms.volatility);
    instability_volatility = static_cast<float>(st.instability_volatility);
    for (std::size_t k = 0; k < can_call.size(); ++k) {
      const auto kind_k = static_cast<ServiceKind>(k);
      can_call[k] = main_service(service_bit(kind_k)) == kind_k
                        ? static_cast<float>(w.params.helping.can_call_buffer *
                                             helping_style(w.params, kind_k).availability)
                        : 0.0f;
    }
  }
};

void person_stress(Block& b, const TieWalk& tw, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  const std::size_t li = b.local(i);

  float support = 0.0f, stressor = 0.0f, received = 0.0f, weight = 0.0f;
  unsigned peers = 0;  // recovered persons among the ties (at most 255 family ties)
  std::uint8_t flags = b.s.flags[li];
  const PersonId my_carer = p.carer[i];
  const std::uint32_t row_end = w.ties.end(i);
  const std::uint32_t family_end = w.ties.family_end(i);
  std::uint32_t e = w.ties.begin(i);
  // Family ties first (they come first in every row): only they can devalue, be in
  // conflict, carry a relative's illness or lead to the person's carer.
  for (; e < family_end; ++e) {
    const auto kind = static_cast<TieKind>(tw.kind[e]);
    if (kind == TieKind::Removed) continue;
    const PersonId j = tw.other[e];
    const Seen sj = tw.seen[j];
    const float strength = tw.strength[e];
    const std::uint8_t conflict = tw.conflict_weeks[e];
    bool is_stressor = kind == TieKind::Stressor || conflict > 0;
    if (kind == TieKind::Stressor) flags |= kScratchDevalued;
    if (conflict > 0) {
      tw.conflict_weeks[e] = static_cast<std::uint8_t>(conflict - 1);
    } else if (strength < tw.base_strength[e]) {
      // Both sides run the same counter and rule, so the tie stays symmetric.
      tw.strength[e] = strength + tw.repair * (tw.base_strength[e] - strength);
    }
    if (j == my_carer && (sj & kSeenWatchdog)) {
      // Largest in and right after an episode (no well weeks yet), when criticism and
      // over-involvement peak and relapse risk is highest, and easing toward
      // watchdog_stress as the person stays well and both sides adapt (ODD 7.2; Ma et
      // al. 2021). Computed here, for the few whose carer is a watchdog this week.
      stressor += static_cast<float>(
          tw.watchdog_stress *
          halving_boost(tw.watchdog_early_boost, p.well_weeks[i], tw.watchdog_half_life_weeks));
      flags |= kScratchWatchdog;
      is_stressor = true;
    }
    if (sj & kSeenIll) {
      // A relative in severe illness of their own is a load, whatever the tie.
      stressor += tw.ill_relative_load * strength;
      flags |= kScratchIllRelative;
    }
    if (is_stressor) {
      stressor += tw.stressor_weight * strength;
    } else {
      // A supporter who is unwell, or a carer who has withdrawn, gives less.
      float give = strength * tw.give[sj & 0xFF];
      if (j == my_carer && (sj & kSeenWithdrawn)) give *= tw.withdrawn_support;
      support += give;
    }
    received += strength * static_cast<float>(sj >> 16);
    weight += strength;
    peers += (sj & kSeenRecovered) ? 1u : 0u;
  }
  // Friends and co-workers: most of every row, and a shorter walk. They are never in
  // conflict (conflicts are family events), so their strength is their base strength,
  // and never the carer (chosen in the household); the invariant tests check both.
  for (; e < row_end; ++e) {
    const auto kind = static_cast<TieKind>(tw.kind[e]);
    const Seen sj = tw.seen[tw.other[e]];  // a removed tie still names a person
    const float strength = tw.strength[e];
    // Almost every tie supports: one test on the way there, the rare kinds after it.
    if (kind == TieKind::Support) [[likely]]
      support += strength * tw.give[sj & 0xFF];
    else if (kind == TieKind::Removed)
      continue;
    else
      stressor += tw.stressor_weight * strength;
    received += strength * static_cast<float>(sj >> 16);
    weight += strength;
    peers += (sj & kSeenRecovered) ? 1u : 0u;
  }
  // The distress sums above are in the signal's units (1/1024). Scaling by a power of
  // two once at the end gives the same float as scaling every term: rounding does not
  // depend on such a factor (no term comes near the float's underflow range).
  received *= 1.0f / 1024.0f;
  // Distress arrives as a strength-weighted mean over ties, so it fades with distance
  // instead of growing with the number of friends (ODD 7.7).
  received /= std::max(1.0f, weight);

  const float belonging = belonging_level(w, i);
  const float services_alone =
      fragmentation(w, i) +
      tw.waiting_load * static_cast<float>(popcount16(p.waiting[i] & kNavigatedServices));
  float load = b.s.shock[li] + stressor + tw.debt_weight * p.debt[i] +
               tw.housing_weight * (1.0f - p.housing[i]) + tw.bureaucracy_weight * services_alone +
               tw.ripple_weight * received;
  if (p.role[i] & kCarer) load += tw.stressor_weight * p.burden[i];

  const float support_level = clamp01(support / tw.support_saturation);
  float buffer =
      (tw.ws * support_level + tw.wb * belonging + tw.wc * p.coping[i]) / tw.buffer_weights;
  // Knowing one can call one's service between appointments is a buffer too.
  const ServiceKind main = main_service(p.enrolled[i]);
  if (main != ServiceKind::Count)
    buffer = std::min(1.0f, buffer + tw.can_call[static_cast<std::size_t>(main)]);
  const float next = tw.keep * p.stress[i] + load * (1.0f - tw.buffering * buffer);
  p.stress[i] = std::min(std::max(next, 0.0f), tw.max_stress);

  const auto work = static_cast<Work>(p.work[i]);
  const float rhythm =
      (work == Work::Employed || work == Work::Studying) ? 1.0f : tw.idle_stability;
  const float stability = (1.0f - p.debt[i]) * p.housing[i] * rhythm;
  b.s.volatility[li] = tw.volatility * (1.0f + tw.instability_volatility * (1.0f - stability));
  b.s.support[li] = support;
  b.s.stressor[li] = stressor;
  b.s.received[li] = received;
  b.s.belonging[li] = belonging;
  b.s.recovered_peers[li] = static_cast<std::uint8_t>(std::min(255u, peers));
  b.s.flags[li] = flags;
  p.received[i] = received;
}

}  // namespace

void stress_buffering(Block& b) {
  // The neighbours' signals are scattered in memory; at a million persons waiting
  // for them dominated the week. Asking for the signals of the persons a few rows
  // ahead lets those loads overlap with the work on this row.
  constexpr std::size_t kRowsAhead = 4;
  const Ties& t = b.w.ties;
  const Seen* seen = b.w.seen.data();
  std::uint32_t prefetched = t.offsets[b.begin];
  const Persons& p = b.w.persons;
  const float* arena_weight = b.w.arenas.weight.data();
  const TieWalk walk(b.w);
  for (std::size_t i = b.begin; i < b.end; ++i) {
    const std::size_t ahead = std::min(i + kRowsAhead, b.end);
    const std::uint32_t until = t.offsets[ahead];
    // Four at a time: this loop runs once per tie, so its own overhead counts.
    const PersonId* other = t.other.data();
    for (; prefetched + 4 <= until; prefetched += 4) {
      __builtin_prefetch(seen + other[prefetched]);
      __builtin_prefetch(seen + other[prefetched + 1]);
      __builtin_prefetch(seen + other[prefetched + 2]);
      __builtin_prefetch(seen + other[prefetched + 3]);
    }
    for (; prefetched < until; ++prefetched) __builtin_prefetch(seen + other[prefetched]);
    // The arenas of that person too (their belonging weights are scattered as well).
    if (ahead < b.end) {
      for (int k = 0; k < kArenaSlots; ++k) {
        const ArenaId a = p.arena_slot[ahead * kArenaSlots + k];
        if (a != kNoArena) __builtin_prefetch(arena_weight + a);
      }
      if (p.workplace[ahead] != kNoArena) __builtin_prefetch(arena_weight + p.workplace[ahead]);
    }
    if (!b.w.persons.alive[i]) continue;
    person_stress(b, walk, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
