#pragma once
// What a run with `uncertainty:` reports beside its assurance, tallied from the /trials rows
// block by block: conditional power and variance shares per prior (weighted by the
// calibration's importance weights when there are any), and with `calibration:` the prior and
// posterior summaries of every drawn key and simulated calibration statistic.
#include <cstddef>
#include <optional>

#include "app/trial_plan.hpp"
#include "engine/uncertainty/posterior_tally.hpp"
#include "engine/uncertainty/sensitivity_tally.hpp"

namespace vtrial {

struct UncertaintyResult {
  SensitivityResult sensitivity;
  std::optional<PosteriorResult> posterior;  // with `calibration:`
};

class UncertaintyTally {
 public:
  explicit UncertaintyTally(const TrialPlan& plan);
  // Rows [0, rows) of `block`: trials first, first + 1, ...
  void add(const ResultTable& block, std::size_t first, std::size_t rows);
  UncertaintyResult result() const;

 private:
  SensitivityTally sensitivity_;
  std::optional<PosteriorTally> posterior_;
};

// Null without `uncertainty:`.
std::optional<UncertaintyTally> uncertainty_tally(const TrialPlan& plan);

}  // namespace vtrial
