// The run file: what goes in comes back out, the write-then-rename contract, and
// the messages a user sees for files that cannot be written or read.
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/errors.hpp"
#include "support/tmpdir.hpp"

namespace ripple::io {

// Field-by-field equality and printing so Catch can compare and show records.
bool operator==(const Event& a, const Event& b) {
  return a.step == b.step && a.kind == b.kind && a.person == b.person && a.other == b.other &&
         a.magnitude == b.magnitude;
}
bool operator==(const SocialTieRecord& a, const SocialTieRecord& b) {
  return a.person == b.person && a.other == b.other && a.relation == b.relation &&
         a.kind == b.kind && a.strength == b.strength;
}
bool operator==(const BelongingRecord& a, const BelongingRecord& b) {
  return a.person == b.person && a.arena == b.arena && a.arena_kind == b.arena_kind &&
         a.standing == b.standing;
}
bool operator==(const HelpingRecord& a, const HelpingRecord& b) {
  return a.person == b.person && a.worker == b.worker && a.service == b.service &&
         a.alliance == b.alliance && a.continuity_weeks == b.continuity_weeks;
}
std::ostream& operator<<(std::ostream& out, const Event& e) {
  return out << fmt::format("Event{{step={}, kind={}, person={}, other={}, magnitude={}}}", e.step,
                            e.kind, e.person, e.other, e.magnitude);
}
std::ostream& operator<<(std::ostream& out, const SocialTieRecord& t) {
  return out << fmt::format("Social{{{}, {}, {}, {}, {}}}", t.person, t.other, t.relation, t.kind,
                            t.strength);
}
std::ostream& operator<<(std::ostream& out, const BelongingRecord& t) {
  return out << fmt::format("Belonging{{{}, {}, {}, {}}}", t.person, t.arena, t.arena_kind,
                            t.standing);
}
std::ostream& operator<<(std::ostream& out, const HelpingRecord& t) {
  return out << fmt::format("Helping{{{}, {}, {}, {}, {}}}", t.person, t.worker, t.service,
                            t.alliance, t.continuity_weeks);
}

}  // namespace ripple::io

namespace {

namespace io = ripple::io;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using ripple::InputError;
using ripple::testing::run_command;
using ripple::testing::TempDir;
using ripple::testing::write_file;

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// A small run that touches every part of the file: 5 persons, 4 recorded,
// 10 summary steps of 3 variables, 3 time-series records, 6 events of 4 kinds
// and one tie snapshot.
struct SampleRun {
  io::Layout layout;
  io::RunMeta meta;
  io::PersonTable persons;
  std::vector<std::int64_t> summary_steps;
  std::vector<std::vector<double>> summary;  // [variable][step]
  std::vector<std::int64_t> record_steps;
  std::vector<std::vector<std::vector<float>>> records;  // [record][variable][person]
  std::vector<io::Event> events;
  std::int64_t snapshot_step = 5;
  std::vector<io::SocialTieRecord> social;
  std::vector<io::BelongingRecord> belonging;
  std::vector<io::HelpingRecord> helping;
  std::string finished = "2024-05-01T12:03:07Z";
  double wall_seconds = 187.25;
};

SampleRun sample_run() {
  SampleRun run;
  run.layout.summary = {{"mean_hope", "1", "mean hope score of all persons (0 to 1)"},
                        {"employed_share", "1", "share of persons in paid work"},
                        {"inpatients", "persons", "persons in hospital"}};
  run.layout.timeseries = {{"hope", "1", "hope score (0 to 1)"},
                           {"symptoms", "1", "symptom severity (0 to 1)"}};
  run.layout.recorded = {3, 7, 11, 19};
  run.layout.event_kinds.names = {"job_gained", "job_lost", "admission", "discharge"};
  run.layout.relation_names = {"partner", "family", "friend"};
  run.layout.tie_kind_names = {"strong", "weak"};
  run.layout.arena_kind_names = {"work", "club"};
  run.layout.service_names = {"cmhc", "peer_support"};

  run.meta.scenario_path = "scenarios/baseline.toml";
  run.meta.scenario_text = "# Baseline — “five people”\n[population]\nsize = 5\n";
  run.meta.resolved_params = "population.size = 5\nseed = 18446744073709551600\n";
  run.meta.timeline = "week 4: open a clubhouse\n";
  run.meta.overrides = "population.size=5\n";
  run.meta.seed = 18446744073709551600ull;  // above 2^63, so a signed type would show
  run.meta.threads = 4;
  run.meta.steps = 10;
  run.meta.version = "0.1.0";
  run.meta.git_commit = "0123456789ab";
  run.meta.started = "2024-05-01T12:00:00Z";

  run.persons.id = {3, 7, 11, 19, 23};
  run.persons.columns = {{"age", "years", "age at the start"}, {"sex", "code", "0=female, 1=male"}};
  run.persons.values = {{34, 51, 19, 66, 42}, {0, 1, 1, 0, -1}};

  run.summary.resize(run.layout.summary.size());
  for (std::int64_t step = 0; step < 10; ++step) {
    run.summary_steps.push_back(step);
    for (std::size_t v = 0; v < run.summary.size(); ++v) {
      run.summary[v].push_back(std::sin(0.7 * static_cast<double>(step) + static_cast<double>(v)));
    }
  }
  for (std::int64_t step : {0, 4, 8}) {
    run.record_steps.push_back(step);
    std::vector<std::vector<float>> record(run.layout.timeseries.size());
    for (std::size_t v = 0; v < record.size(); ++v) {
      for (std::size_t p = 0; p < run.layout.recorded.size(); ++p) {
        record[v].push_back(static_cast<float>(step) / 3.0f + static_cast<float>(v) +
                            0.125f * static_cast<float>(p));
      }
    }
    run.records.push_back(record);
  }
  run.events = {{1, 0, 3, kNone, 1.0f}, {2, 2, 7, 11, 0.5f},    {2, 3, 11, kNone, 0.25f},
                {6, 1, 19, 3, -0.75f},  {9, 2, 3, kNone, 2.5f}, {9, 3, 3, 7, 0.0f}};
  run.social = {{3, 7, 0, 0, 0.9f}, {7, 11, 2, 1, 0.3f}, {19, 3, 1, 0, 0.55f}};
  run.belonging = {{3, 100, 0, 0.75f}, {11, 101, 1, 0.2f}};
  run.helping = {{7, 500, 0, 0.6f, 12}, {19, 501, 1, 0.45f, 3}};
  return run;
}

// Everything but finish(), so tests can look at the file before it.
void write_body(io::RunWriter& writer, const SampleRun& run) {
  writer.write_persons(run.persons);
  for (std::size_t s = 0; s < run.summary_steps.size(); ++s) {
    std::vector<double> values;
    for (const std::vector<double>& variable : run.summary) values.push_back(variable[s]);
    writer.append_summary(run.summary_steps[s], values);
    if (run.summary_steps[s] == run.snapshot_step) {
      writer.append_ties(run.snapshot_step, run.social, run.belonging, run.helping);
    }
  }
  for (std::size_t r = 0; r < run.record_steps.size(); ++r) {
    writer.append_timeseries(run.record_steps[r], run.records[r]);
  }
  writer.append_events(std::span(run.events).first(2));
  writer.append_events(std::span(run.events).subspan(2));
}

void write_sample(const SampleRun& run, const fs::path& path) {
  io::RunWriter writer(path, run.layout, run.meta);
  write_body(writer, run);
  writer.finish(run.finished, run.wall_seconds);
}

fs::path part_of(const fs::path& path) { return fs::path(path.string() + ".part"); }

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Copies `from` to `to`, keeping only its first `size` bytes.
void copy_truncated(const fs::path& from, const fs::path& to, std::size_t size) {
  write_file(to, read_bytes(from).substr(0, size));
}

std::string reader_error(const fs::path& path) {
  try {
    io::RunReader reader(path);
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("RunReader accepted " << path);
  return {};
}

// Runs a Python script with the interpreter the project's analysis code uses.
ripple::testing::CommandResult run_python(const TempDir& dir, const std::string& script) {
  const fs::path file = write_file(dir / "check.py", script);
  return run_command(fmt::format("'{}' '{}'", RIPPLE_PYTHON, file.string()));
}

}  // namespace

TEST_CASE("a run file reads back exactly what was written", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  write_sample(run, path);

  const io::RunReader reader(path);
  const io::RunMeta meta = reader.meta();
  CHECK(meta.scenario_path == run.meta.scenario_path);
  CHECK(meta.scenario_text == run.meta.scenario_text);
  CHECK(meta.resolved_params == run.meta.resolved_params);
  CHECK(meta.timeline == run.meta.timeline);
  CHECK(meta.overrides == run.meta.overrides);
  CHECK(meta.seed == run.meta.seed);
  CHECK(meta.threads == run.meta.threads);
  CHECK(meta.steps == run.meta.steps);
  CHECK(meta.version == run.meta.version);
  CHECK(meta.git_commit == run.meta.git_commit);
  CHECK(meta.started == run.meta.started);
  CHECK(reader.finished() == run.finished);
  CHECK(reader.wall_seconds() == run.wall_seconds);

  const io::PersonTable persons = reader.persons();
  CHECK(persons.id == run.persons.id);
  REQUIRE(persons.columns.size() == run.persons.columns.size());
  for (std::size_t c = 0; c < persons.columns.size(); ++c) {
    CHECK(persons.columns[c].name == run.persons.columns[c].name);
    CHECK(persons.columns[c].unit == run.persons.columns[c].unit);
    CHECK(persons.columns[c].description == run.persons.columns[c].description);
  }
  CHECK(persons.values == run.persons.values);

  CHECK(reader.summary_names() ==
        std::vector<std::string>{"mean_hope", "employed_share", "inpatients"});
  CHECK(reader.summary_steps() == run.summary_steps);
  for (std::size_t v = 0; v < run.layout.summary.size(); ++v) {
    CHECK(reader.summary(run.layout.summary[v].name) == run.summary[v]);
  }

  CHECK(reader.timeseries_names() == std::vector<std::string>{"hope", "symptoms"});
  CHECK(reader.timeseries_steps() == run.record_steps);
  CHECK(reader.recorded_persons() == run.layout.recorded);
  for (std::size_t v = 0; v < run.layout.timeseries.size(); ++v) {
    std::vector<std::vector<float>> expected;
    for (const auto& record : run.records) expected.push_back(record[v]);
    CHECK(reader.timeseries(run.layout.timeseries[v].name) == expected);
  }

  CHECK(reader.event_kind_names() == run.layout.event_kinds.names);
  CHECK(reader.events() == run.events);

  CHECK(reader.tie_snapshot_steps() == std::vector<std::int64_t>{run.snapshot_step});
  CHECK(reader.social_ties(run.snapshot_step) == run.social);
  CHECK(reader.belonging_ties(run.snapshot_step) == run.belonging);
  CHECK(reader.helping_ties(run.snapshot_step) == run.helping);
}

TEST_CASE("appends that span several write blocks all reach the file in order", "[io]") {
  TempDir dir;
  SampleRun run = sample_run();
  const fs::path path = dir / "long.h5";
  constexpr int kSteps = 1000;    // nearly four blocks of 256 summary rows
  constexpr int kEvents = 10000;  // more than two blocks of 4096 events
  std::vector<io::Event> events;
  {
    io::RunWriter writer(path, run.layout, run.meta);
    for (int step = 0; step < kSteps; ++step) {
      const double x = step;
      const std::vector<double> values{x, -x, x * 0.5};
      writer.append_summary(step, values);
      const io::Event event{step, static_cast<std::uint8_t>(step % 4),
                            static_cast<std::uint32_t>(step), kNone, 0.5f};
      for (int e = 0; e < kEvents / kSteps; ++e) events.push_back(event);
      writer.append_events(std::span(events).last(kEvents / kSteps));
    }
    writer.finish(run.finished, run.wall_seconds);
  }
  const io::RunReader reader(path);
  const std::vector<std::int64_t> steps = reader.summary_steps();
  const std::vector<double> negated = reader.summary("employed_share");
  REQUIRE(steps.size() == kSteps);
  REQUIRE(negated.size() == kSteps);
  for (int step = 0; step < kSteps; ++step) {
    CHECK(steps[step] == step);
    CHECK(negated[step] == -static_cast<double>(step));
  }
  CHECK(reader.events() == events);
}

TEST_CASE("a run is written as .part and appears under its name only when finished", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  {
    io::RunWriter writer(path, run.layout, run.meta);
    write_body(writer, run);
    CHECK(writer.final_path() == path);
    CHECK(fs::exists(part_of(path)));
    CHECK_FALSE(fs::exists(path));
    writer.finish(run.finished, run.wall_seconds);
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(part_of(path)));
  }
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(part_of(path)));
  CHECK(io::RunReader(path).finished() == run.finished);
}

TEST_CASE("an unfinished writer leaves no file behind and an older run untouched", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";

  SECTION("no earlier run") {
    {
      io::RunWriter writer(path, run.layout, run.meta);
      write_body(writer, run);
      REQUIRE(fs::exists(part_of(path)));
    }
    CHECK_FALSE(fs::exists(part_of(path)));
    CHECK_FALSE(fs::exists(path));
  }
  SECTION("an earlier run of the same name") {
    write_file(path, "earlier run");
    {
      io::RunWriter writer(path, run.layout, run.meta);
      write_body(writer, run);
      CHECK(read_bytes(path) == "earlier run");
    }
    CHECK(read_bytes(path) == "earlier run");
    CHECK_FALSE(fs::exists(part_of(path)));
  }
  SECTION("an earlier run is replaced by finish") {
    write_file(path, "earlier run");
    write_sample(run, path);
    CHECK(io::RunReader(path).summary_steps() == run.summary_steps);
  }
}

TEST_CASE("a second writer of the same name fails and leaves the first one's file alone", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  io::RunWriter first(path, run.layout, run.meta);
  REQUIRE(fs::exists(part_of(path)));
  CHECK_THROWS_AS(io::RunWriter(path, run.layout, run.meta), InputError);
  // The failed writer must not remove the .part the first one is writing.
  REQUIRE(fs::exists(part_of(path)));
  write_body(first, run);
  first.finish(run.finished, run.wall_seconds);
  CHECK(io::RunReader(path).summary_steps() == run.summary_steps);
}

TEST_CASE("the same run written twice gives the same bytes", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  write_sample(run, dir / "a.h5");
  // HDF5 can stamp objects with times in whole seconds; writing the second file
  // in a later second makes any such stamp show up as a difference.
  std::this_thread::sleep_until(
      std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()));
  write_sample(run, dir / "b.h5");
  const std::string a = read_bytes(dir / "a.h5");
  CHECK(a.size() > 1000);
  CHECK((a == read_bytes(dir / "b.h5")));
}

TEST_CASE("a run with no recorded persons keeps an empty /timeseries", "[io]") {
  TempDir dir;
  SampleRun run = sample_run();
  run.layout.recorded.clear();
  const fs::path path = dir / "run.h5";
  {
    io::RunWriter writer(path, run.layout, run.meta);
    writer.append_timeseries(0, std::vector<std::vector<float>>(run.layout.timeseries.size()));
    writer.finish(run.finished, run.wall_seconds);
  }
  const io::RunReader reader(path);
  CHECK(reader.timeseries_names().empty());
  CHECK(reader.timeseries_steps().empty());
  CHECK(reader.recorded_persons().empty());
  CHECK(reader.persons().id.empty());
  CHECK_THROWS_WITH(reader.timeseries("hope"),
                    Contains(path.string()) && Contains("no time-series variable 'hope'"));
}

TEST_CASE("asking for a variable or snapshot the run lacks names it and what is there", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  write_sample(run, path);
  const io::RunReader reader(path);
  CHECK_THROWS_MATCHES(
      reader.summary("mean_hop"), InputError,
      Catch::Matchers::Message(path.string() +
                               ": has no summary variable 'mean_hop'; it has: mean_hope, "
                               "employed_share, inpatients"));
  CHECK_THROWS_WITH(reader.timeseries("mean_hope"),
                    Contains("no time-series variable 'mean_hope'") && Contains("hope, symptoms"));
  CHECK_THROWS_WITH(reader.social_ties(6), Contains(path.string()) &&
                                               Contains("no tie snapshot at step 6") &&
                                               Contains("steps: 5"));
}

TEST_CASE("files that are not complete run files are refused with their path", "[io]") {
  TempDir dir;
  const fs::path valid = dir / "valid.h5";
  write_sample(sample_run(), valid);
  const std::size_t size = fs::file_size(valid);

  SECTION("missing") {
    const fs::path path = dir / "missing.h5";
    CHECK_THAT(reader_error(path),
               Contains(path.string()) && Contains("No such file or directory"));
  }
  SECTION("a directory") {
    CHECK_THAT(reader_error(dir.path()),
               Contains(dir.path().string()) && Contains("is a directory"));
  }
  SECTION("not HDF5") {
    const fs::path path = write_file(dir / "notes.h5", "population.size = 5\nthis is text\n");
    CHECK(reader_error(path) ==
          path.string() + ": is not a Ripple run file (it is not an HDF5 file)");
  }
  SECTION("cut in half") {
    const fs::path path = dir / "half.h5";
    copy_truncated(valid, path, size / 2);
    CHECK_THAT(reader_error(path), Contains(path.string() + ": is truncated or corrupt"));
  }
  SECTION("cut to a few bytes") {
    const fs::path path = dir / "stub.h5";
    copy_truncated(valid, path, 5);
    CHECK(reader_error(path) == path.string() + ": is truncated or corrupt (only 5 bytes long)");
  }
  SECTION("cut just after the signature") {
    const fs::path path = dir / "stub.h5";
    copy_truncated(valid, path, 12);
    CHECK_THAT(reader_error(path), Contains(path.string() + ": is truncated or corrupt"));
  }
  SECTION("empty") {
    const fs::path path = write_file(dir / "empty.h5", "");
    CHECK(reader_error(path) == path.string() + ": is truncated or corrupt (only 0 bytes long)");
  }
}

TEST_CASE("an HDF5 file of another program or format version is refused", "[io][python]") {
  TempDir dir;
  const fs::path path = dir / "run.h5";
  SECTION("another format version") {
    write_sample(sample_run(), path);
    const auto result =
        run_python(dir, fmt::format("import h5py, numpy\n"
                                    "with h5py.File('{}', 'r+') as f:\n"
                                    "    f.attrs['format_version'] = numpy.int32(2)\n",
                                    path.string()));
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(reader_error(path) ==
          path.string() + ": was written by format version 2; this Ripple reads version 1");
  }
  SECTION("another program's HDF5 file") {
    const auto result = run_python(dir, fmt::format("import h5py\n"
                                                    "with h5py.File('{}', 'w') as f:\n"
                                                    "    f['x'] = [1, 2, 3]\n",
                                                    path.string()));
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(reader_error(path), Contains(path.string() + ": is not a Ripple run file") &&
                                       Contains("format_version"));
  }
}

TEST_CASE("a run that cannot be created or moved into place says why", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();

  SECTION("missing folder") {
    const fs::path path = dir / "no-such-folder" / "run.h5";
    CHECK_THROWS_MATCHES(io::RunWriter(path, run.layout, run.meta), InputError,
                         Catch::Matchers::Predicate<InputError>([&](const InputError& e) {
                           const std::string message = e.what();
                           return message.find(path.string()) == 0 &&
                                  message.find("No such file or directory") != std::string::npos;
                         }));
  }
  SECTION("the name is taken by a folder") {
    const fs::path path = dir / "run.h5";
    fs::create_directory(path);
    write_file(path / "keep.txt", "keep");
    CHECK_THROWS_WITH(io::RunWriter(path, run.layout, run.meta),
                      Contains(path.string() + ": is a folder"));
    CHECK_FALSE(fs::exists(part_of(path)));
    CHECK(read_bytes(path / "keep.txt") == "keep");
  }
  SECTION("the name is taken by something that is not a plain file") {
    // A pipe stands for a device such as /dev/full, which renaming would replace.
    const fs::path path = dir / "run.h5";
    REQUIRE(mkfifo(path.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(io::RunWriter(path, run.layout, run.meta),
                      Contains(path.string() + ": exists and is not a plain file"));
    CHECK(fs::is_fifo(path));
    CHECK_FALSE(fs::exists(part_of(path)));
  }
  SECTION("a folder appears under the name during the run") {
    const fs::path path = dir / "run.h5";
    io::RunWriter writer(path, run.layout, run.meta);
    write_body(writer, run);
    fs::create_directory(path);
    write_file(path / "keep.txt", "keep");
    CHECK_THROWS_WITH(writer.finish(run.finished, run.wall_seconds),
                      Contains(path.string() + ": could not rename") && Contains("Is a directory"));
    CHECK(read_bytes(path / "keep.txt") == "keep");
  }
}

// setrlimit(RLIMIT_FSIZE) makes writes past the limit fail with EFBIG, as a full
// disk fails with ENOSPC. It is set in a child process so the test runner keeps
// its own limit; the child sends the error message back through a pipe.
TEST_CASE("a full disk names the run and the system reason and leaves no file", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  // 0: the first write, while the file is created, fails (HDF5 has made the
  // file by then, and it must not be left behind).
  const rlim_t limit_bytes = GENERATE(rlim_t{0}, rlim_t{64 * 1024});

  const auto write_too_much = [&](bool one_large_write) {
    io::RunWriter writer(path, run.layout, run.meta);
    if (one_large_write) {
      io::PersonTable persons;
      persons.columns = {{"age", "years", "age"}};
      persons.values.resize(1);
      for (std::uint32_t i = 0; i < 100000; ++i) {
        persons.id.push_back(i);
        persons.values[0].push_back(static_cast<std::int32_t>(i % 97));
      }
      writer.write_persons(persons);
    } else {
      for (int step = 0; step < 20000; ++step) {
        const double x = std::sin(step);
        const std::vector<double> values{x, x * x, x * x * x};
        writer.append_summary(step, values);
      }
    }
    writer.finish(run.finished, run.wall_seconds);
  };

  const bool one_large_write = GENERATE(true, false);
  INFO("one large write: " << one_large_write << ", file size limit " << limit_bytes);
  int channel[2];
  REQUIRE(pipe(channel) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(channel[0]);
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{limit_bytes, limit_bytes};
    int code = 0;
    std::string message;
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
      code = 3;
    } else {
      try {
        write_too_much(one_large_write);
        code = 2;
      } catch (const InputError& error) {
        message = error.what();
      } catch (const std::exception& error) {
        message = error.what();
        code = 1;
      }
    }
    const ssize_t written = write(channel[1], message.data(), message.size());
    _exit(written == static_cast<ssize_t>(message.size()) ? code : 4);
  }
  close(channel[1]);
  std::string message;
  char buffer[512];
  ssize_t n = 0;
  while ((n = read(channel[0], buffer, sizeof buffer)) > 0) message.append(buffer, n);
  close(channel[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);

  INFO("child exit code (0 InputError, 1 other error, 2 no error, 3 setrlimit failed): "
       << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  INFO("message: " << message);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(message, Contains(path.string() + ": could not") && Contains("File too large"));
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(part_of(path)));
}

TEST_CASE("a run file opens in h5py and xarray as docs/OUTPUT.md describes", "[io][python]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  write_sample(run, path);

  // The expected values go in as Python literals; "{}" prints the shortest text
  // that reads back as the same double.
  std::string script = fmt::format("path = '{}'\n", path.string());
  script += fmt::format("summary_steps = [{}]\n", fmt::join(run.summary_steps, ", "));
  script += "summary = {}\n";
  for (std::size_t v = 0; v < run.layout.summary.size(); ++v) {
    script += fmt::format("summary['{}'] = [{}]\n", run.layout.summary[v].name,
                          fmt::join(run.summary[v], ", "));
  }
  script += fmt::format("hope = [{}]\n",
                        fmt::join(run.records[1][0].begin(), run.records[1][0].end(), ", "));
  script += fmt::format("seed = {}\n", run.meta.seed);
  script += R"PY(
import sys
import h5py
import numpy as np
import xarray as xr

failures = []
def check(condition, what):
    if not condition:
        failures.append(what)

with h5py.File(path, "r") as f:
    check(f.attrs["format_version"] == 1, "format_version")
    check(f.attrs["software"] == "ripple", "software")
    check(sorted(f) == ["events", "meta", "persons", "summary", "ties", "timeseries"],
          f"groups {list(f)}")

    meta = f["meta"]
    check(meta.attrs["seed"] == seed and meta.attrs["seed"].dtype == np.uint64, "seed")
    check(meta.attrs["threads"] == 4 and meta.attrs["steps"] == 10, "threads, steps")
    check(meta.attrs["scenario_path"] == "scenarios/baseline.toml", "scenario_path")
    check(meta.attrs["finished"] == "2024-05-01T12:03:07Z", "finished")
    check(meta.attrs["wall_seconds"] == 187.25, "wall_seconds")
    check(meta["scenario_text"].asstr()[()].startswith("# Baseline — “five people”"),
          "scenario_text")

    s = f["summary"]
    check(list(s) == ["step", "mean_hope", "employed_share", "inpatients"], f"summary {list(s)}")
    check(s["step"].dtype == np.int64 and s["step"].maxshape == (None,), "summary step")
    check(h5py.h5ds.is_scale(s["step"].id), "summary step is a dimension scale")
    for name, values in summary.items():
        ds = s[name]
        check(ds.dtype == np.float64 and ds.shape == (10,) and ds.maxshape == (None,),
              f"{name} {ds.dtype} {ds.shape} {ds.maxshape}")
        check(list(ds.dims[0].keys()) == ["step"] and ds.dims[0][0].name == "/summary/step",
              f"{name} dims")
        check(np.array_equal(ds[()], values), f"{name} values {ds[()]}")
    check(s["inpatients"].attrs["units"] == "persons", "units")
    check(s["inpatients"].attrs["long_name"] == "persons in hospital", "long_name")

    p = f["persons"]
    check(p["id"].dtype == np.uint32 and list(p["id"][()]) == [3, 7, 11, 19, 23], "persons id")
    check(p["age"].dtype == np.int32 and list(p["age"].dims[0].keys()) == ["person"], "age")

    t = f["timeseries"]
    ds = t["hope"]
    check(ds.dtype == np.float32 and ds.shape == (3, 4) and ds.maxshape == (None, 4),
          f"hope {ds.dtype} {ds.shape} {ds.maxshape}")
    check(ds.chunks == (1, 4) and ds.compression == "gzip" and ds.compression_opts == 4
          and ds.shuffle, "hope storage")
    check(list(ds.dims[0].keys()) == ["record_step"] and list(ds.dims[1].keys()) == ["person"],
          "hope dims")
    check(list(t["step"][()]) == [0, 4, 8] and list(t["person"][()]) == [3, 7, 11, 19],
          "timeseries scales")
    check(np.array_equal(ds[1], np.array(hope, dtype=np.float32)), f"hope[1] {ds[1]}")

    ev = f["events/events"]
    kinds = {"job_gained": 0, "job_lost": 1, "admission": 2, "discharge": 3}
    check(ev.dtype.names == ("step", "kind", "person", "other", "magnitude"), f"{ev.dtype}")
    check(h5py.check_enum_dtype(ev.dtype["kind"]) == kinds, "events kind enum")
    check(h5py.check_enum_dtype(f["events/kind_t"].dtype) == kinds, "kind_t")
    check(ev.shape == (6,) and ev.maxshape == (None,) and ev.compression == "gzip", "events")
    check(list(ev["kind"]) == [0, 2, 3, 1, 2, 3], f"kinds {list(ev['kind'])}")
    check(list(ev["other"]) == [0xFFFFFFFF, 11, 0xFFFFFFFF, 3, 0xFFFFFFFF, 7], "other")

    ties = f["ties"]
    check(list(ties.attrs["relation_names"]) == ["partner", "family", "friend"], "relations")
    check(list(ties.attrs["service_names"]) == ["cmhc", "peer_support"], "services")
    check(ties["social"].dtype.names ==
          ("step", "person", "other", "relation", "kind", "strength"), "social fields")
    check(ties["helping"]["continuity_weeks"].tolist() == [12, 3], "helping")
    check(list(ties["snapshot_steps"][()]) == [5], "snapshot_steps")

with xr.open_dataset(path, group="summary", engine="h5netcdf") as ds:
    check(ds["mean_hope"].dims == ("step",), f"xarray dims {ds['mean_hope'].dims}")
    check(list(ds["step"].values) == summary_steps, "xarray step")
    check(np.array_equal(ds["mean_hope"].values, summary["mean_hope"]), "xarray values")
    check(ds["inpatients"].attrs["units"] == "persons", "xarray units")
with xr.open_dataset(path, group="timeseries", engine="h5netcdf") as ds:
    check(ds["hope"].dims == ("step", "person"), f"xarray timeseries dims {ds['hope'].dims}")
    check(list(ds["person"].values) == [3, 7, 11, 19], "xarray person")

if failures:
    print("failed:", *failures, sep="\n  ")
    sys.exit(1)
print("ok")
)PY";
  const auto result = run_python(dir, script);
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Matchers::EndsWith("ok\n"));
}

TEST_CASE("persons' names and one time-series record read back", "[io]") {
  TempDir dir;
  SampleRun run = sample_run();
  run.persons.names = {"Ada", "", "Bo", "", "Cy"};
  const fs::path path = dir / "run.h5";
  write_sample(run, path);
  const io::RunReader reader(path);
  CHECK(reader.persons().names == run.persons.names);
  for (std::size_t r = 0; r < run.records.size(); ++r) {
    CHECK(reader.timeseries_record("hope", r) == run.records[r][0]);
    CHECK(reader.timeseries_record("symptoms", r) == run.records[r][1]);
  }
  CHECK_THROWS_WITH(reader.timeseries_record("hope", 3),
                    Contains(path.string()) && Contains("no record 3") && Contains("it has 3"));
}

TEST_CASE("tie snapshots at several steps are each read alone", "[io]") {
  TempDir dir;
  const SampleRun run = sample_run();
  const fs::path path = dir / "run.h5";
  const std::vector<std::int64_t> steps{2, 5, 9};
  // Snapshot s has s + 1 social ties, 2 - s belonging ties and one helping tie.
  const auto social = [](std::size_t s) {
    std::vector<io::SocialTieRecord> ties;
    for (std::uint32_t i = 0; i <= s; ++i)
      ties.push_back(
          {i, 10 * (static_cast<std::uint32_t>(s) + 1), 0, 1, 0.1f * static_cast<float>(i)});
    return ties;
  };
  const auto belonging = [](std::size_t s) {
    std::vector<io::BelongingRecord> ties;
    for (std::uint32_t i = 0; i + s < 2; ++i)
      ties.push_back({i, 100 + static_cast<std::uint32_t>(s), 1, 0.5f});
    return ties;
  };
  const auto helping = [](std::size_t s) {
    return std::vector<io::HelpingRecord>{
        {static_cast<std::uint32_t>(s), 500, 0, 0.25f, static_cast<std::int32_t>(s)}};
  };
  {
    io::RunWriter writer(path, run.layout, run.meta);
    for (std::size_t s = 0; s < steps.size(); ++s)
      writer.append_ties(steps[s], social(s), belonging(s), helping(s));
    writer.finish(run.finished, run.wall_seconds);
  }
  const io::RunReader reader(path);
  CHECK(reader.tie_snapshot_steps() == steps);
  for (std::size_t s = 0; s < steps.size(); ++s) {
    INFO("snapshot at step " << steps[s]);
    CHECK(reader.social_ties(steps[s]) == social(s));
    CHECK(reader.belonging_ties(steps[s]) == belonging(s));
    CHECK(reader.helping_ties(steps[s]) == helping(s));
  }
}
