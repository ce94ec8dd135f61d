#include "design/family.hpp"

#include <algorithm>
#include <cmath>

namespace vtrial {

void adjust_family(std::span<double> grid, std::size_t comparisons, const FamilySpec& family, FamilyWorkspace& ws) {
  const std::size_t m = comparisons, endpoints = family.endpoints.size();
  for (double& p : grid)
    if (std::isnan(p)) p = 1.0;
  if (m > 1)
    for (std::size_t f = 0; f < endpoints; ++f) {
      const std::span<double> p = grid.subspan(f * m, m);
      if (family.across_comparisons == ComparisonMultiplicity::holm)
        holm_adjust(p, p, ws.holm);
      else
        bonferroni_adjust(p, p);
    }
  ws.column.resize(endpoints);
  ws.adjusted.resize(endpoints);
  for (std::size_t c = 0; c < m; ++c) {
    for (std::size_t f = 0; f < endpoints; ++f) ws.column[f] = grid[f * m + c];
    if (family.across_endpoints == EndpointMultiplicity::holm)
      holm_adjust(ws.column, ws.adjusted, ws.holm);
    else
      fixed_sequence_adjust(ws.column, ws.adjusted);
    for (std::size_t f = 0; f < endpoints; ++f) grid[f * m + c] = ws.adjusted[f];
  }
}

}  // namespace vtrial
