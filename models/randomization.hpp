#pragma once
// 1:1 allocation by permuted blocks of four, the usual scheme for a 100-patient open-label
// trial. The block of slot k depends only on (seed, trial, k / 4), so slot k's arm is the same
// at every sample size.
#include <cstdint>

#include "engine/random_stream.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {

class BlockRandomization {
 public:
  static constexpr std::uint64_t kBlockSize = 4;

  BlockRandomization(std::uint64_t seed, std::uint64_t trial) : trial_hash_(RandomStream::trial_hash(seed, trial)) {}

  // Arm (0 or 1) of slot k; consecutive calls for slots in one block reuse the block.
  std::uint8_t arm(std::uint64_t slot) {
    const std::uint64_t block = slot / kBlockSize;
    if (block != current_block_) fill_block(block);
    return arms_[slot % kBlockSize];
  }

 private:
  void fill_block(std::uint64_t block) {
    // A block of four with two per arm is one of the 6 arrangements of {0, 0, 1, 1}, each with
    // probability 1/6: one 64-bit draw picks it by multiply-shift (Lemire), whose bias is below
    // 6 / 2^64. The draw is the counter word of key (seed, trial, block, randomization), with
    // the trial's share of the hashing done once in the constructor.
    static constexpr std::uint8_t kArrangements[6][kBlockSize] = {{0, 0, 1, 1}, {0, 1, 0, 1}, {0, 1, 1, 0},
                                                                  {1, 0, 0, 1}, {1, 0, 1, 0}, {1, 1, 0, 0}};
    const std::uint64_t bits = RandomStream::counter_word(trial_hash_, block, purpose_id(StreamPurpose::randomization));
    // floor(bits * 6 / 2^64), the high word of the 128-bit product, from 32-bit halves.
    const std::uint64_t pick = ((bits >> 32) * 6 + (((bits & 0xffffffffULL) * 6) >> 32)) >> 32;
    for (std::uint64_t i = 0; i < kBlockSize; ++i) arms_[i] = kArrangements[pick][i];
    current_block_ = block;
  }

  std::uint64_t trial_hash_;
  std::uint64_t current_block_ = ~std::uint64_t{0};
  std::uint8_t arms_[kBlockSize] = {};
};

}  // namespace vtrial
