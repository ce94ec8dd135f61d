#pragma once
// Outcomes: the per-patient columns a patient model declares it fills, which endpoints read by
// name. The design layer never sees a patient record: the model's reader copies an outcome's
// values for one trial into an OutcomeColumn.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {

struct OutcomeSpec {
  std::string name;
  DataKind kind;
  std::string meaning;  // one line, for docs and `vtrial validate`
};

// One trial's values of an outcome, patient by patient. time_to_event: value = time (days),
// flag = 1 if the event was observed; continuous: value (NaN = not measured); binary: flag.
struct OutcomeColumn {
  std::vector<double> value;
  std::vector<std::uint8_t> flag;
};

// One trial's observed data: the arm of every patient and the outcome columns the analysis
// reads (indexed like the declared outcomes; unread ones stay empty).
struct TrialData {
  std::span<const std::uint8_t> arm;
  std::vector<OutcomeColumn> outcomes;
};

}  // namespace vtrial
