#include "bindings/app/design_summary.hpp"

#include <algorithm>
#include <cmath>

#include "engine/stats/binomial_interval.hpp"

namespace vtrial {
namespace {

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  std::size_t n = 0;
  for (double x : v)
    if (!std::isnan(x)) sum += x, ++n;
  return n ? sum / static_cast<double>(n) : std::nan("");
}

// Type-7 quantile (R's default), on a copy.
double quantile_of(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

void share_with_interval(const std::vector<double>& flags, double& share, double& low, double& high) {
  std::uint64_t yes = 0;
  for (double f : flags) yes += f != 0;
  share = flags.empty() ? 0 : static_cast<double>(yes) / static_cast<double>(flags.size());
  const Interval ci = wilson_interval(yes, flags.size());
  low = ci.low;
  high = ci.high;
}

}  // namespace

DesignSummary summarize_design(const ResultTable& trials) {
  DesignSummary d;
  share_with_interval(trials.column("enrolled_by_deadline"), d.p_enrolled_by_deadline, d.p_enrolled_low,
                      d.p_enrolled_high);
  share_with_interval(trials.column("completed_by_deadline"), d.p_completed_by_deadline, d.p_completed_low,
                      d.p_completed_high);
  const auto& days = trials.column("enrollment_days");
  d.median_enrollment_days = quantile_of(days, 0.5);
  d.enrollment_days_p10 = quantile_of(days, 0.1);
  d.enrollment_days_p90 = quantile_of(days, 0.9);
  d.mean_screened = mean_of(trials.column("screened"));
  d.mean_patients = mean_of(trials.column("patients"));
  d.mean_events = mean_of(trials.column("events"));
  const auto& specs = trials.specs();
  const bool group_sequential =
      std::any_of(specs.begin(), specs.end(), [](const ColumnSpec& s) { return s.name == "gs_stop_look"; });
  if (group_sequential) {
    // Patients randomized by the stopping day: the expected sample size of the design.
    d.mean_patients = mean_of(trials.column("gs_patients"));
    const auto& look = trials.column("gs_stop_look");
    const double last = look.empty() ? 0 : *std::max_element(look.begin(), look.end());
    d.p_stop_at_look.assign(static_cast<std::size_t>(last) + 1, 0.0);
    for (double j : look) d.p_stop_at_look[static_cast<std::size_t>(j)] += 1.0 / static_cast<double>(look.size());
    d.p_futility_stop = mean_of(trials.column("gs_futility_stop"));
  }
  for (const auto& spec : trials.specs())
    if (spec.name.rfind("km_median_", 0) == 0 || spec.name.rfind("negative_by_", 0) == 0)
      d.descriptive.emplace_back(spec.name, mean_of(trials.column(spec.name)));
  return d;
}

}  // namespace vtrial
