#pragma once
// How results reach a person (a table) or a script (one JSON object on stdout). Both render
// the result schema's description of each value (EndpointPower, design_fields): neither
// rebuilds meaning from column names.
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "design/arms.hpp"
#include "engine/power_summary.hpp"
#include "app/uncertainty_tally.hpp"
#include "models/scenario.hpp"

namespace vtrial::cli {

using Json = nlohmann::ordered_json;

// `measure` heads the column: "power", or "assurance" when the trials drew their unknowns from
// priors. A type-I error column follows where the run simulated the null.
void print_power_table(std::ostream& out, const std::vector<EndpointPower>& power, double seconds,
                       const std::string& measure = "power");
Json power_json(const std::vector<EndpointPower>& power);
// With `uncertainty:`: what drives the primary endpoint's success (variance shares, and the
// conditional power in the lowest and highest bin of each prior).
void print_uncertainty(std::ostream& out, const Scenario& scenario, const UncertaintyResult& uncertainty);
Json uncertainty_json(const Scenario& scenario, const UncertaintyResult& uncertainty);
// `deadline` is the planned completion date as text (YYYY-MM-DD).
void print_design_summary(std::ostream& out, const DesignSummary& design, const std::vector<Arm>& arms,
                          const std::string& deadline);
Json design_json(const DesignSummary& design);
// One line of JSON: NaN and infinities become null, invalid UTF-8 in names is replaced.
std::string json_line(const Json& value);

}  // namespace vtrial::cli
