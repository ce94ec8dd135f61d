#include "app/sweep_tally.hpp"

#include <cmath>
#include <limits>

namespace vtrial {

SweepTally::SweepTally(const TrialPlan& plan, std::vector<std::int64_t> sample_sizes)
    : plan_(&plan), sizes_(std::move(sample_sizes)) {
  for (std::size_t i = 0; i < sizes_.size(); ++i) {
    power_.emplace_back(plan.columns(), plan.tallied_names(), plan.weight_column());
    design_.emplace_back(plan.columns(), plan.looks(), plan.descriptive_names());
  }
  for (const auto& name : plan.power_names()) reject_.push_back(column_index(plan.columns(), name + "_reject"));
  if (!plan.weight_column().empty()) weight_ = column_index(plan.columns(), plan.weight_column());
  paired_.assign(sizes_.size(), std::vector<Paired>(reject_.size()));
}

void SweepTally::add(const std::vector<ResultTable>& tables, std::size_t rows) {
  for (std::size_t i = 0; i < sizes_.size(); ++i) {
    power_[i].add(tables[i], rows);
    design_[i].add(tables[i], rows);
    if (i == 0) continue;
    for (std::size_t e = 0; e < reject_.size(); ++e) {
      const auto& a = tables[i].column(reject_[e]);
      const auto& b = tables[i - 1].column(reject_[e]);
      Paired& p = paired_[i][e];
      if (weight_) {
        const auto& w = tables[i].column(*weight_);
        for (std::size_t t = 0; t < rows; ++t) {
          const double d = a[t] - b[t], ww = w[t] * w[t];
          p.w += w[t], p.w2 += ww, p.wd += w[t] * d, p.w2d += ww * d, p.w2d2 += ww * d * d;
        }
      } else {
        for (std::size_t t = 0; t < rows; ++t) {
          const double d = a[t] - b[t];
          p.sum += d;
          p.sum_sq += d * d;
        }
      }
    }
  }
  rows_ += rows;
}

SweepResult SweepTally::result() const {
  SweepResult result;
  result.endpoints = plan_->power_names();
  const std::size_t endpoints = result.endpoints.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < sizes_.size(); ++i) {
    SweepPoint point;
    point.patients = sizes_[i];
    point.power = plan_->describe(power_[i].result());
    point.design = plan_->describe(design_[i].result());
    point.difference.assign(endpoints, nan);
    point.difference_se_paired.assign(endpoints, nan);
    point.difference_se_unpaired.assign(endpoints, nan);
    if (i > 0) {
      const SweepPoint& previous = result.points[i - 1];
      for (std::size_t e = 0; e < endpoints; ++e) {
        const Paired& p = paired_[i][e];
        double n = static_cast<double>(rows_);
        if (weight_) {
          // The weighted mean difference and its self-normalized importance-sampling SE,
          // sqrt(sum w^2 (d - m)^2) / sum w, expanded so that it needs one pass.
          const double m = p.w > 0 ? p.wd / p.w : nan;
          point.difference[e] = m;
          point.difference_se_paired[e] = std::sqrt(std::max(0.0, p.w2d2 - 2 * m * p.w2d + m * m * p.w2)) / p.w;
          n = p.w2 > 0 ? p.w * p.w / p.w2 : 0;  // the unpaired SE at the effective trials
        } else {
          const double mean = p.sum / n;
          const double var = n > 1 ? (p.sum_sq - n * mean * mean) / (n - 1) : 0;
          point.difference[e] = mean;
          point.difference_se_paired[e] = std::sqrt(var / n);
        }
        const double p1 = point.power[e].power, p0 = previous.power[e].power;
        point.difference_se_unpaired[e] = std::sqrt(p1 * (1 - p1) / n + p0 * (1 - p0) / n);
      }
    }
    result.points.push_back(std::move(point));
  }
  return result;
}

}  // namespace vtrial
