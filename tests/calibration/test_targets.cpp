// The calibration targets (calibration/, CALIBRATION-TARGETS.md): with the model's
// defaults, each published figure is reproduced within its interval, or within 20% of
// the value where none is published. One test per row of the table; each runs the
// row's design at the scale its file gives.
//
// Targets the model does not reach yet are tagged [!mayfail]: they run and report the
// miss on every test run but do not fail the suite; docs/CALIBRATION.md says why each
// is missed. Remove the tag when the model reaches the figure.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "calibrate/calibrate.hpp"

using namespace ripple;
using namespace ripple::calibration;

namespace {

void reproduce(const std::string& file_name) {
  const TargetFile file =
      load_target_file(std::string(RIPPLE_SOURCE_DIR) + "/calibration/" + file_name);
  const trial::Result result = trial::run_trial(file.spec);
  for (const Target& target : file.targets) {
    const Measure m = measure(target, result);
    INFO(fmt::format(
        "{}: model {:.3f} (95% CI {:.3f} to {:.3f}); published {} (band {:.3f} to "
        "{:.3f})",
        target.name, m.value, m.low, m.high, target.value, target.band_low(), target.band_high()));
    CHECK(target.miss(m.value) <= 1.0);
  }
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

// Missed: the model's odds ratio within 12 months is about 2.5 (published 4.87, 3.22-7.36).
TEST_CASE("calibration target 4b expressed emotion odds ratio within and after 12 months",
          "[calibration][!mayfail]") {
  reproduce("04b-expressed-emotion-time.toml");
}

// Missed: in the model depression does not cluster in the network (docs/CALIBRATION.md).
TEST_CASE("calibration target 5 depression among contacts by degree of separation",
          "[calibration][!mayfail]") {
  reproduce("05-network-contagion.toml");
}

TEST_CASE("calibration target 6 employment of people with psychosis", "[calibration]") {
  reproduce("06-employment-psychosis.toml");
}

// Missed by a hair: the published bands (ranges of trial results, 3 and 2 percentage points
// wide) are narrower than the sampling noise of this 300-person virtual trial.
TEST_CASE("calibration target 7 supported employment against usual services",
          "[calibration][!mayfail]") {
  reproduce("07-supported-employment.toml");
}

TEST_CASE("calibration target 8 drop-out from community mental health care", "[calibration]") {
  reproduce("08-disengagement.toml");
}

TEST_CASE("calibration target 9 carers with significant burden", "[calibration]") {
  reproduce("09-carer-burden.toml");
}

TEST_CASE("calibration target 10 clients whose main clinician left within a year",
          "[calibration]") {
  reproduce("10-clinician-turnover.toml");
}

// Missed: about 44% against 80% (docs/CALIBRATION.md).
TEST_CASE("calibration target 11 loneliness in psychosis", "[calibration][!mayfail]") {
  reproduce("11-loneliness.toml");
}
