// Process 6: family backing therapy (ODD 7.6; DOMAIN.md studies 2 and 3).
//
// Reads:   for a carer, the cared-for person's signal (symptoms, co-therapist flag);
//          for a person in recovery, consent, enrolment, the carer's signal, episode.
// Writes:  carer burden, caring style, psychoeducation weeks (carers); consent and the
//          "involved" flag kept in Persons::consent bit 1 (persons in recovery);
//          requests PsychoeducationPlace.
// Params:  family.*, services.psychoeducation.*, the main service's family_involvement.
//
// Burden grows with the cared-for person's symptoms and eases when they are well;
// psychoeducation slows its growth. Above a threshold a supportive carer drifts to
// over-involvement ("watchdog") or withdrawal; psychoeducation brings them back much
// faster than time alone. With consent and a service that involves family, the carer
// becomes a co-therapist: earlier detection, holding episodes at home, medication help.
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {
namespace {

using core::Stream;

inline constexpr std::uint8_t kConsentGiven = 1;
inline constexpr std::uint8_t kInvolved = 2;

void carer_update(Block& b, PersonId j, double u_style, double u_direction) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& fam = w.params.family;
  const auto& pe = w.params.services.psychoeducation;
  const PersonId i = p.cares_for[j];
  const Signal si = w.signal[i];
  const float s = unpack01(si.symptoms);

  // Weeks in the programme count up to its length; after that the carer has completed it.
  std::uint16_t& weeks = p.psychoeducation_weeks[j];
  if (weeks > 0 && weeks < pe.programme_weeks) {
    ++weeks;
    if (weeks == pe.programme_weeks)
      b.request(RequestKind::PsychoeducationPlace, j, ServiceKind::Psychoeducation, -1.0f);
  }
  const bool educated = weeks > 0;
  const float relief = educated ? static_cast<float>(pe.burden_relief) : 0.0f;
  float B = p.burden[j];
  B += static_cast<float>(fam.burden_gain) * s * (1.0f - relief) * (1.0f - B);
  B -= static_cast<float>(fam.burden_recovery) * (1.0f - s) * B;
  p.burden[j] = clamp01(B);

  const auto style = static_cast<CaringStyle>(p.style[j]);
  CaringStyle next = style;
  if (style == CaringStyle::Supportive) {
    if (p.burden[j] > fam.burden_threshold && u_style < b.r.style_drift)
      next =
          u_direction < fam.watchdog_vs_withdraw ? CaringStyle::Watchdog : CaringStyle::Withdrawn;
  } else {
    const double h = educated ? b.r.psychoeducation_recover
                              : (p.burden[j] < fam.style_recover_burden ? b.r.style_recover : 0.0);
    if (u_style < h) next = CaringStyle::Supportive;
  }
  if (next != style) {
    p.style[j] = static_cast<std::uint8_t>(next);
    b.log(EventKind::StyleChange, j, i, static_cast<float>(next));
  }
}

void person_consent(Block& b, PersonId i, double u_consent) {
  World& w = b.w;
  Persons& p = w.persons;
  const std::size_t li = b.local(i);
  std::uint8_t c = p.consent[i];
  const bool given = c & kConsentGiven;
  if (given) {
    // Consent is withdrawn more often in an acute episode, and when a relative is severely
    // ill ("no one should know").
    double h = b.r.consent_withdraw;
    if (in_episode(static_cast<Episode>(p.episode[i]))) h *= w.params.family.consent_episode_factor;
    if (b.s.flags[li] & kScratchIllRelative) h *= w.params.family.consent_ill_relative_factor;
    if (u_consent < h) {
      c = static_cast<std::uint8_t>(c & ~kConsentGiven);
      b.log(EventKind::ConsentWithdrawn, i, p.carer[i], 0.0f);
    }
  } else if (u_consent < b.r.consent_give) {
    c |= kConsentGiven;
    b.log(EventKind::ConsentGiven, i, p.carer[i], 1.0f);
  }

  // Involvement: the service involves this family (a fixed draw per person, so more
  // involvement includes everyone included before), or the carer is in psychoeducation.
  const PersonId carer = p.carer[i];
  bool involved = false;
  if ((c & kConsentGiven) && carer != kNoPerson) {
    const ServiceKind main = main_service(p.enrolled[i]);
    const double share =
        main == ServiceKind::Count ? 0.0 : helping_style(w.params, main).family_involvement;
    involved = p.involvement_rank[i] < share || p.psychoeducation_weeks[carer] > 0;
    // A person in care whose carer is not in the programme asks for a place.
    const auto& pe = w.params.services.psychoeducation;
    if (pe.enabled && main != ServiceKind::Count && p.psychoeducation_weeks[carer] == 0 &&
        !(p.waiting[i] & service_bit(ServiceKind::Psychoeducation)))
      b.request(RequestKind::PsychoeducationPlace, i, ServiceKind::Psychoeducation, 1.0f);
  }
  c = static_cast<std::uint8_t>(involved ? (c | kInvolved) : (c & ~kInvolved));
  p.consent[i] = c;
}

}  // namespace

void family_backing(Block& b) {
  Persons& p = b.w.persons;
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (!p.alive[i]) continue;
    const bool carer = p.cares_for[i] != kNoPerson;
    const bool recovering = p.role[i] & kInRecovery;
    if (!carer && !recovering) continue;
    // Numbers by place, computed only when needed (LocalDraws::at): output 0 gives a
    // carer's style change (low half) and its direction (high half), output 1 consent.
    const core::LocalDraws u = b.draws(static_cast<PersonId>(i), Stream::Family);
    if (carer) {
      const std::uint64_t x = u.at(0);
      carer_update(b, static_cast<PersonId>(i), core::LocalDraws::low_uniform(x),
                   core::LocalDraws::high_uniform(x));
    }
    if (recovering) person_consent(b, static_cast<PersonId>(i), u.uniform_at(1, 0));
  }
}

}  // namespace ripple::model
