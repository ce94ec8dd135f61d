#pragma once
// The simulator's results as R values: a table becomes a named list of equal-length columns
// (the R side makes it a data.frame), the design summary a named list. The names are those of
// the HDF5 file (docs/output.md), so run() and read_result() give the same columns.
#include <Rcpp.h>

#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "app/sample_size.hpp"
#include "app/uncertainty_tables.hpp"
#include "engine/power_summary.hpp"
#include "engine/result_table.hpp"

namespace vtrial::r {

Rcpp::List table_columns(const ResultTable& table);
// One row per result, with /summary's columns.
Rcpp::List power_columns(const std::vector<EndpointPower>& power);
// /design's values by name, plus `looks` (columns of /design/looks) for a group-sequential design.
Rcpp::List design_list(const DesignSummary& design);
// With `uncertainty:`: each table of app/uncertainty_tables.hpp by its path
// ("uncertainty/priors", "calibration/targets", ...), text columns first.
Rcpp::List group_columns(const std::vector<ResultGroup>& groups);
// `power`: one row per (N, result) with the power columns, `patients` and the differences to
// the previous N; `design`: one row per N.
Rcpp::List sweep_list(const SweepResult& sweep);

}  // namespace vtrial::r
