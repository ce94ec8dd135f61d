#include "app/design_summary.hpp"

#include <algorithm>
#include <cmath>

#include "engine/stats/binomial_interval.hpp"

namespace vtrial {
namespace {

// Type-7 quantiles (R's default) for ascending probabilities `qs` (the selection below relies
// on that order), by selection rather than a
// full sort (linear rather than n log n in the trials; the values are the same): each
// quantile needs the order statistics lo and lo + 1, and selection leaves everything above lo
// in the tail, where the next (larger) quantile is selected.
std::vector<double> quantiles(std::vector<double> v, std::initializer_list<double> qs) {
  std::vector<double> out;
  auto from = v.begin();
  for (const double q : qs) {
    if (v.empty()) {
      out.push_back(std::nan(""));
      continue;
    }
    const double h = (static_cast<double>(v.size()) - 1) * q;
    const auto lo = static_cast<std::ptrdiff_t>(std::floor(h));
    const auto at = v.begin() + lo;
    if (at >= from) std::nth_element(from, at, v.end());
    const double below = *at;
    const double above = at + 1 == v.end() ? below : *std::min_element(at + 1, v.end());
    out.push_back(below + (h - static_cast<double>(lo)) * (above - below));
    from = at + 1;
  }
  return out;
}

void share_with_interval(std::uint64_t yes, std::uint64_t n, double& share, double& low, double& high) {
  share = n == 0 ? 0 : static_cast<double>(yes) / static_cast<double>(n);
  const Interval ci = wilson_interval(yes, n);
  low = ci.low;
  high = ci.high;
}

}  // namespace

void DesignTally::Mean::add(const ResultTable& block, std::size_t rows) {
  const auto& values = block.column(column);
  for (std::size_t i = 0; i < rows; ++i)
    if (!std::isnan(values[i])) sum += values[i], ++n;
}

double DesignTally::Mean::value() const { return n ? sum / static_cast<double>(n) : std::nan(""); }

DesignTally::DesignTally(const std::vector<ColumnSpec>& columns, std::size_t looks,
                         const std::vector<std::string>& descriptive) {
  const auto column = [&](const std::string& name) { return column_index(columns, name); };
  enrolled_column_ = column("enrolled_by_deadline");
  completed_column_ = column("completed_by_deadline");
  days_column_ = column("enrollment_days");
  screened_.column = column("screened");
  patients_.column = column("patients");
  events_.column = column("events");
  group_sequential_ =
      std::any_of(columns.begin(), columns.end(), [](const ColumnSpec& s) { return s.name == "gs_stop_look"; });
  if (group_sequential_) {
    stops_at_look_.assign(looks, 0);
    look_column_ = column("gs_stop_look");
    gs_patients_.column = column("gs_patients");
    gs_events_.column = column("gs_events");
    futility_.column = column("gs_futility_stop");
  }
  for (const auto& name : descriptive) {
    Mean m;
    m.column = column(name);
    descriptive_.emplace_back(name, m);
  }
}

void DesignTally::add(const ResultTable& block, std::size_t rows) {
  const auto& enrolled = block.column(enrolled_column_);
  const auto& completed = block.column(completed_column_);
  const auto& days = block.column(days_column_);
  for (std::size_t i = 0; i < rows; ++i) {
    enrolled_ += enrolled[i] != 0;
    completed_ += completed[i] != 0;
  }
  enrollment_days_.insert(enrollment_days_.end(), days.begin(), days.begin() + static_cast<std::ptrdiff_t>(rows));
  screened_.add(block, rows);
  patients_.add(block, rows);
  events_.add(block, rows);
  if (group_sequential_) {
    gs_patients_.add(block, rows);
    gs_events_.add(block, rows);
    futility_.add(block, rows);
    const auto& look = block.column(look_column_);
    for (std::size_t i = 0; i < rows; ++i) {
      const auto j = static_cast<std::size_t>(look[i]);
      if (j >= stops_at_look_.size()) stops_at_look_.resize(j + 1, 0);
      ++stops_at_look_[j];
    }
  }
  for (auto& [name, mean] : descriptive_) mean.add(block, rows);
  trials_ += rows;
}

DesignSummary DesignTally::result() const {
  DesignSummary d;
  share_with_interval(enrolled_, trials_, d.p_enrolled_by_deadline, d.p_enrolled_low, d.p_enrolled_high);
  share_with_interval(completed_, trials_, d.p_completed_by_deadline, d.p_completed_low, d.p_completed_high);
  const auto q = quantiles(enrollment_days_, {0.1, 0.5, 0.9});
  d.enrollment_days_p10 = q[0];
  d.median_enrollment_days = q[1];
  d.enrollment_days_p90 = q[2];
  d.mean_screened = screened_.value();
  d.mean_patients = patients_.value();
  d.mean_events = events_.value();
  if (group_sequential_) {
    // Patients randomized, and events seen, by the stopping look: the expected sample size
    // and number of events of the design.
    d.mean_patients = gs_patients_.value();
    d.mean_events = gs_events_.value();
    for (std::uint64_t count : stops_at_look_)
      d.p_stop_at_look.push_back(static_cast<double>(count) / static_cast<double>(trials_));
    d.p_futility_stop = futility_.value();
  }
  for (const auto& [name, mean] : descriptive_) d.descriptive.emplace_back(name, mean.value());
  return d;
}

DesignSummary summarize_design(const ResultTable& trials, std::size_t looks,
                               const std::vector<std::string>& descriptive) {
  DesignTally tally(trials.specs(), looks, descriptive);
  tally.add(trials, trials.rows());
  return tally.result();
}

std::vector<std::pair<std::string, double>> design_fields(const DesignSummary& d) {
  std::vector<std::pair<std::string, double>> f = {
      {"p_enrolled_by_deadline", d.p_enrolled_by_deadline},
      {"p_enrolled_ci_low", d.p_enrolled_low},
      {"p_enrolled_ci_high", d.p_enrolled_high},
      {"p_completed_by_deadline", d.p_completed_by_deadline},
      {"p_completed_ci_low", d.p_completed_low},
      {"p_completed_ci_high", d.p_completed_high},
      {"median_enrollment_days", d.median_enrollment_days},
      {"enrollment_days_p10", d.enrollment_days_p10},
      {"enrollment_days_p90", d.enrollment_days_p90},
      {"mean_screened", d.mean_screened},
      {"mean_patients", d.mean_patients},
      {"mean_events", d.mean_events},
  };
  for (const auto& [name, v] : d.descriptive) f.emplace_back("mean_" + name, v);
  for (std::size_t j = 0; j < d.p_stop_at_look.size(); ++j)
    f.emplace_back("p_stop_at_look" + std::to_string(j), d.p_stop_at_look[j]);
  if (!d.p_stop_at_look.empty()) f.emplace_back("p_futility_stop", d.p_futility_stop);
  return f;
}

}  // namespace vtrial
