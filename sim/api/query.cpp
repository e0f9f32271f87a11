// LiveSource: the questions of ripple/query.hpp answered from a Simulation's state,
// read-only. The model's arrays are read here and nowhere else outside the library.
#include "ripple/query.hpp"

#include <algorithm>

#include "api/state.hpp"
#include "model/process.hpp"

namespace ripple::query {
namespace {

template <std::size_t N>
std::vector<std::string> list(const char* const (&names)[N]) {
  return {std::begin(names), std::end(names)};
}

}  // namespace

std::string display_name(const Source& source, std::uint32_t id) {
  std::string name = source.name(id);
  return name.empty() ? "person " + std::to_string(id) : name;
}

const Names& model_names() {
  static const Names kNames = [] {
    Names n;
    n.relation = list(model::kRelationNames);
    n.tie_kind = list(model::kTieKindNames);
    n.arena_kind = list(model::kArenaKindNames);
    n.service = list(model::kServiceNames);
    n.event_kind = list(model::kEventNames);
    n.profile = list(model::kProfileNames);
    n.episode = list(model::kEpisodeNames);
    n.work = list(model::kWorkNames);
    n.caring_style = list(model::kStyleNames);
    n.medication = list(model::kMedicationNames);
    return n;
  }();
  return kNames;
}

struct LiveSource::Impl {
  const Simulation* sim = nullptr;
  std::vector<std::vector<io::Event>> events;  // by person
  std::vector<std::int64_t> steps;
  std::vector<std::vector<double>> history;
  std::vector<std::string> interventions;
  std::vector<std::int64_t> intervention_steps;
  std::vector<std::int64_t> stress_steps;
  std::vector<std::vector<float>> stress;  // [record][person]
  std::int32_t collected_week = -1;

  const model::World& world() const { return sim->state().world; }
};

LiveSource::LiveSource(const Simulation& simulation) : impl_(std::make_unique<Impl>()) {
  impl_->sim = &simulation;
  impl_->events.resize(simulation.persons());
  impl_->history.resize(summary_variables().size());
  collect();
}

LiveSource::~LiveSource() = default;

void LiveSource::collect() {
  Impl& r = *impl_;
  const Simulation::State& s = r.sim->state();
  const model::World& w = s.world;
  if (w.week != r.collected_week) {
    if (r.collected_week >= 0 || w.week > 0) {
      for (const model::EventRecord& e : s.last.events)
        if (e.person < r.events.size())
          r.events[e.person].push_back(
              {e.step, static_cast<std::uint8_t>(e.kind), e.person, e.other, e.magnitude});
    }
    r.collected_week = w.week;
    r.steps.push_back(w.week);
    for (std::size_t v = 0; v < r.history.size() && v < s.summary.size(); ++v)
      r.history[v].push_back(s.summary[v]);
    r.stress_steps.push_back(w.week);
    r.stress.push_back(w.persons.stress);
  }
  // Interventions applied between weeks are logged with the next week's events; the
  // ones applied by intervene() wait in the state until then.
}

const std::vector<std::int64_t>& LiveSource::history_steps() const { return impl_->steps; }
const std::vector<std::vector<double>>& LiveSource::history() const { return impl_->history; }
const std::vector<std::string>& LiveSource::interventions() const { return impl_->interventions; }
const std::vector<std::int64_t>& LiveSource::intervention_steps() const {
  return impl_->intervention_steps;
}
void LiveSource::note_intervention(const std::string& words) {
  impl_->interventions.push_back(words);
  impl_->intervention_steps.push_back(impl_->sim->week());
}

double LiveSource::parameter(const std::string& key) const {
  const scenario::ParamInfo* info = scenario::find_param(key);
  if (info == nullptr) throw InputError("no parameter named '" + key + "'");
  return info->get(impl_->world().params);
}

std::int64_t LiveSource::step() const { return impl_->sim->week(); }
const Names& LiveSource::names() const { return model_names(); }

std::vector<std::uint32_t> LiveSource::persons() const {
  const model::World& w = impl_->world();
  std::vector<std::uint32_t> ids;
  for (model::PersonId i = 0; i < w.persons.n; ++i)
    if (w.persons.role[i] & model::kInRecovery) ids.push_back(i);
  return ids;
}

std::optional<PersonState> LiveSource::person(std::uint32_t id) const {
  const model::World& w = impl_->world();
  const model::Persons& p = w.persons;
  if (id >= p.n) return std::nullopt;
  PersonState x;
  x.id = id;
  x.role = p.role[id];
  x.profile = p.profile[id];
  x.age = p.age[id];
  x.male = (p.traits[id] & model::kMale) != 0;
  x.alive = p.alive[id] != 0;
  x.carer = p.carer[id];
  x.cares_for = p.cares_for[id];
  x.episode = p.episode[id];
  x.work = p.work[id];
  x.hours = model::weekly_hours(w.params, p, id);
  x.job_hours = p.job_hours[id];
  x.caring_style = p.style[id];
  x.medication = p.medication[id];
  x.symptoms = p.symptoms[id];
  x.recovery = p.recovery[id];
  x.stress = p.stress[id];
  x.coping = p.coping[id];
  x.debt = p.debt[id];
  x.housing = p.housing[id];
  x.burden = p.burden[id];
  x.alliance = p.alliance[id];
  for (std::size_t c = 0; c < 5; ++c) x.chime[c] = p.chime[c][id];
  x.services = p.enrolled[id];
  x.well_weeks = p.well_weeks[id];
  x.weeks_since_discharge = p.weeks_since_discharge[id];
  x.household = p.household[id];
  x.wish_to_work = (p.traits[id] & model::kWishToWork) != 0;
  x.psychoeducation_weeks = p.psychoeducation_weeks[id];
  x.consent = (p.consent[id] & 1) != 0;  // Persons::consent: bit 0 given, bit 1 involved
  x.family_involved = (p.consent[id] & 2) != 0;
  return x;
}

std::vector<SocialTie> LiveSource::ties(std::uint32_t id) const {
  const model::World& w = impl_->world();
  std::vector<SocialTie> out;
  if (id >= w.persons.n) return out;
  for (std::uint32_t e = w.ties.begin(id); e < w.ties.end(id); ++e)
    if (w.ties.kind[e] != static_cast<std::uint8_t>(model::TieKind::Removed))
      out.push_back({w.ties.other[e], w.ties.relation[e], w.ties.kind[e], w.ties.strength[e]});
  return out;
}

std::vector<Membership> LiveSource::memberships(std::uint32_t id) const {
  const model::World& w = impl_->world();
  const model::Persons& p = w.persons;
  std::vector<Membership> out;
  if (id >= p.n) return out;
  for (int k = 0; k < model::kArenaSlots; ++k) {
    const std::size_t slot = static_cast<std::size_t>(id) * model::kArenaSlots + k;
    if (p.arena_slot[slot] != model::kNoArena)
      out.push_back(
          {p.arena_slot[slot], w.arenas.kind[p.arena_slot[slot]], p.arena_standing[slot]});
  }
  if (p.workplace[id] != model::kNoArena)
    out.push_back(
        {p.workplace[id], static_cast<int>(model::ArenaKind::Workplace), p.work_standing[id]});
  return out;
}

std::vector<HelpingTie> LiveSource::helping(std::uint32_t id) const {
  const model::World& w = impl_->world();
  const model::Persons& p = w.persons;
  std::vector<HelpingTie> out;
  if (id >= p.n) return out;
  const model::ServiceKind main = model::main_service(p.enrolled[id]);
  if (main != model::ServiceKind::Count && p.main_worker[id] != model::kNoPerson)
    out.push_back({p.main_worker[id], static_cast<int>(main), p.alliance[id],
                   static_cast<int>(p.continuity_weeks[id])});
  const auto other = [&](model::PersonId worker, model::ServiceKind k) {
    if (worker != model::kNoPerson && worker != p.main_worker[id])
      out.push_back({worker, static_cast<int>(k), 0.0f, 0});
  };
  other(p.ips_worker[id], model::ServiceKind::Ips);
  other(p.peer_worker[id], model::ServiceKind::PeerSupport);
  other(p.coordinator[id], model::ServiceKind::Coordinator);
  return out;
}

std::vector<io::Event> LiveSource::events(std::uint32_t id) const {
  return id < impl_->events.size() ? impl_->events[id] : std::vector<io::Event>{};
}

std::vector<std::pair<std::int64_t, float>> LiveSource::stress_history(std::uint32_t id) const {
  const Impl& r = *impl_;
  std::vector<std::pair<std::int64_t, float>> out;
  for (std::size_t k = 0; k < r.stress.size(); ++k)
    if (id < r.stress[k].size()) out.emplace_back(r.stress_steps[k], r.stress[k][id]);
  return out;
}

std::string LiveSource::name(std::uint32_t id) const {
  const auto& cast = impl_->sim->state().scenario.characters;
  return id < cast.size() ? cast[id].name : std::string();
}

std::vector<std::uint32_t> LiveSource::characters() const {
  std::vector<std::uint32_t> ids(impl_->sim->state().scenario.characters.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::uint32_t>(i);
  return ids;
}

}  // namespace ripple::query
