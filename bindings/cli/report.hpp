#pragma once
// How results reach a person (a table) or a script (one JSON object on stdout).
#include <iosfwd>
#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "engine/power_summary.hpp"

namespace vtrial::cli {

std::string json_escape(const std::string& s);
std::string json_number(double x);  // NaN/inf become null

void print_power_table(std::ostream& out, const std::vector<EndpointPower>& power, double seconds);
std::string power_json_list(const std::vector<EndpointPower>& power);
// `deadline` is the planned completion date as text (YYYY-MM-DD).
void print_design_summary(std::ostream& out, const DesignSummary& design, const std::string& deadline);
std::string design_json(const DesignSummary& design);

}  // namespace vtrial::cli
