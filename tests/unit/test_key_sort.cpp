// sort_by_key against std::sort: same key sequence, same (key, payload) multiset, for sizes
// around its insertion-only threshold and data that exercises each path (smooth, tied,
// skewed with an outlier that forces the fallback, signed zeros, infinities, NaN).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

#include "engine/random_stream.hpp"
#include "engine/stats/key_sort.hpp"

namespace {

using vtrial::KeyedItem;

// Bit pattern first so that -0.0 and 0.0 (equal keys) still compare as different items.
auto exact(const KeyedItem& a) { return std::make_tuple(std::bit_cast<std::uint64_t>(a.key), a.payload); }

void expect_sorted_permutation(const std::vector<KeyedItem>& input, const std::vector<KeyedItem>& sorted) {
  ASSERT_EQ(input.size(), sorted.size());
  // Keys in order (NaN, if any, only after every number).
  bool seen_nan = false;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (std::isnan(sorted[i].key)) {
      seen_nan = true;
      continue;
    }
    EXPECT_FALSE(seen_nan) << "number after NaN at " << i;
    if (i > 0 && !std::isnan(sorted[i - 1].key)) {
      EXPECT_LE(sorted[i - 1].key, sorted[i].key) << "at " << i;
    }
  }
  // Against std::sort: the same key at every position (ties may permute their payloads).
  std::vector<KeyedItem> reference = input;
  std::sort(reference.begin(), reference.end(), [](const KeyedItem& a, const KeyedItem& b) {
    return a.key < b.key || (std::isnan(b.key) && !std::isnan(a.key));
  });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (std::isnan(reference[i].key)) {
      EXPECT_TRUE(std::isnan(sorted[i].key));
    } else {
      EXPECT_EQ(reference[i].key, sorted[i].key) << "at " << i;
    }
  }
  // Nothing lost or duplicated.
  std::vector<KeyedItem> a = input, b = sorted;
  const auto by_bits = [](const KeyedItem& x, const KeyedItem& y) { return exact(x) < exact(y); };
  std::sort(a.begin(), a.end(), by_bits);
  std::sort(b.begin(), b.end(), by_bits);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(exact(a[i]), exact(b[i])) << "at " << i;
}

void check(const std::vector<double>& keys, vtrial::KeySortWorkspace& ws) {
  std::vector<KeyedItem> input(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) input[i] = {keys[i], static_cast<std::uint32_t>(i)};
  std::vector<KeyedItem> sorted = input;
  vtrial::sort_by_key(sorted, ws);
  expect_sorted_permutation(input, sorted);
}

std::vector<double> draw(std::size_t n, std::uint64_t seed, double (*transform)(double)) {
  vtrial::RandomStream stream({seed, n, 0, 0});
  std::vector<double> keys(n);
  for (auto& k : keys) k = transform(stream.uniform_open01());
  return keys;
}

const std::size_t kSizes[] = {0, 1, 2, 3, 15, 16, 17, 31, 100, 257, 1000, 5000};

TEST(KeySort, SmoothDataOfEverySize) {
  vtrial::KeySortWorkspace ws;
  for (std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    check(draw(n, 1, [](double u) { return u; }), ws);
    check(draw(n, 2, [](double u) { return -21 / std::log(2.0) * std::log(u); }), ws);  // exponential
    check(draw(n, 3, [](double u) { return 60 * (u - 0.5); }), ws);                     // both signs
  }
}

TEST(KeySort, HeavyTiesAndAllEqual) {
  vtrial::KeySortWorkspace ws;
  for (std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    check(draw(n, 4, [](double u) { return 7 * std::ceil(12 * u); }), ws);  // weekly visits
    check(draw(n, 5, [](double u) { return u < 0.5 ? 0.0 : 1.0; }), ws);
    check(std::vector<double>(n, 84.0), ws);
  }
}

TEST(KeySort, SkewedDataAndOutliersFallBackCorrectly) {
  vtrial::KeySortWorkspace ws;
  for (std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    check(draw(n, 6, [](double u) { return std::exp(20 * u); }), ws);  // log-uniform over e^20
    std::vector<double> keys = draw(n, 7, [](double u) { return u; });
    if (!keys.empty()) keys[n / 2] = 1e300;  // one far outlier: all others share a bucket
    check(keys, ws);
  }
}

// Positive keys over at most 24 octaves are bucketed by their bit pattern (a log scale);
// these exercise its edges: the widest span it takes, a span of a few ulps (shift 0), a
// subnormal smallest key (which leaves it for the linear scale), and a 2^23-fold outlier
// that piles everything else into few buckets (the move budget's fallback).
TEST(KeySort, PositiveKeysOnTheBitPatternScale) {
  vtrial::KeySortWorkspace ws;
  for (std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    check(draw(n, 8, [](double u) { return std::ldexp(1.0, -12) * std::exp2(24 * u); }), ws);  // 24 octaves
    check(draw(n, 9, [](double u) { return 1.0 + std::floor(8 * u) * 0x1p-52; }), ws);         // 8 adjacent doubles
    std::vector<double> keys = draw(n, 10, [](double u) { return 1 + u; });
    if (n > 2) keys[1] = 0x1p-1060;  // subnormal
    check(keys, ws);
    keys = draw(n, 11, [](double u) { return 1 + u; });
    if (n > 2) keys[n / 3] = 0x1p23;
    check(keys, ws);
  }
}

TEST(KeySort, SignedZerosInfinitiesAndNaN) {
  vtrial::KeySortWorkspace ws;
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    std::vector<double> keys = draw(n, 8, [](double u) { return u < 0.3 ? -0.0 : (u < 0.6 ? 0.0 : u - 0.8); });
    check(keys, ws);
    if (n >= 3) {
      keys[0] = inf;
      keys[1] = -inf;
      check(keys, ws);
    }
    // NaN: no crash and no loss; numbers still sorted, NaNs last above the insertion-only size.
    if (n > 16) {
      keys[2] = nan;
      check(keys, ws);
    }
  }
}

TEST(KeySort, WarmWorkspaceDoesNotReallocate) {
  vtrial::KeySortWorkspace ws;
  std::vector<KeyedItem> items(1000);
  const auto fill = [&](std::size_t n, std::uint64_t seed) {
    const auto keys = draw(n, seed, [](double u) { return u; });
    items.resize(n);
    for (std::size_t i = 0; i < n; ++i) items[i] = {keys[i], static_cast<std::uint32_t>(i)};
  };
  fill(1000, 9);
  vtrial::sort_by_key(items, ws);
  const auto* buffer = ws.buffer.data();
  const auto* bucket = ws.bucket.data();
  const auto* start = ws.start.data();
  for (std::size_t n : {1000u, 100u, 500u, 17u}) {
    fill(n, 10 + n);
    vtrial::sort_by_key(items, ws);
    EXPECT_EQ(ws.buffer.data(), buffer);
    EXPECT_EQ(ws.bucket.data(), bucket);
    EXPECT_EQ(ws.start.data(), start);
  }
}

}  // namespace
