// Viewer speed: frames a second for an ego view of about 2,000 nodes (graph building,
// three layout steps and drawing, as ripple-view does each frame; drawing goes to an
// off-screen sf::RenderTexture, so it needs an X display: run under xvfb-run on a
// server), and live-mode weeks a second for 10,000 persons (model step, event
// collection, graph rebuild, life story). Prints figures; not a test.
//   viz_bench [SCENARIO.toml] [--persons N] [--weeks N]
#include <chrono>
#include <cstdio>
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
// Whole frames: graph + layout + drawing into a 1280x800 off-screen texture, as the
// viewer's network area. The texture is read back at the end so the GPU (or Mesa's
// software renderer under Xvfb) has finished every frame counted.
void draw_frames(const ripple::query::Source& source, ripple::viz::EgoGraph& graph,
                 ripple::viz::Layout& layout, int hops) {
  sf::RenderTexture texture;
  if (!texture.create(1280, 800)) {
    std::printf("drawing not timed: no OpenGL context (run under xvfb-run)\n");
    return;
  }
  sf::Font font;
  const bool have_font = font.loadFromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  const ripple::viz::DrawStyle style{false, 1.0f, have_font ? &font : nullptr};
  const sf::FloatRect area(215.0f, 0.0f, 1280.0f - 215.0f, 800.0f);
  const auto frame = [&](bool rebuild) {
    if (rebuild) {
      graph = ripple::viz::build_ego(source, graph.centre, hops, 2000);
      layout.sync(graph);
      layout.relax(graph, 3);
    }
    texture.clear(sf::Color(24, 26, 32));
    ripple::viz::draw_ego(texture, graph, layout.positions(), area, "bench", style);
    texture.display();
  };
  for (int f = 0; f < 10; ++f) frame(true);  // warm-up: driver and glyph caches
  (void)texture.getTexture().copyToImage();
  const int frames = 120;
  auto t = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) frame(false);
  (void)texture.getTexture().copyToImage();
  const double draw = seconds_since(t) / frames;
  const ripple::viz::DrawStyle bare{false, 1.0f, nullptr};
  t = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) {
    texture.clear(sf::Color(24, 26, 32));
    ripple::viz::draw_ego(texture, graph, layout.positions(), area, "bench", bare);
    texture.display();
  }
  (void)texture.getTexture().copyToImage();
  const double unlabelled = seconds_since(t) / frames;
  t = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) {
    texture.clear(sf::Color(24, 26, 32));
    texture.display();
  }
  (void)texture.getTexture().copyToImage();
  const double empty = seconds_since(t) / frames;
  std::size_t labels = 0;
  for (const ripple::viz::Node& n : graph.nodes) labels += n.type != ripple::viz::NodeType::Person;
  t = std::chrono::steady_clock::now();
  for (int f = 0; f < frames; ++f) frame(true);
  (void)texture.getTexture().copyToImage();
  const double whole = seconds_since(t) / frames;
  std::printf(
      "ego view drawn off-screen (1280x800): %.2f ms drawing alone (%.2f ms without its %zu "
      "labels, %.2f ms an empty frame); %.2f ms a whole frame (graph + layout + drawing): "
      "%.0f frames/s\n",
      draw * 1e3, unlabelled * 1e3, labels, empty * 1e3, whole * 1e3, 1.0 / whole);
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
