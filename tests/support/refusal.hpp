// The message with which a scenario text is refused, for tests of bad input.
#pragma once

#include <string>
#include <vector>

#include "ripple/errors.hpp"
#include "scenario/scenario.hpp"

namespace ripple::testing {

// The InputError's message for `text` read as the file `file` (with --set `overrides`),
// or "(accepted)" when the text is read without complaint.
inline std::string scenario_refusal(const std::string& text, const std::string& file,
                                    const std::vector<std::string>& overrides = {}) {
  try {
    scenario::parse_scenario(text, file, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace ripple::testing
