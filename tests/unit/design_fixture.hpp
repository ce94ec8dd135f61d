#pragma once
// Helpers for tests of the design layer (design/endpoint_analysis.hpp) on hand-built data:
// endpoint specs resolved as read_endpoints would resolve them, and result values by name.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "design/endpoint_analysis.hpp"

namespace vtrial::testing {

inline EndpointSpec make_endpoint(const std::string& name, const std::vector<OutcomeSpec>& outcomes,
                                  std::size_t outcome, const std::string& test, std::vector<Comparison> comparisons,
                                  double horizon_days = std::numeric_limits<double>::infinity(),
                                  double by_day = std::numeric_limits<double>::quiet_NaN()) {
  EndpointSpec e;
  e.name = name;
  e.outcome = outcomes.at(outcome).name;
  e.test = test;
  e.comparisons = std::move(comparisons);
  e.horizon_days = horizon_days;
  e.by_day = by_day;
  e.outcome_index = outcome;
  e.reads = std::isnan(by_day) ? outcomes[outcome].kind : DataKind::binary;
  return e;
}

// Runs the analysis once and keeps the row, read by column name (a missing name is a failure,
// so a renamed column cannot pass silently).
struct AnalysisRow {
  const ResultSchema* schema = nullptr;
  std::vector<double> row;

  AnalysisRow(EndpointAnalysis& analysis, const TrialData& data)
      : schema(&analysis.schema()), row(analysis.schema().columns.size(), -12345.0) {
    analysis.analyze(data, row);
  }
  bool has(const std::string& name) const {
    for (const auto& c : schema->columns)
      if (c.name == name) return true;
    return false;
  }
  double operator[](const std::string& name) const {
    for (std::size_t i = 0; i < schema->columns.size(); ++i)
      if (schema->columns[i].name == name) return row[i];
    ADD_FAILURE() << "no column '" << name << "'";
    return std::numeric_limits<double>::quiet_NaN();
  }
};

inline std::vector<std::string> column_names(const ResultSchema& schema) {
  std::vector<std::string> names;
  for (const auto& c : schema.columns) names.push_back(c.name);
  return names;
}

}  // namespace vtrial::testing
