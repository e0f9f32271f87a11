// Writing a comparison: the table on stdout, the plain-words summary, CSV and HDF5
// (layout in docs/COMPARE.md).
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <limits>
#include <system_error>

#include "compare/compare.hpp"
#include "io/hdf5_util.hpp"
#include "ripple/outcomes.hpp"
#include "ripple/ripple.hpp"

namespace fs = std::filesystem;

namespace ripple::compare {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Four significant digits, large numbers whole; the CSV and HDF5 keep every digit.
std::string show(double value, bool sign = false) {
  if (!std::isfinite(value)) return "-";
  if (value == 0.0) return sign ? "+0" : "0";
  if (std::fabs(value) >= 1000.0)
    return sign ? fmt::format("{:+.0f}", value) : fmt::format("{:.0f}", value);
  return sign ? fmt::format("{:+.4g}", value) : fmt::format("{:.4g}", value);
}

std::string interval_text(const Interval& interval) {
  if (!std::isfinite(interval.low)) return "-";
  return fmt::format("{} to {}", show(interval.low, true), show(interval.high, true));
}

std::vector<std::string> names(const Result& result) {
  std::vector<std::string> out;
  for (const scenario::Scenario& s : result.configurations) out.push_back(s.name);
  return out;
}

std::string mode_text(const Result& result) {
  return result.options.independent ? "independent seeds" : "common random numbers";
}

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}
std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

std::string format_table(const Result& result) {
  const std::vector<std::string> configs = names(result);
  const std::size_t reps = result.runs.front().size();
  std::string out = fmt::format(
      "Comparison of {} configurations, {} replications each, {} weeks, {} (master seed {})\n"
      "Mean: over replications of each run's mean per week, weeks 1-{}, except the two "
      "whole-run totals.\nDifference: paired by replication, configuration minus {}, with its "
      "95% confidence interval.\n\n",
      configs.size(), reps, result.weeks, mode_text(result), result.options.master_seed,
      result.weeks, configs.front());

  struct Line {
    std::string cells[5];
  };
  std::vector<Line> lines{{{"Outcome", "Configuration", "Mean", "Difference", "95% CI"}}};
  std::vector<bool> first_of_block{false};
  for (const Row& row : key_rows(result)) {
    for (std::size_t k = 0; k < configs.size(); ++k) {
      Line line{{k == 0 ? fmt::format("{} ({})", row.label, row.unit) : "", configs[k],
                 show(row.mean[k].mean), k == 0 ? "" : show(row.difference[k].mean, true),
                 k == 0 ? "" : interval_text(row.difference[k])}};
      lines.push_back(line);
      first_of_block.push_back(k == 0);
    }
  }
  std::size_t width[5] = {};
  for (const Line& line : lines)
    for (std::size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], line.cells[c].size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    std::string text = pad(line.cells[0], width[0]) + "  " + pad(line.cells[1], width[1]) + "  " +
                       pad_left(line.cells[2], width[2]) + "  " +
                       pad_left(line.cells[3], width[3]) + "  " + line.cells[4];
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }

  // Who benefits: the differences by subgroup, one column per configuration.
  if (configs.size() > 1) {
    out += fmt::format(
        "\nWho benefits: difference to {} within subgroups of persons in recovery, formed at "
        "the start\n(mean per week, weeks 1-{}; 95% CI in brackets)\n",
        configs.front(), result.weeks);
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> head{"Subgroup", "Persons", "Outcome"};
    for (std::size_t k = 1; k < configs.size(); ++k) head.push_back(configs[k]);
    table.push_back(head);
    for (const SubgroupRow& sub : subgroup_rows(result)) {
      std::vector<std::string> cells{sub.variable == 0 ? sub.row.label : "",
                                     sub.variable == 0 ? show(sub.size) : "",
                                     subgroup_variables()[sub.variable].name};
      for (std::size_t k = 1; k < configs.size(); ++k)
        cells.push_back(fmt::format("{} ({})", show(sub.row.difference[k].mean, true),
                                    interval_text(sub.row.difference[k])));
      table.push_back(cells);
    }
    std::vector<std::size_t> widths(head.size(), 0);
    for (const auto& cells : table)
      for (std::size_t c = 0; c < cells.size(); ++c)
        widths[c] = std::max(widths[c], cells[c].size());
    for (const auto& cells : table) {
      std::string text;
      for (std::size_t c = 0; c < cells.size(); ++c)
        text += (c == 1 ? pad_left(cells[c], widths[c]) : pad(cells[c], widths[c])) + "  ";
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text + "\n";
    }

    out += fmt::format(
        "\nCost per recovery-year gained against {} (a recovery-year is a year lived in "
        "recovery at full\nrecovery index: persons in recovery x mean recovery index, summed "
        "over weeks / 52):\n",
        configs.front());
    const std::vector<Icer> ratios = icers(result);
    for (std::size_t k = 1; k < configs.size(); ++k) {
      const Icer& ratio = ratios[k];
      out +=
          fmt::format("  {}: extra cost {} NOK (95% CI {}), recovery-years gained {} (95% CI {})",
                      configs[k], show(ratio.cost.mean, true), interval_text(ratio.cost),
                      show(ratio.recovery_years.mean, true), interval_text(ratio.recovery_years));
      if (ratio.ratio)
        out += fmt::format(": {} NOK per recovery-year gained\n", show(*ratio.ratio));
      else
        out += fmt::format(";\n    cost per recovery-year {}\n", ratio.reason);
    }
  }
  return out;
}

std::string plain_summary(const Result& result) {
  const std::vector<std::string> configs = names(result);
  if (configs.size() < 2) return "";
  const std::vector<Row> rows = key_rows(result);
  const auto row = [&](const std::string& key) -> const Row& {
    for (const Row& r : rows)
      if (r.key == key) return r;
    return rows.front();
  };
  const auto change = [&](const std::string& key, const std::string& what, std::size_t k) {
    const Interval& d = row(key).difference[k];
    return fmt::format(
        "{} by {} (95% CI {}{})", what, show(d.mean, true), interval_text(d),
        std::isfinite(d.low) && !d.excludes_zero() ? ", not clearly different from 0" : "");
  };
  const std::vector<Icer> ratios = icers(result);
  std::string out;
  for (std::size_t k = 1; k < configs.size(); ++k) {
    out += fmt::format(
        "Compared with {}, {} changed {}, {}, {} and {}, over {} weeks and {} replications "
        "of the same population ({}).",
        configs.front(), configs[k], change("recovery_index_mean", "the mean recovery index", k),
        change("employed", "the share in work", k), change("admissions", "admissions per week", k),
        change("total_cost", "the total cost in NOK", k), result.weeks, result.runs.front().size(),
        mode_text(result));
    if (ratios[k].ratio)
      out += fmt::format(" That is {} NOK per recovery-year gained.", show(*ratios[k].ratio));
    else
      out += " The cost per recovery-year gained is " + ratios[k].reason + ".";
    out += "\n";
  }
  return out;
}

namespace {

// Writes through a temporary name, renamed over `path` only once complete.
void write_text_file(const fs::path& path, const std::string& text) {
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      const int saved = errno;
      std::error_code ignored;
      fs::remove(partial, ignored);
      throw InputError(fmt::format("{}: cannot write: {}", path.string(), std::strerror(saved)));
    }
  }
  std::error_code error;
  fs::rename(partial, path, error);
  if (error) throw InputError(fmt::format("{}: cannot write: {}", path.string(), error.message()));
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(double value) {
  return std::isfinite(value) ? fmt::format("{:.17g}", value) : "";
}

}  // namespace

void write_csv(const Result& result, const fs::path& path) {
  const std::vector<std::string> configs = names(result);
  std::string text =
      "section,outcome,label,unit,subgroup,persons,configuration,replications,mean,mean_low,"
      "mean_high,difference,difference_low,difference_high\n";
  const auto add = [&](const std::string& section, const Row& row, const std::string& subgroup,
                       double persons) {
    for (std::size_t k = 0; k < configs.size(); ++k) {
      const Interval& m = row.mean[k];
      const Interval& d = row.difference[k];
      const bool paired = k > 0;
      text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", section, row.key,
                          csv_field(row.label), csv_field(row.unit), csv_field(subgroup),
                          csv_number(persons), csv_field(configs[k]), m.n, csv_number(m.mean),
                          csv_number(m.low), csv_number(m.high), csv_number(paired ? d.mean : kNaN),
                          csv_number(paired ? d.low : kNaN), csv_number(paired ? d.high : kNaN));
    }
  };
  for (const Row& row : key_rows(result)) add("outcome", row, "", kNaN);
  for (const SubgroupRow& sub : subgroup_rows(result))
    add("subgroup", sub.row, subgroups()[sub.group].label(), sub.size);
  const std::vector<Icer> ratios = icers(result);
  for (std::size_t k = 1; k < configs.size(); ++k)
    text += fmt::format(
        "icer,cost_per_recovery_year,{},NOK/recovery-year,,,{},{},{},,,,,\n",
        csv_field(ratios[k].ratio ? "Cost per recovery-year gained"
                                  : "Cost per recovery-year gained: " + ratios[k].reason),
        csv_field(configs[k]), ratios[k].cost.n, csv_number(ratios[k].ratio.value_or(kNaN)));
  write_text_file(path, text);
}

namespace {

using io::detail::Handle;

void check(herr_t status, const fs::path& path, const std::string& what) {
  if (status < 0)
    throw InputError(fmt::format("{}: cannot write {}: {}", path.string(), what,
                                 io::detail::hdf5_reason(errno)));
}

class H5Writer {
 public:
  explicit H5Writer(fs::path path) : path_(std::move(path)) {}
  const fs::path& path() const { return path_; }

  void doubles(hid_t where, const std::string& name, const std::vector<hsize_t>& dims,
               const std::vector<double>& data) {
    hsize_t count = 1;
    for (const hsize_t d : dims) count *= d;
    RIPPLE_CHECK(count == data.size(), "compare HDF5: dataset shape and data differ");
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle set(H5Dcreate2(where, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) check(-1, path_, name);
    check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), path_,
          name);
  }

  void integers(hid_t where, const std::string& name, const std::vector<hsize_t>& dims,
                const std::vector<std::uint64_t>& data) {
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle set(H5Dcreate2(where, name.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) check(-1, path_, name);
    check(H5Dwrite(set.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), path_,
          name);
  }

  void strings(hid_t where, const std::string& name, const std::vector<std::string>& values) {
    Handle type = string_type();
    const hsize_t dims[1] = {values.size()};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    Handle set(H5Dcreate2(where, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) check(-1, path_, name);
    std::vector<const char*> pointers;
    for (const std::string& value : values) pointers.push_back(value.c_str());
    if (!values.empty())
      check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), path_,
            name);
  }

  void attribute(hid_t where, const std::string& name, const std::string& value) {
    Handle type = string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(where, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    if (!attr.valid()) check(-1, path_, name);
    const char* pointer = value.c_str();
    check(H5Awrite(attr.get(), type.get(), &pointer), path_, name);
  }

  void attribute(hid_t where, const std::string& name, double value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(
        H5Acreate2(where, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (!attr.valid()) check(-1, path_, name);
    check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), path_, name);
  }

  void attribute(hid_t where, const std::string& name, std::int64_t value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(
        H5Acreate2(where, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (!attr.valid()) check(-1, path_, name);
    check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), path_, name);
  }

  Handle group(hid_t where, const std::string& name) {
    Handle g(H5Gcreate2(where, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (!g.valid()) check(-1, path_, name);
    return g;
  }

 private:
  static Handle string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    RIPPLE_CHECK(H5Tset_size(type.get(), H5T_VARIABLE) >= 0, "variable-length string type");
    RIPPLE_CHECK(H5Tset_cset(type.get(), H5T_CSET_UTF8) >= 0, "UTF-8 string type");
    return type;
  }
  fs::path path_;
};

void write_table(H5Writer& h5, hid_t where, const std::vector<Row>& rows, std::size_t configs) {
  std::vector<std::string> keys, labels, units;
  std::vector<double> columns[8];
  for (const Row& row : rows) {
    keys.push_back(row.key);
    labels.push_back(row.label);
    units.push_back(row.unit);
    for (std::size_t k = 0; k < configs; ++k) {
      const Interval& m = row.mean[k];
      const Interval& d = row.difference[k];
      const bool paired = k > 0;
      const double values[8] = {m.mean,
                                m.low,
                                m.high,
                                paired ? d.mean : kNaN,
                                paired ? d.low : kNaN,
                                paired ? d.high : kNaN,
                                m.sd,
                                paired ? d.sd : kNaN};
      for (std::size_t c = 0; c < 8; ++c) columns[c].push_back(values[c]);
    }
  }
  h5.strings(where, "outcome", keys);
  h5.strings(where, "label", labels);
  h5.strings(where, "unit", units);
  const char* column_names[8] = {"mean",           "mean_low",        "mean_high", "difference",
                                 "difference_low", "difference_high", "sd",        "difference_sd"};
  for (std::size_t c = 0; c < 8; ++c)
    h5.doubles(where, column_names[c], {rows.size(), configs}, columns[c]);
}

}  // namespace

void write_hdf5(const Result& result, const fs::path& path) {
  io::detail::silence_hdf5_errors();
  const fs::path partial = path.string() + ".partial";
  const std::size_t configs = result.configurations.size();
  const std::size_t reps = result.runs.front().size();
  const auto weeks = static_cast<std::size_t>(result.weeks);
  try {
    H5Writer h5(path);
    Handle file(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) check(-1, path, "the file");
    const hid_t root = file.get();
    h5.attribute(root, "format", "ripple-compare");
    h5.attribute(root, "format_version", std::int64_t{1});
    h5.attribute(root, "ripple_version", version());
    h5.attribute(root, "git_commit", git_commit());
    h5.attribute(root, "master_seed", static_cast<std::int64_t>(result.options.master_seed));
    h5.attribute(root, "replications", static_cast<std::int64_t>(reps));
    h5.attribute(root, "weeks", result.weeks);
    h5.attribute(root, "mode", result.options.independent ? "independent" : "common");
    // For 95% bands drawn by scripts without a t distribution at hand.
    h5.attribute(root, "t_quantile", reps > 1 ? t_quantile(static_cast<double>(reps - 1)) : kNaN);
    h5.attribute(root, "summary_text", plain_summary(result));
    h5.attribute(root, "table_text", format_table(result));

    {
      Handle g = h5.group(root, "configurations");
      std::vector<std::string> names_, paths, texts, overrides;
      for (const scenario::Scenario& s : result.configurations) {
        names_.push_back(s.name);
        paths.push_back(s.path);
        texts.push_back(s.text);
        std::string joined;
        for (const std::string& o : s.overrides) joined += o + "\n";
        overrides.push_back(joined);
      }
      h5.strings(g.get(), "name", names_);
      h5.strings(g.get(), "path", paths);
      h5.strings(g.get(), "text", texts);
      h5.strings(g.get(), "overrides", overrides);
    }
    std::vector<std::uint64_t> seeds;
    for (const auto& runs : result.runs)
      for (const RunOutcome& run : runs) seeds.push_back(run.seed);
    h5.integers(root, "seeds", {configs, reps}, seeds);

    // Per run: every /summary variable's weekly mean and the two totals.
    {
      Handle g = h5.group(root, "runs");
      std::vector<std::string> keys;
      for (const io::Variable& v : summary_variables()) keys.push_back(v.name);
      keys.push_back("total_cost");
      keys.push_back("recovery_years");
      for (const std::string& key : keys) {
        std::vector<double> data;
        for (std::size_t k = 0; k < configs; ++k)
          for (const double value : outcome_values(result, key, k)) data.push_back(value);
        h5.doubles(g.get(), key, {configs, reps}, data);
      }
    }
    {
      Handle g = h5.group(root, "timeseries");
      std::vector<std::uint64_t> steps(weeks + 1);
      for (std::size_t w = 0; w <= weeks; ++w) steps[w] = w;
      h5.integers(g.get(), "step", {weeks + 1}, steps);
      const auto& variables = summary_variables();
      for (std::size_t v = 0; v < variables.size(); ++v) {
        std::vector<double> data;
        data.reserve(configs * reps * (weeks + 1));
        for (const auto& runs : result.runs)
          for (const RunOutcome& run : runs)
            for (const std::vector<double>& week : run.series) data.push_back(week.at(v));
        h5.doubles(g.get(), variables[v].name, {configs, reps, weeks + 1}, data);
        Handle set(H5Dopen2(g.get(), variables[v].name.c_str(), H5P_DEFAULT), H5Dclose);
        h5.attribute(set.get(), "units", variables[v].unit);
        h5.attribute(set.get(), "long_name", variables[v].description);
      }
    }
    {
      Handle g = h5.group(root, "table");
      write_table(h5, g.get(), key_rows(result), configs);
    }
    {
      Handle g = h5.group(root, "subgroups");
      std::vector<std::string> labels, dims, group_names, variables;
      for (const Subgroup& s : subgroups()) {
        labels.push_back(s.label());
        dims.push_back(s.dimension);
        group_names.push_back(s.name);
      }
      for (const io::Variable& v : subgroup_variables()) variables.push_back(v.name);
      h5.strings(g.get(), "group", labels);
      h5.strings(g.get(), "dimension", dims);
      h5.strings(g.get(), "name", group_names);
      h5.strings(g.get(), "variable", variables);
      std::vector<double> sizes, values;
      for (const auto& runs : result.runs)
        for (const RunOutcome& run : runs) {
          sizes.insert(sizes.end(), run.subgroup_size.begin(), run.subgroup_size.end());
          values.insert(values.end(), run.subgroup_mean.begin(), run.subgroup_mean.end());
        }
      h5.doubles(g.get(), "size", {configs, reps, labels.size()}, sizes);
      h5.doubles(g.get(), "values", {configs, reps, labels.size(), variables.size()}, values);
      std::vector<Row> rows;
      for (SubgroupRow& sub : subgroup_rows(result)) rows.push_back(std::move(sub.row));
      Handle t = h5.group(g.get(), "table");
      write_table(h5, t.get(), rows, configs);
    }
    {
      Handle g = h5.group(root, "icer");
      const std::vector<Icer> ratios = icers(result);
      std::vector<double> ratio, cost, cost_low, cost_high, years, years_low, years_high;
      std::vector<std::string> reasons;
      for (std::size_t k = 0; k < configs; ++k) {
        const Icer& r = ratios[k];
        const bool paired = k > 0;
        ratio.push_back(r.ratio.value_or(kNaN));
        reasons.push_back(paired ? r.reason : "reference");
        cost.push_back(paired ? r.cost.mean : kNaN);
        cost_low.push_back(paired ? r.cost.low : kNaN);
        cost_high.push_back(paired ? r.cost.high : kNaN);
        years.push_back(paired ? r.recovery_years.mean : kNaN);
        years_low.push_back(paired ? r.recovery_years.low : kNaN);
        years_high.push_back(paired ? r.recovery_years.high : kNaN);
      }
      h5.doubles(g.get(), "ratio", {configs}, ratio);
      h5.strings(g.get(), "reason", reasons);
      h5.doubles(g.get(), "cost_difference", {configs}, cost);
      h5.doubles(g.get(), "cost_difference_low", {configs}, cost_low);
      h5.doubles(g.get(), "cost_difference_high", {configs}, cost_high);
      h5.doubles(g.get(), "recovery_years_difference", {configs}, years);
      h5.doubles(g.get(), "recovery_years_difference_low", {configs}, years_low);
      h5.doubles(g.get(), "recovery_years_difference_high", {configs}, years_high);
    }
    if (!file.reset()) check(-1, path, "the file");
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  std::error_code error;
  fs::rename(partial, path, error);
  if (error) throw InputError(fmt::format("{}: cannot write: {}", path.string(), error.message()));
}

}  // namespace ripple::compare
