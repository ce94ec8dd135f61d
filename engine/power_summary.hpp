#pragma once
// Power is an estimate: the share of simulated trials that reject, with its Monte Carlo
// standard error sqrt(p(1-p)/n) and a 95% Wilson interval (which, unlike the Wald interval,
// stays inside [0, 1] and keeps its coverage at power near 0 or 1).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

struct EndpointPower {
  std::string name;
  // What the value is (filled from the trial's result schema; empty when tallied bare).
  std::string kind, endpoint, comparison, test, outcome, estimate;
  std::uint64_t rejections = 0;
  std::uint64_t trials = 0;
  double power = 0;
  double mc_se = 0;
  double ci_low = 0;
  double ci_high = 0;
  // The same value's rejections in the same trials under the null (its type-I error), when the
  // run simulated them (trials == 0 otherwise).
  struct Null {
    std::uint64_t rejections = 0, trials = 0;
    double power = 0, mc_se = 0, ci_low = 0, ci_high = 0;
  } type1;
  // With importance weights (calibration to published data): `power` is the weighted rejection
  // rate, its MC SE that of a self-normalized importance-sampling estimate, its CI Wilson's at
  // the effective number of trials (Kish: (sum w)^2 / sum w^2); prior_power is the unweighted
  // rate. Without weights effective_trials = trials and prior_power = power.
  double effective_trials = 0;
  double prior_power = 0;
  double prior_mc_se = 0;
};

EndpointPower power_from_rejections(const std::string& name, std::uint64_t rejections, std::uint64_t trials);

// Counts rejections block by block (the 0/1 column `<endpoint>_reject` of each endpoint), so a
// run's power needs no more than the block in memory.
class PowerTally {
 public:
  // `weight`: the name of a column of non-negative importance weights, or "" for none.
  PowerTally(const std::vector<ColumnSpec>& columns, std::vector<std::string> endpoints,
             const std::string& weight = "");
  // Rows [0, rows) of `block` (which has the columns given to the constructor).
  void add(const ResultTable& block, std::size_t rows);
  std::vector<EndpointPower> result() const;

 private:
  std::vector<std::string> endpoints_;
  std::vector<std::size_t> columns_;
  std::vector<std::uint64_t> rejections_;
  std::uint64_t trials_ = 0;
  // Weighted: the weight column, sum w, sum w^2, and per endpoint sum w R and sum w^2 R.
  std::optional<std::size_t> weight_;
  double w_ = 0, w2_ = 0;
  std::vector<double> wr_, w2r_;
};

// The same on a whole table.
std::vector<EndpointPower> summarize_power(const ResultTable& trials, const std::vector<std::string>& endpoints,
                                           const std::string& weight = "");

}  // namespace vtrial
