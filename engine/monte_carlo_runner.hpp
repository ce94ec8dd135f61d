#pragma once
// Runs trials 0..n-1 on a oneTBB pool. Each worker (one per thread, made by `make_worker`)
// runs whole trials and writes trial t's results into row t of caller-owned storage, so the
// output never depends on scheduling, and the number of threads changes only the speed.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>
#include <future>
#include <type_traits>

#include "engine/cancellation.hpp"
#include "engine/progress_bar.hpp"

namespace vtrial {

struct RunnerOptions {
  int threads = 0;        // 0 = all cores
  bool progress = false;  // draw a progress bar on stderr (only if it is a terminal)
  // A bar of the caller's that spans several runs (the blocks of a sweep): advanced, not
  // finished, and `progress` is then ignored.
  ProgressBar* bar = nullptr;
};

inline int resolve_threads(int requested) { return requested > 0 ? requested : tbb::info::default_concurrency(); }

// Trials [begin, end) in consecutive blocks [first, last) of at most `block_rows` (counted from
// `begin`), each run in parallel; `on_block(first, last)` then sees each block, in trial order,
// one call at a time. A shard of a run is such a range: trial t is the same trial in any range. This is
// what keeps memory flat in the number of trials (rows go to a file block by block); the
// workers, and their warm scratch buffers, live across blocks.
// With more than one thread, on_block(block k) runs on its own thread while block k + 1 is
// simulated (so writing a block never leaves a core idle), and it has finished before block
// k + 2 starts: storage that alternates between even and odd blocks (block = (first - begin) /
// block_rows) is never written while on_block reads it. With one thread, on_block runs inline.
// An exception from on_block reaches the caller. Inside a CancellationScope of the calling
// thread, a raised flag stops every thread before its next trial and throws RunCancelled
// before the block reaches on_block.
// `make_worker()` returns a callable object `w` with `w(std::size_t trial)`; each thread gets
// its own, so workers may hold scratch buffers without locks.
template <class MakeWorker, class OnBlock>
void run_monte_carlo_blocks(std::size_t begin, std::size_t end, std::size_t block_rows, const RunnerOptions& options,
                            MakeWorker make_worker, OnBlock on_block) {
  using Worker = std::invoke_result_t<MakeWorker>;
  const int threads = resolve_threads(options.threads);
  // An arena of its own per run, not a process-wide tbb::global_control: two runs at once (two
  // Python threads with different `threads=`) each get the concurrency they asked for.
  tbb::task_arena arena(threads);
  tbb::enumerable_thread_specific<Worker> workers(make_worker);
  ProgressBar own(end - begin, options.progress && !options.bar && stderr_is_terminal());
  ProgressBar& progress = options.bar ? *options.bar : own;
  const std::size_t step = std::max<std::size_t>(block_rows, 1);
  std::future<void> consuming;  // on_block of the previous block, when overlapped
  const std::atomic<bool>* cancel = CancellationScope::flag();
  const auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  for (std::size_t first = begin; first < end; first += step) {
    const std::size_t last = first + std::min(step, end - first);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(first, last, 16),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          Worker& worker = workers.local();
                          for (std::size_t t = r.begin(); t != r.end(); ++t) {
                            if (cancelled()) return;  // a relaxed load: nothing beside a trial
                            worker(t);
                          }
                          progress.advance(r.size());
                        });
    });
    if (consuming.valid()) consuming.get();
    if (cancelled()) throw RunCancelled();
    if (threads > 1 && last < end) {
      consuming = std::async(std::launch::async, [&on_block, first, last] { on_block(first, last); });
    } else {
      on_block(first, last);
    }
  }
  if (consuming.valid()) consuming.get();
  own.finish();
}

}  // namespace vtrial
