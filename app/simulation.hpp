#pragma once
// Runs a scenario's Monte Carlo simulation on the thread pool and stores the results: the
// glue between the generic engine and the trial's models, shared by the CLI and Python.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "app/shard.hpp"
#include "app/uncertainty_tally.hpp"
#include "engine/power_summary.hpp"
#include "engine/result_table.hpp"
#include "models/patient_record.hpp"
#include "models/scenario.hpp"

namespace vtrial {

class Hdf5Output;
class ProgressBar;
class ProcessGroup;
class TrialPlan;

struct SimulationOptions {
  int threads = 0;        // 0 = all cores
  bool progress = false;  // progress bar on stderr when it is a terminal
  // Trials per block when rows are streamed to a sink (0 = the HDF5 chunk length, 65,536).
  std::size_t block_trials = 0;
  // Only this shard's trials (app/shard.hpp); the file is then a shard file for vtrial merge.
  std::optional<Shard> shard = std::nullopt;
  // Only these trials, in memory (the blocks a rank of an MPI job runs: app/distributed_run.hpp).
  std::optional<TrialRange> range = std::nullopt;
  // The ranks of an MPI job that share simulate_sample_sizes (sweep, samplesize): each runs
  // its contiguous part of the trials and every rank gets every table (app/distributed_run.hpp).
  const ProcessGroup* group = nullptr;
  // A progress bar spanning several simulations (a sweep's blocks, app/checkpoint.cpp); null:
  // each simulation draws its own when `progress` is set.
  ProgressBar* bar = nullptr;
};

// The trials a run with these options simulates: the shard's range, or all of them.
TrialRange run_range(const Scenario& scenario, const SimulationOptions& options);

// Receives rows [0, rows) of a block of per-trial results: trials first .. first + rows - 1
// (trial indices of the whole run, also in a shard).
using TrialRowsSink = std::function<void(const ResultTable& block, std::size_t first, std::size_t rows)>;

struct SimulationResult {
  ResultTable trials;                // row t = trial t
  ResultTable patients;              // the first output.patient_trials trials, patient by patient
  ResultTable trajectories;          // the first output.trajectory_patients patients of trial 0
  std::vector<EndpointPower> power;  // the assurance, with `uncertainty:`
  DesignSummary design;
  UncertaintyResult uncertainty;  // with `uncertainty:`: conditional power, variance shares, posterior
  double seconds = 0;
  int threads = 0;
};

// Without a sink, `trials` holds every trial's row. With one, rows go to the sink block by block
// and `trials` stays empty: memory is then flat in the number of trials (power and the design
// summary are tallied per block; only the enrollment-time column, 8 bytes per trial, is kept
// for its exact quantiles).
SimulationResult simulate_scenario(const TrialPlan& plan, const SimulationOptions& options,
                                   const TrialRowsSink& sink = {});
// The same with a plan made for this call.
SimulationResult simulate_scenario(const Scenario& scenario, const SimulationOptions& options,
                                   const TrialRowsSink& sink = {});

// Simulates every trial once at the largest sample size and analyses the first n patients for
// each n in `sample_sizes` (common random numbers: slot k is the same person at every n).
// Returns one per-trial table per sample size, in the order given.
std::vector<ResultTable> simulate_sample_sizes(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                                               const SimulationOptions& options,
                                               std::vector<std::vector<PatientRecord>>* kept = nullptr);
std::vector<ResultTable> simulate_sample_sizes(const Scenario& scenario, const std::vector<std::int64_t>& sample_sizes,
                                               const SimulationOptions& options,
                                               std::vector<std::vector<PatientRecord>>* kept = nullptr);
// The same block by block: on_block(tables, first, rows) sees each block of at most
// `block_rows` trials (one table per sample size, rows [0, rows) filled), in trial order, one
// call at a time; memory is then two blocks' tables. Not across MPI ranks (options.group).
using SampleSizeBlockSink =
    std::function<void(const std::vector<ResultTable>& tables, std::size_t first, std::size_t rows)>;
void simulate_sample_sizes(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                           const SimulationOptions& options, std::size_t block_rows,
                           const SampleSizeBlockSink& on_block);

// Writes the whole result (and the resolved scenario as an attribute) to `path` atomically; with
// options.shard, as the shard file vtrial merge reads (the result must be of that shard).
void write_simulation(const std::string& path, const TrialPlan& plan, const SimulationResult& result,
                      const SimulationOptions& options = {});
// Simulates and writes to `path` (atomically), streaming /trials block by block: the same file
// as simulate_scenario + write_simulation in memory flat in the number of trials. The result
// returned has no `trials` rows.
SimulationResult simulate_to_file(const std::string& path, const Scenario& scenario, const SimulationOptions& options);

// The version of the HDF5 layout (docs/output.md), apart from the program's version.
inline constexpr int kFileFormatVersion = 2;

// Root attributes every result file carries: filetype, version, format_version, scenario, seed,
// trials, source_revision, command (app/provenance.hpp).
void write_run_attributes(Hdf5Output& out, const Scenario& scenario, const std::string& filetype);
// A shard file's root attributes: shard ("K/N"), shard_index, shard_count, first_trial and
// shard_trials (its /trials rows are trials first_trial .. first_trial + shard_trials - 1).
void write_shard_attributes(Hdf5Output& out, const Shard& shard, const TrialRange& range);
// The summary group: one row per endpoint.
void write_power_summary(Hdf5Output& out, const std::string& group, const std::vector<EndpointPower>& power);
void write_design_summary(Hdf5Output& out, const std::string& group, const DesignSummary& design);
// /schema (every /trials column: role, endpoint, comparison, arm) and /arms.
void write_schema(Hdf5Output& out, const TrialPlan& plan);
// With `uncertainty:`: /uncertainty (the priors, the conditional power per bin, the variance
// shares); nothing without.
void write_uncertainty(Hdf5Output& out, const TrialPlan& plan, const UncertaintyResult& uncertainty);

}  // namespace vtrial
