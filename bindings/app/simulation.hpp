#pragma once
// Runs a scenario's Monte Carlo simulation on the thread pool and stores the results: the
// glue between the generic engine and the trial's models, shared by the CLI and Python.
#include <string>
#include <vector>

#include "engine/power_summary.hpp"
#include "engine/result_table.hpp"
#include "models/scenario.hpp"

namespace vtrial {

struct SimulationOptions {
  int threads = 0;        // 0 = all cores
  bool progress = false;  // progress bar on stderr when it is a terminal
};

struct SimulationResult {
  ResultTable trials;        // row t = trial t
  ResultTable patients;      // the first output.patient_trials trials, patient by patient
  ResultTable trajectories;  // the first output.trajectory_patients patients of trial 0
  std::vector<EndpointPower> power;
  double seconds = 0;
  int threads = 0;
};

SimulationResult simulate_scenario(const Scenario& scenario, const SimulationOptions& options);

// Writes the whole result (and the resolved scenario as an attribute) to `path` atomically.
void write_simulation(const std::string& path, const Scenario& scenario, const SimulationResult& result);

// The summary group: one row per endpoint.
void write_power_summary(class Hdf5Output& out, const std::string& group, const std::vector<EndpointPower>& power);

}  // namespace vtrial
