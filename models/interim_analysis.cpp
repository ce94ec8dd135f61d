#include "models/interim_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <sstream>

#include "engine/settings.hpp"
#include "models/visit_schedule.hpp"

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxInterims = 20;
constexpr std::size_t kMaxCachedDesigns = 1 << 14;
// Jennison & Turnbull's grid size for the per-trial boundaries of calendar looks: r = 16 is
// accurate to ~2e-5 in z (the default 32, ~1e-7, costs twice as much per cache miss), which
// moves a crossing probability by ~1e-6, far below Monte Carlo error.
constexpr int kCalendarGridR = 16;
// Calendar looks: observed information fractions are rounded to 1/kFractionSteps before the
// boundaries are computed, so a design with one interim has at most 99 boundary sets to
// compute (two interims: at most 4851) however many trials and patients. Rounding t by <= 0.005
// moves the alpha spent at a look by < 2.5e-4 (Pocock-type; far less for OBF-type), and the
// total spent is still exactly alpha.
constexpr std::uint32_t kFractionSteps = 100;

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void check_increasing(const Settings& s, const std::string& path, const std::vector<double>& values) {
  for (std::size_t k = 1; k < values.size(); ++k)
    if (!(values[k] > values[k - 1]))
      s.fail(path,
             "must be strictly increasing, got " + format_number(values[k - 1]) + " then " + format_number(values[k]));
  if (values.size() > kMaxInterims) s.fail(path, "at most " + std::to_string(kMaxInterims) + " interim analyses");
}

// Number of completed patients that triggers a look at information fraction f of n patients:
// ceil(f n), guarded against f n landing a rounding error above an integer (0.3 * 10).
std::size_t completions_for(double f, std::size_t n) {
  const double target = std::ceil(f * static_cast<double>(n) - 1e-9);
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::max(target, 1.0)), 1, n);
}

}  // namespace

InterimPlan read_interim_plan(Settings& s) {
  InterimPlan p;
  p.enabled = s.boolean("analysis.interim.enabled", p.enabled);
  p.timing = s.choice("analysis.interim.timing", p.timing, {"information", "calendar"});
  p.fractions = s.real_list("analysis.interim.fractions", p.fractions, Range::open_unit());
  p.days = s.real_list("analysis.interim.days", p.days, Range{0, 36500, true, false});
  p.spending = s.choice("analysis.interim.spending", p.spending, {"obrien_fleming", "pocock"});
  p.futility = s.boolean("analysis.interim.futility", p.futility);
  p.futility_z = s.real("analysis.interim.futility_z", p.futility_z, Range::closed(-5, 5));
  check_increasing(s, "analysis.interim.fractions", p.fractions);
  check_increasing(s, "analysis.interim.days", p.days);
  if (p.enabled && p.timing == "information" && p.fractions.empty())
    s.fail("analysis.interim.fractions", "needs at least one information fraction when timing is information");
  if (p.enabled && p.timing == "calendar" && p.days.empty())
    s.fail("analysis.interim.days", "needs at least one day when timing is calendar");
  return p;
}

InterimObservation observe_at_day(const PatientRecord& patient, double tau, double visit_interval_days,
                                  double follow_up_days) {
  InterimObservation o;
  if (!(patient.randomization_day <= tau)) return o;
  o.randomized = true;
  // Compared as a completion day (computed exactly as evaluate() does), not as follow-up
  // tau - randomization_day, which can round below time_days at the final look.
  if (patient.randomization_day + patient.time_days <= tau) {
    // The patient's course is already over: event or final censoring as recorded.
    o.time_days = patient.time_days;
    o.event = patient.event == 1;
  } else {
    // Still in follow-up: censored at the last visit so far (never later than the recorded time).
    const double follow_up = std::min(tau - patient.randomization_day, follow_up_days);
    o.time_days = std::min(patient.time_days, last_visit_at_or_before(follow_up, visit_interval_days));
    o.event = false;
  }
  return o;
}

GroupSequentialMonitor::GroupSequentialMonitor(const InterimPlan& plan, double alpha, double visit_interval_days,
                                               double follow_up_days)
    : calendar_(plan.enabled && plan.timing == "calendar"),
      spending_(plan.spending == "pocock" ? SpendingFunction::pocock : SpendingFunction::obrien_fleming),
      futility_(plan.futility),
      futility_z_(plan.futility_z),
      alpha_(alpha),
      visit_interval_days_(visit_interval_days),
      follow_up_days_(follow_up_days) {
  if (calendar_)
    days_ = plan.days;
  else if (plan.enabled)
    fractions_ = plan.fractions;
  looks_ = (calendar_ ? days_.size() : fractions_.size()) + 1;
  boundaries_.assign(looks_, kNaN);
  look_days_.assign(looks_, kNaN);
  look_z_.assign(looks_, kNaN);
  key_.reserve(looks_);
  kept_fractions_.reserve(looks_);
  kept_looks_.reserve(looks_);
  if (!calendar_) {
    std::vector<double> t = fractions_;
    t.push_back(1.0);
    boundaries_ = efficacy_boundaries(t, alpha_, spending_).z;
  }
}

std::vector<ColumnSpec> GroupSequentialMonitor::columns() {
  return {{"gs_stop_look", ColumnType::integer},
          {"gs_reject", ColumnType::integer},
          {"gs_futility_stop", ColumnType::integer},
          {"gs_stop_day", ColumnType::real},
          {"gs_patients", ColumnType::integer},
          {"gs_events", ColumnType::integer},
          {"gs_z", ColumnType::real}};
}

GroupSequentialMonitor::LookData GroupSequentialMonitor::analyze_at(std::span<const PatientRecord> patients,
                                                                    double tau) {
  time_.clear();
  event_.clear();
  group_.clear();
  LookData d;
  for (const auto& p : patients) {
    const InterimObservation o = observe_at_day(p, tau, visit_interval_days_, follow_up_days_);
    if (!o.randomized) continue;
    time_.push_back(o.time_days);
    event_.push_back(o.event ? 1 : 0);
    group_.push_back(p.arm);
    d.events += o.event ? 1 : 0;
  }
  d.patients = static_cast<double>(time_.size());
  const LogRankResult lr = log_rank_test(time_, event_, group_, logrank_);
  d.z = lr.variance > 0 ? (lr.observed[1] - lr.expected[1]) / std::sqrt(lr.variance) : 0.0;
  return d;
}

void GroupSequentialMonitor::calendar_boundaries(std::span<const PatientRecord> patients, double final_day) {
  const std::size_t interims = looks_ - 1;
  key_.assign(interims + 1, 0);  // events by each interim day, then in total
  for (const auto& p : patients) {
    key_[interims] += p.event;
    for (std::size_t j = 0; j < interims && days_[j] < final_day; ++j)
      key_[j] += observe_at_day(p, days_[j], visit_interval_days_, follow_up_days_).event ? 1u : 0u;
  }
  // Observed information fractions t_j = D_j / D, rounded to kFractionSteps (a look on or after
  // the final day sees all the information).
  const double total = key_[interims];
  for (std::size_t j = 0; j < interims; ++j) {
    const double t = days_[j] >= final_day ? 1.0 : total > 0 ? key_[j] / total : 0.0;
    key_[j] = static_cast<std::uint32_t>(std::lround(t * kFractionSteps));
  }
  key_.pop_back();
  if (const auto hit = boundary_cache_.find(key_); hit != boundary_cache_.end()) {
    std::copy(hit->second.begin(), hit->second.end(), boundaries_.begin());
    return;
  }
  // A look adding no information, or already holding all of it (at the rounding), is skipped
  // (NaN); the final look always spends the rest of alpha.
  kept_fractions_.clear();
  kept_looks_.clear();
  std::uint32_t previous = 0;
  for (std::size_t j = 0; j < interims; ++j) {
    if (key_[j] > previous && key_[j] < kFractionSteps) {
      kept_fractions_.push_back(key_[j] / static_cast<double>(kFractionSteps));
      kept_looks_.push_back(j);
      previous = key_[j];
    }
  }
  kept_fractions_.push_back(1.0);
  kept_looks_.push_back(interims);
  const GroupSequentialBoundaries b = efficacy_boundaries(kept_fractions_, alpha_, spending_, kCalendarGridR);
  std::fill(boundaries_.begin(), boundaries_.end(), kNaN);
  for (std::size_t i = 0; i < kept_looks_.size(); ++i) boundaries_[kept_looks_[i]] = b.z[i];
  if (boundary_cache_.size() < kMaxCachedDesigns) boundary_cache_.emplace(key_, boundaries_);
}

void GroupSequentialMonitor::evaluate(std::span<const PatientRecord> patients, std::span<double> row) {
  const std::size_t n = patients.size();
  if (n == 0) {  // nothing to analyse: the final look with no data
    const double empty[] = {static_cast<double>(looks_ - 1), 0, 0, 0, 0, 0, 0};
    std::copy(std::begin(empty), std::end(empty), row.begin());
    return;
  }
  completion_.resize(n);
  double final_day = 0;
  for (std::size_t i = 0; i < n; ++i) {
    completion_[i] = patients[i].randomization_day + patients[i].time_days;
    final_day = std::max(final_day, completion_[i]);
  }
  std::fill(look_days_.begin(), look_days_.end(), kNaN);
  std::fill(look_z_.begin(), look_z_.end(), kNaN);
  if (calendar_) {
    calendar_boundaries(patients, final_day);
  } else if (looks_ > 1) {
    std::sort(completion_.begin(), completion_.end());
  }

  for (std::size_t j = 0; j < looks_; ++j) {
    const bool final_look = j + 1 == looks_;
    if (std::isnan(boundaries_[j])) continue;  // a calendar look without new information
    double tau = final_day;
    if (!final_look) tau = calendar_ ? days_[j] : completion_[completions_for(fractions_[j], n) - 1];
    const LookData d = analyze_at(patients, tau);
    look_days_[j] = tau;
    look_z_[j] = d.z;
    const bool reject = std::abs(d.z) >= boundaries_[j];
    const bool futile = !reject && !final_look && futility_ && d.z < futility_z_;
    if (!(reject || futile || final_look)) continue;
    std::size_t c = 0;
    row[c++] = static_cast<double>(j);
    row[c++] = reject ? 1.0 : 0.0;
    row[c++] = futile ? 1.0 : 0.0;
    row[c++] = tau;
    row[c++] = d.patients;
    row[c++] = d.events;
    row[c++] = d.z;
    return;
  }
}

}  // namespace vtrial
