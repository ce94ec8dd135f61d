#include "design/randomization.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/random_stream.hpp"

namespace vtrial {
namespace {

using u128 = unsigned __int128;
constexpr u128 kMaxWord = ~std::uint64_t{0};
// Arrangements are tabulated up to this many (1:1:1 in blocks of 6 has 90, 2:1 in 6 has 15).
constexpr std::uint64_t kTabulated = 4096;

// Arrangements of a multiset with these counts (multinomial coefficient), or 0 if it exceeds
// 2^64 - 1: a product of binomials C(n_1 + .. + n_j, n_j), each built exactly step by step.
std::uint64_t multinomial(const std::vector<std::uint32_t>& counts) {
  u128 result = 1;
  std::uint64_t n = 0;
  for (const std::uint32_t c : counts) {
    u128 binomial = 1;
    for (std::uint32_t i = 1; i <= c; ++i) {
      binomial = binomial * (n + i) / i;  // exact: C(n + i, i) = C(n + i - 1, i - 1) (n + i) / i
      if (binomial > kMaxWord) return 0;
    }
    n += c;
    result *= binomial;
    if (result > kMaxWord) return 0;
  }
  return static_cast<std::uint64_t>(result);
}

// The ratios in lowest terms: 50:50 is 1:1, and its blocks may be as small as 1:1's.
std::vector<std::int64_t> reduced(std::vector<std::int64_t> ratios) {
  std::int64_t g = 0;
  for (const std::int64_t r : ratios) g = std::gcd(g, r);
  if (g > 1)
    for (auto& r : ratios) r /= g;
  return ratios;
}

}  // namespace

BlockDesign::BlockDesign(const std::vector<std::int64_t>& given, std::int64_t block_size) {
  const std::vector<std::int64_t> ratios = reduced(given);
  const std::int64_t sum = std::accumulate(ratios.begin(), ratios.end(), std::int64_t{0});
  if (ratios.size() < 2 || sum <= 0 || block_size <= 0 || block_size % sum != 0 || block_size > 1000)
    throw std::invalid_argument("block size " + std::to_string(block_size) + " is not a multiple of " +
                                std::to_string(sum) + ", the sum of the ratios in lowest terms, at most 1000");
  for (const std::int64_t r : ratios) counts_.push_back(static_cast<std::uint32_t>(r * (block_size / sum)));
  counts_total_ = static_cast<std::uint32_t>(block_size);
  arrangements_ = multinomial(counts_);
  if (arrangements_ == 0)
    throw std::invalid_argument("a block of " + std::to_string(block_size) +
                                " has more than 2^64 arrangements; use a smaller block");
  if (arrangements_ <= kTabulated) {
    // Lexicographic order is std::next_permutation's order from the sorted block.
    std::vector<std::uint8_t> arms;
    for (std::size_t a = 0; a < counts_.size(); ++a) arms.insert(arms.end(), counts_[a], static_cast<std::uint8_t>(a));
    table_.reserve(arrangements_ * counts_total_);
    do table_.insert(table_.end(), arms.begin(), arms.end());
    while (std::next_permutation(arms.begin(), arms.end()));
  }
}

const std::uint8_t* BlockDesign::unrank(std::uint64_t pick, std::uint8_t* arms) const {
  // Unranking: at each position, the arrangements that start with arm a number
  // multinomial(counts with one fewer a); skip whole groups until pick falls in one.
  std::vector<std::uint32_t> left = counts_;
  for (std::uint32_t position = 0; position < counts_total_; ++position) {
    for (std::size_t a = 0; a < left.size(); ++a) {
      if (left[a] == 0) continue;
      --left[a];
      const std::uint64_t starting_with_a = multinomial(left);
      if (pick < starting_with_a) {
        arms[position] = static_cast<std::uint8_t>(a);
        break;
      }
      pick -= starting_with_a;
      ++left[a];
    }
  }
  return arms;
}

std::int64_t default_block_size(const std::vector<std::int64_t>& given) {
  const std::vector<std::int64_t> ratios = reduced(given);
  const std::int64_t sum = std::accumulate(ratios.begin(), ratios.end(), std::int64_t{0});
  std::int64_t size = sum;
  while (size < 4) size += sum;
  return size;
}

BlockRandomization::BlockRandomization(const BlockDesign& design, std::uint64_t purpose)
    : design_(&design), purpose_(purpose), size_(design.block_size()), arms_(size_) {}

BlockRandomization& BlockRandomization::operator=(const BlockRandomization& other) {
  if (this == &other) return *this;
  design_ = other.design_;
  purpose_ = other.purpose_;
  size_ = other.size_;
  trial_hash_ = other.trial_hash_;
  block_start_ = other.block_start_;
  block_ = other.block_;
  arms_ = other.arms_;
  current_ = other.current_ == other.arms_.data() ? arms_.data() : other.current_;
  return *this;
}

void BlockRandomization::reset(std::uint64_t seed, std::uint64_t trial) {
  trial_hash_ = RandomStream::trial_hash(seed, trial);
  block_start_ = kNoBlock;
}

void BlockRandomization::fill_block(std::uint64_t block) {
  const std::uint64_t bits = RandomStream::counter_word(trial_hash_, block, purpose_);
  // floor(bits * arrangements / 2^64), the high word of the 128-bit product.
  const auto pick = static_cast<std::uint64_t>((static_cast<u128>(bits) * design_->arrangements()) >> 64);
  current_ = design_->arrangement(pick, arms_.data());
  block_ = block;
  block_start_ = block * size_;
}

}  // namespace vtrial
