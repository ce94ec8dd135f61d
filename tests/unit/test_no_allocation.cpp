// The parametric hot loop allocates nothing once warm: a worker's TrialSimulator and
// TrialAnalysis reuse their buffers, so a run's cost and memory do not grow with allocator
// traffic. Method: this file replaces every form of the global operator new and delete (plain,
// array, nothrow, aligned, sized) in the test binary with versions that count calls on the
// calling thread (a thread_local counter, so other tests' worker threads cannot disturb the
// measurement) and otherwise allocate with malloc/aligned_alloc and release with free. Every
// form is replaced, not only operator new(size_t): memory from a form left to the runtime (for
// example ASan's nothrow new behind std::stable_sort's buffer) would otherwise reach a delete
// that frees it with free(), a mismatch the sanitizer build reports.
#include <gtest/gtest.h>

#include <cstddef>
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

namespace {
void* counted_alloc(std::size_t size, std::size_t alignment) noexcept {
  ++allocations_on_this_thread;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded);
}
void* counted_alloc_or_throw(std::size_t size, std::size_t alignment) {
  if (void* p = counted_alloc(size, alignment)) return p;
  throw std::bad_alloc();
}
constexpr std::size_t kDefault = alignof(std::max_align_t);
std::size_t value(std::align_val_t a) { return static_cast<std::size_t>(a); }
}  // namespace

void* operator new(std::size_t n) { return counted_alloc_or_throw(n, kDefault); }
void* operator new[](std::size_t n) { return counted_alloc_or_throw(n, kDefault); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n, kDefault); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n, kDefault); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc_or_throw(n, value(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc_or_throw(n, value(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, value(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, value(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace vtrial {
namespace {

std::uint64_t allocations() { return allocations_on_this_thread; }

TEST(NoAllocation, CounterSeesAllocations) {
  const std::uint64_t before = allocations();
  auto* v = new std::vector<double>(1000);
  delete v;
  EXPECT_GE(allocations() - before, 2u);  // the vector object and its buffer
}

// Each replaced form is counted, and the aligned forms honour their alignment.
TEST(NoAllocation, CounterSeesEveryForm) {
  struct alignas(64) Wide {
    double x[8];
  };
  const std::uint64_t before = allocations();
  delete[] new int[3];
  delete new (std::nothrow) int;
  delete[] new (std::nothrow) int[3];
  Wide* wide = new Wide;
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(wide) % 64, 0u);
  delete wide;
  Wide* wides = new Wide[3];
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(wides) % 64, 0u);
  delete[] wides;
  EXPECT_EQ(allocations() - before, 5u);
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
