// Reference values from R 4.2.2, options(digits = 12).
#include "engine/stats/multiplicity.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace {

// p <- c(0.012, 0.04, 0.003, 0.04, 0.2, 0.011); p.adjust(p, "holm")
// [1] 0.055 0.120 0.018 0.120 0.200 0.055
// q <- c(0.3, 0.01, 0.02); p.adjust(q, "holm")
// [1] 0.30 0.03 0.04
TEST(Holm, MatchesRPAdjustWithTiesAndUnsortedInput) {
  const std::vector<double> p = {0.012, 0.04, 0.003, 0.04, 0.2, 0.011};
  const std::vector<double> expected = {0.055, 0.120, 0.018, 0.120, 0.200, 0.055};
  std::vector<double> adjusted(p.size());
  vtrial::HolmWorkspace ws;
  vtrial::holm_adjust(p, adjusted, ws);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(adjusted[i], expected[i], 1e-12) << i;

  std::vector<double> q = {0.3, 0.01, 0.02};
  vtrial::holm_adjust(q, q, ws);  // in place
  EXPECT_NEAR(q[0], 0.30, 1e-12);
  EXPECT_NEAR(q[1], 0.03, 1e-12);
  EXPECT_NEAR(q[2], 0.04, 1e-12);
}

TEST(Holm, CapsAtOneAndHandlesSingleAndEmpty) {
  std::vector<double> p = {0.5, 0.6};
  vtrial::holm_adjust(p, p);
  EXPECT_EQ(p[0], 1.0);
  EXPECT_EQ(p[1], 1.0);
  std::vector<double> one = {0.5};  // p.adjust(0.5, "holm") -> 0.5
  vtrial::holm_adjust(one, one);
  EXPECT_EQ(one[0], 0.5);
  std::vector<double> none;
  vtrial::holm_adjust(none, none);
}

TEST(FixedSequence, StopsAtFirstNonSignificantHypothesis) {
  const std::vector<double> p = {0.01, 0.049, 0.2, 0.001};
  EXPECT_EQ(vtrial::fixed_sequence_rejections(p, 0.05), 2u);
  EXPECT_EQ(vtrial::fixed_sequence_rejections(p, 0.01), 1u);
  EXPECT_EQ(vtrial::fixed_sequence_rejections(p, 0.005), 0u);
  EXPECT_EQ(vtrial::fixed_sequence_rejections(p, 0.2), 4u);
  std::vector<double> adjusted(p.size());
  vtrial::fixed_sequence_adjust(p, adjusted);
  EXPECT_EQ(adjusted, (std::vector<double>{0.01, 0.049, 0.2, 0.2}));
}

}  // namespace
