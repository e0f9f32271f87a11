// The loneliness outcomes of a trial (lonely, lonely_any_week; calibration target 11):
// lonely_any_week is recomputed here from the person state week by week, on a second
// run of the same scenario and seed, and compared with the trial's value per participant.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple;
using namespace ripple::trial;
using ripple::testing::TempDir;

namespace {

// A cohort of everyone in recovery in a 2,000-person town, followed `weeks` weeks.
Spec lonely_cohort(const TempDir& dir, int weeks) {
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 2000\n");
  return parse_trial("[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\nfollow_up_weeks = " +
                         std::to_string(weeks) +
                         "\nreplications = 1\nseed = 7\n"
                         "outcomes = [\"lonely\", \"lonely_any_week\"]\n"
                         "[[arm]]\nname = \"everyone\"\nexposure = {}\n",
                     "t.toml", {}, dir.path());
}

}  // namespace

TEST_CASE("lonely_any_week is connectedness below 0.5 at the end of some week", "[trial_lonely]") {
  TempDir dir;
  constexpr int kWeeks = 40;
  const Spec spec = lonely_cohort(dir, kWeeks);
  constexpr std::uint64_t kSeed = 41;
  const Replication rep = run_replication(spec, kSeed);
  REQUIRE(rep.participants.size() > 50);

  // The same town again, followed by hand: the lowest connectedness of each participant
  // over the weeks of follow-up, and whether they are alive at the end.
  scenario::Scenario s = spec.base;
  s.params.run.seed = static_cast<std::int64_t>(kSeed);
  Simulation sim(s, 1);
  for (int w = 0; w < spec.entry_week; ++w) sim.step();
  query::LiveSource live(sim);
  std::vector<float> lowest(rep.participants.size(), 2.0f);
  for (int w = 0; w < kWeeks; ++w) {
    sim.step();
    live.collect();
    for (std::size_t i = 0; i < rep.participants.size(); ++i)
      if (const auto p = live.person(rep.participants[i].id); p && p->alive)
        lowest[i] = std::min(lowest[i], p->chime[0]);
  }

  int lonely_at_end = 0, lonely_some_week = 0, dead = 0;
  for (std::size_t i = 0; i < rep.participants.size(); ++i) {
    const Participant& x = rep.participants[i];
    REQUIRE(x.values.size() == 2);
    const double at_end = x.values[0], some_week = x.values[1];
    const auto p = live.person(x.id);
    REQUIRE(p);
    if (!p->alive) {
      // Only the living are asked.
      CHECK(std::isnan(at_end));
      CHECK(std::isnan(some_week));
      ++dead;
      continue;
    }
    CHECK(at_end == (p->chime[0] < 0.5f ? 1.0 : 0.0));
    CHECK(some_week == (lowest[i] < 0.5f ? 1.0 : 0.0));
    // Lonely at the end is lonely in the last week.
    if (at_end == 1.0) CHECK(some_week == 1.0);
    lonely_at_end += at_end == 1.0 ? 1 : 0;
    lonely_some_week += some_week == 1.0 ? 1 : 0;
  }
  INFO("lonely at end " << lonely_at_end << ", in some week " << lonely_some_week << ", dead "
                        << dead << " of " << rep.participants.size());
  // Both groups exist, and a week's dip below the line counts though the person ends
  // above it.
  CHECK(lonely_at_end > 0);
  CHECK(lonely_some_week > lonely_at_end);
  CHECK(lonely_some_week < static_cast<int>(rep.participants.size()) - dead);
}

TEST_CASE("over one week of follow-up lonely_any_week is lonely at the end", "[trial_lonely]") {
  TempDir dir;
  const Replication rep = run_replication(lonely_cohort(dir, 1), 43);
  REQUIRE(rep.participants.size() > 50);
  int lonely = 0;
  for (const Participant& x : rep.participants) {
    REQUIRE(x.values.size() == 2);
    CHECK(std::isnan(x.values[0]) == std::isnan(x.values[1]));
    if (!std::isnan(x.values[0])) CHECK(x.values[0] == x.values[1]);
    lonely += x.values[1] == 1.0 ? 1 : 0;
  }
  CHECK(lonely > 0);
}
