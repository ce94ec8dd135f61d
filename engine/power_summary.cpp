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

std::vector<EndpointPower> summarize_power(const ResultTable& trials, const std::vector<std::string>& endpoints) {
  std::vector<EndpointPower> out;
  for (const auto& name : endpoints) {
    std::uint64_t rejections = 0;
    for (double r : trials.column(name + "_reject")) rejections += r != 0 ? 1 : 0;
    out.push_back(power_from_rejections(name, rejections, trials.rows()));
  }
  return out;
}

}  // namespace vtrial
