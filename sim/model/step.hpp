// One week of the model. See step.cpp for the order of the processes.
#pragma once

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <vector>

#include "model/process.hpp"
#include "model/world.hpp"

namespace ripple::model {

// Per-block buffers reused from week to week.
struct WeekBuffers {
  std::vector<std::vector<Request>> requests;
  std::vector<std::vector<EventRecord>> events;
  std::vector<Tally> tallies;
  // Scratch lives only within one block's pass, so one per thread is enough.
  tbb::enumerable_thread_specific<Scratch> scratch;
};

struct WeekResult {
  Tally tally;
  std::vector<EventRecord> events;  // in block order, then the service pass's
};

// Advances the world by one week: the person pass in parallel blocks, then the
// ordered service pass. `result` receives the week's tally and logged events.
void step_week(World& w, WeekBuffers& buffers, WeekResult& result);

// The outcomes of the world as it stands (used for step 0, before any week).
Tally tally_world(const World& w);

// Sets each worker's weekly contact capacity from the current parameters.
void refresh_capacity(World& w);

}  // namespace ripple::model
