#include "bindings/app/simulation.hpp"

#include <algorithm>
#include <chrono>

#include "engine/hdf5_output.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "models/record_tables.hpp"
#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"

namespace vtrial {
namespace {

// One per thread: simulates and analyses whole trials, writing row t of the shared tables.
struct TrialWorker {
  TrialSimulator simulator;
  TrialAnalysis analysis;
  std::vector<double> row;
  ResultTable* trials;
  std::vector<std::vector<PatientRecord>>* kept;
  std::size_t patients;

  void operator()(std::size_t t) {
    const auto records = simulator.simulate(t, patients);
    analysis.analyze(records, row);
    for (std::size_t c = 0; c < row.size(); ++c) trials->at(c, t) = row[c];
    if (t < kept->size()) (*kept)[t].assign(records.begin(), records.end());
  }
};

}  // namespace

SimulationResult simulate_scenario(const Scenario& scenario, const SimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  SimulationResult result;
  const auto trials = static_cast<std::size_t>(scenario.simulation.trials);
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  const TrialAnalysis prototype_analysis(scenario);
  const TrialSimulator prototype(scenario);
  result.trials = ResultTable(prototype_analysis.columns(), trials);
  std::vector<std::vector<PatientRecord>> kept(
      std::min(trials, static_cast<std::size_t>(scenario.output.patient_trials)));

  run_monte_carlo(trials, {options.threads, options.progress}, [&] {
    return TrialWorker{prototype, prototype_analysis, std::vector<double>(result.trials.columns()),
                       &result.trials, &kept, patients};
  });

  result.patients = patient_table(kept);
  const auto traced = std::min(patients, static_cast<std::size_t>(scenario.output.trajectory_patients));
  if (traced > 0) {
    // Trial 0 again, recording courses: the same streams give the same patients as the run.
    TrialSimulator simulator(prototype);
    std::vector<Trajectory> courses(traced);
    const auto records = simulator.simulate(0, traced, &courses);
    std::vector<std::uint8_t> arms;
    for (const auto& r : records) arms.push_back(r.arm);
    result.trajectories = trajectory_table(courses, arms);
  }
  result.power = summarize_power(result.trials, prototype_analysis.endpoints());
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
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

void write_simulation(const std::string& path, const Scenario& scenario, const SimulationResult& result) {
  Hdf5Output out(path);
  out.root_attribute("filetype", std::string("vtrial.run"));
  out.root_attribute("version", std::string(VTRIAL_VERSION));
  out.root_attribute("scenario", scenario.resolved_yaml);
  out.root_attribute("seed", static_cast<std::int64_t>(scenario.simulation.seed));
  out.root_attribute("trials", static_cast<std::int64_t>(scenario.simulation.trials));
  out.write_table("trials", result.trials);
  out.write_table("patients", result.patients);
  if (result.trajectories.rows() > 0) out.write_table("trajectories", result.trajectories);
  write_power_summary(out, "summary", result.power);
  out.commit();
}

}  // namespace vtrial
