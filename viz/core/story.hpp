// A person's "life story": their logged events in plain words, one line a week,
// e.g. "week 37: his partner died; the tie is gone; stress rose".
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ripple/query.hpp"

namespace ripple::viz {

struct StoryLine {
  std::int64_t step = 0;
  std::string text;  // "week 37: ..."
};

// Names of the scenario's characters by person id (empty for a world without a story).
using PersonNames = std::unordered_map<std::uint32_t, std::string>;
PersonNames character_names(const query::Source& source);

// One event in words, seen from `person` (the event's subject). `person_state` gives
// the pronoun and the carer; `ties` names the other party's relation when it is known.
// Named characters are called by their names: "Per lost his job", "her partner Per died".
std::string describe_event(const io::Event& event, const query::Names& names,
                           const query::PersonState& person,
                           const std::vector<query::SocialTie>& ties,
                           const std::vector<query::Membership>& memberships,
                           const PersonNames& named = {});

// The person's events up to the source's step, grouped by week, newest last. Weeks
// in which stress rose or fell clearly (by `stress_change` or more, between the records
// around the week) say so.
std::vector<StoryLine> life_story(const query::Source& source, std::uint32_t id,
                                  float stress_change = 0.05f);

}  // namespace ripple::viz
