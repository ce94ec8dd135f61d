#include "engine/power_summary.hpp"

#include <algorithm>
#include <cmath>

#include "engine/stats/binomial_interval.hpp"

namespace vtrial {

EndpointPower power_from_rejections(const std::string& name, std::uint64_t rejections, std::uint64_t trials) {
  EndpointPower e;
  e.name = name;
  e.rejections = rejections;
  e.trials = trials;
  e.power = trials > 0 ? static_cast<double>(rejections) / static_cast<double>(trials) : 0.0;
  e.mc_se = trials > 0 ? std::sqrt(e.power * (1 - e.power) / static_cast<double>(trials)) : 0.0;
  const Interval ci = wilson_interval(rejections, trials, 0.95);
  e.ci_low = ci.low;
  e.ci_high = ci.high;
  e.effective_trials = static_cast<double>(trials);
  e.prior_power = e.power;
  e.prior_mc_se = e.mc_se;
  return e;
}

PowerTally::PowerTally(const std::vector<ColumnSpec>& columns, std::vector<std::string> endpoints,
                       const std::string& weight)
    : endpoints_(std::move(endpoints)), rejections_(endpoints_.size(), 0) {
  for (const auto& name : endpoints_) columns_.push_back(column_index(columns, name + "_reject"));
  if (!weight.empty()) {
    weight_ = column_index(columns, weight);
    wr_.assign(endpoints_.size(), 0);
    w2r_.assign(endpoints_.size(), 0);
  }
}

void PowerTally::add(const ResultTable& block, std::size_t rows) {
  for (std::size_t e = 0; e < endpoints_.size(); ++e) {
    const auto& column = block.column(columns_[e]);
    for (std::size_t i = 0; i < rows; ++i) rejections_[e] += column[i] != 0 ? 1 : 0;
    if (weight_) {
      const auto& w = block.column(*weight_);
      for (std::size_t i = 0; i < rows; ++i)
        if (column[i] != 0) wr_[e] += w[i], w2r_[e] += w[i] * w[i];
    }
  }
  if (weight_) {
    const auto& w = block.column(*weight_);
    for (std::size_t i = 0; i < rows; ++i) w_ += w[i], w2_ += w[i] * w[i];
  }
  trials_ += rows;
}

std::vector<EndpointPower> PowerTally::result() const {
  std::vector<EndpointPower> out;
  for (std::size_t e = 0; e < endpoints_.size(); ++e)
    out.push_back(power_from_rejections(endpoints_[e], rejections_[e], trials_));
  if (!weight_) return out;
  const double ess = w2_ > 0 ? w_ * w_ / w2_ : 0;
  for (std::size_t e = 0; e < out.size(); ++e) {
    EndpointPower& p = out[e];
    p.effective_trials = ess;
    if (!(w_ > 0)) {
      p.power = p.mc_se = p.ci_low = p.ci_high = std::nan("");
      continue;
    }
    // Self-normalized importance sampling: p = sum w R / sum w, and
    // se^2 = sum w^2 (R - p)^2 / (sum w)^2 = (sum w^2 R (1 - 2p) + p^2 sum w^2) / (sum w)^2 for 0/1 R.
    p.power = wr_[e] / w_;
    p.mc_se = std::sqrt(std::max(0.0, w2r_[e] * (1 - 2 * p.power) + p.power * p.power * w2_)) / w_;
    const Interval ci = wilson_interval_of_rate(p.power, ess);
    p.ci_low = ci.low;
    p.ci_high = ci.high;
  }
  return out;
}

std::vector<EndpointPower> summarize_power(const ResultTable& trials, const std::vector<std::string>& endpoints,
                                           const std::string& weight) {
  PowerTally tally(trials.specs(), endpoints, weight);
  tally.add(trials, trials.rows());
  return tally.result();
}

}  // namespace vtrial
