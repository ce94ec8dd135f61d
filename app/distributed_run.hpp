#pragma once
// `mpirun -n R vtrial run ...`: the run's blocks of 65,536 trials are dealt round-robin to the
// R ranks (block b to rank b mod R, oneTBB threads inside each); rank 0 simulates its own,
// receives the others' in trial order, tallies and streams them into the one output file. The
// file is the single-process run's, bit for bit: the same trials, rows and blocks, in order.
// Kept patients and trajectories belong to the first trials, so to block 0 on rank 0.
#include <string>

#include "app/simulation.hpp"
#include "engine/process_group.hpp"

namespace vtrial {

// On rank 0: writes `path` and returns the result; on the other ranks: returns an empty one.
// An exception on any rank is that rank's to report (the caller ends the job).
SimulationResult simulate_to_file_distributed(const std::string& path, const Scenario& scenario,
                                              const SimulationOptions& options, const ProcessGroup& group);

}  // namespace vtrial
