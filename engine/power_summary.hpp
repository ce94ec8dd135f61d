#pragma once
// Power is an estimate: the share of simulated trials that reject, with its Monte Carlo
// standard error sqrt(p(1-p)/n) and a 95% Wilson interval (which, unlike the Wald interval,
// stays inside [0, 1] and keeps its coverage at power near 0 or 1).
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

struct EndpointPower {
  std::string name;
  std::uint64_t rejections = 0;
  std::uint64_t trials = 0;
  double power = 0;
  double mc_se = 0;
  double ci_low = 0;
  double ci_high = 0;
};

EndpointPower power_from_rejections(const std::string& name, std::uint64_t rejections, std::uint64_t trials);

// Reads the 0/1 column `<endpoint>_reject` of each endpoint.
std::vector<EndpointPower> summarize_power(const ResultTable& trials, const std::vector<std::string>& endpoints);

}  // namespace vtrial
