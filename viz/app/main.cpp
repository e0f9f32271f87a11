// ripple-view: replay a run file or watch a scenario live (docs/VIEWER.md).
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "ripple/errors.hpp"
#include "viewer.hpp"

namespace {

constexpr const char* kUsage = R"(usage:
  ripple-view RUN.h5 [--compare OTHER.h5] [options]      replay a finished run
  ripple-view --live SCENARIO.toml [--set key=value]...   run a scenario here, week by week
  ripple-view RUN.h5 --screenshot OUT.png [--step N] [--person ID]   save one picture and quit

options:
  --person ID      start with this person's ego network
  --step N         start at week N (replay)
  --hops K         ego network radius, 1 to 3 (default 2)
  --presenter      large fonts and high contrast, for a projector
  --threads N      worker threads in live mode (default: all cores)
  --size WxH       window size (default 1280x800)
  -h, --help       this text

Keys: F1 shows every shortcut.
)";

struct UsageError {
  std::string message;
};

template <class T>
T number(std::string_view option, std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size())
    throw UsageError{std::string(option) + " needs a whole number, not '" + std::string(text) +
                     "'"};
  return value;
}

ripple::viz::ViewerOptions parse(int argc, char** argv) {
  ripple::viz::ViewerOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) throw UsageError{std::string(a) + " needs a value"};
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (a == "--live") {
      o.live = value();
    } else if (a == "--compare") {
      o.compare = value();
    } else if (a == "--set") {
      o.sets.emplace_back(value());
    } else if (a == "--screenshot") {
      o.screenshot = value();
      std::string extension = o.screenshot.extension().string();
      for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (extension != ".png")
        throw UsageError{"--screenshot writes a PNG image: give a name ending in .png, not '" +
                         o.screenshot.string() + "'"};
    } else if (a == "--step") {
      o.step = number<std::int64_t>(a, value());
    } else if (a == "--person") {
      o.person = number<std::uint32_t>(a, value());
    } else if (a == "--hops") {
      o.hops = number<int>(a, value());
      if (o.hops < 1 || o.hops > 3) throw UsageError{"--hops must be 1, 2 or 3"};
    } else if (a == "--threads") {
      o.threads = number<int>(a, value());
    } else if (a == "--presenter") {
      o.presenter = true;
    } else if (a == "--size") {
      const std::string_view s = value();
      const auto x = s.find('x');
      if (x == std::string_view::npos) throw UsageError{"--size needs WIDTHxHEIGHT, e.g. 1280x800"};
      o.width = number<unsigned>(a, s.substr(0, x));
      o.height = number<unsigned>(a, s.substr(x + 1));
      if (o.width < 640 || o.height < 480) throw UsageError{"--size must be at least 640x480"};
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError{"unknown option " + std::string(a)};
    } else if (o.run.empty()) {
      o.run = std::string(a);
    } else {
      throw UsageError{"one run file at a time (use --compare for a second)"};
    }
  }
  if (o.run.empty() == o.live.empty())
    throw UsageError{"give either a run file or --live SCENARIO.toml"};
  if (!o.live.empty() && !o.screenshot.empty())
    throw UsageError{"--screenshot works on run files, not --live"};
  if (!o.live.empty() && !o.compare.empty())
    throw UsageError{"--compare works on run files, not --live"};
  if (o.live.empty() && !o.sets.empty()) throw UsageError{"--set works with --live only"};
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return ripple::viz::run_viewer(parse(argc, argv));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "ripple-view: %s\n\n%s", e.message.c_str(), kUsage);
    return 2;
  } catch (const ripple::InputError& e) {
    std::fprintf(stderr, "ripple-view: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ripple-view: internal error: %s\n", e.what());
    return 1;
  }
}
