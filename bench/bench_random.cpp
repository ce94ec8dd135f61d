// Random streams: raw 64-bit draws, uniform_open01 draws, and the cost of constructing a
// stream from its key (done three times per parametric patient).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "engine/random_stream.hpp"

namespace {

using vtrial::RandomStream;
using vtrial::StreamKey;

void BM_RandomStream_Raw(benchmark::State& state) {
  RandomStream stream({20250520, 1, 2, 3});
  for (auto _ : state) {
    benchmark::DoNotOptimize(stream());
  }
  state.counters["draws"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomStream_Raw);

void BM_RandomStream_UniformOpen01(benchmark::State& state) {
  RandomStream stream({20250520, 1, 2, 3});
  for (auto _ : state) {
    benchmark::DoNotOptimize(stream.uniform_open01());
  }
  state.counters["draws"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomStream_UniformOpen01);

// Construct a stream from a fresh key and take its first draw (what a patient does per purpose).
void BM_RandomStream_Construct(benchmark::State& state) {
  std::uint64_t slot = 0;
  for (auto _ : state) {
    RandomStream stream({20250520, 7, slot++, 2});
    benchmark::DoNotOptimize(stream());
  }
  state.counters["streams"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomStream_Construct);

}  // namespace
