// The parameter tables in docs/ODD.md come from the code (`ripple params --markdown`
// via scripts/update_odd_params.sh); this fails when they drift apart.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "support/tmpdir.hpp"

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("docs/ODD.md holds the parameter table exactly as the code declares it", "[app][docs]") {
  const std::string odd = read_text(std::string(RIPPLE_SOURCE_DIR) + "/docs/ODD.md");
  const std::string begin = "<!-- params:begin -->\n", end = "<!-- params:end -->";
  const auto from = odd.find(begin), to = odd.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  std::string in_docs = odd.substr(from + begin.size(), to - from - begin.size());
  // The script heads the tables with a one-line note that they are generated.
  if (in_docs.rfind("<!--", 0) == 0) in_docs.erase(0, in_docs.find('\n') + 1);
  const auto result =
      ripple::testing::run_command(std::string(RIPPLE_BINARY) + " params --markdown");
  REQUIRE(result.exit_code == 0);
  INFO("run scripts/update_odd_params.sh after changing sim/scenario/parameters.def");
  // Compare without surrounding blank lines.
  auto trim = [](std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    while (!s.empty() && (s.front() == '\n' || s.front() == ' ')) s.erase(s.begin());
    return s;
  };
  CHECK(trim(in_docs) == trim(result.output));
}
