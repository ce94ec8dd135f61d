#include "engine/uncertainty/posterior_tally.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vtrial {
namespace {

WeightedSummary summarize(std::vector<std::pair<double, double>> xw) {
  WeightedSummary s;
  double total = 0;
  for (const auto& [x, w] : xw) total += w;
  if (xw.empty() || !(total > 0)) {
    s.mean = s.sd = std::nan("");
    s.quantiles.fill(std::nan(""));
    return s;
  }
  double mean = 0;
  for (const auto& [x, w] : xw) mean += w / total * x;
  double var = 0;
  for (const auto& [x, w] : xw) var += w / total * (x - mean) * (x - mean);
  s.mean = mean;
  s.sd = std::sqrt(var);
  std::sort(xw.begin(), xw.end());
  std::vector<double> x(xw.size()), w(xw.size());
  for (std::size_t i = 0; i < xw.size(); ++i) x[i] = xw[i].first, w[i] = xw[i].second;
  for (std::size_t q = 0; q < kPosteriorLevels.size(); ++q)
    s.quantiles[q] = weighted_quantile(x, w, kPosteriorLevels[q]);
  return s;
}

}  // namespace

double weighted_quantile(const std::vector<double>& sorted_values, const std::vector<double>& weights, double level) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (sorted_values.empty() || !(total > 0)) return std::nan("");
  double cumulative = 0;
  for (std::size_t i = 0; i < sorted_values.size(); ++i) {
    cumulative += weights[i];
    if (cumulative >= level * total) return sorted_values[i];
  }
  return sorted_values.back();
}

PosteriorTally::PosteriorTally(const std::vector<ColumnSpec>& columns, std::vector<std::string> names,
                               const std::string& weight)
    : names_(std::move(names)), weight_column_(column_index(columns, weight)), values_(names_.size()) {
  for (const auto& n : names_) columns_.push_back(column_index(columns, n));
}

void PosteriorTally::add(const ResultTable& block, std::size_t rows) {
  const auto& w = block.column(weight_column_);
  weights_.insert(weights_.end(), w.begin(), w.begin() + static_cast<std::ptrdiff_t>(rows));
  for (std::size_t v = 0; v < names_.size(); ++v) {
    const auto& c = block.column(columns_[v]);
    values_[v].insert(values_[v].end(), c.begin(), c.begin() + static_cast<std::ptrdiff_t>(rows));
  }
}

PosteriorResult PosteriorTally::result() const {
  PosteriorResult r;
  r.trials = weights_.size();
  double w2 = 0;
  for (double w : weights_) r.weight_sum += w, w2 += w * w;
  r.effective_trials = w2 > 0 ? r.weight_sum * r.weight_sum / w2 : 0;
  for (std::size_t v = 0; v < names_.size(); ++v) {
    ValueSummary s;
    s.name = names_[v];
    std::vector<std::pair<double, double>> prior, posterior;
    for (std::size_t t = 0; t < weights_.size(); ++t) {
      const double x = values_[v][t];
      if (std::isnan(x)) {
        ++s.missing;
        continue;
      }
      prior.emplace_back(x, 1.0);
      posterior.emplace_back(x, weights_[t]);
    }
    s.prior = summarize(std::move(prior));
    s.posterior = summarize(std::move(posterior));
    r.values.push_back(std::move(s));
  }
  return r;
}

}  // namespace vtrial
