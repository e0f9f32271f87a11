// Building the world from a scenario's parameters (ODD 5).
#pragma once

#include <vector>

#include "model/world.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"

namespace ripple::model {

// One undirected tie to pack: each side's view of its kind, one strength.
struct TieSpec {
  PersonId a, b;
  Relation relation;
  float strength;
  TieKind kind_ab, kind_ba;  // a's view of b, b's view of a
};

// Lays out `ties` as compressed sparse rows (World's Ties), each tie in both rows,
// family ties first in every row. Each pair must appear once.
void pack_ties(Ties& t, std::size_t persons, const std::vector<TieSpec>& ties);

// Adds an open arena of `kind` with inclusion climate `climate`; returns its id.
ArenaId add_arena(World& w, ArenaKind kind, float climate);

// Generates the whole population, its ties, arenas, carers and services.
void build_world(World& w, const scenario::Params& params);

// As above, with the scenario's named characters first (persons 0..k-1, households
// as declared), their declared ties, arenas, carers and services, then
// population.persons generated persons around them. A character belongs only to
// the arenas it names and has only its declared ties unless generated_ties is set.
void build_world(World& w, const scenario::Scenario& scenario);

// Publishes every person's signal from the current state (no distress), so that
// the first week reads a consistent snapshot. Tests call it after editing a world.
void publish_initial_signals(World& w);

}  // namespace ripple::model
