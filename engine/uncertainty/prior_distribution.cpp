#include "engine/uncertainty/prior_distribution.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "engine/uncertainty/tabulated_quantile.hpp"

namespace vtrial {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Double precision throughout: Boost.Math's default promotes double to long double inside the
// beta and gamma inverses, which made a beta prior's draw a quarter of a parametric trial.
using Fast = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
using Normal = boost::math::normal_distribution<double, Fast>;
using Lognormal = boost::math::lognormal_distribution<double, Fast>;
using Beta = boost::math::beta_distribution<double, Fast>;
using Gamma = boost::math::gamma_distribution<double, Fast>;

// Boost.Math's quantiles throw at u = 0 or 1 where the answer is an infinite end; the ends are
// the support's, and truncation never asks for them unless the prior is unbounded there.
template <class Distribution>
double boost_quantile(const Distribution& d, double u, double at_zero, double at_one) {
  if (u <= 0) return at_zero;
  if (u >= 1) return at_one;
  return boost::math::quantile(d, u);
}

// The tabulated inverse of a Boost.Math distribution (kept by value in each function).
template <class Distribution>
std::shared_ptr<const TabulatedQuantile> tabulated(const Distribution& d) {
  return std::make_shared<TabulatedQuantile>([d](double x) { return boost::math::cdf(d, x); },
                                             [d](double x) { return boost::math::cdf(boost::math::complement(d, x)); },
                                             [d](double x) { return boost::math::pdf(d, x); },
                                             [d](double u) { return boost::math::quantile(d, u); });
}

std::string number(double x) {
  std::ostringstream out;
  out.precision(10);
  out << x;
  return out.str();
}

}  // namespace

const char* prior_family_name(PriorFamily family) {
  switch (family) {
    case PriorFamily::fixed:
      return "fixed";
    case PriorFamily::normal:
      return "normal";
    case PriorFamily::lognormal:
      return "lognormal";
    case PriorFamily::uniform:
      return "uniform";
    case PriorFamily::beta:
      return "beta";
    case PriorFamily::gamma:
      return "gamma";
    case PriorFamily::discrete:
      return "discrete";
  }
  return "fixed";
}

double PriorDistribution::cdf(double x) const {
  switch (family) {
    case PriorFamily::fixed:
      return x < a ? 0.0 : 1.0;
    case PriorFamily::normal:
      return 0.5 * std::erfc(-(x - a) / (b * std::sqrt(2.0)));
    case PriorFamily::lognormal:
      return x <= 0 ? 0.0 : 0.5 * std::erfc(-(std::log(x / a)) / (std::log(b) * std::sqrt(2.0)));
    case PriorFamily::uniform:
      return std::clamp((x - a) / (b - a), 0.0, 1.0);
    case PriorFamily::beta:
      return x <= 0 ? 0.0 : x >= 1 ? 1.0 : boost::math::cdf(Beta(a, b), x);
    case PriorFamily::gamma:
      return x <= 0 ? 0.0 : std::isinf(x) ? 1.0 : boost::math::cdf(Gamma(a, b), x);
    case PriorFamily::discrete: {
      double p = 0;
      for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] <= x) p += weights[i];
      return std::min(p, 1.0);
    }
  }
  throw std::logic_error("unknown prior family");
}

double PriorDistribution::untruncated_quantile(double u) const {
  switch (family) {
    case PriorFamily::fixed:
      return a;
    case PriorFamily::normal:
      return boost_quantile(Normal(a, b), u, -kInf, kInf);
    case PriorFamily::lognormal:
      return boost_quantile(Lognormal(std::log(a), std::log(b)), u, 0.0, kInf);
    case PriorFamily::uniform:
      return a + u * (b - a);
    case PriorFamily::beta:
      if (const Prepared* p = ready(); p && p->inverse && u > 0 && u < 1) return (*p->inverse)(u);
      return boost_quantile(Beta(a, b), u, 0.0, 1.0);
    case PriorFamily::gamma:
      if (const Prepared* p = ready(); p && p->inverse && u > 0 && u < 1) return (*p->inverse)(u);
      return boost_quantile(Gamma(a, b), u, 0.0, kInf);
    case PriorFamily::discrete: {
      // The smallest value whose cumulative weight reaches u (values are sorted at load).
      double p = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        p += weights[i];
        if (u < p) return values[i];
      }
      return values.back();
    }
  }
  throw std::logic_error("unknown prior family");
}

bool PriorDistribution::truncated() const { return std::isfinite(lower) || std::isfinite(upper); }

// For a discrete prior, the mass at or above lower: what lies below is F(lower-).
double PriorDistribution::below_lower() const {
  return family == PriorFamily::discrete ? cdf(std::nextafter(lower, -kInf)) : cdf(lower);
}

double PriorDistribution::kept_mass() const {
  if (!truncated()) return 1.0;
  return cdf(upper) - below_lower();
}

double PriorDistribution::quantile(double u) const {
  if (!truncated()) return untruncated_quantile(u);
  const Prepared* p = ready();
  const double below = p ? p->below : below_lower();
  const double above = p ? p->above : cdf(upper);
  const double x = untruncated_quantile(below + u * (above - below));
  // Rounding in F and F^-1 can land a hair outside [lower, upper].
  return std::clamp(x, lower, upper);
}

const PriorDistribution::Prepared* PriorDistribution::ready() const {
  const Prepared* p = prepared_.get();
  // A discrete prior's F lives in its values and weights, which are not compared: it computes
  // its truncation per draw (a short loop).
  if (p && family != PriorFamily::discrete && p->family == family && p->a == a && p->b == b && p->lower == lower &&
      p->upper == upper)
    return p;
  return nullptr;
}

void PriorDistribution::prepare() {
  prepared_.reset();  // the exact functions below, not a previous preparation
  auto ready = std::make_shared<Prepared>();
  ready->family = family;
  ready->a = a;
  ready->b = b;
  ready->lower = lower;
  ready->upper = upper;
  if (truncated()) {
    ready->below = below_lower();
    ready->above = cdf(upper);
  }
  if (family == PriorFamily::beta) ready->inverse = tabulated(Beta(a, b));
  if (family == PriorFamily::gamma) ready->inverse = tabulated(Gamma(a, b));
  prepared_ = std::move(ready);
}

double PriorDistribution::support_low() const {
  double natural = -kInf;
  switch (family) {
    case PriorFamily::fixed:
      natural = a;
      break;
    case PriorFamily::normal:
      break;
    case PriorFamily::lognormal:
    case PriorFamily::gamma:
    case PriorFamily::beta:
      natural = 0;
      break;
    case PriorFamily::uniform:
      natural = a;
      break;
    case PriorFamily::discrete:
      for (std::size_t i = 0; i < values.size(); ++i)
        if (weights[i] > 0 && values[i] >= lower) return values[i];
      return values.front();
  }
  return std::max(natural, lower);
}

double PriorDistribution::support_high() const {
  double natural = kInf;
  switch (family) {
    case PriorFamily::fixed:
      natural = a;
      break;
    case PriorFamily::normal:
    case PriorFamily::lognormal:
    case PriorFamily::gamma:
      break;
    case PriorFamily::beta:
      natural = 1;
      break;
    case PriorFamily::uniform:
      natural = b;
      break;
    case PriorFamily::discrete:
      for (std::size_t i = values.size(); i-- > 0;)
        if (weights[i] > 0 && values[i] <= upper) return values[i];
      return values.back();
  }
  return std::min(natural, upper);
}

// A continuous family approaches its natural open ends (0 of a lognormal, the ends of a
// uniform drawn with u in (0, 1)) but a truncation bound can be drawn exactly (clamping).
bool PriorDistribution::low_reached() const {
  if (family == PriorFamily::fixed || family == PriorFamily::discrete) return true;
  return std::isfinite(lower) && lower >= support_low();
}
bool PriorDistribution::high_reached() const {
  if (family == PriorFamily::fixed || family == PriorFamily::discrete) return true;
  return std::isfinite(upper) && upper <= support_high();
}

std::vector<double> PriorDistribution::bin_edges(std::size_t bins) const {
  if (family == PriorFamily::fixed) return {a, a};
  if (family == PriorFamily::discrete) {
    std::vector<double> kept;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (weights[i] > 0 && values[i] >= lower && values[i] <= upper && (kept.empty() || kept.back() != values[i]))
        kept.push_back(values[i]);
    if (kept.size() <= bins) {
      std::vector<double> edges{kept.front()};
      for (std::size_t i = 1; i < kept.size(); ++i) edges.push_back(0.5 * (kept[i - 1] + kept[i]));
      edges.push_back(kept.back());
      return edges;
    }
  }
  std::vector<double> edges{support_low()};
  for (std::size_t k = 1; k < bins; ++k) edges.push_back(quantile(static_cast<double>(k) / static_cast<double>(bins)));
  edges.push_back(support_high());
  // A discrete prior's quantiles repeat: keep each edge once.
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  if (edges.size() < 2) edges.push_back(edges.back());
  return edges;
}

std::string PriorDistribution::describe() const {
  std::string text = prior_family_name(family);
  switch (family) {
    case PriorFamily::fixed:
      text += "(" + number(a) + ")";
      break;
    case PriorFamily::normal:
      text += "(mean " + number(a) + ", sd " + number(b) + ")";
      break;
    case PriorFamily::lognormal:
      text += "(median " + number(a) + ", gsd " + number(b) + ")";
      break;
    case PriorFamily::uniform:
      text += "(" + number(a) + ", " + number(b) + ")";
      break;
    case PriorFamily::beta:
      text += "(alpha " + number(a) + ", beta " + number(b) + ")";
      break;
    case PriorFamily::gamma:
      text += "(shape " + number(a) + ", scale " + number(b) + ")";
      break;
    case PriorFamily::discrete: {
      text += "(";
      for (std::size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + number(values[i]) + " w " + number(weights[i]);
      text += ")";
      break;
    }
  }
  if (truncated()) text += " truncated to [" + number(lower) + ", " + number(upper) + "]";
  return text;
}

}  // namespace vtrial
