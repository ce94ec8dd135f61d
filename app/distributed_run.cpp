#include "app/distributed_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "app/trial_plan.hpp"
#include "app/uncertainty_tally.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "engine/progress_bar.hpp"

namespace vtrial {
namespace {

constexpr int kBlockTag = 1;

// Column-major rows [0, rows) of a block, as one message.
std::vector<double> packed(const ResultTable& block, std::size_t rows) {
  std::vector<double> buffer;
  buffer.reserve(block.columns() * rows);
  for (std::size_t c = 0; c < block.columns(); ++c)
    buffer.insert(buffer.end(), block.column(c).begin(), block.column(c).begin() + static_cast<std::ptrdiff_t>(rows));
  return buffer;
}

void unpack(const std::vector<double>& buffer, ResultTable& block, std::size_t rows) {
  for (std::size_t c = 0; c < block.columns(); ++c)
    std::copy_n(buffer.begin() + static_cast<std::ptrdiff_t>(c * rows), rows, &block.at(c, 0));
}

// For the test of a failing rank (tests/e2e/test_mpi.py): VTRIAL_FAULT_RANK=r makes rank r
// fail at its first block, as a rank whose node runs out of memory would.
void injected_fault(const ProcessGroup& group) {
  const char* rank = std::getenv("VTRIAL_FAULT_RANK");
  if (rank && std::atoi(rank) == group.rank())
    throw std::runtime_error("injected fault (VTRIAL_FAULT_RANK=" + std::string(rank) + ")");
}

}  // namespace

std::vector<ResultTable> simulate_sample_sizes_distributed(const TrialPlan& plan,
                                                           const std::vector<std::int64_t>& sample_sizes,
                                                           const SimulationOptions& options,
                                                           const ProcessGroup& group) {
  const auto trials = static_cast<std::size_t>(plan.scenario().simulation.trials);
  const auto ranks = static_cast<std::int64_t>(std::min<std::size_t>(static_cast<std::size_t>(group.size()), trials));
  SimulationOptions part = options;
  part.group = nullptr;
  part.progress = options.progress && group.rank() == 0;
  std::vector<ResultTable> mine;
  if (group.rank() < ranks) {
    injected_fault(group);
    part.shard = Shard{group.rank() + 1, ranks};
    mine = simulate_sample_sizes(plan, sample_sizes, part);
  }
  std::vector<ResultTable> whole;
  for (std::size_t i = 0; i < sample_sizes.size(); ++i) {
    ResultTable table(plan.columns(), trials);
    std::vector<double> buffer;
    for (std::int64_t r = 0; r < ranks; ++r) {
      const TrialRange range = shard_range({r + 1, ranks}, trials);
      if (group.rank() == 0) {
        if (r == 0) {
          buffer = packed(mine[i], range.size());
        } else {
          buffer.resize(plan.columns().size() * range.size());
          group.receive(buffer, static_cast<int>(r), kBlockTag);
        }
        for (std::size_t c = 0; c < table.columns(); ++c)
          std::copy_n(buffer.begin() + static_cast<std::ptrdiff_t>(c * range.size()), range.size(),
                      &table.at(c, range.first));
      } else if (group.rank() == r) {
        group.send(packed(mine[i], range.size()), 0, kBlockTag);
      }
    }
    std::vector<double> all = packed(table, trials);  // rank 0's, to every rank
    group.broadcast(all, 0);
    unpack(all, table, trials);
    whole.push_back(std::move(table));
  }
  return whole;
}

SimulationResult simulate_to_file_distributed(const std::string& path, const Scenario& scenario,
                                              const SimulationOptions& options, const ProcessGroup& group) {
  const auto start = std::chrono::steady_clock::now();
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const auto ranks = static_cast<std::size_t>(group.size());
  // About eight blocks per rank, so that a run of a few thousand mechanistic trials is spread
  // too; at most the file's chunk (65,536), at least 256 trials (a message per block), and at
  // least the kept trials (at most 10,000), so that they are all in block 0, on rank 0.
  const auto kept = static_cast<std::size_t>(scenario.output.patient_trials);
  const std::size_t block = std::clamp<std::size_t>((trials + 8 * ranks - 1) / (8 * ranks),
                                                    std::max<std::size_t>(256, kept), Hdf5Output::kChunkRows);
  const std::size_t blocks = (trials + block - 1) / block;
  const auto me = static_cast<std::size_t>(group.rank());
  const TrialPlan plan(scenario);
  const auto run_block = [&](std::size_t b) {
    injected_fault(group);
    SimulationOptions one = options;
    one.progress = false;
    one.shard.reset();
    one.range = TrialRange{b * block, std::min(trials, (b + 1) * block)};
    return simulate_scenario(plan, one);
  };
  if (me != 0) {
    for (std::size_t b = me; b < blocks; b += ranks) {
      const SimulationResult part = run_block(b);
      group.send(packed(part.trials, part.trials.rows()), 0, kBlockTag);
    }
    return {};
  }

  Hdf5Output out(path);
  write_run_attributes(out, scenario, "vtrial.run");
  write_schema(out, plan);
  PowerTally power(plan.columns(), plan.tallied_names(), plan.weight_column());
  DesignTally design(plan.columns(), plan.looks(), plan.descriptive_names());
  auto uncertainty = uncertainty_tally(plan);
  SimulationResult result;
  // Rank 0's bar counts every rank's trials as their blocks arrive; the other ranks draw none.
  ProgressBar progress(trials, options.progress && stderr_is_terminal());
  {
    auto stream = out.stream_table("trials", plan.columns(), trials);
    ResultTable received(plan.columns(), std::min(trials, block));
    std::vector<double> buffer;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t first = b * block, rows = std::min(trials, first + block) - first;
      const ResultTable* rows_of_b = &received;
      SimulationResult local;
      if (b % ranks == 0) {
        local = run_block(b);
        rows_of_b = &local.trials;
        if (b == 0) {  // the first trials: the kept patients and the trajectories
          result.patients = std::move(local.patients);
          result.trajectories = std::move(local.trajectories);
        }
      } else {
        buffer.resize(plan.columns().size() * rows);
        group.receive(buffer, static_cast<int>(b % ranks), kBlockTag);
        unpack(buffer, received, rows);
      }
      power.add(*rows_of_b, rows);
      design.add(*rows_of_b, rows);
      if (uncertainty) uncertainty->add(*rows_of_b, first, rows);
      stream.write(*rows_of_b, first, rows);
      progress.advance(rows);
    }
    stream.finish();
  }
  progress.finish();
  result.power = plan.describe(power.result());
  result.design = plan.describe(design.result());
  out.write_table("patients", result.patients);
  if (result.trajectories.rows() > 0) out.write_table("trajectories", result.trajectories);
  if (uncertainty) result.uncertainty = uncertainty->result();
  write_uncertainty(out, plan, result.uncertainty);
  write_power_summary(out, "summary", result.power);
  write_design_summary(out, "design", result.design);
  out.commit();
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace vtrial
