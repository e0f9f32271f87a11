// The progress display of `ripple run`: a bar with an estimate of the time left,
// drawn on stderr so that stdout carries only the summary a script may parse.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ripple::app {

// "0:07", "12:34" or "1:02:03" (hours:minutes:seconds), rounded to whole seconds.
std::string format_duration(double seconds);

// One line of progress, e.g. "week 130/520 [#####...............]  25%  0:04 left".
// `done` and `total` are weeks; `elapsed_seconds` is the time since the run began.
std::string progress_line(std::int64_t done, std::int64_t total, double elapsed_seconds);

// Shows the progress of a run. Short runs show nothing: drawing starts only after
// kStartDelay, so a run of a second leaves the terminal as it was. On a terminal
// the bar is redrawn in place (\r) at most every kRedrawInterval; elsewhere (a log
// file, CI) a plain line is written each time another tenth of the run is done,
// because \r redraws would fill a log with thousands of lines.
class Progress {
 public:
  static constexpr double kStartDelay = 1.0;      // seconds
  static constexpr double kRedrawInterval = 0.1;  // seconds

  Progress(std::ostream& out, bool terminal);
  ~Progress();  // ends a bar drawn in place, so later messages start on a new line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Called after each week with the weeks done so far and the weeks in all.
  void update(std::int64_t done, std::int64_t total);
  // As update, with the elapsed time given; update() calls it with the clock's.
  void update_at(std::int64_t done, std::int64_t total, double elapsed_seconds);
  // Ends the line of an in-place bar (if one was drawn). Safe to call twice.
  void finish();

 private:
  std::ostream& out_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  double last_draw_ = -1.0;       // elapsed seconds at the last draw; < 0: never drawn
  std::int64_t last_tenth_ = -1;  // last tenth of the run reported on a plain line
  std::size_t last_width_ = 0;    // characters of the last in-place line, to blank leftovers
  bool line_open_ = false;        // an in-place line is on screen without its newline
};

// Whether stderr is a terminal (so \r redraws are seen, not logged).
bool stderr_is_terminal();

}  // namespace ripple::app
