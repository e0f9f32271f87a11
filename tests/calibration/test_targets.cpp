// The calibration targets (calibration/, CALIBRATION-TARGETS.md): with the model's
// defaults, each published figure is reproduced within its interval, or within 20% of
// the value where none is published. One test per row of the table (row 7: one for the
// figures reached, one for those missed); each runs the row's design at the scale its
// file gives.
//
// Targets the model does not reach yet are tagged [!mayfail]: they run and report the
// miss on every test run but do not fail the suite; docs/CALIBRATION.md says why each
// is missed. Remove the tag when the model reaches the figure.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "calibrate/calibrate.hpp"

using namespace ripple;
using namespace ripple::calibration;

namespace {

// Checks the figures of a file whose names are in `only` (all when empty) against one
// run of its design.
void check(const TargetFile& file, const trial::Result& result,
           const std::vector<std::string>& only = {}) {
  std::size_t checked = 0;
  for (const Target& target : file.targets) {
    if (!only.empty() && std::find(only.begin(), only.end(), target.name) == only.end()) continue;
    ++checked;
    const Measure m = measure(target, result);
    INFO(fmt::format(
        "{}: model {:.3f} (95% CI {:.3f} to {:.3f}); published {} (band {:.3f} to "
        "{:.3f})",
        target.name, m.value, m.low, m.high, target.value, target.band_low(), target.band_high()));
    CHECK(target.miss(m.value) <= 1.0);
  }
  CHECK(checked == (only.empty() ? file.targets.size() : only.size()));  // every name found
}

TargetFile target_file(const std::string& file_name) {
  return load_target_file(std::string(RIPPLE_SOURCE_DIR) + "/calibration/" + file_name);
}

void reproduce(const std::string& file_name) {
  const TargetFile file = target_file(file_name);
  check(file, trial::run_trial(file.spec));
}

// Row 7's design, run once for its two tests (30 replications, about 15 s).
const TargetFile& row7_file() {
  static const TargetFile file = target_file("07-supported-employment.toml");
  return file;
}
const trial::Result& row7_result() {
  static const trial::Result result = trial::run_trial(row7_file().spec);
  return result;
}

}  // namespace

TEST_CASE("calibration target 1 bipolar recurrence within 2 years of recovery", "[calibration]") {
  reproduce("01-bipolar-recurrence.toml");
}

TEST_CASE("calibration target 2 relapse after remitted psychosis at 1 2 and 3 years",
          "[calibration]") {
  reproduce("02-psychosis-relapse.toml");
}

TEST_CASE("calibration target 3 depression recurrence in the community at 5 and 10 years",
          "[calibration]") {
  reproduce("03-depression-recurrence.toml");
}

TEST_CASE("calibration target 4 relapse with high versus low expressed emotion relatives",
          "[calibration]") {
  reproduce("04-expressed-emotion.toml");
}

// Reached since the carers' unaided return at any burden and the front-loaded watchdog
// stress (docs/CALIBRATION.md): 3.45 within 12 months and 3.07 over 2 years at the file's
// 8 replications, against 4.87 (3.22-7.36) and 2.13 (1.36-3.35).
TEST_CASE("calibration target 4b expressed emotion odds ratio within and after 12 months",
          "[calibration]") {
  reproduce("04b-expressed-emotion-time.toml");
}

// Missed: in the model depression does not cluster in the network. Uneven areas
// (population.area_risk_sd) or homophily (population.friends_homophily) reach the first
// degree, but not the second and third together with it (docs/CALIBRATION.md).
TEST_CASE("calibration target 5 depression among contacts by degree of separation",
          "[calibration][!mayfail]") {
  reproduce("05-network-contagion.toml");
}

TEST_CASE("calibration target 6 employment of people with psychosis", "[calibration]") {
  reproduce("06-employment-psychosis.toml");
}

TEST_CASE("calibration target 7 supported employment and hours of IPS workers", "[calibration]") {
  check(row7_file(), row7_result(),
        {"IPS: competitive work within 18 months", "IPS workers at 20+ hours a week"});
}

// Reached since the refit with IPS's rapid job search and the fragile new jobs of persons
// in recovery (docs/CALIBRATION.md, row 7); about 1,700 participants in 30 replications.
TEST_CASE("calibration target 7 control arm and weeks in work and to the first job under IPS",
          "[calibration]") {
  check(row7_file(), row7_result(),
        {"controls: competitive work within 18 months", "IPS workers: weeks worked a year",
         "first job sooner with IPS (weeks, IPS less controls)"});
}

TEST_CASE("calibration target 8 drop-out from community mental health care", "[calibration]") {
  reproduce("08-disengagement.toml");
}

TEST_CASE("calibration target 9 carers with significant burden", "[calibration]") {
  reproduce("09-carer-burden.toml");
}

// The file counts entry_clinician_left, the study's agency-records measure
// (docs/CALIBRATION.md), at 16 replications: the figure hangs on which of a dozen
// therapists a replication leave.
TEST_CASE("calibration target 10 clients whose main clinician left within a year",
          "[calibration]") {
  reproduce("10-clinician-turnover.toml");
}

// Loneliness in the past year among the treated (docs/CALIBRATION.md): about 99 persons
// with psychosis in services per replication, so the file runs 16 (about 7 s): 67%
// (64-69%), against 80% (64-96%).
TEST_CASE("calibration target 11 loneliness in psychosis", "[calibration]") {
  reproduce("11-loneliness.toml");
}
