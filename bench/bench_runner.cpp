// The whole runner, as `vtrial run` drives it: simulate_scenario on the oneTBB pool, on one
// thread and on all of them. Wall-clock time (UseRealTime), so trials/s is what a user sees;
// parallel efficiency = trials/s(all threads) / (threads * trials/s(1 thread)).
#include <benchmark/benchmark.h>

#include "app/simulation.hpp"
#include "bench/bench_common.hpp"
#include "engine/monte_carlo_runner.hpp"

namespace {

using namespace vtrial;

// range(0) = threads (0 = all cores); 2,000 100-patient trials per iteration.
void BM_Runner(benchmark::State& state) {
  const Scenario scenario = bench::parametric_scenario(100, 2000);
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    SimulationResult result = simulate_scenario(scenario, {threads, false});
    benchmark::DoNotOptimize(result.power.data());
  }
  state.counters["threads"] = resolve_threads(threads);
  state.counters["trials"] = benchmark::Counter(static_cast<double>(state.iterations() * scenario.simulation.trials),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Runner)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
