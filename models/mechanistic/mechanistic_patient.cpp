#include "models/mechanistic/mechanistic_patient.hpp"

#include <stdexcept>

namespace vtrial {

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario&) {
  throw std::runtime_error("model: mechanistic is not available in this build yet");
}

}  // namespace vtrial
