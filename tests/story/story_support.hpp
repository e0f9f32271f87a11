// Running a teaching story from scenarios/teaching/ and reading its characters.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "api/state.hpp"
#include "ripple/ripple.hpp"

namespace ripple::testing {

// Loads scenarios/teaching/<file> with `overrides` (e.g. a smaller population).
inline scenario::Scenario story(const std::string& file,
                                const std::vector<std::string>& overrides = {}) {
  return scenario::load_scenario(std::string(RIPPLE_SOURCE_DIR) + "/scenarios/teaching/" + file,
                                 overrides);
}

// The person number of a character.
inline model::PersonId person(const scenario::Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.characters.size(); ++i)
    if (s.characters[i].name == name) return static_cast<model::PersonId>(i);
  throw std::runtime_error("no character " + name);
}

// One value of one person after each week.
struct Trace {
  std::vector<float> values;
  float mean(std::size_t from, std::size_t to) const {
    double sum = 0;
    for (std::size_t k = from; k < to; ++k) sum += values[k];
    return static_cast<float>(sum / static_cast<double>(to - from));
  }
};

// The characters' state after one week (person numbers index each vector).
struct CastWeek {
  std::vector<float> stress, symptoms, debt, identity, connectedness, belonging_standing, burden;
  std::vector<std::uint8_t> episode, work, consent, style;
  std::vector<std::uint16_t> enrolled, programme_weeks;
};

// Runs `s` for `weeks` weeks with one thread; `before(sim, week)` (if given) is called
// before each week is simulated, for what-ifs. Returns the characters after each week.
template <typename Before>
std::vector<CastWeek> run_cast(const scenario::Scenario& s, int weeks, Before before) {
  Simulation sim(s, 1);
  const auto& p = sim.state().world.persons;
  const auto k = static_cast<std::ptrdiff_t>(s.characters.size());
  const auto first = [k](const auto& v) { return std::vector(v.begin(), v.begin() + k); };
  std::vector<CastWeek> out;
  for (int week = 0; week < weeks; ++week) {
    before(sim, week);
    sim.step();
    CastWeek w;
    w.stress = first(p.stress);
    w.symptoms = first(p.symptoms);
    w.debt = first(p.debt);
    w.identity = first(p.chime[2]);
    w.connectedness = first(p.chime[0]);
    w.episode = first(p.episode);
    w.work = first(p.work);
    w.consent = first(p.consent);
    w.style = first(p.style);
    w.enrolled = first(p.enrolled);
    w.burden = first(p.burden);
    w.programme_weeks = first(p.psychoeducation_weeks);
    // The best standing among a character's arenas (0 with none).
    for (std::ptrdiff_t i = 0; i < k; ++i) {
      float best = 0.0f;
      for (int slot = 0; slot < model::kArenaSlots; ++slot) {
        const auto at =
            static_cast<std::size_t>(i) * model::kArenaSlots + static_cast<std::size_t>(slot);
        if (p.arena_slot[at] != model::kNoArena) best = std::max(best, p.arena_standing[at]);
      }
      w.belonging_standing.push_back(best);
    }
    out.push_back(std::move(w));
  }
  return out;
}

inline std::vector<CastWeek> run_cast(const scenario::Scenario& s, int weeks) {
  return run_cast(s, weeks, [](Simulation&, int) {});
}

// The mean of one field of character i over weeks [from, to).
template <typename Field>
double mean_of(const std::vector<CastWeek>& weeks, Field field, model::PersonId i, int from,
               int to) {
  double sum = 0;
  for (int k = from; k < to; ++k)
    sum += static_cast<double>((weeks[static_cast<std::size_t>(k)].*field)[i]);
  return sum / (to - from);
}

// Weeks among [from, to) in which character i's field satisfies `test`.
template <typename Field, typename Test>
int weeks_where(const std::vector<CastWeek>& weeks, Field field, model::PersonId i, int from,
                int to, Test test) {
  int count = 0;
  for (int k = from; k < to; ++k)
    count += test((weeks[static_cast<std::size_t>(k)].*field)[i]) ? 1 : 0;
  return count;
}

}  // namespace ripple::testing
