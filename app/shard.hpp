#pragma once
// A run split into shards: the K-th of N disjoint, contiguous ranges of trial indices. Trial t
// draws from streams keyed by t alone, so a shard's trials are the single run's, row for row,
// and `vtrial merge` joins the shards into the single run's file (app/merge.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

namespace vtrial {

struct Shard {
  std::int64_t index = 1;  // K, from 1
  std::int64_t count = 1;  // N
};

// Trials [first, last).
struct TrialRange {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t size() const { return last - first; }
};

// "K/N" with 1 <= K <= N <= 1,000,000; anything else throws std::invalid_argument naming
// --shard and the accepted form.
Shard parse_shard(const std::string& text);
// Shard K of N of `trials`: [floor((K-1) T / N), floor(K T / N)). Throws std::invalid_argument
// when N exceeds the trials (a shard would be empty).
TrialRange shard_range(const Shard& shard, std::size_t trials);
std::string shard_text(const Shard& shard);  // "K/N"

}  // namespace vtrial
