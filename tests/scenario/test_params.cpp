// The parameter table itself: every row must be usable by the reader, the validator
// and the docs, so a slip in parameters.def shows up here rather than in a run.

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "scenario/params.hpp"

namespace ripple::scenario {
namespace {

TEST_CASE("every default lies within its own range", "[scenario]") {
  for (const ParamInfo& info : parameter_table()) {
    INFO(info.key);
    CHECK(info.min <= info.default_value);
    CHECK(info.default_value <= info.max);
  }
}

TEST_CASE("every parameter says what it means and where its value comes from", "[scenario]") {
  for (const ParamInfo& info : parameter_table()) {
    INFO(info.key);
    CHECK(!info.source.empty());
    CHECK(!info.meaning.empty());
    CHECK(!info.unit.empty());
  }
}

TEST_CASE("every key ends in its leaf and is declared once", "[scenario]") {
  std::set<std::string_view> seen;
  for (const ParamInfo& info : parameter_table()) {
    INFO(info.key);
    const std::size_t dot = info.key.rfind('.');
    REQUIRE(dot != std::string_view::npos);
    CHECK(info.key.substr(dot + 1) == info.leaf);
    CHECK(seen.insert(info.key).second);
  }
}

TEST_CASE("integer and choice parameters have whole-number defaults and ranges", "[scenario]") {
  for (const ParamInfo& info : parameter_table()) {
    if (info.type != ParamType::Int && info.type != ParamType::Choice) continue;
    INFO(info.key);
    CHECK(info.default_value == static_cast<double>(static_cast<std::int64_t>(info.default_value)));
    CHECK(info.min == static_cast<double>(static_cast<std::int64_t>(info.min)));
    CHECK(info.max == static_cast<double>(static_cast<std::int64_t>(info.max)));
  }
}

TEST_CASE("each parameter's accessors reach its own field", "[scenario]") {
  // Setting one parameter to a value other than its default must change that
  // parameter and no other.
  for (const ParamInfo& info : parameter_table()) {
    INFO(info.key);
    Params p;
    const double other = info.default_value == info.min ? info.max : info.min;
    info.set(p, other);
    CHECK(info.get(p) == other);
    const Params defaults;
    for (const ParamInfo& rest : parameter_table())
      if (rest.key != info.key) CHECK(rest.get(p) == rest.get(defaults));
  }
}

}  // namespace
}  // namespace ripple::scenario
