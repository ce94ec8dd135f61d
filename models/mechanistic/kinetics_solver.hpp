#pragma once
// The integrator of ln V the scenario chose (mechanistic.numerics.integrator): both are kept,
// one is used. The patient talks to this, not to either, so the choice costs one predictable
// branch per call.
#include <limits>

#include "models/mechanistic/mechanistic_params.hpp"
#include "models/mechanistic/quadrature_kinetics.hpp"
#include "models/mechanistic/viral_kinetics.hpp"

namespace vtrial {

class KineticsSolver {
 public:
  void choose(KineticsIntegrator integrator) { quadrature_ = integrator == KineticsIntegrator::quadrature; }

  // `tolerance` is the adaptive integrator's; the quadrature has a fixed rule.
  void reset(const KineticsCoefficients& coef, double k_per_day, double ke0_per_day, double ln_vs0, double ln_vr0,
             double nk0, double nk_turnover_per_day, double tolerance) {
    if (quadrature_)
      quad_.reset(coef, k_per_day, ke0_per_day, ln_vs0, ln_vr0, nk0, nk_turnover_per_day);
    else
      adaptive_.reset(coef, k_per_day, ke0_per_day, ln_vs0, ln_vr0, nk0, nk_turnover_per_day, tolerance);
  }
  void set_infusion_rate(double rate) {
    quadrature_ ? quad_.set_infusion_rate(rate) : adaptive_.set_infusion_rate(rate);
  }
  void set_nk_target(double cells) { quadrature_ ? quad_.set_nk_target(cells) : adaptive_.set_nk_target(cells); }
  double advance(double t, double stop_below_ln_v = -std::numeric_limits<double>::infinity()) {
    return quadrature_ ? quad_.advance(t, stop_below_ln_v) : adaptive_.advance(t, stop_below_ln_v);
  }
  double time() const { return quadrature_ ? quad_.time() : adaptive_.time(); }
  double ln_v_total() const { return quadrature_ ? quad_.ln_v_total() : adaptive_.ln_v_total(); }
  double nk() const { return quadrature_ ? quad_.nk() : adaptive_.nk(); }
  double gcv_concentration() const { return quadrature_ ? quad_.gcv_concentration() : adaptive_.gcv_concentration(); }
  const KineticsCoefficients& coefficients() const {
    return quadrature_ ? quad_.coefficients() : adaptive_.coefficients();
  }

  bool uses_quadrature() const { return quadrature_; }
  const ViralKinetics& adaptive() const { return adaptive_; }
  const QuadratureKinetics& quadrature() const { return quad_; }

 private:
  bool quadrature_ = false;
  ViralKinetics adaptive_;
  QuadratureKinetics quad_;
};

}  // namespace vtrial
