// Live what-ifs for one person: the choices the viewer offers (the person's ties,
// stressors first; the services a person can be enrolled into), the words each action
// is logged under, and doing it through Simulation::act. No window here, so the code
// path the viewer's buttons take is tested on its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ripple/query.hpp"
#include "ripple/ripple.hpp"

namespace ripple::viz {

// One social tie of the selected person, as the what-if panel lists it.
struct TieOption {
  std::uint32_t other = query::kNobody;
  bool stressor = false;  // the person sees the tie as a stressor
  float strength = 0;
  std::string label;  // e.g. "Per (partner, stressor, 0.62)"
};

// The person's current ties: stressors first, then the rest; each group strongest first.
std::vector<TieOption> tie_options(const query::Source& source, std::uint32_t person);

// The services PersonAction::Enrol takes, in the scenario format's order.
std::vector<std::string> enrol_services();

// The action in plain words, e.g. "soften the tie between Mari and Per by 50%".
std::string describe_action(const query::Source& source, const PersonAction& action);

struct ActionOutcome {
  bool done = false;
  // Done: the words logged as an intervention ("week 12: ..."). Not done: why not, in
  // the model's words ("not done: Mari has no carer to offer the programme to").
  std::string message;
};

// Does `action` now (between weeks) and, when the model takes it, logs it on `live` as
// an intervention. A refusal, or a person or service that does not exist, changes
// nothing and comes back as a message.
ActionOutcome act_now(Simulation& simulation, query::LiveSource& live, const PersonAction& action);

}  // namespace ripple::viz
