// Hand-built worlds of a few persons for mechanism tests: every person starts well,
// with no ties, arenas or services unless the test adds them, so the expected
// numbers can be followed by hand. Random life events are off by default
// (quiet_params) so that a test switches on only the mechanism it checks.
#pragma once

#include <array>
#include <vector>

#include "model/process.hpp"
#include "model/step.hpp"
#include "model/world.hpp"
#include "scenario/params.hpp"

namespace ripple::testing {

using model::PersonId;

// Defaults with every random event rate, onset and relapse hazard set to zero and
// no symptom noise, so nothing happens unless a test asks for it.
scenario::Params quiet_params();

// quiet_params() with symptoms held where a test puts them (no drift toward the
// stress-driven level, in or out of an episode).
scenario::Params frozen_symptoms();

class TinyWorld {
 public:
  explicit TinyWorld(std::size_t persons, const scenario::Params& params = quiet_params());

  // A symmetric tie; call before the first step (ties are packed at the first step).
  void tie(PersonId a, PersonId b, model::Relation relation, float strength,
           model::TieKind kind = model::TieKind::Support);
  // The same tie kind for both directions, set after packing (for asymmetric views use the edge).
  std::uint32_t edge(PersonId from, PersonId to);

  void in_recovery(PersonId i, model::Profile profile, float vulnerability);
  void make_carer(PersonId carer, PersonId person, model::CaringStyle style, float burden);
  // Persons [first, end) live together as one household (ties are added separately).
  void household(PersonId first, PersonId end);
  model::ArenaId add_arena(model::ArenaKind kind, float climate);
  void join(PersonId i, model::ArenaId arena, float standing);
  void employ(PersonId i, model::ArenaId workplace, float standing);
  // Hires `worker` into service k (capacity from the parameters).
  void hire(PersonId worker, model::ServiceKind k);
  // Enrols person i with `worker` (a hired worker of a main service or another service).
  void enrol(PersonId i, model::ServiceKind k, PersonId worker, float alliance);
  void beds(std::int64_t count);
  // Puts a carer in the family psychoeducation programme (week 1 of it), with a place
  // of its own, and switches the programme on.
  void start_psychoeducation(PersonId carer);
  // Sets symptoms (and their month average) and the episode state.
  void set_symptoms(PersonId i, float symptoms, model::Episode episode);
  void kill(PersonId i);  // dies now; ties are removed and those close grieve next week

  void step(int weeks = 1);

  model::World w;
  std::vector<model::EventRecord> events;  // everything logged so far (all persons are recorded)
  model::Tally last;                       // the last week's tally

 private:
  void pack();
  struct PendingTie {
    PersonId a, b;
    model::Relation relation;
    float strength;
    model::TieKind kind;
  };
  std::vector<PendingTie> pending_;
  bool packed_ = false;
  model::WeekBuffers buffers_;
};

// How many logged events of a kind concern person i.
int count_events(const std::vector<model::EventRecord>& events, model::EventKind kind, PersonId i);

// Events of a kind among persons 0..persons-1, for the tests that compare two groups of
// hand-built persons: [0] counts the even-numbered persons, [1] the odd-numbered.
std::array<int, 2> count_events_even_odd(const std::vector<model::EventRecord>& events,
                                         model::EventKind kind, PersonId persons);

}  // namespace ripple::testing
