// A run inside a CancellationScope stops when its flag is raised (engine/cancellation.hpp): the
// R package's Ctrl-C. The block in progress never reaches on_block, the runner throws
// RunCancelled, and a later run on the same thread (the scope gone) is whole and unchanged.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "app/simulation.hpp"
#include "engine/cancellation.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

struct CountingWorker {
  std::atomic<std::size_t>* done;
  std::atomic<bool>* flag;
  std::size_t raise_at;
  void operator()(std::size_t) {
    if (done->fetch_add(1) + 1 == raise_at) flag->store(true);
  }
};

TEST(Cancellation, ARaisedFlagStopsTheRunBeforeTheBlockIsPublished) {
  for (int threads : {1, 2}) {
    std::atomic<bool> flag{false};
    std::atomic<std::size_t> done{0};
    std::vector<std::size_t> blocks;
    const CancellationScope scope(flag);
    EXPECT_THROW(run_monte_carlo_blocks(
                     0, 1000000, 1000, {threads, false}, [&] { return CountingWorker{&done, &flag, 2500}; },
                     [&](std::size_t first, std::size_t) { blocks.push_back(first); }),
                 RunCancelled);
    // Blocks 0 and 1 were whole; block 2 held the raise, and each thread stopped after the
    // trial it was simulating, far short of the million.
    EXPECT_EQ(blocks, (std::vector<std::size_t>{0, 1000})) << threads << " threads";
    // The other thread sees the flag after a trial or a few (a relaxed load; these trials take
    // nanoseconds), so the bound leaves room rather than demanding exactly one.
    EXPECT_LT(done.load(), 3000u) << threads << " threads";
  }
}

TEST(Cancellation, RunsOutsideAScopeOrWithTheFlagDownAreUnchanged) {
  const Scenario scenario = testing::scenario_from_yaml("model: parametric\nsimulation: {trials: 500, seed: 9}");
  const SimulationResult alone = simulate_scenario(scenario, {2, false});
  std::atomic<bool> flag{false};
  SimulationResult scoped;
  {
    const CancellationScope scope(flag);
    scoped = simulate_scenario(scenario, {2, false});
    flag = true;
    EXPECT_THROW(simulate_scenario(scenario, {2, false}), RunCancelled);
  }
  EXPECT_EQ(CancellationScope::flag(), nullptr);
  const SimulationResult after = simulate_scenario(scenario, {2, false});  // the scope is gone
  const SimulationResult* results[] = {&scoped, &after};
  for (const SimulationResult* r : results) {
    ASSERT_EQ(r->trials.rows(), alone.trials.rows());
    for (std::size_t c = 0; c < alone.trials.columns(); ++c)
      EXPECT_EQ(std::memcmp(r->trials.column(c).data(), alone.trials.column(c).data(), alone.trials.rows() * 8), 0);
  }
}

}  // namespace
}  // namespace vtrial
