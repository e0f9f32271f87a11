// A temporary folder of the test's own, removed when the test ends, so tests
// share no files.
#pragma once

#include <filesystem>
#include <string>

namespace ripple::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path` and returns the path.
std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text);

// Runs a shell command, capturing stdout and stderr together.
struct CommandResult {
  int exit_code;
  std::string output;
};
CommandResult run_command(const std::string& command);

}  // namespace ripple::testing
