#include "engine/stats/key_sort.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

// Below this size the bucket pass costs more than the disorder it removes.
constexpr std::size_t kInsertionOnly = 16;
// Buckets per item. Survival times are skewed (exponential-like), so the lowest buckets of a
// linear scale are crowded; two per item cut the insertion work there by about half, which
// on 100 continuous times more than pays for the longer prefix sum (measured: 1 and 3 per
// item were both slower overall).
constexpr std::size_t kBucketsPerItem = 2;
// Positive keys spanning at most this many octaves use the bit-pattern (log-scale) buckets;
// wider spans would leave too few buckets per octave.
constexpr std::uint64_t kMaxOctaves = 24;
// Those buckets are counted by integer shifts, cheap enough that 4-8 per item (halving the
// insertion moves of 2-4 per item) pay for the longer prefix sum (measured: 100 exponential
// times, 2-4 per item 3.41 us per compare_rpact trial, 4-8 per item 3.32 us, 8-16 3.38 us).
constexpr std::size_t kLogBucketsPerItem = 4;

// A strict weak order even with NaN keys (they go last), so the fallback is never undefined.
bool total_less(const KeyedItem& a, const KeyedItem& b) {
  return a.key < b.key || (std::isnan(b.key) && !std::isnan(a.key));
}

void insertion_sort(std::span<KeyedItem> items) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    const KeyedItem x = items[i];
    std::size_t j = i;
    // Strict comparison: equal keys never move, so tied blocks cost one comparison each.
    for (; j > 0 && items[j - 1].key > x.key; --j) items[j] = items[j - 1];
    items[j] = x;
  }
}

}  // namespace

void sort_by_key(std::span<KeyedItem> items, KeySortWorkspace& ws) {
  const std::size_t n = items.size();
  // The log-scale buckets number up to 2 * kLogBucketsPerItem per item.
  if (n > std::numeric_limits<std::uint32_t>::max() / (2 * kLogBucketsPerItem))
    throw std::length_error("sort_by_key: more items than 32-bit bucket indices can address");
  if (n <= kInsertionOnly) {
    insertion_sort(items);
    return;
  }
  double lo = items[0].key, hi = items[0].key;
  bool has_nan = false;
  for (const KeyedItem& it : items) {
    lo = it.key < lo ? it.key : lo;
    hi = it.key > hi ? it.key : hi;
    has_nan |= std::isnan(it.key);
  }
  if (!has_nan && lo == hi) return;  // all equal
  const double range = hi - lo;
  const std::size_t buckets = kBucketsPerItem * n;
  const double scale = static_cast<double>(buckets) / range;
  if (has_nan || !std::isfinite(range) || !std::isfinite(scale)) {
    std::sort(items.begin(), items.end(), total_less);
    return;
  }

  // Buckets must be monotone in the key (a <= b implies bucket(a) <= bucket(b)): then they are
  // already in order and equal keys share one, which is what lets the insertion pass below
  // stay inside each bucket.
  ws.bucket.resize(n);
  const std::uint64_t lo_bits = std::bit_cast<std::uint64_t>(lo), hi_bits = std::bit_cast<std::uint64_t>(hi);
  if (lo > 0 && (hi_bits >> 52) - (lo_bits >> 52) <= kMaxOctaves) {
    // Positive keys over a few octaves (survival times) bucket by their bit pattern: a positive
    // double's pattern orders like its value, and its top bits (exponent, leading mantissa
    // bits) are a piecewise-linear log scale, on which right-skewed times spread far more
    // evenly than on a linear one, for an integer shift instead of a float multiply.
    const std::uint64_t span = hi_bits - lo_bits;
    const int shift =
        std::max(0, static_cast<int>(std::bit_width(span)) - static_cast<int>(std::bit_width(kLogBucketsPerItem * n)));
    const std::size_t used = static_cast<std::size_t>(span >> shift) + 1;  // <= 2^bit_width(4n) <= 8n
    ws.start.assign(used + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto b = static_cast<std::uint32_t>((std::bit_cast<std::uint64_t>(items[i].key) - lo_bits) >> shift);
      ws.bucket[i] = b;
      ++ws.start[b + 1];
    }
  } else {
    // Linear: bucket b holds keys in [lo + b / scale, lo + (b + 1) / scale); rounding is monotone.
    const auto last = static_cast<std::uint32_t>(buckets - 1);
    ws.start.assign(buckets + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const double f = (items[i].key - lo) * scale;
      const std::uint32_t b = f < static_cast<double>(last) ? static_cast<std::uint32_t>(f) : last;
      ws.bucket[i] = b;
      ++ws.start[b + 1];
    }
  }
  for (std::size_t b = 0; b + 1 < ws.start.size(); ++b) ws.start[b + 1] += ws.start[b];
  ws.buffer.resize(n);
  for (std::size_t i = 0; i < n; ++i) ws.buffer[ws.start[ws.bucket[i]]++] = items[i];

  // Insertion back into `items`: an item only moves past larger keys of its own bucket. A
  // budget of moves bounds the cost when few buckets hold many distinct keys (a far outlier
  // stretching the range); past it the rest is copied and std::sort finishes.
  const std::size_t budget = 8 * n;
  std::size_t moves = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const KeyedItem x = ws.buffer[i];
    std::size_t j = i;
    for (; j > 0 && items[j - 1].key > x.key; --j) items[j] = items[j - 1];
    items[j] = x;
    moves += i - j;
    if (moves > budget) {
      std::copy(ws.buffer.begin() + static_cast<std::ptrdiff_t>(i + 1), ws.buffer.end(),
                items.begin() + static_cast<std::ptrdiff_t>(i + 1));
      std::sort(items.begin(), items.end(), total_less);
      return;
    }
  }
}

}  // namespace vtrial
