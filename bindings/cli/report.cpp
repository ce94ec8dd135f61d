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

}  // namespace vtrial::cli
