#include "models/calibration.hpp"

#include <cmath>
#include <sstream>

#include "engine/random_stream.hpp"
#include "engine/settings.hpp"
#include "models/scenario.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial {
namespace {

std::string default_name(const CalibrationTarget& t) {
  if (t.statistic == CalibrationStatistic::median_days_to_negative) return "median_days_to_negative";
  std::ostringstream out;
  out << "share_negative_by_day" << t.day;
  return out.str();
}

}  // namespace

std::shared_ptr<const CalibrationSpec> read_calibration(Settings& s, const Scenario& sc) {
  if (!s.has("calibration")) return nullptr;
  if (!sc.uncertainty)
    s.fail("calibration", "updates the priors of `uncertainty:`, and the scenario has none; give priors first");
  auto spec = std::make_shared<CalibrationSpec>();
  std::vector<std::string> names;
  for (const auto& a : sc.arms) names.push_back(a.name);
  const std::string arm = s.choice("calibration.arm", sc.arms[control_arm(sc.arms)].name, names);
  spec->arm = static_cast<std::size_t>(std::find(names.begin(), names.end(), arm) - names.begin());
  const std::size_t n = s.list_size("calibration.targets");
  if (n == 0) s.fail("calibration", "expected 'targets:', a list of {statistic, value, sd, patients}");
  if (n > 32) s.fail("calibration.targets", "at most 32 targets, got " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "calibration.targets." + std::to_string(i) + ".";
    CalibrationTarget t;
    if (!s.has(at + "statistic"))
      s.fail(at + "value", "needs a statistic: median_days_to_negative or share_negative_by_day");
    const std::string statistic =
        s.choice(at + "statistic", "median_days_to_negative", {"median_days_to_negative", "share_negative_by_day"});
    t.statistic = statistic == "median_days_to_negative" ? CalibrationStatistic::median_days_to_negative
                                                         : CalibrationStatistic::share_negative_by_day;
    if (t.statistic == CalibrationStatistic::share_negative_by_day) {
      if (!s.has(at + "day")) s.fail(at + "statistic", "share_negative_by_day needs 'day'");
      t.day = s.real(at + "day", 0, Range{0, sc.trial.follow_up_days, true, false});
    }
    const Range values = t.statistic == CalibrationStatistic::share_negative_by_day
                             ? Range::probability()
                             : Range{0, sc.trial.follow_up_days, true, false};
    for (const char* key : {"value", "sd"})
      if (!s.has(at + key)) s.fail(at + "statistic", std::string("a target needs '") + key + "'");
    t.value = s.real(at + "value", 0, values);
    t.sd = s.real(at + "sd", 0,
                  t.statistic == CalibrationStatistic::share_negative_by_day
                      ? Range{0, 1, true, false}
                      : Range{0, sc.trial.follow_up_days, true, false});
    t.patients = s.integer(at + "patients", t.patients, 2, 10000);
    t.source = s.text(at + "source", "");
    t.name = s.text(at + "name", default_name(t));
    if (t.name.empty() || t.name.find_first_of("/.") != std::string::npos)
      s.fail(at + "name", "expected a name without '/' or '.'");
    for (const auto& other : spec->targets)
      if (other.name == t.name) s.fail(at + "name", "two targets are both named '" + t.name + "'; name them");
    spec->cohort = std::max(spec->cohort, t.patients);
    spec->targets.push_back(t);
  }
  // The posterior's quantiles keep every trial's drawn values, statistics and weight (8 bytes
  // each, up to twice that while the vectors grow), and summarizing one value sorts 48 bytes per
  // trial of pairs and copies beside them (engine/uncertainty/posterior_tally.cpp).
  const std::size_t kept = sc.uncertainty->keys.size() + spec->targets.size() + 1;
  const double per_trial = 16.0 * static_cast<double>(kept) + 48.0;
  const double limit = 4.0 * (1ULL << 30);
  const double bytes = static_cast<double>(sc.simulation.trials) * per_trial;
  if (bytes > limit) {
    std::ostringstream gb;
    gb.precision(3);
    gb << bytes / 1e9;
    s.fail("simulation.trials", "a calibrated run keeps " + std::to_string(kept) +
                                    " values per trial for the posterior, up to " + gb.str() +
                                    " GB of memory here; at most 4.29 GB, so at most " +
                                    std::to_string(static_cast<long long>(limit / per_trial)) + " trials");
  }
  return spec;
}

std::uint64_t calibration_seed(std::uint64_t seed) { return mix64(seed ^ 0x63616c6962726174ULL); }

double calibration_statistic(const CalibrationTarget& target, std::span<const PatientRecord> cohort,
                             KaplanMeierWorkspace& workspace) {
  const std::size_t n = std::min(cohort.size(), static_cast<std::size_t>(target.patients));
  std::vector<double> time(n);
  std::vector<std::uint8_t> event(n);
  for (std::size_t i = 0; i < n; ++i) time[i] = cohort[i].time_days, event[i] = cohort[i].event;
  if (target.statistic == CalibrationStatistic::median_days_to_negative)
    return km_median(time, event, workspace).median;
  const double s = km_survival_at(time, event, target.day, workspace).survival;
  return std::isnan(s) ? s : 1 - s;
}

double calibration_weight(const std::vector<CalibrationTarget>& targets, std::span<const double> statistics) {
  double sum = 0;
  for (std::size_t j = 0; j < targets.size(); ++j) {
    if (std::isnan(statistics[j])) return 0;
    const double z = (statistics[j] - targets[j].value) / targets[j].sd;
    sum += z * z;
  }
  return std::exp(-0.5 * sum);
}

}  // namespace vtrial
