#pragma once
// Binary end points: Fisher's exact test on the 2x2 table (successes and failures of two
// groups) and the Newcombe hybrid score interval for the difference in proportions.
#include <cstdint>
#include <span>

namespace vtrial {

// Two-sided p-value as R's fisher.test(matrix(c(x1, n1 - x1, x2, n2 - x2), 2, byrow = TRUE)):
// the sum of the hypergeometric probabilities (margins fixed) that are <= the observed
// table's probability * (1 + 1e-7); the relative slack makes tables with mathematically
// equal probability count despite rounding.
double fisher_exact_test(std::uint32_t x1, std::uint32_t n1, std::uint32_t x2, std::uint32_t n2);

struct DifferenceInterval {
  double difference = 0;  // x1/n1 - x2/n2
  double low = 0, high = 0;
};

// Newcombe (1998, Stat Med 17:873) method 10, the hybrid score interval for x1/n1 - x2/n2
// built from the two Wilson score intervals without continuity correction (l_i, u_i):
//   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),   high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
// NaN when a group is empty.
DifferenceInterval newcombe_interval(std::uint32_t x1, std::uint32_t n1, std::uint32_t x2,
                                     std::uint32_t n2, double level = 0.95);

// Successes (outcome 1) and group sizes from per-patient spans, indexed by group 0/1.
struct BinaryCounts {
  std::uint32_t successes[2] = {0, 0};
  std::uint32_t trials[2] = {0, 0};
};
BinaryCounts count_binary(std::span<const std::uint8_t> outcome,
                          std::span<const std::uint8_t> group);

}  // namespace vtrial
