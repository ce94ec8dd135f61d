#pragma once
// Joins the shard files of one run (vtrial run --shard K/N) into the file a single vtrial run
// would have written: /trials, /patients and /trajectories are the shards' rows in trial
// order; /summary and /design are tallied again from the merged rows, in the same order and
// blocks as a single run, so every dataset is bit-identical to it.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/design_summary.hpp"
#include "app/shard.hpp"
#include "engine/hdf5_input.hpp"
#include "engine/power_summary.hpp"

namespace vtrial {

class TrialPlan;

// Writes `output`, the single run's file, from files holding its /trials rows (and /patients,
// /trajectories) in trial order: shards, or the blocks a run keeps (app/checkpoint.hpp). The
// summary and design are tallied from the rows in a single run's blocks, so every dataset is
// bit-identical to a single run's.
// The rows of `group` of each file, one after another (files without the group add none).
ResultTable concatenated_rows(const std::vector<std::string>& files, const std::string& group,
                              const std::vector<ColumnSpec>& specs);

// Returns the power and design summary it wrote.
// Files are opened one at a time.
std::pair<std::vector<EndpointPower>, DesignSummary> join_run_files(const TrialPlan& plan,
                                                                    const std::vector<std::string>& files,
                                                                    const std::string& output);

// What each shard file says about itself, read before anything is merged.
struct ShardFile {
  std::string path;
  Shard shard;
  TrialRange range;
  std::string scenario, version, source_revision;
  std::string shard_of = "vtrial.run";  // or vtrial.sweep
  std::string patients;                 // a sweep's sample sizes, "60,80,100"
  std::int64_t seed = 0, trials = 0, format_version = 0;
};

// Reads a shard file's attributes; throws std::runtime_error if `path` is not one.
ShardFile read_shard_file(const std::string& path);

// Checks that the shards are of one run (the same resolved scenario, seed, trials, program
// version and source revision, file-format version and shard count) and cover every trial
// exactly once; throws std::runtime_error naming what differs, or which shard is missing or
// doubled. Returns them in trial order.
std::vector<ShardFile> check_shards(const std::vector<std::string>& paths);

// The shards of the run that `paths` are part of that none of them holds, in order.
std::vector<Shard> missing_shards(const std::vector<std::string>& paths);

// Checks, then writes `output` (atomically, as every result file); returns the number of trials.
std::size_t merge_shards(const std::vector<std::string>& paths, const std::string& output);

}  // namespace vtrial
