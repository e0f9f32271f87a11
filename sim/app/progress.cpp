#include "app/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace ripple::app {

std::string format_duration(double seconds) {
  const auto whole = static_cast<std::int64_t>(std::llround(std::max(0.0, seconds)));
  const std::int64_t hours = whole / 3600;
  const std::int64_t minutes = whole / 60 % 60;
  const std::int64_t secs = whole % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{}:{:02}", minutes, secs);
}

std::string progress_line(std::int64_t done, std::int64_t total, double elapsed_seconds) {
  constexpr std::int64_t kBarWidth = 24;
  const std::int64_t shown_total = std::max<std::int64_t>(total, 1);
  const std::int64_t shown_done = std::clamp<std::int64_t>(done, 0, shown_total);
  const std::int64_t filled = shown_done * kBarWidth / shown_total;
  const std::int64_t percent = shown_done * 100 / shown_total;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  // The weeks so far predict the rest: every week does the same work, give or take
  // the timeline, so a straight line is as good an estimate as any.
  std::string left = "--:-- left";
  if (shown_done >= shown_total)
    left = fmt::format("{} in all", format_duration(elapsed_seconds));
  else if (shown_done > 0)
    left = format_duration(elapsed_seconds / static_cast<double>(shown_done) *
                           static_cast<double>(shown_total - shown_done)) +
           " left";
  return fmt::format("week {}/{} [{}] {:3}%  {}", shown_done, total, bar, percent, left);
}

Progress::Progress(std::ostream& out, bool terminal)
    : out_(out), terminal_(terminal), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::update(std::int64_t done, std::int64_t total) {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  update_at(done, total, elapsed.count());
}

void Progress::update_at(std::int64_t done, std::int64_t total, double elapsed_seconds) {
  if (elapsed_seconds < kStartDelay) return;
  const bool last = done >= total;
  if (terminal_) {
    if (!last && last_draw_ >= 0.0 && elapsed_seconds - last_draw_ < kRedrawInterval) return;
    const std::string line = progress_line(done, total, elapsed_seconds);
    // Blank what a longer earlier line left behind (the time left can shrink).
    const std::size_t pad = last_width_ > line.size() ? last_width_ - line.size() : 0;
    out_ << '\r' << line << std::string(pad, ' ');
    out_.flush();
    last_width_ = line.size();
    last_draw_ = elapsed_seconds;
    line_open_ = true;
    if (last) finish();
    return;
  }
  const std::int64_t tenth = total > 0 ? std::clamp<std::int64_t>(done * 10 / total, 0, 10) : 10;
  if (tenth <= last_tenth_) return;
  last_tenth_ = tenth;
  last_draw_ = elapsed_seconds;
  out_ << progress_line(done, total, elapsed_seconds) << '\n';
  out_.flush();
}

void Progress::finish() {
  if (!line_open_) return;
  out_ << '\n';
  out_.flush();
  line_open_ = false;
}

bool stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

}  // namespace ripple::app
