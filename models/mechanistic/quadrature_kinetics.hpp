#pragma once
// ln V_S and ln V_R of the log-linear model (viral_kinetics.hpp) as the integrals they are.
// The right-hand side depends on t alone, so on a dosing segment starting at t0 with state x0,
//
//   ln V_k(t0 + tau) = x0_k + rho_k tau - Loss(tau) - rho_k Emax I_k(tau),
//   Loss(tau) = d0 [tau + a_rec (t0 tau + tau^2 / 2)] + kN [N_tgt tau + (N(t0) - N_tgt)(1 - e^{-dN tau}) / dN],
//   I_k(tau)  = integral_0^tau Ce(s) / (EC50_k + Ce(s)) ds,   Ce(s) = Cinf + A e^{-k s} + B e^{-ke0 s}.
//
// Loss is closed form. I_k has none (two exponentials inside a rational function) and is
// computed by composite Gauss-Legendre quadrature (gauss_legendre.hpp) on the segment, graded
// towards its start, where the fast plasma exponential and the rise of Ce from a low value
// live (docs/model.md, "Integration"). The nodes depend on the segment's length and the
// patient's k, ke0 only, and the segments repeat every dosing interval, so each rule, with
// e^{-k s_j} and e^{-ke0 s_j} at its nodes, is built once per patient and length (a small
// cache); a segment then costs one rational function per node, both strains sharing one
// division. Error: below 1e-13 in ln V per segment on the default population (the rule is
// tested against itself refined and against Boost.Odeint's dopri5 at 1e-13 over whole
// courses, tests/unit/test_mech_quadrature.cpp).
//
// The state between segment ends (a visit, a trajectory sample) is the partial integral: the
// rule's whole pieces before it plus one fresh piece. With continuous observation the time the
// total load falls below the LLOQ is found on the antiderivative itself (safeguarded Newton on
// ln(V_S + V_R), whose derivative is the right-hand side), not on an interpolant; a dip below
// it inside a segment is found through the minimum of ln V, located on the right-hand side.
// No allocation after construction.
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "models/mechanistic/ganciclovir_pk.hpp"
#include "models/mechanistic/nk_il2.hpp"
#include "models/mechanistic/viral_kinetics.hpp"

namespace vtrial {

class QuadratureKinetics {
 public:
  using State = ViralKinetics::State;

  void reset(const KineticsCoefficients& coef, double k_per_day, double ke0_per_day, double ln_vs0, double ln_vr0,
             double nk0, double nk_turnover_per_day);
  // Changes in the piecewise-constant inputs take effect at the current time (advance first).
  void set_infusion_rate(double rate_mg_per_l_per_day);
  void set_nk_target(double cells_per_ul);

  // Moves to t_target (at most to the end of the current segment, which the next input change
  // starts). If the total load falls below exp(stop_below_ln_v) on the way, stops there and
  // returns that time; otherwise returns NaN. Pass -infinity to never stop.
  double advance(double t_target, double stop_below_ln_v = -std::numeric_limits<double>::infinity());

  double time() const { return t_; }
  double ln_v_sensitive() const { return state()[0]; }
  double ln_v_resistant() const { return state()[1]; }
  double ln_v_total() const {
    const State& x = state();
    return ViralKinetics::log_add(x[0], x[1]);
  }
  double nk() const { return nk_.value(t_); }
  double gcv_concentration() const { return pk_.concentration(t_); }
  double gcv_effect_concentration() const { return pk_.effect_concentration(t_); }
  const KineticsCoefficients& coefficients() const { return coef_; }
  // Diagnostics for tests and benchmarks: segments integrated, rules built, quadrature nodes
  // evaluated (all since reset).
  long segments() const { return segments_; }
  long rules_built() const { return rules_built_; }
  long nodes_evaluated() const { return nodes_; }

  // Per-piece node counts and the grading (public for the tests that refine them).
  static constexpr std::size_t kFirstPieceNodes = 8, kPieceNodes = 12, kMaxPieces = 12;
  static constexpr std::size_t kMaxNodes = kFirstPieceNodes + (kMaxPieces - 1) * kPieceNodes;
  // A segment is one piece while its fastest rate times its length stays below this;
  // otherwise pieces end at L 4^-m, ..., L/16, L/4, L, the first one short enough.
  static constexpr double kShortPiece = 1.5;
  static constexpr double kGrading = 4;

 private:
  struct Rule {
    double length = -1;  // days; -1 = empty
    double k = 0, ke0 = 0, dn = 0;
    std::size_t pieces = 0, nodes = 0;                // nodes padded to a multiple of 4
    std::array<double, kMaxPieces + 1> boundary{};    // piece i is [boundary[i], boundary[i + 1]]
    std::array<std::size_t, kMaxPieces + 1> first{};  // its nodes are [first[i], first[i + 1])
    alignas(32) std::array<double, kMaxNodes> w{}, ek{}, ee{};
    double ek_end = 1, ee_end = 1;   // e^{-k L}, e^{-ke0 L}
    double en_end = 1, nk_gain = 0;  // e^{-dN L}, (1 - e^{-dN L}) / dN
    std::uint64_t used = 0;
  };

  const State& state() const;
  // ln V_S, ln V_R at segment offset tau (0 <= tau <= the segment's length), and e^{-k tau},
  // e^{-ke0 tau}, e^{-dN tau} there: with the whole `rule` (its length within kLengthMatch of
  // tau), or from the rule the segment's kind expects and a fresh piece, or a fresh rule.
  State whole(const Rule& rule, double tau, double& ek, double& ee, double& en) const;
  State partial(double tau, double& ek, double& ee, double& en) const;
  State combine(double tau, double is, double ir, double nk_gain) const;
  // The Emax integrals I_S, I_R (times Emax) over nodes [begin, end) of `rule`, added to is, ir.
  void emax_sums(const Rule& rule, std::size_t begin, std::size_t end, double& is, double& ir) const;
  // One piece [a, b] of `count` nodes into `rule` at node `at` (with_ee false: its e^{-ke0 s}
  // are already there).
  void fill_piece(Rule& rule, std::size_t at, std::size_t count, double a, double b, bool with_ee) const;
  void build(Rule& rule, double length) const;
  // The cached rule for a segment of this length and the patient's rates, built if none.
  const Rule& rule_for(double length);
  const Rule* cached(double length) const;
  const Rule* expected() const;
  // Ends the segment at t_: its state becomes the next one's start; e^{-k tau}, e^{-ke0 tau} at
  // its end, for the PK's next segment.
  void close_segment(double& ek, double& ee);

  // d ln(V_S + V_R)/dt at segment offset tau, given ln V_R - ln V_S and the exponentials there.
  double total_slope(double tau, double ratio, double ek, double ee, double en) const;
  double find_crossing(double t_target, double stop_below_ln_v);

  KineticsCoefficients coef_;
  GanciclovirPk pk_;
  NkDynamics nk_;
  double t_ = 0;
  // The segment: its start, the state there, and N's closed form factor there.
  double t0_ = 0;
  State x0_{};
  double en0_ = 1;  // e^{-dN (t0 - N's segment start)}
  bool infusing_ = false;
  double rate_ = 0;
  // The cache slot of the last rule a segment of each kind (0: no input, 1: infusing) ended
  // with: what a partial segment of that kind starts from. Slots, not pointers: clone() copies.
  std::array<int, 2> expected_{-1, -1};

  std::array<Rule, 4> cache_{};
  mutable Rule scratch_{};  // fresh pieces and rules for partial segments
  std::uint64_t clock_ = 0;
  mutable double state_t_ = std::numeric_limits<double>::quiet_NaN();
  mutable State state_{};
  long segments_ = 0, rules_built_ = 0;
  mutable long nodes_ = 0;
};

}  // namespace vtrial
