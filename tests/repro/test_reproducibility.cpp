// Reproducibility (STYLE.md "Tests"): one seed gives the same run file on 1, 2 and 4
// threads, another seed gives another run, a Simulation stepped by hand gives the
// same outcomes as ripple::run, and the file reads in h5py and xarray as a user would.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/ripple.hpp"
#include "support/tmpdir.hpp"

namespace {

namespace fs = std::filesystem;
namespace io = ripple::io;
using ripple::testing::TempDir;

constexpr int kWeeks = 30;

// 3,000 persons for 30 weeks, every person recorded, a tie snapshot every 10 weeks and
// one intervention half-way (family psychoeducation opens in week 15).
constexpr const char* kScenario = R"(
[run]
weeks = 30
seed = 5
burn_in_weeks = 20

[population]
persons = 3000

[services.ips]
enabled = true

[output]
level = "all"
interval = 2
ties_interval = 10

[[timeline]]
week = 15
set = { services.psychoeducation.enabled = true }
)";

ripple::scenario::Scenario scenario(const std::vector<std::string>& overrides = {}) {
  return ripple::scenario::parse_scenario(kScenario, "repro.toml", overrides);
}

fs::path run_to(const TempDir& dir, const std::string& name, int threads,
                std::optional<std::uint64_t> seed = std::nullopt) {
  ripple::RunOptions options;
  options.output = dir / name;
  options.threads = threads;
  options.seed = seed;
  const ripple::RunResult result = ripple::run(scenario(), options);
  // At most the cores TBB may use: a machine with fewer cores runs (and records) fewer.
  REQUIRE(result.threads >= 1);
  REQUIRE(result.threads <= threads);
  REQUIRE(result.steps == kWeeks);
  return result.output;
}

// Equal to the last bit (NaN included), element by element.
template <class T>
bool bitwise_equal(const std::vector<T>& a, const std::vector<T>& b) {
  static_assert(std::is_trivially_copyable_v<T>);
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_events(const std::vector<io::Event>& a, const std::vector<io::Event>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const io::Event &x = a[k], &y = b[k];
    if (x.step != y.step || x.kind != y.kind || x.person != y.person || x.other != y.other ||
        std::memcmp(&x.magnitude, &y.magnitude, sizeof(float)) != 0)
      return false;
  }
  return true;
}

template <class Record, class Fields>
bool same_records(const std::vector<Record>& a, const std::vector<Record>& b, Fields fields) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (fields(a[k]) != fields(b[k])) return false;
  return true;
}

// Every dataset of two run files, compared exactly; /meta differs only in the thread
// count and the timestamps.
void check_same_run(const fs::path& one, const fs::path& other) {
  const io::RunReader a(one), b(other);
  INFO(one.filename().string() << " vs " << other.filename().string());
  REQUIRE(a.summary_names() == b.summary_names());
  CHECK(a.summary_steps() == b.summary_steps());
  for (const std::string& name : a.summary_names()) {
    INFO("summary " << name);
    CHECK(bitwise_equal(a.summary(name), b.summary(name)));
  }
  REQUIRE(a.timeseries_names() == b.timeseries_names());
  CHECK(a.timeseries_steps() == b.timeseries_steps());
  CHECK(a.recorded_persons() == b.recorded_persons());
  for (const std::string& name : a.timeseries_names()) {
    INFO("timeseries " << name);
    const auto x = a.timeseries(name), y = b.timeseries(name);
    REQUIRE(x.size() == y.size());
    bool equal = true;
    for (std::size_t r = 0; r < x.size(); ++r) equal = equal && bitwise_equal(x[r], y[r]);
    CHECK(equal);
  }
  CHECK(same_events(a.events(), b.events()));
  const io::PersonTable pa = a.persons(), pb = b.persons();
  CHECK(pa.id == pb.id);
  CHECK(pa.values == pb.values);
  REQUIRE(a.tie_snapshot_steps() == b.tie_snapshot_steps());
  for (const std::int64_t step : a.tie_snapshot_steps()) {
    INFO("tie snapshot " << step);
    CHECK(same_records(a.social_ties(step), b.social_ties(step), [](const io::SocialTieRecord& t) {
      return std::tuple{t.person, t.other, t.relation, t.kind, t.strength};
    }));
    CHECK(same_records(a.belonging_ties(step), b.belonging_ties(step),
                       [](const io::BelongingRecord& t) {
                         return std::tuple{t.person, t.arena, t.arena_kind, t.standing};
                       }));
    CHECK(same_records(a.helping_ties(step), b.helping_ties(step), [](const io::HelpingRecord& t) {
      return std::tuple{t.person, t.worker, t.service, t.alliance, t.continuity_weeks};
    }));
  }
  const io::RunMeta ma = a.meta(), mb = b.meta();
  CHECK(ma.seed == mb.seed);
  CHECK(ma.steps == mb.steps);
  CHECK(ma.resolved_params == mb.resolved_params);
  CHECK(ma.timeline == mb.timeline);
}

}  // namespace

TEST_CASE("one seed gives identical run files on 1, 2 and 4 threads", "[repro]") {
  TempDir dir;
  const fs::path one = run_to(dir, "threads1.h5", 1);
  const fs::path two = run_to(dir, "threads2.h5", 2);
  const fs::path four = run_to(dir, "threads4.h5", 4);
  check_same_run(one, two);
  check_same_run(one, four);
  // The run is not trivially empty: every person is recorded, events happened, the
  // intervention was logged and snapshots were taken.
  const io::RunReader reader(one);
  CHECK(reader.recorded_persons().size() == 3000);
  CHECK(reader.events().size() > 1000);
  CHECK(reader.tie_snapshot_steps() == std::vector<std::int64_t>{0, 10, 20, 30});
  CHECK(reader.summary_steps().size() == kWeeks + 1);
  CHECK(reader.meta().timeline.find("services.psychoeducation.enabled") != std::string::npos);
}

TEST_CASE("another seed gives another run", "[repro]") {
  TempDir dir;
  const fs::path first = run_to(dir, "seed5.h5", 2);
  const fs::path second = run_to(dir, "seed6.h5", 2, 6);
  const io::RunReader a(first), b(second);
  CHECK(a.meta().seed == 5);
  CHECK(b.meta().seed == 6);
  int differing = 0;
  for (const std::string& name : a.summary_names())
    differing += !bitwise_equal(a.summary(name), b.summary(name));
  CHECK(differing > 10);
  CHECK_FALSE(bitwise_equal(a.summary("recovery_index_mean"), b.summary("recovery_index_mean")));
  CHECK_FALSE(same_events(a.events(), b.events()));
}

TEST_CASE("a Simulation stepped week by week gives the same outcomes as ripple::run", "[repro]") {
  TempDir dir;
  const fs::path path = run_to(dir, "run.h5", 2);
  const io::RunReader reader(path);
  const auto& names = ripple::summary_variables();

  ripple::Simulation sim(scenario(), 1);
  CHECK(sim.weeks() == kWeeks);
  CHECK(sim.persons() == 3000);
  std::vector<std::vector<double>> by_week{sim.summary()};
  while (sim.week() < sim.weeks()) {
    sim.step();
    by_week.push_back(sim.summary());
  }
  REQUIRE(by_week.size() == kWeeks + 1);
  for (std::size_t v = 0; v < names.size(); ++v) {
    INFO("summary " << names[v].name);
    std::vector<double> stepped;
    for (const auto& week : by_week) stepped.push_back(week[v]);
    CHECK(bitwise_equal(stepped, reader.summary(names[v].name)));
  }
  // And without an output file ripple::run ends in the same state.
  ripple::RunOptions options;
  options.threads = 2;
  const ripple::RunResult result = ripple::run(scenario(), options);
  CHECK(result.output.empty());
  CHECK(bitwise_equal(result.first, by_week.front()));
  CHECK(bitwise_equal(result.last, by_week.back()));
}

TEST_CASE("a run file opens in h5py and xarray as a user would read it", "[repro][python]") {
  TempDir dir;
  const fs::path path = run_to(dir, "user.h5", 2);
  const std::string script =
      fmt::format(R"PY(
import sys
import h5py
import numpy as np
import xarray as xr

weeks = {weeks}
with h5py.File("{path}", "r") as f:
    r = f["/summary/recovery_index_mean"][()]
    assert r.shape == (weeks + 1,), r.shape
    assert np.all((r >= 0) & (r <= 1)), r
    assert np.all(np.isfinite(r))
    steps = f["/summary/step"][()]
    assert list(steps) == list(range(weeks + 1)), steps
with xr.open_dataset("{path}", group="summary", engine="h5netcdf") as ds:
    x = ds["recovery_index_mean"]
    assert x.dims == ("step",), x.dims
    assert x.sizes["step"] == weeks + 1
    assert np.array_equal(x.values, r)
    assert "employed" in ds and "in_episode" in ds
print("ok")
)PY",
                  fmt::arg("weeks", kWeeks), fmt::arg("path", path.string()));
  const fs::path file = ripple::testing::write_file(dir / "read.py", script);
  const auto result =
      ripple::testing::run_command(fmt::format("'{}' '{}'", RIPPLE_PYTHON, file.string()));
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Matchers::EndsWith("ok\n"));
}
