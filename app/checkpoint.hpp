#pragma once
// A long run keeps each completed block of 65,536 trials on disk as it goes, in the directory
// ".NAME.blocks" beside its output NAME, so that after a SIGKILL, a power cut or a full disk the
// same command with --resume simulates only the blocks that are missing. Each block file is
// written atomically (temporary name, then rename) and carries the run's resolved scenario,
// seed, program version and source revision; --resume refuses blocks of another run, and reads
// every kept block back in full (checksums) before trusting it. The output is then joined from
// the blocks as a merge joins shards, so it equals an uninterrupted run's file bit for bit; the
// directory is removed once the output is in place.
#include <string>

#include "app/sample_size.hpp"
#include "app/simulation.hpp"

namespace vtrial {

std::string checkpoint_directory(const std::string& output);

// The run of simulate_to_file through kept blocks; `resume` reuses the blocks a previous run of
// the same command kept (refusing those of another run) instead of starting afresh.
SimulationResult simulate_with_checkpoints(const std::string& path, const Scenario& scenario,
                                           const SimulationOptions& options, bool resume);

// The same for a sweep: each block file holds every N's rows of its trials; the tables are
// joined from the blocks and the sweep computed from them (app/sample_size.hpp).
SweepResult sweep_with_checkpoints(const std::string& path, const Scenario& scenario,
                                   const std::vector<std::int64_t>& sample_sizes, const SimulationOptions& options,
                                   bool resume);

}  // namespace vtrial
