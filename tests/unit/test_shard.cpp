// Shards partition the trials: every trial in exactly one shard, in order, sizes within one of
// each other, for any number of trials and shards; the --shard text is K/N, nothing else.
#include <gtest/gtest.h>

#include <stdexcept>

#include "app/shard.hpp"

namespace vtrial {
namespace {

TEST(Shard, RangesPartitionTheTrialsInOrder) {
  for (std::size_t trials : {1u, 2u, 7u, 10u, 1000u, 65537u, 100000000u}) {
    for (std::int64_t n : {1, 2, 3, 7, 10, 64, 1000, 1000000}) {
      if (static_cast<std::size_t>(n) > trials) {
        EXPECT_THROW(shard_range({1, n}, trials), std::invalid_argument);
        continue;
      }
      std::size_t next = 0, smallest = trials, largest = 0;
      for (std::int64_t k = 1; k <= n; ++k) {
        const TrialRange r = shard_range({k, n}, trials);
        ASSERT_EQ(r.first, next) << trials << " trials, shard " << k << "/" << n;
        next = r.last;
        smallest = std::min(smallest, r.size());
        largest = std::max(largest, r.size());
      }
      EXPECT_EQ(next, trials);
      EXPECT_LE(largest - smallest, 1u);
      EXPECT_GE(smallest, 1u);
    }
  }
}

TEST(Shard, ParsesOnlyKOverN) {
  EXPECT_EQ(parse_shard("2/8").index, 2);
  EXPECT_EQ(parse_shard("2/8").count, 8);
  EXPECT_EQ(parse_shard("1000000/1000000").index, 1000000);
  for (const char* bad : {"3/2", "0/0", "a/b", "", "2", "/", "1/", "/2", "-1/3", "1/-3", "+1/3", " 1/3", "1/3 ",
                          "1/2/3", "1/1000001", "99999999999999999999/1"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << "accepted --shard '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--shard " + std::string(bad) + ": expected K/N"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace vtrial
