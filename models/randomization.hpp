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
    // Fisher-Yates shuffle of {0, 0, 1, 1}; a bounded draw by multiply-shift on 32 random
    // bits (Lemire) has bias below 1e-9 for n <= 4.
    // The stream of key (seed, trial, block, randomization), with the trial's share of the
    // hashing done once in the constructor.
    RandomStream stream = RandomStream::from_patient_hash(RandomStream::patient_hash_in_trial(trial_hash_, block),
                                                          purpose_id(StreamPurpose::randomization));
    std::uint8_t a[kBlockSize] = {0, 0, 1, 1};
    for (std::uint64_t i = kBlockSize - 1; i > 0; --i) {
      const std::uint64_t j = ((stream() >> 32) * (i + 1)) >> 32;
      const std::uint8_t tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    for (std::uint64_t i = 0; i < kBlockSize; ++i) arms_[i] = a[i];
    current_block_ = block;
  }

  std::uint64_t trial_hash_;
  std::uint64_t current_block_ = ~std::uint64_t{0};
  std::uint8_t arms_[kBlockSize] = {};
};

}  // namespace vtrial
