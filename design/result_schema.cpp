#include "design/result_schema.hpp"

namespace vtrial {

std::string_view value_role_name(ValueRole role) {
  switch (role) {
    case ValueRole::p_value:
      return "p_value";
    case ValueRole::estimate:
      return "estimate";
    case ValueRole::reject:
      return "reject";
    case ValueRole::descriptive:
      return "descriptive";
    case ValueRole::trial:
      return "trial";
    case ValueRole::monitor:
      return "monitor";
    case ValueRole::parameter:
      return "parameter";
    case ValueRole::null_reject:
      return "null_reject";
    case ValueRole::calibration:
      return "calibration";
    case ValueRole::weight:
      return "weight";
  }
  return "unknown";
}

std::string_view power_kind_name(PowerKind kind) {
  switch (kind) {
    case PowerKind::endpoint:
      return "endpoint";
    case PowerKind::family:
      return "family";
    case PowerKind::group_sequential:
      return "group_sequential";
  }
  return "unknown";
}

void ResultSchema::add_power(const PowerSpec& spec) {
  columns.push_back({spec.name + "_p", ColumnType::real, ValueRole::p_value, spec.endpoint, spec.comparison, ""});
  columns.push_back(
      {spec.name + "_estimate", ColumnType::real, ValueRole::estimate, spec.endpoint, spec.comparison, ""});
  columns.push_back(
      {spec.name + "_reject", ColumnType::integer, ValueRole::reject, spec.endpoint, spec.comparison, ""});
  power.push_back(spec);
}

std::vector<ColumnSpec> ResultSchema::column_specs() const {
  std::vector<ColumnSpec> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back({c.name, c.type});
  return out;
}

}  // namespace vtrial
