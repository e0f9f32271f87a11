// Process 3: symptoms, episodes and medication (ODD 7.3; DOMAIN.md studies 2 and 5).
//
// Reads:   stress, vulnerability, profile, episode, medication state, adherence, traits,
//          the person's carer (signal), enrolment; Scratch::volatility and flags.
// Writes:  symptoms, episode, episode_weeks, medication, med_weeks, med_trials,
//          adherence, role (a first episode makes a person "in recovery"), profile;
//          requests Bed and LeaveBed; Scratch flags (relapse, crisis).
// Params:  symptoms.*, medication.*, family.co_therapist_detection, family.hold_at_home,
//          family.medication_help, services.<main service>.home_treatment, services.inpatient.*.
//
// Symptoms drift toward v * L / (L + L_half) (slower in an acute episode) with noise scaled by
// external instability. Relapses are jumps with a weekly hazard per profile that rises with stress
// (log-linear) and falls with a helpful medication taken regularly; stopping raises it several-fold
// for a while. Episode states step up at thresholds and down only below them by the hysteresis
// margin.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "model/process.hpp"

namespace ripple::model {
namespace {

using core::LocalDraws;
using core::Stream;

// u: the person's Symptoms numbers; output 2's high half starts a medication, output
// 3's low half finds a helpful one (see person_symptoms).
// An upper bound of the weekly relapse hazard computed in person_symptoms,
// base * exp(x) * (medication factor), without calling exp: exp(x) = 2^(x log2 e) is at
// most 2^(floor(x log2 e) + 1), and one more factor 2 covers every rounding in both
// computations. Most persons draw a number above the bound, and then the hazard, which
// could not reach it either, need not be computed: same decisions, less work.
// Infinity where the shortcut does not apply.
double relapse_bound(double base, double x, double stop_factor, double protection) {
  const double y = x * 1.4426950408889634;  // log2(e)
  if (!(y >= 0.0 && y < 1000.0)) return std::numeric_limits<double>::infinity();
  const std::uint64_t exponent = static_cast<std::uint64_t>(y) + 2;
  const double power = std::bit_cast<double>((1023 + exponent) << 52);  // 2^exponent
  return base * power * std::max({1.0, stop_factor, 1.0 - protection});
}

void update_medication(Block& b, PersonId i, const core::LocalDraws& u, bool in_treatment,
                       bool carer_helps) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& m = w.params.medication;
  const auto state = static_cast<Medication>(p.medication[i]);
  const bool unwell = p.episode[i] != static_cast<std::uint8_t>(Episode::Well);
  switch (state) {
    case Medication::None:
    case Medication::Stopped:
      if (state == Medication::Stopped && p.med_weeks[i] < 65535) ++p.med_weeks[i];
      if (in_treatment && unwell && LocalDraws::high_uniform(u.at(2)) < b.r.med_start) {
        // A medication found helpful before is taken up again directly.
        const bool known = state == Medication::Stopped;
        p.medication[i] =
            static_cast<std::uint8_t>(known ? Medication::Helpful : Medication::Trying);
        p.med_weeks[i] = 0;
        p.adherence[i] = static_cast<float>(m.start_adherence);
        b.log(EventKind::MedicationStarted, i, kNoPerson, known ? 1.0f : 0.0f);
      }
      break;
    case Medication::Trying:
      if (++p.med_weeks[i] >= m.trial_weeks) {
        p.med_weeks[i] = 0;
        if ((p.traits[i] & kMedResponder) && LocalDraws::low_uniform(u.at(3)) < m.find_per_trial) {
          p.medication[i] = static_cast<std::uint8_t>(Medication::Helpful);
          p.adherence[i] = static_cast<float>(m.start_adherence);
          b.log(EventKind::MedicationHelpful, i, kNoPerson, static_cast<float>(p.med_trials[i]));
        } else if (++p.med_trials[i] >= m.max_trials) {
          p.medication[i] = static_cast<std::uint8_t>(Medication::GaveUp);
        }
      }
      break;
    case Medication::Helpful: {
      // Side effects and feeling well erode adherence; a carer who helps keeps it up.
      const float well_factor = unwell ? static_cast<float>(m.adherence_loss_unwell_share) : 1.0f;
      float a = p.adherence[i] - static_cast<float>(m.adherence_loss_well) * well_factor;
      if (carer_helps) a += static_cast<float>(w.params.family.medication_help) * (1.0f - a);
      p.adherence[i] = clamp01(a);
      if (p.adherence[i] < m.stop_threshold) {
        p.medication[i] = static_cast<std::uint8_t>(Medication::Stopped);
        p.med_weeks[i] = 0;
        b.log(EventKind::MedicationStopped, i, kNoPerson, p.adherence[i]);
      }
      break;
    }
    default:
      break;
  }
}

void person_symptoms(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& sp = w.params.symptoms;
  const std::size_t li = b.local(i);
  // Each number has a fixed place whether used or not (common random numbers), and is
  // computed only when needed (LocalDraws::at). Output 0: the symptom noise; 1: relapse
  // (low half), held at home by the carer (high half); 2: held at home by the team,
  // medication start; 3: a helpful medication found.
  const core::LocalDraws u = b.draws(i, Stream::Symptoms);
  const double noise = LocalDraws::normal_of(u.at(0));

  const PersonId carer = p.carer[i];
  const bool involved = carer != kNoPerson && (w.signal[i].flags & kSigFamilyInvolved);
  const bool carer_supportive =
      carer != kNoPerson &&
      w.signal[carer].style == static_cast<std::uint8_t>(CaringStyle::Supportive);
  const bool in_treatment = (p.enrolled[i] & kMainServices) ||
                            p.episode[i] == static_cast<std::uint8_t>(Episode::Admitted);

  // Continuous drift toward the stress-driven level, with noise.
  const float L = p.stress[i];
  const float target = p.vulnerability[i] * L / (L + static_cast<float>(sp.stress_half));
  // An acute episode runs its course: symptoms come down slowly unless treated.
  const auto now = static_cast<Episode>(p.episode[i]);
  const double rate = in_episode(now) ? sp.acute_adapt_rate : sp.adapt_rate;
  float s = p.symptoms[i] + static_cast<float>(rate) * (target - p.symptoms[i]) +
            b.s.volatility[li] * static_cast<float>(noise);

  // Relapse (or a first episode for a person without a condition).
  const auto profile = static_cast<std::size_t>(p.profile[i]);
  const auto episode = static_cast<Episode>(p.episode[i]);
  const double u_relapse = episode == Episode::Well || episode == Episode::Struggling
                               ? LocalDraws::low_uniform(u.at(1))
                               : 1.0;
  const double stress_term = sp.relapse_stress_factor * L;
  if ((episode == Episode::Well || episode == Episode::Struggling) &&
      u_relapse < relapse_bound(b.r.relapse[profile], stress_term, w.params.medication.stop_factor,
                                w.params.medication.protection)) {
    double h = b.r.relapse[profile] * std::exp(stress_term);
    const auto med = static_cast<Medication>(p.medication[i]);
    if (med == Medication::Helpful)
      h *= 1.0 - w.params.medication.protection * p.adherence[i];
    else if (med == Medication::Stopped && p.med_weeks[i] < w.params.medication.stop_weeks)
      h *= w.params.medication.stop_factor;
    if (u_relapse < h) {
      // An involved carer notices early signs, so the episode starts milder.
      const double detection = involved ? w.params.family.co_therapist_detection : 0.0;
      s += static_cast<float>(sp.relapse_jump * (1.0 - detection));
      b.s.flags[li] |= kScratchRelapse;
      const bool first = !(p.role[i] & kInRecovery);
      b.tally.relapses += first ? 0 : 1;
      b.log(first ? EventKind::Onset : EventKind::Relapse, i, kNoPerson,
            static_cast<float>(sp.relapse_jump));
      if (first) {
        p.role[i] |= kInRecovery;
        p.profile[i] = static_cast<std::uint8_t>(Profile::Depression);
      }
    }
  }
  if (episode == Episode::Admitted)
    s -= static_cast<float>(w.params.services.inpatient.treatment_effect) * s;
  s = clamp01(s);
  p.symptoms[i] = s;

  // Episode state machine with hysteresis.
  const float up1 = static_cast<float>(sp.struggling_threshold);
  const float up2 = static_cast<float>(sp.acute_threshold);
  const float down = static_cast<float>(sp.hysteresis);
  Episode next = episode;
  switch (episode) {
    case Episode::Well:
      if (s > up2)
        next = Episode::Acute;
      else if (s > up1)
        next = Episode::Struggling;
      break;
    case Episode::Struggling:
      if (s > up2)
        next = Episode::Acute;
      else if (s < up1 - down)
        next = Episode::Well;
      break;
    case Episode::Acute:
      if (s < up2 - down) next = Episode::Struggling;
      break;
    case Episode::Admitted: {
      const auto& ward = w.params.services.inpatient;
      if (s < ward.discharge_symptoms || p.episode_weeks[i] + 1 >= ward.max_stay_weeks)
        b.request(RequestKind::LeaveBed, i);
      break;
    }
    default:
      break;
  }
  if (next != episode) {
    if (next == Episode::Acute) {
      b.s.flags[li] |= kScratchCrisis;
      b.log(EventKind::EpisodeStart, i, kNoPerson, s);
    }
    if (episode == Episode::Acute) b.log(EventKind::EpisodeEnd, i, kNoPerson, s);
    p.episode[i] = static_cast<std::uint8_t>(next);
    p.episode_weeks[i] = 0;
  } else if (p.episode_weeks[i] < 65535) {
    ++p.episode_weeks[i];
  }

  // A severe acute episode needs a bed unless someone can hold it at home.
  if (next == Episode::Acute && s > sp.admission_threshold) {
    const bool held_by_carer = involved && carer_supportive &&
                               LocalDraws::high_uniform(u.at(1)) < w.params.family.hold_at_home;
    // A team that works in the home (outreach, Open Dialogue) can hold it there.
    const ServiceKind main = main_service(p.enrolled[i]);
    const bool held_by_team =
        main != ServiceKind::Count &&
        LocalDraws::low_uniform(u.at(2)) < helping_style(w.params, main).home_treatment;
    if (held_by_carer || held_by_team)
      b.log(EventKind::HeldAtHome, i, held_by_carer ? carer : p.main_worker[i], s);
    else if (w.params.services.inpatient.enabled)
      b.request(RequestKind::Bed, i, ServiceKind::Inpatient, s);
  }

  if (p.role[i] & kInRecovery) {
    update_medication(b, i, u, in_treatment, carer_supportive && involved);
  }
}

}  // namespace

void symptoms_episodes(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (!b.w.persons.alive[i]) continue;
    person_symptoms(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
