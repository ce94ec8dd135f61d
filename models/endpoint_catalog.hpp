#pragma once
// NCT06971913's endpoints by name, each an outcome and a test: what a scenario gets when it
// declares no `endpoints:` list, and what `analysis.endpoints` picks from (see docs/scenario.md).
#include <string>
#include <vector>

#include "design/endpoint.hpp"

namespace vtrial {

const std::vector<CatalogEndpoint>& endpoint_catalog();
// The protocol's primary endpoint and key secondaries (tested after it), by catalog name.
inline const char* const kCatalogPrimary = "duration_of_viremia";
inline const std::vector<std::string> kCatalogKeySecondary = {"nk_change", "clinical_response"};

}  // namespace vtrial
