// The /summary outcomes: names, units and how a week's tally becomes them.
#pragma once

#include <vector>

#include "io/run_file.hpp"
#include "model/world.hpp"

namespace ripple::model {

const std::vector<io::Variable>& summary_variables();
void tally_person(const World& w, PersonId i, Tally& t);
std::vector<double> summarize(const World& w, const Tally& t);

}  // namespace ripple::model
