// Homophily (ODD 5.5): with population.friends_homophily a person in recovery's
// friendships go to other persons in recovery, without changing how many there are.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "model/init/population.hpp"

using namespace ripple::model;

namespace {

struct Friendships {
  double in_recovery_share = 0.0;  // of the friends of persons in recovery
  double per_person = 0.0;         // friendships a person in recovery has
};

Friendships friendships(double homophily) {
  auto params = ripple::scenario::Params{};
  params.population.persons = 20000;
  params.population.friends_homophily = homophily;
  World w;
  build_world(w, params);
  double friends = 0.0, recovering_friends = 0.0, persons = 0.0;
  for (PersonId i = 0; i < w.persons.n; ++i) {
    if (!(w.persons.role[i] & kInRecovery)) continue;
    persons += 1.0;
    for (std::uint32_t e = w.ties.begin(i); e < w.ties.end(i); ++e) {
      if (w.ties.relation[e] != static_cast<std::uint8_t>(Relation::Friend)) continue;
      friends += 1.0;
      if (w.persons.role[w.ties.other[e]] & kInRecovery) recovering_friends += 1.0;
    }
  }
  return {recovering_friends / friends, friends / persons};
}

}  // namespace

TEST_CASE("with homophily, persons in recovery befriend each other, as many friends as before",
          "[model][initial]") {
  const Friendships none = friendships(0.0);
  const Friendships half = friendships(0.5);
  INFO(fmt::format(
      "friends in recovery {:.3f} of {:.2f} without homophily, {:.3f} of {:.2f} "
      "with 0.5",
      none.in_recovery_share, none.per_person, half.in_recovery_share, half.per_person));
  // Without homophily friends are in recovery at about the town's share (13.5%).
  CHECK(none.in_recovery_share < 0.2);
  // With it, half of the friendships a person in recovery makes go to another one, and
  // the other side's choices add some more.
  CHECK(half.in_recovery_share > 0.4);
  CHECK(half.per_person > 0.9 * none.per_person);
  CHECK(half.per_person < 1.1 * none.per_person);
}
