#include "app/trial_plan.hpp"

#include <cmath>
#include <limits>

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TrialPlan::TrialPlan(const Scenario& scenario)
    : scenario_(&scenario), analysis_(scenario), simulator_(scenario), columns_(analysis_.columns()) {
  for (const auto& p : analysis_.schema().power) power_names_.push_back(p.name);
  for (const auto& c : analysis_.schema().columns)
    if (c.role == ValueRole::descriptive) descriptive_names_.push_back(c.name);
}

std::vector<EndpointPower> TrialPlan::describe(std::vector<EndpointPower> power) const {
  const auto& specs = schema().power;
  for (auto& p : power)
    for (const auto& s : specs)
      if (s.name == p.name) {
        p.kind = std::string(power_kind_name(s.kind));
        p.endpoint = s.endpoint;
        p.comparison = s.comparison;
        p.test = s.test;
        p.outcome = s.outcome;
        p.estimate = s.estimate;
      }
  return power;
}

DesignSummary TrialPlan::describe(DesignSummary design) const {
  const GroupSequentialMonitor* monitor = analysis_.monitor();
  if (!monitor) return design;
  const InterimPlan& plan = scenario_->analysis.interim;
  const bool calendar = plan.timing == "calendar";
  const std::size_t looks = monitor->looks();
  // Before any trial is evaluated the monitor holds the planned boundaries (information
  // timing); calendar timing spends by each trial's observed information, so none is planned.
  GroupSequentialMonitor planned(plan, scenario_->analysis.alpha, scenario_->trial.visit_interval_days,
                                 scenario_->trial.follow_up_days);
  const auto z = planned.boundaries();
  for (std::size_t j = 0; j < looks; ++j) {
    LookSummary look;
    const bool interim = j + 1 < looks;
    look.information_fraction = calendar ? kNaN : interim ? plan.fractions[j] : 1.0;
    look.day = calendar && interim ? plan.days[j] : kNaN;
    look.efficacy_z = calendar || j >= z.size() ? kNaN : z[j];
    look.efficacy_p = std::isnan(look.efficacy_z) ? kNaN : std::erfc(look.efficacy_z / std::sqrt(2.0));
    look.futility_z = interim && plan.futility ? plan.futility_z : kNaN;
    look.p_stop = j < design.p_stop_at_look.size() ? design.p_stop_at_look[j] : kNaN;
    design.looks.push_back(look);
  }
  return design;
}

}  // namespace vtrial
