// The read-only query API: a live model and its run file answer alike, and a broken
// file is refused with a message.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "ripple/errors.hpp"
#include "ripple/query.hpp"
#include "ripple/ripple.hpp"
#include "support/tmpdir.hpp"

namespace {

using namespace ripple;

scenario::Scenario small_scenario() {
  return scenario::load_scenario(
      std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml",
      {"population.persons=2000", "run.weeks=6", "run.burn_in_weeks=4", "output.level=\"all\"",
       "output.interval=1", "output.ties_interval=3"});
}

}  // namespace

TEST_CASE("A live source sees every tie from both sides") {
  const auto s = small_scenario();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  std::size_t ties = 0;
  for (std::uint32_t id = 0; id < 300; ++id) {
    for (const query::SocialTie& t : live.ties(id)) {
      ++ties;
      const auto back = live.ties(t.other);
      const bool found = std::any_of(back.begin(), back.end(),
                                     [&](const query::SocialTie& b) { return b.other == id; });
      CHECK(found);
    }
  }
  CHECK(ties > 300);
  CHECK_FALSE(live.person(static_cast<std::uint32_t>(sim.persons())));
  CHECK(live.ties(static_cast<std::uint32_t>(sim.persons())).empty());
}

TEST_CASE("A live source keeps each person's events and the outcome history") {
  const auto s = small_scenario();
  Simulation sim(s, 1);
  query::LiveSource live(sim);
  for (int week = 0; week < 6; ++week) {
    sim.step();
    live.collect();
  }
  live.collect();  // a second call in the same week adds nothing
  REQUIRE(live.history_steps().size() == 7);
  CHECK(live.history_steps().back() == 6);
  REQUIRE(live.history().size() == summary_variables().size());
  CHECK(live.history()[0].back() == sim.summary()[0]);
  std::size_t events = 0;
  for (std::uint32_t id = 0; id < sim.persons(); ++id)
    for (const io::Event& e : live.events(id)) {
      ++events;
      CHECK(e.person == id);
      CHECK(e.step >= 0);
      CHECK(e.step <= 6);
    }
  CHECK(events > 0);
  CHECK(live.stress_history(5).size() == 7);
}

TEST_CASE("A replayed run answers as the live model did at the same week") {
  testing::TempDir dir;
  const auto s = small_scenario();
  RunOptions options;
  options.output = dir / "run.h5";
  options.threads = 1;
  run(s, options);

  Simulation sim(s, 2);
  for (int week = 0; week < 3; ++week) sim.step();
  query::LiveSource live(sim);
  query::ReplaySource replay(options.output);
  CHECK(replay.steps().size() == 7);
  replay.seek(3);
  CHECK(replay.step() == 3);
  REQUIRE_FALSE(replay.persons().empty());
  for (std::size_t k = 0; k < replay.persons().size(); k += 97) {
    const std::uint32_t id = replay.persons()[k];
    const auto a = live.person(id);
    const auto b = replay.person(id);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->recovery == b->recovery);
    CHECK(a->stress == b->stress);
    CHECK(a->episode == b->episode);
    CHECK(a->profile == b->profile);
    CHECK(a->carer == b->carer);
    CHECK(a->chime == b->chime);
    const auto ta = live.ties(id), tb = replay.ties(id);
    REQUIRE(ta.size() == tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
      CHECK(ta[i].other == tb[i].other);
      CHECK(ta[i].kind == tb[i].kind);
      CHECK(ta[i].strength == tb[i].strength);
    }
    CHECK(live.memberships(id).size() == replay.memberships(id).size());
  }
  // Seeking clamps to the run's weeks; events stop at the current week.
  replay.seek(1000);
  CHECK(replay.step() == 6);
  replay.seek(2);
  for (const std::uint32_t id : replay.persons())
    for (const io::Event& e : replay.events(id)) CHECK(e.step <= 2);
  CHECK(replay.names().tie_kind == query::model_names().tie_kind);
}

TEST_CASE("A truncated run file is refused with a message naming it") {
  testing::TempDir dir;
  const auto s = small_scenario();
  RunOptions options;
  options.output = dir / "run.h5";
  options.threads = 1;
  run(s, options);
  const auto size = std::filesystem::file_size(options.output);
  std::filesystem::resize_file(options.output, size / 2);
  try {
    query::ReplaySource replay(options.output);
    FAIL("a truncated file was opened");
  } catch (const InputError& e) {
    const std::string message = e.what();
    CHECK(message.find("run.h5") != std::string::npos);
    CHECK(message.find("truncated") != std::string::npos);
  }
  CHECK_THROWS_AS(query::ReplaySource(dir / "missing.h5"), InputError);
}
