// Running small trials: exact allocation ratio, eligibility, determinism for any number
// of jobs, and the files written.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "ripple/query.hpp"
#include "support/tmpdir.hpp"
#include "trial/trial.hpp"

using namespace ripple;
using namespace ripple::trial;
using ripple::testing::TempDir;

namespace {

Spec small_trial(const TempDir& dir, const std::string& design_part) {
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 2000\n");
  return parse_trial(
      "[trial]\nscenario = \"base.toml\"\nfollow_up_weeks = 12\nreplications = 2\n"
      "seed = 5\n" +
          design_part,
      "t.toml", {}, dir.path());
}

}  // namespace

TEST_CASE("a randomised trial allocates the eligible in the stated ratio") {
  TempDir dir;
  const Spec spec = small_trial(
      dir,
      "design = \"randomised\"\n[base]\n\"services.psychoeducation.enabled\" = true\n"
      "[eligibility]\nhas_carer = true\n[[arm]]\nname = \"control\"\n[[arm]]\nname = \"family\"\n"
      "give = [\"psychoeducation\"]\nweight = 2\n");
  const Replication rep = run_replication(spec, 11);
  REQUIRE(rep.eligible > 10);
  CHECK(rep.participants.size() == rep.eligible);
  std::size_t control = 0;
  for (const Participant& x : rep.participants) control += x.arm == 0 ? 1 : 0;
  // Every third place in the shuffled order goes to the control arm.
  CHECK(control == (rep.eligible + 2) / 3);
  // The control arm is given nothing; everyone eligible had a carer, so nearly every
  // psychoeducation place could be given (a carer already in the programme is refused).
  CHECK(rep.not_given[0] == 0);
  CHECK(rep.not_given[1] * 10 < rep.eligible);
  for (const Participant& x : rep.participants)
    for (const Observation& o : x.events) CHECK((o.time > 0 && o.time <= 12));
}

TEST_CASE("a trial gives the same result for any number of jobs") {
  TempDir dir;
  const Spec spec =
      small_trial(dir,
                  "design = \"cohort\"\n[eligibility]\nhas_carer = true\n"
                  "[[arm]]\nname = \"s\"\nexposure = { carer_style = \"supportive\" }\n"
                  "[[arm]]\nname = \"w\"\nexposure = { carer_style = [\"watchdog\", "
                  "\"withdrawn\"] }\n");
  Options one, two;
  one.jobs = 1;
  two.jobs = 2;
  const Result a = run_trial(spec, one), b = run_trial(spec, two);
  REQUIRE(a.replications.size() == 2);
  CHECK(a.replications[0].seed != a.replications[1].seed);
  for (std::size_t r = 0; r < 2; ++r) {
    REQUIRE(a.replications[r].participants.size() == b.replications[r].participants.size());
    for (std::size_t i = 0; i < a.replications[r].participants.size(); ++i) {
      const Participant &x = a.replications[r].participants[i],
                        &y = b.replications[r].participants[i];
      CHECK(x.id == y.id);
      CHECK(x.arm == y.arm);
      for (std::size_t o = 0; o < x.events.size(); ++o) {
        CHECK(x.events[o].time == y.events[o].time);
        CHECK(x.events[o].event == y.events[o].event);
      }
    }
  }
  // The summaries, CSV and HDF5 come out.
  const auto rows = summarise(a);
  CHECK(rows.size() == outcome_table().size());
  write_csv(a, rows, dir / "trial.csv");
  write_hdf5(a, rows, dir / "trial.h5");
  CHECK(std::filesystem::file_size(dir / "trial.h5") > 0);
  std::ifstream csv(dir / "trial.csv");
  std::string header;
  std::getline(csv, header);
  CHECK(header == "outcome,arm,versus,statistic,basis,estimate,low,high");
  CHECK(format_table(a, rows).find("Contamination") != std::string::npos);
}

TEST_CASE("depression among contacts is counted from every adult of the population") {
  TempDir dir;
  const Spec spec = small_trial(dir,
                                "design = \"cohort\"\nnetwork_degrees = 2\n"
                                "[eligibility]\nprofile = \"bipolar\"\n"
                                "[[arm]]\nname = \"all\"\nexposure = {}\n");
  const Replication rep = run_replication(spec, 3);
  const NetworkCounts& c = rep.network;
  REQUIRE(c.pairs.size() == 2);
  // The same town, seed and week, counted independently through the query API:
  // living adults with at least one living contact, and their contacts.
  scenario::Scenario s = spec.base;
  s.params.run.seed = 3;
  Simulation simulation(s, 1);
  for (int w = 0; w < spec.follow_up_weeks; ++w) simulation.step();
  query::LiveSource source(simulation);
  double egos = 0, depressed = 0, first_degree = 0;
  for (std::uint32_t id = 0; source.person(id); ++id) {
    const auto p = source.person(id);
    if (!p->alive || p->age < 18) continue;
    double living = 0;
    std::vector<std::uint32_t> seen;
    for (const query::SocialTie& t : source.ties(id))
      if (source.person(t.other)->alive &&
          std::find(seen.begin(), seen.end(), t.other) == seen.end()) {
        seen.push_back(t.other);
        living += 1;
      }
    if (living == 0) continue;
    egos += 1;
    depressed += p->episode != 0 ? 1 : 0;
    first_degree += living;
  }
  // More persons than participants: the bipolar eligibility does not limit the egos.
  CHECK(c.egos == egos);
  CHECK(c.egos > 10 * static_cast<double>(rep.participants.size()));
  CHECK(c.depressed_egos == depressed);
  CHECK(c.pairs[0] == first_degree);
  CHECK(c.pairs[1] > c.pairs[0]);
  for (std::size_t d = 0; d < 2; ++d) {
    CHECK(c.depressed_alters[d] <= c.pairs[d]);
    CHECK(c.both_depressed[d] <= c.depressed_alters[d]);
  }
}

TEST_CASE("a trial counts the events of its first week of follow-up") {
  // Events are stamped with the week in which they happened, before the clock moves on;
  // a one-week follow-up must still see that week's relapses, at time 1.
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 6000\n");
  const Spec spec = parse_trial(
      "[trial]\nscenario = \"base.toml\"\nfollow_up_weeks = 1\nreplications = 1\nseed = 5\n"
      "design = \"cohort\"\noutcomes = [\"relapse\"]\n"
      "[eligibility]\nprofile = [\"psychosis\", \"bipolar\", \"depression\"]\n"
      "[[arm]]\nname = \"all\"\nexposure = {}\n",
      "t.toml", {}, dir.path());
  const Replication rep = run_replication(spec, 0);
  REQUIRE(rep.participants.size() > 500);
  std::size_t relapses = 0;
  for (const Participant& x : rep.participants) {
    REQUIRE(x.events.size() == 1);
    if (x.events[0].event) {
      ++relapses;
      CHECK(x.events[0].time == 1.0);
    }
  }
  CHECK(relapses > 0);
}

TEST_CASE("gifts not given are counted with their reason in the table, trial.csv and trial.h5") {
  TempDir dir;
  // IPS is switched off in the base scenario (no staff); CMHC is on, so participants who
  // are its clients already cannot be given a place.
  const Spec spec = small_trial(dir,
                                "design = \"randomised\"\n[eligibility]\nprofile = "
                                "[\"psychosis\", \"bipolar\"]\n[[arm]]\nname = \"control\"\n"
                                "[[arm]]\nname = \"both\"\ngive = [\"ips\", \"cmhc\"]\n");
  const Result result = run_trial(spec);
  std::size_t arm_size = 0, not_given = 0;
  for (const Replication& rep : result.replications) {
    for (const Participant& x : rep.participants) arm_size += x.arm == 1 ? 1 : 0;
    not_given += rep.not_given[1];
    CHECK(rep.not_given[0] == 0);
  }
  REQUIRE(arm_size > 0);
  const auto reasons = not_given_reasons(result, 1);
  std::size_t counted = 0;
  for (const auto& [why, count] : reasons) counted += count;
  CHECK(counted == not_given);  // every gift not given has its reason
  const std::string off =
      "ips: the service is switched off in the base scenario (no staff); switch it on in [base]";
  REQUIRE(reasons.count(off) == 1);
  CHECK(reasons.at(off) == arm_size);  // no participant could be given IPS
  CHECK(reasons.count("cmhc: the participant already had it") == 1);
  const auto rows = summarise(result);
  const std::string table = format_table(result, rows);
  CHECK(table.find("not given") != std::string::npos);
  CHECK(table.find(off) != std::string::npos);
  write_csv(result, rows, dir / "trial.csv");
  std::ifstream csv(dir / "trial.csv");
  const std::string text((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
  CHECK(text.find("enrolment,\"\",\"\",eligible,per_replication,") != std::string::npos);
  CHECK(text.find(fmt::format("enrolment,\"both\",\"{}\",not_given,all,{},", off, arm_size)) !=
        std::string::npos);
  CHECK(text.find(fmt::format("enrolment,\"both\",\"\",not_given,all,{},", not_given)) !=
        std::string::npos);
}
