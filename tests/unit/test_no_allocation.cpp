// The parametric hot loop allocates nothing once warm: a worker's TrialSimulator and
// TrialAnalysis reuse their buffers, so a run's cost and memory do not grow with allocator
// traffic. Method: this file replaces the global operator new/delete of the test binary with
// versions that count calls on the calling thread (a thread_local counter, so it is
// thread-safe and other tests running worker threads cannot disturb the measurement) and
// otherwise behave exactly like the defaults (malloc/free). The array, nothrow and sized forms
// of the standard library forward to these two, so every allocation is counted.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"
#include "scenario_fixture.hpp"

namespace {
thread_local std::uint64_t allocations_on_this_thread = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations_on_this_thread;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace vtrial {
namespace {

std::uint64_t allocations() { return allocations_on_this_thread; }

TEST(NoAllocation, CounterSeesAllocations) {
  const std::uint64_t before = allocations();
  auto* v = new std::vector<double>(1000);
  delete v;
  EXPECT_GE(allocations() - before, 2u);  // the vector object and its buffer
}

// The registered trial's design (weekly visits, dropout, screening, enrollment): every part of
// the parametric per-trial path is exercised.
TEST(NoAllocation, ParametricTrialLoopAllocatesNothingWhenWarm) {
  const Scenario scenario = testing::scenario_from_yaml(
      "name: no_allocation\nmodel: parametric\ntrial:\n  patients: 100\nsimulation:\n  seed: 7\n");
  TrialSimulator simulator(scenario);
  TrialAnalysis analysis(scenario);
  std::vector<double> row(analysis.columns().size());
  const auto patients = static_cast<std::size_t>(scenario.trial.patients);
  // Warm-up: buffers grow to their final size.
  for (std::uint64_t t = 0; t < 3; ++t) analysis.analyze(simulator.simulate(t, patients), row);

  const std::uint64_t before = allocations();
  double rejections = 0;
  for (std::uint64_t t = 3; t < 1003; ++t) {
    analysis.analyze(simulator.simulate(t, patients), row);
    rejections += row[2];
  }
  EXPECT_EQ(allocations() - before, 0u) << "allocations in 1,000 warm trials of 100 patients";
  EXPECT_GT(rejections, 0);  // the loop really ran
}

// Trial sizes that have been seen once (buffers grown, per-size caches such as the exact
// Wilcoxon null distribution built) allocate nothing when they come again, in any order.
TEST(NoAllocation, SeenTrialSizesAllocateNothingAgain) {
  const Scenario scenario = testing::scenario_from_yaml("name: no_allocation\nmodel: parametric\n");
  TrialSimulator simulator(scenario);
  TrialAnalysis analysis(scenario);
  std::vector<double> row(analysis.columns().size());
  // Multiples of the randomization block (4), so each size always splits 1:1 exactly; with a
  // split seen for the first time the Wilcoxon test builds (and caches) that exact table once.
  const std::size_t sizes[] = {400, 48, 100, 200};
  for (std::size_t n : sizes) analysis.analyze(simulator.simulate(0, n), row);
  const std::uint64_t before = allocations();
  for (std::uint64_t t = 1; t < 5; ++t)
    for (std::size_t n : sizes) analysis.analyze(simulator.simulate(t, n), row);
  EXPECT_EQ(allocations() - before, 0u);
}

}  // namespace
}  // namespace vtrial
