// The `ripple` command as a user meets it: the real binary, its exit codes and
// the words of its messages. Each test works in a folder of its own.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "io/run_file.hpp"
#include "support/tmpdir.hpp"

namespace ripple::testing {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `ripple ARGS` in `folder`, capturing stdout and stderr together.
CommandResult ripple_in(const fs::path& folder, const std::string& args) {
  return run_command("cd " + quoted(folder.string()) + " && " + quoted(RIPPLE_BINARY) + " " + args);
}

CommandResult ripple(const std::string& args) {
  return run_command(quoted(RIPPLE_BINARY) + " " + args);
}

// Small enough to run in well under a second, large enough to have persons in recovery.
const char* const kTinyScenario =
    "# a tiny world for tests of the command\n"
    "[population]\n"
    "persons = 300\n"
    "\n"
    "[run]\n"
    "weeks = 20\n";

bool has_part_file(const fs::path& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.path().extension() == ".part") return true;
  return false;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("help on the command and on each subcommand exits 0 and names the options", "[app]") {
  const CommandResult top = ripple("--help");
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.output, Contains("run") && Contains("validate") && Contains("params") &&
                             Contains("info") && Contains("--version"));
  CHECK(ripple("-h").exit_code == 0);

  const CommandResult run = ripple("run --help");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Contains("--output") && Contains("--seed") && Contains("--threads") &&
                             Contains("--steps") && Contains("--set") && Contains("--quiet"));
  CHECK(ripple("run -h").exit_code == 0);

  const CommandResult validate = ripple("validate --help");
  CHECK(validate.exit_code == 0);
  CHECK_THAT(validate.output, Contains("SCENARIO") && Contains("--set"));

  const CommandResult params = ripple("params --help");
  CHECK(params.exit_code == 0);
  CHECK_THAT(params.output, Contains("--markdown"));

  const CommandResult info = ripple("info --help");
  CHECK(info.exit_code == 0);
  CHECK_THAT(info.output, Contains("RUN.h5"));
}

TEST_CASE("the version option names the version and the commit", "[app]") {
  const CommandResult result = ripple("--version");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, StartsWith("ripple ") && Contains("commit"));
  // The commit is the sources' current one: it is stamped at every build, not only when
  // CMake configured (a rebuild after new commits once kept the old one).
  const CommandResult head =
      run_command("git -C " + quoted(RIPPLE_SOURCE_DIR) + " rev-parse --short=12 HEAD");
  if (head.exit_code == 0) {
    const std::string commit = head.output.substr(0, head.output.find('\n'));
    CHECK_THAT(result.output, Contains("(commit " + commit));
  }
}

TEST_CASE("a bad command line exits 2 with the usage", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);

  SECTION("unknown option of a subcommand") {
    const CommandResult result = ripple_in(dir.path(), "run tiny.toml --frobnicate 3");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, StartsWith("ripple: error: ") && Contains("--frobnicate") &&
                                  Contains("usage: ripple run"));
    CHECK_FALSE(fs::exists(dir / "runs"));
  }
  SECTION("an option is never guessed from a prefix") {
    const CommandResult result = ripple_in(dir.path(), "run tiny.toml --see 3");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("--see"));
  }
  SECTION("unknown option of the command") {
    const CommandResult result = ripple("--frobnicate");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("--frobnicate") && Contains("usage: ripple"));
  }
  SECTION("unknown subcommand") {
    const CommandResult result = ripple("simulate x.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("simulate") && Contains("usage: ripple"));
    // Every command is named, the newer ones included.
    CHECK_THAT(result.output, Contains("run, validate, params, info, sweep, sweep-merge, compare, "
                                       "trial and calibrate"));
  }
  SECTION("no subcommand") {
    const CommandResult result = ripple("");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("usage: ripple"));
  }
  SECTION("no scenario") {
    const CommandResult result = ripple("validate");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("SCENARIO"));
  }
  SECTION("two scenarios") {
    const CommandResult result = ripple_in(dir.path(), "validate tiny.toml tiny.toml");
    CHECK(result.exit_code == 2);
  }
  SECTION("negative thread count") {
    const CommandResult result = ripple_in(dir.path(), "run tiny.toml --threads=-1");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("--threads"));
  }
  SECTION("a thread count that is not a number") {
    const CommandResult result = ripple_in(dir.path(), "run tiny.toml --threads many");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("many"));
  }
}

TEST_CASE("validate accepts the baseline scenario", "[app]") {
  const std::string baseline = std::string(RIPPLE_SOURCE_DIR) + "/scenarios/baseline.toml";
  const CommandResult result = ripple("validate " + quoted(baseline));
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Contains(baseline + ": OK (") && Contains("persons") &&
                                Contains("weeks") && Contains("timeline changes"));
}

TEST_CASE("validate shows the timeline and the overrides in plain words", "[app]") {
  TempDir dir;
  write_file(dir / "story.toml",
             "[run]\nweeks = 30\n\n[[timeline]]\nweek = 10\nset = { "
             "\"services.cmhc.admin_share\" = 0.2 }\n");
  const CommandResult result =
      ripple_in(dir.path(), "validate story.toml --set population.persons=400");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Contains("story.toml: OK (400 persons, 30 weeks, 1 timeline change)") &&
                                Contains("week 10") && Contains("services.cmhc.admin_share") &&
                                Contains("population.persons=400"));
}

TEST_CASE("validate counts a change per parameter set and a character in the singular", "[app]") {
  TempDir dir;
  write_file(dir / "anna.toml",
             "[population]\ngenerated = false\n[run]\nweeks = 30\n\n[[person]]\nname = "
             "\"Anna\"\n\n[[timeline]]\nweek = 10\nset = { \"services.cmhc.admin_share\" = 0.2, "
             "\"services.cmhc.staff_per_10k\" = 3.0 }\n");
  const CommandResult result = ripple_in(dir.path(), "validate anna.toml");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Contains("(1 named character and 1 service worker,") &&
                                Contains("30 weeks, 2 timeline changes)"));
}

// Each refused scenario: exit 2, "ripple: error: " first, the file named, and the
// line and key where the problem has them.
TEST_CASE("each kind of bad scenario is refused with exit 2 and a message naming it", "[app]") {
  TempDir dir;
  const auto validate = [&](const std::string& args) {
    return ripple_in(dir.path(), "validate " + args);
  };

  SECTION("TOML syntax error") {
    write_file(dir / "syntax.toml", "[run]\nweeks = 20\nseed = = 3\n");
    const CommandResult result = validate("syntax.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, StartsWith("ripple: error: ") && Contains("syntax.toml:3"));
  }
  SECTION("unknown key, with a suggestion") {
    write_file(dir / "typo.toml", "[population]\npersns = 300\n");
    const CommandResult result = validate("typo.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, StartsWith("ripple: error: ") && Contains("typo.toml:2") &&
                                  Contains("population.persns") && Contains("did you mean") &&
                                  Contains("population.persons"));
  }
  SECTION("wrong type") {
    write_file(dir / "type.toml", "[run]\nweeks = \"many\"\n");
    const CommandResult result = validate("type.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("type.toml:2") && Contains("run.weeks"));
  }
  SECTION("value out of range") {
    write_file(dir / "range.toml", "# CMHC staff\n[services.cmhc]\nadmin_share = 1.5\n");
    const CommandResult result = validate("range.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("range.toml:3") && Contains("services.cmhc.admin_share") &&
                                  Contains("1.5"));
  }
  SECTION("several problems are reported together") {
    write_file(dir / "many.toml", "[run]\nweeks = 0\n[population]\npersons = -4\n");
    const CommandResult result = validate("many.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("many.toml:2") && Contains("run.weeks") &&
                                  Contains("many.toml:4") && Contains("population.persons"));
  }
  SECTION("inconsistent settings") {
    write_file(dir / "rules.toml",
               "[symptoms]\nstruggling_threshold = 0.7\nacute_threshold = 0.6\n");
    const CommandResult result = validate("rules.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("rules.toml") && Contains("symptoms.struggling_threshold") &&
                                  Contains("symptoms.acute_threshold"));
  }
  SECTION("empty file") {
    write_file(dir / "empty.toml", "");
    const CommandResult result = validate("empty.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output,
               StartsWith("ripple: error: ") && Contains("empty.toml") && Contains("empty"));
  }
  SECTION("binary file") {
    write_file(dir / "binary.toml", std::string("\x89HDF\r\n\x1a\n\0\0\0\0", 12));
    const CommandResult result = validate("binary.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("binary.toml"));
  }
  SECTION("a directory") {
    fs::create_directory(dir / "folder.toml");
    const CommandResult result = validate("folder.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("folder.toml") && Contains("directory"));
  }
  SECTION("a missing file") {
    const CommandResult result = validate("nowhere.toml");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, StartsWith("ripple: error: ") && Contains("nowhere.toml"));
  }
  SECTION("a misspelt --set key") {
    write_file(dir / "tiny.toml", kTinyScenario);
    const CommandResult result = validate("tiny.toml --set services.cmhc.admin_shar=0.2");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("services.cmhc.admin_shar") && Contains("did you mean") &&
                                  Contains("services.cmhc.admin_share"));
  }
  SECTION("a --set without a value") {
    write_file(dir / "tiny.toml", kTinyScenario);
    const CommandResult result = validate("tiny.toml --set services.cmhc.admin_share");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("services.cmhc.admin_share") && Contains("key=value"));
  }
  SECTION("--seed and --steps are checked like any value") {
    write_file(dir / "tiny.toml", kTinyScenario);
    const CommandResult steps = ripple_in(dir.path(), "run tiny.toml --steps 0 -o never.h5");
    CHECK(steps.exit_code == 2);
    CHECK_THAT(steps.output, StartsWith("ripple: error: --steps 0: ") && Contains("5200"));
    const CommandResult seed = ripple_in(dir.path(), "run tiny.toml --seed=-1 -o never.h5");
    CHECK(seed.exit_code == 2);
    CHECK_THAT(seed.output, StartsWith("ripple: error: --seed -1: "));
    CHECK_FALSE(fs::exists(dir / "never.h5"));
  }
}

TEST_CASE("run writes the run file and a summary and info reads the file back", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);

  const CommandResult run = ripple_in(dir.path(), "run tiny.toml --seed 4242 --threads 2");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const fs::path output = dir / "runs" / "tiny-seed4242.h5";
  CHECK(fs::exists(output));
  CHECK_FALSE(has_part_file(dir.path()));
  CHECK_THAT(run.output, Contains("tiny") && Contains("300 persons") && Contains("20 weeks") &&
                             Contains("seed 4242") && Contains("runs/tiny-seed4242.h5") &&
                             Contains("recovery") && Contains("->"));

  const CommandResult info = ripple_in(dir.path(), "info runs/tiny-seed4242.h5");
  INFO(info.output);
  CHECK(info.exit_code == 0);
  CHECK_THAT(info.output,
             Contains("4242") && Contains("tiny.toml") && Contains("recovery_index_mean"));

  // Half a file, as left by a full disk or an interrupted copy.
  const std::string bytes = read_bytes(output);
  const fs::path truncated = write_file(dir / "truncated.h5", bytes.substr(0, bytes.size() / 2));
  const CommandResult broken = ripple("info " + quoted(truncated.string()));
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.output, StartsWith("ripple: error: ") && Contains(truncated.string()));
}

TEST_CASE("run creates missing output folders and quiet prints nothing", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);
  const CommandResult run = ripple_in(dir.path(), "run tiny.toml -o deep/er/out.h5 --quiet");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(fs::exists(dir / "deep" / "er" / "out.h5"));
  CHECK(run.output.empty());
  CHECK_FALSE(has_part_file(dir.path()));
}

TEST_CASE("info refuses a missing file and a file that is not a run", "[app]") {
  TempDir dir;
  const CommandResult missing = ripple_in(dir.path(), "info gone.h5");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Contains("gone.h5"));

  write_file(dir / "text.h5", "not a run file\n");
  const CommandResult text = ripple_in(dir.path(), "info text.h5");
  CHECK(text.exit_code == 2);
  CHECK_THAT(text.output, Contains("text.h5"));
}

TEST_CASE("a run too large for this machine is refused before it starts", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);
  // `timeout` turns a run that was not refused into a failure rather than a hang.
  const CommandResult result = run_command(
      "cd " + quoted(dir.path().string()) + " && timeout 120 " + quoted(RIPPLE_BINARY) +
      " run tiny.toml -o huge.h5 --set population.persons=50000000 --set run.weeks=5200 "
      "--set 'output.level=\"all\"'");
  INFO(result.output);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.output, StartsWith("ripple: error: "));
  CHECK_THAT(result.output, Contains("memory") || Contains("output"));
  CHECK_FALSE(fs::exists(dir / "huge.h5"));
  CHECK_FALSE(has_part_file(dir.path()));
}

TEST_CASE("Ctrl-C during a run removes the partial file and exits 130", "[app]") {
  TempDir dir;
  // Long enough that the signal always comes before the end.
  write_file(dir / "long.toml",
             "[population]\npersons = 20000\n[run]\nweeks = 5200\n[output]\nlevel = \"none\"\n");
  const CommandResult result = run_command("cd " + quoted(dir.path().string()) +
                                           " && { timeout 300 " + quoted(RIPPLE_BINARY) +
                                           " run long.toml -o long.h5 & pid=$!; sleep 2; kill -INT "
                                           "$pid; wait $pid; echo \"exit=$?\"; }");
  INFO(result.output);
  CHECK_THAT(result.output, Contains("interrupted") && Contains("exit=130"));
  CHECK_FALSE(fs::exists(dir / "long.h5"));
  CHECK_FALSE(has_part_file(dir.path()));
}

TEST_CASE("params lists every parameter as text and as markdown", "[app]") {
  const CommandResult text = ripple("params");
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.output, Contains("services.cmhc.admin_share") && Contains("0.33") &&
                              Contains("population.persons"));

  const CommandResult markdown = ripple("params --markdown");
  CHECK(markdown.exit_code == 0);
  const bool opens_with_heading_or_table =
      markdown.output.rfind("#", 0) == 0 || markdown.output.rfind("|", 0) == 0;
  CHECK(opens_with_heading_or_table);
  CHECK_THAT(markdown.output, Contains("| services.cmhc.admin_share |") &&
                                  Contains("| key | default | unit | range | meaning | source |") &&
                                  Contains("### services"));
  // The choices of output.level are written with their pipes escaped.
  CHECK_THAT(markdown.output, !Contains("none|sample"));
}

}  // namespace
TEST_CASE("run takes parameter values from an overlay and names its line when one is bad",
          "[app]") {
  TempDir dir;
  write_file(dir / "s.toml", kTinyScenario);
  write_file(dir / "good.toml", "# fitted\n[symptoms]\nbipolar_relapse_per_year = 0.3\n");
  write_file(dir / "bad.toml",
             "symptoms.psychosis_relapse_per_year = 0.2\n"
             "symptoms.bipolar_relapse_per_year = 7\n");
  const auto good = ripple_in(dir.path(), "run s.toml --overlay good.toml -q -o good.h5");
  REQUIRE(good.exit_code == 0);
  const auto resolved =
      run_command("h5dump -d /meta/resolved_params " + quoted((dir / "good.h5").string()));
  CHECK_THAT(resolved.output, Contains("bipolar_relapse_per_year = 0.3"));
  const auto bad = ripple_in(dir.path(), "run s.toml --overlay bad.toml -q -o bad.h5");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output,
             Catch::Contains("bad.toml:2: symptoms.bipolar_relapse_per_year=7: must be a number"));
  CHECK_FALSE(fs::exists(dir / "bad.h5"));
}

// A full disk in the middle of a run, played by a file size limit: the run stops with
// exit 2 and its message, every HDF5 object is closed, the partial file is removed,
// and HDF5 does not crash when the program ends (it once did, with exit 139).
TEST_CASE("a write that fails during a run exits 2 and leaves no partial file", "[app]") {
  TempDir dir;
  // About 3 MB written over 20 weeks, a tie snapshot every week: the limit is
  // reached part of the way through, while the ties are written.
  write_file(dir / "mid.toml",
             "[population]\npersons = 2000\n[run]\nweeks = 20\n[output]\nlevel = \"all\"\n"
             "ties_interval = 1\n");
  // Ignoring SIGXFSZ makes a write past the limit fail with EFBIG; ignored signals
  // stay ignored across exec. (ulimit -f counts blocks of 512 or 1024 bytes by shell.)
  const CommandResult result =
      run_command("cd " + quoted(dir.path().string()) + " && (ulimit -f 1000; trap '' XFSZ; exec " +
                  quoted(RIPPLE_BINARY) + " run mid.toml -q -o out.h5 2>&1); echo \"exit=$?\"");
  INFO(result.output);
  CHECK_THAT(result.output, StartsWith("ripple: error: ") && Contains("out.h5: could not") &&
                                Contains("File too large") && Contains("exit=2"));
  CHECK_FALSE(fs::exists(dir / "out.h5"));
  CHECK_FALSE(has_part_file(dir.path()));
}

// The writer renames its finished file over the name given, so a name that is not a
// run file's is refused at once (a long run that was not refused meets the timeout).
TEST_CASE("run refuses an output name a run file must not replace before it simulates", "[app]") {
  TempDir dir;
  const std::string scenario =
      "[population]\npersons = 20000\n[run]\nweeks = 5200\n[output]\nlevel = \"none\"\n";
  write_file(dir / "long.toml", scenario);
  write_file(dir / "over.toml", "[symptoms]\nbipolar_relapse_per_year = 0.3\n");
  fs::create_directory(dir / "folder");
  REQUIRE(mkfifo((dir / "pipe").c_str(), 0600) == 0);
  fs::create_hard_link(dir / "long.toml", dir / "same.toml");
  struct Case {
    const char* args;
    const char* says;
  };
  for (const Case& c : {Case{"-o ''", "-o \"\": the run file needs a name"},
                        Case{"-o folder", "-o folder: is a folder"},
                        Case{"-o folder/", "-o folder/: names a folder (it ends in '/')"},
                        Case{"-o pipe", "-o pipe: exists and is not a plain file"},
                        Case{"-o long.toml", "-o long.toml: is long.toml"},
                        Case{"-o same.toml", "-o same.toml: is long.toml"},
                        Case{"--overlay over.toml -o over.toml", "-o over.toml: is over.toml"}}) {
    const CommandResult result =
        run_command("cd " + quoted(dir.path().string()) + " && timeout 60 " +
                    quoted(RIPPLE_BINARY) + " run long.toml -q " + c.args);
    INFO(c.args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, StartsWith("ripple: error: " + std::string(c.says)));
  }
  CHECK(read_bytes(dir / "long.toml") == scenario);
  CHECK(read_bytes(dir / "over.toml") == "[symptoms]\nbipolar_relapse_per_year = 0.3\n");
  CHECK(fs::is_directory(dir / "folder"));
  CHECK(fs::is_empty(dir / "folder"));
  CHECK(fs::is_fifo(dir / "pipe"));
  CHECK_FALSE(has_part_file(dir.path()));
}

TEST_CASE("the run summary shows levels from the start and weekly counts from week 1", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);
  const CommandResult run = ripple_in(dir.path(), "run tiny.toml --seed 4242 -o out.h5");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  std::string key_head, weekly_head;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Key outcomes")) key_head = line;
    if (line.starts_with("In the first and the last week")) weekly_head = line;
  }
  CHECK_THAT(key_head, Contains("start") && Contains("week 20"));
  // Step 0 comes before any week is simulated, so its weekly counts are all 0.
  CHECK_THAT(weekly_head, Contains("week 1") && Contains("week 20") && !Contains("start"));

  // The services bits are named in an attribute of /ties, and the text says so.
  const CommandResult long_name =
      run_command("h5dump -a /timeseries/services/long_name " + quoted((dir / "out.h5").string()));
  CHECK_THAT(long_name.output, Contains("service_names attribute of /ties"));
}

TEST_CASE("validate takes --seed, --steps and --overlay as run does", "[app]") {
  TempDir dir;
  write_file(dir / "story.toml",
             "[population]\npersons = 300\n[run]\nweeks = 200\n\n[[timeline]]\nweek = 104\nset = "
             "{ \"services.cmhc.admin_share\" = 0.2 }\n");
  write_file(dir / "over.toml", "[symptoms]\nbipolar_relapse_per_year = 0.3\n");
  const CommandResult ok =
      ripple_in(dir.path(), "validate story.toml --seed 3 --steps 150 --overlay over.toml");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Contains("150 weeks") && Contains("run.seed=3") &&
                            Contains("symptoms.bipolar_relapse_per_year=0.3"));
  // docs/SCENARIOS.md: with --steps 52, an entry at week 104 is refused.
  const CommandResult short_run = ripple_in(dir.path(), "validate story.toml --steps 52");
  INFO(short_run.output);
  CHECK(short_run.exit_code == 2);
  CHECK_THAT(short_run.output, StartsWith("ripple: error: ") && Contains("104"));
}

TEST_CASE("the thread count shown and stored is the one the run could use", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", kTinyScenario);
  const CommandResult run = ripple_in(dir.path(), "run tiny.toml --threads 100000 -o out.h5");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Contains(" threads, ") && !Contains("100000"));
  const io::RunReader reader{dir / "out.h5"};
  CHECK(reader.meta().threads >= 1);
  CHECK(reader.meta().threads < 100000);
}

TEST_CASE("info says plainly when a run kept no per-person records", "[app]") {
  TempDir dir;
  write_file(dir / "tiny.toml", std::string(kTinyScenario) + "\n[output]\nlevel = \"none\"\n");
  REQUIRE(ripple_in(dir.path(), "run tiny.toml -q -o none.h5").exit_code == 0);
  const CommandResult info = ripple_in(dir.path(), "info none.h5");
  INFO(info.output);
  CHECK(info.exit_code == 0);
  CHECK_THAT(info.output, Contains("no per-person records were kept") && !Contains("(weeks )"));
}

// docs/OUTPUT.md: the scenario text, the overrides and the seed of /meta rerun a run
// exactly (resolved_params alone would lose the timeline).
TEST_CASE("the scenario text, overrides and seed in /meta rerun a run exactly", "[app]") {
  TempDir dir;
  write_file(dir / "story.toml",
             "[population]\npersons = 400\n[run]\nweeks = 30\n\n[[timeline]]\nweek = 5\nset = "
             "{ \"services.cmhc.admin_share\" = 0.6 }\n");
  write_file(dir / "over.toml", "[symptoms]\nbipolar_relapse_per_year = 0.3\n");
  const CommandResult first =
      ripple_in(dir.path(),
                "run story.toml --seed 99 --steps 12 --overlay over.toml --set "
                "'output.level=\"recovery\"' -q -o first.h5");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);

  const io::RunReader original{dir / "first.h5"};
  const io::RunMeta meta = original.meta();
  // The overlay's file is named, beside its values in the overrides.
  CHECK(meta.overlay_path == "over.toml");
  CHECK_THAT(ripple_in(dir.path(), "info first.h5").output, Contains("--overlay   over.toml"));
  write_file(dir / "again.toml", meta.scenario_text);
  std::string args = "run again.toml -q -o again.h5 --seed " + std::to_string(meta.seed);
  std::istringstream overrides(meta.overrides);
  for (std::string line; std::getline(overrides, line);)
    if (!line.empty()) args += " --set " + testing::quoted(line);
  const CommandResult again = ripple_in(dir.path(), args);
  INFO(args << "\n" << again.output);
  REQUIRE(again.exit_code == 0);

  const io::RunReader rerun{dir / "again.h5"};
  CHECK(rerun.meta().overlay_path.empty());
  CHECK(rerun.summary_steps() == original.summary_steps());
  REQUIRE(rerun.summary_names() == original.summary_names());
  for (const std::string& name : original.summary_names()) {
    INFO(name);
    CHECK(rerun.summary(name) == original.summary(name));
  }
  CHECK(rerun.events().size() == original.events().size());
}

}  // namespace ripple::testing
