#include "engine/stats/kaplan_meier.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Selects the subjects (all, or one group) into workspace.items, sorted by time, each with
// its event flag so the curve walk reads one array in order.
void sorted_subjects(std::span<const double> time, std::span<const std::uint8_t> event,
                     std::span<const std::uint8_t> group, bool filter, std::uint8_t which, KaplanMeierWorkspace& ws) {
  if (event.size() != time.size() || (filter && group.size() != time.size()))
    throw std::invalid_argument("kaplan_meier: inputs differ in length");
  ws.items.clear();
  ws.items.reserve(time.size());
  for (std::size_t i = 0; i < time.size(); ++i)
    if (!filter || group[i] == which) ws.items.push_back({time[i], event[i] != 0 ? 1u : 0u});
  sort_by_key(ws.items, ws.sort);
}

double normal_quantile_two_sided(double level) {
  // The per-trial summaries all ask for 95 %: computed once, not per trial.
  static const double z95 = boost::math::quantile(boost::math::normal_distribution<double>(), 0.975);
  if (level == 0.95) return z95;
  return boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + level / 2);
}

struct Point {
  double time, survival, lower, upper;
};

// Walks the distinct times of the selected subjects (censor-only times included, as in
// survfit's output), calling visit(Point) after each; visit returns false to stop early.
template <class Visit>
void walk_curve(const KaplanMeierWorkspace& ws, double z, Visit&& visit) {
  const std::size_t n = ws.items.size();
  double survival = 1, greenwood = 0;
  for (std::size_t i = 0; i < n;) {
    const double t = ws.items[i].key;
    const double at_risk = static_cast<double>(n - i);
    double deaths = 0;
    for (; i < n && ws.items[i].key == t; ++i) deaths += ws.items[i].payload != 0 ? 1 : 0;
    if (deaths > 0) {
      survival *= (at_risk - deaths) / at_risk;
      greenwood += deaths < at_risk ? deaths / (at_risk * (at_risk - deaths)) : std::numeric_limits<double>::infinity();
    }
    Point p{t, survival, kNaN, kNaN};
    if (survival > 0) {
      const double se = std::sqrt(greenwood);
      p.lower = std::exp(std::log(survival) - z * se);
      p.upper = std::min(1.0, std::exp(std::log(survival) + z * se));
    }
    if (!visit(p)) return;
  }
}

// survival:::survmean's minmin(): first time the curve is < 0.5 (+ tolerance), averaged with
// the next drop when the curve sits exactly at 0.5.
class CrossingTime {
 public:
  void feed(double t, double y) {
    if (done_ || std::isnan(y)) return;
    if (!have_first_) {
      if (y < 0.5 + kTolerance) {
        have_first_ = true;
        first_time_ = t;
        first_value_ = y;
        if (!(std::abs(y - 0.5) < kTolerance)) finish(t);
      }
    } else if (y < first_value_) {
      finish(0.5 * (first_time_ + t));
    }
  }
  bool done() const { return done_; }
  double result() const { return done_ ? value_ : (have_first_ ? first_time_ : kNaN); }

 private:
  void finish(double v) {
    value_ = v;
    done_ = true;
  }
  static constexpr double kTolerance = 1.4901161193847656e-08;  // sqrt(.Machine$double.eps)
  bool have_first_ = false, done_ = false;
  double first_time_ = kNaN, first_value_ = kNaN, value_ = kNaN;
};

MedianSurvival median_of_sorted(const KaplanMeierWorkspace& ws, double level) {
  CrossingTime median, lower, upper;
  walk_curve(ws, normal_quantile_two_sided(level), [&](const Point& p) {
    median.feed(p.time, p.survival);
    lower.feed(p.time, p.lower);
    upper.feed(p.time, p.upper);
    return !(median.done() && lower.done() && upper.done());
  });
  return {median.result(), lower.result(), upper.result()};
}

SurvivalEstimate survival_of_sorted(const KaplanMeierWorkspace& ws, double at, double level) {
  SurvivalEstimate est;
  walk_curve(ws, normal_quantile_two_sided(level), [&](const Point& p) {
    if (p.time > at) return false;
    est = {p.survival, p.lower, p.upper};
    return true;
  });
  const bool beyond_follow_up = !ws.items.empty() && at > ws.items.back().key;
  if ((beyond_follow_up && est.survival > 0) || ws.items.empty()) est = {kNaN, kNaN, kNaN};
  return est;
}

}  // namespace

MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event,
                         KaplanMeierWorkspace& workspace, double level) {
  sorted_subjects(time, event, {}, false, 0, workspace);
  return median_of_sorted(workspace, level);
}

MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event,
                         std::span<const std::uint8_t> group, std::uint8_t which_group, KaplanMeierWorkspace& workspace,
                         double level) {
  sorted_subjects(time, event, group, true, which_group, workspace);
  return median_of_sorted(workspace, level);
}

MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event, double level) {
  KaplanMeierWorkspace workspace;
  return km_median(time, event, workspace, level);
}

SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event, double at,
                                KaplanMeierWorkspace& workspace, double level) {
  sorted_subjects(time, event, {}, false, 0, workspace);
  return survival_of_sorted(workspace, at, level);
}

SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event,
                                std::span<const std::uint8_t> group, std::uint8_t which_group, double at,
                                KaplanMeierWorkspace& workspace, double level) {
  sorted_subjects(time, event, group, true, which_group, workspace);
  return survival_of_sorted(workspace, at, level);
}

SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event, double at,
                                double level) {
  KaplanMeierWorkspace workspace;
  return km_survival_at(time, event, at, workspace, level);
}

}  // namespace vtrial
