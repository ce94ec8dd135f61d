#pragma once
// The protocol committee's questions: power and feasibility across enrollment targets, and
// the smallest N that reaches a target power.
#include <cstdint>
#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "app/simulation.hpp"
#include "engine/power_summary.hpp"

namespace vtrial {
class TrialPlan;
}

namespace vtrial {

struct SweepPoint {
  std::int64_t patients = 0;
  std::vector<EndpointPower> power;  // one per endpoint
  // Against the previous (smaller) N of the sweep, per endpoint: the difference in power, its
  // standard error from the paired per-trial differences (common random numbers), and the SE
  // two independent runs would have had. NaN for the first N.
  std::vector<double> difference, difference_se_paired, difference_se_unpaired;
  DesignSummary design;
};

struct SweepResult {
  std::vector<std::string> endpoints;
  std::vector<SweepPoint> points;  // ordered by patients
  double seconds = 0;
  int threads = 0;
};

// "60:140:20" (first:last:step) or "60,80,100"; sorted, unique, each in [2, 100000].
std::vector<std::int64_t> parse_sample_sizes(const std::string& text);

SweepResult sweep_sample_sizes(const Scenario& scenario, std::vector<std::int64_t> sample_sizes,
                               const SimulationOptions& options);
// The sweep of per-trial tables (one per sample size, ascending): what sweep_sample_sizes
// computes from its simulation, and vtrial merge from a sweep's shards.
SweepResult sweep_from_tables(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                              const std::vector<ResultTable>& tables);
// Trials per block of a sweep streamed through SweepTally (its memory: about
// 2 x this x columns x sample sizes x 8 bytes).
inline constexpr std::size_t kSweepBlockTrials = 8192;
// A shard of a sweep (vtrial sweep --shard K/N): the shard's per-trial table of each sample size
// in the group /sweep_trials_n<N>, for vtrial merge.
// Refuses (std::invalid_argument naming simulation.trials), before anything runs, to hold more
// than 4.3 GB of per-trial values: `tables` tables of `rows` trials (0: simulation.trials) by
// `columns` columns (0: every column of the plan).
void check_table_memory(const TrialPlan& plan, std::size_t tables, const std::string& command, std::size_t columns = 0,
                        std::size_t rows = 0);
std::string sweep_group(std::int64_t patients);  // "sweep_trials_n60"
void write_sweep_shard(const std::string& path, const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                       const SimulationOptions& options);

enum class PowerCriterion { lower_bound, estimate };

struct SampleSizeSearch {
  std::string endpoint;
  double target_power = 0.8;
  std::int64_t step = 2;
  std::int64_t minimum = 10;
  std::int64_t maximum = 1000;
  PowerCriterion criterion = PowerCriterion::lower_bound;
};

struct SampleSizeResult {
  std::int64_t patients = 0;  // smallest N on the grid meeting the criterion
  EndpointPower power;        // at that N
  SweepResult evaluated;      // every N simulated during the search, ordered by N
};

// Brackets by doubling from `minimum`, then bisects on the grid; every N uses the same seed, so
// the power curve it searches is the common-random-number curve. Throws if the target is not
// reached at `maximum`.
SampleSizeResult find_sample_size(const Scenario& scenario, const SampleSizeSearch& search,
                                  const SimulationOptions& options);

// /sweep: one row per (N, endpoint).
void write_sweep(const std::string& path, const Scenario& scenario, const SweepResult& sweep,
                 const std::string& filetype);

}  // namespace vtrial
