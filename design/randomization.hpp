#pragma once
// Permuted-block randomization from allocation ratios. A block of size B (a multiple of the
// sum r_1 + ... + r_k of the ratios in lowest terms) holds B r_a / sum patients of arm a, in one of its
// B! / prod (B r_a / sum)! arrangements, each equally likely. The block of slot s depends only
// on (seed, trial, s / B), so slot s gets the same arm at every sample size (common random
// numbers), and within every completed block the arm counts are exactly the ratio.
//
// One 64-bit counter word per block picks the arrangement by multiply-shift (Lemire), with a
// bias below arrangements / 2^64; the arrangement is the pick-th in lexicographic order. For
// 1:1 in blocks of four this is exactly the scheme of the first version (the 6 arrangements of
// {0, 0, 1, 1}), so its draws are unchanged.
#include <cstdint>
#include <vector>

namespace vtrial {

class BlockDesign {
 public:
  // Throws std::invalid_argument when block_size is not a multiple of the ratios' sum, or the
  // block has more arrangements than 2^64 - 1.
  BlockDesign(const std::vector<std::int64_t>& ratios, std::int64_t block_size);
  std::uint64_t block_size() const { return static_cast<std::uint64_t>(counts_total_); }
  std::uint64_t arrangements() const { return arrangements_; }
  // The pick-th arrangement (0-based, lexicographic): a row of the table when the design has
  // one (no copy), else unranked into `scratch` (block_size() entries), which is returned.
  const std::uint8_t* arrangement(std::uint64_t pick, std::uint8_t* scratch) const {
    return table_.empty() ? unrank(pick, scratch) : table_.data() + pick * counts_total_;
  }

 private:
  const std::uint8_t* unrank(std::uint64_t pick, std::uint8_t* arms) const;

  std::vector<std::uint32_t> counts_;  // patients per arm in a block
  std::uint32_t counts_total_ = 0;
  std::uint64_t arrangements_ = 0;
  std::vector<std::uint8_t> table_;  // every arrangement, when there are few (the usual case)
};

// The smallest multiple of the ratios' sum (in lowest terms) that is at least 4 (1:1 -> 4,
// 2:1 -> 6, 1:1:1 -> 6).
std::int64_t default_block_size(const std::vector<std::int64_t>& ratios);

class BlockRandomization {
 public:
  // `purpose`: the stream purpose of randomization (one counter word per block).
  BlockRandomization(const BlockDesign& design, std::uint64_t purpose);
  // A copy reads its own block (current_ may point into arms_).
  BlockRandomization(const BlockRandomization& other) { *this = other; }
  BlockRandomization& operator=(const BlockRandomization& other);
  // Starts trial `trial`: kept by a simulator across trials, so a trial allocates nothing.
  void reset(std::uint64_t seed, std::uint64_t trial);

  // Arm of slot s. Slots usually come in order, so a block is found without a division.
  std::uint8_t arm(std::uint64_t slot) {
    if (slot - block_start_ >= size_) fill_block(slot - block_start_ == size_ ? block_ + 1 : slot / size_);
    return current_[slot - block_start_];
  }

 private:
  void fill_block(std::uint64_t block);

  const BlockDesign* design_;
  std::uint64_t purpose_;
  std::uint64_t size_;
  std::uint64_t trial_hash_ = 0;
  // First slot of the filled block; 2^63 (beyond any slot) until one is filled, so that
  // slot - block_start_ wraps past size_ for every slot.
  static constexpr std::uint64_t kNoBlock = std::uint64_t{1} << 63;
  std::uint64_t block_start_ = kNoBlock;
  std::uint64_t block_ = 0;
  const std::uint8_t* current_ = nullptr;  // the block's arms: a row of the design's table, or arms_
  std::vector<std::uint8_t> arms_;         // an unranked arrangement (large blocks only)
};

}  // namespace vtrial
