#pragma once
// Patient records and trajectories as column tables, the shape in which they are stored.
#include <vector>

#include "engine/result_table.hpp"
#include "models/patient_record.hpp"

namespace vtrial {

// kept[t] holds trial t's patients; rows are ordered by trial, then slot.
ResultTable patient_table(const std::vector<std::vector<PatientRecord>>& kept);
// trajectories[k] is patient k's course; `arms[k]` its arm.
ResultTable trajectory_table(const std::vector<Trajectory>& trajectories, const std::vector<std::uint8_t>& arms);

}  // namespace vtrial
