#pragma once
// A tiny, exact event calendar in the manner of SimPy: a min-heap of (time, priority,
// sequence). Events at the same time run by priority, then in the order they were scheduled,
// so simultaneous doses, visits and adverse events are processed deterministically.
#include <cstdint>
#include <vector>

namespace vtrial {

template <class Payload>
class EventCalendar {
 public:
  struct Event {
    double time;
    int priority;  // lower runs first at equal times
    std::uint64_t sequence;
    Payload payload;
  };

  void clear() noexcept {
    heap_.clear();
    next_sequence_ = 0;
  }
  void reserve(std::size_t n) { heap_.reserve(n); }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }

  void schedule(double time, int priority, Payload payload) {
    heap_.push_back(Event{time, priority, next_sequence_++, std::move(payload)});
    sift_up(heap_.size() - 1);
  }

  const Event& next() const { return heap_.front(); }

  Event pop() {
    Event top = std::move(heap_.front());
    heap_.front() = std::move(heap_.back());
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return top;
  }

 private:
  static bool before(const Event& a, const Event& b) noexcept {
    if (a.time != b.time) return a.time < b.time;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.sequence < b.sequence;
  }
  void sift_up(std::size_t i) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(heap_[i], heap_[parent])) break;
      std::swap(heap_[i], heap_[parent]);
      i = parent;
    }
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    for (;;) {
      std::size_t best = i;
      const std::size_t l = 2 * i + 1, r = l + 1;
      if (l < n && before(heap_[l], heap_[best])) best = l;
      if (r < n && before(heap_[r], heap_[best])) best = r;
      if (best == i) return;
      std::swap(heap_[i], heap_[best]);
      i = best;
    }
  }

  std::vector<Event> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace vtrial
