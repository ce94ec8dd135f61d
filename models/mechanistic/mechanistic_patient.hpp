#pragma once
#include <memory>

#include "models/patient_model.hpp"
#include "models/scenario.hpp"

namespace vtrial {

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario);

}  // namespace vtrial
