// Running a trial: each replication builds the base population, runs it to the entry
// week, enrols the eligible, gives each arm its interventions and follows everyone up.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "compare/compare.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "trial/trial.hpp"

namespace ripple::trial {
namespace {

bool in(const std::vector<int>& allowed, int code) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

bool meets(const Criteria& c, const query::PersonState& p, const query::Source& source) {
  if (!in(c.profile, p.profile) || !in(c.episode, p.episode) || !in(c.work, p.work)) return false;
  if (!c.services.empty()) {
    bool any = false;
    for (const int k : c.services) any = any || ((p.services >> k) & 1u) != 0;
    if (!any) return false;
  }
  if (c.min_age && p.age < *c.min_age) return false;
  if (c.max_age && p.age > *c.max_age) return false;
  if (c.min_weeks_well && (p.episode != 0 || p.well_weeks < *c.min_weeks_well)) return false;
  if (c.max_weeks_well && (p.episode != 0 || p.well_weeks > *c.max_weeks_well)) return false;
  if (c.discharged_within_weeks && p.weeks_since_discharge > *c.discharged_within_weeks)
    return false;
  if (c.wish_to_work && *c.wish_to_work != p.wish_to_work) return false;
  const bool carer = p.carer != query::kNobody;
  if (c.has_carer && *c.has_carer != carer) return false;
  if (!c.carer_style.empty()) {
    if (!carer) return false;
    const auto x = source.person(p.carer);
    if (!x || !in(c.carer_style, x->caring_style)) return false;
  }
  return true;
}

// The code of a service by name (query::Names::service).
int service_code(const char* name) {
  const auto& names = query::model_names().service;
  const auto at = std::find(names.begin(), names.end(), name);
  RIPPLE_CHECK(at != names.end(), std::string("no service ") + name);
  return static_cast<int>(at - names.begin());
}

// The main worker (therapist, outreach worker, Open Dialogue team member) of a person
// now, or kNobody. LiveSource::helping lists the main relationship first.
std::uint32_t main_worker(const query::Source& source, std::uint32_t id) {
  static const std::array<int, 3> kMain = {service_code("cmhc"), service_code("outreach"),
                                           service_code("open_dialogue")};
  for (const query::HelpingTie& tie : source.helping(id))
    if (std::find(kMain.begin(), kMain.end(), tie.service) != kMain.end()) return tie.worker;
  return query::kNobody;
}

int event_code(const char* name) {
  const auto& names = query::model_names().event_kind;
  const auto at = std::find(names.begin(), names.end(), name);
  RIPPLE_CHECK(at != names.end(), std::string("no event kind ") + name);
  return static_cast<int>(at - names.begin());
}

// Depression by degree of separation (Spec::network_degrees): breadth-first search
// over the social ties of the current state from every living adult of the population
// (not only the participants: Framingham's egos were the general population); in a
// large population a systematic sample of them, every k-th by id: about 10,000 up to 4
// degrees (at about 2% of adults depressed, 2,000 left too few depressed egos to tell an
// association of 0.4 from none), about 2,000 beyond, where each ego's search reaches
// most of a town of 50,000 and 10,000 egos took 10 s a replication.
NetworkCounts count_network(const query::Source& source, int degrees) {
  // Source::persons() lists persons in recovery only; every person has an id below the
  // first id the source does not know.
  std::uint32_t n = 0;
  while (source.person(n)) ++n;
  std::vector<std::uint32_t> start(n + 1, 0), next;
  std::vector<char> depressed(n, 0), adult(n, 0);
  for (std::uint32_t id = 0; id < n; ++id) {
    start[id] = static_cast<std::uint32_t>(next.size());
    const auto p = source.person(id);
    if (!p || !p->alive) continue;
    depressed[id] = p->episode != 0 ? 1 : 0;
    adult[id] = p->age >= 18 ? 1 : 0;
    for (const query::SocialTie& tie : source.ties(id))
      if (tie.other < n)
        if (const auto q = source.person(tie.other); q && q->alive) next.push_back(tie.other);
  }
  start[n] = static_cast<std::uint32_t>(next.size());
  NetworkCounts c;
  c.pairs.assign(static_cast<std::size_t>(degrees), 0.0);
  c.depressed_alters.assign(static_cast<std::size_t>(degrees), 0.0);
  c.both_depressed.assign(static_cast<std::size_t>(degrees), 0.0);
  std::vector<int> distance(n, -1);
  std::vector<std::uint32_t> frontier, ring, reached;
  const std::uint32_t stride = std::max<std::uint32_t>(1, n / (degrees <= 4 ? 10000 : 2000));
  for (std::uint32_t ego = 0; ego < n; ego += stride) {
    if (!adult[ego] || start[ego] == start[ego + 1]) continue;  // dead, a child or no ties
    c.egos += 1;
    c.depressed_egos += depressed[ego];
    frontier.assign(1, ego);
    reached.assign(1, ego);
    distance[ego] = 0;
    for (int d = 1; d <= degrees && !frontier.empty(); ++d) {
      ring.clear();
      for (const std::uint32_t a : frontier)
        for (std::uint32_t k = start[a]; k < start[a + 1]; ++k)
          if (const std::uint32_t b = next[k]; distance[b] < 0) {
            distance[b] = d;
            ring.push_back(b);
            reached.push_back(b);
          }
      const auto slot = static_cast<std::size_t>(d - 1);
      for (const std::uint32_t b : ring) {
        c.pairs[slot] += 1;
        c.depressed_alters[slot] += depressed[b];
        c.both_depressed[slot] += depressed[b] * depressed[ego];
      }
      std::swap(frontier, ring);
    }
    for (const std::uint32_t b : reached) distance[b] = -1;
  }
  return c;
}

}  // namespace

Replication run_replication(const Spec& spec, std::uint64_t seed) {
  scenario::Scenario s = spec.base;
  s.params.run.seed = static_cast<std::int64_t>(seed);
  Simulation simulation(s, 1);
  for (int w = 0; w < spec.entry_week; ++w) simulation.step();
  query::LiveSource source(simulation);

  Replication rep;
  rep.seed = seed;
  rep.not_given.assign(spec.arms.size(), 0);
  rep.not_given_why.assign(spec.arms.size(), {});
  // Entry: eligible persons and their arm.
  std::vector<query::PersonState> eligible;
  for (const std::uint32_t id : source.persons()) {
    const auto p = source.person(id);
    if (p && p->alive && meets(spec.eligibility, *p, source)) eligible.push_back(*p);
  }
  rep.eligible = eligible.size();
  std::vector<std::pair<std::uint32_t, int>> entered;  // id, arm
  if (spec.design == Design::Randomised) {
    // Fisher-Yates with a generator the C++ standard fixes bit for bit (std::shuffle's
    // algorithm is left to the library), so allocation is the same on every platform.
    std::mt19937_64 engine(seed * 0x9E3779B97F4A7C15ull + 0x7472696Cull);
    for (std::size_t i = eligible.size(); i > 1; --i)
      std::swap(eligible[i - 1], eligible[engine() % i]);
    const std::size_t take = spec.participants > 0
                                 ? std::min<std::size_t>(eligible.size(), spec.participants)
                                 : eligible.size();
    // The shuffled order is random, so a fixed cycle of the ratio allocates at random
    // with the exact ratio.
    std::vector<int> cycle;
    for (std::size_t k = 0; k < spec.arms.size(); ++k)
      cycle.insert(cycle.end(), spec.arms[k].weight, static_cast<int>(k));
    for (std::size_t i = 0; i < take; ++i)
      entered.emplace_back(eligible[i].id, cycle[i % cycle.size()]);
    std::sort(entered.begin(), entered.end());
  } else {
    for (const query::PersonState& p : eligible)
      for (std::size_t k = 0; k < spec.arms.size(); ++k)
        if (meets(spec.arms[k].exposure, p, source)) {
          entered.emplace_back(p.id, static_cast<int>(k));
          break;
        }
  }

  // Contamination: reference participants tied to a participant of another arm or to
  // such a participant's carer (whom psychoeducation reaches).
  std::unordered_set<std::uint32_t> treated_circle;
  for (const auto& [id, arm] : entered)
    if (arm != 0) {
      treated_circle.insert(id);
      if (const auto p = source.person(id); p && p->carer != query::kNobody)
        treated_circle.insert(p->carer);
    }

  // The arms' interventions.
  for (const auto& [id, arm] : entered)
    for (const std::string& gift : spec.arms[arm].give) {
      PersonAction action;
      action.person = id;
      action.beyond_capacity = true;
      if (gift == "psychoeducation") {
        action.kind = PersonAction::Kind::Psychoeducation;
      } else {
        action.kind = PersonAction::Kind::Enrol;
        action.service = gift;
      }
      if (const std::string why = simulation.act(action); !why.empty()) {
        ++rep.not_given[arm];
        ++rep.not_given_why[arm][why_not_given(gift, why)];
      }
    }

  std::vector<int> event_index, binary_index;  // positions in spec.outcomes
  for (std::size_t o = 0; o < spec.outcomes.size(); ++o)
    (find_outcome(spec.outcomes[o])->kind == OutcomeKind::Event ? event_index : binary_index)
        .push_back(static_cast<int>(o));
  const std::unordered_map<std::string, std::vector<int>> kinds = {
      {"relapse", {event_code("relapse"), event_code("episode_start")}},
      {"admission", {event_code("admission")}},
      {"job", {event_code("job_found")}},
      {"dropout", {event_code("dropout")}},
      {"clinician_left", {event_code("staff_turnover")}}};
  const int death = event_code("death");
  constexpr int kAdmitted = 3;  // query::Names::episode "admitted"
  constexpr int kEmployed = 0;  // query::Names::work "employed"

  // Loneliness as reported in surveys has no counterpart on the model's 0-1
  // connectedness scale; the middle of the scale is our assumption (docs/CALIBRATION.md).
  constexpr float kLonelyBelow = 0.5f;

  // The main worker of each participant at entry, for entry_clinician_left.
  const bool want_entry_worker = std::find(spec.outcomes.begin(), spec.outcomes.end(),
                                           "entry_clinician_left") != spec.outcomes.end();
  std::vector<std::uint32_t> entry_worker(entered.size(), query::kNobody);
  if (want_entry_worker)
    for (std::size_t i = 0; i < entered.size(); ++i)
      entry_worker[i] = main_worker(source, entered[i].first);

  rep.participants.resize(entered.size());
  std::vector<double> bed_days(entered.size(), 0.0);
  // lonely_any_week: connectedness below kLonelyBelow at the end of some week of follow-up.
  std::vector<char> lonely_some_week(entered.size(), 0);
  std::vector<WorkRecord> work(entered.size());
  for (std::size_t i = 0; i < entered.size(); ++i) {
    Participant& x = rep.participants[i];
    x.id = entered[i].first;
    x.arm = entered[i].second;
    if (x.arm == 0)
      for (const query::SocialTie& tie : source.ties(x.id))
        if (treated_circle.count(tie.other) > 0) x.contaminated = true;
  }
  for (int w = 0; w < spec.follow_up_weeks; ++w) {
    simulation.step();
    source.collect();
    for (std::size_t i = 0; i < entered.size(); ++i) {
      const auto p = source.person(entered[i].first);
      if (p && p->alive && p->episode == kAdmitted) bed_days[i] += 7.0;
      if (p && p->alive) work[i].add_week(p->work == kEmployed, p->hours);
      if (p && p->alive && p->chime[0] < kLonelyBelow) lonely_some_week[i] = 1;
    }
  }

  // When each worker's post first changed hands after entry, as a staff record would
  // show it: the first `staff_turnover` event any client of theirs logged (clients
  // notice a leaving worker the next week; everyone in recovery is recorded). A
  // participant who has left the worker by then still counts, as in the agency records
  // of Johnson-Kwochka et al. 2020 (docs/CALIBRATION.md, row 10).
  std::unordered_map<std::uint32_t, std::int64_t> worker_left;
  if (want_entry_worker) {
    const int turnover = event_code("staff_turnover");
    for (const std::uint32_t id : source.persons())
      for (const io::Event& e : source.events(id))
        if (e.kind == turnover && e.step >= spec.entry_week && e.other != query::kNobody) {
          const auto [at, added] = worker_left.try_emplace(e.other, e.step);
          if (!added) at->second = std::min<std::int64_t>(at->second, e.step);
        }
  }

  const double burden_threshold = spec.base.params.family.burden_threshold;
  const std::int64_t entry = spec.entry_week, end = entry + spec.follow_up_weeks;
  // An event is stamped with the week in which it happened, before the clock moves on:
  // the first week of follow-up is week `entry`, and an event in it happened at time 1
  // (weeks since entry, counting the week it ended), the last at follow_up_weeks.
  const auto since_entry = [entry](std::int64_t step) {
    return static_cast<double>(step - entry + 1);
  };
  for (std::size_t i = 0; i < entered.size(); ++i) {
    Participant& x = rep.participants[i];
    const auto events = source.events(x.id);
    double death_time = static_cast<double>(end - entry);
    bool died = false;
    for (const io::Event& e : events)
      if (e.kind == death && e.step >= entry && !died) {
        died = true;
        death_time = since_entry(e.step);
      }
    // The first event of one of these kinds after entry, censored at death or the end.
    const auto first_event = [&](const std::vector<int>& wanted) {
      Observation obs{death_time, false};
      for (const io::Event& e : events)
        if (e.step >= entry && std::find(wanted.begin(), wanted.end(), e.kind) != wanted.end()) {
          const double t = since_entry(e.step);
          if (t <= death_time) obs = {t, true};
          break;
        }
      return obs;
    };
    for (const int o : event_index) {
      if (spec.outcomes[o] != "entry_clinician_left") {
        x.events.push_back(first_event(kinds.at(spec.outcomes[o])));
        continue;
      }
      Observation obs{death_time, false};
      if (const auto at = worker_left.find(entry_worker[i]); at != worker_left.end()) {
        const double t = since_entry(at->second);
        if (t <= death_time) obs = {t, true};
      }
      x.events.push_back(obs);
    }
    const Observation first_job = first_event(kinds.at("job"));
    const auto p = source.person(x.id);
    for (const int o : binary_index) {
      const std::string& key = spec.outcomes[o];
      double value = kNaN;
      if (key == "employed") {
        if (p && p->alive) value = p->work == kEmployed ? 1.0 : 0.0;
      } else if (key == "bed_days") {
        value = bed_days[i];
      } else if (key == "recovery_index") {
        if (p && p->alive) value = p->recovery;
      } else if (key == "carer_burden" || key == "carer_burden_high") {
        if (p && p->carer != query::kNobody)
          if (const auto c = source.person(p->carer); c && c->alive)
            value = key == "carer_burden" ? c->burden : (c->burden >= burden_threshold ? 1.0 : 0.0);
      } else if (key == "lonely") {
        if (p && p->alive) value = p->chime[0] < kLonelyBelow ? 1.0 : 0.0;
      } else if (key == "lonely_any_week") {
        if (p && p->alive) value = lonely_some_week[i];
      } else if (key == "hours_20plus") {
        value = hours_20plus(work[i]);
      } else if (key == "weeks_worked") {
        value = weeks_worked(work[i], spec.follow_up_weeks);
      } else if (key == "weeks_to_job") {
        value = weeks_to_event(first_job);
      }
      x.values.push_back(value);
    }
  }
  if (spec.network_degrees > 0) rep.network = count_network(source, spec.network_degrees);
  return rep;
}

Result run_trial(const Spec& spec, const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  Result result;
  result.spec = spec;
  const auto reps = static_cast<std::size_t>(spec.replications);
  result.replications.resize(reps);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min<std::size_t>(
      reps, options.jobs > 0 ? static_cast<std::size_t>(options.jobs) : cores);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::size_t done = 0;
  std::exception_ptr failure;
  // One thread per replication; a replication depends only on its seed.
  const auto work = [&] {
    for (;;) {
      const std::size_t r = next.fetch_add(1);
      if (r >= reps || stop) return;
      try {
        Replication rep =
            run_replication(spec, compare::run_seed(spec.seed, static_cast<int>(r), 0, false));
        const std::lock_guard lock(mutex);
        result.replications[r] = std::move(rep);
        ++done;
        if (options.progress) options.progress(done, reps);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::string why_not_given(const std::string& gift, const std::string& reason) {
  // The reasons of enrol_now and psychoeducation (sim/model), said of the participant.
  std::string plain = reason;
  if (reason == "is already in it")
    plain = "the participant already had it";
  else if (reason == "has died")
    plain = "the participant had died";
  else if (reason.starts_with("the service has no staff"))
    plain = "the service is switched off in the base scenario (no staff); switch it on in [base]";
  else if (reason.starts_with("has ") || reason.starts_with("is "))
    plain = "the participant " + reason;
  return gift + ": " + plain;
}

void require_participants(const Result& result) {
  const Spec& spec = result.spec;
  std::size_t eligible = 0;
  for (const Replication& rep : result.replications) {
    if (!rep.participants.empty()) return;
    eligible += rep.eligible;
  }
  const std::string where = spec.eligibility_line > 0
                                ? fmt::format("{}:{}", spec.path, spec.eligibility_line)
                                : spec.path + " (no [eligibility]: everyone)";
  if (eligible == 0)
    throw InputError(fmt::format(
        "{}: no one in the population meets the eligibility of {} in any of the {} "
        "replications, so the trial has no participants and measures nothing; widen the "
        "eligibility or enlarge the population",
        spec.path, where, result.replications.size()));
  std::string lines;
  for (const Arm& arm : spec.arms)
    lines += fmt::format("{}{}", lines.empty() ? "" : ", ", arm.line);
  throw InputError(fmt::format(
      "{}: {} persons meet the eligibility of {} over the {} replications, but none of them "
      "meets the exposure of an arm (lines {}), so the cohort has no participants and "
      "measures nothing",
      spec.path, eligible, where, result.replications.size(), lines));
}

}  // namespace ripple::trial
