// The ripple-view application: options from the command line, and the window loop.
#pragma once

#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/System/Time.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
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

class Viewer;  // viewer.cpp

// Where the time of the frames since profile(true) went, in milliseconds, phase by phase
// (bench/viz_bench). While profiling, the renderer is made to finish each phase's
// drawing (glFinish) before the next begins, so its work is counted in the phase that
// asked for it rather than wherever the driver next waits; the frames are slower for it.
struct FrameProfile {
  enum Phase {
    kPlayback,  // advance(): weeks played
    kLayout,    // relax(): three force steps
    kShapes,    // ties and nodes (into the half-resolution texture while moving)
    kUpscale,   // the half-resolution picture scaled up into the window
    kWords,     // labels, title and legend, or the copy of a settled picture
    kPanels,    // panel backgrounds and ImGui's windows built (no drawing)
    kImGui,     // ImGui's draw lists rendered
    kSwap,      // screenshot check and the buffer swap
    kPhases
  };
  static constexpr const char* kNames[kPhases] = {"playback",    "layout", "ties and nodes",
                                                  "scaled up",   "words",  "panels built",
                                                  "ImGui drawn", "swap"};
  int frames = 0;
  double wall[kPhases] = {};  // milliseconds, summed over the frames
  double cpu[kPhases] = {};   // processor time of the process (all threads), milliseconds
};

// A viewer with its run file or live scenario loaded, drawing whole frames (network,
// legend and every ImGui panel) into a window. ripple-view's window loop and
// bench/viz_bench both draw through frame(), so the benchmark times the viewer's own
// frame.
class ViewerSession {
 public:
  explicit ViewerSession(const ViewerOptions& options);  // loads; throws InputError
  ~ViewerSession();
  ViewerSession(const ViewerSession&) = delete;
  ViewerSession& operator=(const ViewerSession&) = delete;

  // Fonts and ImGui for `window` (once, before the first frame); close() ends ImGui.
  void open(sf::RenderWindow& window);
  void close();
  // One frame as ripple-view draws it: playback, three layout steps, the network and
  // legend, the panels, and the buffer swap. `elapsed`: time since the last frame.
  void frame(sf::RenderWindow& window, sf::Time elapsed);

  // What a user does between frames, for the benchmark.
  void set_presenter(bool on);
  void scrub(std::int64_t week);            // replay: drag the timeline to this week
  void reset_layout();                      // the R key: lay the network out afresh
  bool settled() const;                     // no node moved in the last frame's layout
  std::vector<std::int64_t> weeks() const;  // replay: the run's weeks
  std::size_t nodes() const;                // nodes of the ego network drawn
  // Starts (true: from zero) or stops timing frames phase by phase; see FrameProfile.
  void profile(bool on);
  FrameProfile profiled() const;

 private:
  std::unique_ptr<Viewer> viewer_;
};

// Runs the viewer; returns the process exit code. Throws ripple::InputError for bad
// input in headless mode (the window shows it in a dialog instead).
int run_viewer(const ViewerOptions& options);

}  // namespace ripple::viz
