#include "bindings/cli/report.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace vtrial::cli {

std::string json_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return "\"" + out + "\"";
}

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

void print_power_table(std::ostream& out, const std::vector<EndpointPower>& power, double seconds) {
  char line[160];
  std::snprintf(line, sizeof line, "%-28s %7s  %-17s %8s %8s %9s\n", "endpoint", "power", "95% CI (Wilson)",
                "MC SE", "trials", "seconds");
  out << line;
  for (const auto& p : power) {
    std::snprintf(line, sizeof line, "%-28s %7.4f  [%.4f, %.4f]  %8.4f %8llu %9.2f\n", p.name.c_str(), p.power,
                  p.ci_low, p.ci_high, p.mc_se, static_cast<unsigned long long>(p.trials), seconds);
    out << line;
  }
}

std::string power_json_list(const std::vector<EndpointPower>& power) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto& p = power[i];
    out << (i ? ", " : "") << "{\"name\": " << json_escape(p.name) << ", \"power\": " << json_number(p.power)
        << ", \"mc_se\": " << json_number(p.mc_se) << ", \"ci_low\": " << json_number(p.ci_low)
        << ", \"ci_high\": " << json_number(p.ci_high) << ", \"rejections\": " << p.rejections
        << ", \"trials\": " << p.trials << "}";
  }
  out << "]";
  return out.str();
}

void print_design_summary(std::ostream& out, const DesignSummary& d, const std::string& deadline) {
  char line[200];
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
  double median[2] = {0, 0}, by28[2] = {0, 0};
  for (const auto& [name, v] : d.descriptive) {
    if (name == "km_median_control") median[0] = v;
    if (name == "km_median_il2") median[1] = v;
    if (name == "negative_by_day28_control") by28[0] = v;
    if (name == "negative_by_day28_il2") by28[1] = v;
  }
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
  std::snprintf(line, sizeof line,
                "mean over trials: Kaplan-Meier median days to negativity %.1f (control) vs %.1f (IL-2); "
                "negative by day 28: %.3f vs %.3f\n",
                median[0], median[1], by28[0], by28[1]);
  out << line;
}

std::string design_json(const DesignSummary& d) {
  std::ostringstream out;
  out << "{\"p_enrolled_by_deadline\": " << json_number(d.p_enrolled_by_deadline)
      << ", \"p_completed_by_deadline\": " << json_number(d.p_completed_by_deadline)
      << ", \"median_enrollment_days\": " << json_number(d.median_enrollment_days)
      << ", \"mean_screened\": " << json_number(d.mean_screened)
      << ", \"mean_patients\": " << json_number(d.mean_patients);
  if (!d.p_stop_at_look.empty()) {
    out << ", \"p_stop_at_look\": [";
    for (std::size_t j = 0; j < d.p_stop_at_look.size(); ++j) out << (j ? ", " : "") << json_number(d.p_stop_at_look[j]);
    out << "], \"p_futility_stop\": " << json_number(d.p_futility_stop);
  }
  for (const auto& [name, v] : d.descriptive) out << ", \"mean_" << name << "\": " << json_number(v);
  out << "}";
  return out.str();
}

}  // namespace vtrial::cli
