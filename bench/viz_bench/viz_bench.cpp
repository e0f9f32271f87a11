// Viewer speed: frames a second for an ego view of about 2,000 nodes (graph building,
// three layout steps and drawing, as ripple-view does each frame; drawing needs an X
// display: run under xvfb-run on a server), and live-mode weeks a second for 10,000
// persons (model step, event collection, graph rebuild, life story). Prints figures;
// not a test.
//   viz_bench [SCENARIO.toml] [--persons N] [--weeks N]
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#ifdef RIPPLE_VIZ_DRAW
#include "draw.hpp"
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
//    frame counted (a viewer frame reads nothing back).
// 2. Viewer frames: what ripple-view does each frame in its window, less the ImGui
//    panels: three layout steps, the network in the viewer's network area, the legend,
//    and window.display() (the buffer swap, which on Mesa's software renderer under
//    Xvfb waits for the frame and copies it to the X server). Also with a new week
//    every frame (graph rebuilt, as when playing at 60 weeks a second).
void draw_frames(const ripple::query::Source& source, ripple::viz::EgoGraph& graph,
                 ripple::viz::Layout& layout, int hops) {
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
      return;
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
    const double empty = ms_per_frame(
        frames,
        [&] {
          texture.clear(kBackground);
          texture.display();
        },
        finish);
    std::printf(
        "drawing alone, off-screen %ux%u: %.2f ms (%.2f ms without labels and title, %.2f ms "
        "an empty frame)\n",
        kWidth, kHeight, labelled, unlabelled, empty);
  }
  sf::RenderWindow window(sf::VideoMode(kWidth, kHeight), "viz_bench",
                          sf::Style::Titlebar | sf::Style::Close);
  window.setVerticalSyncEnabled(false);
  // The viewer's network area: right of the legend, left of the person panel (400
  // pixels), above the controls (230).
  const sf::FloatRect area(215.0f, 0.0f, kWidth - 400.0f - 215.0f, kHeight - 230.0f);
  const auto viewer_frame = [&](bool new_week) {
    return [&, new_week] {
      if (new_week) {
        graph = ripple::viz::build_ego(source, graph.centre, hops, 2000);
        layout.sync(graph);
      }
      layout.relax(graph, 3);
      window.clear(kBackground);
      painter.draw(window, graph, layout.positions(), area, "bench", style);
      painter.draw_legend(window, style);
      window.display();
    };
  };
  const auto nothing = [] {};
  ms_per_frame(10, viewer_frame(false), nothing);
  const double still = ms_per_frame(frames, viewer_frame(false), nothing);
  const double weekly = ms_per_frame(frames, viewer_frame(true), nothing);
  const double empty = ms_per_frame(
      frames,
      [&] {
        window.clear(kBackground);
        window.display();
      },
      nothing);
  std::printf(
      "viewer frame in a %ux%u window (layout steps, network, labels, legend, swap; no ImGui "
      "panels): %.2f ms, %.0f frames/s; %.2f ms with a new week each frame (graph rebuilt), "
      "%.0f frames/s; %.2f ms an empty frame\n",
      kWidth, kHeight, still, 1e3 / still, weekly, 1e3 / weekly, empty);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml";
  long persons = 10000, weeks = 40;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--persons" && i + 1 < argc)
      persons = std::stol(argv[++i]);
    else if (a == "--weeks" && i + 1 < argc)
      weeks = std::stol(argv[++i]);
    else
      path = a;
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
    ripple::viz::Layout layout;
    layout.sync(graph);
    for (int i = 0; i < 200; ++i) layout.relax(graph, 1);
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
    draw_frames(live, graph, layout, hops);
#else
    std::printf("drawing not timed: viz_bench was built without the viewer\n");
#endif

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
