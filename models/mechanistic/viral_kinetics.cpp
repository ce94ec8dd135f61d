#include "models/mechanistic/viral_kinetics.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace vtrial {
namespace {

// Dormand & Prince (1980) 5(4) coefficients, as in Hairer's DOPRI5 and Boost.Odeint.
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
// Stage times c = 1/5, 3/10, 4/5, 8/9, 1 are 18, 27, 72, 80, 90 ninetieths of the step, so
// e^{-k c h} are powers of e^{-k h / 90}: two exponentials per step instead of ten.
struct StagePowers {
  double p18, p27, p72, p80, p90;
};
StagePowers stage_powers(double base) {
  const double p2 = base * base, p4 = p2 * p2, p8 = p4 * p4, p9 = p8 * base, p18 = p9 * p9, p27 = p18 * p9,
               p36 = p18 * p18, p72 = p36 * p36;
  return {p18, p27, p72, p72 * p8, p72 * p18};
}

// x^(-1/5) to about 1%, ample for a step-size controller with safety factor 0.9 (pow was the
// costliest call per step): an exponent-bit first guess, then Newton on y^-5 = x.
double inverse_fifth_root(double x) {
  x = std::clamp(x, 1e-30, 1e30);
  constexpr std::int64_t one = 0x3FF0000000000000LL;
  const std::int64_t bits = std::bit_cast<std::int64_t>(x);
  double y = std::bit_cast<double>(one - (bits - one) / 5);
  for (int i = 0; i < 2; ++i) {
    const double y2 = y * y;
    y = y * (6 - x * y2 * y2 * y) * 0.2;
  }
  return y;
}

// Cubic Hermite interpolation of one component over [t0, t0 + h].
double hermite(double y0, double f0, double y1, double f1, double h, double s) {
  const double s2 = s * s, s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * h * f0 + (-2 * s3 + 3 * s2) * y1 + (s3 - s2) * h * f1;
}

}  // namespace

void ViralKinetics::reset(const KineticsCoefficients& coef, double k_per_day, double ke0_per_day, double ln_vs0,
                          double ln_vr0, double nk0, double nk_turnover_per_day, double tolerance) {
  coef_ = coef;
  pk_.reset(k_per_day, ke0_per_day);
  nk_.reset(nk0, nk_turnover_per_day);
  infusion_rate_ = 0;
  x_ = {ln_vs0, ln_vr0};
  t_ = 0;
  ek_ = ee_ = en_ = 1;
  dt_ = 0.05;
  tolerance_ = tolerance;
  steps_ = 0;
  refresh_derivative();
}

void ViralKinetics::set_infusion_rate(double rate_mg_per_l_per_day) {
  infusion_rate_ = rate_mg_per_l_per_day;
  pk_.start_segment(t_, rate_mg_per_l_per_day);
  ek_ = ee_ = 1;
  refresh_derivative();  // the right-hand side changed: the FSAL derivative is stale
}

void ViralKinetics::set_nk_target(double cells_per_ul) {
  nk_.set_target(t_, cells_per_ul);
  en_ = 1;
  refresh_derivative();
}

double ViralKinetics::attempt(double h) {
  StagePowers pk{1, 1, 1, 1, 1}, pe{1, 1, 1, 1, 1};
  if (pk_.active()) {
    pk = stage_powers(std::exp(-pk_.k_per_day() * h / 90));
    pe = stage_powers(std::exp(-pk_.ke0_per_day() * h / 90));
  }
  const StagePowers pn = stage_powers(std::exp(-nk_.turnover_per_day() * h / 90));
  constexpr std::size_t n = 2;
  const State& k1 = dxdt_;
  State y, k2, k3, k4, k5, k6;
  for (std::size_t i = 0; i < n; ++i) y[i] = x_[i] + h * a21 * k1[i];
  rhs_at(y, k2, t_ + h * (1.0 / 5), ek_ * pk.p18, ee_ * pe.p18, en_ * pn.p18);
  for (std::size_t i = 0; i < n; ++i) y[i] = x_[i] + h * (a31 * k1[i] + a32 * k2[i]);
  rhs_at(y, k3, t_ + h * (3.0 / 10), ek_ * pk.p27, ee_ * pe.p27, en_ * pn.p27);
  for (std::size_t i = 0; i < n; ++i) y[i] = x_[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
  rhs_at(y, k4, t_ + h * (4.0 / 5), ek_ * pk.p72, ee_ * pe.p72, en_ * pn.p72);
  for (std::size_t i = 0; i < n; ++i) y[i] = x_[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
  rhs_at(y, k5, t_ + h * (8.0 / 9), ek_ * pk.p80, ee_ * pe.p80, en_ * pn.p80);
  ek_new_ = ek_ * pk.p90;
  ee_new_ = ee_ * pe.p90;
  en_new_ = en_ * pn.p90;
  for (std::size_t i = 0; i < n; ++i)
    y[i] = x_[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
  rhs_at(y, k6, t_ + h, ek_new_, ee_new_, en_new_);
  for (std::size_t i = 0; i < n; ++i)
    x_new_[i] = x_[i] + h * (b1 * k1[i] + b3 * k3[i] + b4 * k4[i] + b5 * k5[i] + b6 * k6[i]);
  // FSAL: the derivative at the new point. The right-hand side does not depend on the state
  // (see rhs), and stage 6 sits at the same time t + h, so it equals k6 exactly.
  f_new_ = k6;
  State err, scale;
  for (std::size_t i = 0; i < n; ++i) {
    err[i] = std::fabs(h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * f_new_[i]));
    scale[i] = tolerance_ * (1 + std::fabs(x_[i]) + h * std::fabs(k1[i]));
  }
  // max_i err_i / scale_i with one division (n = 2).
  const double inv = 1 / (scale[0] * scale[1]);
  return std::max(err[0] * scale[1], err[1] * scale[0]) * inv;
}

double ViralKinetics::advance(double t_target, double stop_below_ln_v) {
  const double no_crossing = std::numeric_limits<double>::quiet_NaN();
  const bool watch = stop_below_ln_v > -std::numeric_limits<double>::infinity();
  while (t_ < t_target) {
    const double remaining = t_target - t_;
    if (remaining < 1e-12) break;  // below any time scale of the model
    const bool clipped = dt_ >= remaining;
    const double h = clipped ? remaining : dt_;
    const double err = attempt(h);
    ++steps_;
    if (!(err <= 1)) {  // rejected (NaN counts as rejected)
      dt_ = h * (std::isfinite(err) ? std::max(0.2, 0.9 * inverse_fifth_root(err)) : 0.2);
      continue;
    }
    const State x0 = x_, f0 = dxdt_;
    const double t0 = t_;
    x_ = x_new_;
    dxdt_ = f_new_;
    ek_ = ek_new_;
    ee_ = ee_new_;
    en_ = en_new_;
    t_ = clipped ? t_target : t_ + h;
    const double grown = h * (err > 1e-10 ? std::min(5.0, 0.9 * inverse_fifth_root(err)) : 5.0);
    // Keep the natural step across an event: a step clipped to land on it says nothing new.
    if (!clipped || grown > dt_) dt_ = grown;
    if (watch && log_add(x_[0], x_[1]) < stop_below_ln_v) {
      // Crossing inside the step: bisect the Hermite interpolant of ln V_S and ln V_R.
      const double step = t_ - t0;
      double lo = 0, hi = 1;
      for (int i = 0; i < 60 && (hi - lo) * step > 1e-9; ++i) {
        const double mid = 0.5 * (lo + hi);
        const double ls = hermite(x0[0], f0[0], x_[0], dxdt_[0], step, mid);
        const double lr = hermite(x0[1], f0[1], x_[1], dxdt_[1], step, mid);
        (log_add(ls, lr) < stop_below_ln_v ? hi : lo) = mid;
      }
      for (std::size_t c = 0; c < x_.size(); ++c) x_[c] = hermite(x0[c], f0[c], x_[c], dxdt_[c], step, hi);
      t_ = t0 + hi * step;
      const double tau = t_ - pk_.segment_start();
      ek_ = std::exp(-pk_.k_per_day() * tau);
      ee_ = std::exp(-pk_.ke0_per_day() * tau);
      en_ = std::exp(-nk_.turnover_per_day() * (t_ - nk_.segment_start()));
      refresh_derivative();
      return t_;
    }
  }
  t_ = t_target;
  return no_crossing;
}

}  // namespace vtrial
