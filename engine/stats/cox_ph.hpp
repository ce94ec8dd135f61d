#pragma once
// Cox proportional-hazards model with a single binary covariate (group 1 vs group 0), fitted
// by Newton-Raphson on the log partial likelihood with Efron's handling of tied event times,
// which is the default of R's survival::coxph. Censorings tied with events at the same time
// are still at risk at that time, as in coxph.
//
// Monotone likelihood: when the data cannot identify a finite hazard ratio (e.g. every event
// is in one group) the partial likelihood keeps rising as |beta| grows. Newton then takes
// steps of roughly constant size forever, so the fit stops after `max_iterations` and reports
// converged = false with a huge |beta| and se. The likelihood-ratio and score tests remain
// valid then (the log-likelihood converges to its supremum even though beta does not), so
// their p-values are finite and meaningful; the Wald p-value is finite but close to 1 and
// should not be used. R's coxph behaves the same way (it warns "coefficient may be
// infinite") except that it declares convergence on the log-likelihood.
//
// Degenerate input (no events, or a group that is never at risk at an event time) carries no
// information about beta: every statistic is NaN and converged = false, so `p < alpha` is
// false and such a trial never counts as a rejection.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/key_sort.hpp"

namespace vtrial {

struct CoxResult {
  double log_hazard_ratio = 0;  // beta, group 1 vs group 0
  double se = 0;                // 1 / sqrt(information at beta)
  double wald_z = 0;            // beta / se
  double wald_p = 1;            // two-sided
  double lr_chi_square = 0;     // 2 (loglik(beta) - loglik(0)), 1 df
  double lr_p = 1;
  double score_chi_square = 0;  // U(0)^2 / I(0) with Efron ties, as summary(coxph)$sctest
  double score_p = 1;
  double loglik_null = 0;  // log partial likelihood at beta = 0
  double loglik = 0;       // at the returned beta
  bool converged = false;
  int iterations = 0;  // Newton steps taken
};

// Scratch space so repeated calls do not allocate once the vectors reached their peak size.
struct CoxWorkspace {
  std::vector<KeyedItem> items;  // (time, event | group << 1), sorted by time
  KeySortWorkspace sort;
  // One entry per distinct event time: numbers at risk and numbers of events per group.
  std::vector<double> at_risk0, at_risk1, events0, events1;
};

struct CoxOptions {
  int max_iterations = 30;
  // Relative change of beta below which Newton is considered converged. Newton converges
  // quadratically, so this costs at most one step more than R's log-likelihood criterion
  // and makes beta accurate to machine precision rather than to ~1e-6.
  double tolerance = 1e-10;
};

// group[i] is 0 or 1; event[i] is 1 for an observed event, 0 for censored.
CoxResult cox_ph(std::span<const double> time, std::span<const std::uint8_t> event, std::span<const std::uint8_t> group,
                 CoxWorkspace& workspace, const CoxOptions& options = {});
CoxResult cox_ph(std::span<const double> time, std::span<const std::uint8_t> event, std::span<const std::uint8_t> group,
                 const CoxOptions& options = {});

}  // namespace vtrial
