#pragma once
// `mpirun -n R vtrial run ...`: the run's blocks (about eight per rank, 256 to 65,536 trials)
// are dealt round-robin to the R ranks (block b to rank b mod R, oneTBB threads inside each);
// rank 0 simulates its own, receives the others' in trial order, tallies and streams them into
// the one output file. Every dataset is the single-process run's, bit for bit: the same trials
// and rows in order, tallied row by row (a column's storage filters may differ, being chosen
// from the first block written). Kept patients and trajectories belong to the first trials:
// blocks are never smaller than output.patient_trials, so they are all in block 0, on rank 0.
#include <string>

#include "app/simulation.hpp"
#include "engine/process_group.hpp"

namespace vtrial {

// On rank 0: writes `path` and returns the result; on the other ranks: returns an empty one.
// An exception on any rank is that rank's to report (the caller ends the job).
SimulationResult simulate_to_file_distributed(const std::string& path, const Scenario& scenario,
                                              const SimulationOptions& options, const ProcessGroup& group);

// simulate_sample_sizes across the ranks: rank r simulates shard r+1 of R of the trials at
// every sample size; rank 0 joins the parts in trial order and every rank receives the whole
// tables, so a sample-size search takes the same steps on every rank. The tables equal the
// single-process ones, row for row.
std::vector<ResultTable> simulate_sample_sizes_distributed(const TrialPlan& plan,
                                                           const std::vector<std::int64_t>& sample_sizes,
                                                           const SimulationOptions& options, const ProcessGroup& group);

}  // namespace vtrial
