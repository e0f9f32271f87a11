// The progress display of `ripple run`, fed with made-up times so that no test
// waits on a clock.

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "app/progress.hpp"

namespace ripple::app {
namespace {

using Catch::Matchers::Contains;

std::size_t count(const std::string& text, char c) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), c));
}

TEST_CASE("durations read as minutes and seconds or hours", "[app]") {
  CHECK(format_duration(0.0) == "0:00");
  CHECK(format_duration(7.4) == "0:07");
  CHECK(format_duration(75.0) == "1:15");
  CHECK(format_duration(3725.0) == "1:02:05");
  CHECK(format_duration(-3.0) == "0:00");
}

TEST_CASE("the time left is the time so far scaled by the weeks to go", "[app]") {
  CHECK_THAT(progress_line(130, 520, 10.0),
             Contains("week 130/520") && Contains("25%") && Contains("0:30 left"));
  CHECK_THAT(progress_line(0, 520, 1.0), Contains("--:-- left"));
  CHECK_THAT(progress_line(520, 520, 75.0), Contains("100%") && Contains("1:15 in all"));
}

TEST_CASE("a run shorter than the start delay shows nothing", "[app]") {
  std::ostringstream out;
  {
    Progress progress(out, true);
    for (int week = 1; week <= 52; ++week) progress.update_at(week, 52, week * 0.018);
  }
  CHECK(out.str().empty());
}

TEST_CASE("on a terminal the bar is redrawn in place at most ten times a second", "[app]") {
  std::ostringstream out;
  {
    Progress progress(out, true);
    // 1000 weeks between 1 s and 2 s: at most 11 redraws, and the last week.
    for (int week = 1; week <= 1000; ++week) progress.update_at(week, 1000, 1.0 + week * 0.001);
  }
  const std::string text = out.str();
  CHECK(count(text, '\r') >= 10);
  CHECK(count(text, '\r') <= 12);
  CHECK(count(text, '\n') == 1);
  CHECK(text.back() == '\n');
  CHECK_THAT(text, Contains("100%"));
}

TEST_CASE("elsewhere a plain line is written each tenth of the run", "[app]") {
  std::ostringstream out;
  {
    Progress progress(out, false);
    for (int week = 1; week <= 520; ++week) progress.update_at(week, 520, 1.0 + week * 0.01);
  }
  const std::string text = out.str();
  CHECK(count(text, '\r') == 0);
  // Tenths 0 to 10: the first line comes at week 1, the last at 100%.
  CHECK(count(text, '\n') == 11);
  CHECK_THAT(text, Contains("week 520/520") && Contains("100%"));
}

TEST_CASE("finishing twice ends the line once", "[app]") {
  std::ostringstream out;
  Progress progress(out, true);
  progress.update_at(5, 10, 2.0);
  progress.finish();
  progress.finish();
  CHECK(count(out.str(), '\n') == 1);
}

}  // namespace
}  // namespace ripple::app
