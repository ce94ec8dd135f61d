#pragma once
// Every value a run reports, described once per scenario: the per-trial columns (name, type,
// role, and the endpoint, comparison or arm they belong to) and the values that get a power
// figure. The faces (HDF5, --json, Python, the text table) render this schema; none of them
// rebuilds meaning from column names.
#include <string>
#include <string_view>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

// parameter: a value drawn from a prior for the trial (`uncertainty:`); null_reject: the
// rejection of a power value in the same trial simulated under the null (analysis.type1_error);
// calibration: a calibration target's statistic on the trial's cohort; weight: the trial's
// importance weight from the calibration (`calibration:`).
enum class ValueRole : std::uint8_t {
  p_value,
  estimate,
  reject,
  descriptive,
  trial,
  monitor,
  parameter,
  null_reject,
  calibration,
  weight
};
std::string_view value_role_name(ValueRole role);

struct SchemaColumn {
  std::string name;
  ColumnType type = ColumnType::real;
  ValueRole role = ValueRole::trial;
  std::string endpoint;    // endpoint or family value it belongs to ("" = none)
  std::string comparison;  // "il2 vs control" ("" = none)
  std::string arm;         // for per-arm descriptive values ("" = none)
};

// endpoint: one test of one comparison; family: a multiplicity-adjusted decision over several;
// group_sequential: the group-sequential design's decision at any look.
enum class PowerKind : std::uint8_t { endpoint, family, group_sequential };
std::string_view power_kind_name(PowerKind kind);

struct PowerSpec {
  std::string name;  // its columns are <name>_p, <name>_estimate, <name>_reject
  PowerKind kind = PowerKind::endpoint;
  std::string endpoint;    // the declared endpoint (or family value) without comparison suffix
  std::string comparison;  // "" when not about one comparison
  std::string test;        // registry name, "" for family values
  std::string outcome;     // "" for family values
  std::string estimate;    // what the estimate column holds
};

struct ResultSchema {
  std::vector<SchemaColumn> columns;
  std::vector<PowerSpec> power;

  // Appends <name>_p, <name>_estimate, <name>_reject and the power entry.
  void add_power(const PowerSpec& spec);
  void add_column(SchemaColumn column) { columns.push_back(std::move(column)); }
  std::vector<ColumnSpec> column_specs() const;
};

}  // namespace vtrial
