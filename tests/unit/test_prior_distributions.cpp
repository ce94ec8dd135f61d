// Draws of every prior family against closed forms: mean, variance and quantiles, truncation
// included, each within 4 Monte Carlo standard errors of 200,000 keyed draws (fixed seeds, so
// the test is deterministic). Closed forms: Johnson, Kotz & Balakrishnan, Continuous Univariate
// Distributions (normal, truncated normal and lognormal moments; beta; gamma).
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <iostream>
#include <vector>

#include "engine/uncertainty/joint_prior.hpp"

namespace vtrial {
namespace {

constexpr std::size_t kDraws = 200000;

PriorDistribution prior(PriorFamily family, double a = 0, double b = 0) {
  PriorDistribution d;
  d.family = family;
  d.a = a;
  d.b = b;
  return d;
}
constexpr std::uint64_t kPurpose = 13;

std::vector<double> draws(const PriorDistribution& d, std::uint64_t seed = 7) {
  const JointPrior prior({d}, {});
  std::vector<double> out(kDraws);
  for (std::size_t t = 0; t < kDraws; ++t) prior.draw(seed, t, kPurpose, std::span<double>(&out[t], 1));
  return out;
}

double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double phi(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI); }

// Sample mean within 4 SE of `mean`, sample variance within 4 SE of `variance` (the SE of a
// variance estimate from the fourth central moment, estimated from the draws), and the share
// of draws at or below each true quantile within 4 binomial SEs of its level.
void expect_moments(const std::vector<double>& x, double mean, double variance, const PriorDistribution& d) {
  const double n = static_cast<double>(x.size());
  double m = 0;
  for (double v : x) m += v / n;
  double s2 = 0, m4 = 0;
  for (double v : x) s2 += (v - m) * (v - m) / (n - 1), m4 += std::pow(v - m, 4) / n;
  EXPECT_NEAR(m, mean, 4 * std::sqrt(variance / n)) << d.describe();
  EXPECT_NEAR(s2, variance, 4 * std::sqrt((m4 - s2 * s2) / n)) << d.describe();
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    const double at = d.quantile(q);
    double below = 0;
    for (double v : x) below += v <= at ? 1 : 0;
    EXPECT_NEAR(below / n, q, 4 * std::sqrt(q * (1 - q) / n)) << d.describe() << " at q " << q;
  }
  for (double v : x) {
    ASSERT_GE(v, d.support_low());
    ASSERT_LE(v, d.support_high());
  }
}

TEST(PriorDistributions, FixedIsItsValue) {
  const PriorDistribution d = prior(PriorFamily::fixed, 1.7);
  for (double v : draws(d)) ASSERT_EQ(v, 1.7);
}

TEST(PriorDistributions, Normal) {
  const PriorDistribution d = prior(PriorFamily::normal, 2, 0.5);
  expect_moments(draws(d), 2, 0.25, d);
}

TEST(PriorDistributions, TruncatedNormal) {
  PriorDistribution d = prior(PriorFamily::normal, 1.5, 0.6);
  d.lower = 1;
  d.upper = 3;
  // Truncated to [a, b]: mean mu + s (phi(al) - phi(be)) / Z, variance
  // s^2 [1 + (al phi(al) - be phi(be)) / Z - ((phi(al) - phi(be)) / Z)^2], Z = Phi(be) - Phi(al).
  const double al = (1 - 1.5) / 0.6, be = (3 - 1.5) / 0.6, Z = Phi(be) - Phi(al);
  const double r = (phi(al) - phi(be)) / Z;
  const double mean = 1.5 + 0.6 * r;
  const double variance = 0.36 * (1 + (al * phi(al) - be * phi(be)) / Z - r * r);
  expect_moments(draws(d), mean, variance, d);
  EXPECT_NEAR(d.kept_mass(), Z, 1e-12);
}

TEST(PriorDistributions, Lognormal) {
  // median m, geometric SD g: log X ~ N(log m, log g); mean m e^{s^2/2}, var (e^{s^2} - 1) m^2 e^{s^2}.
  const PriorDistribution d = prior(PriorFamily::lognormal, 0.002, 2);
  const double s2 = std::pow(std::log(2.0), 2);
  expect_moments(draws(d), 0.002 * std::exp(s2 / 2), (std::exp(s2) - 1) * 0.002 * 0.002 * std::exp(s2), d);
}

TEST(PriorDistributions, TruncatedLognormal) {
  PriorDistribution d = prior(PriorFamily::lognormal, 21, 1.5);
  d.lower = 10;
  d.upper = 40;
  // E[X^k | a < X < b] = e^{k mu + k^2 s^2 / 2} [Phi((ln b - mu - k s^2) / s) - Phi((ln a - mu - k s^2) / s)] / Z.
  const double mu = std::log(21.0), s = std::log(1.5);
  const double Z = Phi((std::log(40.0) - mu) / s) - Phi((std::log(10.0) - mu) / s);
  const auto moment = [&](double k) {
    return std::exp(k * mu + k * k * s * s / 2) *
           (Phi((std::log(40.0) - mu - k * s * s) / s) - Phi((std::log(10.0) - mu - k * s * s) / s)) / Z;
  };
  expect_moments(draws(d), moment(1), moment(2) - moment(1) * moment(1), d);
}

TEST(PriorDistributions, Uniform) {
  const PriorDistribution d = prior(PriorFamily::uniform, 1.2, 3);
  expect_moments(draws(d), 2.1, 1.8 * 1.8 / 12, d);
}

TEST(PriorDistributions, Beta) {
  const PriorDistribution d = prior(PriorFamily::beta, 2, 5);
  expect_moments(draws(d), 2.0 / 7, 2.0 * 5 / (49 * 8), d);
}

TEST(PriorDistributions, TruncatedUniformIsUniformOnTheOverlap) {
  PriorDistribution d = prior(PriorFamily::uniform, 0, 10);
  d.lower = 2;
  d.upper = 4;
  expect_moments(draws(d), 3, 4.0 / 12, d);
}

TEST(PriorDistributions, Gamma) {
  const PriorDistribution d = prior(PriorFamily::gamma, 3, 0.5);  // shape k, scale th: mean k th, var k th^2
  expect_moments(draws(d), 1.5, 0.75, d);
}

TEST(PriorDistributions, DiscreteFrequencies) {
  PriorDistribution d = prior(PriorFamily::discrete);
  d.values = {1.0, 1.5, 2.0};
  d.weights = {0.2, 0.5, 0.3};
  const auto x = draws(d);
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < 3; ++i) {
    double hits = 0;
    for (double v : x) hits += v == d.values[i] ? 1 : 0;
    EXPECT_NEAR(hits / n, d.weights[i], 4 * std::sqrt(d.weights[i] * (1 - d.weights[i]) / n));
  }
}

TEST(PriorDistributions, TruncatedDiscreteRenormalizes) {
  PriorDistribution d = prior(PriorFamily::discrete);
  d.values = {1.0, 1.5, 2.0};
  d.weights = {0.2, 0.5, 0.3};
  d.lower = 1.5;
  EXPECT_NEAR(d.kept_mass(), 0.8, 1e-12);
  const auto x = draws(d);
  double at_15 = 0;
  for (double v : x) {
    ASSERT_GE(v, 1.5);
    at_15 += v == 1.5 ? 1 : 0;
  }
  const double n = static_cast<double>(x.size());
  EXPECT_NEAR(at_15 / n, 0.625, 4 * std::sqrt(0.625 * 0.375 / n));
}

TEST(PriorDistributions, BinEdgesAreQuantilesOrValues) {
  const PriorDistribution u = prior(PriorFamily::uniform, 0, 10);
  EXPECT_EQ(u.bin_edges(5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  PriorDistribution d = prior(PriorFamily::discrete);
  d.values = {1.0, 2.0};
  d.weights = {0.5, 0.5};
  EXPECT_EQ(d.bin_edges(10), (std::vector<double>{1.0, 1.5, 2.0}));
}

// A prepared prior (the tabulated inverse of the beta and gamma families, the cached truncation)
// draws what the unprepared one draws: Boost.Math's inverse, to within its own rounding. On a
// grid of 20,001 levels and every shape below (singular densities at an end included), the
// two agree to 2e-14 relative (measured: 4e-15 at most); extreme shapes to 1e-12.
TEST(PriorDistributions, APreparedPriorDrawsTheExactInverse) {
  std::vector<PriorDistribution> shapes = {
      prior(PriorFamily::beta, 2, 18),   prior(PriorFamily::beta, 0.5, 0.5), prior(PriorFamily::beta, 30, 2),
      prior(PriorFamily::beta, 1, 1),    prior(PriorFamily::beta, 0.2, 7),   prior(PriorFamily::gamma, 0.3, 2),
      prior(PriorFamily::gamma, 2, 1.5), prior(PriorFamily::gamma, 40, 0.1), prior(PriorFamily::gamma, 1, 3)};
  PriorDistribution truncated = prior(PriorFamily::beta, 2, 18);
  truncated.lower = 0.05;
  truncated.upper = 0.3;
  shapes.push_back(truncated);
  double worst = 0;
  for (const PriorDistribution& exact : shapes) {
    PriorDistribution fast = exact;
    fast.prepare();
    for (int i = 1; i <= 20001; ++i) {
      const double u = i / 20002.0;
      const double x = exact.quantile(u), y = fast.quantile(u);
      const double error = std::fabs(y - x) / std::fmax(std::fabs(x), 1e-300);
      worst = std::fmax(worst, error);
      ASSERT_LE(error, 2e-14) << exact.describe() << " at u " << u << ": " << x << " vs " << y;
    }
  }
  std::cout << "prepared against exact inverse, worst relative difference " << worst << "\n";
  // A copy prepared and then changed draws as the changed prior, not from the old preparation.
  PriorDistribution moved = prior(PriorFamily::beta, 2, 18);
  moved.lower = 0.05;
  moved.prepare();
  moved.b = 5;
  moved.upper = 0.6;
  PriorDistribution fresh = prior(PriorFamily::beta, 2, 5);
  fresh.lower = 0.05;
  fresh.upper = 0.6;
  for (double u : {0.1, 0.5, 0.9}) EXPECT_EQ(moved.quantile(u), fresh.quantile(u));
  // Shapes whose densities overflow or vanish at a table end (Boost throws there) and whose F is
  // ill-conditioned: the prior still prepares, and draws agree to what F's conditioning allows
  // (Boost's own inverse is off by 1.8e-13 at beta(2, 1e4), by an mpmath check).
  for (const PriorDistribution& exact :
       {prior(PriorFamily::beta, 2, 0.1), prior(PriorFamily::beta, 0.005, 2), prior(PriorFamily::beta, 1e4, 0.5),
        prior(PriorFamily::beta, 2, 1e4), prior(PriorFamily::gamma, 0.001, 1)}) {
    PriorDistribution fast = exact;
    ASSERT_NO_THROW(fast.prepare()) << exact.describe();
    for (int i = 1; i <= 2001; ++i) {
      const double u = i / 2002.0;
      const double x = exact.quantile(u), y = fast.quantile(u);
      ASSERT_LE(std::fabs(y - x), 1e-12 * std::fmax(std::fabs(x), 1e-300)) << exact.describe() << " at u " << u;
    }
  }
}

TEST(JointPrior, EachPriorKeepsItsDrawsWhenAnotherIsAdded) {
  const PriorDistribution a = prior(PriorFamily::uniform, 0, 1), b = prior(PriorFamily::normal, 0, 1);
  const JointPrior one({a}, {}), two({a, b}, {});
  for (std::uint64_t t = 0; t < 100; ++t) {
    double x = 0, xy[2];
    one.draw(3, t, kPurpose, std::span<double>(&x, 1));
    two.draw(3, t, kPurpose, xy);
    ASSERT_EQ(x, xy[0]);
  }
}

TEST(JointPrior, GaussianCopulaGivesTheCorrelationOfNormalScores) {
  const PriorDistribution a = prior(PriorFamily::lognormal, 1, 2), b = prior(PriorFamily::uniform, 1.2, 3);
  const double rho = -0.6;
  const JointPrior prior({a, b}, {1, rho, rho, 1});
  const boost::math::normal_distribution<double> normal;
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, mean_b = 0;
  const double n = kDraws;
  for (std::size_t t = 0; t < kDraws; ++t) {
    double v[2];
    prior.draw(5, t, kPurpose, v);
    // The normal scores of the marginals: Phi^-1(F(x)).
    const double x = boost::math::quantile(normal, a.cdf(v[0])), y = boost::math::quantile(normal, b.cdf(v[1]));
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, mean_b += v[1] / n;
  }
  const double r = (sxy / n - sx / n * sy / n) / std::sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
  EXPECT_NEAR(r, rho, 4 * (1 - rho * rho) / std::sqrt(n));      // SE of Pearson's r
  EXPECT_NEAR(mean_b, 2.1, 4 * std::sqrt(1.8 * 1.8 / 12 / n));  // the marginal is unchanged
}

TEST(JointPrior, RefusesCorrelationsNoDistributionHas) {
  const PriorDistribution u = prior(PriorFamily::uniform, 0, 1);
  // Pairwise 0.9, 0.9 and -0.9: not positive definite.
  EXPECT_THROW(JointPrior({u, u, u}, {1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}), std::invalid_argument);
  EXPECT_THROW(JointPrior({u, u}, {1, 0.5, 0.4, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace vtrial
