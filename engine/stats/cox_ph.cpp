#include "engine/stats/cox_ph.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

struct PartialLikelihood {
  double loglik = 0;
  double score = 0;        // first derivative in beta
  double information = 0;  // minus second derivative
};

// With a binary covariate the whole likelihood depends on the data only through, per
// distinct event time, the numbers at risk and dying in each group; evaluating it is then
// O(number of events) per Newton step with no per-subject work.
PartialLikelihood evaluate(double beta, const CoxWorkspace& ws) {
  // Weights exp(beta * x) are rescaled by exp(-shift) so that a diverging beta (monotone
  // likelihood) cannot overflow; the shift is added back to every log term.
  const double shift = std::max(beta, 0.0);
  const double w0 = std::exp(-shift);
  const double w1 = std::exp(beta - shift);
  PartialLikelihood pl;
  for (std::size_t j = 0; j < ws.at_risk0.size(); ++j) {
    const double s0_all = ws.at_risk0[j] * w0 + ws.at_risk1[j] * w1;
    const double s1_all = ws.at_risk1[j] * w1;
    const double d0_all = ws.events0[j] * w0 + ws.events1[j] * w1;
    const double d1_all = ws.events1[j] * w1;
    const double deaths = ws.events0[j] + ws.events1[j];
    pl.loglik += beta * ws.events1[j];
    pl.score += ws.events1[j];
    // Efron: the k-th of d tied deaths sees the risk set minus k/d of the tied deaths. Their
    // log terms sum to d log(s0_all) + log(prod_k s0_k / s0_all): two logs per tied block
    // instead of d (log is most of a Newton step). Each ratio is at least 1/d, and the
    // product is folded into the sum before it could underflow.
    const double inverse_s0_all = 1 / s0_all;
    double ratio_product = 1, log_ratios = 0;
    for (double k = 0; k < deaths; k += 1) {
      const double f = k / deaths;
      const double s0 = s0_all - f * d0_all;
      const double mean = (s1_all - f * d1_all) / s0;
      ratio_product *= k == 0 ? 1.0 : s0 * inverse_s0_all;  // exactly 1 at k = 0
      if (ratio_product < 1e-200) {
        log_ratios += std::log(ratio_product);
        ratio_product = 1;
      }
      pl.score -= mean;
      // x is 0/1 so x^2 = x and the weighted variance of x is mean (1 - mean).
      pl.information += mean * (1 - mean);
    }
    pl.loglik -= deaths * (std::log(s0_all) + shift) + (ratio_product == 1 ? 0 : std::log(ratio_product)) + log_ratios;
  }
  return pl;
}

void tabulate_event_times(std::span<const double> time, std::span<const std::uint8_t> event,
                          std::span<const std::uint8_t> group, CoxWorkspace& ws) {
  const std::size_t n = time.size();
  // Event and group bits travel with the time, so the tabulation reads one array in order.
  ws.items.resize(n);
  double risk1 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool g1 = group[i] != 0;
    risk1 += g1 ? 1 : 0;
    ws.items[i] = {time[i], static_cast<std::uint32_t>((event[i] != 0 ? 1u : 0u) | (g1 ? 2u : 0u))};
  }
  sort_by_key(ws.items, ws.sort);
  double risk0 = static_cast<double>(n) - risk1;
  // Reserving for the worst case (every time distinct) keeps later calls of the same size
  // from reallocating when they happen to have more distinct event times.
  for (auto* v : {&ws.at_risk0, &ws.at_risk1, &ws.events0, &ws.events1}) {
    v->clear();
    v->reserve(n);
  }
  // Counts inside a tied block are integers, so the order within the block is immaterial.
  for (std::size_t i = 0; i < n;) {
    const double t = ws.items[i].key;
    double e0 = 0, e1 = 0, leaving0 = 0, leaving1 = 0;
    for (; i < n && ws.items[i].key == t; ++i) {
      const std::uint32_t flags = ws.items[i].payload;
      const bool g1 = (flags & 2u) != 0;
      (g1 ? leaving1 : leaving0) += 1;
      if ((flags & 1u) != 0) (g1 ? e1 : e0) += 1;
    }
    if (e0 + e1 > 0) {
      ws.at_risk0.push_back(risk0);
      ws.at_risk1.push_back(risk1);
      ws.events0.push_back(e0);
      ws.events1.push_back(e1);
    }
    risk0 -= leaving0;
    risk1 -= leaving1;
  }
}

// Upper tail of chi-square with 1 df: P(|Z| > sqrt(x)) = erfc(sqrt(x / 2)), in double (Boost's
// chi-square distribution promotes to long double, three times per trial).
double chi_square_p(double statistic) {
  if (!std::isfinite(statistic)) return std::numeric_limits<double>::quiet_NaN();
  return std::erfc(std::sqrt(std::max(statistic, 0.0) / 2));
}

}  // namespace

CoxResult cox_ph(std::span<const double> time, std::span<const std::uint8_t> event, std::span<const std::uint8_t> group,
                 CoxWorkspace& workspace, const CoxOptions& options) {
  if (event.size() != time.size() || group.size() != time.size())
    throw std::invalid_argument("cox_ph: time, event and group differ in length");
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  tabulate_event_times(time, event, group, workspace);

  CoxResult r;
  PartialLikelihood current = evaluate(0.0, workspace);
  r.loglik_null = current.loglik;
  if (!(current.information > 0)) {
    r.log_hazard_ratio = r.se = r.wald_z = r.wald_p = nan;
    r.lr_chi_square = r.lr_p = r.score_chi_square = r.score_p = nan;
    r.loglik = current.loglik;
    return r;
  }
  r.score_chi_square = current.score * current.score / current.information;

  double beta = 0;
  while (r.iterations < options.max_iterations) {
    const double step = current.score / current.information;
    double next_beta = beta + step;
    PartialLikelihood next = evaluate(next_beta, workspace);
    // The log partial likelihood is concave, so a decrease means Newton overshot: step
    // halving (as coxph does) restores monotone progress. Near the optimum a Newton step gains
    // less than the rounding of the log-likelihood itself (~1e-14 of it), so a "decrease"
    // within that noise is not an overshoot; halving on it would stop Newton early, ~1e-7
    // short of the optimum.
    const double noise = 1e-12 * (1 + std::abs(current.loglik));
    for (int halving = 0; halving < 30 && !(next.loglik >= current.loglik - noise); ++halving) {
      next_beta = 0.5 * (beta + next_beta);
      next = evaluate(next_beta, workspace);
    }
    ++r.iterations;
    const bool small_step = std::abs(next_beta - beta) <= options.tolerance * std::max(1.0, std::abs(next_beta));
    beta = next_beta;
    current = next;
    if (small_step || !(current.information > 0)) {
      r.converged = small_step && current.information > 0;
      break;
    }
  }

  r.log_hazard_ratio = beta;
  r.loglik = current.loglik;
  r.se = 1 / std::sqrt(current.information);
  r.wald_z = beta / r.se;
  r.wald_p = chi_square_p(r.wald_z * r.wald_z);
  r.lr_chi_square = 2 * (r.loglik - r.loglik_null);
  r.lr_p = chi_square_p(r.lr_chi_square);
  r.score_p = chi_square_p(r.score_chi_square);
  return r;
}

CoxResult cox_ph(std::span<const double> time, std::span<const std::uint8_t> event, std::span<const std::uint8_t> group,
                 const CoxOptions& options) {
  CoxWorkspace workspace;
  return cox_ph(time, event, group, workspace, options);
}

}  // namespace vtrial
