// `ripple trial`: virtual trials and cohorts inside a simulated population
// (docs/TRIALS.md). A trial file names a base scenario, who is eligible at entry, the
// design (randomised allocation or an observational cohort), the arms and what each
// gives, the outcomes and the follow-up; the runner simulates it R times and the
// statistics below compare the arms.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "compare/stats.hpp"
#include "scenario/scenario.hpp"

namespace ripple::trial {

// --- The trial file -----------------------------------------------------------------

// Who may enter (all given conditions must hold). Codes index query::model_names().
struct Criteria {
  std::vector<int> profile, episode, work, carer_style;
  std::vector<int> services;  // enrolled in at least one of these (query::Names::service)
  std::optional<int> min_age, max_age;
  std::optional<int> min_weeks_well, max_weeks_well;  // weeks since the last episode ended
  std::optional<int> discharged_within_weeks;         // left a ward at most this long ago
  std::optional<bool> wish_to_work;                   // wants competitive work
  std::optional<bool> has_carer;                      // lives with (is cared for by) a relative
  bool empty() const;
};

enum class Design { Randomised, Cohort };

// What an arm gives its participants at entry: "psychoeducation" (a programme place for
// their carer) or a service place: cmhc, outreach, open_dialogue, ips, peer_support,
// coordinator (an extra place, beyond the service's capacity).
inline constexpr const char* kGifts[] = {
    "psychoeducation", "cmhc", "outreach", "open_dialogue", "ips", "peer_support", "coordinator"};

struct Arm {
  std::string name;
  std::vector<std::string> give;
  int weight = 1;     // randomised: the arm's share of the allocation ratio
  Criteria exposure;  // cohort: the state at entry that puts a person in this arm
  int line = 0;
};

// The outcomes a trial can report. Event outcomes give a share, risk and odds ratios,
// a Kaplan-Meier curve and a hazard ratio; the others a mean per arm.
enum class OutcomeKind { Event, Binary, Mean };
struct OutcomeInfo {
  const char* key;
  const char* label;
  OutcomeKind kind;
  const char* meaning;
};
const std::vector<OutcomeInfo>& outcome_table();
// The values an outcome's share or mean can take: [0, 1] for shares and for the 0-1
// scales, [0, 52] for weeks worked per year, [0, infinity) for bed-days and weeks. The
// normal interval across replications can reach past them with few replications
// (-0.06 for a share); it is clipped to them, as the Wilson interval is by construction.
std::pair<double, double> outcome_range(const OutcomeInfo& info);
// `i` with low and high clipped to [lo, hi].
compare::Interval clip(compare::Interval i, double lo, double hi);
const OutcomeInfo* find_outcome(const std::string& key);

struct Spec {
  std::string name, description;
  std::string path;  // the trial file as given; "<string>" for text
  std::string text;
  scenario::Scenario base;  // with the trial's [base] and --set overrides applied
  Design design = Design::Randomised;
  Criteria eligibility;
  int eligibility_line = 0;  // of the [eligibility] table (0: none, everyone is eligible)
  std::vector<Arm> arms;     // the first arm is the reference of every ratio
  std::vector<std::string> outcomes;
  int participants = 0;  // randomised: persons taken from the eligible (0: all of them)
  int entry_week = 0;    // weeks simulated before entry
  int follow_up_weeks = 52;
  int replications = 10;
  std::uint64_t seed = 1;
  // Depression among contacts by degree of separation (calibration target 5): at the end
  // of follow-up, each participant's social network is searched to this many degrees
  // (0: not measured). See Replication::network.
  int network_degrees = 0;
};

// Reads and checks a trial file; `overrides` ("key=value") change the base scenario
// after the file's [base] table. Throws InputError naming the file, line and field of
// every problem found.
Spec load_trial(const std::string& path, const std::vector<std::string>& overrides = {});
Spec parse_trial(std::string_view text, const std::string& name,
                 const std::vector<std::string>& overrides = {},
                 const std::filesystem::path& directory = ".",
                 const std::vector<std::string>& extra_tables = {});

// --- Statistics (each checked against hand-computed cases in tests/trial) -------------

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Estimate {
  double value = kNaN, low = kNaN, high = kNaN;
};

// The z quantile of a two-sided interval (1.96 for 0.95), Boost.Math.
double z_quantile(double level = 0.95);

// Wilson score interval of a binomial share: events of n.
Estimate share(double events, double n, double level = 0.95);

// Arm: a events of n1; reference: c events of n0. Katz log interval for the risk
// ratio, Woolf's for the odds ratio. A zero cell adds 0.5 to every cell of the 2x2
// table (Haldane-Anscombe); no participants in an arm gives NaN.
Estimate risk_ratio(double a, double n1, double c, double n0, double level = 0.95);
Estimate odds_ratio(double a, double n1, double c, double n0, double level = 0.95);

// Across replications: the t interval (df = R - 1) of the per-replication logs,
// exponentiated; NaN when fewer than 2 are finite.
Estimate ratio_across(std::span<const double> ratios, double level = 0.95);

struct Observation {
  double time = 0;     // weeks from entry to the event or to censoring
  bool event = false;  // false: censored at `time`
};

// Kaplan-Meier: one step per distinct event time, with Greenwood's variance and the
// plain interval S +- z * se, clipped to [0, 1].
struct KmStep {
  double time = 0;
  double at_risk = 0, events = 0;
  double survival = 1, se = 0, low = 1, high = 1;
};
std::vector<KmStep> kaplan_meier(std::span<const Observation> data, double level = 0.95);

// Hazard ratio of group 1 against group 0 from a Cox model with one binary covariate,
// by Newton-Raphson with step-halving on the partial likelihood with Breslow's handling
// of ties; NaN too when the estimate is infinite (no convergence). The
// interval is exp(beta +- z / sqrt(information)). NaN when either group has no events.
Estimate hazard_ratio(std::span<const Observation> group0, std::span<const Observation> group1,
                      double level = 0.95);

// Work outcomes (calibration target 7). A participant's competitive work over follow-up,
// gathered at the end of each week.
struct WorkRecord {
  int weeks = 0;     // weeks in competitive work (sick-leave weeks included)
  double hours = 0;  // hours worked in those weeks
  void add_week(bool employed, int hours_worked) {
    if (!employed) return;
    weeks += 1;
    hours += hours_worked;
  }
};
// hours_20plus: 1 if the participant worked 20 or more hours a week on average over their
// weeks in work, 0 if fewer; NaN for a participant never in work during follow-up.
double hours_20plus(const WorkRecord& r);
// weeks_worked: weeks in work per 52 weeks of follow-up; NaN for a participant never in
// work during follow-up.
double weeks_worked(const WorkRecord& r, int follow_up_weeks);
// weeks_to_job: weeks from entry to the observed event; NaN when censored.
double weeks_to_event(const Observation& o);

// --- Running ----------------------------------------------------------------------

// One participant's follow-up.
struct Participant {
  std::uint32_t id = 0;
  int arm = 0;
  bool contaminated = false;  // reference arm: tied to a participant of another arm or their carer
  std::vector<Observation> events;  // per Event outcome of the spec, in spec order
  std::vector<double> values;       // per Binary (0/1) or Mean outcome, NaN when not applicable
};

// Ego-alter pairs at each degree of separation d = 1..network_degrees, counted at the
// end of follow-up from the living adults of the population (in a large one every k-th
// by id: about 10,000 of them up to 4 degrees, 2,000 beyond), participants or not;
// "depressed" is an episode state other than well. pairs[d-1]: alters at exactly d
// steps; depressed_alters[d-1]: those alters who are depressed; both_depressed[d-1]: of
// those, pairs whose ego is too.
struct NetworkCounts {
  std::vector<double> pairs, depressed_alters, both_depressed;
  double egos = 0, depressed_egos = 0;
};

// P(ego depressed | a contact at `degree` is depressed) / P(ego depressed) - 1, over
// ego-contact pairs; NaN where there is nothing to count.
double network_rise(const NetworkCounts& counts, int degree);

struct Replication {
  std::uint64_t seed = 0;
  NetworkCounts network;  // when spec.network_degrees > 0
  std::size_t eligible = 0;
  std::vector<std::size_t> not_given;  // per arm: gifts that could not be given (e.g. no carer)
  // per arm: why, as "gift: reason in plain words" -> how many (they add up to not_given)
  std::vector<std::map<std::string, std::size_t>> not_given_why;
  std::vector<Participant> participants;
};

struct Options {
  int jobs = 0;  // replications at the same time, one thread each; 0: one per core
  std::function<void(std::size_t, std::size_t)> progress;  // (done, all); may throw to stop
};

struct Result {
  Spec spec;
  std::vector<Replication> replications;
  double wall_seconds = 0;
};

// Replication r uses compare::run_seed(spec.seed, r, 0, false). The result does not
// depend on options.jobs.
Result run_trial(const Spec& spec, const Options& options = {});
Replication run_replication(const Spec& spec, std::uint64_t seed);

// Throws InputError when no replication of `result` has a participant: no one met the
// eligibility (or, in a cohort, no eligible person met an arm's exposure). Such a trial
// measures nothing, and its output would look complete; `ripple trial` and `ripple
// calibrate` refuse it.
void require_participants(const Result& result);

// Why a gift was not given, in plain words, from the reason Simulation::act gives.
std::string why_not_given(const std::string& gift, const std::string& reason);

// --- Reading the result -------------------------------------------------------------

struct ArmSummary {
  double n = 0;              // participants over all replications
  double events = 0;         // Event and Binary outcomes
  Estimate pooled;           // share (Wilson) or mean over pooled participants
  compare::Interval across;  // per-replication shares or means, t interval
  std::vector<KmStep> km;    // Event outcomes: pooled participants
};
struct Comparison {
  // Against the first arm. Ratios for Event/Binary outcomes; difference for means.
  Estimate rr_pooled, or_pooled, hr_pooled, rr_across, or_across, hr_across;
  compare::Interval difference;  // Mean outcomes: per-replication difference of means
};
struct OutcomeSummary {
  const OutcomeInfo* info = nullptr;
  std::vector<ArmSummary> arms;
  std::vector<Comparison> versus;  // index 0 unused
};
std::vector<OutcomeSummary> summarise(const Result& result);

struct Contamination {
  double reference = 0;     // reference-arm participants over all replications
  double tied = 0;          // of whom tied to another arm
  compare::Interval share;  // per-replication share tied
};
Contamination contamination(const Result& result);

// An arm's gifts not given over all replications, per reason (why_not_given).
std::map<std::string, std::size_t> not_given_reasons(const Result& result, std::size_t arm);

// The network counts of all replications added up (empty when not measured).
NetworkCounts pooled_network(const Result& result);

std::string format_table(const Result& result, const std::vector<OutcomeSummary>& rows);
// DIR/trial.csv and DIR/trial.h5, written under temporary names and renamed.
void write_csv(const Result& result, const std::vector<OutcomeSummary>& rows,
               const std::filesystem::path& path);
void write_hdf5(const Result& result, const std::vector<OutcomeSummary>& rows,
                const std::filesystem::path& path);

}  // namespace ripple::trial
