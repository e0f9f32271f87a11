// Checking run files and writing the sweep index DIR/sweep.h5 (docs/OUTPUT.md).
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "io/hdf5_util.hpp"
#include "ripple/ripple.hpp"
#include "sweep/sweep.hpp"

namespace ripple::sweep {
namespace {

namespace fs = std::filesystem;
using io::detail::Handle;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// Writes sweep.h5; every failing call is reported with the file's name.
class IndexWriter {
 public:
  explicit IndexWriter(const fs::path& path) : path_(path) {
    io::detail::silence_hdf5_errors();
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    check(fcpl.get(), "property list");
    check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "link order");
    file_ =
        Handle(H5Fcreate(path.string().c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose);
    check(file_.get(), "create the file");
  }

  hid_t root() const { return file_.get(); }

  Handle group(hid_t parent, const std::string& name) {
    Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "link order");
    Handle g(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose);
    check(g.get(), "create group " + name);
    return g;
  }

  void text_attribute(hid_t object, const std::string& name, const std::string& value) {
    Handle type = io::detail::utf8_string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    const char* data = value.c_str();
    check(attr.get() >= 0 ? H5Awrite(attr.get(), type.get(), &data) : -1, "attribute " + name);
  }

  void text_list_attribute(hid_t object, const std::string& name,
                           const std::vector<std::string>& values) {
    Handle type = io::detail::utf8_string_type();
    const hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle attr(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    std::vector<const char*> data;
    for (const std::string& v : values) data.push_back(v.c_str());
    check(attr.get() >= 0 ? H5Awrite(attr.get(), type.get(), data.data()) : -1,
          "attribute " + name);
  }

  void u64_attribute(hid_t object, const std::string& name, std::uint64_t value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(
        H5Acreate2(object, name.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    check(attr.get() >= 0 ? H5Awrite(attr.get(), H5T_NATIVE_UINT64, &value) : -1,
          "attribute " + name);
  }

  template <typename T>
  void dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
               const std::vector<T>& values, std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {values.size()};
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle set(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
    check(set.get(), "dataset " + name);
    if (!values.empty())
      check(H5Dwrite(set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "write " + name);
  }

  void text_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
    Handle type = io::detail::utf8_string_type();
    std::vector<const char*> data;
    for (const std::string& v : values) data.push_back(v.c_str());
    dataset(parent, name, type.get(), type.get(), data);
  }

  void external_link(hid_t parent, const std::string& name, const std::string& file) {
    check(H5Lcreate_external(file.c_str(), "/", parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          "link " + name);
  }

  void close() {
    if (!file_.reset()) fail("close the file");
  }

  void check(hid_t status, const std::string& what) const {
    if (status < 0) fail(what);
  }
  [[noreturn]] void fail(const std::string& what) const {
    const int saved = errno;
    throw InputError(fmt::format("{}: could not write the sweep index ({}): {}", path_.string(),
                                 what, io::detail::hdf5_reason(saved)));
  }

 private:
  fs::path path_;
  Handle file_;
};

std::string read_error_note(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.empty() ? "failed (no message)" : text;
}

}  // namespace

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::Pending:
      return "pending";
    case RunStatus::Done:
      return "done";
    case RunStatus::Failed:
      return "failed";
  }
  return "?";
}

std::optional<std::vector<double>> check_run(const fs::path& file, const RunSpec& run,
                                             std::string* why) {
  const auto refuse = [&](const std::string& reason) -> std::optional<std::vector<double>> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  std::error_code error;
  if (!fs::is_regular_file(file, error)) return refuse("no run file");
  try {
    const io::RunReader reader(file);
    const io::RunMeta meta = reader.meta();
    if (meta.seed != run.seed)
      return refuse(fmt::format("seed {} where {} was expected", meta.seed, run.seed));
    if (meta.overrides != joined_lines(run.overrides))
      return refuse("made with other parameter values than this design point");
    if (meta.steps != run.weeks)
      return refuse(fmt::format("{} weeks where {} were expected", meta.steps, run.weeks));
    if (reader.finished().empty()) return refuse("not finished");
    const std::vector<std::int64_t> steps = reader.summary_steps();
    if (steps.empty() || steps.back() != run.weeks) return refuse("its /summary is incomplete");
    std::vector<double> outcomes;
    for (const io::Variable& variable : summary_variables()) {
      const std::vector<double> values = reader.summary(variable.name);
      if (values.size() != steps.size()) return refuse("its /summary is incomplete");
      double sum = 0.0;
      std::size_t count = 0;
      for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i] >= 1) {
          sum += values[i];
          ++count;
        }
      outcomes.push_back(count > 0 ? sum / static_cast<double>(count) : kNaN);
    }
    return outcomes;
  } catch (const InputError& e) {
    return refuse(e.what());
  }
}

IndexSummary write_index(const fs::path& dir, const Plan& plan) {
  IndexSummary summary;
  const std::size_t n = plan.runs.size();
  const auto& variables = summary_variables();
  for (const io::Variable& v : variables) summary.outcome_names.push_back(v.name);
  for (std::size_t i = 0; i < n; ++i) {
    const RunSpec& run = plan.runs[i];
    std::string why;
    if (auto outcomes = check_run(run_path(dir, run), run, &why)) {
      summary.status.push_back(RunStatus::Done);
      summary.errors.emplace_back();
      summary.outcomes.push_back(std::move(*outcomes));
      ++summary.done;
    } else if (fs::exists(error_path(dir, run))) {
      summary.status.push_back(RunStatus::Failed);
      summary.errors.push_back(read_error_note(error_path(dir, run)));
      summary.outcomes.emplace_back(variables.size(), kNaN);
      ++summary.failed;
    } else if (std::error_code ignored; fs::exists(run_path(dir, run), ignored)) {
      // A run file in place that does not check out (cut short, or from other values):
      // runs are renamed into place only when complete, so it is damaged, not pending.
      summary.status.push_back(RunStatus::Failed);
      const std::string file = run_path(dir, run).string();
      summary.errors.push_back(why.find(file) != std::string::npos
                                   ? "damaged run file: " + why
                                   : fmt::format("{}: damaged run file: {}", file, why));
      summary.outcomes.emplace_back(variables.size(), kNaN);
      ++summary.failed;
    } else {
      summary.status.push_back(RunStatus::Pending);
      summary.errors.emplace_back();
      summary.outcomes.emplace_back(variables.size(), kNaN);
      ++summary.pending;
    }
  }

  // Sobol indices from the mean over replications of each design point.
  const std::size_t k = plan.design.keys.size();
  if (plan.spec.design == DesignKind::Saltelli) {
    if (summary.done != n) {
      summary.sobol_note =
          fmt::format("no Sobol indices yet: {} of {} runs are not done", n - summary.done, n);
    } else {
      const auto reps = static_cast<std::size_t>(plan.spec.replications);
      const std::size_t points = plan.design.points.size();
      for (std::size_t o = 0; o < variables.size(); ++o) {
        std::vector<double> y(points, 0.0);
        for (std::size_t i = 0; i < n; ++i)
          y[plan.runs[i].point] += summary.outcomes[i][o] / static_cast<double>(reps);
        summary.sobol.push_back(sobol_indices(y, plan.design.base_samples, k,
                                              static_cast<std::size_t>(plan.spec.bootstrap),
                                              plan.spec.master_seed));
      }
      summary.has_sobol = true;
    }
  }

  const fs::path final_path = dir / "sweep.h5";
  const fs::path part_path = dir / "sweep.h5.part";
  try {
    IndexWriter w(part_path);
    {
      w.text_attribute(w.root(), "sweep_file", plan.spec.text);
      w.text_attribute(w.root(), "base_scenario", plan.base_text);
      w.text_attribute(w.root(), "base_scenario_path", plan.base_path);
      w.u64_attribute(w.root(), "master_seed", plan.spec.master_seed);
      w.text_attribute(w.root(), "design", design_name(plan.spec.design));
      w.text_attribute(w.root(), "ripple_version", version());
      w.text_attribute(w.root(), "git_commit", git_commit());
      w.u64_attribute(w.root(), "replications", static_cast<std::uint64_t>(plan.spec.replications));

      Handle design = w.group(w.root(), "design");
      w.text_list_attribute(design.get(), "parameters", plan.design.keys);
      for (std::size_t j = 0; j < k; ++j) {
        std::vector<double> column;
        for (const RunSpec& run : plan.runs) column.push_back(plan.design.points[run.point][j]);
        w.dataset(design.get(), plan.design.keys[j], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, column);
      }
      std::vector<std::int32_t> replication, point;
      std::vector<std::uint64_t> seed;
      std::vector<std::string> status, file;
      for (std::size_t i = 0; i < n; ++i) {
        replication.push_back(plan.runs[i].replication);
        point.push_back(static_cast<std::int32_t>(plan.runs[i].point));
        seed.push_back(plan.runs[i].seed);
        status.emplace_back(status_name(summary.status[i]));
        file.push_back(plan.runs[i].file);
      }
      w.dataset(design.get(), "point", H5T_STD_I32LE, H5T_NATIVE_INT32, point);
      w.dataset(design.get(), "replication", H5T_STD_I32LE, H5T_NATIVE_INT32, replication);
      w.dataset(design.get(), "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, seed);
      w.text_dataset(design.get(), "status", status);
      w.text_dataset(design.get(), "error", summary.errors);
      w.text_dataset(design.get(), "file", file);

      Handle outcomes = w.group(w.root(), "outcomes");
      for (std::size_t o = 0; o < variables.size(); ++o) {
        std::vector<double> column;
        for (std::size_t i = 0; i < n; ++i) column.push_back(summary.outcomes[i][o]);
        w.dataset(outcomes.get(), variables[o].name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, column);
      }

      Handle runs = w.group(w.root(), "runs");
      for (std::size_t i = 0; i < n; ++i)
        if (summary.status[i] == RunStatus::Done)
          w.external_link(runs.get(), plan.runs[i].name, plan.runs[i].file);

      if (summary.has_sobol) {
        Handle sobol = w.group(w.root(), "sobol");
        w.text_list_attribute(sobol.get(), "parameters", plan.design.keys);
        w.text_list_attribute(sobol.get(), "outcomes", summary.outcome_names);
        w.text_attribute(sobol.get(), "estimators",
                         "first order: Saltelli et al. (2010); total: Jansen (1999); intervals: "
                         "95% percentile bootstrap over the base samples");
        w.u64_attribute(sobol.get(), "base_samples", plan.design.base_samples);
        w.u64_attribute(sobol.get(), "bootstrap", static_cast<std::uint64_t>(plan.spec.bootstrap));
        const std::vector<hsize_t> dims = {variables.size(), k};
        const auto matrix = [&](const char* name, auto member) {
          std::vector<double> values;
          for (const SobolIndices& s : summary.sobol)
            for (std::size_t j = 0; j < k; ++j) values.push_back((s.*member)[j]);
          w.dataset(sobol.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, dims);
        };
        matrix("first_order", &SobolIndices::first);
        matrix("first_order_low", &SobolIndices::first_low);
        matrix("first_order_high", &SobolIndices::first_high);
        matrix("total", &SobolIndices::total);
        matrix("total_low", &SobolIndices::total_low);
        matrix("total_high", &SobolIndices::total_high);
      }
    }  // every group is closed before the file
    w.close();
  } catch (...) {
    // A failed write (a full disk) leaves no part behind; the writer is closed by now.
    std::error_code ignored;
    fs::remove(part_path, ignored);
    throw;
  }
  std::error_code error;
  fs::rename(part_path, final_path, error);
  if (error)
    throw InputError(fmt::format("{}: cannot rename to {}: {}", part_path.string(),
                                 final_path.string(), error.message()));
  return summary;
}

}  // namespace ripple::sweep
