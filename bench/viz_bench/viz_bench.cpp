// Viewer speed: frames a second for an ego view of about 2,000 nodes (graph building and
// layout; drawing the network alone; whole frames drawn by ripple-view's own frame
// function, with every panel, live, in presenter mode and in a replay while scrubbing;
// drawing needs an X display: run under xvfb-run on a server), and live-mode weeks a
// second for 10,000 persons (model step, event collection, graph rebuild, life story).
// Prints figures; not a test (docs/VIEWER.md).
//   viz_bench [SCENARIO.toml] [--persons N] [--weeks N] [--no-replay]
// --no-replay leaves out the replay figures (making the run file takes a while), and
// --weeks 0 the live weeks: for quick comparisons of drawing.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#ifdef RIPPLE_VIZ_DRAW
#include <unistd.h>

#include <filesystem>

#include "draw.hpp"
#include "viewer.hpp"
#endif
#include "graph.hpp"
#include "layout.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "story.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

#ifdef RIPPLE_VIZ_DRAW
constexpr unsigned kWidth = 1280, kHeight = 800;  // ripple-view's default window
const sf::Color kBackground(24, 26, 32);

// Milliseconds a frame for `frames` calls of `frame`, then `finish` (which must wait
// until the renderer has done everything asked of it).
// Also prints the processor time of the whole process (all threads, Mesa's included)
// a frame, which a busy shared machine disturbs less than the wall-clock time.
template <class Frame, class Finish>
double ms_per_frame(int frames, Frame frame, Finish finish) {
  const auto t = std::chrono::steady_clock::now();
  const std::clock_t cpu = std::clock();
  for (int f = 0; f < frames; ++f) frame();
  finish();
  const double ms = seconds_since(t) / frames * 1e3;
  std::printf("  [%.2f ms a frame, %.2f ms of processor time]\n", ms,
              static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC / frames * 1e3);
  return ms;
}

// 1. Drawing alone, off-screen: the network drawn into a 1280x800 sf::RenderTexture
//    (no window), with its labels, without them, and an empty frame. The texture is
//    read back once after each batch, only so that the renderer has finished every
//    frame counted (a viewer frame reads nothing back). False when there is no display.
bool draw_frames(const ripple::viz::EgoGraph& graph, const ripple::viz::Layout& layout) {
  sf::Font font;
  const bool have_font = font.loadFromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  const ripple::viz::DrawStyle style{false, 1.0f, have_font ? &font : nullptr};
  const ripple::viz::DrawStyle bare{false, 1.0f, nullptr};
  ripple::viz::EgoPainter painter;
  const int frames = 120;
  {
    sf::RenderTexture texture;
    if (!texture.create(kWidth, kHeight)) {
      std::printf("drawing not timed: no OpenGL context (run under xvfb-run)\n");
      return false;
    }
    const sf::FloatRect area(215.0f, 0.0f, kWidth - 215.0f, kHeight);
    const auto draw = [&](const ripple::viz::DrawStyle& s) {
      return [&texture, &painter, &graph, &layout, area, s] {
        texture.clear(kBackground);
        painter.draw(texture, graph, layout.positions(), area, "bench", s);
        texture.display();
      };
    };
    const auto finish = [&] { (void)texture.getTexture().copyToImage(); };
    ms_per_frame(10, draw(style), finish);  // warm-up: driver and glyph caches
    const double labelled = ms_per_frame(frames, draw(style), finish);
    const double unlabelled = ms_per_frame(frames, draw(bare), finish);
    // The same nodes without their ties: what the ties cost is the difference.
    ripple::viz::EgoGraph no_ties = graph;
    no_ties.edges.clear();
    const double nodes_only = ms_per_frame(
        frames,
        [&] {
          texture.clear(kBackground);
          painter.draw(texture, no_ties, layout.positions(), area, "bench", bare);
          texture.display();
        },
        finish);
    // The ties and nodes at half resolution, as the viewer draws them while the layout
    // moves (scaled up afterwards, the words drawn sharp on top).
    sf::RenderTexture half;
    double halved = 0;
    if (half.create(kWidth / 2, kHeight / 2)) {
      half.setView(sf::View(sf::FloatRect(0, 0, kWidth, kHeight)));
      ripple::viz::DrawStyle s = bare;
      s.pixels = 0.5f;
      const auto at = ripple::viz::EgoPainter::place(layout.positions(), area, s);
      halved = ms_per_frame(
          frames,
          [&] {
            half.clear(kBackground);
            painter.draw_shapes(half, graph, at, s);
            half.display();
          },
          [&] { (void)half.getTexture().copyToImage(); });
    }
    const double empty = ms_per_frame(
        frames,
        [&] {
          texture.clear(kBackground);
          texture.display();
        },
        finish);
    std::printf(
        "drawing alone, off-screen %ux%u: %.2f ms (%.2f ms without labels and title, of which "
        "%.2f ms the nodes alone; %.2f ms an empty frame); ties and nodes at half resolution "
        "%.2f ms\n",
        kWidth, kHeight, labelled, unlabelled, nodes_only, empty, halved);
  }
  return true;
}

// A frame's phases (ViewerSession::profile), milliseconds a frame: wall-clock time and,
// in brackets, processor time.
void print_profile(const char* when, const ripple::viz::FrameProfile& p) {
  using P = ripple::viz::FrameProfile;
  const double n = p.frames > 0 ? p.frames : 1;
  double wall = 0, cpu = 0;
  std::string parts;
  for (int k = 0; k < P::kPhases; ++k) {
    wall += p.wall[k];
    cpu += p.cpu[k];
    if (p.wall[k] / n >= 0.005)
      parts += fmt::format(", {} {:.2f} ({:.2f})", P::kNames[k], p.wall[k] / n, p.cpu[k] / n);
  }
  std::printf("  [%s, phase by phase, each finished: %.2f ms (%.2f)%s]\n", when, wall / n, cpu / n,
              parts.c_str());
}

// 2. Whole viewer frames, drawn by ripple-view's own frame function (ViewerSession::frame):
//    three layout steps, the network, legend, the person panel with its life story, the
//    controls with the five population plots (and the what-if panel live), and the
//    buffer swap (which on Mesa's software renderer under Xvfb waits for the frame and
//    copies it to the X server), in a 1280x800 window. The ego view is the same person
//    and radius as above: live, the same in presenter mode, and a replay of a run file
//    of the same population, still and with the timeline dragged to another week every
//    frame (ties rebuilt from the file's snapshot of that week).
void whole_frames(const std::string& scenario_path, long persons, std::uint32_t centre, int hops,
                  bool replay_too) {
  const int frames = 120;
  const sf::Time dt = sf::seconds(1.0f / 60.0f);
  const auto nothing = [] {};
  const auto timed = [&](ripple::viz::ViewerSession& session, sf::RenderWindow& window,
                         auto before_frame) {
    return ms_per_frame(
        frames,
        [&] {
          before_frame();
          session.frame(window, dt);
        },
        nothing);
  };
  ripple::viz::ViewerOptions live_options;
  live_options.live = scenario_path;
  live_options.sets = {"population.persons=" + std::to_string(persons)};
  live_options.person = centre;
  live_options.hops = hops;
  // Each mode twice: while the layout settles (after the R key: every frame draws the
  // network afresh, its ties and nodes at half resolution; best of three) and once it has
  // settled (the network is copied from the picture kept of it; the panels are drawn
  // afresh).
  struct Figures {
    int moving_frames = 0;
    double moving = 0, still = 0;
  };
  const auto moving_then_still = [&](ripple::viz::ViewerSession& session,
                                     sf::RenderWindow& window) {
    // Three times over (R pressed again once settled), keeping the best: a shared
    // machine's other work lands on some of these few seconds and not others.
    Figures f;
    f.moving = 1e30;
    for (int round = 0; round < 3; ++round) {
      session.reset_layout();
      int count = 0;
      const auto t = std::chrono::steady_clock::now();
      const std::clock_t cpu = std::clock();
      do {
        session.frame(window, dt);
        ++count;
      } while (!session.settled() && count < 1000);
      const double ms = seconds_since(t) / count * 1e3;
      std::printf("  [%.2f ms a frame, %.2f ms of processor time, %d frames while settling]\n", ms,
                  static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC / count * 1e3, count);
      if (ms < f.moving) {
        f.moving = ms;
        f.moving_frames = count;
      }
    }
    f.still = timed(session, window, nothing);
    // Once more of each, phase by phase (slower: the renderer finishes every phase).
    session.reset_layout();
    session.profile(true);
    for (int count = 0; count == 0 || (!session.settled() && count < 1000); ++count)
      session.frame(window, dt);
    print_profile("while settling", session.profiled());
    session.profile(true);
    for (int count = 0; count < frames; ++count) session.frame(window, dt);
    print_profile("settled", session.profiled());
    session.profile(false);
    return f;
  };
  Figures live, presenter;
  std::size_t nodes = 0;
  {
    ripple::viz::ViewerSession session(live_options);
    sf::RenderWindow window(sf::VideoMode(kWidth, kHeight), "viz_bench",
                            sf::Style::Titlebar | sf::Style::Close);
    window.setVerticalSyncEnabled(false);
    session.open(window);
    for (int f = 0; f < 10; ++f) session.frame(window, dt);  // warm-up: fonts, ImGui layout
    nodes = session.nodes();
    live = moving_then_still(session, window);
    session.set_presenter(true);
    for (int f = 0; f < 10; ++f) session.frame(window, dt);
    presenter = moving_then_still(session, window);
    session.close();
  }
  std::printf(
      "whole viewer frame, live, %zu nodes, all panels, %ux%u window: %.2f ms, %.0f frames/s "
      "while the layout settles (%d frames), %.2f ms, %.0f frames/s once settled\n",
      nodes, kWidth, kHeight, live.moving, 1e3 / live.moving, live.moving_frames, live.still,
      1e3 / live.still);
  std::printf(
      "  presenter mode: %.2f ms, %.0f frames/s while settling, %.2f ms, %.0f frames/s settled\n",
      presenter.moving, 1e3 / presenter.moving, presenter.still, 1e3 / presenter.still);
  if (!replay_too) return;

  // A run file of the same population with every person's ties every week.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("viz_bench-" + std::to_string(static_cast<long>(::getpid())));
  std::filesystem::create_directories(dir);
  ripple::RunOptions run;
  run.output = dir / "replay.h5";
  ripple::run(
      ripple::scenario::load_scenario(
          scenario_path, {"population.persons=" + std::to_string(persons), "output.level=\"all\"",
                          "output.interval=1", "output.ties_interval=1", "run.weeks=26"}),
      run);
  double still = 0, scrubbing = 0;
  {
    ripple::viz::ViewerOptions options;
    options.run = run.output;
    options.person = centre;
    options.hops = hops;
    ripple::viz::ViewerSession session(options);
    sf::RenderWindow window(sf::VideoMode(kWidth, kHeight), "viz_bench",
                            sf::Style::Titlebar | sf::Style::Close);
    window.setVerticalSyncEnabled(false);
    session.open(window);
    for (int f = 0; f < 10; ++f) session.frame(window, dt);
    nodes = session.nodes();
    for (int f = 0; f < 1000 && !session.settled(); ++f) session.frame(window, dt);
    still = timed(session, window, nothing);
    const std::vector<std::int64_t> weeks = session.weeks();
    std::size_t k = 0;
    scrubbing = timed(session, window, [&] { session.scrub(weeks[++k % weeks.size()]); });
    session.close();
  }
  std::filesystem::remove_all(dir);
  std::printf(
      "whole viewer frame, replay, %zu nodes, all panels, settled: %.2f ms, %.0f frames/s; "
      "scrubbing "
      "(another week every frame) %.2f ms, %.0f frames/s\n",
      nodes, still, 1e3 / still, scrubbing, 1e3 / scrubbing);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml";
  long persons = 10000, weeks = 40;
  bool replay_too = true;
  constexpr const char* kUsage =
      "usage: viz_bench [SCENARIO.toml] [--persons N] [--weeks N] [--no-replay]\n"
      "Frames a second of the viewer's drawing and live weeks a second (docs/VIEWER.md).\n"
      "  --persons N   population (default 10000)\n"
      "  --weeks N     live weeks to time (default 40; 0 leaves them out)\n"
      "  --no-replay   leave out the replay figures\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--persons" || a == "--weeks") {
      if (i + 1 == argc) {
        std::fprintf(stderr, "viz_bench: %s: needs a number\n%s", a.c_str(), kUsage);
        return 2;
      }
      (a == "--persons" ? persons : weeks) = std::stol(argv[++i]);
    } else if (a == "--no-replay") {
      replay_too = false;
    } else if (a.starts_with("-")) {
      std::fprintf(stderr, "viz_bench: %s: unknown option\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      path = a;
    }
  }
  try {
    const auto scenario = ripple::scenario::load_scenario(
        path, {"population.persons=" + std::to_string(persons), "output.level=\"all\""});
    ripple::Simulation sim(scenario);
    ripple::query::LiveSource live(sim);

    // The person with the largest 3-hop network, capped at 2,000 nodes as the viewer
    // does; if no 3-hop network comes near that size, 4 hops (beyond the viewer's 3) so
    // the figure is for about 2,000 nodes.
    ripple::viz::EgoGraph graph;
    int hops = 3;
    for (; hops <= 4 && graph.nodes.size() < 1800; ++hops)
      for (const std::uint32_t id : live.persons()) {
        auto g = ripple::viz::build_ego(live, id, hops, 2000);
        if (g.nodes.size() > graph.nodes.size()) graph = std::move(g);
        if (graph.nodes.size() >= 2000) break;
      }
    --hops;
    // The layout settling from scratch, as after opening the viewer or choosing another
    // person: three steps a frame (as the viewer does) until nothing moves.
    ripple::viz::Layout layout;
    {
      layout.sync(graph);
      int moving = 0;
      const auto t0 = std::chrono::steady_clock::now();
      while (moving < 1000 && layout.relax(graph, 3) > 0.0f) ++moving;
      std::printf("layout settling: %d frames of 3 steps, %.2f ms a frame\n", moving,
                  moving > 0 ? seconds_since(t0) / moving * 1e3 : 0.0);
    }
    const int frames = 300;
    auto t = std::chrono::steady_clock::now();
    for (int f = 0; f < frames; ++f) {
      graph = ripple::viz::build_ego(live, graph.centre, hops, 2000);
      layout.sync(graph);
      layout.relax(graph, 3);
    }
    const double frame = seconds_since(t) / frames;
    std::printf(
        "ego view: %zu nodes, %zu edges (%d hops): %.2f ms a frame for graph + layout (%.0f "
        "frames/s before drawing)\n",
        graph.nodes.size(), graph.edges.size(), hops, frame * 1e3, 1.0 / frame);
#ifdef RIPPLE_VIZ_DRAW
    if (draw_frames(graph, layout)) whole_frames(path, persons, graph.centre, hops, replay_too);
#else
    std::printf("drawing not timed: viz_bench was built without the viewer\n");
#endif

    if (weeks <= 0) return 0;
    t = std::chrono::steady_clock::now();
    for (long w = 0; w < weeks; ++w) {
      sim.step();
      live.collect();
      graph = ripple::viz::build_ego(live, graph.centre, 2, 2000);
      layout.sync(graph);
      (void)ripple::viz::life_story(live, graph.centre);
    }
    const double per_step = seconds_since(t) / static_cast<double>(weeks);
    std::printf("live mode: %ld persons, %d threads: %.1f ms a week, %.1f weeks/s\n", persons,
                sim.threads(), per_step * 1e3, 1.0 / per_step);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "viz_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
