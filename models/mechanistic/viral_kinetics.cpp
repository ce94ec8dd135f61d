#include "models/mechanistic/viral_kinetics.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace vtrial {
namespace {

// Dormand & Prince (1980) 5(4) coefficients, as in Hairer's DOPRI5 and Boost.Odeint.
// The stage matrix a_ij is not needed: the right-hand side does not depend on the state, so
// the stages are the right-hand side at the stage times (viral_kinetics.hpp).
constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525,
                 e7 = -1.0 / 40;
// Stage times c = 1/5, 3/10, 4/5, 8/9, 1 are 18, 27, 72, 80, 90 ninetieths of the step, so
// e^{-r c h} are powers of e^{-r h / 90}: one exponential per rate and step size.
std::array<double, 6> stage_powers(double base) {
  const double p2 = base * base, p4 = p2 * p2, p8 = p4 * p4, p9 = p8 * base, p18 = p9 * p9, p27 = p18 * p9,
               p36 = p18 * p18, p72 = p36 * p36;
  return {1.0, p18, p27, p72, p72 * p8, p72 * p18};
}
constexpr std::array<double, 6> kC = {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0};

// The step-size grid: 2^(e + j/8), j = 0..7. Mantissas of 2^(j/8) as doubles in [1, 2).
struct Grid {
  std::array<double, 8> mantissa{};
  Grid() {
    for (int j = 0; j < 8; ++j) mantissa[static_cast<std::size_t>(j)] = std::exp2(j / 8.0);
  }
};
const Grid kGrid;

// The largest grid value <= h (h positive, finite, normal), and its table slot.
double grid_floor(double h, std::size_t& slot) {
  constexpr std::uint64_t mantissa_mask = (std::uint64_t{1} << 52) - 1;
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(h);
  const std::uint64_t exponent = bits & ~mantissa_mask;
  const double m = std::bit_cast<double>((bits & mantissa_mask) | std::bit_cast<std::uint64_t>(1.0));
  std::size_t j = 0;
  for (std::size_t i = 1; i < 8; ++i) j += kGrid.mantissa[i] <= m ? 1 : 0;
  slot = static_cast<std::size_t>(((exponent >> 52) & 7) << 3) | j;
  return std::bit_cast<double>(exponent | (std::bit_cast<std::uint64_t>(kGrid.mantissa[j]) & mantissa_mask));
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
  bounded_ = coef.saturation > 0;
  ln_saturation_ = bounded_ ? std::log(coef.saturation) : 0;
  pk_.reset(k_per_day, ke0_per_day);
  nk_.reset(nk0, nk_turnover_per_day);
  infusion_rate_ = 0;
  x_ = {ln_vs0, ln_vr0};
  t_ = 0;
  ek_ = ee_ = en_ = 1;
  dt_ = 0.05;
  segment_dt_ = {};
  segment_kind_ = 0;
  segment_step_ = kMemory;
  use_memory_ = false;
  for (Powers& entry : grid_cache_) entry.h = -1;  // the rates changed: nothing cached is valid
  for (Powers& entry : clip_cache_) entry.h = -1;
  clip_used_ = {};
  clip_clock_ = 0;
  tolerance_ = tolerance;
  steps_ = rejected_ = 0;
  refresh_derivative();
}

void ViralKinetics::set_infusion_rate(double rate_mg_per_l_per_day) {
  infusion_rate_ = rate_mg_per_l_per_day;
  pk_.start_segment_from(t_, rate_mg_per_l_per_day, ek_, ee_);
  ek_ = ee_ = 1;
  segment_kind_ = rate_mg_per_l_per_day > 0 ? 1 : 0;
  segment_step_ = 0;
  use_memory_ = true;
  refresh_derivative();  // the right-hand side changed: the FSAL derivative is stale
}

void ViralKinetics::set_nk_target(double cells_per_ul) {
  nk_.set_target(t_, cells_per_ul);
  en_ = 1;
  refresh_derivative();
}

void ViralKinetics::fill(Powers& entry, double h) const {
  entry.h = h;
  entry.pk = stage_powers(std::exp(-pk_.k_per_day() * h / 90));
  entry.pe = stage_powers(std::exp(-pk_.ke0_per_day() * h / 90));
  entry.pn = stage_powers(std::exp(-nk_.turnover_per_day() * h / 90));
  for (std::size_t i = 0; i < kStages; ++i) entry.ch[i] = kC[i] * h;
}

const ViralKinetics::Powers& ViralKinetics::grid_powers(double h, std::size_t slot) {
  Powers& entry = grid_cache_[slot];
  if (entry.h != h) fill(entry, h);
  return entry;
}

const ViralKinetics::Powers& ViralKinetics::clipped_powers(double h) {
  // Clipped steps: a small memo, least recently used entry replaced.
  ++clip_clock_;
  std::size_t oldest = 0;
  for (std::size_t i = 0; i < clip_cache_.size(); ++i) {
    if (clip_cache_[i].h == h) {
      clip_used_[i] = clip_clock_;
      return clip_cache_[i];
    }
    if (clip_used_[i] < clip_used_[oldest]) oldest = i;
  }
  clip_used_[oldest] = clip_clock_;
  fill(clip_cache_[oldest], h);
  return clip_cache_[oldest];
}

double ViralKinetics::attempt(double h, const Powers& powers) {
  if (bounded_) return attempt_bounded(h, powers);
  // The six stages side by side (the right-hand side depends on t only, so they are
  // independent and the loops below vectorize). Per stage, the drug effect on each strain and
  // the common loss rate d0 (1 + a_rec t) + kN N(t), with the parts that do not vary within the
  // step taken out of the loop.
  Lanes k0, k1;
  const double loss0 = coef_.d0 * (1 + coef_.recovery * t_) + coef_.kill * nk_.target();
  const double loss_t = coef_.d0 * coef_.recovery;
  const double loss_n = coef_.kill * (nk_.segment_start_value() - nk_.target()) * en_;
  if (pk_.active()) {
    const double ce_inf = pk_.c_inf(), ce_k = pk_.a() * ek_, ce_e = pk_.b() * ee_;
    for (std::size_t i = 0; i < kStages; ++i) {
      const double ce = ce_inf + ce_k * powers.pk[i] + ce_e * powers.pe[i];
      const double ds = coef_.ec50_s + ce, dr = coef_.ec50_r + ce;
      const double emax_ce_over = coef_.emax * ce / (ds * dr);  // both strains, one division
      const double loss = loss0 + loss_t * powers.ch[i] + loss_n * powers.pn[i];
      k0[i] = coef_.rho_s * (1 - emax_ce_over * dr) - loss;
      k1[i] = coef_.rho_r * (1 - emax_ce_over * ds) - loss;
    }
  } else {
    for (std::size_t i = 0; i < kStages; ++i) {
      const double loss = loss0 + loss_t * powers.ch[i] + loss_n * powers.pn[i];
      k0[i] = coef_.rho_s - loss;
      k1[i] = coef_.rho_r - loss;
    }
  }
  ek_new_ = ek_ * powers.pk[5];
  ee_new_ = ee_ * powers.pe[5];
  en_new_ = en_ * powers.pn[5];
  // 5th-order solution (b2 = 0) and the embedded error estimate; stage 7 (FSAL) equals
  // stage 6, so its error weight joins e6.
  constexpr double e67 = e6 + e7;
  x_new_[0] = x_[0] + h * (b1 * k0[0] + b3 * k0[2] + b4 * k0[3] + b5 * k0[4] + b6 * k0[5]);
  x_new_[1] = x_[1] + h * (b1 * k1[0] + b3 * k1[2] + b4 * k1[3] + b5 * k1[4] + b6 * k1[5]);
  f_new_ = {k0[5], k1[5]};
  const double err0 = std::fabs(h * (e1 * k0[0] + e3 * k0[2] + e4 * k0[3] + e5 * k0[4] + e67 * k0[5]));
  const double err1 = std::fabs(h * (e1 * k1[0] + e3 * k1[2] + e4 * k1[3] + e5 * k1[4] + e67 * k1[5]));
  const double scale0 = tolerance_ * (1 + std::fabs(x_[0]) + h * std::fabs(k0[0]));
  const double scale1 = tolerance_ * (1 + std::fabs(x_[1]) + h * std::fabs(k1[0]));
  // max_i err_i / scale_i with one division (n = 2).
  return std::max(err0 * scale1, err1 * scale0) / (scale0 * scale1);
}

double ViralKinetics::attempt_bounded(double h, const Powers& powers) {
  // Per stage, what does not depend on the state: production without the saturation factor, and loss.
  Lanes ps, pr, loss;
  const double loss0 = coef_.d0 * (1 + coef_.recovery * t_) + coef_.kill * nk_.target();
  const double loss_t = coef_.d0 * coef_.recovery;
  const double loss_n = coef_.kill * (nk_.segment_start_value() - nk_.target()) * en_;
  const double ce_inf = pk_.c_inf(), ce_k = pk_.a() * ek_, ce_e = pk_.b() * ee_;
  for (std::size_t i = 0; i < kStages; ++i) {
    double eps_s = 0, eps_r = 0;
    if (pk_.active()) {
      const double ce = ce_inf + ce_k * powers.pk[i] + ce_e * powers.pe[i];
      eps_s = coef_.emax * ce / (coef_.ec50_s + ce);
      eps_r = coef_.emax * ce / (coef_.ec50_r + ce);
    }
    ps[i] = coef_.rho_s * (1 - eps_s);
    pr[i] = coef_.rho_r * (1 - eps_r);
    loss[i] = loss0 + loss_t * powers.ch[i] + loss_n * powers.pn[i];
  }
  std::array<State, 7> k{};
  const auto f = [&](std::size_t stage, const State& y) {
    const double room = saturation_factor(y);
    return State{ps[stage] * room - loss[stage], pr[stage] * room - loss[stage]};
  };
  // Dormand & Prince (1980), Hairer, Norsett & Wanner Table II.5.2.
  static constexpr double a[6][5] = {{0, 0, 0, 0, 0},
                                     {1.0 / 5, 0, 0, 0, 0},
                                     {3.0 / 40, 9.0 / 40, 0, 0, 0},
                                     {44.0 / 45, -56.0 / 15, 32.0 / 9, 0, 0},
                                     {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729, 0},
                                     {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656}};
  for (std::size_t i = 0; i < kStages; ++i) {
    State y = x_;
    for (std::size_t j = 0; j < i; ++j)
      for (std::size_t c = 0; c < 2; ++c) y[c] += h * a[i][j] * k[j][c];
    k[i] = f(i, y);
  }
  for (std::size_t c = 0; c < 2; ++c)
    x_new_[c] = x_[c] + h * (b1 * k[0][c] + b3 * k[2][c] + b4 * k[3][c] + b5 * k[4][c] + b6 * k[5][c]);
  k[6] = f(kStages - 1, x_new_);  // stage 7 (FSAL) at t + h and the new state
  f_new_ = k[6];
  ek_new_ = ek_ * powers.pk[5];
  ee_new_ = ee_ * powers.pe[5];
  en_new_ = en_ * powers.pn[5];
  double worst = 0;
  for (std::size_t c = 0; c < 2; ++c) {
    const double err =
        std::fabs(h * (e1 * k[0][c] + e3 * k[2][c] + e4 * k[3][c] + e5 * k[4][c] + e6 * k[5][c] + e7 * k[6][c]));
    const double scale = tolerance_ * (1 + std::fabs(x_[c]) + h * std::fabs(k[0][c]));
    const double ratio = err / scale;
    if (!(ratio <= worst)) worst = ratio;  // NaN propagates: a rejected step
  }
  return worst;
}

double ViralKinetics::advance(double t_target, double stop_below_ln_v) {
  const double no_crossing = std::numeric_limits<double>::quiet_NaN();
  const bool watch = stop_below_ln_v > -std::numeric_limits<double>::infinity();
  while (t_ < t_target) {
    const double remaining = t_target - t_;
    if (remaining < 1e-12) break;  // below any time scale of the model
    // Land on t_target when it is within 10% beyond the proposal (as MATLAB's ode45 does)
    // rather than leave a sliver for one more step.
    const bool remembered = use_memory_ && segment_step_ < kMemory && segment_dt_[segment_kind_][segment_step_] > 0;
    const double proposal = remembered ? segment_dt_[segment_kind_][segment_step_] : dt_;
    const bool clipped = 1.1 * proposal >= remaining;
    std::size_t slot = 0;
    const double h = clipped ? remaining : grid_floor(proposal, slot);
    const double err = attempt(h, clipped ? clipped_powers(h) : grid_powers(h, slot));
    ++steps_;
    if (!(err <= 1)) {  // rejected (NaN counts as rejected)
      // A step shrunk below any time scale of the model will never be accepted (an error
      // estimate that stays NaN or huge, e.g. from an EC50 of 1e-300): fail instead of hanging.
      if (h < 1e-12)
        throw std::runtime_error("the mechanistic patient cannot be integrated at day " + std::to_string(t_) +
                                 ": the step size collapsed (a mechanistic.* value is beyond what the model can "
                                 "compute, e.g. an extreme EC50, rate or viral load)");
      ++rejected_;
      dt_ = h * (std::isfinite(err) ? std::max(0.2, 0.9 * inverse_fifth_root(err)) : 0.2);
      use_memory_ = false;
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
    if (!clipped && segment_step_ < kMemory) segment_dt_[segment_kind_][segment_step_++] = grown;
    use_memory_ = true;
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
