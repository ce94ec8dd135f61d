#pragma once
// Summaries of per-trial values (drawn parameters, simulated calibration statistics) under the
// prior (every trial counts once) and under the posterior (each trial weighted by its
// importance weight), block by block. Quantiles need every value, so the tally keeps them:
// 8 bytes per value and trial.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

inline constexpr std::array<double, 7> kPosteriorLevels{0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

struct WeightedSummary {
  double mean = 0, sd = 0;
  std::array<double, kPosteriorLevels.size()> quantiles{};
};

struct ValueSummary {
  std::string name;
  WeightedSummary prior, posterior;
  std::size_t missing = 0;  // NaN values (e.g. a median not reached), left out of both
};

struct PosteriorResult {
  std::size_t trials = 0;
  double weight_sum = 0;
  double effective_trials = 0;  // Kish: (sum w)^2 / sum w^2
  std::vector<ValueSummary> values;
};

// The weighted quantile at `level`: the smallest value whose cumulative normalized weight
// reaches it (values sorted ascending, weights non-negative).
double weighted_quantile(const std::vector<double>& sorted_values, const std::vector<double>& weights, double level);

class PosteriorTally {
 public:
  PosteriorTally(const std::vector<ColumnSpec>& columns, std::vector<std::string> names, const std::string& weight);
  void add(const ResultTable& block, std::size_t rows);
  PosteriorResult result() const;

 private:
  std::vector<std::string> names_;
  std::vector<std::size_t> columns_;
  std::size_t weight_column_;
  std::vector<std::vector<double>> values_;
  std::vector<double> weights_;
};

}  // namespace vtrial
