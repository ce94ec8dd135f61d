// The mechanistic model (models/mechanistic/): one patient and one whole trial. Its cost
// scales with the days simulated, so the rate reported is patient-days per second (the sum of
// PatientRecord::time_days over the patients simulated). While the model is not yet available
// in the build (its factory throws), the benchmarks skip with that message instead of failing.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "models/mechanistic/mechanistic_patient.hpp"
#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"

namespace {

using namespace vtrial;

// The two integrators of ln V (mechanistic.numerics.integrator), by benchmark argument.
const char* integrator_name(std::int64_t arg) { return arg == 0 ? "adaptive" : "quadrature"; }

// The registered trial with the mechanistic model and its default parameters, integrated by
// `integrator`.
Scenario mechanistic_scenario(const std::string& integrator) {
  return bench::scenario_from_yaml(
      "name: bench_mechanistic\n"
      "model: mechanistic\n"
      "mechanistic:\n"
      "  numerics:\n"
      "    integrator: " +
      integrator +
      "\n"
      "trial:\n"
      "  patients: 100\n"
      "  follow_up_days: 84\n"
      "  visit_interval_days: 7\n"
      "simulation:\n"
      "  trials: 1\n"
      "  seed: 20250520\n"
      "output:\n"
      "  patient_trials: 0\n");
}

// One default patient, arms alternating; argument 0 = adaptive, 1 = quadrature. Both run in one
// process, so their ratio is measured on the same machine load (docs/performance.md).
void BM_MechanisticPatient(benchmark::State& state) {
  std::unique_ptr<PatientModel> model;
  Scenario scenario;
  state.SetLabel(integrator_name(state.range(0)));
  try {
    scenario = mechanistic_scenario(integrator_name(state.range(0)));
    model = make_mechanistic_patient(scenario);
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("mechanistic model unavailable: ") + e.what()).c_str());
    return;
  }
  PatientRecord record;
  std::uint64_t slot = 0;
  double patient_days = 0;
  for (auto _ : state) {
    record = PatientRecord{};
    record.arm = static_cast<std::uint8_t>(slot & 1);
    model->simulate({scenario.simulation.seed, 0, slot++}, record, nullptr);
    patient_days += record.time_days;
    benchmark::DoNotOptimize(record);
  }
  state.counters["patients"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["patient_days"] = benchmark::Counter(patient_days, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MechanisticPatient)->Arg(0)->Arg(1);

// One 100-patient trial, integrator by argument as above (simulate + analyse) on warm objects.
void BM_MechanisticTrial(benchmark::State& state) {
  Scenario scenario;
  std::unique_ptr<TrialSimulator> simulator;
  std::unique_ptr<TrialAnalysis> analysis;
  state.SetLabel(integrator_name(state.range(0)));
  try {
    scenario = mechanistic_scenario(integrator_name(state.range(0)));
    simulator = std::make_unique<TrialSimulator>(scenario);
    analysis = std::make_unique<TrialAnalysis>(scenario);
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("mechanistic model unavailable: ") + e.what()).c_str());
    return;
  }
  std::vector<double> row(analysis->columns().size());
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  std::uint64_t trial = 0;
  double patient_days = 0;
  for (auto _ : state) {
    const auto records = simulator->simulate(trial++, patients);
    for (const auto& r : records) patient_days += r.time_days;
    analysis->analyze(records, row);
    benchmark::DoNotOptimize(row.data());
    benchmark::ClobberMemory();
  }
  state.counters["trials"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["patient_days"] = benchmark::Counter(patient_days, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MechanisticTrial)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
