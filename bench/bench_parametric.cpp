// The parametric model's hot loop, piece by piece: one patient, the log-rank test, and one
// whole trial (simulate + analyse) as the runner does it on each worker.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "bench/bench_common.hpp"
#include "engine/random_stream.hpp"
#include "engine/stats/logrank.hpp"
#include "models/enrollment.hpp"
#include "models/parametric/parametric_patient.hpp"
#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"

namespace {

using namespace vtrial;

void BM_ParametricPatient(benchmark::State& state) {
  const Scenario scenario = bench::parametric_scenario();
  ParametricPatient model(scenario.parametric, scenario.trial, scenario.dropout);
  PatientRecord record;
  std::uint64_t slot = 0;
  for (auto _ : state) {
    record.arm = static_cast<std::uint8_t>(slot & 1);
    model.simulate({scenario.simulation.seed, 0, slot++}, record, nullptr);
    benchmark::DoNotOptimize(record);
  }
  state.counters["patients"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParametricPatient);

// The log-rank test on data sets of n patients (half per arm, hazard ratio 1.5), cycling
// through 256 of them: on one repeated data set the branch predictor learns the sort's
// branches and the figure is several times too optimistic compared with a simulation, where
// every trial's times are new. `visit_days` 7 ties the times to weekly visits (at most 13
// distinct in 12 weeks, as in the trial); 0 leaves them continuous. Times past
// `follow_up_days` are censored there (84, the trial's 12 weeks); with kNoCensoring every
// time is observed, as in bench/compare_rpact.
constexpr double kNoCensoring = std::numeric_limits<double>::infinity();
void log_rank_benchmark(benchmark::State& state, double visit_days, double follow_up_days = 84) {
  const auto n = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kDataSets = 256;
  std::vector<double> time(n * kDataSets);
  std::vector<std::uint8_t> event(n * kDataSets), group(n * kDataSets);
  RandomStream stream({1, 2, 3, 4});
  for (std::size_t i = 0; i < time.size(); ++i) {
    group[i] = static_cast<std::uint8_t>(i & 1);
    const double rate = std::log(2.0) / 21 * (group[i] ? 1.5 : 1.0);
    const double exact = -std::log(stream.uniform_open01()) / rate;
    const double t = visit_days > 0 ? std::ceil(exact / visit_days) * visit_days : exact;
    event[i] = t <= follow_up_days ? 1 : 0;
    time[i] = t <= follow_up_days ? t : follow_up_days;
  }
  LogRankWorkspace workspace;
  std::size_t set = 0;
  for (auto _ : state) {
    const std::size_t at = set * n;
    benchmark::DoNotOptimize(log_rank_test(std::span(time).subspan(at, n), std::span(event).subspan(at, n),
                                           std::span(group).subspan(at, n), workspace));
    set = set + 1 == kDataSets ? 0 : set + 1;
  }
  state.counters["patients"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
}
void BM_LogRank(benchmark::State& state) { log_rank_benchmark(state, 7); }
void BM_LogRankContinuous(benchmark::State& state) { log_rank_benchmark(state, 0); }
void BM_LogRankUncensored(benchmark::State& state) { log_rank_benchmark(state, 0, kNoCensoring); }
BENCHMARK(BM_LogRank)->Arg(100)->Arg(1000);
BENCHMARK(BM_LogRankContinuous)->Arg(100)->Arg(1000);
BENCHMARK(BM_LogRankUncensored)->Arg(100)->Arg(1000);

// One 100-patient trial on warm objects: what a worker thread does per trial.
void BM_ParametricTrial(benchmark::State& state) {
  const Scenario scenario = bench::parametric_scenario(state.range(0));
  TrialSimulator simulator(scenario);
  TrialAnalysis analysis(scenario);
  std::vector<double> row(analysis.columns().size());
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  std::uint64_t trial = 0;
  for (auto _ : state) {
    const auto records = simulator.simulate(trial++, patients);
    analysis.analyze(records, row);
    benchmark::DoNotOptimize(row.data());
    benchmark::ClobberMemory();
  }
  state.counters["trials"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["patients"] =
      benchmark::Counter(static_cast<double>(state.iterations() * patients), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParametricTrial)->Arg(100)->ArgName("patients");

// Only the simulation half, to split the trial's cost between the model and the analysis.
void BM_ParametricTrialSimulateOnly(benchmark::State& state) {
  const Scenario scenario = bench::parametric_scenario(state.range(0));
  TrialSimulator simulator(scenario);
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  std::uint64_t trial = 0;
  for (auto _ : state) {
    const auto records = simulator.simulate(trial++, patients);
    benchmark::DoNotOptimize(records.data());
    benchmark::ClobberMemory();
  }
  state.counters["trials"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParametricTrialSimulateOnly)->Arg(100)->ArgName("patients");

// The enrollment calendar of one 100-patient trial alone (EnrollmentProcess::schedule: site
// openings, gamma site rates, one exponential gap per arrival, consent refusals), with the
// registered scenario's enrollment settings and screening counts of its parametric patients.
void BM_EnrollmentSchedule(benchmark::State& state) {
  const Scenario scenario = bench::parametric_scenario(state.range(0));
  TrialSimulator simulator(scenario);
  const auto simulated = simulator.simulate(0, static_cast<std::size_t>(scenario.trial.patients));
  std::vector<PatientRecord> records(simulated.begin(), simulated.end());
  EnrollmentProcess enrollment(scenario.enrollment);
  std::uint64_t trial = 0;
  std::uint64_t arrivals = 0;
  for (auto _ : state) {
    arrivals += enrollment.schedule(scenario.simulation.seed, trial++, records);
    benchmark::DoNotOptimize(records.data());
    benchmark::ClobberMemory();
  }
  state.counters["trials"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["arrivals"] = benchmark::Counter(static_cast<double>(arrivals), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EnrollmentSchedule)->Arg(100)->ArgName("patients");

// Cost against trial size (docs/performance.md: growth with patients per trial).
BENCHMARK(BM_ParametricTrial)->Name("BM_ParametricTrialScaling")->Arg(50)->Arg(200)->Arg(400)->ArgName("patients");

}  // namespace
