#include "app/checkpoint.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <tuple>

#include "app/merge.hpp"
#include "app/provenance.hpp"
#include "app/sweep_tally.hpp"
#include "app/trial_plan.hpp"
#include "engine/hdf5_input.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/hdf5_verify.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "engine/output_target.hpp"
#include "engine/progress_bar.hpp"

namespace vtrial {
namespace {

namespace fs = std::filesystem;

std::string block_name(std::size_t b) {
  char name[32];
  std::snprintf(name, sizeof name, "block%06zu.h5", b);
  return name;
}

// Only vtrial's own names: block files and their temporary files.
bool ours(const std::string& name) {
  return (name.rfind("block", 0) == 0 && name.size() > 3 && name.substr(name.size() - 3) == ".h5") ||
         (name.rfind(".block", 0) == 0 && name.find(".h5.tmp.") != std::string::npos);
}

void refuse_foreign_files(const fs::path& directory) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec))
    if (!ours(entry.path().filename().string()))
      throw std::runtime_error("refusing to reuse " + directory.string() + ": it holds " + entry.path().string() +
                               ", which vtrial did not write; remove it or choose another output");
}

// Removes vtrial's own files only (a file another program put there since stays, and with it
// the directory).
void remove_own_files(const fs::path& directory) {
  std::error_code ec;
  std::vector<fs::path> own;
  for (const auto& entry : fs::directory_iterator(directory, ec))
    if (ours(entry.path().filename().string())) own.push_back(entry.path());
  for (const auto& p : own) fs::remove(p, ec);
}

// The identity of a block about to be joined, read again: a second run writing to the same
// output at the same time (a job array that varies --seed but not -o) replaces blocks under
// this one; the join must then stop rather than publish a mixture.
void confirm_block(const fs::path& path, const Scenario& scenario, std::size_t first, std::size_t rows,
                   const std::string& sizes) {
  const Hdf5Input in(path.string());
  const bool same = in.text_attribute("filetype").value_or("") == "vtrial.block" &&
                    in.integer_attribute("seed").value_or(-1) == static_cast<std::int64_t>(scenario.simulation.seed) &&
                    in.text_attribute("scenario").value_or("") == scenario.resolved_yaml &&
                    in.text_attribute("patients").value_or("") == sizes &&
                    in.integer_attribute("first_trial").value_or(-1) == static_cast<std::int64_t>(first) &&
                    in.integer_attribute("block_trials").value_or(-1) == static_cast<std::int64_t>(rows);
  if (!same)
    throw std::runtime_error(path.string() +
                             " changed while this run was using it (another vtrial run to the same output at the "
                             "same time?); nothing was written; give each run its own output");
}

// A block's /trials rows, or (with `extras`) the kept patients and trajectories of the first
// trials, which a run has only once its first range is done.
void write_part(const fs::path& path, const Scenario& scenario, const TrialPlan& plan, const ResultTable& trials,
                std::size_t rows, std::size_t first, const SimulationResult* extras) {
  std::error_code ec;
  fs::remove(path, ec);  // a damaged block of ours, to be written again (not one of another run's)
  Hdf5Output out(path.string());
  write_run_attributes(out, scenario, "vtrial.block");
  out.root_attribute("first_trial", static_cast<std::int64_t>(first));
  out.root_attribute("block_trials", static_cast<std::int64_t>(rows));
  if (extras) {
    out.write_table("patients", extras->patients);
    if (extras->trajectories.rows() > 0) out.write_table("trajectories", extras->trajectories);
  } else {
    auto stream = out.stream_table("trials", plan.columns(), rows);
    stream.write(trials, 0, rows);
    stream.finish();
  }
  out.commit();
}

// Whether a kept block is this run's block b, whole; a block of another run is an error.
// `sizes` is a sweep's sample sizes ("" for a run): blocks of a run and of a sweep differ.
bool usable_block(const fs::path& path, const Scenario& scenario, std::size_t first, std::size_t rows,
                  const std::string& sizes = "") {
  if (!check_result_file(path.string()).problems.empty()) return false;  // damaged: simulate it again
  const Hdf5Input in(path.string());
  const auto differ = [&](const std::string& what) {
    throw std::runtime_error("--resume: " + path.string() + " was kept by another run (" + what +
                             " differs); run without --resume to start afresh");
  };
  if (in.text_attribute("filetype").value_or("") != "vtrial.block") differ("its filetype");
  if (in.integer_attribute("seed").value_or(-1) != static_cast<std::int64_t>(scenario.simulation.seed))
    differ("the seed");
  if (in.text_attribute("scenario").value_or("") != scenario.resolved_yaml) differ("the resolved scenario");
  if (in.text_attribute("version").value_or("") != VTRIAL_VERSION) differ("the program version");
  if (in.text_attribute("source_revision").value_or("") != source_revision()) differ("the source revision");
  if (in.text_attribute("patients").value_or("") != sizes) differ("the sweep's sample sizes");
  return in.integer_attribute("first_trial").value_or(-1) == static_cast<std::int64_t>(first) &&
         in.integer_attribute("block_trials").value_or(-1) == static_cast<std::int64_t>(rows);
}

// Removes the blocks directory on the way out if nothing was kept in it (a run refused before
// its first block leaves nothing behind).
struct RemoveIfEmpty {
  fs::path directory;
  ~RemoveIfEmpty() {
    std::error_code ec;
    if (fs::is_directory(directory, ec) && fs::is_empty(directory, ec)) fs::remove(directory, ec);
  }
};

fs::path prepare_directory(const std::string& path, bool resume) {
  check_output_target(path);  // before anything runs, as every run
  const fs::path directory = checkpoint_directory(path);
  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec))
    throw std::runtime_error("refusing to use " + directory.string() + " for kept blocks: it is not a directory");
  if (fs::exists(directory, ec)) refuse_foreign_files(directory);
  if (!resume && fs::exists(directory, ec)) remove_own_files(directory);
  if (resume && !fs::exists(directory, ec))
    std::cerr << "vtrial: --resume: no kept blocks at " << directory.string() << "; running every trial\n";
  fs::create_directories(directory, ec);
  if (ec) throw std::runtime_error("cannot create " + directory.string() + ": " + ec.message());
  return directory;
}

}  // namespace

std::string checkpoint_directory(const std::string& output) {
  const fs::path target(output);
  return (target.parent_path() / ("." + target.filename().string() + ".blocks")).string();
}

SimulationResult simulate_with_checkpoints(const std::string& path, const Scenario& scenario,
                                           const SimulationOptions& options, bool resume) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path directory = prepare_directory(path, resume);
  const RemoveIfEmpty cleanup{directory};
  std::error_code ec;

  const TrialPlan plan(scenario);
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const std::size_t block = Hdf5Output::kChunkRows;
  const std::size_t blocks = (trials + block - 1) / block;
  const fs::path extras_file = directory / "blocks_extras.h5";
  std::vector<bool> kept(blocks, false);
  std::size_t reused = 0;
  if (resume)
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t first = b * block, rows = std::min(trials, first + block) - first;
      const fs::path file = directory / block_name(b);
      kept[b] = fs::exists(file, ec) && usable_block(file, scenario, first, rows);
      reused += kept[b] ? 1 : 0;
    }
  if (reused > 0)
    std::cerr << "vtrial: --resume: " << reused << " of " << blocks << " blocks were kept by the run before\n";
  const bool extras_kept = resume && fs::exists(extras_file, ec) && usable_block(extras_file, scenario, 0, 0);

  // Each stretch of missing blocks is one streamed simulation (blocks overlap with writing the
  // previous one, as in an ordinary run); each block lands in its own file as it completes.
  ResultTable trimmed;
  for (std::size_t b = 0; b < blocks;) {
    if (kept[b]) {
      ++b;
      continue;
    }
    std::size_t end = b;
    while (end < blocks && !kept[end]) ++end;
    SimulationOptions stretch = options;
    stretch.range = TrialRange{b * block, std::min(trials, end * block)};
    stretch.block_trials = block;
    const SimulationResult part =
        simulate_scenario(plan, stretch, [&](const ResultTable& rows_of, std::size_t first, std::size_t rows) {
          write_part(directory / block_name(first / block), scenario, plan, rows_of, rows, first, nullptr);
        });
    if (b == 0) write_part(extras_file, scenario, plan, trimmed, 0, 0, &part);
    b = end;
  }
  if (kept[0] && !extras_kept) {  // block 0 kept, its patients not yet: only those trials again
    SimulationOptions first_trials = options;
    first_trials.progress = false;
    const auto needed = std::max<std::size_t>(1, std::min<std::size_t>(trials, scenario.output.patient_trials));
    first_trials.range = TrialRange{0, needed};
    const SimulationResult again = simulate_scenario(plan, first_trials);
    write_part(extras_file, scenario, plan, trimmed, 0, 0, &again);
  }

  std::vector<std::string> files;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t first = b * block;
    files.push_back((directory / block_name(b)).string());
    confirm_block(files.back(), scenario, first, std::min(trials, first + block) - first, "");
  }
  files.push_back(extras_file.string());
  confirm_block(extras_file, scenario, 0, 0, "");
  SimulationResult result;
  std::tie(result.power, result.design) = join_run_files(plan, files, path);
  remove_own_files(directory);
  fs::remove(directory, ec);  // only if nothing else is left in it
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

SweepResult sweep_with_checkpoints(const std::string& path, const Scenario& scenario,
                                   const std::vector<std::int64_t>& sample_sizes, const SimulationOptions& options,
                                   bool resume) {
  const auto start = std::chrono::steady_clock::now();
  const TrialPlan plan(scenario);
  // The kept blocks hold every trial's rows at every N (on disk, read back one at a time).
  check_table_memory(plan, sample_sizes.size(), "vtrial sweep");
  const fs::path directory = prepare_directory(path, resume);
  const RemoveIfEmpty cleanup{directory};
  std::error_code ec;
  std::string sizes;
  for (auto n : sample_sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(n);
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const std::size_t block = Hdf5Output::kChunkRows;
  const std::size_t blocks = (trials + block - 1) / block;
  std::size_t reused = 0;
  // One bar over the whole sweep, not one per block.
  ProgressBar bar(trials, options.progress && stderr_is_terminal());
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t first = b * block, rows = std::min(trials, first + block) - first;
    const fs::path file = directory / block_name(b);
    if (resume && fs::exists(file, ec) && usable_block(file, scenario, first, rows, sizes)) {
      ++reused;
      bar.advance(rows);
      continue;
    }
    SimulationOptions part = options;
    part.range = TrialRange{first, first + rows};
    part.bar = &bar;
    const std::vector<ResultTable> tables = simulate_sample_sizes(plan, sample_sizes, part);
    fs::remove(file, ec);  // a damaged block of ours, to be written again
    Hdf5Output out(file.string());
    write_run_attributes(out, scenario, "vtrial.block");
    out.root_attribute("first_trial", static_cast<std::int64_t>(first));
    out.root_attribute("block_trials", static_cast<std::int64_t>(rows));
    out.root_attribute("patients", sizes);
    for (std::size_t i = 0; i < sample_sizes.size(); ++i) out.write_table(sweep_group(sample_sizes[i]), tables[i]);
    out.commit();
  }
  if (reused > 0)
    std::cerr << "vtrial: --resume: " << reused << " of " << blocks << " blocks were kept by the sweep before\n";
  std::vector<std::string> files;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t first = b * block;
    files.push_back((directory / block_name(b)).string());
    confirm_block(files.back(), scenario, first, std::min(trials, first + block) - first, sizes);
  }
  // One kept block at a time: memory is a block's tables, not every trial's.
  SweepTally tally(plan, sample_sizes);
  for (const auto& file : files) {
    std::vector<ResultTable> tables;
    for (auto n : sample_sizes) tables.push_back(concatenated_rows({file}, "/" + sweep_group(n), plan.columns()));
    tally.add(tables, tables.front().rows());
  }
  SweepResult result = tally.result();
  write_sweep(path, scenario, result, "vtrial.sweep");
  remove_own_files(directory);
  fs::remove(directory, ec);
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace vtrial
