#include "models/record_tables.hpp"

#include <string>

namespace vtrial {

ResultTable patient_table(const std::vector<std::vector<PatientRecord>>& kept) {
  std::vector<ColumnSpec> cols = {
      {"trial", ColumnType::integer},       {"patient", ColumnType::integer},
      {"arm", ColumnType::integer},         {"time_days", ColumnType::real},
      {"event", ColumnType::integer},       {"dropped_out", ColumnType::integer},
      {"nk_baseline", ColumnType::real},    {"nk_change", ColumnType::real},
      {"screened", ColumnType::integer},    {"resistant", ColumnType::integer},
      {"sledai_change", ColumnType::real},  {"clinical_response", ColumnType::integer},
  };
  for (std::size_t a = 0; a < kAdverseEventKinds; ++a)
    cols.push_back({std::string("ae_") + adverse_event_name(static_cast<AdverseEvent>(a)), ColumnType::integer});
  std::size_t rows = 0;
  for (const auto& trial : kept) rows += trial.size();
  ResultTable table(cols, rows);
  std::size_t i = 0;
  for (std::size_t t = 0; t < kept.size(); ++t) {
    for (std::size_t k = 0; k < kept[t].size(); ++k, ++i) {
      const PatientRecord& p = kept[t][k];
      std::size_t c = 0;
      for (double v : {static_cast<double>(t), static_cast<double>(k), double(p.arm), p.time_days, double(p.event),
                       double(p.dropped_out), p.nk_baseline, p.nk_change, double(p.screened), double(p.resistant),
                       p.sledai_change, double(p.clinical_response)})
        table.at(c++, i) = v;
      for (std::size_t a = 0; a < kAdverseEventKinds; ++a) table.at(c++, i) = p.adverse[a];
    }
  }
  return table;
}

ResultTable trajectory_table(const std::vector<Trajectory>& trajectories, const std::vector<std::uint8_t>& arms) {
  const std::vector<ColumnSpec> cols = {
      {"patient", ColumnType::integer},     {"arm", ColumnType::integer},
      {"time_days", ColumnType::real},      {"viral_load", ColumnType::real},
      {"observed_viral_load", ColumnType::real}, {"nk_cells", ColumnType::real},
      {"gcv_concentration", ColumnType::real},   {"sledai", ColumnType::real},
  };
  std::size_t rows = 0;
  for (const auto& t : trajectories) rows += t.size();
  ResultTable table(cols, rows);
  std::size_t i = 0;
  for (std::size_t k = 0; k < trajectories.size(); ++k) {
    for (const auto& point : trajectories[k]) {
      std::size_t c = 0;
      for (double v : {static_cast<double>(k), double(arms[k]), point.time_days, point.viral_load,
                       point.observed_viral_load, point.nk_cells, point.gcv_concentration, point.sledai})
        table.at(c++, i) = v;
      ++i;
    }
  }
  return table;
}

}  // namespace vtrial
