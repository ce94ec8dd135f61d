#pragma once
// SLEDAI-2K over the short follow-up. Each patient has an eventual reduction under standard of
// care D ~ N(soc_mean_reduction, reduction_sd), to which IL-2 adds its published effect (He et
// al., Ann Rheum Dis 2020: SRI-4 55% vs 30% at week 12 gives +2.6 points at reduction SD 4),
// both reached with time constant tau (assumption: 28 d, so a 3-week course shows about half).
// CMV viremia mimics and flares lupus (fever, cytopenias count in SLEDAI-2K), so the score
// carries cmv_points_per_log10 for each log10 of viral load above 10^2 copies/mL (assumption),
// and falls as the virus clears:
//   S(t) = S0 - (D + IL2) (1 - e^{-t/tau}) + c [max(0, log10 V(t) - 2) - max(0, log10 V0 - 2)]
// A visit's score is round(S(t) + visit_sd * z), floored at 0.
#include <algorithm>
#include <cmath>

namespace vtrial {

struct LupusCourse {
  double baseline = 0;          // S0, the observed baseline score
  double eventual_reduction = 0;  // D + IL-2 effect
  double time_constant_days = 28;
  double cmv_points_per_log10 = 1;
  double baseline_cmv_points = 0;

  void reset(double s0, double reduction, double tau_days, double points_per_log10, double log10_v0) {
    baseline = s0;
    eventual_reduction = reduction;
    time_constant_days = tau_days;
    cmv_points_per_log10 = points_per_log10;
    baseline_cmv_points = cmv_points(log10_v0);
  }
  double cmv_points(double log10_v) const { return cmv_points_per_log10 * std::max(0.0, log10_v - 2.0); }
  double latent(double t_days, double log10_v) const {
    return baseline - eventual_reduction * (1 - std::exp(-t_days / time_constant_days)) + cmv_points(log10_v) -
           baseline_cmv_points;
  }
  static double observed(double latent_score, double visit_sd, double z) {
    return std::max(0.0, std::round(latent_score + visit_sd * z));
  }
};

}  // namespace vtrial
