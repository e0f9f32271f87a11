// Reading a trial's result: per-outcome summaries, contamination, the table on stdout,
// trial.csv and trial.h5.
#include <fmt/format.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <memory>

#include "ripple/errors.hpp"
#include "trial/trial.hpp"

namespace fs = std::filesystem;

namespace ripple::trial {
namespace {

// Per replication and arm: participants counted and events (or the sum of values).
struct Tally {
  std::vector<std::vector<double>> n, sum;  // [replication][arm]
};

Tally tally(const Result& result, std::size_t slot, bool event) {
  const std::size_t arms = result.spec.arms.size();
  Tally t;
  for (const Replication& rep : result.replications) {
    t.n.emplace_back(arms, 0.0);
    t.sum.emplace_back(arms, 0.0);
    for (const Participant& x : rep.participants) {
      if (event) {
        t.n.back()[x.arm] += 1;
        t.sum.back()[x.arm] += x.events[slot].event ? 1 : 0;
      } else if (std::isfinite(x.values[slot])) {
        t.n.back()[x.arm] += 1;
        t.sum.back()[x.arm] += x.values[slot];
      }
    }
  }
  return t;
}

std::string number(double v, int decimals = 3) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "-";
}
std::string interval(const Estimate& e, int decimals = 2) {
  return std::isfinite(e.value) ? fmt::format("{} ({} to {})", number(e.value, decimals),
                                              number(e.low, decimals), number(e.high, decimals))
                                : "-";
}
std::string interval(const compare::Interval& i, int decimals = 3) {
  return interval(Estimate{i.n > 0 ? i.mean : kNaN, i.low, i.high}, decimals);
}

}  // namespace

std::vector<OutcomeSummary> summarise(const Result& result) {
  const Spec& spec = result.spec;
  const std::size_t arms = spec.arms.size();
  std::vector<OutcomeSummary> out;
  std::size_t event_slot = 0, value_slot = 0;
  for (const std::string& key : spec.outcomes) {
    OutcomeSummary row;
    row.info = find_outcome(key);
    const bool event = row.info->kind == OutcomeKind::Event;
    const std::size_t slot = event ? event_slot++ : value_slot++;
    const Tally t = tally(result, slot, event);
    const bool ratio = row.info->kind != OutcomeKind::Mean;
    row.arms.resize(arms);
    row.versus.resize(arms);
    for (std::size_t k = 0; k < arms; ++k) {
      ArmSummary& a = row.arms[k];
      std::vector<double> per_rep;
      for (std::size_t r = 0; r < t.n.size(); ++r) {
        a.n += t.n[r][k];
        a.events += t.sum[r][k];
        if (t.n[r][k] > 0) per_rep.push_back(t.sum[r][k] / t.n[r][k]);
      }
      const auto [lowest, highest] = outcome_range(*row.info);
      a.across = clip(compare::mean_interval(per_rep), lowest, highest);
      if (ratio) {
        a.pooled = share(a.events, a.n);
      } else {
        // Mean over pooled participants, with the across-replication interval.
        a.pooled = {a.n > 0 ? a.events / a.n : kNaN, a.across.low, a.across.high};
      }
      if (event) {
        std::vector<Observation> pooled;
        for (const Replication& rep : result.replications)
          for (const Participant& x : rep.participants)
            if (x.arm == static_cast<int>(k)) pooled.push_back(x.events[slot]);
        a.km = kaplan_meier(pooled);
      }
    }
    for (std::size_t k = 1; k < arms; ++k) {
      Comparison& c = row.versus[k];
      const ArmSummary &a = row.arms[k], &ref = row.arms[0];
      if (ratio) {
        c.rr_pooled = risk_ratio(a.events, a.n, ref.events, ref.n);
        c.or_pooled = odds_ratio(a.events, a.n, ref.events, ref.n);
        std::vector<double> rr, orr;
        for (std::size_t r = 0; r < t.n.size(); ++r) {
          // A replication in which neither arm had an event (or everyone in both had one)
          // says nothing about the ratio: its 0.5-corrected ratio would be about 1 and
          // make the interval across replications look precise.
          const bool none = t.sum[r][k] == 0 && t.sum[r][0] == 0;
          const bool all = t.sum[r][k] == t.n[r][k] && t.sum[r][0] == t.n[r][0];
          if (none || all) continue;
          rr.push_back(risk_ratio(t.sum[r][k], t.n[r][k], t.sum[r][0], t.n[r][0]).value);
          orr.push_back(odds_ratio(t.sum[r][k], t.n[r][k], t.sum[r][0], t.n[r][0]).value);
        }
        c.rr_across = ratio_across(rr);
        c.or_across = ratio_across(orr);
      } else {
        std::vector<double> diff;
        for (std::size_t r = 0; r < t.n.size(); ++r)
          if (t.n[r][k] > 0 && t.n[r][0] > 0)
            diff.push_back(t.sum[r][k] / t.n[r][k] - t.sum[r][0] / t.n[r][0]);
        c.difference = compare::mean_interval(diff);
      }
      if (event) {
        std::vector<Observation> g0, g1;
        std::vector<double> hr;
        for (const Replication& rep : result.replications) {
          std::vector<Observation> r0, r1;
          for (const Participant& x : rep.participants) {
            if (x.arm == 0) r0.push_back(x.events[slot]);
            if (x.arm == static_cast<int>(k)) r1.push_back(x.events[slot]);
          }
          hr.push_back(hazard_ratio(r0, r1).value);
          g0.insert(g0.end(), r0.begin(), r0.end());
          g1.insert(g1.end(), r1.begin(), r1.end());
        }
        c.hr_pooled = hazard_ratio(g0, g1);
        c.hr_across = ratio_across(hr);
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

Contamination contamination(const Result& result) {
  Contamination c;
  std::vector<double> shares;
  for (const Replication& rep : result.replications) {
    double n = 0, tied = 0;
    for (const Participant& x : rep.participants)
      if (x.arm == 0) {
        n += 1;
        tied += x.contaminated ? 1 : 0;
      }
    c.reference += n;
    c.tied += tied;
    if (n > 0) shares.push_back(tied / n);
  }
  c.share = clip(compare::mean_interval(shares), 0.0, 1.0);
  return c;
}

std::map<std::string, std::size_t> not_given_reasons(const Result& result, std::size_t arm) {
  std::map<std::string, std::size_t> out;
  for (const Replication& rep : result.replications)
    if (arm < rep.not_given_why.size())
      for (const auto& [why, count] : rep.not_given_why[arm]) out[why] += count;
  return out;
}

std::string format_table(const Result& result, const std::vector<OutcomeSummary>& rows) {
  const Spec& spec = result.spec;
  const std::size_t reps = result.replications.size();
  std::string out =
      fmt::format("Trial: {} ({}, {} replications, follow-up {} weeks from week {})\n", spec.name,
                  spec.design == Design::Randomised ? "randomised" : "cohort", reps,
                  spec.follow_up_weeks, spec.entry_week);
  double eligible = 0;
  for (const Replication& rep : result.replications) eligible += static_cast<double>(rep.eligible);
  out += fmt::format("Eligible at entry: {:.0f} a replication on average\n",
                     eligible / static_cast<double>(std::max<std::size_t>(1, reps)));
  for (std::size_t k = 0; k < spec.arms.size(); ++k) {
    double n = 0, not_given = 0;
    for (const Replication& rep : result.replications) {
      not_given += static_cast<double>(rep.not_given[k]);
      for (const Participant& x : rep.participants) n += x.arm == static_cast<int>(k) ? 1 : 0;
    }
    out += fmt::format(
        "  arm {} {:<24} {:>8.0f} participants in all{}{}\n", k + 1, spec.arms[k].name, n,
        k == 0 ? " (reference)" : "",
        not_given > 0 ? fmt::format(", {:.0f} interventions not given", not_given) : "");
    // Why: a count per reason, so that a service left switched off, or participants who
    // already had what the arm gives, are not mistaken for a failure.
    for (const auto& [why, count] : not_given_reasons(result, k))
      out += fmt::format("      not given {:>6}: {}\n", count, why);
  }
  out +=
      "\nShares are pooled over replications with the Wilson 95% interval; ratios against the\n"
      "reference arm: pooled (Katz / Woolf / Cox) and across replications (t interval).\n";
  for (const OutcomeSummary& row : rows) {
    out += fmt::format("\n{} - {}\n", row.info->label, row.info->meaning);
    for (std::size_t k = 0; k < row.arms.size(); ++k) {
      const ArmSummary& a = row.arms[k];
      if (row.info->kind == OutcomeKind::Mean)
        out += fmt::format("  {:<24} mean {}\n", spec.arms[k].name, interval(a.pooled, 3));
      else
        out += fmt::format("  {:<24} {:>8.0f} of {:>8.0f}  share {}\n", spec.arms[k].name, a.events,
                           a.n, interval(a.pooled, 3));
    }
    for (std::size_t k = 1; k < row.arms.size(); ++k) {
      const Comparison& c = row.versus[k];
      const std::string who = fmt::format("  {} vs {}:", spec.arms[k].name, spec.arms[0].name);
      if (row.info->kind == OutcomeKind::Mean) {
        out += fmt::format("{} difference {}\n", who, interval(c.difference, 3));
        continue;
      }
      out += fmt::format("{}\n    risk ratio  {}   across {}\n    odds ratio  {}   across {}\n",
                         who, interval(c.rr_pooled), interval(c.rr_across), interval(c.or_pooled),
                         interval(c.or_across));
      if (row.info->kind == OutcomeKind::Event)
        out += fmt::format("    hazard ratio {}   across {}\n", interval(c.hr_pooled),
                           interval(c.hr_across));
    }
  }
  const Contamination c = contamination(result);
  out += fmt::format(
      "\nContamination: {:.0f} of {:.0f} reference participants ({}) are tied to a participant "
      "of another arm or to their carer at entry; share per replication {}\n",
      c.tied, c.reference, number(c.reference > 0 ? c.tied / c.reference : kNaN),
      interval(c.share, 3));
  if (spec.network_degrees > 0) {
    const NetworkCounts pooled = pooled_network(result);
    out += fmt::format(
        "\nDepression among contacts ({:.0f} adults, {:.0f} of them depressed at the end): the "
        "rise in the chance of being depressed when a contact is\n",
        pooled.egos, pooled.depressed_egos);
    for (int d = 1; d <= spec.network_degrees; ++d) {
      std::vector<double> per_rep;
      for (const Replication& rep : result.replications)
        if (const double v = network_rise(rep.network, d); std::isfinite(v)) per_rep.push_back(v);
      out += fmt::format("  {} degree{} away: {:+.2f}   across {}\n", d, d > 1 ? "s" : " ",
                         network_rise(pooled, d), interval(compare::mean_interval(per_rep), 2));
    }
  }
  return out;
}

NetworkCounts pooled_network(const Result& result) {
  NetworkCounts pooled;
  const auto degrees = static_cast<std::size_t>(result.spec.network_degrees);
  pooled.pairs.assign(degrees, 0.0);
  pooled.depressed_alters = pooled.both_depressed = pooled.pairs;
  for (const Replication& rep : result.replications) {
    for (std::size_t d = 0; d < degrees && d < rep.network.pairs.size(); ++d) {
      pooled.pairs[d] += rep.network.pairs[d];
      pooled.depressed_alters[d] += rep.network.depressed_alters[d];
      pooled.both_depressed[d] += rep.network.both_depressed[d];
    }
    pooled.egos += rep.network.egos;
    pooled.depressed_egos += rep.network.depressed_egos;
  }
  return pooled;
}

double network_rise(const NetworkCounts& c, int degree) {
  const auto d = static_cast<std::size_t>(degree) - 1;
  if (degree < 1 || d >= c.pairs.size() || c.depressed_alters[d] <= 0 || c.depressed_egos <= 0)
    return kNaN;
  return (c.both_depressed[d] / c.depressed_alters[d]) / (c.depressed_egos / c.egos) - 1.0;
}

void write_csv(const Result& result, const std::vector<OutcomeSummary>& rows,
               const fs::path& path) {
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial);
    if (!out) throw InputError(partial.string() + ": cannot be written");
    out << "outcome,arm,versus,statistic,basis,estimate,low,high\n";
    const auto& arms = result.spec.arms;
    const auto line = [&](const std::string& outcome, const std::string& arm,
                          const std::string& versus, const char* statistic, const char* basis,
                          const Estimate& e) {
      out << fmt::format("{},\"{}\",\"{}\",{},{},{},{},{}\n", outcome, arm, versus, statistic,
                         basis, e.value, e.low, e.high);
    };
    for (const OutcomeSummary& row : rows) {
      const bool mean = row.info->kind == OutcomeKind::Mean;
      for (std::size_t k = 0; k < arms.size(); ++k) {
        const ArmSummary& a = row.arms[k];
        line(row.info->key, arms[k].name, "", mean ? "mean" : "share", "pooled", a.pooled);
        line(row.info->key, arms[k].name, "", mean ? "mean" : "share", "across",
             {a.across.n > 0 ? a.across.mean : kNaN, a.across.low, a.across.high});
        line(row.info->key, arms[k].name, "", "n", "pooled", {a.n, kNaN, kNaN});
        if (!mean)
          line(row.info->key, arms[k].name, "", "events", "pooled", {a.events, kNaN, kNaN});
      }
      for (std::size_t k = 1; k < arms.size(); ++k) {
        const Comparison& c = row.versus[k];
        if (mean) {
          line(
              row.info->key, arms[k].name, arms[0].name, "difference", "across",
              {c.difference.n > 0 ? c.difference.mean : kNaN, c.difference.low, c.difference.high});
          continue;
        }
        line(row.info->key, arms[k].name, arms[0].name, "risk_ratio", "pooled", c.rr_pooled);
        line(row.info->key, arms[k].name, arms[0].name, "risk_ratio", "across", c.rr_across);
        line(row.info->key, arms[k].name, arms[0].name, "odds_ratio", "pooled", c.or_pooled);
        line(row.info->key, arms[k].name, arms[0].name, "odds_ratio", "across", c.or_across);
        if (row.info->kind == OutcomeKind::Event) {
          line(row.info->key, arms[k].name, arms[0].name, "hazard_ratio", "pooled", c.hr_pooled);
          line(row.info->key, arms[k].name, arms[0].name, "hazard_ratio", "across", c.hr_across);
        }
      }
    }
    // Enrolment: eligible persons (per replication on average), and per arm the
    // participants, the gifts not given, and how many of those for each reason (the
    // reason in `versus`).
    double eligible = 0;
    for (const Replication& rep : result.replications)
      eligible += static_cast<double>(rep.eligible);
    const double reps = static_cast<double>(std::max<std::size_t>(1, result.replications.size()));
    line("enrolment", "", "", "eligible", "per_replication", {eligible / reps, kNaN, kNaN});
    for (std::size_t k = 0; k < arms.size(); ++k) {
      double n = 0, not_given = 0;
      for (const Replication& rep : result.replications) {
        not_given += k < rep.not_given.size() ? static_cast<double>(rep.not_given[k]) : 0;
        for (const Participant& x : rep.participants) n += x.arm == static_cast<int>(k) ? 1 : 0;
      }
      line("enrolment", arms[k].name, "", "participants", "all", {n, kNaN, kNaN});
      line("enrolment", arms[k].name, "", "not_given", "all", {not_given, kNaN, kNaN});
      for (const auto& [why, count] : not_given_reasons(result, k))
        line("enrolment", arms[k].name, why, "not_given", "all",
             {static_cast<double>(count), kNaN, kNaN});
    }
    const Contamination c = contamination(result);
    line("contamination", arms[0].name, "", "share_tied", "pooled", share(c.tied, c.reference));
    line("contamination", arms[0].name, "", "share_tied", "across",
         {c.share.n > 0 ? c.share.mean : kNaN, c.share.low, c.share.high});
    if (!out.flush()) throw InputError(partial.string() + ": write failed");
  }
  fs::rename(partial, path);
}

namespace {

void check(herr_t status, const fs::path& path, const std::string& what) {
  if (status < 0) throw InputError(fmt::format("{}: cannot write {}", path.string(), what));
}

// A thin owner of an HDF5 id (closed with `close` when it goes).
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t), const fs::path& path, const std::string& what)
      : id_(id), close_(close) {
    if (id < 0) throw InputError(fmt::format("{}: cannot create {}", path.string(), what));
  }
  ~Id() { close_(id_); }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void write_doubles(hid_t where, const std::string& name, const std::vector<double>& data,
                   std::vector<hsize_t> dims, const fs::path& path) {
  Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, path,
           name);
  Id set(H5Dcreate2(where, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                    H5P_DEFAULT),
         H5Dclose, path, name);
  if (!data.empty())
    check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), path,
          name);
}

void write_text(hid_t where, const std::string& name, const std::string& value,
                const fs::path& path) {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose, path, name);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Id space(H5Screate(H5S_SCALAR), H5Sclose, path, name);
  Id attr(H5Acreate2(where, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
          H5Aclose, path, name);
  const char* pointer = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &pointer), path, name);
}

}  // namespace

void write_hdf5(const Result& result, const std::vector<OutcomeSummary>& rows,
                const fs::path& path) {
  const fs::path partial = path.string() + ".partial";
  {
    Id file(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, partial,
            "the file");
    const Spec& spec = result.spec;
    write_text(file.get(), "name", spec.name, partial);
    write_text(file.get(), "design", spec.design == Design::Randomised ? "randomised" : "cohort",
               partial);
    write_text(file.get(), "trial_file", spec.text, partial);
    std::string arm_names;
    for (const Arm& arm : spec.arms) arm_names += (arm_names.empty() ? "" : "\n") + arm.name;
    write_text(file.get(), "arms", arm_names, partial);
    std::vector<double> seeds;
    for (const Replication& rep : result.replications)
      seeds.push_back(static_cast<double>(rep.seed));
    write_doubles(file.get(), "seeds", seeds, {seeds.size()}, partial);
    {
      // Enrolment per replication: eligible; per arm participants and gifts not given,
      // with the reasons over all replications in an attribute, one per line.
      Id group(H5Gcreate2(file.get(), "enrolment", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
               partial, "/enrolment");
      std::vector<double> eligible, participants, not_given;
      for (const Replication& rep : result.replications) {
        eligible.push_back(static_cast<double>(rep.eligible));
        for (std::size_t k = 0; k < spec.arms.size(); ++k) {
          double n = 0;
          for (const Participant& x : rep.participants) n += x.arm == static_cast<int>(k) ? 1 : 0;
          participants.push_back(n);
          not_given.push_back(k < rep.not_given.size() ? static_cast<double>(rep.not_given[k])
                                                       : 0.0);
        }
      }
      const std::vector<hsize_t> dims = {result.replications.size(), spec.arms.size()};
      write_doubles(group.get(), "eligible", eligible, {eligible.size()}, partial);
      write_doubles(group.get(), "participants", participants, dims, partial);
      write_doubles(group.get(), "not_given", not_given, dims, partial);
      std::string reasons;
      for (std::size_t k = 0; k < spec.arms.size(); ++k)
        for (const auto& [why, count] : not_given_reasons(result, k))
          reasons += fmt::format("{}{}: {} not given, {}", reasons.empty() ? "" : "\n",
                                 spec.arms[k].name, count, why);
      write_text(group.get(), "not_given_reasons", reasons, partial);
    }
    Id outcomes(H5Gcreate2(file.get(), "outcomes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                partial, "/outcomes");
    std::size_t event_slot = 0, value_slot = 0;
    for (const OutcomeSummary& row : rows) {
      const bool event = row.info->kind == OutcomeKind::Event;
      const Tally t = tally(result, event ? event_slot++ : value_slot++, event);
      Id g(H5Gcreate2(outcomes.get(), row.info->key, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Gclose, partial, row.info->key);
      write_text(g.get(), "label", row.info->label, partial);
      write_text(g.get(), "meaning", row.info->meaning, partial);
      write_text(g.get(), "kind",
                 event                                   ? "event"
                 : row.info->kind == OutcomeKind::Binary ? "binary"
                                                         : "mean",
                 partial);
      std::vector<double> n, sum;
      for (std::size_t r = 0; r < t.n.size(); ++r) {
        n.insert(n.end(), t.n[r].begin(), t.n[r].end());
        sum.insert(sum.end(), t.sum[r].begin(), t.sum[r].end());
      }
      const std::vector<hsize_t> dims = {t.n.size(), spec.arms.size()};
      write_doubles(g.get(), "n", n, dims, partial);
      write_doubles(g.get(), event || row.info->kind == OutcomeKind::Binary ? "events" : "sum", sum,
                    dims, partial);
      if (event)
        for (std::size_t k = 0; k < spec.arms.size(); ++k) {
          std::vector<double> km;
          for (const KmStep& s : row.arms[k].km)
            km.insert(km.end(), {s.time, s.at_risk, s.events, s.survival, s.low, s.high});
          write_doubles(g.get(), fmt::format("km_{}", k), km, {row.arms[k].km.size(), 6}, partial);
        }
    }
  }
  fs::rename(partial, path);
}

}  // namespace ripple::trial
