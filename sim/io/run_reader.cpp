// Reads a run file written by run_writer.cpp (layout in docs/OUTPUT.md). Opening
// checks, in order, that the file exists, is HDF5, is complete and is a Ripple
// run of this format version, so each kind of bad file gets its own plain message.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "io/hdf5_util.hpp"
#include "io/run_file.hpp"
#include "ripple/errors.hpp"

namespace ripple::io {
namespace {

using detail::Handle;

std::string join(const std::vector<std::string>& names) {
  return names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

struct RunReader::Impl {
  std::filesystem::path path;
  Handle file;

  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(fmt::format("{}: {}", path.string(), problem));
  }

  [[noreturn]] void corrupt(const std::string& object, int saved_errno) const {
    fail(fmt::format("could not read {}: the file is truncated or corrupt ({})", object,
                     detail::hdf5_reason(saved_errno)));
  }

  [[noreturn]] void malformed(const std::string& object, const std::string& why) const {
    fail(fmt::format("{} {}; the file is not a complete Ripple run file of format version {}",
                     object, why, kFormatVersion));
  }

  template <class Result>
  Result ok(Result result, const std::string& object) const {
    if (result < 0) corrupt(object, errno);
    errno = 0;
    return result;
  }

  Handle open(hid_t id, Handle::Closer close, const std::string& object) const {
    return Handle(ok(id, object), close);
  }

  // /timeseries/<name>, or a message listing the variables the file has.
  Handle open_timeseries(const std::string& name) const {
    const std::vector<std::string> names = variables("/timeseries", {"step", "person"});
    if (std::find(names.begin(), names.end(), name) == names.end())
      fail(fmt::format("has no time-series variable '{}'; it has: {}", name, join(names)));
    return open_dataset("/timeseries/" + name);
  }

  bool exists(const std::string& object) const {
    const htri_t valid = H5LTpath_valid(file.get(), object.c_str(), true);
    H5Eclear2(H5E_DEFAULT);
    return valid > 0;
  }

  Handle open_group(const std::string& object) const {
    if (!exists(object)) malformed("it", "has no group " + object);
    return open(H5Gopen2(file.get(), object.c_str(), H5P_DEFAULT), H5Gclose, object);
  }

  Handle open_dataset(const std::string& object) const {
    if (!exists(object)) malformed("it", "has no dataset " + object);
    return open(H5Dopen2(file.get(), object.c_str(), H5P_DEFAULT), H5Dclose, object);
  }

  // Members in the order they were written; by name if the group does not
  // record creation order.
  std::vector<std::string> members(const std::string& group_path) const {
    Handle group = open_group(group_path);
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
      return 0;
    };
    if (H5Literate(group.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect, &names) < 0) {
      H5Eclear2(H5E_DEFAULT);
      names.clear();
      ok(H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), group_path);
    }
    return names;
  }

  std::vector<std::string> variables(const std::string& group_path,
                                     const std::vector<std::string>& scales) const {
    std::vector<std::string> names = members(group_path);
    std::erase_if(names, [&](const std::string& name) {
      return std::find(scales.begin(), scales.end(), name) != scales.end();
    });
    return names;
  }

  std::vector<hsize_t> shape(hid_t dataset, const std::string& object, int rank) const {
    Handle space = open(H5Dget_space(dataset), H5Sclose, object);
    const int actual = ok(H5Sget_simple_extent_ndims(space.get()), object);
    if (actual != rank) malformed(object, fmt::format("has {} dimensions, not {}", actual, rank));
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    ok(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), object);
    return dims;
  }

  template <class T>
  std::vector<T> read_1d(const std::string& object, hid_t memory_type) const {
    Handle dataset = open_dataset(object);
    std::vector<T> values(shape(dataset.get(), object, 1)[0]);
    if (!values.empty()) {
      ok(H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), object);
    }
    return values;
  }

  // Text written by Ripple is variable-length UTF-8; fixed-length strings are
  // accepted too, so files touched by other tools still read.
  std::vector<std::string> read_strings(hid_t object, bool is_attribute,
                                        const std::string& where) const {
    Handle type = open(is_attribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose, where);
    Handle space =
        open(is_attribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose, where);
    if (H5Tget_class(type.get()) != H5T_STRING) malformed(where, "is not text");
    const auto count =
        static_cast<std::size_t>(ok(H5Sget_simple_extent_npoints(space.get()), where));
    const auto read = [&](hid_t memory_type, void* buffer) {
      if (count == 0) return;
      ok(is_attribute ? H5Aread(object, memory_type, buffer)
                      : H5Dread(object, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer),
         where);
    };
    std::vector<std::string> texts;
    if (ok(H5Tis_variable_str(type.get()), where) > 0) {
      Handle memory_type = detail::utf8_string_type();
      ok(H5Tset_cset(memory_type.get(), H5Tget_cset(type.get())), where);
      std::vector<char*> buffer(count, nullptr);
      read(memory_type.get(), buffer.data());
      for (char* text : buffer) {
        texts.emplace_back(text == nullptr ? "" : text);
        H5free_memory(text);
      }
    } else {
      const std::size_t size = H5Tget_size(type.get());
      std::vector<char> buffer(count * size);
      read(type.get(), buffer.data());
      for (std::size_t i = 0; i < count; ++i) {
        std::string text(buffer.data() + i * size, size);
        text.erase(std::min(text.find('\0'), text.size()));
        texts.push_back(std::move(text));
      }
    }
    return texts;
  }

  bool has_attribute(hid_t object, const std::string& where, const char* name) const {
    return ok(H5Aexists(object, name), where) > 0;
  }

  Handle open_attribute(hid_t object, const std::string& where, const char* name) const {
    if (!has_attribute(object, where, name))
      malformed(where, fmt::format("has no attribute '{}'", name));
    return open(H5Aopen(object, name, H5P_DEFAULT), H5Aclose,
                fmt::format("attribute {} of {}", name, where));
  }

  std::vector<std::string> string_array_attribute(hid_t object, const std::string& where,
                                                  const char* name) const {
    Handle attribute = open_attribute(object, where, name);
    return read_strings(attribute.get(), true, fmt::format("attribute {} of {}", name, where));
  }

  std::string string_attribute(hid_t object, const std::string& where, const char* name) const {
    const std::vector<std::string> texts = string_array_attribute(object, where, name);
    if (texts.size() != 1) malformed(where, fmt::format("has no single text '{}'", name));
    return texts.front();
  }

  template <class T>
  T number_attribute(hid_t object, const std::string& where, const char* name,
                     hid_t memory_type) const {
    Handle attribute = open_attribute(object, where, name);
    const std::string what = fmt::format("attribute {} of {}", name, where);
    Handle type = open(H5Aget_type(attribute.get()), H5Tclose, what);
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) malformed(what, "is not a number");
    T value{};
    ok(H5Aread(attribute.get(), memory_type, &value), what);
    return value;
  }

  std::string text_dataset(const std::string& object) const {
    Handle dataset = open_dataset(object);
    const std::vector<std::string> texts = read_strings(dataset.get(), false, object);
    if (texts.size() != 1) malformed(object, "is not a single text");
    return texts.front();
  }

  template <class Row>
  std::vector<Row> tie_rows(const char* name, hid_t memory_type, std::int64_t step) const {
    const std::vector<std::int64_t> steps =
        read_1d<std::int64_t>("/ties/snapshot_steps", H5T_NATIVE_INT64);
    if (std::find(steps.begin(), steps.end(), step) == steps.end()) {
      fail(fmt::format(
          "has no tie snapshot at step {}; snapshots are at steps: {}", step,
          steps.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(steps, ", "))));
    }
    // The writer appends snapshots in step order, so one snapshot's rows are a run of
    // the table: found by binary search on single rows and read alone. Reading the whole
    // table (every snapshot, decompressed) for each seek cost a replay 0.4 s a week at
    // 10,000 persons. A table out of order (not written by Ripple) is read whole.
    const std::string object = fmt::format("/ties/{}", name);
    Handle dataset = open_dataset(object);
    const hsize_t n = shape(dataset.get(), object, 1)[0];
    Handle file_space = open(H5Dget_space(dataset.get()), H5Sclose, object);
    const auto read_rows = [&](hsize_t start, hsize_t count) {
      std::vector<Row> rows(static_cast<std::size_t>(count));
      if (count == 0) return rows;
      ok(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
         object);
      Handle memory_space = open(H5Screate_simple(1, &count, nullptr), H5Sclose, object);
      ok(H5Dread(dataset.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT,
                 rows.data()),
         object);
      return rows;
    };
    const auto step_at = [&](hsize_t k) {
      return static_cast<std::int64_t>(read_rows(k, 1)[0].step);
    };
    const auto first_row = [&](auto before) {  // first row k with !before(step_at(k))
      hsize_t lo = 0, hi = n;
      while (lo < hi) {
        const hsize_t mid = lo + (hi - lo) / 2;
        if (before(step_at(mid)))
          lo = mid + 1;
        else
          hi = mid;
      }
      return lo;
    };
    const hsize_t begin = first_row([&](std::int64_t s) { return s < step; });
    const hsize_t end = first_row([&](std::int64_t s) { return s <= step; });
    std::vector<Row> rows = read_rows(begin, end - begin);
    const bool in_order = n == 0 || (step_at(0) <= step_at(n - 1) &&
                                     std::all_of(rows.begin(), rows.end(),
                                                 [&](const Row& r) { return r.step == step; }));
    if (in_order) return rows;
    rows = read_1d<Row>(object, memory_type);
    std::erase_if(rows, [&](const Row& row) { return row.step != step; });
    return rows;
  }

  void check_identity() const {
    const hid_t root = file.get();
    const auto not_ripple = [&](const std::string& why) {
      fail(fmt::format("is not a Ripple run file ({})", why));
    };
    if (ok(H5Aexists(root, "format_version"), "/") <= 0) {
      not_ripple("an HDF5 file without the root attribute format_version");
    }
    if (ok(H5Aexists(root, "software"), "/") <= 0 ||
        string_attribute(root, "/", "software") != "ripple") {
      not_ripple("an HDF5 file whose root attribute software is not \"ripple\"");
    }
    const auto version = number_attribute<long long>(root, "/", "format_version", H5T_NATIVE_LLONG);
    if (version != kFormatVersion) {
      fail(fmt::format("was written by format version {}; this Ripple reads version {}", version,
                       kFormatVersion));
    }
  }
};

RunReader::RunReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  Impl& r = *impl_;
  r.path = path;
  detail::silence_hdf5_errors();

  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error) r.fail("cannot open the run file: " + error.message());
  if (std::filesystem::is_directory(status)) r.fail("is a directory, not a Ripple run file");

  std::ifstream in(path, std::ios::binary);
  if (!in) r.fail(fmt::format("cannot open the run file: {}", std::strerror(errno)));
  std::array<char, 8> head{};
  in.read(head.data(), head.size());
  const auto size = static_cast<std::size_t>(in.gcount());
  in.close();
  // A file cut short inside the signature is a broken run file, not a stranger.
  if (size < head.size() && std::memcmp(head.data(), detail::kHdf5Signature, size) == 0) {
    r.fail(fmt::format("is truncated or corrupt (only {} bytes long)", size));
  }
  const htri_t is_hdf5 = H5Fis_hdf5(path.string().c_str());
  H5Eclear2(H5E_DEFAULT);
  if (is_hdf5 <= 0) r.fail("is not a Ripple run file (it is not an HDF5 file)");

  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  RIPPLE_CHECK(fapl.valid() && detail::lock_if_possible(fapl.get()) >= 0,
               "could not make an HDF5 file access property list");
  errno = 0;
  const hid_t file = H5Fopen(path.string().c_str(), H5F_ACC_RDONLY, fapl.get());
  if (file < 0) {
    r.fail(fmt::format("is truncated or corrupt ({})", detail::hdf5_reason(errno)));
  }
  r.file = Handle(file, H5Fclose);
  r.check_identity();
}

RunReader::~RunReader() = default;
RunReader::RunReader(RunReader&&) noexcept = default;
RunReader& RunReader::operator=(RunReader&&) noexcept = default;

RunMeta RunReader::meta() const {
  const Impl& r = *impl_;
  Handle group = r.open_group("/meta");
  const hid_t g = group.get();
  RunMeta meta;
  meta.scenario_path = r.string_attribute(g, "/meta", "scenario_path");
  // Files written before overlays were named have no such attribute: no overlay to name.
  if (r.has_attribute(g, "/meta", "overlay_path"))
    meta.overlay_path = r.string_attribute(g, "/meta", "overlay_path");
  meta.version = r.string_attribute(g, "/meta", "version");
  meta.git_commit = r.string_attribute(g, "/meta", "git_commit");
  meta.started = r.string_attribute(g, "/meta", "started");
  meta.seed = r.number_attribute<std::uint64_t>(g, "/meta", "seed", H5T_NATIVE_UINT64);
  meta.threads = r.number_attribute<int>(g, "/meta", "threads", H5T_NATIVE_INT);
  meta.steps = r.number_attribute<std::int64_t>(g, "/meta", "steps", H5T_NATIVE_INT64);
  meta.scenario_text = r.text_dataset("/meta/scenario_text");
  meta.resolved_params = r.text_dataset("/meta/resolved_params");
  meta.timeline = r.text_dataset("/meta/timeline");
  meta.overrides = r.text_dataset("/meta/overrides");
  return meta;
}

std::string RunReader::finished() const {
  const Impl& r = *impl_;
  Handle group = r.open_group("/meta");
  return r.string_attribute(group.get(), "/meta", "finished");
}

double RunReader::wall_seconds() const {
  const Impl& r = *impl_;
  Handle group = r.open_group("/meta");
  return r.number_attribute<double>(group.get(), "/meta", "wall_seconds", H5T_NATIVE_DOUBLE);
}

std::vector<std::string> RunReader::summary_names() const {
  return impl_->variables("/summary", {"step"});
}

std::vector<std::int64_t> RunReader::summary_steps() const {
  return impl_->read_1d<std::int64_t>("/summary/step", H5T_NATIVE_INT64);
}

std::vector<double> RunReader::summary(const std::string& name) const {
  const Impl& r = *impl_;
  const std::vector<std::string> names = summary_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    r.fail(fmt::format("has no summary variable '{}'; it has: {}", name, join(names)));
  }
  return r.read_1d<double>("/summary/" + name, H5T_NATIVE_DOUBLE);
}

std::vector<std::string> RunReader::timeseries_names() const {
  return impl_->variables("/timeseries", {"step", "person"});
}

std::vector<std::int64_t> RunReader::timeseries_steps() const {
  const Impl& r = *impl_;
  if (!r.exists("/timeseries/step")) return {};  // no persons were recorded
  return r.read_1d<std::int64_t>("/timeseries/step", H5T_NATIVE_INT64);
}

std::vector<std::uint32_t> RunReader::recorded_persons() const {
  const Impl& r = *impl_;
  if (!r.exists("/timeseries/person")) return {};
  return r.read_1d<std::uint32_t>("/timeseries/person", H5T_NATIVE_UINT32);
}

std::vector<std::vector<float>> RunReader::timeseries(const std::string& name) const {
  const Impl& r = *impl_;
  const std::string object = "/timeseries/" + name;
  Handle dataset = r.open_timeseries(name);
  const std::vector<hsize_t> dims = r.shape(dataset.get(), object, 2);
  std::vector<float> flat(dims[0] * dims[1]);
  if (!flat.empty()) {
    r.ok(H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()),
         object);
  }
  std::vector<std::vector<float>> records(dims[0]);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto first = flat.begin() + static_cast<std::ptrdiff_t>(i * dims[1]);
    records[i].assign(first, first + static_cast<std::ptrdiff_t>(dims[1]));
  }
  return records;
}

std::vector<Event> RunReader::events() const {
  const Impl& r = *impl_;
  const std::string object = "/events/events";
  Handle dataset = r.open_dataset(object);
  Handle file_type = r.open(H5Dget_type(dataset.get()), H5Tclose, object);
  if (H5Tget_class(file_type.get()) != H5T_COMPOUND) r.malformed(object, "is not a table");
  const int kind_index = H5Tget_member_index(file_type.get(), "kind");
  if (kind_index < 0) r.malformed(object, "has no field 'kind'");
  Handle kind_file_type = r.open(
      H5Tget_member_type(file_type.get(), static_cast<unsigned>(kind_index)), H5Tclose, object);
  if (H5Tget_class(kind_file_type.get()) != H5T_ENUM)
    r.malformed(object, "field 'kind' is not an enum");
  Handle kind_type =
      r.open(H5Tget_native_type(kind_file_type.get(), H5T_DIR_ASCEND), H5Tclose, object);
  Handle memory_type = detail::event_type(kind_type.get(), false);
  std::vector<Event> events(r.shape(dataset.get(), object, 1)[0]);
  if (!events.empty()) {
    r.ok(H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, events.data()),
         object);
  }
  return events;
}

std::vector<std::string> RunReader::event_kind_names() const {
  const Impl& r = *impl_;
  const std::string object = "/events/kind_t";
  if (!r.exists(object)) r.malformed("it", "has no datatype " + object);
  Handle type = r.open(H5Topen2(r.file.get(), object.c_str(), H5P_DEFAULT), H5Tclose, object);
  if (H5Tget_class(type.get()) != H5T_ENUM || H5Tget_size(type.get()) != 1) {
    r.malformed(object, "is not an enum over uint8");
  }
  const auto count = static_cast<unsigned>(r.ok(H5Tget_nmembers(type.get()), object));
  std::vector<std::string> names(count);
  for (unsigned i = 0; i < count; ++i) {
    std::uint8_t value = 0;
    r.ok(H5Tget_member_value(type.get(), i, &value), object);
    char* name = H5Tget_member_name(type.get(), i);
    if (name == nullptr) r.corrupt(object, errno);
    const bool fits = value < count && names[value].empty();
    if (fits) names[value] = name;
    H5free_memory(name);
    if (!fits) r.malformed(object, "does not number its kinds 0, 1, 2, ...");
  }
  return names;
}

PersonTable RunReader::persons() const {
  const Impl& r = *impl_;
  PersonTable table;
  if (!r.exists("/persons/id")) return table;  // write_persons was never called
  table.id = r.read_1d<std::uint32_t>("/persons/id", H5T_NATIVE_UINT32);
  for (const std::string& name : r.variables("/persons", {"id", "name"})) {
    const std::string object = "/persons/" + name;
    Handle dataset = r.open_dataset(object);
    table.columns.push_back({name, r.string_attribute(dataset.get(), object, "units"),
                             r.string_attribute(dataset.get(), object, "long_name")});
    table.values.push_back(r.read_1d<std::int32_t>(object, H5T_NATIVE_INT32));
    if (table.values.back().size() != table.id.size()) {
      r.malformed(object, "has a different length from /persons/id");
    }
  }
  if (r.exists("/persons/name")) {  // files written before names have none
    Handle dataset = r.open_dataset("/persons/name");
    table.names = r.read_strings(dataset.get(), false, "/persons/name");
    if (table.names.size() != table.id.size())
      r.malformed("/persons/name", "has a different length from /persons/id");
  }
  return table;
}

std::vector<std::int64_t> RunReader::tie_snapshot_steps() const {
  return impl_->read_1d<std::int64_t>("/ties/snapshot_steps", H5T_NATIVE_INT64);
}

std::vector<SocialTieRecord> RunReader::social_ties(std::int64_t step) const {
  Handle type = detail::social_type(false);
  std::vector<SocialTieRecord> ties;
  for (const detail::SocialRow& row :
       impl_->tie_rows<detail::SocialRow>("social", type.get(), step)) {
    ties.push_back({row.person, row.other, row.relation, row.kind, row.strength});
  }
  return ties;
}

std::vector<BelongingRecord> RunReader::belonging_ties(std::int64_t step) const {
  Handle type = detail::belonging_type(false);
  std::vector<BelongingRecord> ties;
  for (const detail::BelongingRow& row :
       impl_->tie_rows<detail::BelongingRow>("belonging", type.get(), step)) {
    ties.push_back({row.person, row.arena, row.arena_kind, row.standing});
  }
  return ties;
}

std::vector<HelpingRecord> RunReader::helping_ties(std::int64_t step) const {
  Handle type = detail::helping_type(false);
  std::vector<HelpingRecord> ties;
  for (const detail::HelpingRow& row :
       impl_->tie_rows<detail::HelpingRow>("helping", type.get(), step)) {
    ties.push_back({row.person, row.worker, row.service, row.alliance, row.continuity_weeks});
  }
  return ties;
}

std::vector<float> RunReader::timeseries_record(const std::string& name, std::size_t record) const {
  const Impl& r = *impl_;
  const std::string object = "/timeseries/" + name;
  Handle dataset = r.open_timeseries(name);
  const std::vector<hsize_t> dims = r.shape(dataset.get(), object, 2);
  if (record >= dims[0]) {
    r.fail(fmt::format("has no record {} of /timeseries/{} (it has {})", record, name, dims[0]));
  }
  std::vector<float> values(dims[1]);
  if (values.empty()) return values;
  Handle file_space = r.open(H5Dget_space(dataset.get()), H5Sclose, object);
  const std::array<hsize_t, 2> start{record, 0}, count{1, dims[1]};
  r.ok(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                           nullptr),
       object);
  const hsize_t length = dims[1];
  Handle memory_space = r.open(H5Screate_simple(1, &length, nullptr), H5Sclose, object);
  r.ok(H5Dread(dataset.get(), H5T_NATIVE_FLOAT, memory_space.get(), file_space.get(), H5P_DEFAULT,
               values.data()),
       object);
  return values;
}

std::vector<std::string> RunReader::tie_code_names(const std::string& attribute) const {
  const Impl& r = *impl_;
  Handle group = r.open_group("/ties");
  return r.string_array_attribute(group.get(), "/ties", attribute.c_str());
}

}  // namespace ripple::io
