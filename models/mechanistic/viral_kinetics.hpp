#pragma once
// Within-host CMV kinetics (docs/model.md, "Equations"; after Duke 2021 [S14]): log-linear virus per
// strain k in {S, R} with quasi-steady-state free virus, and an explicit NK compartment.
//
//   d ln V_k/dt = rho_k (1 - eps_k(Ce)) - g(P) [d0 (1 + a_rec t) + kN N(t)]
//   eps_k(Ce)   = Emax Ce / (EC50_k + Ce),  EC50_R = FS * EC50_S
//   dN/dt       = dN (N_target(t) - N),  N_target = N0 (1 + E_IL2 u(t))     (nk_il2.hpp)
//
// g(P) (steroid) is folded into the per-patient coefficients below. Ce (ganciclovir
// effect-site concentration, ganciclovir_pk.hpp) and N (nk_il2.hpp) are closed form under
// their piecewise-constant inputs; ln V_S and ln V_R are integrated between events by an adaptive Dormand-Prince 5(4)
// pair with FSAL and the standard step-size controller (Hairer, Norsett & Wanner, Solving ODEs I, II.4), the method of
// Boost.Odeint's runge_kutta_dopri5, written out here so the exponentials of the PK and NK
// closed forms are not recomputed per stage (tests check it against Boost.Odeint and against
// the closed-form solution). Speed-ups that leave the method and its error test unchanged
// (below, at the members): stage exponentials cached per step size on a geometric grid, a step
// memory per kind of dosing segment, and a step stretched by up to 10% to land on an event.
// Error test per component, as Boost.Odeint's default_error_checker: |err_i| <= atol + rtol (|x_i| + h |dx_i/dt|) with
// atol = rtol = `tolerance` (on ln V an absolute error of 1e-6 is a relative error of 1e-6 in V). No allocation after
// construction.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "models/mechanistic/ganciclovir_pk.hpp"
#include "models/mechanistic/nk_il2.hpp"

namespace vtrial {

struct KineticsCoefficients {
  double rho_s = 1.2, rho_r = 1.08;               // 1/day
  double ec50_s = 0.64, ec50_r = 5.12, emax = 1;  // mg/L
  double d0 = 0.5;                                // 1/day, steroid factor included
  double recovery = 0.02;                         // 1/day
  double kill = 0.002;                            // uL/(cell day), steroid factor included
  // Bounded growth: production rho_k (1 - eps_k) divided by 1 + (V_S + V_R) / saturation
  // (copies/mL); 0 = off, the log-linear model (docs/model.md, "Bounded growth").
  double saturation = 0;
};

class ViralKinetics {
 public:
  using State = std::array<double, 2>;  // ln V_S, ln V_R (copies/mL)

  void reset(const KineticsCoefficients& coef, double k_per_day, double ke0_per_day, double ln_vs0, double ln_vr0,
             double nk0, double nk_turnover_per_day, double tolerance);

  // Changes in the piecewise-constant inputs take effect at the current time (advance first).
  void set_infusion_rate(double rate_mg_per_l_per_day);
  void set_nk_target(double cells_per_ul);

  // Integrates to t_target. If the true total load falls below exp(stop_below_ln_v) on the way,
  // stops there and returns that time (found on the step's cubic Hermite interpolant);
  // otherwise returns NaN. Pass -infinity to never stop.
  double advance(double t_target, double stop_below_ln_v = -std::numeric_limits<double>::infinity());

  double time() const { return t_; }
  double ln_v_sensitive() const { return x_[0]; }
  double ln_v_resistant() const { return x_[1]; }
  double ln_v_total() const { return log_add(x_[0], x_[1]); }
  double nk() const { return nk_.value(t_); }
  double gcv_concentration() const { return pk_.concentration(t_); }
  double gcv_effect_concentration() const { return pk_.effect_concentration(t_); }
  const KineticsCoefficients& coefficients() const { return coef_; }
  long steps() const { return steps_; }  // accepted + rejected, for diagnostics and benchmarks
  long rejected_steps() const { return rejected_; }

  // The right-hand side at time t, public for tests (and for Boost.Odeint in them).
  // In the log-linear model the state enters only through N's closed form: the right-hand side
  // depends on t alone, which lets the stages of a step be evaluated in parallel by the CPU.
  // Bounded growth makes it depend on the state (attempt_bounded).
  void rhs(const State& x, State& dxdt, double t) const {
    const double tau = t - pk_.segment_start();
    rhs_at(x, dxdt, t, std::exp(-pk_.k_per_day() * tau), std::exp(-pk_.ke0_per_day() * tau),
           std::exp(-nk_.turnover_per_day() * (t - nk_.segment_start())));
  }
  // The same with e^{-k tau}, e^{-ke0 tau} and e^{-dN tau_N} given.
  void rhs_at(const State& x, State& dxdt, double t, double ek, double ee, double en) const {
    double eps_s = 0, eps_r = 0;
    if (pk_.active()) {
      // emax_effect for both strains with one division.
      const double ce = pk_.effect_concentration_from(ek, ee);
      const double ds = coef_.ec50_s + ce, dr = coef_.ec50_r + ce;
      const double emax_ce_over = coef_.emax * ce / (ds * dr);
      eps_s = emax_ce_over * dr;
      eps_r = emax_ce_over * ds;
    }
    const double loss = coef_.d0 * (1 + coef_.recovery * t) + coef_.kill * nk_.value_from(en);
    if (bounded_) {
      const double room = saturation_factor(x);
      dxdt[0] = coef_.rho_s * (1 - eps_s) * room - loss;
      dxdt[1] = coef_.rho_r * (1 - eps_r) * room - loss;
      return;
    }
    dxdt[0] = coef_.rho_s * (1 - eps_s) - loss;
    dxdt[1] = coef_.rho_r * (1 - eps_r) - loss;
  }
  // 1 / (1 + (V_S + V_R) / saturation): 0 once the load overflows, as it should.
  double saturation_factor(const State& x) const {
    return 1 / (1 + std::exp(x[0] - ln_saturation_) + std::exp(x[1] - ln_saturation_));
  }

  static double log_add(double a, double b) {
    return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
  }

 private:
  // The six stages of a step sit at c = 0, 1/5, 3/10, 4/5, 8/9, 1 (stage 7, FSAL, equals stage
  // 6 here: the right-hand side does not depend on the state). Per stage, e^{-r c h} for the
  // PK (k, ke0) and NK (dN) rates, and c h. These depend on h and per-patient constants only,
  // so they are cached: unclipped steps are rounded down to a geometric grid of 8 sizes per
  // octave (the controller's proposal shrinks by < 9%, which only tightens the error test)
  // and looked up in a direct-mapped table; clipped steps (to land on an event) use their
  // exact length and a 4-entry memo (the infusion step repeats daily). In the default scenario
  // about one step in three computes exponentials (three each), mostly the last of the day.
  static constexpr std::size_t kStages = 6;
  using Lanes = std::array<double, kStages>;
  struct Powers {
    double h = -1;
    Lanes pk, pe, pn, ch;
  };
  void refresh_derivative() { rhs_at(x_, dxdt_, t_, ek_, ee_, en_); }
  // One Dormand-Prince attempt of size h from (t_, x_); returns the scaled error norm and
  // leaves the candidate in x_new_, its derivative in f_new_, exponentials in *_new_.
  double attempt(double h, const Powers& powers);
  // The same for a right-hand side that depends on the state: the full Dormand-Prince tableau
  // (the stages in sequence, stage 7 at the new state).
  double attempt_bounded(double h, const Powers& powers);

  const Powers& grid_powers(double h, std::size_t slot);
  const Powers& clipped_powers(double h);
  void fill(Powers& entry, double h) const;
  static constexpr std::size_t kGridSlots = 64;

  std::array<Powers, kGridSlots> grid_cache_{};
  std::array<Powers, 4> clip_cache_{};
  std::array<std::uint64_t, 4> clip_used_{};
  std::uint64_t clip_clock_ = 0;

  KineticsCoefficients coef_;
  GanciclovirPk pk_;
  NkDynamics nk_;
  double infusion_rate_ = 0;
  State x_{}, dxdt_{};
  State x_new_{}, f_new_{};
  double t_ = 0;
  double ek_ = 1, ee_ = 1, en_ = 1;  // e^{-k tau}, e^{-ke0 tau}, e^{-dN tau_N} at t_
  double ek_new_ = 1, ee_new_ = 1, en_new_ = 1;
  double dt_ = 0.05;  // the controller's proposal, kept across events
  // Step memory per kind of infusion segment (0: no input, 1: infusing). Daily dosing repeats
  // the same segments, but the controller, which extrapolates from the last step, does not
  // know it: the natural step before an infusion starts is far too long for the segment after
  // it ends (three rejections a day), and the step after the first one, whose error is
  // dominated by the kink where the infusion ended, is far too short. So the i-th unclipped
  // step of a segment (i < kMemory) is sized from what the i-th step of the previous segment
  // of the same kind says about itself: its accepted size times the controller's factor
  // 0.9 err^(-1/5). After a rejection the controller takes over until the next acceptance.
  static constexpr std::size_t kMemory = 4;
  std::array<std::array<double, kMemory>, 2> segment_dt_{};
  std::size_t segment_kind_ = 0;
  std::size_t segment_step_ = kMemory;  // unclipped steps taken in this segment
  bool use_memory_ = false;
  double tolerance_ = 1e-6;
  bool bounded_ = false;
  double ln_saturation_ = 0;
  long steps_ = 0, rejected_ = 0;
};

}  // namespace vtrial
