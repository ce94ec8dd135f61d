#include "engine/stats/multiplicity.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace vtrial {

void holm_adjust(std::span<const double> p, std::span<double> adjusted, HolmWorkspace& workspace) {
  if (adjusted.size() != p.size()) throw std::invalid_argument("holm_adjust: output size differs from input");
  auto& order = workspace.order;
  order.resize(p.size());
  std::iota(order.begin(), order.end(), 0u);
  // Index tie-break instead of std::stable_sort, which allocates a buffer on every call;
  // tied p-values get identical adjusted values either way.
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return p[a] < p[b] || (p[a] == p[b] && a < b); });
  // Walking in sorted order reads each p before its slot is overwritten, so aliasing is safe:
  // position order[i] is written only at step i, after p[order[i]] was read.
  const double m = static_cast<double>(p.size());
  double running_max = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    running_max = std::max(running_max, (m - static_cast<double>(i)) * p[order[i]]);
    adjusted[order[i]] = std::min(1.0, running_max);
  }
}

void holm_adjust(std::span<const double> p, std::span<double> adjusted) {
  HolmWorkspace workspace;
  holm_adjust(p, adjusted, workspace);
}

void bonferroni_adjust(std::span<const double> p, std::span<double> adjusted) {
  if (adjusted.size() != p.size()) throw std::invalid_argument("bonferroni_adjust: output size differs from input");
  const double m = static_cast<double>(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) adjusted[i] = std::min(1.0, m * p[i]);
}

std::size_t fixed_sequence_rejections(std::span<const double> p_in_order, double alpha) {
  std::size_t k = 0;
  while (k < p_in_order.size() && p_in_order[k] <= alpha) ++k;
  return k;
}

void fixed_sequence_adjust(std::span<const double> p_in_order, std::span<double> adjusted) {
  if (adjusted.size() != p_in_order.size())
    throw std::invalid_argument("fixed_sequence_adjust: output size differs from input");
  double running_max = 0;
  for (std::size_t i = 0; i < p_in_order.size(); ++i) {
    running_max = std::max(running_max, p_in_order[i]);
    adjusted[i] = running_max;
  }
}

}  // namespace vtrial
