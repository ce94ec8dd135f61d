#pragma once
// The multiplicity family: hypotheses H(e, c) for the family's endpoints e (the primary, then
// the key secondaries, in order) and the primary's comparisons c. Two steps, per trial:
//  1. across comparisons, for each endpoint: p'(e, .) = Holm or Bonferroni of p(e, .)
//     (nothing to do with one comparison);
//  2. within each comparison, across endpoints: q(., c) = fixed sequence or Holm of p'(., c).
// H(e, c) is rejected when q(e, c) < alpha. With Bonferroni in step 1 each comparison's family
// is tested at alpha / m, so the family-wise error over the whole grid is at most alpha (a union
// bound) for any dependence. Holm in step 1 controls it for the primary endpoint across arms
// (Holm's own guarantee); for key secondaries after Holm, the combination is the usual
// pragmatic choice but not a closed testing procedure: use Bonferroni where strong control of
// every secondary across arms is required.
#include <cstddef>
#include <span>
#include <vector>

#include "engine/stats/multiplicity.hpp"

namespace vtrial {

enum class EndpointMultiplicity { fixed_sequence, holm };
enum class ComparisonMultiplicity { holm, bonferroni };

struct FamilySpec {
  std::vector<std::size_t> endpoints;  // indices of the computed endpoints: primary first
  EndpointMultiplicity across_endpoints = EndpointMultiplicity::fixed_sequence;
  ComparisonMultiplicity across_comparisons = ComparisonMultiplicity::holm;
};

struct FamilyWorkspace {
  std::vector<double> column, adjusted;
  HolmWorkspace holm;
};

// The two steps on grid[f * comparisons + c] = p(e_f, c), in place: q(e_f, c) on return. A NaN
// p-value (a test that could not be computed) counts as 1: it rejects nothing.
void adjust_family(std::span<double> grid, std::size_t comparisons, const FamilySpec& family,
                   FamilyWorkspace& workspace);

}  // namespace vtrial
