#pragma once
// The tables a run with `uncertainty:` reports, built once for every face: the HDF5 writer
// puts each under its group, the Python module returns them as dicts of columns (so a run and
// read_result of its file give the same), the CLI renders them. Layout: docs/output.md.
//   uncertainty/priors       key, distribution, family, median, low, high
//   uncertainty/correlation  rho (row-major k x k), with correlations
//   uncertainty/conditional  key, endpoint, bin, low, high, trials, effective_trials, rejections,
//                            power, ci_low, ci_high
//   uncertainty/drivers      key, endpoint, share, mc_se
//   calibration/summary      method, trials, weight_sum, effective_trials
//   calibration/targets      name, statistic, source, day, value, sd, patients, prior_mean,
//                            posterior_mean, missing
//   calibration/posterior    key, prior_mean, prior_sd, posterior_mean, posterior_sd,
//                            prior_q2.5 .. prior_q97.5, posterior_q2.5 .. posterior_q97.5
#include <string>
#include <utility>
#include <vector>

#include "app/trial_plan.hpp"
#include "app/uncertainty_tally.hpp"
#include "engine/result_table.hpp"

namespace vtrial {

struct ResultGroup {
  std::string path;
  std::vector<std::pair<std::string, std::vector<std::string>>> strings;  // text columns
  ResultTable table;                                                      // numeric columns
};

// Empty without `uncertainty:`.
std::vector<ResultGroup> uncertainty_groups(const TrialPlan& plan, const UncertaintyResult& uncertainty);

}  // namespace vtrial
