// Sweep files, designs, seeds and Sobol estimators, without running the model.

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "io/run_file.hpp"
#include "ripple/errors.hpp"
#include "ripple/ripple.hpp"
#include "support/tmpdir.hpp"
#include "sweep/sweep.hpp"

namespace ripple::testing {
namespace {

using Catch::Matchers::Contains;

const char* const kBase = "[population]\npersons = 1000\n[run]\nweeks = 4\nburn_in_weeks = 0\n";

sweep::SweepSpec parse(const std::string& text) { return sweep::parse_sweep(text, "test.toml"); }

// The message of the InputError that parsing `text` throws (empty if none is thrown).
std::string refusal(const std::string& text) {
  try {
    sweep::make_plan(parse(text), kBase, "base.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return {};
}

TEST_CASE("values of the set table are passed on as they were written", "[sweep]") {
  // A real written with a whole value stays a real ("40.0", not "40"), so the override
  // means what the file said; integers and booleans pass as they are.
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"base.toml\"\ndesign = \"grid\"\n[set]\n"
      "population.arena_mean_size = 40.0\npopulation.persons = 500\n"
      "services.cmhc.enabled = false\n[parameters]\n"
      "services.cmhc.admin_share = { values = [0.1] }\n");
  CHECK(spec.fixed == std::vector<std::string>{"population.arena_mean_size=40.0",
                                               "population.persons=500",
                                               "services.cmhc.enabled=false"});
}

TEST_CASE("a bad sweep file is refused with its line and field", "[sweep]") {
  const std::string head = "[sweep]\nscenario = \"base.toml\"\n";
  CHECK_THAT(refusal(head + "design = \"grid\"\n[parameters]\nservices.cmhc.admin_shar = "
                            "{ values = [0.1] }\n"),
             Contains("test.toml:5:") && Contains("services.cmhc.admin_shar") &&
                 Contains("unknown parameter") && Contains("services.cmhc.admin_share"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[parameters]\nservices.cmhc.admin_share = "
                            "{ min = 0.4, max = 0.2, steps = 3 }\n"),
             Contains("test.toml:5:") && Contains("empty range"));
  CHECK_THAT(refusal(head + "design = \"lhs\"\nsamples = 0\n[parameters]\n"
                            "services.cmhc.admin_share = { min = 0.1, max = 0.2 }\n"),
             Contains("test.toml:4:") && Contains("sweep.samples = 0"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[parameters]\nservices.cmhc.admin_share = "
                            "{ values = [0.1, 1.5] }\n"),
             Contains("test.toml:5:") && Contains("1.5") && Contains("outside the valid range"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[parameters]\nservices.cmhc.admin_share = "
                            "{ values = [] }\n"),
             Contains("test.toml:5:") && Contains("non-empty"));
  // Five steps over two whole numbers would run 1000 and 1001 twice or more.
  CHECK_THAT(refusal(head + "design = \"grid\"\n[parameters]\npopulation.persons = "
                            "{ min = 1000, max = 1001, steps = 5 }\n"),
             Contains("test.toml:5:") && Contains("steps = 5") && Contains("at most 2"));
  CHECK_THAT(refusal(head + "design = \"cube\"\n[parameters]\nservices.cmhc.admin_share = "
                            "{ values = [0.1] }\n"),
             Contains("test.toml:3:") && Contains("sweep.design"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[set]\npopulation.persons = 5\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1] }\n"),
             Contains("test.toml:5:") && Contains("population.persons"));
  // Several problems are all reported, in the order of the file.
  const std::string both = refusal(head +
                                   "design = \"grid\"\nreplications = 0\n[parameters]\n"
                                   "nope.nothing = { values = [1] }\n");
  CHECK_THAT(both, Contains("2 problems") && Contains("test.toml:4:") && Contains("test.toml:6:"));
  CHECK(both.find("test.toml:4:") < both.find("test.toml:6:"));
}

TEST_CASE("a grid has one point for every combination with the last parameter fastest", "[sweep]") {
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"b.toml\"\ndesign = \"grid\"\n[parameters]\n"
      "services.cmhc.admin_share = { min = 0.1, max = 0.3, steps = 3 }\n"
      "services.cmhc.caseload_cap = { values = [10, 20] }\n"
      "services.outreach.enabled = { values = [false, true] }\n");
  const sweep::Design design = sweep::make_design(spec);
  REQUIRE(design.points.size() == 12);
  std::set<std::vector<double>> distinct(design.points.begin(), design.points.end());
  CHECK(distinct.size() == 12);
  CHECK(design.points[0] == std::vector<double>{0.1, 10, 0});
  CHECK(design.points[1] == std::vector<double>{0.1, 10, 1});
  CHECK(design.points[2] == std::vector<double>{0.1, 20, 0});
  CHECK(design.points[11][0] == Approx(0.3));
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of each parameter", "[sweep]") {
  const std::size_t n = 37;
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"b.toml\"\ndesign = \"lhs\"\nsamples = 37\n[parameters]\n"
      "services.cmhc.admin_share = { min = 0.1, max = 0.5 }\n"
      "population.friends_mean = { min = 2.0, max = 6.0 }\n");
  const sweep::Design design = sweep::make_design(spec);
  REQUIRE(design.points.size() == n);
  const double lo[2] = {0.1, 2.0}, hi[2] = {0.5, 6.0};
  for (std::size_t j = 0; j < 2; ++j) {
    std::vector<int> count(n, 0);
    for (const auto& point : design.points) {
      const double u = (point[j] - lo[j]) / (hi[j] - lo[j]);
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      ++count[static_cast<std::size_t>(u * static_cast<double>(n))];
    }
    for (const int c : count) CHECK(c == 1);
  }
  // The same file gives the same design; another master seed another one.
  CHECK(sweep::make_design(spec).points == design.points);
  sweep::SweepSpec other = spec;
  other.master_seed = 99;
  CHECK(sweep::make_design(other).points != design.points);
}

TEST_CASE("a Saltelli design holds A and B and each AB matrix takes one column from B", "[sweep]") {
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"b.toml\"\ndesign = \"saltelli\"\nsamples = 16\n[parameters]\n"
      "services.cmhc.admin_share = { min = 0.1, max = 0.5 }\n"
      "population.friends_mean = { min = 2.0, max = 6.0 }\n"
      "services.cmhc.caseload_cap = { min = 10, max = 40 }\n");
  const sweep::Design design = sweep::make_design(spec);
  const std::size_t k = 3;
  REQUIRE(design.base_samples == 16);
  REQUIRE(design.points.size() == 16 * (k + 2));
  for (std::size_t s = 0; s < 16; ++s) {
    const auto& a = design.points[s * (k + 2)];
    const auto& b = design.points[s * (k + 2) + 1];
    for (std::size_t j = 0; j < k; ++j) CHECK(a[j] != b[j]);
    for (std::size_t i = 0; i < k; ++i) {
      const auto& ab = design.points[s * (k + 2) + 2 + i];
      for (std::size_t j = 0; j < k; ++j) CHECK(ab[j] == (j == i ? b[j] : a[j]));
    }
    // The integer parameter takes whole values inside its range.
    CHECK(a[2] == std::round(a[2]));
    CHECK(a[2] >= 10);
    CHECK(a[2] <= 40);
  }
}

// Evaluates f on a Saltelli design over [-pi, pi]^3 and estimates the indices.
template <typename F>
sweep::SobolIndices indices_of(F f, std::size_t n, std::size_t resamples) {
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"b.toml\"\ndesign = \"saltelli\"\nsamples = " + std::to_string(n) +
      "\nmaster_seed = 3\n[parameters]\n"
      "population.friends_mean = { min = 0.0, max = 6.283185307179586 }\n"
      "population.coworker_ties = { min = 0.0, max = 6.283185307179586 }\n"
      "population.arena_mean_size = { min = 100.0, max = 106.28318530717959 }\n");
  const sweep::Design design = sweep::make_design(spec);
  std::vector<double> y;
  const double pi = 3.141592653589793;
  for (const auto& p : design.points) y.push_back(f(p[0] - pi, p[1] - pi, p[2] - 100.0 - pi));
  return sweep::sobol_indices(y, n, 3, resamples, 11);
}

TEST_CASE("Sobol estimates match the Ishigami function's known indices", "[sweep]") {
  // Ishigami and Homma (1990) with a = 7, b = 0.1: analytic first-order and total indices.
  const double a = 7.0, b = 0.1, pi = 3.141592653589793;
  const auto ishigami = [&](double x1, double x2, double x3) {
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  };
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const double s1[3] = {v1 / v, v2 / v, 0.0};
  const double st[3] = {(v1 + v13) / v, v2 / v, v13 / v};

  const sweep::SobolIndices s = indices_of(ishigami, 20000, 100);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("parameter " << i);
    CHECK(s.first[i] == Approx(s1[i]).margin(0.04));
    CHECK(s.total[i] == Approx(st[i]).margin(0.04));
    CHECK(s.first_low[i] <= s.first[i]);
    CHECK(s.first[i] <= s.first_high[i]);
    CHECK(s.total_low[i] <= s.total[i]);
    CHECK(s.total[i] <= s.total_high[i]);
    CHECK(s.first_high[i] - s.first_low[i] < 0.1);
  }
}

TEST_CASE("Sobol indices of a linear model equal the shares of variance", "[sweep]") {
  // y = x1 + 2 x2 with x uniform: variances 1 : 4 : 0, no interactions.
  const sweep::SobolIndices s =
      indices_of([](double x1, double x2, double) { return x1 + 2 * x2; }, 4000, 50);
  CHECK(s.first[0] == Approx(0.2).margin(0.03));
  CHECK(s.first[1] == Approx(0.8).margin(0.03));
  CHECK(s.first[2] == Approx(0.0).margin(0.01));
  CHECK(s.total[0] == Approx(0.2).margin(0.03));
  CHECK(s.total[1] == Approx(0.8).margin(0.03));
  CHECK(s.total[2] == Approx(0.0).margin(1e-12));
}

TEST_CASE("Sobol indices from few samples are called noisy and from many are not", "[sweep]") {
  const auto linear = [](double x1, double x2, double) { return x1 + 2 * x2; };
  CHECK_FALSE(sweep::sobol_noisy(indices_of(linear, 4000, 50)));
  CHECK(sweep::sobol_noisy(indices_of(linear, 8, 50)));
  // A flat outcome has no indices (NaN), which is not noise.
  CHECK_FALSE(sweep::sobol_noisy(indices_of([](double, double, double) { return 1.0; }, 8, 50)));
}

TEST_CASE("run seeds are stable and replications share them across design points", "[sweep]") {
  CHECK(sweep::derive_seed(5, 0, 0, true) == sweep::derive_seed(5, 0, 0, true));
  CHECK(sweep::derive_seed(5, 0, 1, true) == sweep::derive_seed(5, 9, 1, true));
  CHECK(sweep::derive_seed(5, 0, 0, true) != sweep::derive_seed(5, 0, 1, true));
  CHECK(sweep::derive_seed(5, 0, 0, true) != sweep::derive_seed(6, 0, 0, true));
  CHECK(sweep::derive_seed(5, 0, 0, false) != sweep::derive_seed(5, 1, 0, false));
  for (std::uint64_t r = 0; r < 50; ++r) CHECK(sweep::derive_seed(5, 3, r, false) <= 0xFFFFFFFFu);

  // More replications keep the seeds of the runs there were.
  const auto with = [&](int reps) {
    const std::string text = fmt::format(
        "[sweep]\nscenario = \"b.toml\"\ndesign = \"list\"\nreplications = {}\n"
        "master_seed = 8\n[parameters]\nservices.cmhc.admin_share = {{ values = [0.1, 0.2] }}\n",
        reps);
    return sweep::make_plan(parse(text), kBase, "base.toml");
  };
  const sweep::Plan two = with(2), three = with(3);
  for (const sweep::RunSpec& run : two.runs) {
    bool found = false;
    for (const sweep::RunSpec& other : three.runs)
      if (other.point == run.point && other.replication == run.replication) {
        CHECK(other.seed == run.seed);
        CHECK(other.overrides == run.overrides);
        found = true;
      }
    CHECK(found);
  }
}

TEST_CASE("a design point that breaks a rule across parameters is refused before any run",
          "[sweep]") {
  // symptoms.struggling_threshold + hysteresis must stay below acute_threshold.
  const std::string message = refusal(
      "[sweep]\nscenario = \"base.toml\"\ndesign = \"list\"\n[parameters]\n"
      "symptoms.struggling_threshold = { values = [0.3, 0.95] }\n");
  CHECK_THAT(message, Contains("test.toml:5:") && Contains("design point 1") &&
                          Contains("symptoms.struggling_threshold"));
}

TEST_CASE("Sobol estimators on two base samples worked by hand", "[sweep]") {
  // One parameter, rows A, B, AB: (1, 3, 2) and (5, 2, 8). Mean of A and B 2.75, their
  // variance 8.75 / 3; first order (0.25 * 1 - 0.75 * 3) / 2 = -1, total (1 + 9) / 2 / 2
  // = 2.5, each divided by the variance: -12/35 and 6/7.
  const std::vector<double> y{1, 3, 2, 5, 2, 8};
  const sweep::SobolIndices s = sweep::sobol_indices(y, 2, 1, 0, 1);
  REQUIRE(s.first.size() == 1);
  CHECK(s.first[0] == Approx(-12.0 / 35.0));
  CHECK(s.total[0] == Approx(6.0 / 7.0));
  CHECK(std::isnan(s.first_low[0]));
  CHECK(std::isnan(s.total_high[0]));
}

TEST_CASE("bootstrap intervals reach the resamples of one base sample repeated", "[sweep]") {
  // Three base samples (A, B, AB): (1, 3, 2), (5, 2, 8), (0, 4, 1). A resample that repeats
  // one row has probability 1/27, more than each 2.5% tail, so the interval ends are the
  // extreme estimates of such resamples. Row 0 alone: mean 2, variance 3 * 2 / 5, first
  // order 1 / 1.2 = 5/6. Row 1 alone: variance 2.7, first order -4.5 / 2.7 = -5/3, total
  // 4.5 / 2.7 = 5/3. Row 2 alone: variance 4.8, total 0.5 / 4.8 = 5/48.
  const std::vector<double> y{1, 3, 2, 5, 2, 8, 0, 4, 1};
  const sweep::SobolIndices s = sweep::sobol_indices(y, 3, 1, 4000, 5);
  CHECK(s.first_low[0] == Approx(-5.0 / 3.0));
  CHECK(s.first_high[0] == Approx(5.0 / 6.0));
  CHECK(s.total_low[0] == Approx(5.0 / 48.0));
  CHECK(s.total_high[0] == Approx(5.0 / 3.0));
}

TEST_CASE("more bad sweep files are refused with their line", "[sweep]") {
  const std::string head = "[sweep]\nscenario = \"base.toml\"\n";
  // A list design pairs the i-th values; lists of different lengths have no pairing.
  CHECK_THAT(refusal(head + "design = \"list\"\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1, 0.2] }\n"
                            "services.cmhc.caseload_cap = { values = [10] }\n"),
             Contains("test.toml:6:") && Contains("1 values") && Contains("has 2"));
  CHECK_THAT(refusal(head + "design = \"list\"\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1] }\n"
                            "services.cmhc.caseload_cap = { values = [10, 20] }\n"),
             Contains("test.toml:6:") && Contains("2 values") && Contains("has 1"));
  CHECK_THAT(refusal(head + "design = \"saltelli\"\nsamples = 1\n[parameters]\n"
                            "services.cmhc.admin_share = { min = 0.1, max = 0.2 }\n"),
             Contains("test.toml:4:") && Contains("at least 2 base samples"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[set]\nrun.seed = 4\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1] }\n"),
             Contains("test.toml:5:") && Contains("sweep.master_seed"));
  CHECK_THAT(refusal(head + "design = \"grid\"\n[set]\nservices.cmhc.admin_share = 0.2\n"
                            "[parameters]\nservices.cmhc.admin_share = { values = [0.1] }\n"),
             Contains("test.toml:7:") && Contains("also fixed in [set]"));
  CHECK_THAT(refusal(head + "design = \"lhs\"\nsamples = 4\n[parameters]\n"
                            "services.outreach.enabled = { min = 0, max = 1 }\n"),
             Contains("test.toml:6:") && Contains("true/false or choice"));
  CHECK_THAT(refusal(head + "design = \"grid\"\nreplications = 20000\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1] }\n"),
             Contains("test.toml:4:") && Contains("replications = 20000") && Contains("10000"));
  CHECK_THAT(refusal(head + "design = \"grid\"\nmaster_seed = -1\n[parameters]\n"
                            "services.cmhc.admin_share = { values = [0.1] }\n"),
             Contains("test.toml:4:") && Contains("master_seed = -1"));
}

TEST_CASE("a grid over a whole-number range steps evenly and rounds", "[sweep]") {
  const sweep::SweepSpec spec = parse(
      "[sweep]\nscenario = \"b.toml\"\ndesign = \"grid\"\n[parameters]\n"
      "services.cmhc.caseload_cap = { min = 10, max = 20, steps = 4 }\n");
  const sweep::Design design = sweep::make_design(spec);
  // 10, 13.33, 16.67, 20 rounded.
  CHECK(design.points == std::vector<std::vector<double>>{{10}, {13}, {17}, {20}});
}

// A finished run file for `run` whose every /summary variable is `value` on average over
// weeks 1..end, and 1000 at week 0 (which the outcomes leave out).
void write_fake_run(const std::filesystem::path& file, const sweep::RunSpec& run, double value) {
  io::Layout layout;
  layout.summary = summary_variables();
  layout.event_kinds.names = {"none"};  // HDF5 has no enum of no members
  io::RunMeta meta;
  meta.seed = run.seed;
  meta.steps = run.weeks;
  for (const std::string& line : run.overrides) meta.overrides += line + "\n";
  io::RunWriter writer(file, layout, meta);
  for (std::int64_t week = 0; week <= run.weeks; ++week) {
    // Weeks 1..4 hold value - 1.5, - 0.5, + 0.5, + 1.5.
    const double v = week == 0 ? 1000.0 : value + static_cast<double>(week) - 2.5;
    writer.append_summary(week, std::vector<double>(layout.summary.size(), v));
  }
  writer.finish("2024-05-01T12:00:00Z", 1.0);
}

TEST_CASE("the sweep index averages replications of a point before the Sobol estimate", "[sweep]") {
  const TempDir dir;
  const sweep::Plan plan =
      sweep::make_plan(parse("[sweep]\nscenario = \"b.toml\"\ndesign = \"saltelli\"\nsamples = 2\n"
                             "replications = 2\nbootstrap = 0\n[parameters]\n"
                             "services.cmhc.admin_share = { min = 0.1, max = 0.5 }\n"),
                       kBase, "base.toml");
  REQUIRE(plan.runs.size() == 12);
  REQUIRE(plan.runs[0].weeks == 4);
  // The point means are the hand-worked case above: first order -12/35, total 6/7.
  // Replication 0 lies (p + 1) / 4 below the mean of point p and replication 1 as far
  // above, so neither replication alone is the mean shifted by a constant (to which the
  // indices are blind).
  const double point_mean[6] = {1, 3, 2, 5, 2, 8};
  const auto outcome = [&](const sweep::RunSpec& run) {
    const double offset = 0.25 * static_cast<double>(run.point + 1);
    return point_mean[run.point] + (run.replication == 0 ? -offset : offset);
  };
  std::filesystem::create_directories(dir / "runs");
  for (const sweep::RunSpec& run : plan.runs)
    write_fake_run(sweep::run_path(dir.path(), run), run, outcome(run));
  const sweep::IndexSummary index = sweep::write_index(dir.path(), plan);
  CHECK(index.done == 12);
  CHECK(std::filesystem::exists(dir / "sweep.h5"));
  CHECK_FALSE(std::filesystem::exists(dir / "sweep.h5.part"));
  for (std::size_t i = 0; i < plan.runs.size(); ++i)
    CHECK(index.outcomes[i].front() == Approx(outcome(plan.runs[i])));
  REQUIRE(index.has_sobol);
  for (const sweep::SobolIndices& s : index.sobol) {
    CHECK(s.first[0] == Approx(-12.0 / 35.0));
    CHECK(s.total[0] == Approx(6.0 / 7.0));
  }

  SECTION("a run file of another seed is damaged, not done") {
    sweep::RunSpec other = plan.runs[3];
    other.seed += 1;
    write_fake_run(sweep::run_path(dir.path(), plan.runs[3]), other, 1.0);
    const sweep::IndexSummary again = sweep::write_index(dir.path(), plan);
    CHECK(again.done == 11);
    CHECK(again.status[3] == sweep::RunStatus::Failed);
    CHECK_THAT(again.errors[3], Contains("damaged run file") && Contains("seed"));
    CHECK_FALSE(again.has_sobol);
  }

  SECTION("a full disk while the index is written leaves neither it nor its part") {
    // A file size limit plays the full disk (as in the run file's test): writes past it
    // fail with EFBIG. It is set in a child, so the test runner keeps its own limit.
    std::filesystem::remove(dir / "sweep.h5");
    const rlim_t limit_bytes = GENERATE(rlim_t{0}, rlim_t{4096});
    INFO("file size limit " << limit_bytes);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      std::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{limit_bytes, limit_bytes};
      int code = 0;
      if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
        code = 3;
      } else {
        try {
          sweep::write_index(dir.path(), plan);
          code = 2;  // written past the limit: the test proves nothing
        } catch (const std::exception&) {
          code = std::filesystem::exists(dir / "sweep.h5.part") ? 1 : 0;
          if (std::filesystem::exists(dir / "sweep.h5")) code = 4;
        }
      }
      _exit(code);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    // 1: sweep.h5.part left behind; 4: sweep.h5 there.
    CHECK(WEXITSTATUS(status) == 0);
  }
}

}  // namespace
}  // namespace ripple::testing
