#pragma once
// Multiplicity adjustment for the protocol's families of hypotheses.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vtrial {

struct HolmWorkspace {
  std::vector<std::uint32_t> order;
};

// Holm step-down adjusted p-values, as R's p.adjust(p, "holm"): with p sorted ascending,
// adj_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)), returned in the input order. Reject H_i
// at family-wise level alpha iff adjusted[i] <= alpha. `adjusted` must have p's size and
// may alias p.
void holm_adjust(std::span<const double> p, std::span<double> adjusted, HolmWorkspace& workspace);
void holm_adjust(std::span<const double> p, std::span<double> adjusted);

// Bonferroni adjusted p-values, as R's p.adjust(p, "bonferroni"): adj_i = min(1, m p_i). May
// alias p.
void bonferroni_adjust(std::span<const double> p, std::span<double> adjusted);

// Fixed-sequence (hierarchical) testing of hypotheses in their pre-specified order: each
// is tested at the full alpha only if all before it were rejected. Returns how many of the
// leading hypotheses are rejected (H_0 .. H_{k-1}); hypotheses after the first failure are
// not rejected whatever their p-value.
std::size_t fixed_sequence_rejections(std::span<const double> p_in_order, double alpha);

// Adjusted p-values of the fixed sequence, adj_i = max_{j <= i} p_j, so that
// adjusted[i] <= alpha iff H_i is rejected by fixed_sequence_rejections. May alias p.
void fixed_sequence_adjust(std::span<const double> p_in_order, std::span<double> adjusted);

}  // namespace vtrial
