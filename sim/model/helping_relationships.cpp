// Process 5: helping relationships (ODD 7.5; DOMAIN.md studies 4, 5 and 7).
//
// Reads:   enrolment, waiting, main worker and its generation, staff caseloads and
//          capacity (read-only here; changed only in the ordered service pass),
//          symptoms, episode, traits, age, profile, weeks since discharge, coordinator;
//          Scratch::support.
// Writes:  alliance, continuity, main_generation, coping, symptoms (therapy effect), debt
//          (practical counselling), contacts, wait and well counters; requests Refer and
//          Leave; Scratch::presence and power_sharing.
// Params:  helping.*, symptoms.therapy_effect, symptoms.extratherapeutic_share,
//          services.<main service>.*.
//
// Contacts delivered = planned contacts, capped by the worker's time after
// administration shared over the caseload, less missed appointments. Each contact
// builds alliance with communication, power sharing and continuity; therapy lowers
// symptoms and raises coping in proportion to alliance and dose, and matters less for
// a person with strong support outside (about 40% of outcome is extratherapeutic).
// A worker who leaves (turnover) is noticed through a changed generation: the new
// relationship starts from low trust ("tell my story again").
#include <cmath>

#include "model/process.hpp"

namespace ripple::model {
namespace {

using core::Stream;

void person_helping(Block& b, PersonId i) {
  World& w = b.w;
  Persons& p = w.persons;
  const auto& hp = w.params.helping;
  const std::size_t li = b.local(i);
  const bool in_recovery = p.role[i] & kInRecovery;
  const auto episode = static_cast<Episode>(p.episode[i]);
  b.s.presence[li] = 0.0f;
  b.s.power_sharing[li] = 0.0f;
  p.contacts[i] = 0.0f;
  p.home_visit_week[i] = 0;
  if (p.waiting[i]) {
    if (p.wait_weeks[i] < 65535) ++p.wait_weeks[i];
  }
  if (episode == Episode::Well) {
    if (p.well_weeks[i] < 65535) ++p.well_weeks[i];
  } else {
    p.well_weeks[i] = 0;
  }
  if (p.weeks_since_discharge[i] < 65535) ++p.weeks_since_discharge[i];
  if (!in_recovery) return;

  // Numbers by place, computed only when needed (LocalDraws::at): output 0 gives drop-out
  // (low half) and a GP visit (high half), output 1 the GP's referral.
  const core::LocalDraws u = b.draws(i, Stream::Helping);
  const ServiceKind main = main_service(p.enrolled[i]);
  if (main != ServiceKind::Count && p.main_worker[i] != kNoPerson && episode != Episode::Admitted) {
    const std::uint32_t s = w.staff.index_of[p.main_worker[i]];
    if (w.staff.generation[s] != p.main_generation[i]) {
      b.log(EventKind::StaffTurnover, i, p.main_worker[i], p.alliance[i]);
      p.alliance[i] = static_cast<float>(hp.alliance_start);
      p.continuity_weeks[i] = 0;
      p.main_generation[i] = w.staff.generation[s];
    }
    const HelpingStyle style = helping_style(w.params, main);
    const float share = w.staff.capacity_contacts[s] /
                        static_cast<float>(std::max<std::uint32_t>(1, w.staff.caseload[s]));
    float planned = std::min(static_cast<float>(style.contacts_per_week), share);
    if (style.office_based && (p.traits[i] & kOfficeAversion))
      planned *= static_cast<float>(hp.office_attendance);
    const float miss =
        clamp01(static_cast<float>(hp.miss_base) *
                (1.0f + static_cast<float>(hp.miss_symptom_factor) * p.symptoms[i]) *
                (1.0f - static_cast<float>(hp.miss_alliance_factor) * p.alliance[i]));
    const float delivered = planned * (1.0f - miss);
    p.contacts[i] = delivered;
    p.home_visit_week[i] = style.office_based ? 0 : 1;

    const float continuity = std::min(
        1.0f, static_cast<float>(p.continuity_weeks[i]) / static_cast<float>(hp.continuity_weeks));
    const float quality =
        (static_cast<float>(style.communication + style.power_sharing) + continuity) / 3.0f;
    // Small acts beyond the job build trust faster (transcending the professional role).
    const float beyond = 1.0f + static_cast<float>(hp.transcending_trust * style.transcending);
    float A = p.alliance[i];
    A += static_cast<float>(hp.alliance_gain) * delivered * quality * beyond * (1.0f - A);
    if (delivered < static_cast<float>(hp.alliance_fade_contacts))
      A -= static_cast<float>(hp.alliance_decay) * A;
    p.alliance[i] = clamp01(A);
    if (p.continuity_weeks[i] < 65535) ++p.continuity_weeks[i];

    // Therapy matters less when the person's own network carries them (Lambert's 40%).
    const float support_level =
        clamp01(b.s.support[li] / static_cast<float>(w.params.stress.support_saturation));
    const float dose =
        delivered * p.alliance[i] *
        (1.0f - static_cast<float>(w.params.symptoms.extratherapeutic_share) * support_level);
    p.symptoms[i] = clamp01(p.symptoms[i] *
                            (1.0f - static_cast<float>(w.params.symptoms.therapy_effect) * dose));
    p.coping[i] = clamp01(p.coping[i] + static_cast<float>(hp.coping_gain) * delivered *
                                            p.alliance[i] * (1.0f - p.coping[i]));
    p.debt[i] = std::max(
        0.0f, p.debt[i] - static_cast<float>(hp.debt_counselling * style.practical_counselling) *
                              delivered);
    b.s.presence[li] = delivered;
    b.s.power_sharing[li] = static_cast<float>(style.power_sharing);

    // Drop-out: fragmentation, youth and male sex, substance use, a recent discharge
    // and a weak alliance raise it; a service that keeps calling prevents some.
    double h = b.r.dropout * (1.0 + hp.dropout_fragmentation * fragmentation(w, i));
    if ((p.traits[i] & kMale) && p.age[i] < hp.young_male_age) h *= 1.0 + hp.dropout_young_male;
    if (p.profile[i] == static_cast<std::uint8_t>(Profile::Substance))
      h *= 1.0 + hp.dropout_substance;
    if (p.weeks_since_discharge[i] < hp.after_discharge_weeks)
      h *= 1.0 + hp.dropout_after_discharge;
    h *= 1.0 + hp.dropout_alliance_effect * (0.5 - p.alliance[i]);
    h *= 1.0 - hp.follow_up * style.follow_up;
    if (u.uniform_at(0, 0) < h) {
      // Logged once, by the service pass that ends the place (service kind as magnitude).
      b.request(RequestKind::Leave, i, main, 1.0f);
    } else if (episode == Episode::Well && p.well_weeks[i] >= hp.discharge_after_weeks) {
      b.request(RequestKind::Leave, i, main, 0.0f);
    }
  }

  // Contacts with the employment specialist, peer worker and coordinator are counted
  // as contacts (for costs); their effects act where they matter, through side_dose.
  if (p.ips_worker[i] != kNoPerson || p.peer_worker[i] != kNoPerson ||
      p.coordinator[i] != kNoPerson)
    for (const ServiceKind side :
         {ServiceKind::Ips, ServiceKind::PeerSupport, ServiceKind::Coordinator})
      b.tally.contacts += side_delivered(w, i, side);

  const auto& sv = w.params.services;
  const bool in_main = main != ServiceKind::Count;
  const bool waiting_main = p.waiting[i] & kMainServices;
  // A struggling person outside specialist care may see a GP, who may refer on.
  if (!in_main && !waiting_main && episode != Episode::Well && episode != Episode::Admitted &&
      sv.gp.enabled && u.uniform_at(0, 1) < b.r.gp_visit) {
    b.tally.gp_visits += 1;
    if (u.uniform_at(1, 0) < hp.gp_referral) {
      ServiceKind to = ServiceKind::Cmhc;
      if (sv.open_dialogue.enabled)
        to = ServiceKind::OpenDialogue;
      else if (sv.outreach.enabled && (p.traits[i] & kOfficeAversion))
        to = ServiceKind::Outreach;
      if (to != ServiceKind::Cmhc || sv.cmhc.enabled) b.request(RequestKind::Refer, i, to);
    }
  }
  // Services that follow from being in care.
  const std::uint16_t have = p.enrolled[i] | p.waiting[i];
  if (in_main) {
    if (sv.ips.enabled && sv.ips.referral_by_services &&
        p.work[i] == static_cast<std::uint8_t>(Work::Unemployed) && (p.traits[i] & kWishToWork) &&
        !(have & service_bit(ServiceKind::Ips)))
      b.request(RequestKind::Refer, i, ServiceKind::Ips);
    if (sv.peer_support.enabled && !(have & service_bit(ServiceKind::PeerSupport)))
      b.request(RequestKind::Refer, i, ServiceKind::PeerSupport);
    if (sv.outreach.enabled && main == ServiceKind::Cmhc && (p.traits[i] & kOfficeAversion) &&
        !(have & service_bit(ServiceKind::Outreach)))
      b.request(RequestKind::Refer, i, ServiceKind::Outreach);
  }
  if (sv.coordinator.enabled &&
      popcount16((p.enrolled[i] | p.waiting[i]) & kNavigatedServices) >= 2 &&
      p.coordinator[i] == kNoPerson && !(p.waiting[i] & service_bit(ServiceKind::Coordinator)))
    b.request(RequestKind::Refer, i, ServiceKind::Coordinator);
  // Supported employment ends after ips.follow_along_weeks in work; peer support with main service.
  if ((p.enrolled[i] & service_bit(ServiceKind::Ips)) &&
      p.work[i] == static_cast<std::uint8_t>(Work::Employed) &&
      p.tenure_weeks[i] >= sv.ips.follow_along_weeks)
    b.request(RequestKind::Leave, i, ServiceKind::Ips, 0.0f);
  if (!in_main && (p.enrolled[i] & service_bit(ServiceKind::PeerSupport)))
    b.request(RequestKind::Leave, i, ServiceKind::PeerSupport, 0.0f);
  if (p.coordinator[i] != kNoPerson && popcount16(p.enrolled[i] & kNavigatedServices) == 0)
    b.request(RequestKind::Leave, i, ServiceKind::Coordinator, 0.0f);
}

}  // namespace

void helping_relationships(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i) {
    if (!b.w.persons.alive[i]) continue;
    person_helping(b, static_cast<PersonId>(i));
  }
}

}  // namespace ripple::model
