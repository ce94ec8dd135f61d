#pragma once
// Ganciclovir pharmacokinetics and effect, in closed form. Plasma: one compartment with
// zero-order infusions, dC/dt = R(t) - k*C. Effect site: the active drug is ganciclovir
// triphosphate inside infected cells, which outlives plasma ganciclovir (half-life ~18 h vs
// 3.5 h), so antiviral effect follows an effect compartment dCe/dt = ke0*(C - Ce) in
// plasma-equivalent mg/L (at steady state Ce = C, so in-vitro EC50s apply to it).
//
// R is constant between dosing events, so on each segment starting at t0 with (C0, Ce0):
//   C(t)  = Cinf + (C0 - Cinf) e^{-k tau},            Cinf = R/k,  tau = t - t0
//   Ce(t) = Cinf + A e^{-k tau} + B e^{-ke0 tau},      A = ke0 (C0 - Cinf)/(ke0 - k),
//                                                      B = Ce0 - Cinf - A.
// Segments chain exactly, which equals superposition of all past infusions.
#include <cmath>

namespace vtrial {

class GanciclovirPk {
 public:
  // k and ke0 in 1/day. If they coincide the closed form divides by zero, so ke0 is nudged by
  // a relative 1e-7 (the error this causes is far below the integrator's tolerance).
  void reset(double k_per_day, double ke0_per_day) {
    k_ = k_per_day;
    ke0_ = std::fabs(ke0_per_day - k_per_day) < 1e-7 * k_per_day ? ke0_per_day * (1 + 1e-7) : ke0_per_day;
    t0_ = 0;
    c0_ = ce0_ = c_inf_ = a_ = b_ = 0;
    active_ = false;
  }

  // Starts a segment at t with input rate R (mg/L/day; 0 after an infusion ends). The state at t
  // is carried over from the current segment.
  void start_segment(double t, double rate_mg_per_l_per_day) {
    const double ek = std::exp(-k_ * (t - t0_)), ee = std::exp(-ke0_ * (t - t0_));
    start_segment_from(t, rate_mg_per_l_per_day, ek, ee);
  }
  // The same, given e^{-k tau} and e^{-ke0 tau} at t (the integrator carries them).
  void start_segment_from(double t, double rate_mg_per_l_per_day, double ek, double ee) {
    const double c = concentration_from(ek), ce = effect_concentration_from(ek, ee);
    t0_ = t;
    c0_ = c;
    ce0_ = ce;
    c_inf_ = rate_mg_per_l_per_day / k_;
    a_ = ke0_ * (c0_ - c_inf_) / (ke0_ - k_);
    b_ = ce0_ - c_inf_ - a_;
    // Once no drug is left and none is coming, skip the exponentials (untreated patients).
    active_ = rate_mg_per_l_per_day > 0 || c0_ > 1e-12 || ce0_ > 1e-12;
  }

  double concentration(double t) const {
    if (!active_) return 0;
    return c_inf_ + (c0_ - c_inf_) * std::exp(-k_ * (t - t0_));
  }
  double effect_concentration(double t) const {
    if (!active_) return 0;
    const double tau = t - t0_;
    return c_inf_ + a_ * std::exp(-k_ * tau) + b_ * std::exp(-ke0_ * tau);
  }
  // The same, given e^{-k tau} and e^{-ke0 tau} (the integrator carries them step to step).
  double concentration_from(double ek) const { return active_ ? c_inf_ + (c0_ - c_inf_) * ek : 0.0; }
  double effect_concentration_from(double ek, double ee) const { return active_ ? c_inf_ + a_ * ek + b_ * ee : 0.0; }
  double segment_start() const { return t0_; }
  bool active() const { return active_; }
  // The current segment's Ce(t) = c_inf + a e^{-k tau} + b e^{-ke0 tau}.
  double c_inf() const { return c_inf_; }
  double a() const { return a_; }
  double b() const { return b_; }
  double k_per_day() const { return k_; }
  double ke0_per_day() const { return ke0_; }

 private:
  double k_ = 1, ke0_ = 1;
  double t0_ = 0, c0_ = 0, ce0_ = 0, c_inf_ = 0, a_ = 0, b_ = 0;
  bool active_ = false;
};

// Fraction of viral production blocked: Emax model.
inline double emax_effect(double c, double emax, double ec50) { return emax * c / (ec50 + c); }

}  // namespace vtrial
