#include "models/scenario.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <sstream>

#include "engine/settings.hpp"
#include "models/calibration.hpp"
#include "models/scenario_analysis.hpp"
#include "models/scenario_arms.hpp"
#include "models/scenario_uncertainty.hpp"
#include "models/trial_analysis.hpp"

namespace vtrial {
namespace {
// Ranges that work, not merely ranges that parse: far beyond any plausible cell count or day
// count, yet short of where sums of squares underflow or overflow and a test's p-value stops
// meaning anything (an SD of 1e-308 gave power 0 by Welch and 1 by Wilcoxon on the same data).
const Range kNkMean = Range::closed(-1e6, 1e6);
const Range kNkSd = Range::closed(1e-6, 1e6);
const Range kMedianDays = Range::closed(1e-3, 1e7);
std::vector<std::string> keys_added(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  std::vector<std::string> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  return added;
}
std::string format_days(double d) {
  std::ostringstream out;
  out << d;
  return out.str();
}
}  // namespace

// The keys of what nature decides (the patients, their disease and response, enrollment,
// dropout, what each arm does to them), read again per trial with a replay Settings when priors
// vary some of them (models/scenario_uncertainty.hpp): everything here is re-derived from them.
unsigned population_parts_of(const std::string& key) {
  const auto under = [&](const char* prefix) { return key.rfind(prefix, 0) == 0; };
  if (under("parametric.")) return parametric_part | arms_part;
  if (under("mechanistic.")) return mechanistic_part | arms_part;
  if (under("enrollment.")) return enrollment_part;
  if (under("dropout.")) return dropout_part;
  return arms_part;
}

void read_patient_population(Settings& s, Scenario& sc, unsigned parts) {
  if (parts & parametric_part) {
    auto& p = sc.parametric;
    p.control_median_days_to_negative =
        s.real("parametric.control.median_days_to_negative", p.control_median_days_to_negative, kMedianDays);
    p.control_nk_change_mean = s.real("parametric.control.nk_change_mean", p.control_nk_change_mean, kNkMean);
    p.shape = s.real("parametric.shape", p.shape, Range{0.05, 20, false, false});
    // The two-arm shorthand's IL-2 arm; a scenario with `arms:` must not give these.
    if (s.list_size("arms") == 0) {
      p.il2_hazard_ratio = s.real("parametric.il2.hazard_ratio", p.il2_hazard_ratio, Range{0, 100, true, false});
      p.il2_nk_change_mean = s.real("parametric.il2.nk_change_mean", p.il2_nk_change_mean, kNkMean);
    }
    p.nk_change_sd = s.real("parametric.nk_change_sd", p.nk_change_sd, kNkSd);
    p.screen_failure_probability =
        s.real("parametric.screen_failure_probability", p.screen_failure_probability, Range{0, 1, false, true});
  }
  if (parts & mechanistic_part) sc.mechanistic = read_mechanistic_params(s);
  if (parts & enrollment_part) sc.enrollment = read_enrollment_params(s);
  if (parts & dropout_part)
    sc.dropout.rate_per_year = s.real("dropout.rate_per_year", sc.dropout.rate_per_year, Range::closed(0, 100));
  if (parts & arms_part) {
    sc.treatments.clear();
    read_arms_and_treatments(s, sc);
  }
}

void make_null_population(const Scenario& sc, Scenario& null) {
  null.parametric = sc.parametric;
  null.mechanistic = sc.mechanistic;
  null.enrollment = sc.enrollment;
  null.dropout = sc.dropout;
  const ArmTreatment control = sc.treatments[control_arm(sc.arms)];
  null.treatments.assign(sc.treatments.size(), control);
}

Scenario read_scenario(Settings& s) {
  Scenario sc;
  sc.name = s.text("name", "scenario");
  sc.model = s.choice("model", "parametric", {"parametric", "mechanistic"}) == "mechanistic"
                 ? PatientModelKind::mechanistic
                 : PatientModelKind::parametric;

  auto& t = sc.trial;
  t.patients = s.integer("trial.patients", t.patients, 2, 100000);
  t.follow_up_days = s.real("trial.follow_up_days", t.follow_up_days, Range::closed(1, 3650));
  t.visit_interval_days = s.real("trial.visit_interval_days", t.visit_interval_days, Range::closed(0, 365));
  if (t.visit_interval_days > t.follow_up_days)
    s.fail("trial.visit_interval_days", "must not exceed trial.follow_up_days (" + format_days(t.follow_up_days) + ")");

  const auto before = s.paths_read();
  read_patient_population(s, sc);
  const auto population_keys = keys_added(before, s.paths_read());
  read_analysis(s, sc);

  sc.simulation.trials = s.integer("simulation.trials", sc.simulation.trials, 1, 100000000);
  sc.simulation.seed = static_cast<std::uint64_t>(s.integer(
      "simulation.seed", static_cast<std::int64_t>(sc.simulation.seed), 0, std::numeric_limits<std::int64_t>::max()));

  sc.output.patient_trials = s.integer("output.patient_trials", sc.output.patient_trials, 0, 10000);
  sc.output.trajectory_patients = s.integer("output.trajectory_patients", sc.output.trajectory_patients, 0, 1000);
  // Kept patients and trajectory samples are held in memory until written: bounded here, before
  // anything runs, rather than by the machine (1e4 trials x 1e5 patients would be 56 GB).
  constexpr std::int64_t kMaxPatientRows = 2'000'000;
  const std::int64_t kept = std::min(sc.output.patient_trials, sc.simulation.trials);
  if (kept * t.patients > kMaxPatientRows)
    s.fail("output.patient_trials", "keeps " + std::to_string(kept) + " trials x " + std::to_string(t.patients) +
                                        " patients = " + std::to_string(kept * t.patients) + " patient rows; at most " +
                                        std::to_string(kMaxPatientRows));
  // A trajectory has a sample every 6 h plus two points a day of dosing (models/mechanistic).
  const double samples =
      static_cast<double>(std::min(sc.output.trajectory_patients, t.patients)) * (6 * t.follow_up_days + 2);
  if (samples > 5e6)
    s.fail("output.trajectory_patients",
           "would record about " + std::to_string(static_cast<std::int64_t>(samples)) +
               " trajectory points (6 a day over trial.follow_up_days per patient); at most 5000000");

  // Every /trials column once: an endpoint called like a family value, like a trial column
  // stem, or two that meet after their comparison suffix, would collide in the file.
  const auto schema = TrialAnalysis(sc).schema();
  const auto& columns = schema.columns;
  // The null twin's columns (analysis.type1_error) are <value>_null_reject: a value named
  // "<other>_null" would write one of them.
  if (sc.analysis.type1_error)
    for (const auto& p : schema.power)
      for (const auto& c : columns)
        if (c.name == p.name + "_null_reject")
          s.fail("analysis.type1_error", "the type-I error of '" + p.name + "' would write the column '" + c.name +
                                             "', which a result already writes; rename that endpoint (not *_null)");
  for (std::size_t i = 0; i < columns.size(); ++i)
    for (std::size_t j = i + 1; j < columns.size(); ++j)
      if (columns[i].name == columns[j].name)
        s.fail(!columns[i].arm.empty() || !columns[j].arm.empty() ? "arms"
               : s.list_size("endpoints") > 0                     ? "endpoints"
                                                                  : "analysis.endpoints",
               "two results would both write the column '" + columns[i].name +
                   "'; rename an endpoint or arm (family values use primary_wins, all_key_secondaries_win, "
                   "any_primary_wins, any_family_rejection, group_sequential; per-arm summaries km_median_<arm> "
                   "and negative_by_day28_<arm>; the monitor gs_*)");

  sc.uncertainty = read_uncertainty(s, population_keys);
  sc.calibration = read_calibration(s, sc);

  s.finish();
  // Last: every key is valid by now, and the pilot screening costs a millisecond.
  if (sc.model == PatientModelKind::mechanistic) check_eligible_share(s, sc.mechanistic);
  if (sc.uncertainty) check_uncertain_scenario(s, sc);
  sc.resolved_yaml = s.resolved_yaml();
  return sc;
}

}  // namespace vtrial
