#pragma once
// Two-sided efficacy boundaries of a group-sequential design by Lan-DeMets alpha spending.
// Under H0 the z statistics at information fractions t_1 < ... < t_K behave like
// Z_k = B(t_k) / sqrt(t_k) for a standard Brownian motion B. The boundary c_k is chosen so
// that P(|Z_j| < c_j for j < k, |Z_k| >= c_k) = alpha(t_k) - alpha(t_{k-1}); the density of
// Z_k on the continuation region is carried from look to look by numerical integration
// (Jennison & Turnbull 2000, chapter 19: their grid of 12r - 3 points with Simpson's rule).
// Boundaries are computed once per design, so this allocates freely.
#include <cstddef>
#include <span>
#include <vector>

namespace vtrial {

enum class SpendingFunction {
  // alpha(t) = 4 - 4 Phi(z_{1 - alpha/4} / sqrt(t)): spends almost nothing early. This is
  // the one-sided Lan-DeMets function 2 - 2 Phi(z_{1 - a/2} / sqrt(t)) applied with a = alpha/2
  // to each side, the convention of gsDesign, ldbounds, rpact and EAST and of the published
  // boundaries (5 equal looks, alpha = 0.05: 4.877, 3.357, 2.680, 2.290, 2.031). Plugging the
  // two-sided alpha into the one-sided function instead gives 4.383, 3.100, 2.553, 2.254,
  // 2.064, boundaries no standard package reports.
  obrien_fleming,
  // alpha(t) = alpha log(1 + (e - 1) t): nearly constant boundaries (linear in alpha, so the
  // per-side and two-sided conventions coincide).
  pocock,
};

// Cumulative two-sided alpha spent by information fraction t (0 at t <= 0, alpha at t >= 1).
double alpha_spent(SpendingFunction spending, double alpha, double t);

struct GroupSequentialBoundaries {
  std::vector<double> information_fraction;
  // Reject H0 at look k if |Z_k| >= z[k]. +infinity where a look spends no alpha.
  std::vector<double> z;
  std::vector<double> cumulative_alpha;  // alpha(t_k)
};

// information_fraction must be strictly increasing within (0, 1]; the last look is the
// final analysis only if it is 1 (otherwise only alpha(t_K) is spent). `grid_r` is Jennison
// & Turnbull's r; 32 gives boundaries accurate to ~1e-7.
GroupSequentialBoundaries efficacy_boundaries(std::span<const double> information_fraction,
                                              double alpha, SpendingFunction spending,
                                              int grid_r = 32);

// Index of the first look whose |z| reaches its boundary, or -1 if none. z_statistics may be
// shorter than the design (a trial still running).
int first_efficacy_crossing(std::span<const double> z_statistics,
                            const GroupSequentialBoundaries& boundaries);

}  // namespace vtrial
