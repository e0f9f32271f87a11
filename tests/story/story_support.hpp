// Running a teaching story from scenarios/teaching/ and reading its characters.
#pragma once

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

}  // namespace ripple::testing
