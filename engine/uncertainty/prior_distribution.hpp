#pragma once
// A prior on one real-valued unknown: a family with its parameters, optionally truncated to
// [lower, upper]. Draws are by inversion (x = F^-1(u)), so a draw is a fixed function of one
// uniform: truncation maps u into [F(lower), F(upper)], and a Gaussian copula correlates the
// uniforms of several priors (joint_prior.hpp) without touching the marginals.
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace vtrial {

class TabulatedQuantile;

enum class PriorFamily { fixed, normal, lognormal, uniform, beta, gamma, discrete };
const char* prior_family_name(PriorFamily family);

struct PriorDistribution {
  PriorFamily family = PriorFamily::fixed;
  // fixed: a = value. normal: a = mean, b = sd. lognormal: a = median, b = geometric sd (> 1).
  // uniform: a = low, b = high. beta: a = alpha, b = beta. gamma: a = shape, b = scale.
  double a = 0;
  double b = 0;
  std::vector<double> values;                               // discrete
  std::vector<double> weights;                              // discrete, summing to 1
  double lower = -std::numeric_limits<double>::infinity();  // truncation
  double upper = std::numeric_limits<double>::infinity();

  // Untruncated distribution function and its inverse (u in [0, 1]).
  double cdf(double x) const;
  double untruncated_quantile(double u) const;
  // The draw for a uniform u in (0, 1): the truncated quantile.
  double quantile(double u) const;
  // Smallest and largest values a draw can take (after truncation), and whether the ends are
  // reached (false: approached only, as 0 by a lognormal).
  double support_low() const;
  double support_high() const;
  bool low_reached() const;
  bool high_reached() const;
  // The mass the truncation keeps: F(upper) - F(lower) (1 without truncation).
  double kept_mass() const;
  bool truncated() const;
  // Edges of `bins` bins of equal prior probability (quantiles), from the support's low end to
  // its high end (either may be infinite); a discrete prior with at most `bins` values has one
  // bin per value (inner edges halfway between values).
  std::vector<double> bin_edges(std::size_t bins) const;
  // "lognormal(median 0.002, gsd 2) truncated to [0.0005, 0.01]".
  std::string describe() const;

  // Readies the prior for many draws: the truncation's F(lower), F(upper) once, and for the beta
  // and gamma families a tabulated inverse (tabulated_quantile.hpp) in place of Boost.Math's,
  // about 4 times faster, the same root of F(x) = u. A prior not prepared, or whose parameters
  // changed since, draws the same values the slow way.
  void prepare();

 private:
  struct Prepared {
    std::shared_ptr<const TabulatedQuantile> inverse;  // beta, gamma
    double below = 0, above = 1;                       // F(lower-), F(upper)
    // The parameters it was prepared for: a copy whose parameters were changed since draws
    // exactly, as if not prepared.
    PriorFamily family = PriorFamily::fixed;
    double a = 0, b = 0, lower = 0, upper = 0;
  };
  std::shared_ptr<const Prepared> prepared_;
  const Prepared* ready() const;
  double below_lower() const;
};

}  // namespace vtrial
