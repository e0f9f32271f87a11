// The trial outcome entry_clinician_left (calibration row 10): the worker a participant
// had at entry leaving, as staff records show it, whether or not the participant is
// still their client by then.
#include <catch2/catch.hpp>
#include <string>

#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple;
using namespace ripple::trial;
using ripple::testing::TempDir;

namespace {

// A cohort of CMHC clients of 4,000 persons with twelve therapists; clients well for two
// weeks are discharged, so most leave their therapist early in follow-up.
Spec cmhc_cohort(const TempDir& dir, double turnover) {
  ripple::testing::write_file(
      dir / "base.toml",
      "[population]\npersons = 4000\n[services.cmhc]\nstaff_per_10k = 30.0\n"
      "turnover_per_year = " +
          std::to_string(turnover) + "\n[helping]\ndischarge_after_weeks = 2\n");
  return parse_trial(
      "[trial]\nscenario = \"base.toml\"\ndesign = \"cohort\"\nfollow_up_weeks = 26\n"
      "replications = 1\nseed = 3\noutcomes = [\"entry_clinician_left\", \"clinician_left\"]\n"
      "[eligibility]\nservices = [\"cmhc\"]\n[[arm]]\nname = \"clients\"\nexposure = {}\n",
      "t.toml", {}, dir.path());
}

struct Counts {
  std::size_t participants = 0, entry_left = 0, seen_left = 0;
};

Counts count(const Replication& rep) {
  Counts c;
  c.participants = rep.participants.size();
  for (const Participant& x : rep.participants) {
    REQUIRE(x.events.size() == 2);
    CHECK((x.events[0].time > 0 && x.events[0].time <= 26));
    c.entry_left += x.events[0].event ? 1 : 0;
    c.seen_left += x.events[1].event ? 1 : 0;
  }
  return c;
}

}  // namespace

TEST_CASE("entry_clinician_left counts a leaving therapist after the client has gone", "[trial]") {
  TempDir dir;
  const Counts c = count(run_replication(cmhc_cohort(dir, 0.9), 17));
  REQUIRE(c.participants > 20);
  // At 90% a year over half a year most of the twelve therapists leave (each stays with
  // chance 0.1^0.5 = 0.32), so most participants' entry therapist leaves ...
  CHECK(c.entry_left * 2 > c.participants);
  // ... but clients discharged after two weeks well, or dropped out, are gone by then
  // and never notice: the clients' own count is lower.
  CHECK(c.seen_left < c.entry_left);
}

TEST_CASE("entry_clinician_left is never counted when no therapist leaves", "[trial]") {
  TempDir dir;
  const Counts c = count(run_replication(cmhc_cohort(dir, 0.0), 17));
  REQUIRE(c.participants > 20);
  CHECK(c.entry_left == 0);
  CHECK(c.seen_left == 0);
}
