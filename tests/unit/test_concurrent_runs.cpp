// Each run has a task arena of its own (engine/monte_carlo_runner.hpp). Two runs at once with
// different thread counts (two Python threads, say) share the TBB scheduler; whatever it does with
// their tasks, each run's results are bit for bit the ones it gives alone. (That the arenas no
// longer cap each other's concurrency is a matter of speed, for a benchmark, not a test.)
#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "app/simulation.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

// Bit for bit (NaN columns included, which == would call different).
void expect_same_trials(const SimulationResult& a, const SimulationResult& b) {
  ASSERT_EQ(a.trials.columns(), b.trials.columns());
  ASSERT_EQ(a.trials.rows(), b.trials.rows());
  for (std::size_t c = 0; c < a.trials.columns(); ++c)
    EXPECT_EQ(std::memcmp(a.trials.column(c).data(), b.trials.column(c).data(), a.trials.rows() * sizeof(double)), 0)
        << a.trials.spec(c).name;
}

TEST(ConcurrentRuns, TwoRunsAtOnceWithDifferentThreadCountsGiveTheirAloneResults) {
  const Scenario parametric = testing::scenario_from_yaml("model: parametric\nsimulation: {trials: 3000, seed: 5}");
  const Scenario other = testing::scenario_from_yaml("model: parametric\nsimulation: {trials: 2000, seed: 6}");
  const SimulationResult alone_a = simulate_scenario(parametric, {1, false});
  const SimulationResult alone_b = simulate_scenario(other, {2, false});
  SimulationResult together_a, together_b;
  std::thread first([&] { together_a = simulate_scenario(parametric, {2, false}); });
  std::thread second([&] { together_b = simulate_scenario(other, {1, false}); });
  first.join();
  second.join();
  expect_same_trials(alone_a, together_a);
  expect_same_trials(alone_b, together_b);
  EXPECT_EQ(together_a.threads, 2);
  EXPECT_EQ(together_b.threads, 1);
}

}  // namespace
}  // namespace vtrial
