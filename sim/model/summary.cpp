// Weekly outcomes (ODD 7.10): per-block tallies taken at the end of the person pass,
// summed in block order, then turned into the /summary variables.
#include "model/summary.hpp"

#include <cmath>

#include "model/process.hpp"

namespace ripple::model {

void Tally::add(const Tally& o) {
  recovery_sum += o.recovery_sum;
  symptoms_sum += o.symptoms_sum;
  in_episode += o.in_episode;
  recovering += o.recovering;
  for (std::size_t k = 0; k < chime_sum.size(); ++k) chime_sum[k] += o.chime_sum[k];
  employed += o.employed;
  isolated += o.isolated;
  burden_sum += o.burden_sum;
  carers += o.carers;
  watchdog += o.watchdog;
  withdrawn += o.withdrawn;
  admissions += o.admissions;
  relapses += o.relapses;
  bed_days += o.bed_days;
  dropouts += o.dropouts;
  contacts += o.contacts;
  home_visits += o.home_visits;
  gp_visits += o.gp_visits;
  waiting_weeks_sum += o.waiting_weeks_sum;
  waiting += o.waiting;
  alive += o.alive;
  stress_sum += o.stress_sum;
  deaths += o.deaths;
  in_service += o.in_service;
  job_finds += o.job_finds;
  admitted += o.admitted;
  hours_sum += o.hours_sum;
  for (std::size_t k = 0; k < recovery_hist.size(); ++k) recovery_hist[k] += o.recovery_hist[k];
}

void tally_person(const World& w, PersonId i, Tally& t) {
  const Persons& p = w.persons;
  if (!p.alive[i]) return;
  t.alive += 1;
  if (p.role[i] & kCarer) {
    t.carers += 1;
    t.burden_sum += p.burden[i];
    if (p.style[i] == static_cast<std::uint8_t>(CaringStyle::Watchdog)) t.watchdog += 1;
    if (p.style[i] == static_cast<std::uint8_t>(CaringStyle::Withdrawn)) t.withdrawn += 1;
  }
  if (p.contacts[i] > 0.0f) {
    if (p.home_visit_week[i])
      t.home_visits += p.contacts[i];
    else
      t.contacts += p.contacts[i];
  }
  if (!(p.role[i] & kInRecovery)) return;
  t.recovering += 1;
  t.recovery_sum += p.recovery[i];
  t.symptoms_sum += p.symptoms[i];
  t.stress_sum += p.stress[i];
  for (std::size_t k = 0; k < 5; ++k) t.chime_sum[k] += p.chime[k][i];
  const auto episode = static_cast<Episode>(p.episode[i]);
  if (in_episode(episode)) t.in_episode += 1;
  if (episode == Episode::Admitted) {
    t.bed_days += 7;
    t.admitted += 1;
  }
  if (p.work[i] == static_cast<std::uint8_t>(Work::Employed)) {
    t.employed += 1;
    t.hours_sum += weekly_hours(w.params, p, i);
  }
  if (p.chime[0][i] < w.params.chime.isolation_threshold) t.isolated += 1;
  if (p.waiting[i] & kMainServices) {
    t.waiting += 1;
    t.waiting_weeks_sum += p.wait_weeks[i];
  }
  if (p.enrolled[i] & kMainServices) t.in_service += 1;
  const auto bin = std::min<std::size_t>(t.recovery_hist.size() - 1,
                                         static_cast<std::size_t>(p.recovery[i] * 50.0f));
  t.recovery_hist[bin] += 1;
}

void tally_block(Block& b) {
  for (std::size_t i = b.begin; i < b.end; ++i)
    tally_person(b.w, static_cast<PersonId>(i), b.tally);
}

const std::vector<io::Variable>& summary_variables() {
  static const std::vector<io::Variable> kVariables = {
      {"recovery_index_mean", "0-1",
       "Mean personal-recovery index (mean of CHIME), persons in recovery"},
      {"recovery_index_q25", "0-1", "Lower quartile of the recovery index, persons in recovery"},
      {"recovery_index_median", "0-1", "Median recovery index, persons in recovery"},
      {"recovery_index_q75", "0-1", "Upper quartile of the recovery index, persons in recovery"},
      {"connectedness_mean", "0-1", "Mean connectedness (CHIME C), persons in recovery"},
      {"hope_mean", "0-1", "Mean hope (CHIME H), persons in recovery"},
      {"identity_mean", "0-1", "Mean identity apart from illness (CHIME I), persons in recovery"},
      {"meaning_mean", "0-1", "Mean meaning (CHIME M), persons in recovery"},
      {"empowerment_mean", "0-1", "Mean empowerment (CHIME E), persons in recovery"},
      {"symptoms_mean", "0-1", "Mean symptom load, persons in recovery"},
      {"stress_mean", "stress", "Mean accumulated stress, persons in recovery"},
      {"in_episode", "share", "Share of persons in recovery in an acute episode or admitted"},
      {"admissions", "persons/week", "Admissions to the inpatient ward this week"},
      {"relapses", "persons/week", "Relapses (new episodes) of persons in recovery this week"},
      {"bed_days", "days/week", "Inpatient bed-days this week"},
      {"employed", "share", "Share of persons in recovery in competitive work"},
      {"isolated", "share",
       "Share of persons in recovery who are isolated (connectedness below the threshold)"},
      {"carer_burden_mean", "0-1", "Mean burden of carers"},
      {"watchdog_carers", "share", "Share of carers who are over-involved (watchdog)"},
      {"withdrawn_carers", "share", "Share of carers who have withdrawn"},
      {"dropouts", "persons/week", "Drop-outs from outpatient services this week"},
      {"waiting", "persons",
       "Persons in recovery on a waiting list for outpatient care (CMHC, outreach or Open "
       "Dialogue)"},
      {"waiting_weeks_mean", "weeks",
       "Mean weeks waited so far by persons on a waiting list for outpatient care"},
      {"in_service", "share",
       "Share of persons in recovery in outpatient care (CMHC, outreach or Open Dialogue)"},
      {"contacts", "contacts/week",
       "Office contacts and contacts with employment specialists, peer workers and "
       "coordinators delivered this week"},
      {"home_visits", "visits/week", "Home visits and network meetings delivered this week"},
      {"gp_visits", "visits/week", "GP visits of struggling persons this week"},
      {"staff_hours", "hours/week", "Paid staff hours this week, administration included"},
      {"cost", "NOK/week",
       "Cost of services this week (staff time or activity, by the cost method)"},
      {"persons_alive", "persons", "Persons alive"},
      {"in_recovery", "persons", "Persons in recovery (with a mental-health condition)"},
      {"deaths", "persons/week", "Deaths this week"},
      {"job_finds", "persons/week", "Persons in recovery who found a job this week"},
      {"hours_mean", "hours/week",
       "Mean hours worked this week by persons in recovery in competitive work (0 on sick "
       "leave in an acute episode or on a ward)"},
  };
  return kVariables;
}

namespace {

double quantile(const std::array<double, 50>& hist, double total, double q) {
  if (total <= 0) return 0.0;
  const double target = q * total;
  double cumulative = 0.0;
  for (std::size_t k = 0; k < hist.size(); ++k) {
    if (cumulative + hist[k] >= target && hist[k] > 0) {
      const double within = (target - cumulative) / hist[k];
      return (static_cast<double>(k) + within) / 50.0;
    }
    cumulative += hist[k];
  }
  return 1.0;
}

}  // namespace

std::vector<double> summarize(const World& w, const Tally& t) {
  const auto& sv = w.params.services;
  // Paid staff time: every worker of an open service, whether with clients or not
  // (workers let go by a timeline change are off the services' lists).
  double staff_hours = 0.0;
  for (std::size_t k = 0; k < w.staff.of_service.size(); ++k) {
    const Staffing staff = staffing(w.params, static_cast<ServiceKind>(k));
    if (staff.enabled)
      staff_hours += staff.hours_per_week * static_cast<double>(w.staff.of_service[k].size());
  }

  const double places = static_cast<double>(w.services.psychoeducation_used);
  staff_hours += places * sv.psychoeducation.staff_hours_per_place;
  double ips_places = 0.0;
  for (const std::uint32_t s : w.staff.of_service[static_cast<std::size_t>(ServiceKind::Ips)])
    ips_places += w.staff.caseload[s];
  const auto& c = w.params.costs;
  const double shared =
      t.bed_days * c.bed_day + t.gp_visits * c.gp_visit + (places + ips_places) * c.programme_place;
  const double cost = c.method == 0
                          ? staff_hours * c.staff_hour + shared
                          : t.contacts * c.contact + t.home_visits * c.home_visit + shared;
  const double n = std::max(1.0, t.recovering);
  return {t.recovery_sum / n,
          quantile(t.recovery_hist, t.recovering, 0.25),
          quantile(t.recovery_hist, t.recovering, 0.5),
          quantile(t.recovery_hist, t.recovering, 0.75),
          t.chime_sum[0] / n,
          t.chime_sum[1] / n,
          t.chime_sum[2] / n,
          t.chime_sum[3] / n,
          t.chime_sum[4] / n,
          t.symptoms_sum / n,
          t.stress_sum / n,
          t.in_episode / n,
          t.admissions,
          t.relapses,
          t.bed_days,
          t.employed / n,
          t.isolated / n,
          t.burden_sum / std::max(1.0, t.carers),
          t.watchdog / std::max(1.0, t.carers),
          t.withdrawn / std::max(1.0, t.carers),
          t.dropouts,
          t.waiting,
          t.waiting > 0 ? t.waiting_weeks_sum / t.waiting : 0.0,
          t.in_service / n,
          t.contacts,
          t.home_visits,
          t.gp_visits,
          staff_hours,
          cost,
          t.alive,
          t.recovering,
          t.deaths,
          t.job_finds,
          t.employed > 0 ? t.hours_sum / t.employed : 0.0};
}

}  // namespace ripple::model
