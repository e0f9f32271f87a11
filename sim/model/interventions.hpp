// The timeline: interventions applied at the start of a week (ODD 7.11).
#pragma once

#include <vector>

#include "model/world.hpp"
#include "scenario/scenario.hpp"

namespace ripple::model {

// Applies one intervention to the world and logs it; throws InternalError for an
// unknown key (the scenario checker has refused those already).
void apply_intervention(World& w, const scenario::Intervention& x,
                        std::vector<EventRecord>& events);

// Brings staff numbers, beds and programme places in line with the parameters:
// hires workers for a service that opened or grew (a grown service's new workers
// start with empty caseloads); staff of a service that shrank keep their clients.
void refresh_services(World& w);

}  // namespace ripple::model
