#pragma once
// What the protocol committee reads beside power: how long enrollment takes, the chance of
// finishing by the registered completion date, how many candidates are screened, and the
// descriptive estimates a trial would report, averaged over the simulated trials.
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

struct DesignSummary {
  double p_enrolled_by_deadline = 0, p_enrolled_low = 0, p_enrolled_high = 0;
  double p_completed_by_deadline = 0, p_completed_low = 0, p_completed_high = 0;
  double median_enrollment_days = 0;
  double enrollment_days_p10 = 0, enrollment_days_p90 = 0;
  double mean_screened = 0;
  double mean_patients = 0;  // expected sample size (smaller than N when trials stop early)
  double mean_events = 0;
  // Group-sequential designs only (empty otherwise): P(the trial stops at look j), j = 0..K-1
  // (the last is the final analysis), and P(stop for futility).
  std::vector<double> p_stop_at_look;
  double p_futility_stop = 0;
  // Means over trials of per-trial descriptive columns (NaN values skipped), e.g. KM medians.
  std::vector<std::pair<std::string, double>> descriptive;
};

DesignSummary summarize_design(const ResultTable& trials);

}  // namespace vtrial
