// Permuted-block randomization (design/randomization.hpp): exact ratio counts in every block,
// arms that do not depend on the order slots are visited in (common random numbers across
// sample sizes), the number and the lexicographic order of the arrangements on both the
// tabulated and the unranking path, equally likely arrangements, and the first version's 1:1
// blocks of four reproduced draw for draw.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "design/randomization.hpp"
#include "engine/random_stream.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

const std::uint64_t kPurpose = purpose_id(StreamPurpose::randomization);

struct Case {
  std::vector<std::int64_t> ratios;
  std::int64_t block;
  std::uint64_t arrangements;  // block! / prod(count_a!)
};

// Multinomial coefficients worked out by hand: 4!/(2!2!) = 6, 8!/(4!4!) = 70, 6!/(4!2!) = 15,
// 6!/(2!2!2!) = 90, 12!/(4!4!4!) = 34650, 10!/(6!4!) = 210 (3:2 in blocks of ten is 6 + 4; 252
// would be C(10, 5), i.e. 1:1 in ten).
const std::vector<Case> kCases = {
    {{1, 1}, 4, 6}, {{1, 1}, 8, 70}, {{2, 1}, 6, 15}, {{1, 1, 1}, 6, 90}, {{1, 1, 1}, 12, 34650}, {{3, 2}, 10, 210},
};

std::vector<std::uint8_t> sorted_block(const Case& c) {
  const std::int64_t sum = std::accumulate(c.ratios.begin(), c.ratios.end(), std::int64_t{0});
  std::vector<std::uint8_t> arms;
  for (std::size_t a = 0; a < c.ratios.size(); ++a)
    arms.insert(arms.end(), static_cast<std::size_t>(c.ratios[a] * (c.block / sum)), static_cast<std::uint8_t>(a));
  return arms;
}

// A table row is returned in place, an unranked one in the scratch buffer: read the result.
std::vector<std::uint8_t> arrangement(const BlockDesign& d, std::uint64_t pick) {
  std::vector<std::uint8_t> scratch(d.block_size());
  const std::uint8_t* arms = d.arrangement(pick, scratch.data());
  return {arms, arms + d.block_size()};
}

TEST(RandomizationBlocks, ArrangementCountIsTheMultinomialCoefficient) {
  for (const auto& c : kCases) EXPECT_EQ(BlockDesign(c.ratios, c.block).arrangements(), c.arrangements) << c.block;
  // Unranking must also hold beyond 32 bits: C(66, 33) = 7219428434016265740 < 2^64.
  EXPECT_EQ(BlockDesign({1, 1}, 66).arrangements(), 7219428434016265740ull);
}

TEST(RandomizationBlocks, DefaultBlockIsTheSmallestMultipleOfTheSumAtLeastFour) {
  EXPECT_EQ(default_block_size({1, 1}), 4);
  EXPECT_EQ(default_block_size({2, 1}), 6);
  EXPECT_EQ(default_block_size({1, 1, 1}), 6);
  EXPECT_EQ(default_block_size({3, 2}), 5);
  EXPECT_EQ(default_block_size({1, 1, 1, 1, 1}), 5);
}

TEST(RandomizationBlocks, EveryCompleteBlockHasExactlyTheRatioCounts) {
  for (const auto& c : kCases) {
    const BlockDesign design(c.ratios, c.block);
    const std::vector<std::uint8_t> expected = sorted_block(c);
    BlockRandomization r(design, kPurpose);
    for (std::uint64_t trial = 0; trial < 20; ++trial) {
      r.reset(99, trial);
      for (std::uint64_t b = 0; b < 200; ++b) {
        std::vector<std::uint8_t> block;
        for (std::uint64_t i = 0; i < design.block_size(); ++i) block.push_back(r.arm(b * design.block_size() + i));
        std::sort(block.begin(), block.end());
        ASSERT_EQ(block, expected) << "block " << c.block << " trial " << trial << " b " << b;
      }
    }
  }
}

TEST(RandomizationBlocks, ArmOfASlotDoesNotDependOnTheVisitingOrder) {
  // A run with another sample size or another thread schedule asks for slots in another order;
  // slot k must get the same arm regardless.
  std::mt19937_64 shuffle(12345);
  for (const auto& c : kCases) {
    const BlockDesign design(c.ratios, c.block);
    BlockRandomization in_order(design, kPurpose), random_order(design, kPurpose), prefix(design, kPurpose);
    in_order.reset(7, 3);
    random_order.reset(7, 3);
    prefix.reset(7, 3);
    const std::uint64_t n = 60 * design.block_size() + 1;  // ends inside a block
    std::vector<std::uint8_t> arms(n);
    for (std::uint64_t k = 0; k < n; ++k) arms[k] = in_order.arm(k);
    std::vector<std::uint64_t> slots(n);
    std::iota(slots.begin(), slots.end(), 0);
    std::shuffle(slots.begin(), slots.end(), shuffle);
    for (const std::uint64_t k : slots) ASSERT_EQ(random_order.arm(k), arms[k]) << c.block << " slot " << k;
    // A smaller trial (n = 17) sees the first 17 arms of the larger one.
    for (std::uint64_t k = 0; k < 17; ++k) ASSERT_EQ(prefix.arm(k), arms[k]);
    // Another trial is another sequence (guards against ignoring the trial).
    BlockRandomization other(design, kPurpose);
    other.reset(7, 4);
    std::size_t same = 0;
    for (std::uint64_t k = 0; k < n; ++k) same += other.arm(k) == arms[k];
    EXPECT_LT(same, n);
  }
}

// A simulator may copy its randomizer; the copy must go on with its own trial's block, also
// for a design that unranks into the randomizer's own buffer (1:1 in 16: 12870 arrangements),
// whatever the original does next.
TEST(RandomizationBlocks, ACopyKeepsItsOwnBlock) {
  for (const auto& c : std::vector<Case>{{{1, 1}, 16, 12870}, {{1, 1}, 4, 6}}) {
    const BlockDesign design(c.ratios, c.block);
    BlockRandomization reference(design, kPurpose), original(design, kPurpose);
    reference.reset(11, 0);
    original.reset(11, 0);
    ASSERT_EQ(original.arm(0), reference.arm(0));
    BlockRandomization copy = original;  // mid-block
    original.reset(11, 1);               // the original moves on to another trial
    for (std::uint64_t k = 0; k < design.block_size(); ++k) original.arm(k);
    for (std::uint64_t k = 1; k < 2 * design.block_size(); ++k)
      ASSERT_EQ(copy.arm(k), reference.arm(k)) << "block " << c.block << " slot " << k;
  }
}

// Both paths: designs with at most 4096 arrangements read a table, larger ones unrank. Either
// must give std::next_permutation's order from the sorted block, pick by pick.
TEST(RandomizationBlocks, ArrangementsAreInLexicographicOrderOnBothPaths) {
  std::vector<Case> cases = kCases;
  cases.push_back({{1, 1}, 16, 12870});  // 12870 > 4096: unranking
  cases.push_back({{1, 2}, 15, 3003});   // tabulated, arm 1 the larger
  for (const auto& c : cases) {
    const BlockDesign design(c.ratios, c.block);
    std::vector<std::uint8_t> next = sorted_block(c);
    std::uint64_t pick = 0;
    do {
      ASSERT_EQ(arrangement(design, pick), next) << "block " << c.block << " pick " << pick;
      ++pick;
    } while (std::next_permutation(next.begin(), next.end()));
    EXPECT_EQ(pick, design.arrangements());
  }
  // Far beyond any table: the first, second and last of C(66, 33) arrangements.
  const BlockDesign big({1, 1}, 66);
  std::vector<std::uint8_t> first(66, 0);
  std::fill(first.begin() + 33, first.end(), 1);
  EXPECT_EQ(arrangement(big, 0), first);
  std::vector<std::uint8_t> second = first;
  std::next_permutation(second.begin(), second.end());
  EXPECT_EQ(arrangement(big, 1), second);
  std::vector<std::uint8_t> last = first;
  std::reverse(last.begin(), last.end());
  EXPECT_EQ(arrangement(big, big.arrangements() - 1), last);
}

// Chi-square goodness of fit of the arrangement frequencies against the uniform distribution,
// at a 1e-6 upper tail: R qchisq(1e-6, df, lower.tail = FALSE) gives 54.63530553 (df 14),
// 167.3477971 (df 89), 139.8298367 (df 69), 35914.74356 (df 34649): 4.8 to 7.7 standard
// deviations sqrt(2 df) of the statistic above its mean df. With fixed seeds the
// statistic is deterministic, so this never flakes; a wrong pick (e.g. bits % arrangements
// taken from the low word of a sequence, or the same arrangement every block) fails by far.
double chi_square(const Case& c, std::uint64_t blocks_per_cell, bool across_trials) {
  const BlockDesign design(c.ratios, c.block);
  // An arrangement's cell, by its digits in base (number of arms).
  const auto code = [&](const std::vector<std::uint8_t>& arms) {
    std::uint64_t v = 0;
    for (const std::uint8_t a : arms) v = v * c.ratios.size() + a;
    return v;
  };
  std::unordered_map<std::uint64_t, std::uint64_t> index;
  for (std::uint64_t k = 0; k < design.arrangements(); ++k) index[code(arrangement(design, k))] = k;
  std::vector<double> counts(design.arrangements(), 0.0);
  BlockRandomization r(design, kPurpose);
  const std::uint64_t blocks = blocks_per_cell * design.arrangements();
  r.reset(20250520, 0);
  for (std::uint64_t b = 0; b < blocks; ++b) {
    // Across trials: block 0 of trial b (the trial hashing); else block b of one trial.
    if (across_trials) r.reset(20250520, b);
    const std::uint64_t block = across_trials ? 0 : b;
    std::vector<std::uint8_t> arms(design.block_size());
    for (std::uint64_t i = 0; i < design.block_size(); ++i) arms[i] = r.arm(block * design.block_size() + i);
    counts[index.at(code(arms))] += 1;
  }
  const double expected = static_cast<double>(blocks_per_cell);
  double x2 = 0;
  for (const double o : counts) x2 += (o - expected) * (o - expected) / expected;
  return x2;
}

TEST(RandomizationBlocks, EveryArrangementIsEquallyLikely) {
  // 1:1:1 in blocks of six: 90 cells, 1000 expected per cell, df 89.
  EXPECT_LT(chi_square({{1, 1, 1}, 6, 90}, 1000, false), 167.3477971);
  EXPECT_LT(chi_square({{1, 1, 1}, 6, 90}, 1000, true), 167.3477971);
  EXPECT_LT(chi_square({{2, 1}, 6, 15}, 2000, false), 54.63530553);
  EXPECT_LT(chi_square({{1, 1}, 8, 70}, 1000, true), 139.8298367);
  // The unranking path: 34650 cells, 40 expected per cell (1.4 million blocks), df 34649.
  EXPECT_LT(chi_square({{1, 1, 1}, 12, 34650}, 40, false), 35914.74356);
}

TEST(RandomizationBlocks, OneToOneInFoursIsTheFirstVersionsSchemeExactly) {
  // The first version (models/randomization.hpp before the design layer), written out: the 6
  // arrangements of {0, 0, 1, 1} in this order, picked by floor(bits * 6 / 2^64) computed
  // from 32-bit halves, from the counter word of (trial hash, block, randomization = 1).
  static constexpr std::uint8_t kFirstVersion[6][4] = {{0, 0, 1, 1}, {0, 1, 0, 1}, {0, 1, 1, 0},
                                                       {1, 0, 0, 1}, {1, 0, 1, 0}, {1, 1, 0, 0}};
  const BlockDesign design({1, 1}, 4);
  BlockRandomization r(design, kPurpose);
  std::vector<int> picks(6, 0);
  for (const auto& [seed, trial] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{{20250520, 0}, {1, 777}}) {
    r.reset(seed, trial);
    const std::uint64_t trial_hash = RandomStream::trial_hash(seed, trial);
    for (std::uint64_t block = 0; block < 10000; ++block) {
      const std::uint64_t bits = RandomStream::counter_word(trial_hash, block, 1);
      const std::uint64_t pick = ((bits >> 32) * 6 + (((bits & 0xffffffffULL) * 6) >> 32)) >> 32;
      ++picks[pick];
      for (std::uint64_t i = 0; i < 4; ++i)
        ASSERT_EQ(r.arm(4 * block + i), kFirstVersion[pick][i]) << "seed " << seed << " block " << block;
    }
  }
  for (const int n : picks) EXPECT_GT(n, 3000);  // every arrangement was exercised
}

TEST(RandomizationBlocks, InvalidBlocksThrow) {
  EXPECT_THROW(BlockDesign({1, 1}, 5), std::invalid_argument);  // not a multiple of 2
  EXPECT_THROW(BlockDesign({2, 1}, 4), std::invalid_argument);  // not a multiple of 3
  EXPECT_THROW(BlockDesign({3, 2}, 6), std::invalid_argument);  // not a multiple of 5
  EXPECT_THROW(BlockDesign({1, 1}, 0), std::invalid_argument);
  EXPECT_THROW(BlockDesign({1, 1}, -4), std::invalid_argument);
  EXPECT_THROW(BlockDesign({1, 1}, 1002), std::invalid_argument);     // a multiple, but > 1000
  EXPECT_THROW(BlockDesign({1, 1001}, 1002), std::invalid_argument);  // > 1000 though only 1002 arrangements
  EXPECT_THROW(BlockDesign({1}, 4), std::invalid_argument);           // one arm is no randomization
  // C(68, 34) = 2.845e19 > 2^64 - 1 = 1.845e19 (R: choose(68, 34), 2^64): too many to pick from.
  EXPECT_THROW(BlockDesign({1, 1}, 68), std::invalid_argument);
  EXPECT_THROW(BlockDesign({1, 1, 1}, 999), std::invalid_argument);
  EXPECT_NO_THROW(BlockDesign({1, 1}, 66));
  EXPECT_NO_THROW(BlockDesign({1, 1}, 2));
}

}  // namespace
}  // namespace vtrial
