#include "models/mechanistic/quadrature_kinetics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/mechanistic/gauss_legendre.hpp"

namespace vtrial {
namespace {

// Segment lengths repeat every dosing interval up to rounding of the event times (t + 1/24 - t
// is not 1/24 exactly): lengths within this of a cached one use it, corrected to first order
// in the difference (the second-order remainder, ~1e-22 times the rates squared, is nothing).
constexpr double kLengthMatch = 1e-11;
// Segments shorter than this in absolute time (the 1-h infusion) are one piece when their
// fastest rate allows; longer ones are always graded: the Emax integrand varies on the time
// scale (EC50 + Ce) / |dCe/dt|, shortest at the start of a segment, and on the first day, where
// Ce starts near 0, it is a fraction of a day.
constexpr double kShortSegmentDays = 0.1;

// Weights of the N-point rule on [a, b], and e^{-rate s_j} at its nodes s_j for both rates. The
// nodes are symmetric about the middle m, s = m -+ h |x_j|, so e^{-r s} = e^{-r m} / p and
// e^{-r m} p with p = e^{-r h |x_j|}: one exponential per pair (a relative rounding of a few
// 1e-16), unless r h is so large that p could underflow.
template <std::size_t N>
void place(const GaussLegendre<N>& gl, double a, double b, double k, double ke0, double* w, double* ek, double* ee) {
  // ee == nullptr: the e^{-ke0 s} are already there (see build).
  const double half = 0.5 * (b - a), mid = 0.5 * (a + b);
  for (std::size_t j = 0; j < N; ++j) w[j] = half * gl.weight[j];
  const auto fill = [&](double rate, double* out) {
    if (rate * half > 600) {
      for (std::size_t j = 0; j < N; ++j) out[j] = std::exp(-rate * (mid + half * gl.node[j]));
      return;
    }
    const double centre = std::exp(-rate * mid);
    for (std::size_t j = 0; j < N / 2; ++j) {
      const double p = std::exp(rate * half * gl.node[j]);  // node[j] < 0: p <= 1
      out[j] = centre / p;
      out[N - 1 - j] = centre * p;
    }
  };
  fill(k, ek);
  if (ee) fill(ke0, ee);
}

}  // namespace

void QuadratureKinetics::reset(const KineticsCoefficients& coef, double k_per_day, double ke0_per_day, double ln_vs0,
                               double ln_vr0, double nk0, double nk_turnover_per_day) {
  coef_ = coef;
  pk_.reset(k_per_day, ke0_per_day);
  nk_.reset(nk0, nk_turnover_per_day);
  t_ = t0_ = 0;
  x0_ = {ln_vs0, ln_vr0};
  en0_ = 1;
  infusing_ = false;
  rate_ = 0;
  expected_ = {-1, -1};
  // A rule serves only the patient that built it, so a patient's numbers never depend on who came
  // before on this thread (same results for any thread count); the rules stay as donors of their
  // e^{-ke0 s}, which depend on the scenario only (build).
  for (Rule& r : cache_) r.k = -1;
  state_t_ = std::numeric_limits<double>::quiet_NaN();
  segments_ = rules_built_ = nodes_ = 0;
}

void QuadratureKinetics::fill_piece(Rule& rule, std::size_t at, std::size_t count, double a, double b,
                                    bool with_ee) const {
  const double k = pk_.k_per_day(), ke0 = pk_.ke0_per_day();
  double *w = rule.w.data() + at, *ek = rule.ek.data() + at, *ee = with_ee ? rule.ee.data() + at : nullptr;
  if (count == kFirstPieceNodes)
    place(GaussLegendre<kFirstPieceNodes>::get(), a, b, k, ke0, w, ek, ee);
  else
    place(GaussLegendre<kPieceNodes>::get(), a, b, k, ke0, w, ek, ee);
}

void QuadratureKinetics::build(Rule& rule, double length) const {
  const double k = pk_.k_per_day(), ke0 = pk_.ke0_per_day(), dn = nk_.turnover_per_day();
  const double fastest = std::max(k, ke0) * length;
  std::size_t pieces = 1;
  if (length > kShortSegmentDays || fastest > kShortPiece) {
    pieces = 3;
    for (double first = fastest / (kGrading * kGrading); first > kShortPiece && pieces < kMaxPieces; first /= kGrading)
      ++pieces;
  }
  // e^{-ke0 s} depend on ke0, the length and the pieces only, and ke0 is the same for every
  // patient of a scenario: a rule of the previous patient with the same length (exactly: the
  // first day's segments have the same length for everyone) lends them.
  const Rule* donor = nullptr;
  for (const Rule& r : cache_)
    if (r.length == length && r.ke0 == ke0 && r.pieces == pieces) donor = &r;
  if (donor && donor != &rule) {
    std::copy(donor->ee.begin(), donor->ee.begin() + static_cast<std::ptrdiff_t>(donor->nodes), rule.ee.begin());
    rule.ee_end = donor->ee_end;
  }
  const bool with_ee = donor == nullptr;
  rule.length = length;
  rule.k = k;
  rule.ke0 = ke0;
  rule.dn = dn;
  rule.pieces = pieces;
  // Boundaries L 4^-(pieces-1), ..., L/4, L; the first piece starts at 0.
  rule.boundary[0] = 0;
  rule.boundary[pieces] = length;
  for (std::size_t i = pieces - 1; i >= 1; --i) rule.boundary[i] = rule.boundary[i + 1] / kGrading;
  std::size_t at = 0;
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::size_t count = i == 0 ? kFirstPieceNodes : kPieceNodes;
    rule.first[i] = at;
    if (i < 2) {
      fill_piece(rule, at, count, rule.boundary[i], rule.boundary[i + 1], with_ee);
    } else {
      // Piece i is piece i - 1 scaled by 4 (exactly: powers of two), so its nodes are 4 times
      // those of piece i - 1 and their exponentials the 4th powers: two squarings instead of
      // an exponential per node (a relative rounding of a few 1e-16).
      const std::size_t from = at - kPieceNodes;
      for (std::size_t j = 0; j < count; ++j) rule.w[at + j] = kGrading * rule.w[from + j];
      for (std::size_t j = 0; j < count; ++j) {
        const double ek = rule.ek[from + j] * rule.ek[from + j];
        rule.ek[at + j] = ek * ek;
      }
      if (with_ee)
        for (std::size_t j = 0; j < count; ++j) {
          const double ee = rule.ee[from + j] * rule.ee[from + j];
          rule.ee[at + j] = ee * ee;
        }
    }
    at += count;
  }
  rule.first[pieces] = at;
  rule.nodes = at;
  rule.ek_end = std::exp(-k * length);
  if (with_ee) rule.ee_end = std::exp(-ke0 * length);
  rule.en_end = std::exp(-dn * length);
  rule.nk_gain = -std::expm1(-dn * length) / dn;
}

const QuadratureKinetics::Rule* QuadratureKinetics::cached(double length) const {
  for (const Rule& r : cache_)
    if (std::fabs(r.length - length) <= kLengthMatch && r.k == pk_.k_per_day() && r.ke0 == pk_.ke0_per_day() &&
        r.dn == nk_.turnover_per_day())
      return &r;
  return nullptr;
}

const QuadratureKinetics::Rule* QuadratureKinetics::expected() const {
  const int slot = expected_[infusing_ ? 1 : 0];
  return slot < 0 ? nullptr : &cache_[static_cast<std::size_t>(slot)];
}

const QuadratureKinetics::Rule& QuadratureKinetics::rule_for(double length) {
  ++clock_;
  if (const Rule* e = expected(); e && std::fabs(e->length - length) <= kLengthMatch) {
    const_cast<Rule*>(e)->used = clock_;  // the common case: the segment before of this kind
    return *e;
  }
  if (const Rule* hit = cached(length)) {
    const_cast<Rule*>(hit)->used = clock_;
    return *hit;
  }
  Rule* oldest = &cache_[0];
  for (Rule& r : cache_)
    if (r.used < oldest->used) oldest = &r;
  // A rule a kind of segment still expects is about to change: forget it.
  const int slot = static_cast<int>(oldest - cache_.data());
  for (int& e : expected_)
    if (e == slot) e = -1;
  build(*oldest, length);
  oldest->used = clock_;
  ++rules_built_;
  return *oldest;
}

// An AVX2 copy (4 lanes in one instruction) beside the baseline SSE2 one (2 lanes), chosen at load
// time by the CPU: the same additions, multiplications and divisions per lane in the same order
// and no fused multiply-add (AVX2 does not imply FMA, and -ffp-contract=off), so the same bits;
// 15% of a default patient's time (docs/performance.md).
__attribute__((target_clones("avx2", "default"))) void QuadratureKinetics::emax_sums(const Rule& rule,
                                                                                     std::size_t begin, std::size_t end,
                                                                                     double& is, double& ir) const {
  // Four independent lanes (the node counts are multiples of 4), so the loop vectorizes without
  // reassociating a sum: the same bits with or without vector instructions.
  double ls[4] = {0, 0, 0, 0}, lr[4] = {0, 0, 0, 0};
  const double c_inf = pk_.c_inf(), a = pk_.a(), b = pk_.b(), es = coef_.ec50_s, er = coef_.ec50_r;
  for (std::size_t j = begin; j < end; j += 4) {
    for (std::size_t l = 0; l < 4; ++l) {
      const double ce = c_inf + a * rule.ek[j + l] + b * rule.ee[j + l];
      const double ds = es + ce, dr = er + ce;
      const double q = rule.w[j + l] * ce / (ds * dr);  // both strains, one division
      ls[l] += q * dr;
      lr[l] += q * ds;
    }
  }
  nodes_ += static_cast<long>(end - begin);
  is += coef_.emax * ((ls[0] + ls[1]) + (ls[2] + ls[3]));
  ir += coef_.emax * ((lr[0] + lr[1]) + (lr[2] + lr[3]));
}

QuadratureKinetics::State QuadratureKinetics::combine(double tau, double is, double ir, double nk_gain) const {
  const double n0 = nk_.value_from(en0_), target = nk_.target();
  const double loss = coef_.d0 * (tau + coef_.recovery * (t0_ * tau + 0.5 * tau * tau)) +
                      coef_.kill * (target * tau + (n0 - target) * nk_gain);
  return {x0_[0] + coef_.rho_s * tau - loss - coef_.rho_s * is, x0_[1] + coef_.rho_r * tau - loss - coef_.rho_r * ir};
}

QuadratureKinetics::State QuadratureKinetics::whole(const Rule& rule, double tau, double& ek, double& ee,
                                                    double& en) const {
  const double delta = tau - rule.length;
  ek = rule.ek_end * (1 - pk_.k_per_day() * delta);
  ee = rule.ee_end * (1 - pk_.ke0_per_day() * delta);
  en = rule.en_end * (1 - nk_.turnover_per_day() * delta);
  const double nk_gain = rule.nk_gain + rule.en_end * delta;
  double is = 0, ir = 0;
  if (pk_.active()) {
    emax_sums(rule, 0, rule.nodes, is, ir);
    if (delta != 0) {
      const double ce = pk_.effect_concentration_from(rule.ek_end, rule.ee_end);
      is += coef_.emax * ce / (coef_.ec50_s + ce) * delta;
      ir += coef_.emax * ce / (coef_.ec50_r + ce) * delta;
    }
  }
  return combine(tau, is, ir, nk_gain);
}

QuadratureKinetics::State QuadratureKinetics::partial(double tau, double& ek, double& ee, double& en) const {
  if (!(tau > 0)) {
    ek = ee = en = 1;
    return x0_;
  }
  const Rule* r = expected();
  if (r && std::fabs(tau - r->length) <= kLengthMatch) return whole(*r, tau, ek, ee, en);
  const double dn = nk_.turnover_per_day();
  en = std::exp(-dn * tau);
  const double nk_gain = -std::expm1(-dn * tau) / dn;
  double is = 0, ir = 0;
  if (!pk_.active()) {
    ek = ee = 1;  // unused: nothing to carry
    return combine(tau, is, ir, nk_gain);
  }
  ek = std::exp(-pk_.k_per_day() * tau);
  ee = std::exp(-pk_.ke0_per_day() * tau);
  if (r && tau < r->length && tau >= r->boundary[1]) {
    // The expected rule's whole pieces before tau, and a fresh piece from there to tau.
    std::size_t i = 1;
    while (r->boundary[i + 1] <= tau) ++i;
    emax_sums(*r, 0, r->first[i], is, ir);
    const std::size_t count = r->first[i + 1] - r->first[i];
    fill_piece(scratch_, 0, count, r->boundary[i], tau, true);
    emax_sums(scratch_, 0, count, is, ir);
  } else {
    build(scratch_, tau);
    emax_sums(scratch_, 0, scratch_.nodes, is, ir);
    scratch_.length = -1;  // a rule of this patient's rates, but not one the cache knows
  }
  return combine(tau, is, ir, nk_gain);
}

const QuadratureKinetics::State& QuadratureKinetics::state() const {
  if (state_t_ != t_) {
    double ek, ee, en;
    state_ = partial(t_ - t0_, ek, ee, en);
    state_t_ = t_;
  }
  return state_;
}

void QuadratureKinetics::close_segment(double& ek, double& ee) {
  const double tau = t_ - t0_;
  double en = 1;
  ek = ee = 1;
  if (tau > 0) {
    if (pk_.active()) {
      const Rule& rule = rule_for(tau);
      x0_ = whole(rule, tau, ek, ee, en);
      expected_[infusing_ ? 1 : 0] = static_cast<int>(&rule - cache_.data());
    } else {
      x0_ = partial(tau, ek, ee, en);
    }
    ++segments_;
    // A NaN would flow silently into every later visit (values past the loader's ranges, e.g. an
    // overflowing rate): fail, as the adaptive integrator does.
    if (!std::isfinite(x0_[0]) || !std::isfinite(x0_[1]))
      throw std::runtime_error("the mechanistic patient cannot be integrated at day " + std::to_string(t_) +
                               ": ln V is not a finite number (a mechanistic.* value is beyond what the model can "
                               "compute, e.g. an extreme EC50, rate or viral load)");
  }
  en0_ *= en;
  t0_ = t_;
  state_t_ = t_;
  state_ = x0_;
}

void QuadratureKinetics::set_infusion_rate(double rate_mg_per_l_per_day) {
  double ek, ee;
  close_segment(ek, ee);
  pk_.start_segment_from(t_, rate_mg_per_l_per_day, ek, ee);
  rate_ = rate_mg_per_l_per_day;
  infusing_ = rate_mg_per_l_per_day > 0;
}

void QuadratureKinetics::set_nk_target(double cells_per_ul) {
  double ek, ee;
  close_segment(ek, ee);
  pk_.start_segment_from(t_, rate_, ek, ee);  // the same input from a new origin: the same Ce
  nk_.set_target(t_, cells_per_ul);
  en0_ = 1;
}

double QuadratureKinetics::total_slope(double tau, double ratio, double ek, double ee, double en) const {
  double eps_s = 0, eps_r = 0;
  if (pk_.active()) {
    const double ce = pk_.effect_concentration_from(ek, ee);
    eps_s = coef_.emax * ce / (coef_.ec50_s + ce);
    eps_r = coef_.emax * ce / (coef_.ec50_r + ce);
  }
  const double n = nk_.target() + (nk_.value_from(en0_) - nk_.target()) * en;
  const double loss = coef_.d0 * (1 + coef_.recovery * (t0_ + tau)) + coef_.kill * n;
  const double fs = coef_.rho_s * (1 - eps_s) - loss, fr = coef_.rho_r * (1 - eps_r) - loss;
  // Weights V_k / (V_S + V_R) from ratio = ln V_R - ln V_S, without overflow.
  const double share_s = 1 / (1 + std::exp(ratio));
  return share_s * fs + (1 - share_s) * fr;
}

double QuadratureKinetics::advance(double t_target, double stop_below_ln_v) {
  if (stop_below_ln_v > -std::numeric_limits<double>::infinity()) return find_crossing(t_target, stop_below_ln_v);
  if (t_target > t_) t_ = t_target;
  return std::numeric_limits<double>::quiet_NaN();
}

double QuadratureKinetics::find_crossing(double t_target, double threshold) {
  // g(t) = ln(V_S + V_R)(t) - threshold on [t_, t_target], inside one segment. g is known exactly
  // (the partial integral) at both ends. Between them g can dip below 0 and rise again only
  // through a minimum, where the slope (the right-hand side, which needs no quadrature) goes
  // from - to +: the slope is screened every kCheckDays or less, each such minimum located on
  // it and g evaluated there. The first crossing is then found by safeguarded Newton on g, to
  // 1e-12 days, in a bracket where g is unimodal.
  constexpr double kCheckDays = 0.125;
  const double k = pk_.k_per_day(), ke0 = pk_.ke0_per_day(), dn = nk_.turnover_per_day();
  const auto value = [&](double t, double& slope, double& ratio) {
    double ek, ee, en;
    const State x = partial(t - t0_, ek, ee, en);
    ratio = x[1] - x[0];
    slope = total_slope(t - t0_, ratio, ek, ee, en);
    return ViralKinetics::log_add(x[0], x[1]) - threshold;
  };
  const auto solve = [&](double lo, double hi) {  // g(lo) > 0 >= g(hi), g unimodal between
    double t = hi;
    for (int i = 0; i < 100; ++i) {
      double slope, ratio;
      const double g = value(t, slope, ratio);
      (g <= 0 ? hi : lo) = t;
      if (g == 0 || hi - lo <= 1e-12) break;
      const double newton = t - g / slope;
      if (slope < 0 && newton > lo && newton < hi) {
        if (std::fabs(newton - t) < 1e-13) return newton;  // converged (from either side)
        t = newton;
      } else {
        t = 0.5 * (lo + hi);
      }
    }
    return hi;
  };
  const double ta = t_, tb = std::max(t_, t_target);
  double slope_a, ratio_a, slope_b, ratio_b;
  if (value(ta, slope_a, ratio_a) < 0) return t_;  // already below (a patient who starts below the LLOQ)
  const double gb = value(tb, slope_b, ratio_b);
  // The slope along the way, for screening: the weights of the two strains interpolated in ln
  // of their ratio between the ends, the exponentials stepped by constant factors.
  const double span = tb - ta;
  const auto steps = static_cast<std::size_t>(std::ceil(span / kCheckDays));
  const double h = steps > 0 ? span / static_cast<double>(steps) : 0;
  const auto ratio_at = [&](double t) { return span > 0 ? ratio_a + (ratio_b - ratio_a) * (t - ta) / span : ratio_a; };
  const auto slope_at = [&](double t) {
    const double tau = t - t0_;
    return total_slope(tau, ratio_at(t), std::exp(-k * tau), std::exp(-ke0 * tau), std::exp(-dn * tau));
  };
  const double qk = std::exp(-k * h), qe = std::exp(-ke0 * h), qn = std::exp(-dn * h);
  double ek = std::exp(-k * (ta - t0_)), ee = std::exp(-ke0 * (ta - t0_)), en = std::exp(-dn * (ta - t0_));
  double lo = ta, previous = slope_a;  // lo: the latest time known above the threshold
  for (std::size_t j = 1; j <= steps; ++j) {
    const double s = j == steps ? tb : ta + static_cast<double>(j) * h;
    ek *= qk;
    ee *= qe;
    en *= qn;
    const double slope = j == steps ? slope_b : total_slope(s - t0_, ratio_at(s), ek, ee, en);
    if (previous < 0 && slope > 0) {
      // A minimum in (s - h, s): regula falsi (Illinois) on the slope, then g there.
      double a = s - h, b = s, fa = previous, fb = slope;
      int side = 0;
      for (int i = 0; i < 60 && b - a > 1e-9; ++i) {
        const double m = (a * fb - b * fa) / (fb - fa);
        const double fm = slope_at(m);
        if (fm < 0) {
          a = m, fa = fm;
          if (side == -1) fb *= 0.5;
          side = -1;
        } else {
          b = m, fb = fm;
          if (side == 1) fa *= 0.5;
          side = 1;
        }
      }
      double slope_m, ratio_m;
      const double minimum = 0.5 * (a + b);
      if (value(minimum, slope_m, ratio_m) < 0) {
        t_ = solve(lo, minimum);
        return t_;
      }
      lo = minimum;
    }
    previous = slope;
  }
  if (gb < 0) {
    t_ = solve(lo, tb);
    return t_;
  }
  t_ = tb;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace vtrial
