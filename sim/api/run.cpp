// A whole run: estimate, build, step, write the HDF5 file (ODD 7.10, docs/OUTPUT.md).
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>

#include "api/state.hpp"
#include "model/summary.hpp"

namespace ripple {
namespace {

using namespace model;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int u = 0;
  while (value >= 1024.0 && u < 4) {
    value /= 1024.0;
    ++u;
  }
  return fmt::format("{:.1f} {}", value, units[u]);
}

std::uint64_t available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (meminfo >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  const long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0
             ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(size)
             : 0;
}

// Timeseries variables, in the order columns are gathered below.
std::vector<float> column(const World& w, std::size_t v, const std::vector<PersonId>& ids) {
  const Persons& p = w.persons;
  std::vector<float> out(ids.size());
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const PersonId i = ids[r];
    float x = 0.0f;
    switch (v) {
      case 0:
        x = p.symptoms[i];
        break;
      case 1:
        x = p.episode[i];
        break;
      case 2:
      case 3:
      case 4:
      case 5:
      case 6:
        x = p.chime[v - 2][i];
        break;
      case 7:
        x = p.recovery[i];
        break;
      case 8:
        x = p.stress[i];
        break;
      case 9:
        x = p.coping[i];
        break;
      case 10:
        x = p.debt[i];
        break;
      case 11:
        x = p.housing[i];
        break;
      case 12:
        x = p.work[i];
        break;
      case 13:
        x = p.burden[i];
        break;
      case 14:
        x = p.style[i];
        break;
      case 15:
        x = p.alliance[i];
        break;
      case 16:
        x = p.medication[i];
        break;
      case 17:
        x = p.adherence[i];
        break;
      case 18:
        x = p.enrolled[i];
        break;
      case 19:
        x = p.consent[i];
        break;
      case 20:
        x = p.alive[i];
        break;
      case 21:
        x = static_cast<float>(model::weekly_hours(w.params, p, i));
        break;
      default:
        break;
    }
    out[r] = x;
  }
  return out;
}

}  // namespace

const std::vector<io::Variable>& timeseries_variables() {
  static const std::vector<io::Variable> kVariables = {
      {"symptoms", "0-1", "Symptom load"},
      {"episode", "code", "Episode state: 0 well, 1 struggling, 2 acute, 3 admitted"},
      {"connectedness", "0-1", "CHIME connectedness"},
      {"hope", "0-1", "CHIME hope"},
      {"identity", "0-1", "CHIME identity apart from illness"},
      {"meaning", "0-1", "CHIME meaning"},
      {"empowerment", "0-1", "CHIME empowerment"},
      {"recovery_index", "0-1", "Personal-recovery index (mean of CHIME)"},
      {"stress", "stress", "Accumulated stress"},
      {"coping", "0-1", "Coping tools and self-understanding"},
      {"debt", "0-1", "Debt level"},
      {"housing", "0-1", "Housing stability"},
      {"work", "code", "Work status: 0 employed, 1 studying, 2 unemployed, 3 on benefits"},
      {"carer_burden", "0-1", "Carer burden (carers only)"},
      {"caring_style", "code",
       "Caring style: 0 not a carer, 1 supportive, 2 watchdog, 3 withdrawn"},
      {"alliance", "0-1", "Alliance with the main worker"},
      {"medication", "code", "Medication: 0 none, 1 trying, 2 helpful, 3 stopped, 4 gave up"},
      {"adherence", "0-1", "Medication adherence"},
      {"services", "bits",
       "Services enrolled in, bit k = service k (names in the service_names attribute of /ties)"},
      {"consent", "bits", "Bit 0: consent to involve family; bit 1: family involved"},
      {"alive", "0/1", "Alive"},
      {"hours", "hours/week", "Hours worked this week (0 when not employed or on sick leave)"},
  };
  return kVariables;
}

Estimate estimate(const scenario::Scenario& scenario) {
  const auto& p = scenario.params;
  const double n = static_cast<double>(p.population.persons);
  const double ties =
      n * (2.0 * (p.population.household_mean_size - 1.0) + p.population.friends_mean +
           p.population.kin_outside_household + p.population.coworker_ties);
  // Bytes per person of the state arrays (world.hpp), signal double buffer included,
  // and per directed tie (other, relation, kind, conflict, strength), plus the
  // generator's temporary edge list.
  const double per_person = 350.0, per_tie = 15.0 + 8.0;
  Estimate e;
  e.memory_bytes = static_cast<std::uint64_t>(n * per_person + ties * per_tie + 64.0e6);
  const double in_recovery =
      n * (p.population.bipolar_prevalence + p.population.psychosis_prevalence +
           p.population.depression_prevalence + p.population.substance_prevalence);
  double recorded = 0;
  switch (p.output.level) {
    case 0:
      recorded = 0;
      break;
    case 1:
      recorded = std::min(in_recovery, static_cast<double>(p.output.sample_size)) * 1.8;
      break;
    case 2:
      recorded = in_recovery * 1.8;
      break;
    default:
      recorded = n;
      break;
  }
  e.recorded_persons = static_cast<std::uint64_t>(recorded);
  const double weeks = static_cast<double>(p.run.weeks);
  const double records = std::floor(weeks / static_cast<double>(p.output.interval)) + 1.0;
  const double series =
      recorded * records * static_cast<double>(timeseries_variables().size()) * 4.0;
  const double events = recorded * weeks * 0.1 * 17.0;  // about 5 logged events a person-year
  const double snapshots =
      p.output.ties_interval > 0
          ? std::floor(weeks / static_cast<double>(p.output.ties_interval)) + 1.0
          : 0.0;
  const double tie_bytes = snapshots * recorded * 12.0 * 16.0;
  const double summary =
      (weeks + 1.0) * static_cast<double>(ripple::summary_variables().size()) * 8.0;
  e.output_bytes = static_cast<std::uint64_t>(series + events + tie_bytes + summary + 1.0e6);
  // The writer buffers a record of time series in memory.
  e.memory_bytes += static_cast<std::uint64_t>(
      recorded * static_cast<double>(timeseries_variables().size()) * 8.0);
  return e;
}

void check_resources(const scenario::Scenario& scenario, const std::filesystem::path& output) {
  const Estimate e = estimate(scenario);
  const std::uint64_t memory = available_memory();
  std::string problems;
  if (memory > 0 && e.memory_bytes > memory)
    problems += fmt::format(
        "{}: population.persons = {} needs about {} of memory; this machine has {} available. "
        "Use fewer persons.\n",
        scenario.path, scenario.params.population.persons, human_bytes(e.memory_bytes),
        human_bytes(memory));
  if (!output.empty()) {
    std::filesystem::path dir = output.parent_path();
    if (dir.empty()) dir = ".";
    struct statvfs fs {};
    if (::access(dir.c_str(), W_OK) != 0 && (errno == EROFS || errno == EACCES)) {
      problems += fmt::format(
          "{}: cannot write the run file there: {}. Choose another folder with -o.\n", dir.string(),
          errno == EROFS ? "the file system is read-only" : "permission denied");
    } else if (statvfs(dir.c_str(), &fs) == 0) {
      const std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
      if (e.output_bytes > free_bytes)
        problems += fmt::format(
            "{}: the run file could take up to {} (output.level = \"{}\", {} recorded persons, "
            "output.interval = {} weeks); {} has {} free. Record fewer persons or less often.\n",
            scenario.path, human_bytes(e.output_bytes),
            scenario::choice_name(*scenario::find_param("output.level"),
                                  static_cast<int>(scenario.params.output.level)),
            e.recorded_persons, scenario.params.output.interval, dir.string(),
            human_bytes(free_bytes));
    }
  }
  if (!problems.empty()) {
    problems.pop_back();
    throw InputError(problems);
  }
}

RunResult run(const scenario::Scenario& given, const RunOptions& options) {
  scenario::Scenario scenario = given;
  if (options.seed) scenario.params.run.seed = static_cast<std::int64_t>(*options.seed);
  if (options.steps) scenario.params.run.weeks = *options.steps;
  const auto started_clock = std::chrono::steady_clock::now();
  const std::string started = utc_now();

  Simulation sim(scenario, options.threads);
  World& w = sim.state().world;
  const std::int64_t weeks = scenario.params.run.weeks;

  std::vector<PersonId> recorded;
  for (PersonId i = 0; i < w.persons.n; ++i)
    if (w.recorded[i]) recorded.push_back(i);

  std::unique_ptr<io::RunWriter> writer;
  if (!options.output.empty()) {
    io::Layout layout;
    layout.summary = ripple::summary_variables();
    layout.timeseries = timeseries_variables();
    layout.recorded = recorded;
    layout.event_kinds.names.assign(std::begin(kEventNames), std::end(kEventNames));
    layout.relation_names.assign(std::begin(kRelationNames), std::end(kRelationNames));
    layout.tie_kind_names.assign(std::begin(kTieKindNames), std::end(kTieKindNames));
    layout.arena_kind_names.assign(std::begin(kArenaKindNames), std::end(kArenaKindNames));
    layout.service_names.assign(std::begin(kServiceNames), std::end(kServiceNames));
    io::RunMeta meta;
    meta.scenario_path = scenario.path;
    meta.overlay_path = scenario.overlay_path;
    meta.scenario_text = scenario.text;
    meta.resolved_params = scenario::to_toml(scenario.params);
    for (const auto& x : scenario.timeline) meta.timeline += x.describe() + "\n";
    for (const auto& o : scenario.overrides) meta.overrides += o + "\n";
    meta.seed = static_cast<std::uint64_t>(scenario.params.run.seed);
    meta.threads = sim.threads();
    meta.steps = weeks;
    meta.version = version();
    meta.git_commit = git_commit();
    meta.started = started;
    writer = std::make_unique<io::RunWriter>(options.output, std::move(layout), meta);

    io::PersonTable table;
    table.id = recorded;
    const Persons& p = w.persons;
    table.columns = {
        {"role", "bits", "1 in recovery, 2 carer, 4 peer worker, 8 professional (at the start)"},
        {"profile", "code",
         "Condition profile: 0 none, 1 bipolar, 2 psychosis, 3 depression, 4 substance"},
        {"age", "years", "Age at the start"},
        {"male", "0/1", "Male"},
        {"household", "id", "Household"},
        {"carer", "id", "Person id of the carer (-1 if none)"},
        {"cares_for", "id", "Person id cared for (-1 if none)"},
        {"traits", "bits",
         "1 male, 2 social anxiety, 4 office aversion, 8 medication responder, 16 wishes to work"}};
    table.values.assign(table.columns.size(), std::vector<std::int32_t>(recorded.size()));
    for (std::size_t r = 0; r < recorded.size(); ++r) {
      const PersonId i = recorded[r];
      auto id_or_minus = [](PersonId x) {
        return x == kNoPerson ? -1 : static_cast<std::int32_t>(x);
      };
      table.values[0][r] = p.role[i];
      table.values[1][r] = p.profile[i];
      table.values[2][r] = p.age[i];
      table.values[3][r] = (p.traits[i] & kMale) ? 1 : 0;
      table.values[4][r] = static_cast<std::int32_t>(p.household[i]);
      table.values[5][r] = id_or_minus(p.carer[i]);
      table.values[6][r] = id_or_minus(p.cares_for[i]);
      table.values[7][r] = p.traits[i];
    }
    // Characters are persons 0..k-1 (always recorded); everyone else has no name.
    table.names.assign(recorded.size(), std::string());
    for (std::size_t r = 0; r < recorded.size(); ++r)
      if (recorded[r] < scenario.characters.size())
        table.names[r] = scenario.characters[recorded[r]].name;
    writer->write_persons(table);
  }

  auto record = [&](std::int64_t step) {
    if (!writer) return;
    writer->append_summary(step, sim.summary());
    const auto& out = scenario.params.output;
    if (!recorded.empty() && step % out.interval == 0) {
      std::vector<std::vector<float>> columns;
      for (std::size_t v = 0; v < timeseries_variables().size(); ++v)
        columns.push_back(column(w, v, recorded));
      writer->append_timeseries(step, columns);
    }
    if (!recorded.empty() && out.ties_interval > 0 && step % out.ties_interval == 0) {
      std::vector<io::SocialTieRecord> social;
      std::vector<io::BelongingRecord> belonging;
      std::vector<io::HelpingRecord> helping;
      const Persons& p = w.persons;
      for (const PersonId i : recorded) {
        for (std::uint32_t e = w.ties.begin(i); e < w.ties.end(i); ++e)
          if (w.ties.kind[e] != static_cast<std::uint8_t>(TieKind::Removed))
            social.push_back(
                {i, w.ties.other[e], w.ties.relation[e], w.ties.kind[e], w.ties.strength[e]});
        for (int k = 0; k < kArenaSlots; ++k) {
          const std::size_t slot = static_cast<std::size_t>(i) * kArenaSlots + k;
          if (p.arena_slot[slot] != kNoArena)
            belonging.push_back(
                {i, p.arena_slot[slot], w.arenas.kind[p.arena_slot[slot]], p.arena_standing[slot]});
        }
        if (p.workplace[i] != kNoArena)
          belonging.push_back({i, p.workplace[i], static_cast<std::uint8_t>(ArenaKind::Workplace),
                               p.work_standing[i]});
        const ServiceKind main = main_service(p.enrolled[i]);
        if (main != ServiceKind::Count && p.main_worker[i] != kNoPerson)
          helping.push_back({i, p.main_worker[i], static_cast<std::uint8_t>(main), p.alliance[i],
                             static_cast<std::int32_t>(p.continuity_weeks[i])});
      }
      writer->append_ties(step, social, belonging, helping);
    }
  };

  RunResult result;
  result.first = sim.summary();
  record(0);
  for (std::int64_t week = 1; week <= weeks; ++week) {
    sim.step();
    if (writer) {
      std::vector<io::Event> events;
      events.reserve(sim.state().last.events.size());
      for (const EventRecord& e : sim.state().last.events)
        events.push_back(
            {e.step, static_cast<std::uint8_t>(e.kind), e.person, e.other, e.magnitude});
      writer->append_events(events);
    }
    record(week);
    if (week == 1) result.first_week = sim.summary();
    if (options.progress) options.progress(week, weeks);
  }
  result.last = sim.summary();
  result.steps = weeks;
  result.persons = w.persons.n;
  result.threads = sim.threads();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_clock).count();
  if (writer) {
    writer->finish(utc_now(), result.wall_seconds);
    result.output = writer->final_path();
  }
  return result;
}

}  // namespace ripple
