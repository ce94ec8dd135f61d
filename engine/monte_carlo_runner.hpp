#pragma once
// Runs trials 0..n-1 on a oneTBB pool. Each worker (one per thread, made by `make_worker`)
// runs whole trials and writes trial t's results into row t of caller-owned storage, so the
// output never depends on scheduling, and the number of threads changes only the speed.
#include <cstddef>
#include <type_traits>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include "engine/progress_bar.hpp"

namespace vtrial {

struct RunnerOptions {
  int threads = 0;        // 0 = all cores
  bool progress = false;  // draw a progress bar on stderr (only if it is a terminal)
};

inline int resolve_threads(int requested) {
  return requested > 0 ? requested : tbb::info::default_concurrency();
}

// `make_worker()` returns a callable object `w` with `w(std::size_t trial)`; each thread gets
// its own, so workers may hold scratch buffers without locks.
template <class MakeWorker>
void run_monte_carlo(std::size_t trials, const RunnerOptions& options, MakeWorker make_worker) {
  using Worker = std::invoke_result_t<MakeWorker>;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(resolve_threads(options.threads)));
  tbb::enumerable_thread_specific<Worker> workers(make_worker);
  ProgressBar progress(trials, options.progress && stderr_is_terminal());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, trials, 16), [&](const tbb::blocked_range<std::size_t>& r) {
    Worker& worker = workers.local();
    for (std::size_t t = r.begin(); t != r.end(); ++t) worker(t);
    progress.advance(r.size());
  });
  progress.finish();
}

}  // namespace vtrial
