#include "models/outcomes.hpp"

#include "models/scenario.hpp"

namespace vtrial {
namespace {

using Records = std::span<const PatientRecord>;
using Reader = void (*)(Records, OutcomeColumn&);

template <double PatientRecord::*field>
void read_real(Records patients, OutcomeColumn& column) {
  column.value.resize(patients.size());
  for (std::size_t i = 0; i < patients.size(); ++i) column.value[i] = patients[i].*field;
}

template <std::uint8_t PatientRecord::*field>
void read_flag(Records patients, OutcomeColumn& column) {
  column.flag.resize(patients.size());
  for (std::size_t i = 0; i < patients.size(); ++i) column.flag[i] = patients[i].*field;
}

template <AdverseEvent kind>
void read_adverse(Records patients, OutcomeColumn& column) {
  column.flag.resize(patients.size());
  for (std::size_t i = 0; i < patients.size(); ++i)
    column.flag[i] = patients[i].adverse[static_cast<std::size_t>(kind)];
}

void read_time_to_negative(Records patients, OutcomeColumn& column) {
  read_real<&PatientRecord::time_days>(patients, column);
  read_flag<&PatientRecord::event>(patients, column);
}

struct Declared {
  OutcomeSpec spec;
  bool parametric;  // the parametric model fills it too (the mechanistic model fills all)
  Reader read;
};

// kTimeToNegative must stay first.
const std::vector<Declared>& declared() {
  static const std::vector<Declared> outcomes = {
      {{"time_to_negative", DataKind::time_to_event,
        "days from randomization to the first negative PCR (censored at dropout or end of follow-up)"},
       true,
       read_time_to_negative},
      {{"nk_change", DataKind::continuous, "NK cells/uL at the last visit minus baseline"},
       true,
       read_real<&PatientRecord::nk_change>},
      {{"dropped_out", DataKind::binary, "left the study early (dropout)"},
       true,
       read_flag<&PatientRecord::dropped_out>},
      {{"sledai_change", DataKind::continuous, "SLEDAI-2K at the last visit minus baseline"},
       false,
       read_real<&PatientRecord::sledai_change>},
      {{"clinical_response", DataKind::binary, "SLEDAI-2K fell by 4 or more"},
       false,
       read_flag<&PatientRecord::clinical_response>},
      {{"ae_neutropenia", DataKind::binary, "neutropenia at least once"},
       false,
       read_adverse<AdverseEvent::neutropenia>},
      {{"ae_thrombocytopenia", DataKind::binary, "thrombocytopenia at least once"},
       false,
       read_adverse<AdverseEvent::thrombocytopenia>},
      {{"ae_injection_site_reaction", DataKind::binary, "injection-site reaction at least once"},
       false,
       read_adverse<AdverseEvent::injection_site_reaction>},
      {{"ae_fever", DataKind::binary, "fever at least once"}, false, read_adverse<AdverseEvent::fever>},
  };
  return outcomes;
}

}  // namespace

const std::vector<OutcomeSpec>& trial_outcomes() {
  static const std::vector<OutcomeSpec> specs = [] {
    std::vector<OutcomeSpec> out;
    for (const auto& d : declared()) out.push_back(d.spec);
    return out;
  }();
  return specs;
}

bool model_fills(PatientModelKind model, const std::string& name) {
  for (const auto& d : declared())
    if (d.spec.name == name) return model == PatientModelKind::mechanistic || d.parametric;
  return false;
}

void read_outcome(std::size_t index, std::span<const PatientRecord> patients, OutcomeColumn& column) {
  declared()[index].read(patients, column);
}

}  // namespace vtrial
