#include "engine/stats/group_sequential.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>

namespace vtrial {
namespace {

const boost::math::normal_distribution<double> kNormal;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

double upper_tail(double x) { return boost::math::cdf(boost::math::complement(kNormal, x)); }

// Quadrature nodes and weights (Simpson weight times density) for Z at one look, so that
// E[g(Z_k); continued up to and including look k] ~= sum_i weight_i g(node_i).
struct Quadrature {
  std::vector<double> node, weight;
};

// Jennison & Turnbull's grid for a N(0, 1)-like density, trimmed to (-c, c), with the
// midpoints Simpson's rule needs. The density is evaluated afterwards by the caller.
void build_grid(int r, double c, Quadrature& q) {
  std::vector<double> base;
  const double dr = r;
  for (int i = 1; i <= 6 * r - 1; ++i) {
    double x;
    if (i < r)
      x = -3 - 4 * std::log(dr / i);
    else if (i <= 5 * r)
      x = -3 + 3 * (i - dr) / (2 * dr);
    else
      x = 3 + 4 * std::log(dr / (6 * r - i));
    if (x > -c && x < c) base.push_back(x);
  }
  // The grid's outer points reach ~ +-(3 + 4 log r), beyond which the density is negligible.
  if (c < kInfinity) {
    base.insert(base.begin(), -c);
    base.push_back(c);
  }
  q.node.clear();
  q.weight.clear();
  for (std::size_t j = 0; j < base.size(); ++j) {
    if (j > 0) {
      const double h = base[j] - base[j - 1];
      q.node.push_back(0.5 * (base[j - 1] + base[j]));
      q.weight.push_back(4 * h / 6);
      q.weight[q.weight.size() - 2] += h / 6;
      q.node.push_back(base[j]);
      q.weight.push_back(h / 6);
    } else {
      q.node.push_back(base[j]);
      q.weight.push_back(0);
    }
  }
}

}  // namespace

double alpha_spent(SpendingFunction spending, double alpha, double t) {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  switch (spending) {
    case SpendingFunction::obrien_fleming: {
      // Each side spends alpha/2 by the one-sided function 2 - 2 Phi(z_{(alpha/2)/2} / sqrt t).
      const double z = boost::math::quantile(boost::math::complement(kNormal, alpha / 4));
      return 4 * upper_tail(z / std::sqrt(t));
    }
    case SpendingFunction::pocock:
      return alpha * std::log(1 + (std::numbers::e - 1) * t);
  }
  throw std::invalid_argument("alpha_spent: unknown spending function");
}

GroupSequentialBoundaries efficacy_boundaries(std::span<const double> information_fraction,
                                              double alpha, SpendingFunction spending, int grid_r) {
  if (!(alpha > 0 && alpha < 1) || grid_r < 1)
    throw std::invalid_argument("efficacy_boundaries: alpha must be in (0, 1), grid_r >= 1");
  for (std::size_t k = 0; k < information_fraction.size(); ++k) {
    const double prev = k == 0 ? 0.0 : information_fraction[k - 1];
    if (!(information_fraction[k] > prev && information_fraction[k] <= 1))
      throw std::invalid_argument("efficacy_boundaries: fractions must increase within (0, 1]");
  }
  GroupSequentialBoundaries out;
  out.information_fraction.assign(information_fraction.begin(), information_fraction.end());

  Quadrature current, next;
  double spent = 0;
  for (std::size_t k = 0; k < information_fraction.size(); ++k) {
    const double t = information_fraction[k];
    const double target = alpha_spent(spending, alpha, t);
    const double increment = target - spent;
    double c;
    if (k == 0) {
      c = increment > 0 ? boost::math::quantile(boost::math::complement(kNormal, increment / 2))
                        : kInfinity;
    } else if (!(increment > 0)) {
      c = kInfinity;
    } else {
      // Z_k = (sqrt(t_prev) Z_{k-1} + sqrt(t - t_prev) X) / sqrt(t), X ~ N(0, 1) independent.
      const double t_prev = information_fraction[k - 1];
      const double scale = std::sqrt(t / (t - t_prev));
      const double shift = std::sqrt(t_prev / (t - t_prev));
      auto exit_probability = [&](double boundary) {
        double p = 0;
        for (std::size_t i = 0; i < current.node.size(); ++i) {
          const double m = shift * current.node[i];
          p += current.weight[i] * (upper_tail(boundary * scale - m) + upper_tail(boundary * scale + m));
        }
        return p - increment;
      };
      std::uintmax_t max_iter = 200;
      const auto bracket = boost::math::tools::toms748_solve(
          exit_probability, 0.0, 40.0, boost::math::tools::eps_tolerance<double>(48), max_iter);
      c = 0.5 * (bracket.first + bracket.second);
    }
    out.z.push_back(c);
    out.cumulative_alpha.push_back(target);
    spent = target;

    if (k + 1 == information_fraction.size()) break;
    // Density of Z_k on the continuation region (-c, c).
    build_grid(grid_r, c, next);
    if (k == 0) {
      for (std::size_t j = 0; j < next.node.size(); ++j)
        next.weight[j] *= boost::math::pdf(kNormal, next.node[j]);
    } else {
      const double t_prev = information_fraction[k - 1];
      const double scale = std::sqrt(t / (t - t_prev));
      const double shift = std::sqrt(t_prev / (t - t_prev));
      for (std::size_t j = 0; j < next.node.size(); ++j) {
        double density = 0;
        for (std::size_t i = 0; i < current.node.size(); ++i)
          density += current.weight[i] *
                     boost::math::pdf(kNormal, next.node[j] * scale - shift * current.node[i]);
        next.weight[j] *= scale * density;
      }
    }
    std::swap(current, next);
  }
  return out;
}

int first_efficacy_crossing(std::span<const double> z_statistics,
                            const GroupSequentialBoundaries& boundaries) {
  const std::size_t looks = std::min(z_statistics.size(), boundaries.z.size());
  for (std::size_t k = 0; k < looks; ++k)
    if (std::abs(z_statistics[k]) >= boundaries.z[k]) return static_cast<int>(k);
  return -1;
}

}  // namespace vtrial
