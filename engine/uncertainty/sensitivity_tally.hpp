#pragma once
// What drives success when inputs are uncertain, tallied block by block from per-trial rows:
// for each uncertain input, the success rate of each 0/1 outcome within bins of that input
// (conditional power), and the first-order variance share of the outcome it explains,
//   S = Var(E[Y | X binned]) / Var(Y)
// (a binned first-order sensitivity index; Saltelli et al. 2008, Global Sensitivity Analysis,
// ch. 4), with the between-bin variance corrected for the noise of the bin means, so an input
// that does nothing scores 0 on average rather than (bins - 1) / trials. Its Monte Carlo SE is
// a delete-a-group jackknife over 20 groups of trials (trial index mod 20), so it does not
// depend on how the trials were split over threads, shards or ranks. With importance weights
// (calibration) every count becomes a sum of weights and each bin's noise is that of its
// effective number of trials.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

struct SensitivityInput {
  std::string name;           // its /trials column
  std::vector<double> edges;  // bin b is [edges[b], edges[b + 1]); the last bin includes its upper edge
};

struct ConditionalPower {
  std::string input, outcome;
  std::size_t bin = 0;
  double low = 0, high = 0;
  std::uint64_t trials = 0, successes = 0;
  double effective_trials = 0;                // = trials without weights
  double power = 0, ci_low = 0, ci_high = 0;  // Wilson 95% (at the effective trials)
};

struct VarianceShare {
  std::string input, outcome;
  double share = 0;
  double mc_se = 0;
};

struct SensitivityResult {
  std::vector<ConditionalPower> conditional;  // input-major, then outcome, then bin
  std::vector<VarianceShare> shares;          // input-major, then outcome
};

class SensitivityTally {
 public:
  static constexpr std::size_t kGroups = 20;
  // `outcomes` are 0/1 columns of `columns` (as "<name>_reject"); `inputs` name real columns.
  SensitivityTally(const std::vector<ColumnSpec>& columns, std::vector<SensitivityInput> inputs,
                   std::vector<std::string> outcomes, const std::string& weight = "");
  // Rows [0, rows) of `block`, which are trials first, first + 1, ...
  void add(const ResultTable& block, std::size_t first, std::size_t rows);
  SensitivityResult result() const;

 private:
  std::vector<SensitivityInput> inputs_;
  std::vector<std::string> outcomes_;
  std::vector<std::size_t> input_columns_, outcome_columns_;
  std::optional<std::size_t> weight_column_;
  // [input][bin][group] trials, sum w, sum w^2, and [input][bin][group][outcome] successes and
  // sum w R, flattened.
  std::vector<std::uint64_t> trials_, successes_;
  std::vector<double> weight_, weight2_, weighted_successes_;
  std::size_t bins_ = 0;
  std::size_t index(std::size_t input, std::size_t bin, std::size_t group) const;
};

}  // namespace vtrial
