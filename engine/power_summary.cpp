#include "engine/power_summary.hpp"

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
  return e;
}

PowerTally::PowerTally(const std::vector<ColumnSpec>& columns, std::vector<std::string> endpoints)
    : endpoints_(std::move(endpoints)), rejections_(endpoints_.size(), 0) {
  for (const auto& name : endpoints_) columns_.push_back(column_index(columns, name + "_reject"));
}

void PowerTally::add(const ResultTable& block, std::size_t rows) {
  for (std::size_t e = 0; e < endpoints_.size(); ++e) {
    const auto& column = block.column(columns_[e]);
    for (std::size_t i = 0; i < rows; ++i) rejections_[e] += column[i] != 0 ? 1 : 0;
  }
  trials_ += rows;
}

std::vector<EndpointPower> PowerTally::result() const {
  std::vector<EndpointPower> out;
  for (std::size_t e = 0; e < endpoints_.size(); ++e)
    out.push_back(power_from_rejections(endpoints_[e], rejections_[e], trials_));
  return out;
}

std::vector<EndpointPower> summarize_power(const ResultTable& trials, const std::vector<std::string>& endpoints) {
  PowerTally tally(trials.specs(), endpoints);
  tally.add(trials, trials.rows());
  return tally.result();
}

}  // namespace vtrial
