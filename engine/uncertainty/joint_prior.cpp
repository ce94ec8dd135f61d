#include "engine/uncertainty/joint_prior.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/random_stream.hpp"

namespace vtrial {

JointPrior::JointPrior(std::vector<PriorDistribution> marginals, std::vector<double> correlation)
    : marginals_(std::move(marginals)) {
  for (PriorDistribution& m : marginals_) m.prepare();
  const std::size_t k = marginals_.size();
  if (correlation.empty()) return;
  if (correlation.size() != k * k) throw std::invalid_argument("the correlation matrix must be k x k");
  for (std::size_t i = 0; i < k; ++i) {
    if (correlation[i * k + i] != 1.0) throw std::invalid_argument("the correlation matrix needs a unit diagonal");
    for (std::size_t j = 0; j < i; ++j)
      if (correlation[i * k + j] != correlation[j * k + i])
        throw std::invalid_argument("the correlation matrix is not symmetric");
  }
  // Cholesky-Banachiewicz; a pivot at or below 1e-12 means not positive definite (a set of
  // pairwise correlations no joint distribution has).
  cholesky_.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double sum = correlation[i * k + j];
      for (std::size_t m = 0; m < j; ++m) sum -= cholesky_[i * k + m] * cholesky_[j * k + m];
      if (i == j) {
        if (sum <= 1e-12)
          throw std::invalid_argument("the correlations are not positive definite (no joint distribution has them)");
        cholesky_[i * k + i] = std::sqrt(sum);
      } else {
        cholesky_[i * k + j] = sum / cholesky_[j * k + j];
      }
    }
}

void JointPrior::uniforms(std::uint64_t seed, std::uint64_t trial, std::uint64_t purpose, std::span<double> u) const {
  const std::size_t k = marginals_.size();
  for (std::size_t i = 0; i < k; ++i) {
    RandomStream stream({seed, trial, i, purpose});
    // The midpoint of one of 2^53 equal cells: in (0, 1), never an end.
    u[i] = (static_cast<double>(stream() >> 11) + 0.5) * 0x1p-53;
  }
  if (cholesky_.empty()) return;
  const boost::math::normal_distribution<double> normal;
  std::vector<double> w(k);
  for (std::size_t i = 0; i < k; ++i) w[i] = boost::math::quantile(normal, u[i]);
  for (std::size_t i = 0; i < k; ++i) {
    double z = 0;
    for (std::size_t j = 0; j <= i; ++j) z += cholesky_[i * k + j] * w[j];
    // Phi(z) without the cancellation of 1 - ...: erfc keeps the upper tail's digits.
    u[i] = std::clamp(0.5 * std::erfc(-z / std::sqrt(2.0)), 0x1p-54, 1 - 0x1p-54);
  }
}

void JointPrior::draw(std::uint64_t seed, std::uint64_t trial, std::uint64_t purpose, std::span<double> values) const {
  uniforms(seed, trial, purpose, values);
  for (std::size_t i = 0; i < marginals_.size(); ++i) values[i] = marginals_[i].quantile(values[i]);
}

}  // namespace vtrial
