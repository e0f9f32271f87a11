// Writes one run file in the layout of docs/OUTPUT.md.
//
// Rows that arrive a step at a time (summary values, events) are buffered and
// written in blocks: extending an HDF5 dataset costs far more than one step's
// data. Time-series records and tie snapshots are large already and go straight
// to disk. Objects are created without modification times, so the same run
// gives the same bytes.
#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "io/hdf5_util.hpp"
#include "io/run_file.hpp"
#include "ripple/errors.hpp"

namespace ripple::io {
namespace {

using detail::Handle;

constexpr std::size_t kSummaryBlockRows = 256;
constexpr std::size_t kEventBlockRows = 4096;
constexpr hsize_t kStepChunkRows = 1024;
constexpr hsize_t kRecordChunkRows = 4096;  // events and tie records
constexpr hsize_t kMaxPersonChunk = 16384;
constexpr unsigned kDeflateLevel = 4;

std::int32_t step32(std::int64_t step) {
  RIPPLE_CHECK(step >= std::numeric_limits<std::int32_t>::min() &&
                   step <= std::numeric_limits<std::int32_t>::max(),
               fmt::format("step {} does not fit the int32 step field of events and ties", step));
  return static_cast<std::int32_t>(step);
}

// Names become HDF5 link names and must not collide with the step and person
// scales; the engine builds them from fixed lists, so a bad one is a bug.
void check_names(const std::vector<std::string>& names, const std::set<std::string>& reserved,
                 const char* what) {
  std::set<std::string> seen;
  for (const std::string& name : names) {
    RIPPLE_CHECK(!name.empty() && name != "." && name.find('/') == std::string::npos,
                 fmt::format("{} name '{}' cannot be an HDF5 name", what, name));
    RIPPLE_CHECK(!reserved.contains(name), fmt::format("{} name '{}' is reserved", what, name));
    RIPPLE_CHECK(seen.insert(name).second, fmt::format("{} name '{}' appears twice", what, name));
  }
}

std::vector<std::string> names_of(const std::vector<Variable>& variables) {
  std::vector<std::string> names;
  for (const Variable& variable : variables) names.push_back(variable.name);
  return names;
}

}  // namespace

struct RunWriter::Impl {
  std::filesystem::path final_path;
  std::filesystem::path part_path;
  Layout layout;
  bool created = false;
  bool finished = false;
  bool persons_written = false;

  Handle file;
  Handle string_type;
  Handle meta_group, summary_group, persons_group, timeseries_group, events_group, ties_group;

  Handle summary_step;
  std::vector<Handle> summary_vars;
  std::vector<std::int64_t> pending_summary_steps;
  std::vector<std::vector<double>> pending_summary;  // [variable][row]
  hsize_t summary_rows = 0;
  std::optional<std::int64_t> last_summary_step;

  Handle timeseries_step, timeseries_person;
  std::vector<Handle> timeseries_vars;
  hsize_t timeseries_rows = 0;
  std::optional<std::int64_t> last_timeseries_step;

  Handle kind_type, event_memory_type, events;
  std::vector<Event> pending_events;
  hsize_t event_rows = 0;

  Handle social_memory_type, belonging_memory_type, helping_memory_type;
  Handle social, belonging, helping, snapshot_steps;
  hsize_t social_rows = 0, belonging_rows = 0, helping_rows = 0, snapshot_rows = 0;
  std::optional<std::int64_t> last_snapshot_step;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // An unfinished file is thrown away. Closing makes HDF5 write what it has
  // cached, which fails again on a full disk; the failure is ignored (the error
  // has been reported). HDF5 1.10 then keeps the file's id although it has freed
  // the file, so main() turns off HDF5's cleanup at exit, which would crash on it.
  ~Impl() {
    if (finished) return;
    for (Handle* handle : objects()) handle->reset();
    file.reset();
    std::error_code ignored;
    if (created && is_our_file(part_path)) std::filesystem::remove(part_path, ignored);
  }

  // Only a plain file is removed: never what a symlink points to.
  static bool is_our_file(const std::filesystem::path& path) {
    std::error_code ignored;
    return std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ignored));
  }

  // Every open object except the file, datasets before the types and groups
  // they live in.
  std::vector<Handle*> objects() {
    std::vector<Handle*> all;
    for (Handle& handle : summary_vars) all.push_back(&handle);
    for (Handle& handle : timeseries_vars) all.push_back(&handle);
    for (Handle* handle : {&summary_step,
                           &timeseries_step,
                           &timeseries_person,
                           &events,
                           &social,
                           &belonging,
                           &helping,
                           &snapshot_steps,
                           &kind_type,
                           &event_memory_type,
                           &social_memory_type,
                           &belonging_memory_type,
                           &helping_memory_type,
                           &string_type,
                           &meta_group,
                           &summary_group,
                           &persons_group,
                           &timeseries_group,
                           &events_group,
                           &ties_group}) {
      all.push_back(handle);
    }
    return all;
  }

  [[noreturn]] void fail(const std::string& action, int saved_errno) const {
    throw InputError(
        fmt::format("{}: {}: {}", final_path.string(), action, detail::hdf5_reason(saved_errno)));
  }

  // errno is cleared after each successful call so that, when a call fails,
  // errno can only come from that call.
  template <class Result>
  Result ok(Result result, const std::string& action) const {
    if (result < 0) fail(action, errno);
    errno = 0;
    return result;
  }

  Handle open(hid_t id, Handle::Closer close, const std::string& action) const {
    return Handle(ok(id, action), close);
  }

  Handle object_plist(hid_t plist_class, const std::string& where) const {
    Handle plist = open(H5Pcreate(plist_class), H5Pclose, "could not write " + where);
    ok(H5Pset_obj_track_times(plist.get(), false), "could not write " + where);
    return plist;
  }

  void create_file() {
    const std::string action = "could not create " + part_path.string();
    Handle fcpl = object_plist(H5P_FILE_CREATE, part_path.string());
    ok(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
       action);
    Handle fapl = open(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, action);
    ok(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), action);
    ok(detail::lock_if_possible(fapl.get()), action);
    // Set before the call when there was no such file: HDF5 may have made the file when
    // creating it fails (a full disk), and it must not be left behind. A .part that is
    // already there is either left by a run that was killed (H5Fcreate takes it over) or
    // still being written by another run, which holds its lock: it is not ours to remove
    // if the call fails.
    std::error_code exists_error;
    created = !std::filesystem::exists(part_path, exists_error);
    errno = 0;
    file = open(H5Fcreate(part_path.string().c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                H5Fclose, action);
    created = true;
    string_type = detail::utf8_string_type();
  }

  // Groups remember the order their members were created in, so readers list
  // variables in the order the model declared them.
  Handle create_group(const std::string& path) const {
    const std::string action = "could not write " + path;
    Handle gcpl = object_plist(H5P_GROUP_CREATE, path);
    ok(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
       action);
    return open(H5Gcreate2(file.get(), path.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                H5Gclose, action);
  }

  // An empty `chunk` gives a fixed-size contiguous dataset; otherwise the first
  // dimension is extendible.
  Handle create_dataset(hid_t group, const std::string& group_path, const std::string& name,
                        hid_t file_type, const std::vector<hsize_t>& dims,
                        const std::vector<hsize_t>& chunk, bool compress) const {
    const std::string action = "could not write " + group_path + "/" + name;
    std::vector<hsize_t> max_dims = dims;
    if (!chunk.empty()) max_dims[0] = H5S_UNLIMITED;
    Handle space =
        open(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()),
             H5Sclose, action);
    Handle dcpl = object_plist(H5P_DATASET_CREATE, group_path + "/" + name);
    if (!chunk.empty()) {
      ok(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), action);
    }
    if (compress) {
      ok(H5Pset_shuffle(dcpl.get()), action);
      ok(H5Pset_deflate(dcpl.get(), kDeflateLevel), action);
    }
    return open(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(),
                           H5P_DEFAULT),
                H5Dclose, action);
  }

  void write_attribute(hid_t object, const std::string& where, const char* name, hid_t file_type,
                       hid_t memory_type, const void* value) const {
    const std::string action = fmt::format("could not write attribute {} of {}", name, where);
    Handle space = open(H5Screate(H5S_SCALAR), H5Sclose, action);
    Handle attribute =
        open(H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
             action);
    ok(H5Awrite(attribute.get(), memory_type, value), action);
  }

  void write_string_attribute(hid_t object, const std::string& where, const char* name,
                              const std::string& value) const {
    const char* text = value.c_str();
    write_attribute(object, where, name, string_type.get(), string_type.get(), &text);
  }

  void write_string_array_attribute(hid_t object, const std::string& where, const char* name,
                                    const std::vector<std::string>& values) const {
    const std::string action = fmt::format("could not write attribute {} of {}", name, where);
    std::vector<const char*> texts;
    for (const std::string& value : values) texts.push_back(value.c_str());
    const hsize_t count = texts.size();
    Handle space = open(H5Screate_simple(1, &count, nullptr), H5Sclose, action);
    Handle attribute =
        open(H5Acreate2(object, name, string_type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
             H5Aclose, action);
    if (count > 0) ok(H5Awrite(attribute.get(), string_type.get(), texts.data()), action);
  }

  void write_text_dataset(const char* name, const std::string& value) const {
    const std::string action = fmt::format("could not write /meta/{}", name);
    Handle space = open(H5Screate(H5S_SCALAR), H5Sclose, action);
    Handle dcpl = object_plist(H5P_DATASET_CREATE, fmt::format("/meta/{}", name));
    Handle dataset = open(H5Dcreate2(meta_group.get(), name, string_type.get(), space.get(),
                                     H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                          H5Dclose, action);
    const char* text = value.c_str();
    ok(H5Dwrite(dataset.get(), string_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), action);
  }

  void describe(hid_t dataset, const std::string& where, const Variable& variable) const {
    write_string_attribute(dataset, where, "units", variable.unit);
    write_string_attribute(dataset, where, "long_name", variable.description);
  }

  void attach(hid_t dataset, hid_t scale, unsigned dimension, const std::string& where) const {
    ok(H5DSattach_scale(dataset, scale, dimension), "could not write dimension scales of " + where);
  }

  // Writes rows [first, first + count) of a dataset extendible along dimension
  // 0; `row_size` is the fixed size of the other dimension for 2-D datasets.
  void append_rows(hid_t dataset, const std::string& where, hid_t memory_type, hsize_t first,
                   hsize_t count, const void* data, hsize_t row_size = 0) const {
    if (count == 0) return;
    const std::string action = "could not write " + where;
    const int rank = row_size == 0 ? 1 : 2;
    const hsize_t extent[2] = {first + count, row_size};
    const hsize_t start[2] = {first, 0};
    const hsize_t block[2] = {count, row_size};
    ok(H5Dset_extent(dataset, extent), action);
    Handle file_space = open(H5Dget_space(dataset), H5Sclose, action);
    ok(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr),
       action);
    Handle memory_space = open(H5Screate_simple(rank, block, nullptr), H5Sclose, action);
    ok(H5Dwrite(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data),
       action);
  }

  void write_meta(const RunMeta& meta) {
    meta_group = create_group("/meta");
    const hid_t group = meta_group.get();
    write_string_attribute(group, "/meta", "scenario_path", meta.scenario_path);
    write_string_attribute(group, "/meta", "overlay_path", meta.overlay_path);
    write_string_attribute(group, "/meta", "version", meta.version);
    write_string_attribute(group, "/meta", "git_commit", meta.git_commit);
    write_string_attribute(group, "/meta", "started", meta.started);
    write_attribute(group, "/meta", "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &meta.seed);
    write_attribute(group, "/meta", "threads", H5T_STD_I32LE, H5T_NATIVE_INT, &meta.threads);
    write_attribute(group, "/meta", "steps", H5T_STD_I64LE, H5T_NATIVE_INT64, &meta.steps);
    write_text_dataset("scenario_text", meta.scenario_text);
    write_text_dataset("resolved_params", meta.resolved_params);
    write_text_dataset("timeline", meta.timeline);
    write_text_dataset("overrides", meta.overrides);
  }

  void create_summary() {
    summary_group = create_group("/summary");
    summary_step = create_dataset(summary_group.get(), "/summary", "step", H5T_STD_I64LE, {0},
                                  {kStepChunkRows}, false);
    ok(H5DSset_scale(summary_step.get(), "step"), "could not write /summary/step");
    for (const Variable& variable : layout.summary) {
      const std::string where = "/summary/" + variable.name;
      summary_vars.push_back(create_dataset(summary_group.get(), "/summary", variable.name,
                                            H5T_IEEE_F64LE, {0}, {kStepChunkRows}, false));
      describe(summary_vars.back().get(), where, variable);
      attach(summary_vars.back().get(), summary_step.get(), 0, where);
    }
    pending_summary.resize(layout.summary.size());
  }

  void create_timeseries() {
    timeseries_group = create_group("/timeseries");
    if (layout.recorded.empty()) return;
    const hsize_t persons = layout.recorded.size();
    timeseries_step = create_dataset(timeseries_group.get(), "/timeseries", "step", H5T_STD_I64LE,
                                     {0}, {kStepChunkRows}, false);
    ok(H5DSset_scale(timeseries_step.get(), "record_step"), "could not write /timeseries/step");
    timeseries_person = create_dataset(timeseries_group.get(), "/timeseries", "person",
                                       H5T_STD_U32LE, {persons}, {}, false);
    ok(H5DSset_scale(timeseries_person.get(), "person"), "could not write /timeseries/person");
    ok(H5Dwrite(timeseries_person.get(), H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                layout.recorded.data()),
       "could not write /timeseries/person");
    for (const Variable& variable : layout.timeseries) {
      const std::string where = "/timeseries/" + variable.name;
      timeseries_vars.push_back(create_dataset(timeseries_group.get(), "/timeseries", variable.name,
                                               H5T_IEEE_F32LE, {0, persons},
                                               {1, std::min(persons, kMaxPersonChunk)}, true));
      describe(timeseries_vars.back().get(), where, variable);
      attach(timeseries_vars.back().get(), timeseries_step.get(), 0, where);
      attach(timeseries_vars.back().get(), timeseries_person.get(), 1, where);
    }
  }

  void create_events() {
    events_group = create_group("/events");
    const std::string action = "could not write /events/kind_t";
    kind_type = open(H5Tenum_create(H5T_NATIVE_UINT8), H5Tclose, action);
    for (std::size_t k = 0; k < layout.event_kinds.names.size(); ++k) {
      const auto value = static_cast<std::uint8_t>(k);
      ok(H5Tenum_insert(kind_type.get(), layout.event_kinds.names[k].c_str(), &value), action);
    }
    Handle tcpl = object_plist(H5P_DATATYPE_CREATE, "/events/kind_t");
    ok(H5Tcommit2(events_group.get(), "kind_t", kind_type.get(), H5P_DEFAULT, tcpl.get(),
                  H5P_DEFAULT),
       action);
    event_memory_type = detail::event_type(kind_type.get(), false);
    Handle file_type = detail::event_type(kind_type.get(), true);
    events = create_dataset(events_group.get(), "/events", "events", file_type.get(), {0},
                            {kRecordChunkRows}, true);
  }

  void create_ties() {
    ties_group = create_group("/ties");
    const hid_t group = ties_group.get();
    write_string_array_attribute(group, "/ties", "relation_names", layout.relation_names);
    write_string_array_attribute(group, "/ties", "tie_kind_names", layout.tie_kind_names);
    write_string_array_attribute(group, "/ties", "arena_kind_names", layout.arena_kind_names);
    write_string_array_attribute(group, "/ties", "service_names", layout.service_names);
    social_memory_type = detail::social_type(false);
    belonging_memory_type = detail::belonging_type(false);
    helping_memory_type = detail::helping_type(false);
    social = create_dataset(group, "/ties", "social", detail::social_type(true).get(), {0},
                            {kRecordChunkRows}, true);
    belonging = create_dataset(group, "/ties", "belonging", detail::belonging_type(true).get(), {0},
                               {kRecordChunkRows}, true);
    helping = create_dataset(group, "/ties", "helping", detail::helping_type(true).get(), {0},
                             {kRecordChunkRows}, true);
    snapshot_steps = create_dataset(group, "/ties", "snapshot_steps", H5T_STD_I64LE, {0},
                                    {kStepChunkRows}, false);
  }

  void flush_summary() {
    const hsize_t count = pending_summary_steps.size();
    append_rows(summary_step.get(), "/summary/step", H5T_NATIVE_INT64, summary_rows, count,
                pending_summary_steps.data());
    for (std::size_t v = 0; v < summary_vars.size(); ++v) {
      append_rows(summary_vars[v].get(), "/summary/" + layout.summary[v].name, H5T_NATIVE_DOUBLE,
                  summary_rows, count, pending_summary[v].data());
      pending_summary[v].clear();
    }
    summary_rows += count;
    pending_summary_steps.clear();
  }

  void flush_events() {
    append_rows(events.get(), "/events/events", event_memory_type.get(), event_rows,
                pending_events.size(), pending_events.data());
    event_rows += pending_events.size();
    pending_events.clear();
  }

  void check_writable() const {
    RIPPLE_CHECK(!finished, "RunWriter used after finish()");
    RIPPLE_CHECK(file.valid(), "RunWriter used after a failed finish()");
  }
};

void check_replaceable(const std::filesystem::path& path, const std::string& shown) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status) || std::filesystem::is_regular_file(status)) return;
  if (std::filesystem::is_directory(status))
    throw InputError(fmt::format("{}: is a folder; give the name of the run file, e.g. {}/out.h5",
                                 shown, path.string()));
  throw InputError(
      fmt::format("{}: exists and is not a plain file (a device, a pipe or a socket); a run file "
                  "would replace it. Give another name.",
                  shown));
}

RunWriter::RunWriter(std::filesystem::path final_path, Layout layout, const RunMeta& meta)
    : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  w.final_path = std::move(final_path);
  w.part_path = w.final_path;
  w.part_path += ".part";
  w.layout = std::move(layout);
  check_names(names_of(w.layout.summary), {"step"}, "summary variable");
  check_names(names_of(w.layout.timeseries), {"step", "person"}, "time-series variable");
  check_names(w.layout.event_kinds.names, {}, "event kind");
  RIPPLE_CHECK(w.layout.event_kinds.names.size() <= 256, "more than 256 event kinds");

  check_replaceable(w.final_path, w.final_path.string());

  detail::silence_hdf5_errors();
  w.create_file();
  const int format_version = kFormatVersion;
  w.write_attribute(w.file.get(), "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT,
                    &format_version);
  w.write_string_attribute(w.file.get(), "/", "software", "ripple");
  w.write_meta(meta);
  w.create_summary();
  w.persons_group = w.create_group("/persons");
  w.create_timeseries();
  w.create_events();
  w.create_ties();
}

RunWriter::~RunWriter() = default;

const std::filesystem::path& RunWriter::final_path() const { return impl_->final_path; }

void RunWriter::write_persons(const PersonTable& persons) {
  Impl& w = *impl_;
  w.check_writable();
  RIPPLE_CHECK(!w.persons_written, "write_persons called twice");
  RIPPLE_CHECK(persons.columns.size() == persons.values.size(),
               "PersonTable has a different number of columns and value vectors");
  for (const std::vector<std::int32_t>& column : persons.values) {
    RIPPLE_CHECK(column.size() == persons.id.size(), "PersonTable column of the wrong length");
  }
  check_names(names_of(persons.columns), {"id", "name"}, "person column");
  w.persons_written = true;

  const hsize_t count = persons.id.size();
  const hid_t group = w.persons_group.get();
  Handle id = w.create_dataset(group, "/persons", "id", H5T_STD_U32LE, {count}, {}, false);
  w.ok(H5DSset_scale(id.get(), "person"), "could not write /persons/id");
  if (count > 0) {
    w.ok(H5Dwrite(id.get(), H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, persons.id.data()),
         "could not write /persons/id");
  }
  for (std::size_t c = 0; c < persons.columns.size(); ++c) {
    const std::string where = "/persons/" + persons.columns[c].name;
    Handle column = w.create_dataset(group, "/persons", persons.columns[c].name, H5T_STD_I32LE,
                                     {count}, {}, false);
    w.describe(column.get(), where, persons.columns[c]);
    w.attach(column.get(), id.get(), 0, where);
    if (count > 0) {
      w.ok(H5Dwrite(column.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    persons.values[c].data()),
           "could not write " + where);
    }
    if (!column.reset()) w.fail("could not write " + where, errno);
  }
  if (!persons.names.empty()) {
    RIPPLE_CHECK(persons.names.size() == persons.id.size(),
                 "PersonTable names of the wrong length");
    const std::string where = "/persons/name";
    Handle names =
        w.create_dataset(group, "/persons", "name", w.string_type.get(), {count}, {}, false);
    w.describe(names.get(), where,
               {"name", "text", "The scenario's name for the person (\"\" if generated)"});
    w.attach(names.get(), id.get(), 0, where);
    std::vector<const char*> texts;
    for (const std::string& name : persons.names) texts.push_back(name.c_str());
    if (count > 0) {
      w.ok(H5Dwrite(names.get(), w.string_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()),
           "could not write " + where);
    }
    if (!names.reset()) w.fail("could not write " + where, errno);
  }
  if (!id.reset()) w.fail("could not write /persons/id", errno);
}

void RunWriter::append_summary(std::int64_t step, std::span<const double> values) {
  Impl& w = *impl_;
  w.check_writable();
  RIPPLE_CHECK(values.size() == w.layout.summary.size(),
               fmt::format("append_summary got {} values for {} summary variables", values.size(),
                           w.layout.summary.size()));
  RIPPLE_CHECK(!w.last_summary_step || step > *w.last_summary_step,
               fmt::format("summary step {} does not follow step {}", step,
                           w.last_summary_step.value_or(0)));
  w.last_summary_step = step;
  w.pending_summary_steps.push_back(step);
  for (std::size_t v = 0; v < values.size(); ++v) w.pending_summary[v].push_back(values[v]);
  if (w.pending_summary_steps.size() >= kSummaryBlockRows) w.flush_summary();
}

void RunWriter::append_timeseries(std::int64_t step,
                                  const std::vector<std::vector<float>>& columns) {
  Impl& w = *impl_;
  w.check_writable();
  RIPPLE_CHECK(columns.size() == w.layout.timeseries.size(),
               fmt::format("append_timeseries got {} columns for {} variables", columns.size(),
                           w.layout.timeseries.size()));
  for (const std::vector<float>& column : columns) {
    RIPPLE_CHECK(column.size() == w.layout.recorded.size(),
                 fmt::format("append_timeseries got {} values for {} recorded persons",
                             column.size(), w.layout.recorded.size()));
  }
  RIPPLE_CHECK(!w.last_timeseries_step || step > *w.last_timeseries_step,
               fmt::format("time-series step {} does not follow step {}", step,
                           w.last_timeseries_step.value_or(0)));
  w.last_timeseries_step = step;
  if (w.layout.recorded.empty()) return;

  const hsize_t persons = w.layout.recorded.size();
  w.append_rows(w.timeseries_step.get(), "/timeseries/step", H5T_NATIVE_INT64, w.timeseries_rows, 1,
                &step);
  for (std::size_t v = 0; v < columns.size(); ++v) {
    w.append_rows(w.timeseries_vars[v].get(), "/timeseries/" + w.layout.timeseries[v].name,
                  H5T_NATIVE_FLOAT, w.timeseries_rows, 1, columns[v].data(), persons);
  }
  ++w.timeseries_rows;
}

void RunWriter::append_events(std::span<const Event> events) {
  Impl& w = *impl_;
  w.check_writable();
  for (const Event& event : events) {
    RIPPLE_CHECK(event.kind < w.layout.event_kinds.names.size(),
                 fmt::format("event kind {} is not one of the {} declared kinds", event.kind,
                             w.layout.event_kinds.names.size()));
  }
  w.pending_events.insert(w.pending_events.end(), events.begin(), events.end());
  if (w.pending_events.size() >= kEventBlockRows) w.flush_events();
}

void RunWriter::append_ties(std::int64_t step, std::span<const SocialTieRecord> social,
                            std::span<const BelongingRecord> belonging,
                            std::span<const HelpingRecord> helping) {
  Impl& w = *impl_;
  w.check_writable();
  RIPPLE_CHECK(!w.last_snapshot_step || step > *w.last_snapshot_step,
               fmt::format("tie snapshot step {} does not follow step {}", step,
                           w.last_snapshot_step.value_or(0)));
  w.last_snapshot_step = step;
  const std::int32_t step_field = step32(step);

  std::vector<detail::SocialRow> social_rows;
  for (const SocialTieRecord& tie : social) {
    social_rows.push_back(
        {step_field, tie.person, tie.other, tie.relation, tie.kind, tie.strength});
  }
  std::vector<detail::BelongingRow> belonging_rows;
  for (const BelongingRecord& tie : belonging) {
    belonging_rows.push_back({step_field, tie.person, tie.arena, tie.arena_kind, tie.standing});
  }
  std::vector<detail::HelpingRow> helping_rows;
  for (const HelpingRecord& tie : helping) {
    helping_rows.push_back(
        {step_field, tie.person, tie.worker, tie.service, tie.alliance, tie.continuity_weeks});
  }

  w.append_rows(w.social.get(), "/ties/social", w.social_memory_type.get(), w.social_rows,
                social_rows.size(), social_rows.data());
  w.social_rows += social_rows.size();
  w.append_rows(w.belonging.get(), "/ties/belonging", w.belonging_memory_type.get(),
                w.belonging_rows, belonging_rows.size(), belonging_rows.data());
  w.belonging_rows += belonging_rows.size();
  w.append_rows(w.helping.get(), "/ties/helping", w.helping_memory_type.get(), w.helping_rows,
                helping_rows.size(), helping_rows.data());
  w.helping_rows += helping_rows.size();
  w.append_rows(w.snapshot_steps.get(), "/ties/snapshot_steps", H5T_NATIVE_INT64, w.snapshot_rows,
                1, &step);
  ++w.snapshot_rows;
}

void RunWriter::finish(const std::string& finished_timestamp, double wall_seconds) {
  Impl& w = *impl_;
  w.check_writable();
  w.flush_summary();
  w.flush_events();
  w.write_string_attribute(w.meta_group.get(), "/meta", "finished", finished_timestamp);
  w.write_attribute(w.meta_group.get(), "/meta", "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &wall_seconds);

  // Closing is where HDF5 writes its caches, so a full disk often shows here.
  const std::string action = "could not finish writing " + w.part_path.string();
  for (Handle* handle : w.objects()) {
    errno = 0;
    if (!handle->reset()) w.fail(action, errno);
  }
  errno = 0;
  if (!w.file.reset()) w.fail(action, errno);

  std::error_code error;
  std::filesystem::rename(w.part_path, w.final_path, error);
  if (error) {
    throw InputError(fmt::format("{}: could not rename the finished {} to this name: {}",
                                 w.final_path.string(), w.part_path.string(), error.message()));
  }
  w.finished = true;
}

void skip_hdf5_cleanup_at_exit() { H5dont_atexit(); }

}  // namespace ripple::io
