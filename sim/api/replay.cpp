// ReplaySource: one moment of a finished run file, read through io::RunReader.
// Person values are read one record at a time (a hyperslab per variable), and tie
// snapshots one at a time, so a large file is never read whole.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "ripple/errors.hpp"
#include "ripple/query.hpp"

namespace ripple::query {

struct ReplaySource::Impl {
  std::filesystem::path path;
  io::RunReader reader;
  io::RunMeta meta;
  Names names;
  std::vector<std::int64_t> steps, record_steps, snapshot_steps;
  std::vector<std::string> summary_names;
  std::vector<std::vector<double>> summary;
  std::vector<std::uint32_t> recorded;
  std::unordered_map<std::uint32_t, std::size_t> row_of;  // person id -> recorded index
  io::PersonTable table;
  std::unordered_map<std::uint32_t, std::size_t> table_row_of;  // person id -> /persons row
  std::unordered_map<std::uint32_t, std::string> name_of;       // named persons only
  std::vector<std::uint32_t> characters;                        // named persons, in id order
  std::vector<std::string> ts_names;
  std::unordered_map<std::uint32_t, std::vector<io::Event>> events;  // by person, in order
  std::int64_t step = 0;

  // The loaded record and snapshot.
  std::ptrdiff_t record = -1, snapshot = -1;
  std::unordered_map<std::string, std::vector<float>> values;  // variable -> per recorded row
  std::unordered_map<std::uint32_t, std::vector<SocialTie>> ties;
  std::unordered_map<std::uint32_t, std::vector<Membership>> memberships;
  std::unordered_map<std::uint32_t, std::vector<HelpingTie>> helping;
  // stress at every record, read on first use
  std::vector<std::vector<float>> stress;

  explicit Impl(const std::filesystem::path& p) : path(p), reader(p) {}

  int column(const std::string& name) const {
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      if (table.columns[c].name == name) return static_cast<int>(c);
    return -1;
  }

  static std::ptrdiff_t last_at_or_before(const std::vector<std::int64_t>& at, std::int64_t s) {
    const auto it = std::upper_bound(at.begin(), at.end(), s);
    return (it - at.begin()) - 1;
  }

  void load(std::int64_t s) {
    step = s;
    const std::ptrdiff_t r = last_at_or_before(record_steps, s);
    if (r != record) {
      record = r;
      values.clear();
      if (r >= 0)
        for (const std::string& name : ts_names)
          values[name] = reader.timeseries_record(name, static_cast<std::size_t>(r));
    }
    const std::ptrdiff_t k = last_at_or_before(snapshot_steps, s);
    if (k != snapshot) {
      snapshot = k;
      // Emptied, not erased: a seek refills mostly the same persons' lists, and keeping
      // their storage saves allocating tens of thousands of vectors each time the
      // timeline moves. An empty list reads as no ties, as a missing one does.
      for (auto& [id, list] : ties) list.clear();
      for (auto& [id, list] : memberships) list.clear();
      for (auto& [id, list] : helping) list.clear();
      if (k >= 0) {
        const std::int64_t at = snapshot_steps[static_cast<std::size_t>(k)];
        for (const auto& t : reader.social_ties(at))
          ties[t.person].push_back({t.other, t.relation, t.kind, t.strength});
        for (const auto& b : reader.belonging_ties(at))
          memberships[b.person].push_back({b.arena, b.arena_kind, b.standing});
        for (const auto& h : reader.helping_ties(at))
          helping[h.person].push_back({h.worker, h.service, h.alliance, h.continuity_weeks});
      }
    }
  }

  float value(const std::string& name, std::size_t row) const {
    const auto it = values.find(name);
    return it == values.end() || row >= it->second.size() ? 0.0f : it->second[row];
  }
};

ReplaySource::ReplaySource(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>(path)) {
  Impl& r = *impl_;
  const io::RunReader& f = r.reader;
  r.meta = f.meta();
  r.names = model_names();
  r.names.event_kind = f.event_kind_names();
  r.names.relation = f.tie_code_names("relation_names");
  r.names.tie_kind = f.tie_code_names("tie_kind_names");
  r.names.arena_kind = f.tie_code_names("arena_kind_names");
  r.names.service = f.tie_code_names("service_names");
  r.steps = f.summary_steps();
  r.summary_names = f.summary_names();
  for (const std::string& name : r.summary_names) {
    r.summary.push_back(f.summary(name));
    if (r.summary.back().size() != r.steps.size())
      throw InputError(fmt::format(
          "{}: /summary/{} has {} rows but /summary/step has {}; the file is truncated or corrupt",
          path.string(), name, r.summary.back().size(), r.steps.size()));
  }
  if (r.steps.empty())
    throw InputError(path.string() + ": has no weeks in /summary; the run never recorded a week");
  r.record_steps = f.timeseries_steps();
  r.snapshot_steps = f.tie_snapshot_steps();
  r.recorded = f.recorded_persons();
  for (std::size_t i = 0; i < r.recorded.size(); ++i) r.row_of[r.recorded[i]] = i;
  r.table = f.persons();
  for (std::size_t t = 0; t < r.table.id.size(); ++t) r.table_row_of.emplace(r.table.id[t], t);
  for (std::size_t t = 0; t < r.table.names.size(); ++t)
    if (!r.table.names[t].empty()) {
      r.name_of.emplace(r.table.id[t], r.table.names[t]);
      r.characters.push_back(r.table.id[t]);
    }
  std::sort(r.characters.begin(), r.characters.end());
  r.ts_names = f.timeseries_names();
  for (const io::Event& e : f.events()) r.events[e.person].push_back(e);
  r.load(r.steps.front());
}

ReplaySource::~ReplaySource() = default;

const std::filesystem::path& ReplaySource::path() const { return impl_->path; }
const io::RunMeta& ReplaySource::meta() const { return impl_->meta; }
std::vector<std::int64_t> ReplaySource::steps() const { return impl_->steps; }

void ReplaySource::seek(std::int64_t step) {
  const Impl& r = *impl_;
  impl_->load(std::clamp(step, r.steps.front(), r.steps.back()));
}

const std::vector<std::string>& ReplaySource::summary_names() const { return impl_->summary_names; }

const std::vector<double>& ReplaySource::summary(const std::string& name) const {
  const Impl& r = *impl_;
  for (std::size_t v = 0; v < r.summary_names.size(); ++v)
    if (r.summary_names[v] == name) return r.summary[v];
  throw InputError(fmt::format("{}: has no summary variable '{}'", r.path.string(), name));
}

std::int64_t ReplaySource::step() const { return impl_->step; }
const Names& ReplaySource::names() const { return impl_->names; }
std::vector<std::uint32_t> ReplaySource::persons() const { return impl_->recorded; }

std::optional<PersonState> ReplaySource::person(std::uint32_t id) const {
  const Impl& r = *impl_;
  const auto found = r.row_of.find(id);
  if (found == r.row_of.end() || r.record < 0) return std::nullopt;
  const std::size_t row = found->second;
  PersonState p;
  p.id = id;
  // /persons lists the same persons as /timeseries; find the row by id to be safe.
  if (const auto at = r.table_row_of.find(id); at != r.table_row_of.end()) {
    const std::size_t t = at->second;
    const auto get = [&](const char* name, std::int32_t fallback) {
      const int c = r.column(name);
      return c < 0 ? fallback : r.table.values[static_cast<std::size_t>(c)][t];
    };
    p.role = get("role", 0);
    p.profile = get("profile", 0);
    p.age = get("age", 0);
    p.male = get("male", 0) != 0;
    const auto id_of = [](std::int32_t x) {
      return x < 0 ? kNobody : static_cast<std::uint32_t>(x);
    };
    p.carer = id_of(get("carer", -1));
    p.cares_for = id_of(get("cares_for", -1));
  }
  const auto code = [&](const char* name) { return static_cast<int>(r.value(name, row)); };
  p.alive = r.value("alive", row) > 0.5f;
  p.episode = code("episode");
  p.work = code("work");
  p.hours = code("hours");  // 0 in a run file written before hours were recorded
  p.caring_style = code("caring_style");
  p.medication = code("medication");
  p.symptoms = r.value("symptoms", row);
  p.recovery = r.value("recovery_index", row);
  p.stress = r.value("stress", row);
  p.coping = r.value("coping", row);
  p.debt = r.value("debt", row);
  p.housing = r.value("housing", row);
  p.burden = r.value("carer_burden", row);
  p.alliance = r.value("alliance", row);
  const char* chime[] = {"connectedness", "hope", "identity", "meaning", "empowerment"};
  for (std::size_t c = 0; c < 5; ++c) p.chime[c] = r.value(chime[c], row);
  p.services = static_cast<std::uint32_t>(r.value("services", row));
  const auto consent = static_cast<std::uint32_t>(r.value("consent", row));  // bits, as live
  p.consent = (consent & 1u) != 0;
  p.family_involved = (consent & 2u) != 0;
  return p;
}

std::vector<SocialTie> ReplaySource::ties(std::uint32_t id) const {
  const auto it = impl_->ties.find(id);
  return it == impl_->ties.end() ? std::vector<SocialTie>{} : it->second;
}

std::vector<Membership> ReplaySource::memberships(std::uint32_t id) const {
  const auto it = impl_->memberships.find(id);
  return it == impl_->memberships.end() ? std::vector<Membership>{} : it->second;
}

std::vector<HelpingTie> ReplaySource::helping(std::uint32_t id) const {
  const auto it = impl_->helping.find(id);
  return it == impl_->helping.end() ? std::vector<HelpingTie>{} : it->second;
}

std::vector<io::Event> ReplaySource::events(std::uint32_t id) const {
  const Impl& r = *impl_;
  std::vector<io::Event> out;
  const auto it = r.events.find(id);
  if (it == r.events.end()) return out;
  for (const io::Event& e : it->second)
    if (e.step <= r.step) out.push_back(e);
  return out;
}

std::vector<std::pair<std::int64_t, float>> ReplaySource::stress_history(std::uint32_t id) const {
  Impl& r = *impl_;
  std::vector<std::pair<std::int64_t, float>> out;
  const auto found = r.row_of.find(id);
  if (found == r.row_of.end()) return out;
  if (r.stress.empty() && !r.record_steps.empty()) r.stress = r.reader.timeseries("stress");
  for (std::size_t k = 0; k < r.record_steps.size() && k < r.stress.size(); ++k) {
    if (r.record_steps[k] > r.step) break;
    if (found->second < r.stress[k].size())
      out.emplace_back(r.record_steps[k], r.stress[k][found->second]);
  }
  return out;
}

std::string ReplaySource::name(std::uint32_t id) const {
  const auto it = impl_->name_of.find(id);
  return it == impl_->name_of.end() ? std::string() : it->second;
}

std::vector<std::uint32_t> ReplaySource::characters() const { return impl_->characters; }

}  // namespace ripple::query
