// What priors cost: the same trials with and without `uncertainty:`, on one thread. The draw is
// once per trial (keyed streams, inversion) and the population is re-read by replaying the
// scenario's Settings; the patients themselves cost the same. range(0): 0 = no priors, 1 = a
// point-mass prior (only the per-trial machinery), 2 = the priors of
// scenarios/nct06971913_assurance.yaml without its calibration (3 keys).
#include <benchmark/benchmark.h>

#include <string>

#include "app/simulation.hpp"
#include "bench/bench_common.hpp"

namespace {

using namespace vtrial;

std::string priors(int which, bool mechanistic) {
  if (which == 0) return "";
  if (which == 1)
    return mechanistic ? "uncertainty: {mechanistic.nk.kill_rate: {distribution: fixed, value: 0.002}}\n"
                       : "uncertainty: {parametric.il2.hazard_ratio: {distribution: fixed, value: 1.5}}\n";
  if (!mechanistic)
    return "uncertainty:\n"
           "  parametric.il2.hazard_ratio: {distribution: lognormal, median: 1.5, gsd: 1.3, lower: 0.8, upper: 3}\n"
           "  parametric.control.median_days_to_negative: {distribution: uniform, low: 14, high: 30}\n"
           "  dropout.rate_per_year: {distribution: beta, alpha: 2, beta: 18}\n";
  return "uncertainty:\n"
         "  mechanistic.nk.kill_rate: {distribution: lognormal, median: 0.002, gsd: 2, lower: 0.0003, upper: 0.012}\n"
         "  mechanistic.il2.nk_fold_rise: {distribution: uniform, low: 1.2, high: 3}\n"
         "  mechanistic.virus.d0_per_day: {distribution: lognormal, median: 0.5, gsd: 1.5, lower: 0.1, upper: 2}\n";
}

void run(benchmark::State& state, bool mechanistic, int trials) {
  const Scenario scenario = bench::scenario_from_yaml(
      std::string("model: ") + (mechanistic ? "mechanistic" : "parametric") +
      "\nsimulation: {trials: " + std::to_string(trials) + ", seed: 20250520}\noutput: {patient_trials: 0}\n" +
      priors(static_cast<int>(state.range(0)), mechanistic));
  for (auto _ : state) {
    SimulationResult result = simulate_scenario(scenario, {1, false});
    benchmark::DoNotOptimize(result.power.data());
  }
  state.counters["trials"] =
      benchmark::Counter(static_cast<double>(state.iterations() * trials), benchmark::Counter::kIsRate);
}

void BM_PriorsParametric(benchmark::State& state) { run(state, false, 2000); }
void BM_PriorsMechanistic(benchmark::State& state) { run(state, true, 100); }
BENCHMARK(BM_PriorsParametric)->Arg(0)->Arg(1)->Arg(2)->ArgName("priors")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PriorsMechanistic)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("priors")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
