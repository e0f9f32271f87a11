// The HDF5 run file: what the engine hands to the writer, and what readers get back.
// The layout is documented in docs/OUTPUT.md. This header knows no model words
// beyond names and codes passed in as data, so the writer stays a plain container.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ripple::io {

inline constexpr int kFormatVersion = 1;  // bump when the layout changes incompatibly

struct RunMeta {
  std::string scenario_path;
  std::string scenario_text;    // the file as the user wrote it
  std::string resolved_params;  // TOML of every parameter after overrides
  std::string timeline;         // one line per intervention, plain words
  std::string overrides;        // the --set arguments, one per line
  std::string overlay_path;     // the --overlay file as given, or "" (files before it: "")
  std::uint64_t seed = 0;
  int threads = 0;
  std::int64_t steps = 0;
  std::string version;     // Ripple version
  std::string git_commit;  // commit Ripple was built from ("unknown" outside git)
  std::string started;     // ISO 8601 UTC
};

// A named variable with its unit and meaning, stored as HDF5 attributes.
struct Variable {
  std::string name;
  std::string unit;
  std::string description;
};

// Static attributes of persons, one entry per person, written once to /persons.
struct PersonTable {
  std::vector<std::uint32_t> id;
  std::vector<Variable> columns;                  // names of the code columns below
  std::vector<std::vector<std::int32_t>> values;  // values[c][row]
  // The scenario's name for each person ("" for a generated person), written as the text
  // dataset /persons/name; an empty vector writes no names (files from before names).
  std::vector<std::string> names;
};

// The event kinds, stored as an HDF5 enum type: names[k] is kind k.
struct EventKinds {
  std::vector<std::string> names;
};

struct Event {
  std::int32_t step;
  std::uint8_t kind;
  std::uint32_t person;
  std::uint32_t other;  // 0xFFFFFFFF when there is no other party
  float magnitude;
};

struct SocialTieRecord {
  std::uint32_t person, other;
  std::uint8_t relation, kind;
  float strength;
};
struct BelongingRecord {
  std::uint32_t person, arena;
  std::uint8_t arena_kind;
  float standing;
};
struct HelpingRecord {
  std::uint32_t person, worker;
  std::uint8_t service;
  float alliance;
  std::int32_t continuity_weeks;
};

struct Layout {
  std::vector<Variable> summary;        // /summary/<name>, float64 over step
  std::vector<Variable> timeseries;     // /timeseries/<name>, float32 [record][person]
  std::vector<std::uint32_t> recorded;  // persons with time series, events, tie snapshots
  EventKinds event_kinds;
  std::vector<std::string> relation_names;    // codes of SocialTieRecord::relation
  std::vector<std::string> tie_kind_names;    // codes of SocialTieRecord::kind
  std::vector<std::string> arena_kind_names;  // codes of BelongingRecord::arena_kind
  std::vector<std::string> service_names;     // codes of HelpingRecord::service
};

// Call first in main(), before any other HDF5 call. HDF5 1.10 closes what is still
// open when the program ends; after a close that failed (a full disk) it still
// holds the file's id, whose memory it has freed, and crashes there (exit 139
// instead of 2). The writer and readers close everything they open, so that
// cleanup has nothing else to do.
void skip_hdf5_cleanup_at_exit();

// Refuses (ripple::InputError) a run file name that a finished run, renamed over it,
// would destroy: a folder, or anything that exists and is not a plain file (a device, a
// pipe, a socket). `shown` is how messages name it, e.g. "-o out.h5" on the command line.
void check_replaceable(const std::filesystem::path& path, const std::string& shown);

// Writes one run. The file is created as "<final>.part" beside the final path and
// renamed to `final` only by finish(); destroying an unfinished writer removes it.
// Every method throws ripple::InputError naming the path and the system error
// when writing fails (e.g. a full disk).
class RunWriter {
 public:
  RunWriter(std::filesystem::path final_path, Layout layout, const RunMeta& meta);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void write_persons(const PersonTable& persons);
  // One value per Layout::summary entry, in that order.
  void append_summary(std::int64_t step, std::span<const double> values);
  // columns[v][r]: variable v of recorded person r.
  void append_timeseries(std::int64_t step, const std::vector<std::vector<float>>& columns);
  void append_events(std::span<const Event> events);
  void append_ties(std::int64_t step, std::span<const SocialTieRecord> social,
                   std::span<const BelongingRecord> belonging,
                   std::span<const HelpingRecord> helping);
  // Free-form end-of-run attributes for /meta (e.g. wall time).
  void finish(const std::string& finished_timestamp, double wall_seconds);

  const std::filesystem::path& final_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a run file. Throws ripple::InputError (naming the path) for a missing,
// truncated or corrupt file, or one written in another format version.
class RunReader {
 public:
  explicit RunReader(const std::filesystem::path& path);
  ~RunReader();
  RunReader(RunReader&&) noexcept;
  RunReader& operator=(RunReader&&) noexcept;

  RunMeta meta() const;
  std::string finished() const;
  double wall_seconds() const;
  std::vector<std::string> summary_names() const;
  std::vector<std::int64_t> summary_steps() const;
  std::vector<double> summary(const std::string& name) const;  // throws InputError if absent
  std::vector<std::string> timeseries_names() const;
  std::vector<std::int64_t> timeseries_steps() const;
  std::vector<std::uint32_t> recorded_persons() const;
  // All records of one variable: result[record][person index in recorded_persons()].
  std::vector<std::vector<float>> timeseries(const std::string& name) const;
  std::vector<Event> events() const;
  std::vector<std::string> event_kind_names() const;
  PersonTable persons() const;
  std::vector<std::int64_t> tie_snapshot_steps() const;
  // The ties of the snapshot taken at `step`; throws InputError if there is none.
  std::vector<SocialTieRecord> social_ties(std::int64_t step) const;
  std::vector<BelongingRecord> belonging_ties(std::int64_t step) const;
  std::vector<HelpingRecord> helping_ties(std::int64_t step) const;
  // One record of one time-series variable: value per person of recorded_persons().
  std::vector<float> timeseries_record(const std::string& name, std::size_t record) const;
  // A code-name list of /ties: "relation_names", "tie_kind_names", "arena_kind_names"
  // or "service_names".
  std::vector<std::string> tie_code_names(const std::string& attribute) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ripple::io
