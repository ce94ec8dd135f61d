#include "app/simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "engine/hdf5_output.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "models/record_tables.hpp"
#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"

namespace vtrial {
namespace {

// One per thread: simulates a trial once at the largest sample size and analyses each
// requested sample size on its first n patients, writing the trial's row of each block table.
// Blocks alternate between two sets of tables (see run_monte_carlo_blocks): trial t goes to
// set (t / block_rows) % 2, row t % block_rows.
struct TrialWorker {
  TrialSimulator simulator;
  TrialAnalysis analysis;
  const std::vector<std::int64_t>* sample_sizes;
  std::array<std::vector<ResultTable>, 2>* tables;
  std::size_t block_rows;
  std::vector<std::vector<PatientRecord>>* kept;
  std::vector<double> row;
  std::size_t largest;

  void operator()(std::size_t t) {
    // Kept trials are written out patient by patient, so their records are complete; the
    // others fill only what the analysis reads.
    const bool keep = kept && t < kept->size();
    const auto records = simulator.simulate(t, largest, nullptr, keep ? OutputRequest{} : analysis.outputs_read());
    auto& set = (*tables)[(t / block_rows) % 2];
    const std::size_t r = t % block_rows;
    for (std::size_t i = 0; i < sample_sizes->size(); ++i) {
      analysis.analyze(records.first(static_cast<std::size_t>((*sample_sizes)[i])), row);
      for (std::size_t c = 0; c < row.size(); ++c) set[i].at(c, r) = row[c];
    }
    if (keep) (*kept)[t].assign(records.begin(), records.end());
  }
};

// Runs every trial in blocks of `block_rows`; after each block, on_block(tables, first, rows)
// sees that block's rows, one table per sample size.
template <class OnBlock>
void simulate_in_blocks(const Scenario& scenario, const std::vector<std::int64_t>& sample_sizes,
                        const SimulationOptions& options, std::size_t block_rows,
                        std::vector<std::vector<PatientRecord>>* kept, OnBlock on_block) {
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const TrialAnalysis prototype_analysis(scenario);
  const TrialSimulator prototype(scenario);
  const auto columns = prototype_analysis.columns();
  block_rows = std::max<std::size_t>(std::min(block_rows, trials), 1);
  std::array<std::vector<ResultTable>, 2> tables;
  for (std::size_t set = 0; set < (trials > block_rows ? 2 : 1); ++set)
    for (std::size_t i = 0; i < sample_sizes.size(); ++i) tables[set].emplace_back(columns, block_rows);
  const auto largest = static_cast<std::size_t>(*std::max_element(sample_sizes.begin(), sample_sizes.end()));
  run_monte_carlo_blocks(
      trials, block_rows, {options.threads, options.progress},
      [&] {
        return TrialWorker{prototype,
                           prototype_analysis,
                           &sample_sizes,
                           &tables,
                           block_rows,
                           kept,
                           std::vector<double>(columns.size()),
                           largest};
      },
      [&](std::size_t begin, std::size_t end) { on_block(tables[(begin / block_rows) % 2], begin, end - begin); });
}

}  // namespace

std::vector<ResultTable> simulate_sample_sizes(const Scenario& scenario, const std::vector<std::int64_t>& sample_sizes,
                                               const SimulationOptions& options,
                                               std::vector<std::vector<PatientRecord>>* kept) {
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  std::vector<ResultTable> result;
  simulate_in_blocks(scenario, sample_sizes, options, trials, kept,
                     [&](std::vector<ResultTable>& tables, std::size_t, std::size_t) { result = std::move(tables); });
  if (result.empty())  // no trials: empty tables with the columns
    for (std::size_t i = 0; i < sample_sizes.size(); ++i) result.emplace_back(TrialAnalysis(scenario).columns(), 0);
  return result;
}

SimulationResult simulate_scenario(const Scenario& scenario, const SimulationOptions& options,
                                   const TrialRowsSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  SimulationResult result;
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  std::vector<std::vector<PatientRecord>> kept(
      std::min(trials, static_cast<std::size_t>(scenario.output.patient_trials)));
  const TrialAnalysis analysis(scenario);
  const auto columns = analysis.columns();
  PowerTally power(columns, analysis.endpoints());
  DesignTally design(columns, analysis.looks());
  const std::size_t block_rows = !sink                      ? trials
                                 : options.block_trials > 0 ? options.block_trials
                                                            : Hdf5Output::kChunkRows;
  result.trials = ResultTable(columns, 0);
  simulate_in_blocks(scenario, {scenario.trial.patients}, options, block_rows, &kept,
                     [&](std::vector<ResultTable>& tables, std::size_t first, std::size_t rows) {
                       power.add(tables.front(), rows);
                       design.add(tables.front(), rows);
                       if (sink) {
                         sink(tables.front(), first, rows);
                       } else {
                         result.trials = std::move(tables.front());  // the only block: every trial
                       }
                     });
  result.patients = patient_table(kept);

  const auto traced = std::min(patients, static_cast<std::size_t>(scenario.output.trajectory_patients));
  if (traced > 0) {
    // Trial 0 again, recording courses: the same streams give the same patients as the run.
    TrialSimulator simulator(scenario);
    std::vector<Trajectory> courses(traced);
    const auto records = simulator.simulate(0, traced, &courses);
    std::vector<std::uint8_t> arms;
    for (const auto& r : records) arms.push_back(r.arm);
    result.trajectories = trajectory_table(courses, arms);
  }
  result.power = power.result();
  result.design = design.result();
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void write_run_attributes(Hdf5Output& out, const Scenario& scenario, const std::string& filetype) {
  out.root_attribute("filetype", filetype);
  out.root_attribute("version", std::string(VTRIAL_VERSION));
  out.root_attribute("scenario", scenario.resolved_yaml);
  out.root_attribute("seed", static_cast<std::int64_t>(scenario.simulation.seed));
  out.root_attribute("trials", static_cast<std::int64_t>(scenario.simulation.trials));
}

void write_power_summary(Hdf5Output& out, const std::string& group, const std::vector<EndpointPower>& power) {
  ResultTable table({{"power", ColumnType::real},
                     {"mc_se", ColumnType::real},
                     {"ci_low", ColumnType::real},
                     {"ci_high", ColumnType::real},
                     {"rejections", ColumnType::integer},
                     {"trials", ColumnType::integer}},
                    power.size());
  std::vector<std::string> names;
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto& p = power[i];
    names.push_back(p.name);
    std::size_t c = 0;
    for (double v : {p.power, p.mc_se, p.ci_low, p.ci_high, double(p.rejections), double(p.trials)})
      table.at(c++, i) = v;
  }
  out.write_strings(group, "endpoint", names);
  out.write_table(group, table);
}

void write_design_summary(Hdf5Output& out, const std::string& group, const DesignSummary& d) {
  std::vector<ColumnSpec> cols;
  std::vector<double> values;
  const auto add = [&](const std::string& name, double v) {
    cols.push_back({name, ColumnType::real});
    values.push_back(v);
  };
  add("p_enrolled_by_deadline", d.p_enrolled_by_deadline);
  add("p_enrolled_ci_low", d.p_enrolled_low);
  add("p_enrolled_ci_high", d.p_enrolled_high);
  add("p_completed_by_deadline", d.p_completed_by_deadline);
  add("p_completed_ci_low", d.p_completed_low);
  add("p_completed_ci_high", d.p_completed_high);
  add("median_enrollment_days", d.median_enrollment_days);
  add("enrollment_days_p10", d.enrollment_days_p10);
  add("enrollment_days_p90", d.enrollment_days_p90);
  add("mean_screened", d.mean_screened);
  add("mean_patients", d.mean_patients);
  add("mean_events", d.mean_events);
  for (const auto& [name, v] : d.descriptive) add("mean_" + name, v);
  for (std::size_t j = 0; j < d.p_stop_at_look.size(); ++j)
    add("p_stop_at_look" + std::to_string(j), d.p_stop_at_look[j]);
  if (!d.p_stop_at_look.empty()) add("p_futility_stop", d.p_futility_stop);
  ResultTable table(cols, 1);
  for (std::size_t c = 0; c < values.size(); ++c) table.at(c, 0) = values[c];
  out.write_table(group, table);
}

namespace {

void write_all_but_trials(Hdf5Output& out, const SimulationResult& result) {
  out.write_table("patients", result.patients);
  if (result.trajectories.rows() > 0) out.write_table("trajectories", result.trajectories);
  write_power_summary(out, "summary", result.power);
  write_design_summary(out, "design", result.design);
}

}  // namespace

void write_simulation(const std::string& path, const Scenario& scenario, const SimulationResult& result) {
  Hdf5Output out(path);
  write_run_attributes(out, scenario, "vtrial.run");
  out.write_table("trials", result.trials);
  write_all_but_trials(out, result);
  out.commit();
}

SimulationResult simulate_to_file(const std::string& path, const Scenario& scenario, const SimulationOptions& options) {
  // The file is opened first (an unwritable path fails before any simulation) under its
  // temporary name; a failure anywhere below removes it and leaves `path` untouched.
  Hdf5Output out(path);
  write_run_attributes(out, scenario, "vtrial.run");
  SimulationResult result;
  {
    auto trials = out.stream_table("trials", TrialAnalysis(scenario).columns(),
                                   static_cast<std::size_t>(scenario.simulation.trials));
    result = simulate_scenario(scenario, options, [&](const ResultTable& block, std::size_t first, std::size_t rows) {
      trials.write(block, first, rows);
    });
    trials.finish();
  }
  write_all_but_trials(out, result);
  out.commit();
  return result;
}

}  // namespace vtrial
