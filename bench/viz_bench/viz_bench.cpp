// Viewer speed: the work of one frame for an ego view of about 2,000 nodes (graph
// building plus three layout steps, as ripple-view does each frame), and live-mode
// steps a second for 10,000 persons (model step, event collection, graph rebuild).
// Drawing itself needs a window and is not timed here. Prints figures; not a test.
//   viz_bench [SCENARIO.toml] [--persons N] [--weeks N]
#include <chrono>
#include <cstdio>
#include <string>

#include "graph.hpp"
#include "layout.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "story.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

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

    // The person with the largest 3-hop network, capped at 2,000 nodes as the viewer does.
    ripple::viz::EgoGraph graph;
    for (const std::uint32_t id : live.persons()) {
      auto g = ripple::viz::build_ego(live, id, 3, 2000);
      if (g.nodes.size() > graph.nodes.size()) graph = std::move(g);
      if (graph.nodes.size() >= 2000) break;
    }
    ripple::viz::Layout layout;
    layout.sync(graph);
    for (int i = 0; i < 200; ++i) layout.relax(graph, 1);
    const int frames = 300;
    auto t = std::chrono::steady_clock::now();
    for (int f = 0; f < frames; ++f) {
      graph = ripple::viz::build_ego(live, graph.centre, 3, 2000);
      layout.sync(graph);
      layout.relax(graph, 3);
    }
    const double frame = seconds_since(t) / frames;
    std::printf(
        "ego view: %zu nodes, %zu edges: %.2f ms a frame (graph + layout), %.0f frames/s "
        "before drawing\n",
        graph.nodes.size(), graph.edges.size(), frame * 1e3, 1.0 / frame);

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
