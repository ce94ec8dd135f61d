#include "app/trial_plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/calibration.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TrialPlan::TrialPlan(const Scenario& scenario)
    : scenario_(&scenario),
      analysis_(scenario),
      simulator_(scenario),
      schema_(analysis_.schema()),
      analysis_columns_(schema_.columns.size()) {
  if (scenario.uncertainty)
    for (const auto& key : scenario.uncertainty->keys)
      schema_.add_column({key, ColumnType::real, ValueRole::parameter, "", "", ""});
  parameter_columns_ = schema_.columns.size() - analysis_columns_;
  calibration_column_ = schema_.columns.size();
  if (scenario.calibration) {
    for (const auto& t : scenario.calibration->targets)
      schema_.add_column({"calibration." + t.name, ColumnType::real, ValueRole::calibration, "", "", ""});
    weight_column_ = "calibration_weight";
    schema_.add_column({weight_column_, ColumnType::real, ValueRole::weight, "", "", ""});
  }
  for (const auto& p : analysis_.schema().power) power_names_.push_back(p.name);
  tallied_names_ = power_names_;
  if (scenario.analysis.type1_error) {
    const auto& analysed = analysis_.schema().columns;
    for (const auto& p : analysis_.schema().power) {
      std::size_t reject = 0;
      while (analysed[reject].name != p.name + "_reject") ++reject;
      null_columns_.push_back({reject, schema_.columns.size()});
      schema_.add_column(
          {p.name + "_null_reject", ColumnType::integer, ValueRole::null_reject, p.endpoint, p.comparison, ""});
      tallied_names_.push_back(p.name + "_null");
    }
  }
  columns_ = schema_.column_specs();
  for (const auto& c : analysis_.schema().columns)
    if (c.role == ValueRole::descriptive) descriptive_names_.push_back(c.name);
}

std::vector<EndpointPower> TrialPlan::describe(std::vector<EndpointPower> tallied) const {
  const auto& specs = schema().power;
  std::vector<EndpointPower> power;
  for (const auto& p : tallied)
    if (p.name.size() < 5 || p.name.compare(p.name.size() - 5, 5, "_null") != 0 ||
        std::find(power_names_.begin(), power_names_.end(), p.name) != power_names_.end())
      power.push_back(p);
  for (auto& p : power)
    for (const auto& q : tallied)
      if (q.name == p.name + "_null" && !null_columns_.empty())
        p.type1 = {q.rejections, q.trials, q.power, q.mc_se, q.ci_low, q.ci_high};
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
