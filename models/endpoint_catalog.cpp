#include "models/endpoint_catalog.hpp"

#include <stdexcept>

namespace vtrial {

std::vector<std::string> available_endpoints(PatientModelKind model) {
  std::vector<std::string> names;
  for (const auto& e : kEndpointCatalog)
    if (!e.needs_lupus_and_safety || model == PatientModelKind::mechanistic) names.emplace_back(e.name);
  return names;
}

const EndpointInfo& endpoint_info(std::string_view name) {
  for (const auto& e : kEndpointCatalog)
    if (e.name == name) return e;
  throw std::out_of_range("unknown endpoint '" + std::string(name) + "'");
}

}  // namespace vtrial
