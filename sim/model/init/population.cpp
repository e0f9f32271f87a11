// The population generator (ODD 5: initialisation).
//
// Builds, from scenario parameters and the seed alone:
//   households   sizes 1 + Poisson(mean - 1), capped at population.household_max_size,
//                filled with consecutive persons;
//   persons      age (population.age_min to age_max), sex, condition profile by prevalence
//                (scaled by the risk of the person's area), vulnerability, traits, and
//                starting states from the `initial` group;
//   work         employment by population.employment_rate (lower in recovery), students;
//   arenas       workplaces, schools, faith communities, clubs, volunteer centres and
//                peer-support groups with inclusion climates around the scenario mean;
//   ties         partner and household ties, kin in other households, friendships on a
//                small-world network (Watts-Strogatz style: neighbours in person order,
//                which follows households, plus random long-range ties) and co-workers;
//                stored as compressed sparse rows, symmetric;
//   carers       for persons in recovery living with relatives, one relative each;
//   services     staff hired from the population, beds, programme places, and the
//                persons already in outpatient care.
// With population.generated = false the world is only the scenario's characters: no
// generated persons, households, arenas or ties; the workers the loader added to the
// cast (Character::staff) staff the services.
// Generation is serial: it runs once and its cost is small next to the weeks.
#include "model/init/population.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <iterator>
#include <numeric>
#include <string_view>

#include "model/interventions.hpp"
#include "model/process.hpp"
#include "model/step.hpp"
#include "ripple/errors.hpp"

namespace ripple::model {
namespace {

using core::Stream;

// Ties are collected as TieSpecs from the start (kinds filled in once pairs are
// unique), so the generator never holds two copies of the edge list.
using Edge = TieSpec;
constexpr TieKind kUnset = TieKind::Support;  // kinds are drawn once pairs are unique

// The areas of ODD 5.1: blocks of population.area_persons consecutive persons (the last
// may be shorter). Area risk, kin near home and workplaces near home all use them.
struct Areas {
  std::size_t size, count, persons;
  Areas(const scenario::Params& params, std::size_t n)
      : size(static_cast<std::size_t>(params.population.area_persons)),
        count((n + size - 1) / size),
        persons(n) {}
  std::size_t of(std::size_t i) const { return i / size; }
  std::size_t first(std::size_t a) const { return a * size; }
  std::size_t persons_in(std::size_t a) const { return std::min(size, persons - first(a)); }
};

float clamp_range(double x, double lo, double hi) {
  return static_cast<float>(std::min(hi, std::max(lo, x)));
}

using Cast = std::vector<scenario::Character>;

// The scenario's choice names follow the model's enums.
constexpr bool same_names(const char* const* a, const char* const* b, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (std::string_view(a[k]) != std::string_view(b[k])) return false;
  return true;
}
static_assert(same_names(scenario::kCharacterProfileNames, kProfileNames,
                         std::size(kProfileNames)));
static_assert(same_names(scenario::kCharacterWorkNames, kWorkNames, std::size(kWorkNames)));
static_assert(same_names(scenario::kCharacterStyleNames, kStyleNames, std::size(kStyleNames)));
static_assert(same_names(scenario::kCharacterRelationNames, kRelationNames,
                         std::size(kRelationNames)));
static_assert(same_names(scenario::kCharacterTieKindNames, kTieKindNames, 2));
static_assert(same_names(scenario::kArenaKindNames, kArenaKindNames, std::size(kArenaKindNames)));

void make_persons(World& w, const Cast& cast) {
  Persons& p = w.persons;
  const auto& pop = w.params.population;
  const Rates r = derive_rates(w.params);
  const double cumulative[] = {
      pop.bipolar_prevalence, pop.bipolar_prevalence + pop.psychosis_prevalence,
      pop.bipolar_prevalence + pop.psychosis_prevalence + pop.depression_prevalence,
      pop.bipolar_prevalence + pop.psychosis_prevalence + pop.depression_prevalence +
          pop.substance_prevalence};
  // The range is checked at load (min <= max); the floor of 1 only guards the modulo.
  const auto ages =
      static_cast<std::uint32_t>(std::max<std::int64_t>(1, pop.age_max - pop.age_min + 1));
  // Shared environment: every block of population.area_persons consecutive persons (an
  // area: households, local friends) has a risk multiplier that scales the prevalences
  // there (ODD 5.1). The areas' multipliers are the lognormal's quantiles at
  // (k + 0.5) / areas (log-sd population.area_risk_sd), dealt to the areas in a random
  // order, then divided by the persons' mean multiplier so that the town keeps the
  // scenario's prevalences. Quantiles rather than independent draws: a town of ten
  // areas then has the spread the parameter names, not whatever ten draws from a
  // heavy-tailed distribution give (with them, the network association of row 5 at
  // log-sd 1.4 was +0.59 for one seed and +0.96 for another).
  const Areas areas(w.params, p.n);
  std::vector<double> area_risk(areas.count, 1.0);
  if (pop.area_risk_sd > 0.0) {
    const boost::math::normal_distribution<double> standard;
    for (std::size_t k = 0; k < areas.count; ++k)
      area_risk[k] = std::exp(
          pop.area_risk_sd * boost::math::quantile(standard, (static_cast<double>(k) + 0.5) /
                                                                 static_cast<double>(areas.count)));
    // Fisher-Yates with addressed draws (one per area), so the order is the seed's.
    for (std::size_t a = areas.count; a-- > 1;) {
      const core::Draw4 d = w.rng.draw(Stream::Init, static_cast<std::uint32_t>(a), 8, 0);
      std::swap(area_risk[a], area_risk[d.w[0] % (a + 1)]);
    }
    double weighted = 0.0;
    for (std::size_t a = 0; a < areas.count; ++a)
      weighted += area_risk[a] * static_cast<double>(areas.persons_in(a));
    for (double& m : area_risk) m *= static_cast<double>(p.n) / weighted;
  }
  for (PersonId i = 0; i < p.n; ++i) {
    const core::Draw4 d = w.rng.draw(Stream::Init, i, 0, 0);
    const core::Draw4 d2 = w.rng.draw(Stream::Init, i, 0, 1);
    const core::Draw4 d3 = w.rng.draw(Stream::Init, i, 0, 2);
    p.alive[i] = 1;
    p.age[i] = static_cast<std::uint8_t>(pop.age_min + d.w[0] % ages);
    std::uint8_t traits = d.uniform(1) < pop.male_share ? kMale : 0;
    Profile profile = Profile::None;
    const double u = d.uniform(2);
    for (int k = 0; k < 4; ++k)
      if (u < cumulative[k] * area_risk[areas.of(i)]) {
        profile = static_cast<Profile>(k + 1);
        break;
      }
    const scenario::Character* c = i < cast.size() ? &cast[i] : nullptr;
    if (c != nullptr && c->profile) profile = static_cast<Profile>(*c->profile);
    if (c != nullptr && c->age) p.age[i] = static_cast<std::uint8_t>(*c->age);
    if (c != nullptr && c->male) traits = *c->male ? kMale : 0;
    p.profile[i] = static_cast<std::uint8_t>(profile);
    const bool recovering = profile != Profile::None;
    p.role[i] = recovering ? kInRecovery : 0;
    const double base = r.vulnerability[static_cast<std::size_t>(profile)];
    p.vulnerability[i] = clamp_range(
        base + w.params.symptoms.vulnerability_sd * core::normal(d.uniform_open(3), d2.uniform(0)),
        w.params.symptoms.vulnerability_min, 1.0);
    if (c != nullptr && c->vulnerability)
      p.vulnerability[i] = static_cast<float>(*c->vulnerability);
    if (recovering) {
      if (d2.uniform(1) < pop.social_anxiety_share) traits |= kSocialAnxiety;
      if (d2.uniform(2) < pop.office_aversion_share) traits |= kOfficeAversion;
      if (d2.uniform(3) < pop.medication_responder_share) traits |= kMedResponder;
    }
    // The story's word on social anxiety wins over the draw (the draws are made anyway,
    // so the rest of the town is the same either way).
    if (c != nullptr && c->social_anxiety)
      traits = static_cast<std::uint8_t>(*c->social_anxiety ? (traits | kSocialAnxiety)
                                                            : (traits & ~kSocialAnxiety));
    p.traits[i] = traits;
    p.involvement_rank[i] = static_cast<float>(w.rng.draw(Stream::Init, i, 0, 3).uniform(0));

    // Start in a plausible state: some of those in recovery are unwell today.
    const auto& ini = w.params.initial;
    float s0 = recovering ? clamp_range(ini.symptoms_recovery_base +
                                            ini.symptoms_recovery_spread * d3.uniform(0) * base,
                                        0, 1)
                          : clamp_range(ini.symptoms_other * d3.uniform(0), 0, 1);
    if (c != nullptr && c->symptoms) s0 = static_cast<float>(*c->symptoms);
    p.symptoms[i] = s0;
    p.symptoms_trend[i] = s0;
    const auto& sp = w.params.symptoms;
    p.episode[i] = static_cast<std::uint8_t>(s0 > sp.acute_threshold        ? Episode::Acute
                                             : s0 > sp.struggling_threshold ? Episode::Struggling
                                                                            : Episode::Well);
    p.stress[i] = static_cast<float>(ini.stress_max * d3.uniform(1));
    p.coping[i] = static_cast<float>(recovering ? ini.coping_recovery : ini.coping_other);
    p.debt[i] = d3.uniform(2) < (recovering ? ini.debt_share_recovery : ini.debt_share_other)
                    ? static_cast<float>(ini.debt_level)
                    : 0.0f;
    p.housing[i] = 1.0f - static_cast<float>(w.params.finances.housing_debt_effect) * p.debt[i];
    const auto c0 = static_cast<float>(recovering ? ini.chime_recovery : ini.chime_other);
    for (auto& component : p.chime) component[i] = c0;
    p.recovery[i] = c0;
    p.consent[i] = d3.uniform(3) < w.params.family.initial_consent ? 1 : 0;
    if (c != nullptr) {
      if (c->stress) p.stress[i] = static_cast<float>(*c->stress);
      if (c->coping) p.coping[i] = static_cast<float>(*c->coping);
      if (c->debt) p.debt[i] = static_cast<float>(*c->debt);
      p.housing[i] = 1.0f - static_cast<float>(w.params.finances.housing_debt_effect) * p.debt[i];
      if (c->consent) p.consent[i] = *c->consent ? 1 : 0;
    }
    p.medication[i] = static_cast<std::uint8_t>(Medication::None);
  }
}

void make_households(World& w, const std::vector<std::uint32_t>& cast_households) {
  std::vector<PersonId>& household_start = w.households.start;
  household_start.clear();
  Persons& p = w.persons;
  const double mean_extra = w.params.population.household_mean_size - 1.0;
  std::uint32_t h = 0;
  PersonId i = 0;
  // The characters' households as declared, then the generated ones.
  for (std::size_t k = 0; k + 1 < cast_households.size(); ++k, ++h) {
    household_start.push_back(cast_households[k]);
    for (i = cast_households[k]; i < cast_households[k + 1]; ++i) p.household[i] = h;
  }
  const std::uint32_t first_generated = h;
  while (i < p.n) {
    const core::Draw4 d = w.rng.draw(Stream::Init, h - first_generated, 1, 0);
    const int size = std::min(static_cast<int>(w.params.population.household_max_size),
                              1 + core::poisson(mean_extra, d.uniform(0)));
    household_start.push_back(i);
    for (int k = 0; k < size && i < p.n; ++k, ++i) p.household[i] = h;
    ++h;
  }
  household_start.push_back(static_cast<std::uint32_t>(p.n));
}

void make_work(World& w, const Cast& cast) {
  Persons& p = w.persons;
  const auto& pop = w.params.population;
  for (PersonId i = 0; i < p.n; ++i) {
    const core::Draw4 d = w.rng.draw(Stream::Init, i, 2, 0);
    const bool recovering = p.role[i] & kInRecovery;
    const double employ = pop.employment_rate * (recovering ? pop.recovery_employment_factor : 1.0);
    Work work = Work::Unemployed;
    if (d.uniform(0) < employ)
      work = Work::Employed;
    else if (d.uniform(1) < pop.student_share / std::max(1e-9, 1.0 - employ))
      work = Work::Studying;
    else if (recovering && d.uniform(2) < pop.benefits_share)
      work = Work::Benefits;
    // A character works only where the story says (default: unemployed).
    if (i < cast.size()) work = cast[i].work ? static_cast<Work>(*cast[i].work) : Work::Unemployed;
    p.work[i] = static_cast<std::uint8_t>(work);
    if (work != Work::Employed && work != Work::Studying && d.uniform(3) < pop.wish_to_work_share)
      p.traits[i] |= kWishToWork;
  }
}

void make_arenas(World& w, const scenario::Scenario* story,
                 std::vector<std::vector<PersonId>>& workplace_members) {
  static const Cast kNoCast;
  const Cast& cast = story != nullptr ? story->characters : kNoCast;
  Persons& p = w.persons;
  const auto& pop = w.params.population;
  std::size_t employed = 0, students = 0, recovering = 0;
  for (PersonId i = 0; i < p.n; ++i) {
    employed += p.work[i] == static_cast<std::uint8_t>(Work::Employed);
    students += p.work[i] == static_cast<std::uint8_t>(Work::Studying);
    recovering += (p.role[i] & kInRecovery) ? 1 : 0;
  }
  auto climate = [&](std::uint32_t index, std::uint32_t salt) {
    const core::Draw4 d = w.rng.draw(Stream::Init, index, 3, salt);
    return clamp_range(pop.inclusion_climate_mean +
                           pop.inclusion_climate_sd * core::normal(d.uniform_open(0), d.uniform(1)),
                       0.0, 1.0);
  };
  auto count_for = [](double members, double size) {
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(members / size)));
  };
  std::uint32_t salt = 0;
  // A world of characters only has just the story's arenas.
  const bool town = w.params.population.generated;
  const std::size_t workplaces = count_for(static_cast<double>(employed), pop.workplace_mean_size);
  for (std::size_t k = 0; town && k < workplaces; ++k)
    add_arena(w, ArenaKind::Workplace, climate(static_cast<std::uint32_t>(k), salt));
  ++salt;
  const std::size_t schools = count_for(static_cast<double>(students), pop.school_mean_size);
  for (std::size_t k = 0; town && k < schools; ++k)
    add_arena(w, ArenaKind::School, climate(static_cast<std::uint32_t>(k), salt));
  const double n = static_cast<double>(p.n);
  const struct {
    ArenaKind kind;
    double share;
  } kinds[] = {{ArenaKind::Faith, pop.faith_share},
               {ArenaKind::Club, pop.club_share},
               {ArenaKind::Volunteer, pop.volunteer_share}};
  for (const auto& k : kinds) {
    ++salt;
    const std::size_t count = count_for(n * k.share, pop.arena_mean_size);
    for (std::size_t j = 0; town && j < count; ++j)
      add_arena(w, k.kind, climate(static_cast<std::uint32_t>(j), salt));
  }
  const std::size_t groups =
      count_for(static_cast<double>(recovering) * std::max(pop.peer_group_share, 0.01),
                pop.peer_group_mean_size);
  for (std::size_t j = 0; town && j < groups; ++j)
    add_arena(w, ArenaKind::PeerGroup, static_cast<float>(w.params.arenas.peer_group_climate));

  // The story's named arenas, after the generated ones (others may join them too).
  std::vector<ArenaId> named;
  if (story != nullptr)
    for (const scenario::NamedArena& a : story->arenas)
      named.push_back(add_arena(w, static_cast<ArenaKind>(a.kind), static_cast<float>(a.climate)));

  // Members: workers to workplaces, students to schools, others by share into free slots.
  const auto& by = w.arenas.by_kind;
  workplace_members.assign(by[0].size(), {});
  // Members start settled: at the standing their arena's climate allows (ODD 7.4).
  const auto newcomer = static_cast<float>(w.params.arenas.newcomer_standing);
  const Areas areas(w.params, p.n);
  for (PersonId i = 0; i < p.n; ++i) {
    const core::Draw4 d = w.rng.draw(Stream::Init, i, 4, 0);
    const core::Draw4 d2 = w.rng.draw(Stream::Init, i, 4, 1);
    const auto work = static_cast<Work>(p.work[i]);
    const scenario::Character* c = i < cast.size() ? &cast[i] : nullptr;
    if (work == Work::Employed) {
      std::size_t k = d.w[0] % by[0].size();
      // Working near home (population.workplace_local_share): workplace k lies in area
      // k % areas.count, so every area has its share of them. Draw (Init, i, 2, 2) is used by
      // nothing else.
      if (pop.workplace_local_share > 0.0 &&
          w.rng.draw(Stream::Init, i, 2, 2).uniform(0) < pop.workplace_local_share) {
        const std::size_t a = areas.of(i);
        const std::size_t in_area =
            a < by[0].size() ? (by[0].size() - a + areas.count - 1) / areas.count : 0;
        if (in_area > 0) k = a + areas.count * (d.w[0] % in_area);
      }
      if (c != nullptr && c->workplace >= 0)
        k = static_cast<std::size_t>(
            std::find(by[0].begin(), by[0].end(), named[static_cast<std::size_t>(c->workplace)]) -
            by[0].begin());
      p.workplace[i] = by[0][k];
      p.work_standing[i] = newcomer + (1.0f - newcomer) * w.arenas.climate[by[0][k]];
      const auto& ini = w.params.initial;
      p.tenure_weeks[i] = static_cast<std::uint16_t>(
          ini.tenure_weeks_min + d.w[1] % static_cast<std::uint32_t>(std::max<std::int64_t>(
                                              1, ini.tenure_weeks_max - ini.tenure_weeks_min + 1)));
      workplace_members[k].push_back(i);
      // Draw (Init, i, 2, 1) is used by nothing else, so no other draw moves.
      const core::Draw4 d3 = w.rng.draw(Stream::Init, i, 2, 1);
      p.job_hours[i] = job_hours_at_hire(w.params, false, d3.uniform(0), d3.uniform(1));
    }
    int slot = 0;
    auto join = [&](ArenaKind kind, std::uint32_t word) {
      const auto& list = by[static_cast<std::size_t>(kind)];
      if (slot >= kArenaSlots || list.empty()) return;
      const ArenaId a = list[word % list.size()];
      const std::size_t at = static_cast<std::size_t>(i) * kArenaSlots + slot++;
      p.arena_slot[at] = a;
      p.arena_standing[at] = newcomer + (1.0f - newcomer) * w.arenas.climate[a];
    };
    if (c != nullptr) {
      // Exactly the arenas the story names.
      for (const int a : c->arenas) {
        const ArenaId id = named[static_cast<std::size_t>(a)];
        const std::size_t at = static_cast<std::size_t>(i) * kArenaSlots + slot++;
        p.arena_slot[at] = id;
        p.arena_standing[at] = newcomer + (1.0f - newcomer) * w.arenas.climate[id];
      }
      continue;
    }
    if (work == Work::Studying) join(ArenaKind::School, d.w[2]);
    if (d.uniform(3) < pop.faith_share) join(ArenaKind::Faith, d2.w[0]);
    if (d2.uniform(1) < pop.club_share) join(ArenaKind::Club, d2.w[0] >> 8);
    if (d2.uniform(2) < pop.volunteer_share) join(ArenaKind::Volunteer, d2.w[0] >> 16);
    if ((p.role[i] & kInRecovery) && d2.uniform(3) < pop.peer_group_share)
      join(ArenaKind::PeerGroup, d.w[1]);
  }
}

// Replaces the generated ties of the characters with the declared ones: ties between
// two characters are only those declared (household members get a household tie
// unless declared otherwise); a character keeps generated ties to others only with
// generated_ties = true.
void add_character_ties(const World& w, const scenario::Scenario& story, std::vector<Edge>& edges) {
  const Cast& cast = story.characters;
  const auto k = static_cast<PersonId>(cast.size());
  const auto keep = [&](PersonId i) { return i >= k || cast[i].generated_ties; };
  std::erase_if(edges,
                [&](const Edge& e) { return (e.a < k && e.b < k) || !keep(e.a) || !keep(e.b); });
  const auto& pop = w.params.population;
  for (const scenario::CharacterTie& t : story.character_ties) {
    const auto relation = static_cast<Relation>(t.relation);
    double lo = pop.friend_strength_min, hi = pop.friend_strength_max;
    if (relation == Relation::Partner || relation == Relation::Household) {
      lo = pop.household_strength_min;
      hi = pop.household_strength_max;
    } else if (relation == Relation::Kin) {
      lo = pop.kin_strength_min;
      hi = pop.kin_strength_max;
    } else if (relation == Relation::Coworker) {
      lo = pop.coworker_strength_min;
      hi = pop.coworker_strength_max;
    }
    edges.push_back({t.a, t.b, relation, static_cast<float>(t.strength.value_or((lo + hi) / 2)),
                     static_cast<TieKind>(t.kind_ab), static_cast<TieKind>(t.kind_ba)});
  }
}

void make_ties(World& w, const scenario::Scenario* story,
               const std::vector<std::uint32_t>& household_start,
               const std::vector<std::vector<PersonId>>& workplace_members) {
  Persons& p = w.persons;
  const auto& pop = w.params.population;
  const std::size_t n = p.n;
  std::vector<Edge> edges;
  edges.reserve(n * static_cast<std::size_t>(2 + pop.friends_mean + pop.kin_outside_household +
                                             pop.coworker_ties));
  auto strength = [&](PersonId a, PersonId b, double lo, double hi) {
    const core::Draw4 d = w.rng.pair_draw(Stream::InitNetwork, a, b, 0);
    return static_cast<float>(lo + (hi - lo) * d.uniform(0));
  };
  // Household: the first two may be partners; everyone else is household family.
  for (std::size_t h = 0; h + 1 < household_start.size(); ++h) {
    const PersonId first = household_start[h], last = household_start[h + 1];
    const bool couple =
        last - first >= 2 &&
        w.rng.draw(Stream::InitNetwork, static_cast<std::uint32_t>(h), 1).uniform(0) <
            pop.partner_share;
    for (PersonId a = first; a < last; ++a)
      for (PersonId b = a + 1; b < last; ++b) {
        const Relation rel =
            (couple && a == first && b == first + 1) ? Relation::Partner : Relation::Household;
        edges.push_back({a, b, rel,
                         strength(a, b, pop.household_strength_min, pop.household_strength_max),
                         kUnset, kUnset});
      }
  }
  // Kin in other households, friends (small world) and co-workers.
  const auto window =
      static_cast<std::int64_t>(std::max(10.0, pop.friends_window_factor * pop.friends_mean));
  const Areas areas(w.params, n);  // kin near home
  // Homophily (ODD 5.5): with probability population.friends_homophily a person in
  // recovery's friendship goes to another person in recovery drawn from the whole town,
  // and a friendship another person's draw would make with a person in recovery goes to
  // the next person not in recovery instead; so both groups keep their number of friends.
  std::vector<PersonId> recovering;  // stays empty without homophily
  if (pop.friends_homophily > 0.0)
    for (PersonId i = 0; i < n; ++i)
      if (p.role[i] & kInRecovery) recovering.push_back(i);
  for (PersonId i = 0; i < n; ++i) {
    const core::Draw4 d = w.rng.draw(Stream::InitNetwork, i, 2, 0);
    const int kin = core::poisson(pop.kin_outside_household / 2.0, d.uniform(0));
    const int friends = core::poisson(pop.friends_mean / 2.0, d.uniform(1));
    const bool i_recovering = p.role[i] & kInRecovery;
    for (int k = 0; k < kin + friends; ++k) {
      const core::Draw4 e = w.rng.draw(Stream::InitNetwork, i, 3, static_cast<std::uint32_t>(k));
      PersonId j;
      const bool friend_tie = k >= kin;
      const bool alike =
          friend_tie && !recovering.empty() &&
          w.rng.draw(Stream::InitNetwork, i, 7, static_cast<std::uint32_t>(k)).uniform(0) <
              pop.friends_homophily;
      if (alike && i_recovering) {
        j = recovering[e.w[3] % recovering.size()];
      } else if (friend_tie && e.uniform(0) < pop.friends_local_share) {
        const std::int64_t offset =
            1 + static_cast<std::int64_t>(e.w[1] % static_cast<std::uint32_t>(window));
        const std::int64_t signed_offset = (e.w[2] & 1) ? offset : -offset;
        j = static_cast<PersonId>(
            ((static_cast<std::int64_t>(i) + signed_offset) % static_cast<std::int64_t>(n) +
             static_cast<std::int64_t>(n)) %
            static_cast<std::int64_t>(n));
      } else if (!friend_tie && pop.kin_local_share > 0.0 &&
                 w.rng.draw(Stream::InitNetwork, i, 8, static_cast<std::uint32_t>(k)).uniform(0) <
                     pop.kin_local_share) {
        // A relative in one's own area (population.kin_local_share).
        const std::size_t a = areas.of(i);
        j = static_cast<PersonId>(areas.first(a) + e.w[3] % areas.persons_in(a));
      } else {
        j = static_cast<PersonId>(e.w[3] % n);
      }
      if (alike && !i_recovering)  // i is not in recovery, so the search ends
        while (p.role[j] & kInRecovery) j = (j + 1 == n) ? 0 : j + 1;
      if (j == i || p.household[j] == p.household[i]) continue;
      edges.push_back({std::min(i, j), std::max(i, j),
                       friend_tie ? Relation::Friend : Relation::Kin,
                       friend_tie ? strength(i, j, pop.friend_strength_min, pop.friend_strength_max)
                                  : strength(i, j, pop.kin_strength_min, pop.kin_strength_max),
                       kUnset, kUnset});
    }
  }
  for (std::size_t k = 0; k < workplace_members.size(); ++k) {
    const auto& members = workplace_members[k];
    if (members.size() < 2) continue;
    for (const PersonId i : members) {
      const core::Draw4 d = w.rng.draw(Stream::InitNetwork, i, 4, 0);
      const int ties = core::poisson(pop.coworker_ties / 2.0, d.uniform(0));
      for (int t = 0; t < ties; ++t) {
        const PersonId j =
            members[w.rng.draw(Stream::InitNetwork, i, 5, static_cast<std::uint32_t>(t)).w[0] %
                    members.size()];
        if (j != i)
          edges.push_back({std::min(i, j), std::max(i, j), Relation::Coworker,
                           strength(i, j, pop.coworker_strength_min, pop.coworker_strength_max),
                           kUnset, kUnset});
      }
    }
  }
  // One tie per pair: the closest relation wins (Relation order is closeness).
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return x.relation < y.relation;
  });
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const Edge& x, const Edge& y) { return x.a == y.a && x.b == y.b; }),
              edges.end());

  // Family ties start as stressors at the scenario's share (each side's own view).
  auto view = [&](PersonId from, PersonId to, Relation relation) {
    const bool stressor =
        is_family(relation) &&
        w.rng.draw(Stream::InitNetwork, from, 6, to).uniform(0) < pop.family_stressor_share;
    return stressor ? TieKind::Stressor : TieKind::Support;
  };
  for (Edge& e : edges) {
    e.kind_ab = view(e.a, e.b, e.relation);
    e.kind_ba = view(e.b, e.a, e.relation);
  }
  if (story != nullptr && !story->characters.empty()) add_character_ties(w, *story, edges);
  pack_ties(w.ties, n, edges);
}

void make_carers(World& w, const Cast& cast) {
  Persons& p = w.persons;
  const auto& fam = w.params.family;
  const Ties& t = w.ties;
  const auto& ini = w.params.initial;
  // The characters' carers as declared; style supportive and burden mid-range by default.
  for (PersonId i = 0; i < cast.size(); ++i) {
    if (cast[i].carer < 0) continue;
    const auto chosen = static_cast<PersonId>(cast[i].carer);
    const scenario::Character& c = cast[chosen];
    p.cares_for[chosen] = i;
    p.carer[i] = chosen;
    p.role[chosen] |= kCarer;
    p.style[chosen] = static_cast<std::uint8_t>(c.style ? static_cast<CaringStyle>(*c.style)
                                                        : CaringStyle::Supportive);
    p.burden[chosen] =
        static_cast<float>(c.burden.value_or((ini.carer_burden_min + ini.carer_burden_max) / 2.0));
  }
  for (PersonId i = static_cast<PersonId>(cast.size()); i < p.n; ++i) {
    if (!(p.role[i] & kInRecovery)) continue;
    const core::Draw4 d = w.rng.draw(Stream::Init, i, 6, 0);
    if (d.uniform(0) >= fam.carer_share) continue;
    // The partner if there is one, else the first household member free to care.
    PersonId chosen = kNoPerson;
    for (std::uint32_t e = t.begin(i); e < t.end(i); ++e) {
      const auto rel = static_cast<Relation>(t.relation[e]);
      const PersonId j = t.other[e];
      if (p.cares_for[j] != kNoPerson || (p.role[j] & kInRecovery)) continue;
      if (rel == Relation::Partner) {
        chosen = j;
        break;
      }
      if (rel == Relation::Household && chosen == kNoPerson) chosen = j;
    }
    if (chosen == kNoPerson) continue;
    p.cares_for[chosen] = i;
    p.carer[i] = chosen;
    p.role[chosen] |= kCarer;
    const double u = d.uniform(1);
    const CaringStyle style = u < fam.watchdog_share ? CaringStyle::Watchdog
                              : u < fam.watchdog_share + fam.withdrawn_share
                                  ? CaringStyle::Withdrawn
                                  : CaringStyle::Supportive;
    p.style[chosen] = static_cast<std::uint8_t>(style);
    p.burden[chosen] = static_cast<float>(
        ini.carer_burden_min + (ini.carer_burden_max - ini.carer_burden_min) * d.uniform(2));
  }
}

// The workers the loader added to a world of characters only (Character::staff) join
// their service now, before refresh_services, which would hire no character.
void hire_cast_staff(World& w, const Cast& cast) {
  for (PersonId i = 0; i < cast.size(); ++i) {
    if (cast[i].staff < 0) continue;
    const std::string_view name = scenario::kEnrolServiceNames[cast[i].staff];
    const auto* found = std::find_if(std::begin(kServiceNames), std::end(kServiceNames),
                                     [&](const char* k) { return name == k; });
    RIPPLE_CHECK(found != std::end(kServiceNames), "staff of an unknown service");
    hire_worker(w, i, static_cast<ServiceKind>(found - std::begin(kServiceNames)));
  }
}

void enrol_initial_clients(World& w, const Cast& cast) {
  Persons& p = w.persons;
  const auto& sv = w.params.services;
  std::vector<EventRecord> ignored;
  const ServiceKind main = sv.open_dialogue.enabled ? ServiceKind::OpenDialogue : ServiceKind::Cmhc;
  for (PersonId i = static_cast<PersonId>(cast.size()); i < p.n; ++i) {
    if (!(p.role[i] & kInRecovery) || (p.role[i] & (kProfessional | kPeerWorker))) continue;
    const core::Draw4 d = w.rng.draw(Stream::Init, i, 7, 0);
    const bool unwell = p.episode[i] != static_cast<std::uint8_t>(Episode::Well);
    if (!unwell && d.uniform(0) >= w.params.population.initial_in_care) continue;
    ServiceKind k = main;
    if (sv.outreach.enabled && (p.traits[i] & kOfficeAversion)) k = ServiceKind::Outreach;
    if (k == ServiceKind::Cmhc && !sv.cmhc.enabled) continue;
    refer(w, i, k, ignored);
  }
  Tally ignored_tally;
  std::vector<Request> none;
  const Rates r = derive_rates(w.params);
  // The same ordered pass as every week fills caseloads from the lists, then clears
  // the start-up waiting so week 0 begins without a backlog of the generator's making.
  service_system(w, r, none, ignored, ignored_tally);
  for (auto& list : w.services.waiting_list) list.clear();
  std::fill(p.waiting.begin(), p.waiting.end(), std::uint16_t{0});
  // Characters start in the services the story names, with a place of their own if full.
  for (PersonId i = 0; i < cast.size(); ++i)
    for (const int s : cast[i].services) {
      const char* name = scenario::kEnrolServiceNames[s];
      const auto* found = std::find_if(std::begin(kServiceNames), std::end(kServiceNames),
                                       [&](const char* k) { return std::string_view(k) == name; });
      enrol_now(w, i, static_cast<ServiceKind>(found - std::begin(kServiceNames)), true, ignored);
    }
}

}  // namespace

ArenaId add_arena(World& w, ArenaKind kind, float climate) {
  Arenas& a = w.arenas;
  const auto id = static_cast<ArenaId>(a.kind.size());
  a.kind.push_back(static_cast<std::uint8_t>(kind));
  a.open.push_back(1);
  a.climate.push_back(climate);
  a.by_kind[static_cast<std::size_t>(kind)].push_back(id);
  return id;
}

void pack_ties(Ties& t, std::size_t n, const std::vector<TieSpec>& ties) {
  t.offsets.assign(n + 1, 0);
  for (const TieSpec& e : ties) {
    ++t.offsets[e.a + 1];
    ++t.offsets[e.b + 1];
  }
  std::partial_sum(t.offsets.begin(), t.offsets.end(), t.offsets.begin());
  const std::size_t m = t.offsets[n];
  t.other.resize(m);
  t.relation.resize(m);
  t.kind.resize(m);
  t.conflict_weeks.assign(m, 0);
  t.strength.resize(m);
  t.base_strength.resize(m);
  std::vector<std::uint32_t> fill(t.offsets.begin(), t.offsets.end() - 1);
  auto put = [&](PersonId from, PersonId to, const TieSpec& e, TieKind kind) {
    const std::uint32_t at = fill[from]++;
    t.other[at] = to;
    t.relation[at] = static_cast<std::uint8_t>(e.relation);
    t.kind[at] = static_cast<std::uint8_t>(kind);
    t.strength[at] = e.strength;
    t.base_strength[at] = e.strength;
  };
  // Family first in every row (see Ties), then the others.
  for (const bool family_pass : {true, false}) {
    for (const TieSpec& e : ties) {
      if (is_family(e.relation) != family_pass) continue;
      put(e.a, e.b, e, e.kind_ab);
      put(e.b, e.a, e, e.kind_ba);
    }
    if (!family_pass) continue;
    t.family_count.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t family = fill[i] - t.offsets[i];
      RIPPLE_CHECK(family <= 255, "a person has more than 255 family ties");
      t.family_count[i] = static_cast<std::uint8_t>(family);
    }
  }
}

void Persons::resize(std::size_t count) {
  n = count;
  for (auto* v : {&role, &traits, &profile, &age, &alive, &episode, &medication, &med_trials, &work,
                  &consent, &style, &home_visit_week, &job_hours})
    v->assign(count, 0);
  household.assign(count, 0);
  vulnerability.assign(count, 0.0f);
  involvement_rank.assign(count, 0.0f);
  for (auto* v : {&episode_weeks, &med_weeks, &tenure_weeks, &well_weeks, &psychoeducation_weeks,
                  &enrolled, &waiting, &wait_weeks, &continuity_weeks})
    v->assign(count, 0);
  weeks_since_discharge.assign(count, 65535);
  for (auto* v :
       {&symptoms, &symptoms_trend, &stress, &coping, &debt, &housing, &adherence, &recovery,
        &received, &pending_shock, &work_standing, &burden, &alliance, &contacts})
    v->assign(count, 0.0f);
  for (auto& component : chime) component.assign(count, 0.0f);
  workplace.assign(count, kNoArena);
  arena_slot.assign(count * kArenaSlots, kNoArena);
  arena_standing.assign(count * kArenaSlots, 0.0f);
  for (auto* v : {&cares_for, &carer, &main_worker, &ips_worker, &peer_worker, &coordinator})
    v->assign(count, kNoPerson);
  main_generation.assign(count, 0);
  ips_start_week.assign(count, 0);
}

namespace {

void build(World& w, const scenario::Params& params, const scenario::Scenario* story) {
  static const Cast kNoCast;
  const Cast& cast = story != nullptr ? story->characters : kNoCast;
  w.params = params;
  w.rng = core::Rng(static_cast<std::uint64_t>(params.run.seed));
  w.week = 0;
  w.characters = static_cast<std::uint32_t>(cast.size());
  if (!params.population.generated && cast.empty())
    throw InputError(
        "population.generated = false: a world of characters only needs at least one [[person]]");
  // population.generated = false: the characters (and their workers) are everyone.
  const auto n = cast.size() + (params.population.generated
                                    ? static_cast<std::size_t>(params.population.persons)
                                    : std::size_t{0});
  w.persons.resize(n);
  w.staff.index_of.assign(n, UINT32_MAX);
  w.recorded.assign(n, 0);
  std::vector<std::vector<PersonId>> workplace_members;
  make_persons(w, cast);
  make_households(w, story != nullptr ? story->character_households : std::vector<std::uint32_t>{});
  make_work(w, cast);
  make_arenas(w, story, workplace_members);
  make_ties(w, story, w.households.start, workplace_members);
  make_carers(w, cast);
  hire_cast_staff(w, cast);
  refresh_services(w);
  enrol_initial_clients(w, cast);
  publish_initial_signals(w);
}

}  // namespace

void build_world(World& w, const scenario::Params& params) { build(w, params, nullptr); }

void build_world(World& w, const scenario::Scenario& scenario) {
  build(w, scenario.params, &scenario);
}

void publish_initial_signals(World& w) {
  const std::size_t n = w.persons.n;
  w.signal.assign(n, Signal{});
  w.next_signal.assign(n, Signal{});
  // The ripple pass publishes what a person shows. At the start nobody has received
  // distress or had a shock, so only persons who start in an episode send any (the
  // episode signal, ODD 7.7).
  Scratch scratch{};
  Rates rates = derive_rates(w.params);
  std::vector<Request> requests;
  std::vector<EventRecord> events;
  Tally tally;
  for (std::size_t begin = 0; begin < n; begin += core::kBlockSize) {
    const std::size_t end = std::min(n, begin + core::kBlockSize);
    std::fill(scratch.received.begin(), scratch.received.end(), 0.0f);
    std::fill(scratch.shock.begin(), scratch.shock.end(), 0.0f);
    std::fill(scratch.flags.begin(), scratch.flags.end(), std::uint8_t{0});
    Block b{w, rates, begin, end, scratch, requests, events, tally};
    ripple_propagation(b);
  }
  w.signal.swap(w.next_signal);
}

}  // namespace ripple::model
