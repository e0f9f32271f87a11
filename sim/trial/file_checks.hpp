// Checks shared by the readers of trial files and calibration target files: every
// problem is collected with its file, line and field, and all are reported at once.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripple::trial {

class Problems {
 public:
  explicit Problems(std::string name) : name_(std::move(name)) {}
  // "file:line: field: text" (without the line when `node` is null).
  void at(const toml::node* node, const std::string& field, const std::string& text);
  bool empty() const { return lines_.empty(); }
  // Throws InputError with every problem, in line order; nothing when there are none.
  void throw_if_any();

 private:
  struct Line {
    std::uint32_t line;
    std::string text;
  };
  std::string name_;
  std::vector<Line> lines_;
};

std::string join(const std::vector<std::string>& names);

// The text of a trial or target file: refuses a missing file, a folder, an unreadable,
// binary or empty file, naming the path. `kind` names the file ("trial file") and
// `needs` says what an empty one lacks.
std::string read_file_text(const std::string& path, const std::string& kind,
                           const std::string& needs);

// Refuses keys of `table` not in `known`.
void known_keys(const toml::table& table, const std::string& prefix,
                const std::vector<std::string>& known, Problems& problems);

// An optional whole number in [lo, hi], or an optional string.
std::optional<int> integer(const toml::table& table, const std::string& key,
                           const std::string& field, long long lo, long long hi,
                           Problems& problems);
std::optional<std::string> text(const toml::table& table, const std::string& key,
                                const std::string& field, Problems& problems);

// A list of names from `allowed` (a single string is taken as a list of one), as
// indexes into `allowed`.
std::vector<int> codes(const toml::node& node, const std::string& field,
                       const std::vector<std::string>& allowed, Problems& problems);

}  // namespace ripple::trial
