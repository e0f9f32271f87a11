// Weekly terms derived from the parameters, recomputed at the start of each week
// so that timeline interventions take effect at once.
#include "core/rng.hpp"
#include "model/process.hpp"

namespace ripple::model {

using core::weekly_from_yearly;

Rates derive_rates(const scenario::Params& p) {
  Rates r{};
  r.death = weekly_from_yearly(p.events.death_per_year);
  r.breakup = weekly_from_yearly(p.events.breakup_per_year);
  r.job_loss = weekly_from_yearly(p.events.job_loss_per_year);
  // Rates that can exceed one event a year are Poisson rates: weekly probability 1 - e^(-rate/52).
  auto weekly_rate = [](double per_year) { return 1.0 - std::exp(-per_year / 52.0); };
  r.debt_letter = weekly_rate(p.events.debt_letter_per_year);
  r.conflict = weekly_rate(p.events.family_conflict_per_year);
  r.exclusion = weekly_rate(p.events.exclusion_per_year);
  r.devaluation = weekly_rate(p.events.family_devaluation_per_year);
  r.devaluation_recover = weekly_from_yearly(p.events.devaluation_recover_per_year);
  const auto& s = p.symptoms;
  r.relapse = {weekly_from_yearly(s.general_onset_per_year),
               weekly_from_yearly(s.bipolar_relapse_per_year),
               weekly_from_yearly(s.psychosis_relapse_per_year),
               weekly_from_yearly(s.depression_relapse_per_year),
               weekly_from_yearly(s.substance_relapse_per_year)};
  r.vulnerability = {s.vulnerability_general, s.vulnerability_bipolar, s.vulnerability_psychosis,
                     s.vulnerability_depression, s.vulnerability_substance};
  r.med_start = weekly_from_yearly(p.medication.start_per_year);
  r.join = weekly_from_yearly(p.arenas.join_per_year);
  r.leave = weekly_from_yearly(p.arenas.leave_per_year);
  r.job_find = weekly_from_yearly(p.arenas.job_find_per_year);
  r.dropout = weekly_from_yearly(p.helping.dropout_per_year);
  r.gp_visit = weekly_from_yearly(p.helping.gp_visit_per_year);
  r.style_drift = weekly_from_yearly(p.family.style_drift_per_year);
  r.style_recover = weekly_from_yearly(p.family.style_recover_per_year);
  r.psychoeducation_recover = weekly_from_yearly(p.family.psychoeducation_recover_per_year);
  r.consent_withdraw = weekly_from_yearly(p.family.consent_withdraw_per_year);
  r.consent_give = weekly_from_yearly(p.family.consent_give_per_year);
  const auto& a = p.arenas;
  r.rhythm = {a.work_rhythm, a.work_rhythm,      a.faith_rhythm,
              a.club_rhythm, a.volunteer_rhythm, a.peer_group_rhythm};
  const auto& sv = p.services;
  r.turnover = {0.0,
                weekly_from_yearly(sv.cmhc.turnover_per_year),
                weekly_from_yearly(sv.outreach.turnover_per_year),
                0.0,
                weekly_from_yearly(sv.ips.turnover_per_year),
                0.0,
                weekly_from_yearly(sv.peer_support.turnover_per_year),
                weekly_from_yearly(sv.open_dialogue.turnover_per_year),
                weekly_from_yearly(sv.coordinator.turnover_per_year)};
  return r;
}

Staffing staffing(const scenario::Params& p, ServiceKind k) {
  const auto& sv = p.services;
  switch (k) {
    case ServiceKind::Cmhc:
      return {sv.cmhc.enabled, sv.cmhc.staff_per_10k, sv.cmhc.caseload_cap, sv.cmhc.hours_per_week,
              sv.cmhc.admin_share};
    case ServiceKind::Outreach:
      return {sv.outreach.enabled, sv.outreach.staff_per_10k, sv.outreach.caseload_cap,
              sv.outreach.hours_per_week, sv.outreach.admin_share};
    case ServiceKind::Ips:
      return {sv.ips.enabled, sv.ips.staff_per_10k, sv.ips.caseload_cap, sv.ips.hours_per_week,
              sv.ips.admin_share};
    case ServiceKind::PeerSupport:
      return {sv.peer_support.enabled, sv.peer_support.staff_per_10k, sv.peer_support.caseload_cap,
              sv.peer_support.hours_per_week, 0.0};
    case ServiceKind::OpenDialogue:
      return {sv.open_dialogue.enabled, sv.open_dialogue.staff_per_10k,
              sv.open_dialogue.caseload_cap, sv.open_dialogue.hours_per_week,
              sv.open_dialogue.admin_share};
    case ServiceKind::Coordinator:
      return {sv.coordinator.enabled, sv.coordinator.staff_per_10k, sv.coordinator.caseload_cap,
              sv.coordinator.hours_per_week, sv.coordinator.admin_share};
    default:
      return {false, 0.0, 0, 0.0, 0.0};
  }
}

HelpingStyle helping_style(const scenario::Params& p, ServiceKind k) {
  const auto& sv = p.services;
  switch (k) {
    case ServiceKind::Cmhc:
      return {sv.cmhc.contacts_per_week,
              sv.cmhc.power_sharing,
              sv.cmhc.communication,
              sv.cmhc.family_involvement,
              sv.cmhc.practical_counselling,
              sv.cmhc.pushing,
              sv.cmhc.follow_up,
              sv.cmhc.transcending,
              sv.cmhc.availability,
              sv.cmhc.home_treatment,
              true};
    case ServiceKind::Outreach:
      return {sv.outreach.contacts_per_week,
              sv.outreach.power_sharing,
              sv.outreach.communication,
              sv.outreach.family_involvement,
              sv.outreach.practical_counselling,
              sv.outreach.pushing,
              sv.outreach.follow_up,
              sv.outreach.transcending,
              sv.outreach.availability,
              sv.outreach.home_treatment,
              false};
    case ServiceKind::OpenDialogue:
      return {sv.open_dialogue.contacts_per_week,
              sv.open_dialogue.power_sharing,
              sv.open_dialogue.communication,
              sv.open_dialogue.family_involvement,
              sv.open_dialogue.practical_counselling,
              sv.open_dialogue.pushing,
              sv.open_dialogue.follow_up,
              sv.open_dialogue.transcending,
              sv.open_dialogue.availability,
              sv.open_dialogue.home_treatment,
              false};
    default:
      return {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false};
  }
}

}  // namespace ripple::model
