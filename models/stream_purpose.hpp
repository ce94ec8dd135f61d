#pragma once
// The purposes under which a patient slot draws random numbers. Each purpose is its own stream,
// so adding draws to one part of the model never shifts the numbers another part sees; that
// keeps common random numbers intact as the model grows. Never renumber: append.
#include <cstdint>

namespace vtrial {

enum class StreamPurpose : std::uint64_t {
  randomization = 1,  // trial-level: permuted blocks (patient field = block index)
  time_to_negative = 2,
  dropout = 3,
  nk_change = 4,
  screening = 5,  // candidate characteristics and eligibility
  kinetics = 6,   // between-patient variability of the within-host model
  assay = 7,      // PCR and NK measurement error
  adverse_events = 8,
  visit_jitter = 9,
  lupus_activity = 10,
  enrollment = 11,         // trial-level: site openings and arrivals
  eligibility_pilot = 12,  // load time: candidates drawn to check the criteria admit anyone
  parameter_draw = 13,     // trial-level: the draw of the unknowns with priors (patient field = prior index)
};

constexpr std::uint64_t purpose_id(StreamPurpose p) { return static_cast<std::uint64_t>(p); }

}  // namespace vtrial
