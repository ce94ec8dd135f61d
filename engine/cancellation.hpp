#pragma once
// Stopping a run from outside. A face whose interrupt cannot unwind C++ (R's Ctrl-C is a
// longjmp, and R may only be polled from its own thread) runs the simulation on a thread of its
// own inside a CancellationScope and raises the flag; every Monte Carlo run started on that
// thread then stops before its next trial and throws RunCancelled, so nothing half-done is
// published (no output file, no result). Runs outside a scope never look.
#include <atomic>
#include <stdexcept>

namespace vtrial {

struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("interrupted") {}
};

class CancellationScope {
 public:
  explicit CancellationScope(const std::atomic<bool>& flag) : previous_(current()) { current() = &flag; }
  ~CancellationScope() { current() = previous_; }
  CancellationScope(const CancellationScope&) = delete;
  CancellationScope& operator=(const CancellationScope&) = delete;

  // The flag of this thread's innermost scope, or nullptr.
  static const std::atomic<bool>* flag() { return current(); }

 private:
  static const std::atomic<bool>*& current() {
    static thread_local const std::atomic<bool>* flag = nullptr;
    return flag;
  }
  const std::atomic<bool>* previous_;
};

}  // namespace vtrial
