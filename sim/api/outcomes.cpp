// Subgroup outcomes read from the world's person arrays (see ripple/outcomes.hpp).
#include "ripple/outcomes.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include "api/state.hpp"
#include "model/world.hpp"

namespace ripple {
namespace {

// Indices into subgroups(); the bit of group g is 1 << g.
constexpr std::size_t kConditionFirst = 0;  // bipolar, psychosis, depression, substance
constexpr std::size_t kAlone = 4;
constexpr std::size_t kWithFamily = 5;
constexpr std::size_t kEmployed = 6;
constexpr std::size_t kNotEmployed = 7;

// Outpatient care: the services that hold the main helping relationship.
constexpr std::uint16_t kOutpatient = model::service_bit(model::ServiceKind::Cmhc) |
                                      model::service_bit(model::ServiceKind::Outreach) |
                                      model::service_bit(model::ServiceKind::OpenDialogue);

enum Measure : std::size_t {
  kRecovery,
  kEmployedShare,
  kIsolated,
  kInEpisode,
  kRelapses,
  kAdmissions,
  kBedDays,
  kWaiting,
  kDropouts,
  kCarerBurden,
  kCost,
  kMeasures
};

}  // namespace

const std::vector<Subgroup>& subgroups() {
  static const std::vector<Subgroup> kGroups = {
      {"condition", "bipolar"},   {"condition", "psychosis"}, {"condition", "depression"},
      {"condition", "substance"}, {"living", "alone"},        {"living", "with family"},
      {"work", "employed"},       {"work", "not employed"}};
  return kGroups;
}

const std::vector<io::Variable>& subgroup_variables() {
  static const std::vector<io::Variable> kVariables = {
      {"recovery_index_mean", "0-1", "Mean personal-recovery index (mean of CHIME)"},
      {"employed", "share", "Share in competitive work"},
      {"isolated", "share", "Share who are isolated (connectedness below the threshold)"},
      {"in_episode", "share", "Share in an acute episode or admitted"},
      {"relapses", "per person a week",
       "New episodes this week (well or struggling last week, acute or admitted now)"},
      {"admissions", "per person a week", "Admissions to the ward this week"},
      {"bed_days", "days per person a week", "Inpatient bed-days this week"},
      {"waiting", "share", "Share on a waiting list for outpatient care"},
      {"dropouts", "per person a week",
       "Left outpatient care this week other than by discharge when well (or death)"},
      {"carer_burden_mean", "0-1", "Burden of the person's carer (persons with a carer)"},
      {"cost", "NOK per person a week",
       "Cost of the group's own service use at unit cost: contacts, home visits and bed-days "
       "(costs.*; staff time is not divided between persons)"}};
  return kVariables;
}

SubgroupTracker::SubgroupTracker(const Simulation& simulation) {
  using namespace model;
  const World& w = simulation.state().world;
  const Persons& p = w.persons;
  static_assert(static_cast<int>(Profile::Substance) == 4);
  // Household members alive now, to tell who lives alone.
  std::unordered_map<std::uint32_t, std::uint32_t> household_alive;
  for (std::size_t i = 0; i < p.n; ++i)
    if (p.alive[i]) ++household_alive[p.household[i]];
  sizes_.assign(subgroups().size(), 0);
  for (std::size_t i = 0; i < p.n; ++i) {
    if (!p.alive[i] || !(p.role[i] & kInRecovery)) continue;
    std::uint32_t bits = 0;
    const auto profile = static_cast<Profile>(p.profile[i]);
    if (profile != Profile::None)
      bits |= 1u << (kConditionFirst + static_cast<std::size_t>(profile) - 1);
    bits |= 1u << (household_alive[p.household[i]] > 1 ? kWithFamily : kAlone);
    bits |=
        1u << (p.work[i] == static_cast<std::uint8_t>(Work::Employed) ? kEmployed : kNotEmployed);
    persons_.push_back(static_cast<std::uint32_t>(i));
    groups_.push_back(bits);
    episode_.push_back(p.episode[i]);
    outpatient_.push_back((p.enrolled[i] & kOutpatient) != 0 ? 1 : 0);
    for (std::size_t g = 0; g < sizes_.size(); ++g)
      if (bits & (1u << g)) ++sizes_[g];
  }
}

std::vector<double> SubgroupTracker::measure(const Simulation& simulation) {
  using namespace model;
  const World& w = simulation.state().world;
  const Persons& p = w.persons;
  const std::size_t groups = subgroups().size();
  std::vector<double> sum(groups * kMeasures, 0.0);
  std::vector<double> alive(groups, 0.0);
  std::vector<double> with_carer(groups, 0.0);  // the carer burden's denominator
  const auto threshold = static_cast<float>(w.params.chime.isolation_threshold);
  const auto& costs = w.params.costs;
  const auto in_episode = [](Episode e) { return e == Episode::Acute || e == Episode::Admitted; };
  for (std::size_t k = 0; k < persons_.size(); ++k) {
    const std::uint32_t i = persons_[k];
    if (!p.alive[i]) continue;
    const auto episode = static_cast<Episode>(p.episode[i]);
    const auto before = static_cast<Episode>(episode_[k]);
    episode_[k] = p.episode[i];
    // Leaving outpatient care is a discharge when well long enough (the model's rule,
    // helping.discharge_after_weeks), else a drop-out.
    const bool in_care = (p.enrolled[i] & kOutpatient) != 0;
    const bool discharged =
        episode == Episode::Well && p.well_weeks[i] >= w.params.helping.discharge_after_weeks;
    const bool dropped_out = outpatient_[k] && !in_care && !discharged;
    outpatient_[k] = in_care ? 1 : 0;
    const PersonId carer = p.carer[i];
    const bool has_carer = carer != kNoPerson && p.alive[carer];
    const bool admitted = episode == Episode::Admitted;
    const double bed_days = admitted ? 7.0 : 0.0;  // as the summary counts them
    const double service_cost =
        p.contacts[i] * (p.home_visit_week[i] ? costs.home_visit : costs.contact) +
        bed_days * costs.bed_day;
    const double values[kMeasures] = {
        p.recovery[i],
        p.work[i] == static_cast<std::uint8_t>(Work::Employed) ? 1.0 : 0.0,
        p.chime[0][i] < threshold ? 1.0 : 0.0,
        in_episode(episode) ? 1.0 : 0.0,
        in_episode(episode) && !in_episode(before) ? 1.0 : 0.0,
        admitted && before != Episode::Admitted ? 1.0 : 0.0,
        bed_days,
        (p.waiting[i] & kOutpatient) ? 1.0 : 0.0,
        dropped_out ? 1.0 : 0.0,
        has_carer ? p.burden[carer] : 0.0,
        service_cost};
    for (std::size_t g = 0; g < groups; ++g) {
      if (!(groups_[k] & (1u << g))) continue;
      alive[g] += 1.0;
      with_carer[g] += has_carer ? 1.0 : 0.0;
      for (std::size_t m = 0; m < kMeasures; ++m) sum[g * kMeasures + m] += values[m];
    }
  }
  for (std::size_t g = 0; g < groups; ++g)
    for (std::size_t m = 0; m < kMeasures; ++m) {
      // Carer burden is a mean over the persons who have a carer, the rest over everyone.
      const double n = m == kCarerBurden ? with_carer[g] : alive[g];
      sum[g * kMeasures + m] =
          n > 0 ? sum[g * kMeasures + m] / n : std::numeric_limits<double>::quiet_NaN();
    }
  return sum;
}

}  // namespace ripple
