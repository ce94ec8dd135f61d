#pragma once
// The outcomes of this trial's patient record that endpoints can read by name, which patient
// model fills each, and how one trial's values are copied out of the records.
#include <span>
#include <string>
#include <vector>

#include "design/outcome.hpp"
#include "models/patient_record.hpp"

namespace vtrial {

enum class PatientModelKind;

// Every outcome a model of this trial can fill, in a fixed order (the index of an outcome in
// TrialData::outcomes is its index here).
const std::vector<OutcomeSpec>& trial_outcomes();
// Whether `model` fills outcome `name`.
bool model_fills(PatientModelKind model, const std::string& name);
// The outcome every trial reads for its own bookkeeping (time to CMV negativity).
constexpr std::size_t kTimeToNegative = 0;

// Copies outcome `index` of `patients` into `column`.
void read_outcome(std::size_t index, std::span<const PatientRecord> patients, OutcomeColumn& column);

}  // namespace vtrial
