// The Simulation: a world advanced week by week, with the scenario's timeline.
#include <fmt/format.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <new>

#include "api/state.hpp"
#include "model/init/population.hpp"
#include "model/interventions.hpp"
#include "model/summary.hpp"
#include "ripple/git_commit.hpp"
#include "ripple/version.hpp"

namespace ripple {

std::string version() { return kVersion; }
std::string git_commit() { return kGitCommit; }

const std::vector<io::Variable>& summary_variables() { return model::summary_variables(); }

std::optional<std::size_t> summary_index(const std::string& name) {
  const auto& variables = summary_variables();
  for (std::size_t i = 0; i < variables.size(); ++i)
    if (variables[i].name == name) return i;
  return std::nullopt;
}

void select_recorded(model::World& w) {
  using namespace model;
  const Persons& p = w.persons;
  std::fill(w.recorded.begin(), w.recorded.end(), std::uint8_t{0});
  const int level = static_cast<int>(w.params.output.level);  // none|sample|recovery|all
  if (level == 0) return;
  if (level == 3) {
    std::fill(w.recorded.begin(), w.recorded.end(), std::uint8_t{1});
    return;
  }
  std::vector<PersonId> chosen;
  for (PersonId i = 0; i < p.n; ++i)
    if ((p.role[i] & kInRecovery) && p.alive[i]) chosen.push_back(i);
  if (level == 1 && chosen.size() > static_cast<std::size_t>(w.params.output.sample_size)) {
    // A sample fixed by the seed: the persons with the smallest addressed draws.
    std::vector<std::pair<std::uint32_t, PersonId>> keyed;
    keyed.reserve(chosen.size());
    for (const PersonId i : chosen)
      keyed.emplace_back(w.rng.draw(core::Stream::Output, i, 0).w[0], i);
    const auto k = static_cast<std::size_t>(w.params.output.sample_size);
    std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(k), keyed.end());
    keyed.resize(k);
    chosen.clear();
    for (const auto& [key, i] : keyed) chosen.push_back(i);
  }
  for (const PersonId i : chosen) {
    w.recorded[i] = 1;
    if (p.carer[i] != kNoPerson) w.recorded[p.carer[i]] = 1;
  }
  // A story's characters are always followed.
  for (PersonId i = 0; i < w.characters; ++i) w.recorded[i] = 1;
}

Simulation::Simulation(const scenario::Scenario& scenario, int threads)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.scenario = scenario;
  const int cores = tbb::info::default_concurrency();
  // TBB never runs more workers than the cores it may use, so a larger request is
  // recorded (in /meta threads, "worker threads used") as what it can get.
  s.threads = threads > 0 ? std::min(threads, cores) : cores;
  s.threads_limit = std::make_unique<tbb::global_control>(
      tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(s.threads));
  try {
    model::build_world(s.world, scenario);
  } catch (const std::bad_alloc&) {
    throw InputError(scenario.path + ": not enough memory to build " +
                     std::to_string(scenario.params.population.persons) + " persons");
  }
  // Burn-in: the generated start is not an equilibrium (everyone starts with the same
  // CHIME levels, no episode under way, carers at random burden). Weeks before week 0
  // use negative week numbers, so their random draws differ from the recorded weeks'.
  s.world.week = -static_cast<std::int32_t>(scenario.params.run.burn_in_weeks);
  while (s.world.week < 0) model::step_week(s.world, s.buffers, s.last);
  s.last = model::WeekResult{};
  select_recorded(s.world);
  s.summary = model::summarize(s.world, model::tally_world(s.world));
}

Simulation::~Simulation() = default;

void Simulation::step() {
  State& s = *state_;
  const auto& timeline = s.scenario.timeline;
  while (s.next_timeline < timeline.size() && timeline[s.next_timeline].week <= s.world.week) {
    model::apply_intervention(s.world, timeline[s.next_timeline], s.intervention_events);
    ++s.next_timeline;
  }
  model::step_week(s.world, s.buffers, s.last);
  if (!s.intervention_events.empty())
    s.last.events.insert(s.last.events.begin(), s.intervention_events.begin(),
                         s.intervention_events.end());
  s.intervention_events.clear();
  s.summary = model::summarize(s.world, s.last.tally);
}

void Simulation::intervene(const scenario::Intervention& intervention) {
  model::apply_intervention(state_->world, intervention, state_->intervention_events);
}

std::string Simulation::act(const PersonAction& action) {
  model::World& w = state_->world;
  const auto exists = [&](std::uint32_t id, const char* what) {
    if (id >= w.persons.n)
      throw InputError(fmt::format("{}: person {} does not exist (there are {} persons)", what, id,
                                   w.persons.n));
  };
  exists(action.person, "person");
  model::PersonAction a;
  a.person = action.person;
  a.beyond_capacity = action.beyond_capacity;
  using Kind = PersonAction::Kind;
  using ModelKind = model::PersonAction::Kind;
  switch (action.kind) {
    case Kind::Psychoeducation:
      a.kind = ModelKind::Psychoeducation;
      break;
    case Kind::Enrol: {
      a.kind = ModelKind::Enrol;
      constexpr model::ServiceKind kinds[] = {
          model::ServiceKind::Cmhc,         model::ServiceKind::Outreach,
          model::ServiceKind::OpenDialogue, model::ServiceKind::Ips,
          model::ServiceKind::PeerSupport,  model::ServiceKind::Coordinator};
      bool found = false;
      std::string names;
      for (const model::ServiceKind k : kinds) {
        const std::string name = model::kServiceNames[static_cast<std::size_t>(k)];
        names += (names.empty() ? "" : ", ") + name;
        if (name == action.service) {
          a.service = k;
          found = true;
        }
      }
      if (!found)
        throw InputError(
            fmt::format("service '{}' cannot take a person; one of: {}", action.service, names));
      break;
    }
    case Kind::GiveConsent:
      a.kind = ModelKind::GiveConsent;
      break;
    case Kind::WithdrawConsent:
      a.kind = ModelKind::WithdrawConsent;
      break;
    case Kind::SoftenTie:
    case Kind::RemoveTie:
    case Kind::SupportiveTie:
    case Kind::DevalueTie:
      exists(action.other, "other");
      a.other = action.other;
      a.kind = action.kind == Kind::SoftenTie       ? ModelKind::SoftenTie
               : action.kind == Kind::RemoveTie     ? ModelKind::RemoveTie
               : action.kind == Kind::SupportiveTie ? ModelKind::SupportiveTie
                                                    : ModelKind::DevalueTie;
      if (!(action.amount >= 0.0 && action.amount <= 1.0))
        throw InputError(fmt::format("amount {}: must be from 0 to 1", action.amount));
      a.amount = static_cast<float>(action.amount);
      break;
  }
  return model::apply_person_action(w, a, state_->intervention_events);
}

std::int32_t Simulation::week() const { return state_->world.week; }
std::int32_t Simulation::weeks() const {
  return static_cast<std::int32_t>(state_->scenario.params.run.weeks);
}
std::size_t Simulation::persons() const { return state_->world.persons.n; }
int Simulation::threads() const { return state_->threads; }
std::vector<double> Simulation::summary() const { return state_->summary; }
Simulation::State& Simulation::state() { return *state_; }
const Simulation::State& Simulation::state() const { return *state_; }

}  // namespace ripple
