// The ripple-view application: options from the command line, and the window loop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ripple::viz {

struct ViewerOptions {
  std::filesystem::path run;         // replay this run file
  std::filesystem::path compare;     // compare mode: a second run of the same population
  std::string live;                  // live mode: this scenario file
  std::vector<std::string> sets;     // --set key=value for live mode
  std::filesystem::path screenshot;  // headless: write this PNG and quit
  std::optional<std::int64_t> step;
  std::optional<std::uint32_t> person;
  int hops = 2;
  bool presenter = false;
  int threads = 0;
  unsigned width = 1280, height = 800;
};

// Runs the viewer; returns the process exit code. Throws ripple::InputError for bad
// input in headless mode (the window shows it in a dialog instead).
int run_viewer(const ViewerOptions& options);

}  // namespace ripple::viz
