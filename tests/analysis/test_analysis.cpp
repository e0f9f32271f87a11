// The analysis scripts (analysis/*.py) make figures and reports from small outputs, and
// the numbers they show are those in the HDF5 files. The checks are in check_reports.py.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support/tmpdir.hpp"

namespace fs = std::filesystem;
using ripple::testing::CommandResult;
using ripple::testing::run_command;
using ripple::testing::TempDir;
using ripple::testing::write_file;

namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string source(const std::string& path) { return std::string(RIPPLE_SOURCE_DIR) + "/" + path; }

const std::string kTiny =
    " --set population.persons=1000 --set run.burn_in_weeks=4 --set run.weeks=12";

std::string checker() {
  return std::string(RIPPLE_PYTHON) + " " + quoted(source("tests/analysis/check_reports.py"));
}

}  // namespace

TEST_CASE("compare --report writes figures and a report that match compare.h5", "[analysis]") {
  const TempDir dir;
  const std::string out = (dir / "cmp").string();
  const CommandResult run = run_command(
      quoted(RIPPLE_BINARY) + " compare " + quoted(source("scenarios/services/fragmented.toml")) +
      " " + quoted(source("scenarios/services/open-dialogue.toml")) + " -r 3 -q --report" + kTiny +
      " -o " + quoted(out) + " 2>&1");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(fs::exists(dir / "cmp" / "report.html"));
  CHECK(fs::exists(dir / "cmp" / "figures" / "forest.svg"));
  // The script also runs alone on the folder (it rewrites the same files).
  const CommandResult check = run_command(checker() + " compare " + quoted(out));
  INFO(check.output);
  CHECK(check.exit_code == 0);
}

TEST_CASE("the sweep report reads a sweep index and its run files", "[analysis]") {
  const TempDir dir;
  fs::create_directories(dir / "sweep" / "runs");
  std::string runs;
  for (const char* seed : {"1", "2"}) {
    const std::string file =
        (dir / "sweep" / "runs" / (std::string("run") + seed + ".h5")).string();
    const CommandResult run =
        run_command(quoted(RIPPLE_BINARY) + " run " +
                    quoted(source("scenarios/services/fragmented.toml")) + " -q --seed " + seed +
                    kTiny + " --set output.level=\\\"none\\\" -o " + quoted(file) + " 2>&1");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    runs.append(" ").append(quoted(file));
  }
  std::string command = checker();
  command.append(" sweep ").append(quoted((dir / "sweep").string())).append(runs).append(" 2>&1");
  const CommandResult check = run_command(command);
  INFO(check.output);
  CHECK(check.exit_code == 0);
}

TEST_CASE("the compare report refuses a folder without compare.h5", "[analysis]") {
  const TempDir dir;
  const CommandResult result =
      run_command(std::string(RIPPLE_PYTHON) + " " + quoted(source("analysis/compare_report.py")) +
                  " " + quoted(dir.path().string()) + " 2>&1");
  CHECK(result.exit_code == 2);  // bad input, not a crash (1)
  CHECK(result.output.find("compare.h5") != std::string::npos);
  CHECK(result.output.find("Traceback") == std::string::npos);
}

TEST_CASE("the analysis scripts exit 2 on a missing, foreign or cut-short file", "[analysis]") {
  const TempDir dir;
  write_file(dir / "text.h5", "not HDF5 at all\n");
  const std::string run = (dir / "run.h5").string();
  const CommandResult made = run_command(
      quoted(RIPPLE_BINARY) + " run " + quoted(source("scenarios/services/fragmented.toml")) +
      " -q" + kTiny + " --set output.level=\\\"none\\\" -o " + quoted(run) + " 2>&1");
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  const std::string cut = (dir / "cut.h5").string();
  fs::copy_file(run, cut);
  fs::resize_file(cut, fs::file_size(cut) * 2 / 3);
  for (const std::string& file : {(dir / "missing.h5").string(), (dir / "text.h5").string(), cut}) {
    const CommandResult result =
        run_command(std::string(RIPPLE_PYTHON) + " " + quoted(source("analysis/plot_summary.py")) +
                    " " + quoted(file) + " -o " + quoted((dir / "out.png").string()) + " 2>&1");
    INFO(file << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("plot_summary: " + file) != std::string::npos);
    CHECK(result.output.find("Traceback") == std::string::npos);
  }
  // The sweep report on a folder whose index is cut short.
  fs::create_directories(dir / "sweep");
  fs::copy_file(cut, dir / "sweep" / "sweep.h5");
  const CommandResult sweep =
      run_command(std::string(RIPPLE_PYTHON) + " " + quoted(source("analysis/sweep_report.py")) +
                  " " + quoted((dir / "sweep").string()) + " 2>&1");
  INFO(sweep.output);
  CHECK(sweep.exit_code == 2);
  CHECK(sweep.output.find("Traceback") == std::string::npos);
}

TEST_CASE("sweep --report on a Saltelli design writes a readable report", "[analysis]") {
  // The index of a real sweep, not one written by hand: the report once read the Sobol
  // names from the wrong place and failed on every Saltelli design.
  const TempDir dir;
  write_file(dir / "base.toml",
             "[population]\npersons = 1000\n[run]\nweeks = 3\nburn_in_weeks = 0\n");
  write_file(dir / "s.toml",
             "[sweep]\nscenario = \"base.toml\"\ndesign = \"saltelli\"\nsamples = 4\n"
             "bootstrap = 50\nmaster_seed = 3\n[parameters]\n"
             "population.inclusion_climate_mean = { min = 0.2, max = 0.8 }\n"
             "chime.support_weight = { min = 0.25, max = 0.75 }\n");
  const std::string out = (dir / "out").string();
  const CommandResult run =
      run_command("cd " + quoted(dir.path().string()) + " && " + quoted(RIPPLE_BINARY) +
                  " sweep s.toml -q --report -o " + quoted(out) + " 2>&1");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(fs::exists(dir / "out" / "report.html"));
  const CommandResult check = run_command(checker() + " real-sweep " + quoted(out) + " 2>&1");
  INFO(check.output);
  CHECK(check.exit_code == 0);
}
