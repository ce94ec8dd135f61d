#pragma once
// A progress bar on stderr for long runs at a terminal; silent when stderr is a file or pipe
// (CI logs, scripts) and during the first second (short runs stay quiet).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace vtrial {

class ProgressBar {
 public:
  // `label` is drawn before the bar ("N = 80 ").
  ProgressBar(std::size_t total, bool enabled, std::string label = "");
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Thread-safe; draws at most ten times a second, from whichever thread gets there.
  void advance(std::size_t done);
  void finish();

 private:
  void draw(std::size_t done);

  std::size_t total_;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex draw_mutex_;
};

// True when stderr is an interactive terminal.
bool stderr_is_terminal();

}  // namespace vtrial
