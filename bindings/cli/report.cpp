#include "bindings/cli/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "models/calibration.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial::cli {
namespace {

Json number(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

double descriptive(const DesignSummary& d, const std::string& name) {
  for (const auto& [n, v] : d.descriptive)
    if (n == name) return v;
  return std::nan("");
}

}  // namespace

std::string json_line(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

void print_power_table(std::ostream& out, const std::vector<EndpointPower>& power, double seconds,
                       const std::string& measure) {
  int width = 28;
  for (const auto& p : power) width = std::max(width, static_cast<int>(p.name.size()));
  const bool type1 = std::any_of(power.begin(), power.end(), [](const EndpointPower& p) { return p.type1.trials > 0; });
  char line[400];
  std::snprintf(line, sizeof line, "%-*s %9s  %-17s %8s %8s %9s%s\n", width, "endpoint", measure.c_str(),
                "95% CI (Wilson)", "MC SE", "trials", "seconds", type1 ? "   type I    MC SE" : "");
  out << line;
  for (const auto& p : power) {
    std::snprintf(line, sizeof line, "%-*s %9.4f  [%.4f, %.4f]  %8.4f %8llu %9.2f", width, p.name.c_str(), p.power,
                  p.ci_low, p.ci_high, p.mc_se, static_cast<unsigned long long>(p.trials), seconds);
    out << line;
    if (type1) {
      std::snprintf(line, sizeof line, "  %7.4f  %7.4f", p.type1.power, p.type1.mc_se);
      out << line;
    }
    out << "\n";
  }
}

void print_uncertainty(std::ostream& out, const Scenario& scenario, const UncertaintyResult& uncertainty) {
  if (!scenario.uncertainty) return;
  const SensitivityResult& sensitivity = uncertainty.sensitivity;
  const std::string& primary = scenario.analysis.primary;
  std::string endpoint = primary;
  for (const auto& v : sensitivity.shares)
    if (v.outcome.rfind(primary, 0) == 0) {
      endpoint = v.outcome;  // with several comparisons, the first one's
      break;
    }
  char line[400];
  out << "\nwhat drives " << endpoint << " (share of its variance each prior explains, binned; power by bin):\n";
  std::snprintf(line, sizeof line, "  %-40s %7s %7s   %s\n", "key", "share", "MC SE",
                "power in the lowest .. highest bin");
  out << line;
  for (const auto& v : sensitivity.shares) {
    if (v.outcome != endpoint) continue;
    std::string bins;
    for (const auto& c : sensitivity.conditional)
      if (c.input == v.input && c.outcome == endpoint) {
        std::snprintf(line, sizeof line, "%s%.3f", bins.empty() ? "" : " ", c.power);
        bins += line;
      }
    std::snprintf(line, sizeof line, "  %-40s %7.3f %7.3f   %s\n", v.input.c_str(), v.share, v.mc_se, bins.c_str());
    out << line;
  }
  if (!uncertainty.posterior || !scenario.calibration) return;
  const PosteriorResult& post = *uncertainty.posterior;
  const auto& keys = scenario.uncertainty->keys;
  std::snprintf(line, sizeof line,
                "\ncalibrated to %zu published target(s): effective trials %.0f of %zu (the assurance above is "
                "under the posterior)\n",
                scenario.calibration->targets.size(), post.effective_trials, post.trials);
  out << line;
  std::snprintf(line, sizeof line, "  %-40s %21s %21s\n", "key", "prior median [95%]", "posterior median [95%]");
  out << line;
  for (std::size_t i = 0; i < post.values.size(); ++i) {
    const auto& v = post.values[i];
    const auto& a = v.prior.quantiles;
    const auto& b = v.posterior.quantiles;
    std::snprintf(line, sizeof line, "  %-40s %7.4g [%.4g, %.4g] %7.4g [%.4g, %.4g]%s\n", v.name.c_str(), a[3], a[0],
                  a[6], b[3], b[0], b[6], i < keys.size() ? "" : "  (simulated statistic)");
    out << line;
  }
  for (const auto& t : scenario.calibration->targets) {
    std::snprintf(line, sizeof line, "  target %s: published %.4g (sd %.4g, %lld patients)%s%s\n", t.name.c_str(),
                  t.value, t.sd, static_cast<long long>(t.patients), t.source.empty() ? "" : "; ", t.source.c_str());
    out << line;
  }
}

Json uncertainty_json(const Scenario& scenario, const UncertaintyResult& uncertainty) {
  if (!scenario.uncertainty) return Json();
  const SensitivityResult& sensitivity = uncertainty.sensitivity;
  const auto& u = *scenario.uncertainty;
  Json priors = Json::array();
  for (std::size_t i = 0; i < u.keys.size(); ++i) {
    const auto& m = u.prior.marginals()[i];
    priors.push_back({{"key", u.keys[i]},
                      {"distribution", m.describe()},
                      {"family", prior_family_name(m.family)},
                      {"median", number(m.quantile(0.5))},
                      {"low", number(m.support_low())},
                      {"high", number(m.support_high())}});
  }
  Json drivers = Json::array(), conditional = Json::array();
  for (const auto& v : sensitivity.shares)
    drivers.push_back(
        {{"key", v.input}, {"endpoint", v.outcome}, {"share", number(v.share)}, {"mc_se", number(v.mc_se)}});
  for (const auto& c : sensitivity.conditional)
    conditional.push_back({{"key", c.input},
                           {"endpoint", c.outcome},
                           {"bin", c.bin},
                           {"low", number(c.low)},
                           {"high", number(c.high)},
                           {"trials", c.trials},
                           {"rejections", c.successes},
                           {"power", number(c.power)},
                           {"ci_low", number(c.ci_low)},
                           {"ci_high", number(c.ci_high)}});
  Json out = {{"priors", priors}, {"drivers", drivers}, {"conditional", conditional}};
  if (!u.correlation.empty()) out["correlation"] = u.correlation;
  if (uncertainty.posterior && scenario.calibration) {
    const PosteriorResult& post = *uncertainty.posterior;
    const auto summary = [](const WeightedSummary& w) {
      Json q = Json::object();
      for (std::size_t k = 0; k < kPosteriorLevels.size(); ++k) {
        char name[16];
        std::snprintf(name, sizeof name, "%g", kPosteriorLevels[k]);
        q[name] = number(w.quantiles[k]);
      }
      return Json{{"mean", number(w.mean)}, {"sd", number(w.sd)}, {"quantiles", q}};
    };
    Json values = Json::array();
    for (const auto& v : post.values)
      values.push_back(
          {{"name", v.name}, {"prior", summary(v.prior)}, {"posterior", summary(v.posterior)}, {"missing", v.missing}});
    Json targets = Json::array();
    for (const auto& t : scenario.calibration->targets)
      targets.push_back(
          {{"name", t.name},
           {"statistic", t.statistic == CalibrationStatistic::median_days_to_negative ? "median_days_to_negative"
                                                                                      : "share_negative_by_day"},
           {"day", t.statistic == CalibrationStatistic::share_negative_by_day ? Json(t.day) : Json()},
           {"value", t.value},
           {"sd", t.sd},
           {"patients", t.patients},
           {"source", t.source}});
    out["calibration"] = {{"trials", post.trials},
                          {"effective_trials", number(post.effective_trials)},
                          {"weight_sum", number(post.weight_sum)},
                          {"targets", targets},
                          {"values", values}};
  }
  return out;
}

Json power_json(const std::vector<EndpointPower>& power) {
  Json list = Json::array();
  for (const auto& p : power) {
    Json e = {{"name", p.name},
              {"power", number(p.power)},
              {"mc_se", number(p.mc_se)},
              {"ci_low", number(p.ci_low)},
              {"ci_high", number(p.ci_high)},
              {"rejections", p.rejections},
              {"trials", p.trials},
              {"kind", p.kind},
              {"endpoint", p.endpoint}};
    if (!p.comparison.empty()) e["comparison"] = p.comparison;
    if (!p.test.empty()) e["test"] = p.test;
    if (!p.outcome.empty()) e["outcome"] = p.outcome;
    if (!p.estimate.empty()) e["estimate"] = p.estimate;
    if (p.effective_trials != static_cast<double>(p.trials)) {
      e["effective_trials"] = number(p.effective_trials);
      e["prior_power"] = number(p.prior_power);
      e["prior_mc_se"] = number(p.prior_mc_se);
    }
    if (p.type1.trials > 0) {  // the names of /summary's columns
      e["type1_error"] = number(p.type1.power);
      e["type1_mc_se"] = number(p.type1.mc_se);
      e["type1_ci_low"] = number(p.type1.ci_low);
      e["type1_ci_high"] = number(p.type1.ci_high);
      e["type1_rejections"] = p.type1.rejections;
    }
    list.push_back(std::move(e));
  }
  return list;
}

void print_design_summary(std::ostream& out, const DesignSummary& d, const std::vector<Arm>& arms,
                          const std::string& deadline) {
  char line[400];
  std::snprintf(line, sizeof line,
                "enrollment: median %.0f days to the last randomization (10%%-90%%: %.0f-%.0f); "
                "%.1f candidates screened on average\n",
                d.median_enrollment_days, d.enrollment_days_p10, d.enrollment_days_p90, d.mean_screened);
  out << line;
  std::snprintf(line, sizeof line,
                "by the planned completion date %s: P(enrolled) = %.3f [%.3f, %.3f], P(last visit done) = %.3f "
                "[%.3f, %.3f]\n",
                deadline.c_str(), d.p_enrolled_by_deadline, d.p_enrolled_low, d.p_enrolled_high,
                d.p_completed_by_deadline, d.p_completed_low, d.p_completed_high);
  out << line;
  if (!d.p_stop_at_look.empty()) {
    out << "group-sequential: P(stop at look 1.." << d.p_stop_at_look.size() << ") =";
    for (double p : d.p_stop_at_look) {
      std::snprintf(line, sizeof line, " %.3f", p);
      out << line;
    }
    std::snprintf(line, sizeof line, "; P(futility stop) = %.3f; expected sample size %.1f\n", d.p_futility_stop,
                  d.mean_patients);
    out << line;
  }
  if (!d.looks.empty()) {
    out << "group-sequential boundaries (two-sided):\n";
    for (std::size_t j = 0; j < d.looks.size(); ++j) {
      const LookSummary& l = d.looks[j];
      std::string when = std::isnan(l.information_fraction)
                             ? ""
                             : "information " + std::to_string(l.information_fraction).substr(0, 5);
      if (!std::isnan(l.day)) when = "day " + std::to_string(static_cast<long long>(l.day));
      if (when.empty()) when = "final";
      std::string efficacy = "reject H0 at each trial's spending boundary";
      if (!std::isnan(l.efficacy_z)) {
        std::snprintf(line, sizeof line, "reject H0 if |z| >= %.4f (nominal p %.6f)", l.efficacy_z, l.efficacy_p);
        efficacy = line;
      }
      std::string futility;
      if (!std::isnan(l.futility_z)) {
        std::snprintf(line, sizeof line, "; stop for futility if z < %.3f", l.futility_z);
        futility = line;
      }
      std::snprintf(line, sizeof line, "  look %zu (%s): %s%s; P(stop here) %.3f\n", j + 1, when.c_str(),
                    efficacy.c_str(), futility.c_str(), l.p_stop);
      out << line;
    }
  }
  std::string medians, by28;
  for (const auto& arm : arms) {
    std::snprintf(line, sizeof line, "%s%.1f (%s)", medians.empty() ? "" : " vs ",
                  descriptive(d, "km_median_" + arm.name), arm.name.c_str());
    medians += line;
    std::snprintf(line, sizeof line, "%s%.3f", by28.empty() ? "" : " vs ",
                  descriptive(d, "negative_by_day28_" + arm.name));
    by28 += line;
  }
  out << "mean over trials: Kaplan-Meier median days to negativity " << medians << "; negative by day 28: " << by28
      << "\n";
}

Json design_json(const DesignSummary& d) {
  Json out = Json::object();
  for (const auto& [name, v] : design_fields(d)) out[name] = number(v);
  if (!d.looks.empty()) {
    Json looks = Json::array();
    for (std::size_t j = 0; j < d.looks.size(); ++j) {
      const LookSummary& l = d.looks[j];
      Json look = {{"look", j + 1},
                   {"information_fraction", number(l.information_fraction)},
                   {"efficacy_z", number(l.efficacy_z)},
                   {"efficacy_p", number(l.efficacy_p)},
                   {"futility_z", number(l.futility_z)},
                   {"p_stop", number(l.p_stop)}};
      if (!std::isnan(l.day)) look["day"] = l.day;
      looks.push_back(std::move(look));
    }
    out["looks"] = std::move(looks);
  }
  return out;
}

}  // namespace vtrial::cli
