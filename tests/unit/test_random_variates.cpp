// The variates of engine/random_variates.hpp (ziggurat exponential and normal, Marsaglia-Tsang
// gamma), the one-draw randomization block and the parametric patient's geometric screening
// count, against their exact distributions: moments within 4 Monte Carlo standard errors,
// Kolmogorov-Smirnov and chi-square statistics below their 0.1 % critical values. Fixed seeds,
// so each check is deterministic; a correct generator fails one with probability ~1e-3.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "design/randomization.hpp"
#include "engine/random_stream.hpp"
#include "engine/random_variates.hpp"
#include "models/parametric/parametric_patient.hpp"
#include "models/stream_purpose.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

// sqrt(n) * D_n exceeds 1.9495 with probability 0.001 (asymptotic Kolmogorov distribution).
constexpr double kKsCritical = 1.9495;

double ks_statistic(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const auto n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return std::sqrt(n) * d;
}

// Chi-square over `bins` equiprobable bins (by the CDF), compared with its 0.1 % critical value.
void expect_chi_square_fits(const std::vector<double>& x, const std::function<double(double)>& cdf, int bins) {
  std::vector<double> count(static_cast<std::size_t>(bins), 0);
  for (double v : x) {
    const int b = std::min(bins - 1, static_cast<int>(cdf(v) * bins));
    count[static_cast<std::size_t>(b)] += 1;
  }
  const double expected = static_cast<double>(x.size()) / bins;
  double chi2 = 0;
  for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
  const double critical = boost::math::quantile(boost::math::chi_squared_distribution<double>(bins - 1), 0.999);
  EXPECT_LT(chi2, critical);
}

void expect_moments(const std::vector<double>& x, double mean, double variance, double fourth_central) {
  const auto n = static_cast<double>(x.size());
  double sum = 0, sum_sq = 0;
  for (double v : x) sum += v;
  const double m = sum / n;
  for (double v : x) sum_sq += (v - m) * (v - m);
  const double var = sum_sq / (n - 1);
  EXPECT_NEAR(m, mean, 4 * std::sqrt(variance / n));
  EXPECT_NEAR(var, variance, 4 * std::sqrt((fourth_central - variance * variance) / n));
}

TEST(RandomVariates, ZigguratExponentialIsStandardExponential) {
  RandomStream stream(StreamKey{20250520, 1, 2, 3});
  std::vector<double> x(1'000'000);
  for (double& v : x) v = standard_exponential(stream);
  for (double v : x) ASSERT_GE(v, 0);
  const auto cdf = [](double v) { return -std::expm1(-v); };
  expect_moments(x, 1, 1, 9);  // central 4th moment of Exp(1): 9
  EXPECT_LT(ks_statistic(x, cdf), kKsCritical);
  expect_chi_square_fits(x, cdf, 100);
  // The far tail, past the ziggurat's base layer (x > 7.7: the restart with a shift).
  const double tail = static_cast<double>(std::count_if(x.begin(), x.end(), [](double v) { return v > 8; }));
  const double expected_tail = 1e6 * std::exp(-8.0);
  EXPECT_NEAR(tail, expected_tail, 4 * std::sqrt(expected_tail));
}

// As the parametric model draws: a counter word per variate, continued into a stream only
// when the ziggurat rejects.
TEST(RandomVariates, FirstDrawExponentialAndNormalOverKeysHaveTheirDistributions) {
  constexpr std::size_t n = 400'000;
  std::vector<double> e(n), z(n);
  const std::uint64_t trial_hash = RandomStream::trial_hash(7, 11);
  for (std::size_t k = 0; k < n; ++k) {
    FirstDrawStream es(trial_hash, k, 2), zs(trial_hash, k, 4);
    e[k] = standard_exponential(es);
    z[k] = standard_normal(zs);
  }
  const auto exp_cdf = [](double v) { return -std::expm1(-v); };
  expect_moments(e, 1, 1, 9);
  EXPECT_LT(ks_statistic(e, exp_cdf), kKsCritical);
  expect_chi_square_fits(e, exp_cdf, 100);
  const boost::math::normal_distribution<double> normal;
  const auto normal_cdf = [&](double v) { return boost::math::cdf(normal, v); };
  expect_moments(z, 0, 1, 3);
  EXPECT_LT(ks_statistic(z, normal_cdf), kKsCritical);
  expect_chi_square_fits(z, normal_cdf, 100);
}

TEST(RandomVariates, MarsagliaTsangGammaMatchesTheGammaDistribution) {
  // Shape 4 is enrollment's default (rate CV 0.5); 1 is the boundary of the a >= 1 branch;
  // 0.25 (CV 2) takes the a < 1 boost.
  for (double shape : {4.0, 1.0, 0.25}) {
    RandomStream stream(StreamKey{99, 0, 0, static_cast<std::uint64_t>(shape * 100)});
    std::vector<double> x(200'000);
    for (double& v : x) v = standard_gamma(stream, shape);
    for (double v : x) ASSERT_GE(v, 0) << "shape " << shape;
    const boost::math::gamma_distribution<double> exact(shape, 1);
    const auto cdf = [&](double v) { return boost::math::cdf(exact, v); };
    // Central 4th moment of Gamma(a, 1): 3a^2 + 6a.
    expect_moments(x, shape, shape, 3 * shape * shape + 6 * shape);
    EXPECT_LT(ks_statistic(x, cdf), kKsCritical) << "shape " << shape;
    expect_chi_square_fits(x, cdf, 50);
  }
}

TEST(RandomVariates, EveryRandomizationBlockArrangementIsEquallyLikely) {
  // The 6 arrangements of {0, 0, 1, 1}, coded by their arms as 4 bits.
  constexpr std::size_t blocks = 120'000;
  std::array<double, 16> count{};
  const BlockDesign design({1, 1}, 4);
  BlockRandomization randomization(design, purpose_id(StreamPurpose::randomization));
  randomization.reset(3, 5);
  for (std::uint64_t b = 0; b < blocks; ++b) {
    unsigned code = 0;
    for (std::uint64_t i = 0; i < 4; ++i) code = code << 1 | randomization.arm(4 * b + i);
    count[code] += 1;
  }
  const double expected = blocks / 6.0;
  double chi2 = 0;
  int seen = 0;
  for (unsigned code = 0; code < 16; ++code) {
    if (__builtin_popcount(code) != 2) {
      EXPECT_EQ(count[code], 0) << code;
      continue;
    }
    ++seen;
    chi2 += (count[code] - expected) * (count[code] - expected) / expected;
  }
  EXPECT_EQ(seen, 6);
  EXPECT_LT(chi2, boost::math::quantile(boost::math::chi_squared_distribution<double>(5), 0.999));
}

TEST(RandomVariates, ScreeningCountIsGeometricAndDropoutExponential) {
  // screened - 1 = screen failures before the eligible candidate: P(screened = k) = p^(k-1) (1-p).
  const Scenario sc = testing::scenario_from_yaml(R"(
trial: {visit_interval_days: 0, follow_up_days: 3650}
parametric: {screen_failure_probability: 0.3, control: {median_days_to_negative: 1000000}}
dropout: {rate_per_year: 10})");
  ParametricPatient model(sc.parametric, sc.trial, sc.dropout);
  constexpr std::size_t n = 200'000;
  std::array<double, 6> count{};
  std::vector<double> dropout_days;
  dropout_days.reserve(n);
  for (std::uint64_t slot = 0; slot < n; ++slot) {
    PatientRecord r;
    model.simulate({13, 1, slot}, r, nullptr);
    ASSERT_GE(r.screened, 1u);
    count[std::min<std::size_t>(r.screened - 1, 5)] += 1;
    // Negativity (median 10^6 days) comes after dropout (mean 36.5 days) in all but ~3e-5 of
    // patients, and the end of follow-up (3,650 days) after it in all but e^-100.
    if (r.dropped_out) dropout_days.push_back(r.time_days);
  }
  const double p = 0.3;
  double chi2 = 0;
  for (std::size_t k = 0; k < 6; ++k) {
    const double prob = k < 5 ? std::pow(p, static_cast<double>(k)) * (1 - p) : std::pow(p, 5.0);
    chi2 += (count[k] - n * prob) * (count[k] - n * prob) / (n * prob);
  }
  EXPECT_LT(chi2, boost::math::quantile(boost::math::chi_squared_distribution<double>(5), 0.999));
  // Dropout days: exponential with rate 10 / 365.25 per day, seen for every patient dropping out
  // before negativity (a censored sample of it, but with P(T < D) ~ 3e-5 the bias is far below
  // the tolerance).
  const double rate = 10 / 365.25;
  for (double& d : dropout_days) d *= rate;
  ASSERT_GT(dropout_days.size(), n * 99 / 100);
  expect_moments(dropout_days, 1, 1, 9);
}

}  // namespace
}  // namespace vtrial
