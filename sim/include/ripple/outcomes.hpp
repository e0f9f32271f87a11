// Outcomes of subgroups of persons in recovery, measured week by week from a running
// Simulation, so a comparison can say who benefits without writing every person to
// disk. The subgroups are fixed when the tracker is made (the start of the run).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/ripple.hpp"

namespace ripple {

// One subgroup: `dimension` is what divides the persons ("condition", "living",
// "work"), `name` the group within it ("psychosis", "alone", "employed").
struct Subgroup {
  std::string dimension;
  std::string name;
  std::string label() const { return dimension + ": " + name; }
};

// Every subgroup, in order: the four condition profiles, living alone or with family,
// employed or not employed at the start.
const std::vector<Subgroup>& subgroups();

// What is measured in each subgroup each week, in order (name, unit, meaning); the
// names match /summary variables that mean the same for everyone in recovery.
const std::vector<io::Variable>& subgroup_variables();

class SubgroupTracker {
 public:
  // Sorts the persons in recovery alive now into the subgroups. A person belongs to
  // one group of each dimension.
  explicit SubgroupTracker(const Simulation& simulation);

  // Persons in each subgroup when the tracker was made, in the order of subgroups().
  const std::vector<std::size_t>& sizes() const { return sizes_; }

  // This week's values, [subgroup * subgroup_variables().size() + variable]. Persons
  // who have died since the start are left out; an empty group gives NaN. Call it
  // once after every step: new episodes and admissions are changes since the last call.
  std::vector<double> measure(const Simulation& simulation);

 private:
  // For each person in recovery at the start: the person and a bit per subgroup.
  std::vector<std::uint32_t> persons_;
  std::vector<std::uint32_t> groups_;
  std::vector<std::size_t> sizes_;
  std::vector<std::uint8_t> episode_;     // each person's episode state at the last call
  std::vector<std::uint8_t> outpatient_;  // in outpatient care at the last call
};

}  // namespace ripple
