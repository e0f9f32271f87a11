// Building the world from a scenario's parameters (ODD 5).
#pragma once

#include "model/world.hpp"
#include "scenario/params.hpp"

namespace ripple::model {

// Generates the whole population, its ties, arenas, carers and services.
void build_world(World& w, const scenario::Params& params);

// Publishes every person's signal from the current state (no distress), so that
// the first week reads a consistent snapshot. Tests call it after editing a world.
void publish_initial_signals(World& w);

}  // namespace ripple::model
