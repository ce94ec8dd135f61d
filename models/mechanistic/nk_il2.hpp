#pragma once
// NK cells under low-dose IL-2 (docs/model.md; sources [S21]-[S27]). Homeostasis with turnover dN (deuterium
// labelling, Zhang et al. Immunology 2007: ~7%/d loss, ~2-week turnover) around the patient's
// baseline N0; IL-2 1 MIU SC every other day raises the production rate while on treatment.
// Serum IL-2 is gone within a day of each SC dose (Konrad 1990; Piscitelli 1996), so the
// stimulus is an "on-treatment" step u(t), not a concentration:
//   dN/dt = dN (N_target - N),   N_target = N0 (1 + (fold - 1) * effect_scale * u(t))
// which approaches fold * N0 with half-time ln2/dN (~7 d at dN = 0.1/d). The target is
// piecewise constant, so N is closed form on each segment:
//   N(t) = N_target + (N_s - N_target) e^{-dN (t - t_s)}.
// Other doses scale (fold - 1) by il2_dose_factor below.
#include <cmath>

namespace vtrial {

// IL-2's effect at dose d relative to the reference dose at which the fold rise and the SLEDAI
// effect were stated: an Emax curve normalized there,
//   factor(d) = [d / (d + ED50)] / [ref / (ref + ED50)],
// 0 at d = 0. Both halves are the same expression, so factor(ref) is exactly 1 and the
// reference dose reproduces the unscaled figures bit for bit.
inline double il2_dose_factor(double dose_miu, double reference_dose_miu, double ed50_miu) {
  return (dose_miu / (dose_miu + ed50_miu)) / (reference_dose_miu / (reference_dose_miu + ed50_miu));
}

class NkDynamics {
 public:
  void reset(double n0_cells_per_ul, double turnover_per_day) {
    dn_ = turnover_per_day;
    t0_ = 0;
    n0_ = target_ = n0_cells_per_ul;
  }
  // A new target from time t on; the count at t carries over.
  void set_target(double t, double target_cells_per_ul) {
    n0_ = value(t);
    t0_ = t;
    target_ = target_cells_per_ul;
  }
  double value(double t) const { return value_from(std::exp(-dn_ * (t - t0_))); }
  // The same, given e^{-dN (t - t_s)}.
  double value_from(double en) const { return target_ + (n0_ - target_) * en; }
  double turnover_per_day() const { return dn_; }
  double segment_start() const { return t0_; }
  double target() const { return target_; }
  double segment_start_value() const { return n0_; }  // N at segment_start()

 private:
  double dn_ = 0.1, t0_ = 0, n0_ = 100, target_ = 100;
};

}  // namespace vtrial
