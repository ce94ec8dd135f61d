#pragma once
// Several priors drawn together, once per trial, each from its own keyed stream: prior i of
// trial t uses the stream (seed, t, i, purpose), so a draw depends only on its key (any thread
// count, any shard split), and adding a prior leaves the others' draws as they were. With a
// correlation matrix the uniforms are coupled through a Gaussian copula: z = L w, u = Phi(z),
// w the independent normals Phi^-1(u_i) and L the Cholesky factor; the marginals are unchanged.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/uncertainty/prior_distribution.hpp"

namespace vtrial {

class JointPrior {
 public:
  JointPrior() = default;
  // `correlation` is row-major k x k, or empty for independent priors. Throws
  // std::invalid_argument when it is not a correlation matrix (symmetric, unit diagonal,
  // positive definite).
  JointPrior(std::vector<PriorDistribution> marginals, std::vector<double> correlation);

  std::size_t size() const { return marginals_.size(); }
  const std::vector<PriorDistribution>& marginals() const { return marginals_; }
  bool correlated() const { return !cholesky_.empty(); }

  // The uniforms of one trial (before the marginals' quantiles), and the values themselves.
  void uniforms(std::uint64_t seed, std::uint64_t trial, std::uint64_t purpose, std::span<double> u) const;
  void draw(std::uint64_t seed, std::uint64_t trial, std::uint64_t purpose, std::span<double> values) const;

 private:
  std::vector<PriorDistribution> marginals_;
  std::vector<double> cholesky_;  // lower triangle, row-major k x k; empty when independent
};

}  // namespace vtrial
