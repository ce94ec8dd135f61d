// The quadrature integrator of ln V (models/mechanistic/quadrature_kinetics.hpp) against
// independent references: Gauss-Legendre rules against exact polynomial integrals; whole
// dosing courses of sampled default patients against Boost.Odeint's controlled
// runge_kutta_dopri5 at 1e-13 (|error in ln V| at every visit at most 1e-9); the crossing time
// under continuous observation against the closed form; and the visit-level calls of 10,000
// trial patients against the adaptive integrator at its default tolerance, every difference
// explained by the adaptive integrator's own error. The figures are printed and docs/model.md
// quotes them: rerun with `vtrial_tests --gtest_filter='MechQuadrature*'`.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "models/mechanistic/gauss_legendre.hpp"
#include "models/mechanistic/mechanistic_patient.hpp"
#include "models/mechanistic/quadrature_kinetics.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

TEST(MechQuadrature, GaussLegendreIsExactToDegree2nMinus1) {
  const auto& g8 = GaussLegendre<8>::get();
  const auto& g12 = GaussLegendre<12>::get();
  for (int degree = 0; degree <= 23; ++degree) {
    const double exact = degree % 2 ? 0.0 : 2.0 / (degree + 1);  // integral of x^d over [-1, 1]
    double s12 = 0;
    for (std::size_t j = 0; j < 12; ++j) s12 += g12.weight[j] * std::pow(g12.node[j], degree);
    EXPECT_NEAR(s12, exact, 4e-15) << "degree " << degree;
    if (degree <= 15) {
      double s8 = 0;
      for (std::size_t j = 0; j < 8; ++j) s8 += g8.weight[j] * std::pow(g8.node[j], degree);
      EXPECT_NEAR(s8, exact, 4e-15) << "degree " << degree;
    }
  }
  // Published 8-point node (Abramowitz & Stegun 25.4.30): 0.960289856497536.
  EXPECT_NEAR(g8.node[7], 0.960289856497536, 1e-15);
}

// A segment without drug: every term closed form. ln V = x0 + (rho - d0) t - d0 a t^2/2 - kN
// [N_tgt t + (N0 - N_tgt)(1 - e^{-dN t})/dN].
TEST(MechQuadrature, ClosedFormWithoutDrug) {
  KineticsCoefficients c;
  QuadratureKinetics q;
  q.reset(c, 5, 0.9, std::log(1e4), std::log(0.1), 100, 0.1);
  q.set_nk_target(200);
  q.advance(10);
  const double t = 10;
  const double loss =
      c.d0 * (t + c.recovery * t * t / 2) + c.kill * (200 * t + (100 - 200) * (1 - std::exp(-0.1 * t)) / 0.1);
  EXPECT_NEAR(q.ln_v_sensitive(), std::log(1e4) + c.rho_s * t - loss, 1e-12);
  EXPECT_NEAR(q.ln_v_resistant(), std::log(0.1) + c.rho_r * t - loss, 1e-12);
}

// A course replayed on the quadrature and on Boost.Odeint at 1e-13, with the dosing of the
// patient model (no adverse-event holds) and visits at 7 k + U(-1, 1) to day 84, followed to day
// 84 even after the true load falls below the LLOQ (so ln V reaches far below anything a trial
// observes). The right-hand side for Odeint comes from a ViralKinetics that follows the same
// events (it depends on t only; that object's own state is not used).
struct CourseErrors {
  std::vector<double> all;  // |error| of ln V, ln V_S and ln V_R at every visit
  double worst = 0, worst_ln_v = 0, worst_day = 0;
  long segments = 0, nodes = 0;
  void add(double error, double ln_v, double day) {
    all.push_back(error);
    if (error > worst) worst = error, worst_ln_v = ln_v, worst_day = day;
  }
};

void compare_course(const MechanisticPatient::KineticsSetup& s, std::mt19937_64& rng, CourseErrors& out) {
  QuadratureKinetics quad;
  ViralKinetics events;
  quad.reset(s.coef, s.k_per_day, s.ke0_per_day, s.ln_vs0, s.ln_vr0, s.nk0, s.nk_turnover_per_day);
  events.reset(s.coef, s.k_per_day, s.ke0_per_day, s.ln_vs0, s.ln_vr0, s.nk0, s.nk_turnover_per_day, 1e-3);
  quad.set_nk_target(s.nk_target);
  events.set_nk_target(s.nk_target);
  namespace ode = boost::numeric::odeint;
  using S = ViralKinetics::State;
  S y{s.ln_vs0, s.ln_vr0};
  auto system = [&](const S& x, S& dx, double t) { events.rhs(x, dx, t); };
  auto to = [&](double t) {
    ode::integrate_adaptive(ode::make_controlled<ode::runge_kutta_dopri5<S>>(1e-13, 1e-13), system, y, events.time(), t,
                            1e-3);
    events.advance(t);
    quad.advance(t);
  };
  std::uniform_real_distribution<double> jitter(-1, 1);
  std::vector<double> visits;
  for (int k = 1; k * 7 <= 84; ++k) visits.push_back(7 * k + jitter(rng));
  std::size_t next = 0;
  for (double dose = 0; next < visits.size(); dose += s.interval_days) {
    const double boundaries[2] = {dose, dose + s.infusion_days};
    for (int e = 0; e < 2 && next < visits.size(); ++e) {
      while (next < visits.size() && visits[next] <= boundaries[e]) {
        to(visits[next++]);
        const double t = quad.time();
        out.add(std::fabs(quad.ln_v_total() - ViralKinetics::log_add(y[0], y[1])), quad.ln_v_total(), t);
        out.add(std::fabs(quad.ln_v_sensitive() - y[0]), y[0], t);
        out.add(std::fabs(quad.ln_v_resistant() - y[1]), y[1], t);
      }
      to(boundaries[e]);
      events.set_infusion_rate(e == 0 ? s.infusion_rate : 0);
      quad.set_infusion_rate(e == 0 ? s.infusion_rate : 0);
    }
  }
  out.segments += quad.segments();
  out.nodes += quad.nodes_evaluated();
}

TEST(MechQuadrature, AgreesWithBoostOdeintAt1e13OnSampledPatients) {
  const Scenario sc = testing::scenario_from_yaml("model: mechanistic\n");
  MechanisticPatient m(sc.mechanistic, sc.trial, sc.dropout);
  std::mt19937_64 rng(17);
  CourseErrors e;
  constexpr int kPerArm = 150;
  for (std::uint8_t arm = 0; arm < 2; ++arm) {
    for (std::uint64_t slot = 0; slot < kPerArm; ++slot) {
      PatientRecord r;
      r.arm = arm;
      m.simulate({17, 0, slot}, r, nullptr);
      compare_course(m.last_setup(), rng, e);
    }
  }
  std::printf(
      "[quadrature] %d patients (%d per arm), %zu values (ln V, ln V_S, ln V_R at 12 visits to day 84): "
      "|error| vs Odeint dopri5 1e-13 median %.1e, max %.1e (at ln V %.0f, day %.1f); %.1f nodes per segment\n",
      2 * kPerArm, kPerArm, e.all.size(), median_of(e.all), e.worst, e.worst_ln_v, e.worst_day,
      static_cast<double>(e.nodes) / static_cast<double>(e.segments));
  EXPECT_LT(e.worst, 1e-9);
}

// Extreme but accepted rates: the graded rule still resolves a plasma half-life of 6 minutes and
// a fast effect site, and a low EC50 (the integrand's steepest case).
TEST(MechQuadrature, AgreesWithBoostOdeintAtExtremeRates) {
  std::mt19937_64 rng(3);
  for (const double k : {0.5, 40.0, 170.0}) {
    for (const double ec50 : {0.05, 0.64, 20.0}) {
      MechanisticPatient::KineticsSetup s;
      s.coef.ec50_s = ec50;
      s.coef.ec50_r = 8 * ec50;
      s.k_per_day = k;
      s.ke0_per_day = k == 170.0 ? 20.0 : 0.92;
      s.ln_vs0 = std::log(5000.0);
      s.ln_vr0 = std::log(0.05);
      s.nk0 = 100;
      s.nk_turnover_per_day = 0.1;
      s.nk_target = 200;
      s.infusion_rate = 5.0 * 54 / 58 * 24;
      s.infusion_days = 1.0 / 24;
      s.interval_days = 1;
      CourseErrors e;
      compare_course(s, rng, e);
      std::printf("[quadrature] k %g, ke0 %g, EC50 %g: max |error| %.1e (at ln V %.0f)\n", k, s.ke0_per_day, ec50,
                  e.worst, e.worst_ln_v);
      EXPECT_LT(e.worst, 1e-8) << "k " << k << ", EC50 " << ec50;
    }
  }
}

// Continuous observation: without recovery, NK change or a resistant strain, under saturating
// drug (EC50 ~ 0) the load falls at exactly d0 + kN N0 = 0.7/d, so the crossing is closed form.
TEST(MechQuadrature, ContinuousObservationFindsTheExactCrossing) {
  KineticsCoefficients c;
  c.recovery = 0;
  c.ec50_s = c.ec50_r = 1e-12;
  QuadratureKinetics q;
  q.reset(c, 5, 0.9, std::log(1e4), -1e3, 100, 0.1);
  q.set_infusion_rate(1000);
  q.advance(1);
  const double ln_v1 = q.ln_v_total();
  const double crossing = q.advance(30, std::log(500.0));
  EXPECT_NEAR(crossing, 1 + (ln_v1 - std::log(500.0)) / 0.7, 1e-9);
  EXPECT_NEAR(q.ln_v_total(), std::log(500.0), 1e-9);
}

// A dip below the limit between two checks (a minimum of ln V inside a check interval) is found.
TEST(MechQuadrature, ContinuousObservationFindsACrossingInsideADip) {
  KineticsCoefficients c;
  c.recovery = 0;
  QuadratureKinetics q;
  // Daily dosing: ln V falls while Ce is high and rises late in the day. Start so that the first
  // day's minimum is just below the threshold, found without any sample below it.
  // A fast effect site (ke0 = 5/d) makes Ce, and so the drug effect, fade within the day.
  q.reset(c, 5.3, 5, std::log(1e4), -1e3, 100, 0.1);
  q.set_infusion_rate(100);
  q.advance(1.0 / 24);
  q.set_infusion_rate(0);
  double lowest = 1e300, when = 0;
  for (int i = 1; i <= 460; ++i) {
    const double t = 1.0 / 24 + i * (23.0 / 24) / 460;
    q.advance(t);
    if (q.ln_v_total() < lowest) lowest = q.ln_v_total(), when = t;
  }
  ASSERT_GT(when, 0.1);
  ASSERT_LT(when, 0.95);  // an interior minimum
  q.reset(c, 5.3, 5, std::log(1e4), -1e3, 100, 0.1);
  q.set_infusion_rate(100);
  q.advance(1.0 / 24);
  q.set_infusion_rate(0);
  const double crossing = q.advance(1, lowest + 1e-6);
  ASSERT_FALSE(std::isnan(crossing));
  EXPECT_LT(crossing, when);
  EXPECT_NEAR(q.ln_v_total(), lowest + 1e-6, 1e-9);
}

// The trial's own patients, both integrators, common random numbers: records (event, time)
// differ only where a visit's PCR result sits within the adaptive integrator's error of the
// LLOQ. For each differing patient, the trajectories of both show it: at the first visit whose
// call differs, the two true loads straddle the value the PCR's error needs.
TEST(MechQuadrature, SameVisitCallsAsTheAdaptiveIntegrator) {
  const Scenario quad_sc =
      testing::scenario_from_yaml("model: mechanistic\nmechanistic:\n  numerics:\n    integrator: quadrature\n");
  const Scenario adaptive_sc =
      testing::scenario_from_yaml("model: mechanistic\nmechanistic:\n  numerics:\n    integrator: adaptive\n");
  MechanisticPatient quad(quad_sc.mechanistic, quad_sc.trial, quad_sc.dropout);
  MechanisticPatient adaptive(adaptive_sc.mechanistic, adaptive_sc.trial, adaptive_sc.dropout);
  ASSERT_TRUE(quad.last_solver().uses_quadrature());
  ASSERT_FALSE(adaptive.last_solver().uses_quadrature());
  const double lloq = std::log10(quad_sc.mechanistic.assay.lloq_copies_per_ml);
  int differ = 0, explained = 0;
  double worst_gap = 0;
  constexpr int kPatients = 10000;
  for (int i = 0; i < kPatients; ++i) {
    PatientRecord a, b;
    a.arm = b.arm = static_cast<std::uint8_t>(i % 2);
    const PatientKey key{29, 0, static_cast<std::uint64_t>(i / 2)};
    quad.simulate(key, a, nullptr);
    adaptive.simulate(key, b, nullptr);
    if (a.event == b.event && a.time_days == b.time_days) continue;
    ++differ;
    Trajectory ta, tb;
    PatientRecord a2 = a, b2 = b;
    quad.simulate(key, a2, &ta);
    adaptive.simulate(key, b2, &tb);
    // Visit points carry an observed load (0 = negative); both trajectories share their times.
    for (std::size_t j = 0, k = 0; j < ta.size() && k < tb.size(); ++j, ++k) {
      while (j < ta.size() && std::isnan(ta[j].observed_viral_load)) ++j;
      while (k < tb.size() && std::isnan(tb[k].observed_viral_load)) ++k;
      if (j >= ta.size() || k >= tb.size()) break;
      const bool neg_a = ta[j].observed_viral_load == 0, neg_b = tb[k].observed_viral_load == 0;
      if (neg_a == neg_b) continue;
      // The positive side's observed value gives the PCR error z: log10 y = log10 V + 0.15 z.
      const auto& pos = neg_a ? tb[k] : ta[j];
      const auto& neg = neg_a ? ta[j] : tb[k];
      const double noise = std::log10(pos.observed_viral_load) - std::log10(pos.viral_load);
      const double margin = std::log10(pos.observed_viral_load) - lloq;  // >= 0
      const double gap = std::log10(pos.viral_load) - std::log10(neg.viral_load);
      worst_gap = std::max(worst_gap, std::fabs(gap));
      if (margin >= 0 && std::log10(neg.viral_load) + noise < lloq && margin <= gap) ++explained;
      break;
    }
  }
  std::printf(
      "[quadrature] %d trial patients: %d records differ from the adaptive integrator at rtol 1e-6, %d of them "
      "explained (the PCR value within the adaptive integrator's error of the LLOQ; largest log10 gap %.1e)\n",
      kPatients, differ, explained, worst_gap);
  EXPECT_EQ(explained, differ);
  EXPECT_LE(differ, 10);  // 1 in 1,000: the adaptive error (~1e-3 in ln V) against a PCR SD of 0.35
}

}  // namespace
}  // namespace vtrial
