#include "engine/uncertainty/sensitivity_tally.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/stats/binomial_interval.hpp"

namespace vtrial {
namespace {

std::size_t column_of(const std::vector<ColumnSpec>& columns, const std::string& name) {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].name == name) return c;
  throw std::logic_error("no column " + name);
}

// The binned share from per-bin sums of weights (n), of squared weights (n2) and of weighted
// successes (s): the between-bin variance of the rates, less the expected contribution of their
// sampling noise (each bin's p(1 - p) / (effective n - 1)), over the outcome's variance.
// Unweighted, n2 = n and the effective n of a bin is its count.
double share_of(const std::vector<double>& n, const std::vector<double>& n2, const std::vector<double>& s) {
  double total = 0, hits = 0;
  for (std::size_t b = 0; b < n.size(); ++b) total += n[b], hits += s[b];
  if (!(total > 0)) return std::nan("");
  const double p = hits / total;
  const double variance = p * (1 - p);
  if (variance <= 0) return 0;
  double between = 0, noise = 0;
  for (std::size_t b = 0; b < n.size(); ++b) {
    const double effective = n2[b] > 0 ? n[b] * n[b] / n2[b] : 0;
    if (effective < 2) continue;
    const double pb = s[b] / n[b];
    between += n[b] / total * (pb - p) * (pb - p);
    noise += n[b] / total * pb * (1 - pb) / (effective - 1);
  }
  return (between - noise) / variance;
}

}  // namespace

SensitivityTally::SensitivityTally(const std::vector<ColumnSpec>& columns, std::vector<SensitivityInput> inputs,
                                   std::vector<std::string> outcomes, const std::string& weight)
    : inputs_(std::move(inputs)), outcomes_(std::move(outcomes)) {
  if (!weight.empty()) weight_column_ = column_of(columns, weight);
  for (const auto& in : inputs_) {
    input_columns_.push_back(column_of(columns, in.name));
    bins_ = std::max(bins_, in.edges.size() - 1);
  }
  for (const auto& o : outcomes_) outcome_columns_.push_back(column_of(columns, o + "_reject"));
  trials_.assign(inputs_.size() * bins_ * kGroups, 0);
  weight_.assign(trials_.size(), 0);
  weight2_.assign(trials_.size(), 0);
  successes_.assign(trials_.size() * outcomes_.size(), 0);
  weighted_successes_.assign(successes_.size(), 0);
}

std::size_t SensitivityTally::index(std::size_t input, std::size_t bin, std::size_t group) const {
  return (input * bins_ + bin) * kGroups + group;
}

void SensitivityTally::add(const ResultTable& block, std::size_t first, std::size_t rows) {
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    const auto& edges = inputs_[i].edges;
    const auto x = block.column(input_columns_[i]);
    for (std::size_t r = 0; r < rows; ++r) {
      // upper_bound: a value on an inner edge belongs to the bin above it; the top edge closes the last.
      const auto at = std::upper_bound(edges.begin() + 1, edges.end() - 1, x[r]) - (edges.begin() + 1);
      const std::size_t k = index(i, static_cast<std::size_t>(at), (first + r) % kGroups);
      const double w = weight_column_ ? block.column(*weight_column_)[r] : 1.0;
      ++trials_[k];
      weight_[k] += w;
      weight2_[k] += w * w;
      for (std::size_t o = 0; o < outcomes_.size(); ++o) {
        const bool hit = block.column(outcome_columns_[o])[r] != 0;
        successes_[k * outcomes_.size() + o] += hit ? 1 : 0;
        weighted_successes_[k * outcomes_.size() + o] += hit ? w : 0.0;
      }
    }
  }
}

SensitivityResult SensitivityTally::result() const {
  SensitivityResult out;
  const std::size_t m = outcomes_.size();
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    const std::size_t bins = inputs_[i].edges.size() - 1;
    for (std::size_t o = 0; o < m; ++o) {
      // [group][bin] sums, for the full estimate and the jackknife.
      std::vector<double> n_all(bins, 0), n2_all(bins, 0), s_all(bins, 0);
      std::vector<std::uint64_t> count(bins, 0), hits(bins, 0);
      std::vector<std::vector<double>> n_g(kGroups, std::vector<double>(bins)), n2_g = n_g, s_g = n_g;
      for (std::size_t b = 0; b < bins; ++b)
        for (std::size_t g = 0; g < kGroups; ++g) {
          const std::size_t k = index(i, b, g);
          n_g[g][b] = weight_[k];
          n2_g[g][b] = weight2_[k];
          s_g[g][b] = weighted_successes_[k * m + o];
          n_all[b] += n_g[g][b];
          n2_all[b] += n2_g[g][b];
          s_all[b] += s_g[g][b];
          count[b] += trials_[k];
          hits[b] += successes_[k * m + o];
        }
      for (std::size_t b = 0; b < bins; ++b) {
        ConditionalPower c;
        c.input = inputs_[i].name;
        c.outcome = outcomes_[o];
        c.bin = b;
        c.low = inputs_[i].edges[b];
        c.high = inputs_[i].edges[b + 1];
        c.trials = count[b];
        c.successes = hits[b];
        c.effective_trials = n2_all[b] > 0 ? n_all[b] * n_all[b] / n2_all[b] : 0;
        c.power = n_all[b] > 0 ? s_all[b] / n_all[b] : std::nan("");
        // Unweighted, exactly the integer Wilson interval (p = x / n).
        const auto ci = weight_column_ ? wilson_interval_of_rate(c.power, c.effective_trials)
                                       : wilson_interval(c.successes, c.trials);
        c.ci_low = ci.low;
        c.ci_high = ci.high;
        out.conditional.push_back(c);
      }
      VarianceShare v;
      v.input = inputs_[i].name;
      v.outcome = outcomes_[o];
      v.share = share_of(n_all, n2_all, s_all);
      double mean = 0;
      std::vector<double> leave(kGroups);
      for (std::size_t g = 0; g < kGroups; ++g) {
        std::vector<double> n = n_all, n2 = n2_all, s = s_all;
        for (std::size_t b = 0; b < bins; ++b) n[b] -= n_g[g][b], n2[b] -= n2_g[g][b], s[b] -= s_g[g][b];
        leave[g] = share_of(n, n2, s);
        mean += leave[g] / kGroups;
      }
      double sum = 0;
      for (double l : leave) sum += (l - mean) * (l - mean);
      v.mc_se = std::sqrt((kGroups - 1.0) / kGroups * sum);
      out.shares.push_back(v);
    }
  }
  return out;
}

}  // namespace vtrial
