#pragma once
// Sorting of (key, payload) pairs for the per-trial statistics (log-rank, Cox, Kaplan-Meier,
// Wilcoxon). They sort n ~ 100-1,000 times once per test per trial; an index sort through an
// indirect comparator was the largest single cost of a log-rank trial (unpredictable branches
// on continuous times, plus a load through the index per comparison). Here the key travels
// with its payload, and the sort is a bucket sort on the key's value (2-8 buckets per
// item; log-scale buckets from the bit pattern for positive keys over at most 24 octaves,
// linear ones otherwise) finished by insertion: linear time on smooth data, and no
// data-dependent branch except inside the (small) buckets. Heavily tied keys cost nothing
// extra (equal keys never move in the insertion); data that piles many distinct keys into few
// buckets falls back to std::sort.
#include <cstdint>
#include <span>
#include <vector>

namespace vtrial {

// `payload` is the caller's: an index, or flags (event, group) packed so the walk after the
// sort needs no second lookup.
struct KeyedItem {
  double key;
  std::uint32_t payload;
};

// Scratch so repeated sorts allocate nothing once the largest n has been seen.
struct KeySortWorkspace {
  std::vector<KeyedItem> buffer;
  std::vector<std::uint32_t> bucket;  // bucket of each item, then bucket start offsets
  std::vector<std::uint32_t> start;
};

// Sorts by key, ascending. Items with equal keys (-0.0 == 0.0 included) end up adjacent, in
// an unspecified order, so callers must treat a tied block as a set. Keys must not be NaN
// (as with std::sort and operator<, the order is then unspecified, but nothing is undefined).
void sort_by_key(std::span<KeyedItem> items, KeySortWorkspace& workspace);

}  // namespace vtrial
