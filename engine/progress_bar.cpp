#include "engine/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace vtrial {

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::size_t total, bool enabled, std::string label)
    : total_(total),
      label_(std::move(label)),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::advance(std::size_t done) {
  const std::size_t now_done = done_.fetch_add(done, std::memory_order_relaxed) + done;
  if (!enabled_) return;
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1) || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(now_done);
}

void ProgressBar::draw(std::size_t done) {
  constexpr int width = 40;
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(fraction * width);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r%s[%.*s%*s] %5.1f%%  %zu/%zu trials  %.0f s left ", label_.c_str(), filled,
               "########################################", width - filled, "", 100 * fraction, done, total_,
               remaining);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  std::lock_guard lock(draw_mutex_);
  if (drawn_) {
    draw(done_.load());
    std::fputc('\n', stderr);
    drawn_ = false;
  }
}

}  // namespace vtrial
