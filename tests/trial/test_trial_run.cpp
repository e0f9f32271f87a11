// Running small trials: exact allocation ratio, eligibility, determinism for any number
// of jobs, and the files written.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <unordered_set>
#include <vector>

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

namespace {

// The town of a replication at entry, rebuilt independently of the trial runner (the same
// base, seed and entry week), for `look` to read through the query API.
void at_entry(const Spec& spec, std::uint64_t seed,
              const std::function<void(const query::LiveSource&)>& look) {
  scenario::Scenario s = spec.base;
  s.params.run.seed = static_cast<std::int64_t>(seed);
  Simulation simulation(s, 1);
  for (int w = 0; w < spec.entry_week; ++w) simulation.step();
  const query::LiveSource source(simulation);
  look(source);
}

std::vector<std::uint32_t> ids(const Replication& rep) {
  std::vector<std::uint32_t> out;
  for (const Participant& x : rep.participants) out.push_back(x.id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("eligibility takes every living person who meets its rules at entry bounds included") {
  TempDir dir;
  const auto cohort = [&](const std::string& rules) {
    return small_trial(dir, "entry_week = 6\ndesign = \"cohort\"\n[eligibility]\n" + rules +
                                "[[arm]]\nname = \"all\"\nexposure = {}\n");
  };
  constexpr std::uint64_t kSeed = 7;
  std::vector<query::PersonState> people;
  at_entry(cohort(""), kSeed, [&](const query::LiveSource& source) {
    for (const std::uint32_t id : source.persons())
      if (const auto p = source.person(id); p && p->alive) people.push_back(*p);
  });
  REQUIRE(people.size() > 50);
  // Bounds taken from persons of this town, so that someone is exactly at each.
  const int age = people[0].age;
  int well = -1, discharged = -1;
  for (const query::PersonState& p : people) {
    if (p.episode == 0 && p.well_weeks > 0 && well < 0) well = p.well_weeks;
    if (p.weeks_since_discharge < 65535 && discharged < 0) discharged = p.weeks_since_discharge;
  }
  REQUIRE(well > 0);
  REQUIRE(discharged >= 0);
  struct Rule {
    std::string text;
    std::function<bool(const query::PersonState&)> meets;
  };
  const std::vector<Rule> rules = {
      {fmt::format("min_age = {}\nmax_age = {}\n", age, age + 10),
       [&](const query::PersonState& p) { return p.age >= age && p.age <= age + 10; }},
      {fmt::format("min_age = {}\nmax_age = {}\n", age - 10, age),
       [&](const query::PersonState& p) { return p.age >= age - 10 && p.age <= age; }},
      // Weeks well count only for persons who are well (episode 0) now.
      {fmt::format("max_weeks_well = {}\n", well),
       [&](const query::PersonState& p) { return p.episode == 0 && p.well_weeks <= well; }},
      {fmt::format("min_weeks_well = {}\n", well),
       [&](const query::PersonState& p) { return p.episode == 0 && p.well_weeks >= well; }},
      {fmt::format("discharged_within_weeks = {}\n", discharged),
       [&](const query::PersonState& p) { return p.weeks_since_discharge <= discharged; }},
  };
  for (const Rule& rule : rules) {
    INFO(rule.text);
    std::vector<std::uint32_t> expected;
    for (const query::PersonState& p : people)
      if (rule.meets(p)) expected.push_back(p.id);
    REQUIRE(!expected.empty());
    const Replication rep = run_replication(cohort(rule.text), kSeed);
    CHECK(rep.eligible == expected.size());
    CHECK(ids(rep) == expected);
  }
  // The rule that a person must be well now matters in this town: some persons in an
  // episode have no more weeks well than the bound.
  CHECK(std::any_of(people.begin(), people.end(), [&](const query::PersonState& p) {
    return p.episode != 0 && p.well_weeks <= well;
  }));
}

TEST_CASE("a randomised trial takes trial.participants of the eligible") {
  TempDir dir;
  const Spec spec = small_trial(dir,
                                "participants = 7\ndesign = \"randomised\"\n[[arm]]\nname = "
                                "\"a\"\n[[arm]]\nname = \"b\"\n");
  const Replication rep = run_replication(spec, 11);
  REQUIRE(rep.eligible > 7);
  REQUIRE(rep.participants.size() == 7);
  // Places 1, 3, 5 and 7 of the shuffled order go to the first arm.
  CHECK(std::count_if(rep.participants.begin(), rep.participants.end(),
                      [](const Participant& x) { return x.arm == 0; }) == 4);
}

TEST_CASE("a reference participant is contaminated by a tie to another arm or its carers") {
  TempDir dir;
  const Spec spec = small_trial(dir,
                                "design = \"randomised\"\n[[arm]]\nname = \"control\"\n"
                                "[[arm]]\nname = \"treated\"\n");
  const Replication rep = run_replication(spec, 11);
  std::size_t reference = 0, by_carer_only = 0, by_reference_only = 0;
  at_entry(spec, 11, [&](const query::LiveSource& source) {
    std::unordered_set<std::uint32_t> treated, carers, control;
    for (const Participant& x : rep.participants) {
      if (x.arm == 0) {
        control.insert(x.id);
        continue;
      }
      treated.insert(x.id);
      if (const auto p = source.person(x.id); p && p->carer != query::kNobody)
        carers.insert(p->carer);
    }
    for (const Participant& x : rep.participants) {
      if (x.arm != 0) {
        CHECK_FALSE(x.contaminated);
        continue;
      }
      ++reference;
      bool to_treated = false, to_carer = false, to_control = false;
      for (const query::SocialTie& tie : source.ties(x.id)) {
        to_treated = to_treated || treated.count(tie.other) > 0;
        to_carer = to_carer || carers.count(tie.other) > 0;
        to_control = to_control || control.count(tie.other) > 0;
      }
      CHECK(x.contaminated == (to_treated || to_carer));
      by_carer_only += to_carer && !to_treated ? 1 : 0;
      by_reference_only += to_control && !to_treated && !to_carer ? 1 : 0;
    }
  });
  REQUIRE(reference > 100);
  // Both ways the rule could be got wrong occur in this town.
  CHECK(by_carer_only > 0);
  CHECK(by_reference_only > 0);
}

TEST_CASE("an event outcome is the first event after entry censored at death or the end") {
  // Entry after 4 weeks: the events of the week before entry are known at entry and must
  // not count. Each observation is worked out again from the events of an independent run.
  TempDir dir;
  ripple::testing::write_file(dir / "base.toml", "[population]\npersons = 4000\n");
  const Spec spec = parse_trial(
      "[trial]\nscenario = \"base.toml\"\nentry_week = 4\nfollow_up_weeks = 8\n"
      "replications = 1\nseed = 5\ndesign = \"cohort\"\n"
      "outcomes = [\"relapse\", \"admission\", \"job\", \"dropout\"]\n"
      "[[arm]]\nname = \"all\"\nexposure = {}\n",
      "t.toml", {}, dir.path());
  constexpr std::uint64_t kSeed = 9;
  const Replication rep = run_replication(spec, kSeed);
  REQUIRE(rep.participants.size() > 100);
  const auto& names = query::model_names().event_kind;
  const auto code = [&](const char* name) {
    return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  const std::vector<std::vector<int>> kinds = {{code("relapse"), code("episode_start")},
                                               {code("admission")},
                                               {code("job_found")},
                                               {code("dropout")}};
  scenario::Scenario s = spec.base;
  s.params.run.seed = static_cast<std::int64_t>(kSeed);
  Simulation simulation(s, 1);
  for (int w = 0; w < spec.entry_week; ++w) simulation.step();
  query::LiveSource source(simulation);
  for (int w = 0; w < spec.follow_up_weeks; ++w) {
    simulation.step();
    source.collect();
  }
  std::size_t before_entry = 0, events = 0, to_the_end = 0;
  for (const Participant& x : rep.participants) {
    REQUIRE(x.events.size() == kinds.size());
    double end = spec.follow_up_weeks;  // weeks since entry, the entry week being 1
    for (const io::Event& e : source.events(x.id))
      if (e.kind == code("death") && e.step >= spec.entry_week) {
        end = static_cast<double>(e.step - spec.entry_week + 1);
        break;
      }
    for (std::size_t o = 0; o < kinds.size(); ++o) {
      Observation expected{end, false};
      for (const io::Event& e : source.events(x.id)) {
        if (std::find(kinds[o].begin(), kinds[o].end(), e.kind) == kinds[o].end()) continue;
        if (e.step < spec.entry_week) {
          ++before_entry;
          continue;
        }
        const double t = static_cast<double>(e.step - spec.entry_week + 1);
        if (t <= end) expected = {t, true};
        break;
      }
      CHECK(x.events[o].event == expected.event);
      CHECK(x.events[o].time == expected.time);
      events += expected.event ? 1 : 0;
      to_the_end += !expected.event && expected.time == spec.follow_up_weeks ? 1 : 0;
    }
  }
  CHECK(before_entry > 0);
  CHECK(events > 0);
  CHECK(to_the_end > 0);
}
