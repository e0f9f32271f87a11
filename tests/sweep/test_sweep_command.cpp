// `ripple sweep` and `ripple sweep-merge` as a user meets them: the real binary on tiny
// sweeps, the index read back with h5py and checked against the run files themselves.

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/tmpdir.hpp"

namespace ripple::testing {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

const char* const kBase = "[population]\npersons = 1000\n[run]\nweeks = 3\nburn_in_weeks = 0\n";

const char* const kSweep =
    "# two design points, two replications\n"
    "[sweep]\n"
    "scenario = \"base.toml\"\n"
    "design = \"list\"\n"
    "replications = 2\n"
    "master_seed = 17\n"
    "[parameters]\n"
    "population.inclusion_climate_mean = { values = [0.3, 0.7] }\n"
    "services.cmhc.caseload_cap = { values = [12, 30] }\n";

CommandResult sweep_in(const fs::path& folder, const std::string& args) {
  return run_command(fmt::format("cd '{}' && '{}' {}", folder.string(), RIPPLE_BINARY, args));
}

// An independent reading of the index: for every run marked done, the outcomes must be
// the means over weeks 1..end of the linked run file's /summary, and its /meta must hold
// the run's seed and design values. Prints "OK <done> <failed> <pending>" or the problem.
const char* const kCheckIndex = R"(
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
d = f["design"]
status = list(d["status"].asstr()[:])
params = list(d.attrs["parameters"])
names = [n for n in f["outcomes"]]
for i, st in enumerate(status):
    name = d["file"].asstr()[i].split("/")[-1][:-3]
    if st != "done":
        assert name not in f["runs"], name
        assert all(np.isnan(f["outcomes"][n][i]) for n in names)
        continue
    run = f["runs"][name]
    assert int(run["meta"].attrs["seed"]) == int(d["seed"][i]), name
    # The base scenario, not the parser's "<string>" (ripple info and the plots show it).
    assert str(run["meta"].attrs["scenario_path"]).endswith("base.toml"), name
    overrides = run["meta/overrides"].asstr()[()]
    for p in params:
        assert f"{p}=" in overrides, (p, overrides)
        given = float(overrides.split(f"{p}=")[1].split()[0])
        assert abs(given - d[p][i]) < 1e-12, (p, given, d[p][i])
    steps = run["summary/step"][:]
    for n in names:
        expected = run["summary"][n][:][steps >= 1].mean()
        assert abs(expected - f["outcomes"][n][i]) <= 1e-12 * max(1, abs(expected)), (n, name)
print("OK", status.count("done"), status.count("failed"), status.count("pending"))
)";

std::string check_index(const fs::path& index) {
  const fs::path script = index.parent_path() / "check_index.py";
  write_file(script, kCheckIndex);
  return run_command(fmt::format("{} '{}' '{}'", RIPPLE_PYTHON, script.string(), index.string()))
      .output;
}

fs::file_time_type mtime(const fs::path& path) { return fs::last_write_time(path); }

TEST_CASE("sweep writes every run and an index that matches the run files", "[sweep]") {
  TempDir dir;
  write_file(dir / "base.toml", kBase);
  write_file(dir / "s.toml", kSweep);
  const CommandResult first = sweep_in(dir.path(), "sweep s.toml -o out --jobs 2");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.output, Contains("done 4") && Contains("out/sweep.h5"));
  CHECK(fs::exists(dir / "out/runs/p0000-r00.h5"));
  CHECK(fs::exists(dir / "out/runs/p0001-r01.h5"));
  CHECK_THAT(check_index(dir / "out/sweep.h5"), Contains("OK 4 0 0"));

  SECTION("resume skips completed runs and redoes a corrupted one") {
    const fs::path good = dir / "out/runs/p0000-r00.h5";
    const fs::path bad = dir / "out/runs/p0001-r00.h5";
    const auto good_time = mtime(good);
    fs::resize_file(bad, fs::file_size(bad) / 2);
    const CommandResult again = sweep_in(dir.path(), "sweep s.toml -o out");
    INFO(again.output);
    REQUIRE(again.exit_code == 0);
    CHECK_THAT(again.output, Contains("3 already complete") && Contains("done 4"));
    CHECK(mtime(good) == good_time);
    CHECK_THAT(check_index(dir / "out/sweep.h5"), Contains("OK 4 0 0"));
  }

  SECTION("a run that fails is recorded with its error and the others go on") {
    // A folder where a run file should go: the run cannot be renamed into place.
    fs::remove(dir / "out/runs/p0000-r01.h5");
    fs::create_directories(dir / "out/runs/p0000-r01.h5/blocker");
    const CommandResult again = sweep_in(dir.path(), "sweep s.toml -o out");
    INFO(again.output);
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.output, Contains("failed 1") && Contains("p0000-r01"));
    CHECK_THAT(check_index(dir / "out/sweep.h5"), Contains("OK 3 1 0"));
    const CommandResult error = run_command(fmt::format(
        "{} -c \"import h5py; f = h5py.File('{}'); print(f['design/error'].asstr()[1])\"",
        RIPPLE_PYTHON, (dir / "out/sweep.h5").string()));
    CHECK_THAT(error.output, Contains("p0000-r01.h5"));
  }

  SECTION("another sweep file is refused for the same folder") {
    write_file(dir / "s.toml", fmt::format("{}# changed\n", kSweep));
    const CommandResult other = sweep_in(dir.path(), "sweep s.toml -o out");
    CHECK(other.exit_code == 2);
    CHECK_THAT(other.output, Contains("another sweep"));
  }
}

TEST_CASE("shards run disjoint shares and sweep-merge builds the same index", "[sweep]") {
  TempDir dir;
  write_file(dir / "base.toml", kBase);
  write_file(dir / "s.toml", kSweep);
  REQUIRE(sweep_in(dir.path(), "sweep s.toml -o whole -q").exit_code == 0);
  const CommandResult a = sweep_in(dir.path(), "sweep s.toml -o parts --shard 0/2 -q");
  INFO(a.output);
  REQUIRE(a.exit_code == 0);
  CHECK_THAT(a.output, Contains("sweep-merge"));
  CHECK_FALSE(fs::exists(dir / "parts/sweep.h5"));
  CHECK(fs::exists(dir / "parts/runs/p0000-r00.h5"));
  CHECK_FALSE(fs::exists(dir / "parts/runs/p0000-r01.h5"));

  // Half merged: the other share's runs are pending, and the merge says so.
  const CommandResult half = sweep_in(dir.path(), "sweep-merge parts 2>&1");
  INFO(half.output);
  CHECK(half.exit_code == 2);
  CHECK_THAT(half.output, Contains("2 of 4 runs are not there yet") && Contains("p0000-r01"));
  CHECK_THAT(check_index(dir / "parts/sweep.h5"), Contains("OK 2 0 2"));

  // A run file cut short is reported as failed, with the reason, not as pending.
  const fs::path cut = dir / "parts/runs/p0000-r00.h5";
  const fs::path kept = dir / "kept.h5";
  fs::copy_file(cut, kept);
  fs::resize_file(cut, 5000);
  const CommandResult damaged = sweep_in(dir.path(), "sweep-merge parts 2>&1");
  INFO(damaged.output);
  CHECK(damaged.exit_code == 2);
  CHECK_THAT(damaged.output, Contains("failed 1") && Contains("run p0000-r00 failed") &&
                                 Contains("damaged run file"));
  fs::copy_file(kept, cut, fs::copy_options::overwrite_existing);

  REQUIRE(sweep_in(dir.path(), "sweep s.toml -o parts --shard 1/2 -q").exit_code == 0);
  const CommandResult merged = sweep_in(dir.path(), "sweep-merge parts");
  INFO(merged.output);
  REQUIRE(merged.exit_code == 0);
  CHECK_THAT(check_index(dir / "parts/sweep.h5"), Contains("OK 4 0 0"));
  const CommandResult same = run_command(fmt::format("h5diff '{}' '{}' /outcomes /outcomes",
                                                     (dir / "whole/sweep.h5").string(),
                                                     (dir / "parts/sweep.h5").string()));
  CHECK(same.exit_code == 0);
}

TEST_CASE("sweep-merge names the stored copy when it is damaged", "[sweep]") {
  TempDir dir;
  write_file(dir / "base.toml", kBase);
  write_file(dir / "s.toml", kSweep);
  REQUIRE(sweep_in(dir.path(), "sweep s.toml -o parts --shard 0/2 -q").exit_code == 0);
  write_file(dir / "parts/sweep.toml", "[sweep]\ndesign = \"nonsense\"\n");
  const CommandResult merged = sweep_in(dir.path(), "sweep-merge parts 2>&1");
  INFO(merged.output);
  CHECK(merged.exit_code == 2);
  CHECK_THAT(merged.output, Contains("parts/sweep.toml:"));
}

TEST_CASE("a bad sweep file exits 2 with file and line before any run", "[sweep]") {
  TempDir dir;
  write_file(dir / "base.toml", kBase);
  write_file(dir / "bad.toml",
             "[sweep]\nscenario = \"base.toml\"\ndesign = \"grid\"\n[parameters]\n"
             "services.cmhc.admin_share = { values = [0.1, 2.0] }\n");
  const CommandResult bad = sweep_in(dir.path(), "sweep bad.toml -o out");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Contains("bad.toml:5:") && Contains("services.cmhc.admin_share"));
  CHECK_FALSE(fs::exists(dir / "out"));

  write_file(dir / "missing.toml",
             "[sweep]\nscenario = \"nowhere.toml\"\ndesign = \"grid\"\n[parameters]\n"
             "services.cmhc.admin_share = { values = [0.1] }\n");
  const CommandResult missing = sweep_in(dir.path(), "sweep missing.toml -o out");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Contains("missing.toml:2:") && Contains("nowhere.toml"));

  const CommandResult shard = sweep_in(dir.path(), "sweep bad.toml --shard 2/2");
  CHECK(shard.exit_code == 2);
  CHECK_THAT(shard.output, Contains("--shard"));
}

TEST_CASE("the example sweeps are valid", "[sweep]") {
  for (const char* name : {"quick.toml", "saltelli.toml"}) {
    const CommandResult result = run_command(fmt::format(
        "'{}' sweep '{}/scenarios/sweeps/{}' --dry-run", RIPPLE_BINARY, RIPPLE_SOURCE_DIR, name));
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Contains("OK"));
  }
}

}  // namespace
}  // namespace ripple::testing
