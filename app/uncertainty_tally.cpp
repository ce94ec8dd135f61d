#include "app/uncertainty_tally.hpp"

#include "models/calibration.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial {
namespace {

SensitivityTally make_sensitivity(const TrialPlan& plan) {
  const auto& u = *plan.scenario().uncertainty;
  std::vector<SensitivityInput> inputs;
  for (std::size_t i = 0; i < u.keys.size(); ++i)
    inputs.push_back({u.keys[i], u.prior.marginals()[i].bin_edges(static_cast<std::size_t>(u.bins))});
  return SensitivityTally(plan.columns(), std::move(inputs), plan.power_names(), plan.weight_column());
}

}  // namespace

UncertaintyTally::UncertaintyTally(const TrialPlan& plan) : sensitivity_(make_sensitivity(plan)) {
  const Scenario& sc = plan.scenario();
  if (!sc.calibration) return;
  std::vector<std::string> names = sc.uncertainty->keys;
  for (const auto& t : sc.calibration->targets) names.push_back("calibration." + t.name);
  posterior_.emplace(plan.columns(), std::move(names), plan.weight_column());
}

void UncertaintyTally::add(const ResultTable& block, std::size_t first, std::size_t rows) {
  sensitivity_.add(block, first, rows);
  if (posterior_) posterior_->add(block, rows);
}

UncertaintyResult UncertaintyTally::result() const {
  UncertaintyResult r;
  r.sensitivity = sensitivity_.result();
  if (posterior_) r.posterior = posterior_->result();
  return r;
}

std::optional<UncertaintyTally> uncertainty_tally(const TrialPlan& plan) {
  if (!plan.scenario().uncertainty) return std::nullopt;
  return UncertaintyTally(plan);
}

}  // namespace vtrial
