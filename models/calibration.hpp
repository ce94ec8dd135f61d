#pragma once
// Calibration to published data (`calibration:`): statistics a published cohort reported on
// ganciclovir alone (median days to CMV DNA negativity, the share negative by a day), each with
// its uncertainty, update the priors of `uncertainty:` by approximate Bayesian computation with
// importance weights. Every trial also simulates a cohort of the calibration arm under its own
// draw of the unknowns (its own streams, apart from the trial's patients, so the weights do not
// reuse the data the trial is tested on), computes each target's statistic on the first
// `patients` of it, and gets the weight
//   w = prod_j exp(-(s_j - value_j)^2 / (2 sd_j^2)).
// Weighted over the trials, the draws follow the posterior of a model in which each published
// value is the statistic of such a cohort plus a normal error of SD sd_j: with a Gaussian kernel
// whose width is that error, ABC is exact for that model (Wilkinson 2013, Stat Appl Genet Mol
// Biol 12:129; importance weights from the prior as proposal: Beaumont, Zhang & Balding 2002,
// Genetics 162:2025). Assurance is then the weighted rejection rate.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/stats/kaplan_meier.hpp"
#include "models/patient_record.hpp"

namespace vtrial {

class Settings;
struct Scenario;

enum class CalibrationStatistic { median_days_to_negative, share_negative_by_day };

struct CalibrationTarget {
  std::string name;  // its /trials column is calibration.<name>
  CalibrationStatistic statistic = CalibrationStatistic::median_days_to_negative;
  double day = 0;  // share_negative_by_day
  double value = 0;
  double sd = 1;
  std::int64_t patients = 40;  // the published cohort's size
  std::string source;          // where the value comes from (free text, kept in the file)
};

struct CalibrationSpec {
  std::vector<CalibrationTarget> targets;
  std::size_t arm = 0;      // the arm whose treatment the cohort receives (default: the control)
  std::int64_t cohort = 0;  // patients simulated per trial: the largest target's
};

// Reads `calibration:` (null when absent); needs `uncertainty:` and the arms read.
std::shared_ptr<const CalibrationSpec> read_calibration(Settings& settings, const Scenario& scenario);

// The seed of the cohorts' streams: apart from the trials' own.
std::uint64_t calibration_seed(std::uint64_t seed);

// One target's statistic on the first target.patients records of a cohort (NaN when the
// cohort does not reach it, e.g. fewer than half negative within follow-up for a median).
double calibration_statistic(const CalibrationTarget& target, std::span<const PatientRecord> cohort,
                             KaplanMeierWorkspace& workspace);
// exp(-sum z^2 / 2) over the targets; 0 when a statistic is NaN.
double calibration_weight(const std::vector<CalibrationTarget>& targets, std::span<const double> statistics);

}  // namespace vtrial
