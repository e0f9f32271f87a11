#include "actions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "graph.hpp"

namespace ripple::viz {
namespace {

std::string relation_of(const query::Names& names, int code) {
  const auto k = static_cast<std::size_t>(code);
  std::string word = k < names.relation.size() ? names.relation[k] : "tie";
  std::replace(word.begin(), word.end(), '_', ' ');
  return word;
}

}  // namespace

std::vector<TieOption> tie_options(const query::Source& source, std::uint32_t person) {
  std::vector<TieOption> options;
  const query::Names& names = source.names();
  for (const query::SocialTie& t : source.ties(person)) {
    TieOption o;
    o.other = t.other;
    o.stressor = edge_kind_of_tie(names, t.kind) == EdgeKind::Stressor;
    o.strength = t.strength;
    o.label = fmt::format("{} ({}, {}, {:.2f})", query::display_name(source, t.other),
                          relation_of(names, t.relation), o.stressor ? "stressor" : "support",
                          t.strength);
    options.push_back(std::move(o));
  }
  std::stable_sort(options.begin(), options.end(), [](const TieOption& a, const TieOption& b) {
    if (a.stressor != b.stressor) return a.stressor;
    return a.strength > b.strength;
  });
  return options;
}

std::vector<std::string> enrol_services() {
  return {std::begin(scenario::kEnrolServiceNames), std::end(scenario::kEnrolServiceNames)};
}

std::string describe_action(const query::Source& source, const PersonAction& a) {
  const std::string who = query::display_name(source, a.person);
  const std::string other = query::display_name(source, a.other);
  using Kind = PersonAction::Kind;
  switch (a.kind) {
    case Kind::Psychoeducation:
      return fmt::format("offer family psychoeducation to the carer of {}", who);
    case Kind::Enrol:
      return fmt::format("enrol {} in {}{}", who, a.service,
                         a.beyond_capacity ? " (an extra place)" : "");
    case Kind::SoftenTie:
      return fmt::format("soften the tie between {} and {} by {:.0f}%", who, other,
                         std::round(a.amount * 100.0));
    case Kind::RemoveTie:
      return fmt::format("end the tie between {} and {}", who, other);
    case Kind::SupportiveTie:
      return fmt::format("make {}'s tie to {} supportive", who, other);
    case Kind::DevalueTie:
      return fmt::format("{} feels devalued by {}", who, other);
    case Kind::GiveConsent:
      return fmt::format("{} consents to involving the family", who);
    case Kind::WithdrawConsent:
      return fmt::format("{} withdraws consent to involve the family", who);
  }
  return "an action";
}

ActionOutcome act_now(Simulation& simulation, query::LiveSource& live, const PersonAction& a) {
  const std::string words = describe_action(live, a);
  std::string why_not;
  try {
    why_not = simulation.act(a);
  } catch (const InputError& e) {
    why_not = e.what();
  }
  if (!why_not.empty()) {
    // The model says why as a predicate of the person ("has no carer ...") or as a
    // sentence of its own ("the service has no staff ..."); either reads after a name.
    const bool predicate = why_not.starts_with("has ") || why_not.starts_with("is ") ||
                           why_not.starts_with("already ");
    return {false,
            fmt::format("Not done ({}): {}", words,
                        predicate ? query::display_name(live, a.person) + " " + why_not : why_not)};
  }
  const std::string logged = fmt::format("week {}: {}", simulation.week(), words);
  live.note_intervention(logged);
  return {true, logged};
}

}  // namespace ripple::viz
