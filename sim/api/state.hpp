// What a Simulation holds. Private to the library (the viewer and app never see it).
#pragma once

#include <oneapi/tbb/global_control.h>

#include <memory>

#include "model/step.hpp"
#include "model/world.hpp"
#include "ripple/ripple.hpp"

namespace ripple {

struct Simulation::State {
  scenario::Scenario scenario;
  std::unique_ptr<tbb::global_control> threads_limit;
  int threads = 0;
  model::World world;
  model::WeekBuffers buffers;
  model::WeekResult last;
  std::vector<double> summary;
  std::size_t next_timeline = 0;  // first timeline entry not yet applied
  std::vector<model::EventRecord> intervention_events;
};

// Marks the persons whose time series, events and ties are recorded (output.level).
void select_recorded(model::World& w);

}  // namespace ripple
