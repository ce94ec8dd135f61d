#pragma once
// Runs a simulation so that Ctrl-C in R stops it. R may be asked about a pending interrupt only
// from its own thread, and its interrupt is a longjmp that C++ frames must never see; so the
// work runs on a thread of its own, inside a CancellationScope, while R's thread waits and asks
// R every 50 ms. On an interrupt the flag stops the run before its next trial (no result, no
// output file), the thread ends, and RunCancelled is thrown here, on R's thread, for the glue
// to turn into an R interrupt. The run's TBB arena ends with the call.
#include <Rcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/cancellation.hpp"

namespace vtrial::r {

inline void check_interrupt(void*) { R_CheckUserInterrupt(); }

// True if the user pressed Ctrl-C; R's pending interrupt is consumed (R_ToplevelExec catches
// its jump), and the glue raises it again as an R condition once C++ is out of the way.
inline bool interrupt_pending() { return R_ToplevelExec(check_interrupt, nullptr) == FALSE; }

template <class Work>
auto run_interruptible(Work&& work) -> decltype(work()) {
  std::atomic<bool> interrupted{false};
  std::optional<decltype(work())> result;
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::thread worker([&] {
    try {
      const CancellationScope scope(interrupted);
      result.emplace(work());
    } catch (...) {
      error = std::current_exception();
    }
    const std::lock_guard<std::mutex> lock(mutex);
    done = true;
    finished.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      lock.unlock();
      if (!interrupted && interrupt_pending()) interrupted = true;
      lock.lock();
    }
  }
  worker.join();
  // An interrupt that came as the work ended still interrupts: R consumed it above.
  if (interrupted) throw RunCancelled();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace vtrial::r
