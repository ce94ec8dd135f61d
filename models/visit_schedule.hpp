#pragma once
// How the protocol sees time: CMV DNA is measured at scheduled visits, so negativity is
// known only at the first visit at or after it happens (interval censoring, hence ties), and a
// patient who leaves the study is censored at the last visit attended.
#include <algorithm>
#include <cmath>

namespace vtrial {

struct ObservedCourse {
  double time_days = 0;
  bool event = false;
  bool dropped_out = false;
};

// interval_days == 0 means continuous observation: exact times.
inline double first_visit_at_or_after(double t, double interval_days) {
  return interval_days > 0 ? std::ceil(t / interval_days) * interval_days : t;
}
inline double last_visit_at_or_before(double t, double interval_days) {
  return interval_days > 0 ? std::floor(t / interval_days) * interval_days : t;
}

inline ObservedCourse observe_course(double true_negative_day, double dropout_day, double follow_up_days,
                                     double interval_days) {
  const double seen = first_visit_at_or_after(true_negative_day, interval_days);
  // A visit is attended only if the patient is still in the study at that moment.
  if (seen <= follow_up_days && seen <= dropout_day) return {seen, true, false};
  if (dropout_day < follow_up_days) return {last_visit_at_or_before(dropout_day, interval_days), false, true};
  return {last_visit_at_or_before(follow_up_days, interval_days), false, false};
}

}  // namespace vtrial
