#pragma once
// A sweep's figures tallied block by block from each block's per-sample-size tables (the same
// trials analysed at every N), so a sweep needs one block in memory, not every trial at every
// N: power per N (PowerTally), the design summary per N (DesignTally), and per pair of adjacent
// N the sums of the paired differences of each result's 0/1 rejections.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "app/design_summary.hpp"
#include "app/sample_size.hpp"
#include "app/trial_plan.hpp"
#include "engine/power_summary.hpp"
#include "engine/result_table.hpp"

namespace vtrial {

class SweepTally {
 public:
  // `sample_sizes` ascending; `plan` must outlive the tally.
  SweepTally(const TrialPlan& plan, std::vector<std::int64_t> sample_sizes);
  // tables[i] holds rows [0, rows) of sample size i: the same trials in every table, in trial order.
  void add(const std::vector<ResultTable>& tables, std::size_t rows);
  SweepResult result() const;

 private:
  // Sums over trials of d = R(N) - R(previous N) (and with importance weights w: of w, w^2,
  // w d, w^2 d, w^2 d^2), in trial order.
  struct Paired {
    double sum = 0, sum_sq = 0;
    double w = 0, w2 = 0, wd = 0, w2d = 0, w2d2 = 0;
  };
  const TrialPlan* plan_;
  std::vector<std::int64_t> sizes_;
  std::vector<PowerTally> power_;
  std::vector<DesignTally> design_;
  std::vector<std::vector<Paired>> paired_;  // [size i > 0][endpoint]
  std::vector<std::size_t> reject_;          // column of each endpoint's _reject
  std::optional<std::size_t> weight_;
  std::size_t rows_ = 0;
};

}  // namespace vtrial
