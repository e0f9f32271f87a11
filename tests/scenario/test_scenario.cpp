// Reading scenarios: values, overrides, the timeline, and each kind of refused input
// with the message a user would see.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ripple/errors.hpp"
#include "scenario/params.hpp"
#include "scenario/scenario.hpp"
#include "support/tmpdir.hpp"

namespace ripple::scenario {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// The message of the InputError that `f` must throw.
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError was thrown");
  return {};
}

std::string parse_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return input_error([&] { parse_scenario(text, "bad.toml", overrides); });
}

std::size_t count_lines(const std::string& message) {
  return static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n')) + 1;
}

bool same_params(const Params& a, const Params& b) {
  for (const ParamInfo& info : parameter_table())
    if (info.get(a) != info.get(b)) {
      UNSCOPED_INFO(info.key << ": " << info.get(a) << " != " << info.get(b));
      return false;
    }
  return true;
}

TEST_CASE("a text of only comments and blank lines gives every default", "[scenario]") {
  const std::string text = "# Baseline: nothing changed.\n\n   \n# Another comment\n";
  const Scenario s = parse_scenario(text, "scenarios/baseline.toml");
  CHECK(same_params(s.params, Params{}));
  CHECK(s.name == "baseline");
  CHECK(s.description.empty());
  CHECK(s.path == "<string>");
  CHECK(s.text == text);
  CHECK(s.timeline.empty());
}

TEST_CASE("values are read from tables", "[scenario]") {
  const Scenario s = parse_scenario(R"(
[scenario]
name = "lean services"
description = "Fewer therapists, more paperwork"

[services.cmhc]
caseload_cap = 45
admin_share = 0     # an integer is fine for a real parameter
staff_per_10k = 4.5

[services.outreach]
enabled = true

[output]
level = "all"
)",
                                    "lean.toml");
  CHECK(s.name == "lean services");
  CHECK(s.description == "Fewer therapists, more paperwork");
  CHECK(s.params.services.cmhc.caseload_cap == 45);
  CHECK(s.params.services.cmhc.admin_share == 0.0);
  CHECK(s.params.services.cmhc.staff_per_10k == 4.5);
  CHECK(s.params.services.outreach.enabled);
  CHECK(s.params.output.level == 3);
  CHECK(s.params.services.cmhc.hours_per_week == Params{}.services.cmhc.hours_per_week);
}

TEST_CASE("dotted keys and tables name the same parameters", "[scenario]") {
  const Scenario s = parse_scenario(R"(
"run.weeks" = 104

[services]
ips.enabled = true
cmhc.caseload_cap = 25
)",
                                    "dotted.toml");
  CHECK(s.params.services.cmhc.caseload_cap == 25);
  CHECK(s.params.run.weeks == 104);
  CHECK(s.params.services.ips.enabled);
  const Scenario root = parse_scenario("services.cmhc.caseload_cap = 26\n", "root.toml");
  CHECK(root.params.services.cmhc.caseload_cap == 26);
}

TEST_CASE("a scenario file is read from disk", "[scenario]") {
  testing::TempDir dir;
  const std::string text = "[run]\nweeks = 260\n";
  const auto path = testing::write_file(dir / "short.toml", text);
  const Scenario s = load_scenario(path.string());
  CHECK(s.params.run.weeks == 260);
  CHECK(s.name == "short");
  CHECK(s.path == path.string());
  CHECK(s.text == text);
}

TEST_CASE("a file of only whitespace and comments is accepted", "[scenario]") {
  testing::TempDir dir;
  const auto path = testing::write_file(dir / "blank.toml", "\n  \n# defaults\n");
  CHECK(same_params(load_scenario(path.string()).params, Params{}));
}

TEST_CASE("an out-of-range value is refused with file, line, column, key, value and rule",
          "[scenario]") {
  const std::string message =
      input_error([] { parse_scenario("[services.cmhc]\ncaseload_cap = -3\n", "baseline.toml"); });
  CHECK(message ==
        "baseline.toml:2:16: services.cmhc.caseload_cap = -3: must be an integer from 1 to 500 "
        "(clients/worker)");
  CHECK_THAT(parse_error("services.cmhc.admin_share = 0.96\n"),
             Contains("bad.toml:1:") &&
                 Contains("services.cmhc.admin_share = 0.96: must be a number from 0 to 0.95 "
                          "(share)"));
}

TEST_CASE("a TOML syntax error is refused with toml++'s position", "[scenario]") {
  const std::string message = parse_error("[run]\nweeks = 52\nseed = \n");
  CHECK_THAT(message, StartsWith("bad.toml:3:"));
  CHECK(count_lines(message) == 1);
}

TEST_CASE("an unknown key is refused with a suggestion", "[scenario]") {
  const std::string message = parse_error("[services.cmhc]\ncasload_cap = 30\n");
  CHECK_THAT(message, StartsWith("bad.toml:2:"));
  CHECK_THAT(message, Contains("services.cmhc.casload_cap = 30: unknown parameter; did you mean "
                               "services.cmhc.caseload_cap?"));
  CHECK_THAT(parse_error("[servises.cmhc]\ncaseload_cap = 30\n"),
             Contains("servises.cmhc.caseload_cap = 30: unknown parameter; did you mean "
                      "services.cmhc.caseload_cap?"));
  CHECK_THAT(parse_error("[weather]\n"), Contains("bad.toml:1:1: [weather]: unknown table"));
  CHECK_THAT(parse_error("[scenario]\nauthor = \"me\"\n"),
             Contains("bad.toml:2:10: scenario.author = \"me\": unknown key"));
}

TEST_CASE("a value of the wrong type is refused", "[scenario]") {
  CHECK_THAT(parse_error("[services.cmhc]\ncaseload_cap = \"thirty\"\n"),
             Contains("bad.toml:2:16: services.cmhc.caseload_cap = \"thirty\": must be an integer "
                      "from 1 to 500 (clients/worker)"));
  CHECK_THAT(parse_error("services.cmhc.caseload_cap = 30.0\n"),
             Contains("services.cmhc.caseload_cap = 30.0: must be an integer"));
  CHECK_THAT(parse_error("services.ips.enabled = \"yes\"\n"),
             Contains("services.ips.enabled = \"yes\": must be true or false"));
  CHECK_THAT(parse_error("services.ips.enabled = 1\n"),
             Contains("services.ips.enabled = 1: must be true or false"));
  CHECK_THAT(parse_error("output.level = \"everything\"\n"),
             Contains("output.level = \"everything\": must be one of \"none\", \"sample\", "
                      "\"recovery\", \"all\""));
  CHECK_THAT(parse_error("output.level = 2\n"), Contains("output.level = 2: must be one of"));
  CHECK_THAT(parse_error("services.cmhc.admin_share = \"0.2\"\n"),
             Contains("services.cmhc.admin_share = \"0.2\": must be a number from 0 to 0.95"));
}

TEST_CASE("a table where a value belongs, and a value where a table belongs, are refused",
          "[scenario]") {
  CHECK_THAT(parse_error("[services.cmhc.caseload_cap]\nvalue = 3\n"),
             Contains("services.cmhc.caseload_cap = a table: must be an integer from 1 to 500"));
  CHECK_THAT(parse_error("services.cmhc = 3\n"),
             Contains("bad.toml:1:17: services.cmhc = 3: is a table of parameters, not a value; "
                      "e.g. services.cmhc.enabled = true"));
  CHECK_THAT(parse_error("services.cmhc.caseload_cap = [30, 40]\n"),
             Contains("services.cmhc.caseload_cap = an array: must be an integer"));
  CHECK_THAT(parse_error("services.cmhc.caseload_cap = []\n"),
             Contains("services.cmhc.caseload_cap = []: must be an integer"));
}

TEST_CASE("NaN and infinity are refused", "[scenario]") {
  CHECK_THAT(parse_error("services.cmhc.admin_share = nan\n"),
             Contains("bad.toml:1:29: services.cmhc.admin_share = nan: must be a number from 0 to "
                      "0.95 (share)"));
  CHECK_THAT(parse_error("costs.contact = inf\n"),
             Contains("costs.contact = inf: must be a number from 0 to 1000000 (NOK)"));
  CHECK_THAT(parse_error("costs.contact = -inf\n"), Contains("costs.contact = -inf: must be"));
}

TEST_CASE("inconsistent thresholds are refused, naming both keys", "[scenario]") {
  const std::string message =
      parse_error("[symptoms]\nstruggling_threshold = 0.7\nacute_threshold = 0.6\n");
  CHECK_THAT(message, StartsWith("bad.toml: symptoms.struggling_threshold (0.7)"));
  CHECK_THAT(message, Contains("symptoms.acute_threshold (0.6)"));
}

TEST_CASE("a key given twice through two spellings is refused", "[scenario]") {
  CHECK_THAT(
      parse_error("\"services.cmhc.caseload_cap\" = 20\n[services.cmhc]\ncaseload_cap = 30\n"),
      Contains("bad.toml:3:16: services.cmhc.caseload_cap = 30: set twice (also at line 1)"));
}

TEST_CASE("every problem in a file is reported at once, in file order", "[scenario]") {
  const std::string message = parse_error(R"([services.cmhc]
casload_cap = 30
admin_share = 2
[output]
level = "loud"
[symptoms]
admission_threshold = 0.6
)",
                                          {"run.weeks=0"});
  CHECK(count_lines(message) == 5);
  const auto at = [&](const char* text) { return message.find(text); };
  CHECK(at("bad.toml:2:") < at("bad.toml:3:"));
  CHECK(at("bad.toml:3:") < at("bad.toml:5:"));
  CHECK(at("bad.toml:5:") < at("--set run.weeks=0"));
  CHECK(at("--set run.weeks=0") < at("symptoms.admission_threshold (0.6) must be at least"));
  CHECK(at("bad.toml:5:") != std::string::npos);
}

TEST_CASE("an empty file is refused", "[scenario]") {
  testing::TempDir dir;
  const auto path = testing::write_file(dir / "empty.toml", "").string();
  const std::string message = input_error([&] { load_scenario(path); });
  CHECK_THAT(message, StartsWith(path + ": the file is empty"));
  CHECK_THAT(parse_error(""), StartsWith("bad.toml: the file is empty"));
}

TEST_CASE("a binary file is refused", "[scenario]") {
  testing::TempDir dir;
  const auto nul = testing::write_file(dir / "nul.toml", std::string("[run]\nweeks = 5\0\x01", 16));
  CHECK_THAT(input_error([&] { load_scenario(nul.string()); }),
             StartsWith(nul.string() + ": not a text file (a NUL byte on line 2)"));
  const auto latin1 = testing::write_file(dir / "latin1.toml", "# caf\xe9\n");
  CHECK_THAT(input_error([&] { load_scenario(latin1.string()); }),
             StartsWith(latin1.string() + ": not a text file (invalid UTF-8 on line 1)"));
  CHECK_THAT(parse_error("# \xc0\xaf overlong slash\n"), Contains("invalid UTF-8"));
  CHECK_THAT(parse_error("# \xed\xa0\x80 surrogate\n"), Contains("invalid UTF-8"));
  CHECK_THAT(parse_error("# truncated \xe2\x82"), Contains("invalid UTF-8"));
  CHECK_THAT(parse_error("# \xf5\x80\x80\x80 past U+10FFFF\n"), Contains("invalid UTF-8"));
  CHECK_THAT(parse_error("# \xff\n"), Contains("invalid UTF-8"));
  const Scenario ok = parse_scenario("# caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x99\x82\n", "ok.toml");
  CHECK(ok.name == "ok");
}

TEST_CASE("a directory or a missing file is refused", "[scenario]") {
  testing::TempDir dir;
  const std::string folder = dir.path().string();
  CHECK_THAT(input_error([&] { load_scenario(folder); }), StartsWith(folder + ": is a directory"));
  const std::string missing = (dir / "nowhere.toml").string();
  CHECK_THAT(input_error([&] { load_scenario(missing); }), StartsWith(missing + ": no such file"));
}

TEST_CASE("overrides win over the file", "[scenario]") {
  const std::vector<std::string> overrides = {
      "services.cmhc.caseload_cap=40", "services.cmhc.admin_share = 0.5",
      "services.ips.enabled=true", "output.level=none", "output.interval=\"8\"x"};
  const std::string text = "[services.cmhc]\ncaseload_cap = 25\nadmin_share = 0.2\n";
  CHECK_THAT(parse_error(text, overrides), Contains("--set output.interval=\"8\"x: must be an "
                                                    "integer from 1 to 520 (weeks)"));
  const std::vector<std::string> good(overrides.begin(), overrides.end() - 1);
  const Scenario s = parse_scenario(text, "file.toml", good);
  CHECK(s.params.services.cmhc.caseload_cap == 40);
  CHECK(s.params.services.cmhc.admin_share == 0.5);
  CHECK(s.params.services.ips.enabled);
  CHECK(s.params.output.level == 0);
  CHECK(s.overrides == good);
  CHECK(parse_scenario("# x\n", "q.toml", {"output.level=\"recovery\""}).params.output.level == 2);
}

TEST_CASE("a bad override is refused", "[scenario]") {
  CHECK(parse_error("# x\n", {"services.cmhc.admin_share=2"}) ==
        "--set services.cmhc.admin_share=2: must be a number from 0 to 0.95 (share)");
  CHECK_THAT(parse_error("# x\n", {"services.cmhc.admin_share"}),
             Contains("--set services.cmhc.admin_share: must be key=value, e.g. --set "
                      "services.cmhc.admin_share=0.2"));
  CHECK_THAT(parse_error("# x\n", {"services.cmhc.casload_cap=30"}),
             Contains("--set services.cmhc.casload_cap=30: unknown parameter; did you mean "
                      "services.cmhc.caseload_cap?"));
  CHECK_THAT(parse_error("# x\n", {"services.cmhc.admin_share=high"}),
             Contains("--set services.cmhc.admin_share=high: must be a number"));
  CHECK_THAT(parse_error("# x\n", {"output.level=loud"}),
             Contains("--set output.level=loud: must be one of"));
  CHECK_THAT(parse_error("# x\n", {"services.cmhc.admin_share=0.2\nrun.weeks = 5"}),
             Contains("must be a number from 0 to 0.95"));
  CHECK_THAT(parse_error("# x\n", {"services.cmhc.admin_share="}),
             Contains("--set services.cmhc.admin_share=: must be a number"));
}

TEST_CASE("the timeline is read and sorted by week, keeping file order within a week",
          "[scenario]") {
  const Scenario s = parse_scenario(R"(
[[timeline]]
week = 104
label = "Open Dialogue replaces the CMHC"
set = { "services.open_dialogue.enabled" = true }

[[timeline]]
week = 52
action = "close_arenas"
arena_kind = "workplace"
share = 0.1

[[timeline]]
week = 52
set = { services = { cmhc = { admin_share = 0.2 } } }

[[timeline]]
week = 0
action = "open_arenas"
arena_kind = "peer_group"

[[timeline]]
week = 300
[timeline.set.services.ips]
enabled = true
)",
                                    "story.toml");
  REQUIRE(s.timeline.size() == 5);
  CHECK(s.timeline[0].week == 0);
  CHECK(s.timeline[0].kind == Intervention::Kind::OpenArenas);
  CHECK(s.timeline[0].arena_kind == 5);
  CHECK(s.timeline[0].share == 1.0);
  CHECK(s.timeline[1].week == 52);
  CHECK(s.timeline[1].kind == Intervention::Kind::CloseArenas);
  CHECK(s.timeline[1].arena_kind == 0);
  CHECK(s.timeline[1].share == 0.1);
  CHECK(s.timeline[1].line == 7);
  CHECK(s.timeline[2].week == 52);
  CHECK(s.timeline[2].key == "services.cmhc.admin_share");
  CHECK(s.timeline[2].value == 0.2);
  CHECK(s.timeline[3].week == 104);
  CHECK(s.timeline[3].key == "services.open_dialogue.enabled");
  CHECK(s.timeline[3].value == 1.0);
  CHECK(s.timeline[4].key == "services.ips.enabled");
  CHECK(s.timeline[4].week == 300);
  CHECK(!s.params.services.open_dialogue.enabled);

  CHECK(s.timeline[0].describe() == "week 0: reopen all closed peer_group arenas");
  CHECK(s.timeline[1].describe() == "week 52: close 10% of workplace arenas");
  CHECK(s.timeline[2].describe() == "week 52: set services.cmhc.admin_share = 0.2");
  CHECK(s.timeline[3].describe() == "week 104: set services.open_dialogue.enabled = true");
}

TEST_CASE("describe() words closing all arenas and reopening some", "[scenario]") {
  Intervention close;
  close.week = 10;
  close.kind = Intervention::Kind::CloseArenas;
  close.arena_kind = 2;
  CHECK(close.describe() == "week 10: close all faith arenas");
  Intervention open = close;
  open.kind = Intervention::Kind::OpenArenas;
  open.share = 0.25;
  CHECK(open.describe() == "week 10: reopen 25% of the closed faith arenas");
}

TEST_CASE("bad timeline entries are refused", "[scenario]") {
  CHECK_THAT(parse_error("[[timeline]]\nweek = 10\naction = \"demolish_arenas\"\n"
                         "arena_kind = \"club\"\n"),
             Contains("bad.toml:3:10: timeline[0].action = \"demolish_arenas\": must be one of "
                      "\"close_arenas\", \"open_arenas\", \"psychoeducation\""));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 520\nset = { \"services.ips.enabled\" = true }\n"),
             Contains("bad.toml:2:8: timeline[0].week = 520: must be an integer from 0 to 519"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 200\nset = { \"services.ips.enabled\" = true }\n",
                         {"run.weeks=100"}),
             Contains("timeline[0].week = 200: must be an integer from 0 to 99"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = -1\naction = \"close_arenas\"\n"
                         "arena_kind = \"club\"\n"),
             Contains("timeline[0].week = -1: must be an integer from 0"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 10\nset = { \"population.persons\" = 100 }\n"),
             Contains("bad.toml:3:32: timeline[0]: population.persons = 100: cannot change during "
                      "a run"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 10\nset = { \"services.cmhc.admin_share\" = 2 }\n"),
             Contains("timeline[0]: services.cmhc.admin_share = 2: must be a number from 0 to "
                      "0.95 (share)"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 10\nset = { \"services.cmhc.casload_cap\" = 2 }\n"),
             Contains("did you mean services.cmhc.caseload_cap?"));
  CHECK_THAT(parse_error("[[timeline]]\nset = { \"services.ips.enabled\" = true }\n"),
             Contains("bad.toml:1:1: timeline[0]: week is missing"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 3\n"), Contains("timeline[0]: needs set"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 3\naction = \"close_arenas\"\narena_kind = \"pub\"\n"
                         "share = 1.5\n"),
             Contains("timeline[0].arena_kind = \"pub\": must be one of \"workplace\"") &&
                 Contains("timeline[0].share = 1.5: must be a number from 0 to 1"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 3\naction = \"close_arenas\"\n"),
             Contains("timeline[0]: arena_kind is missing"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 3\naction = \"close_arenas\"\narena_kind = "
                         "\"club\"\nset = { \"services.ips.enabled\" = true }\n"),
             Contains("timeline[0]: has both set and action"));
  CHECK_THAT(parse_error("[[timeline]]\nweek = 3\nwhen = \"soon\"\naction = \"close_arenas\"\n"
                         "arena_kind = \"club\"\n"),
             Contains("timeline[0].when = \"soon\": unknown key"));
  CHECK_THAT(parse_error("timeline = 5\n"), Contains("timeline = 5: must be an array of tables"));
}

TEST_CASE("a timeline change that breaks a rule across parameters is refused", "[scenario]") {
  CHECK_THAT(parse_error("[[timeline]]\nweek = 52\nset = { \"symptoms.acute_threshold\" = 0.4 }\n"),
             Contains("bad.toml: after the timeline changes of week 52: "
                      "symptoms.struggling_threshold (0.35)"));
  // The week's last entry is an action, which must not hide the change before it.
  const std::string message = parse_error(R"(
[[timeline]]
week = 10
set = { "family.watchdog_share" = 0.95 }
[[timeline]]
week = 10
action = "close_arenas"
arena_kind = "club"
)");
  CHECK(message ==
        "bad.toml: after the timeline changes of week 10: family.watchdog_share (0.95) + "
        "family.withdrawn_share (0.1) must not exceed 1");
  CHECK_NOTHROW(parse_scenario(R"(
[[timeline]]
week = 10
set = { "symptoms.acute_threshold" = 0.4, "symptoms.struggling_threshold" = 0.2 }
)",
                               "fine.toml"));
}

TEST_CASE("to_toml gives back the same parameters", "[scenario]") {
  SECTION("defaults") {
    const Params defaults;
    const std::string text = to_toml(defaults);
    CHECK_THAT(text, Contains("\n[services.cmhc]\n"));
    CHECK_THAT(text, Contains("\ncaseload_cap = 30\n"));
    CHECK(same_params(parse_scenario(text, "resolved.toml").params, defaults));
  }
  SECTION("a modified set") {
    Params p;
    p.run.seed = 4294967295;
    p.services.cmhc.caseload_cap = 1;
    p.services.cmhc.admin_share = 0.1 + 0.2;  // 0.30000000000000004 needs 17 digits
    p.services.open_dialogue.enabled = true;
    p.services.gp.enabled = false;
    p.output.level = 3;
    p.costs.contact = 1e6;
    p.symptoms.volatility = 1e-7;
    p.stress.max = 100.0;
    const Params back = parse_scenario(to_toml(p), "resolved.toml").params;
    CHECK(same_params(back, p));
    CHECK_FALSE(same_params(back, Params{}));
  }
}

}  // namespace
}  // namespace ripple::scenario
