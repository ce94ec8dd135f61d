#pragma once
// What a real trial would record about one randomized patient, plus what only a simulation
// knows (e.g. whether the virus was resistant) for diagnostics. Fields a model does not
// produce stay at their defaults (NaN or 0), and the analysis skips endpoints that rely on them.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace vtrial {

enum class AdverseEvent : std::uint8_t { neutropenia, thrombocytopenia, injection_site_reaction, fever, count };
constexpr std::size_t kAdverseEventKinds = static_cast<std::size_t>(AdverseEvent::count);
constexpr const char* adverse_event_name(AdverseEvent e) {
  switch (e) {
    case AdverseEvent::neutropenia:
      return "neutropenia";
    case AdverseEvent::thrombocytopenia:
      return "thrombocytopenia";
    case AdverseEvent::injection_site_reaction:
      return "injection_site_reaction";
    case AdverseEvent::fever:
      return "fever";
    default:
      return "unknown";
  }
}

// Fields are ordered by size (doubles, then the count, then bytes) so the record packs into
// 56 bytes instead of 80: every pass over a trial's records (enrollment, analysis) reads less.
struct PatientRecord {
  double time_days = 0;                                           // observed duration of viremia, or time at censoring
  double nk_baseline = std::numeric_limits<double>::quiet_NaN();  // cells/uL
  double nk_change = std::numeric_limits<double>::quiet_NaN();    // last visit minus baseline
  double randomization_day = 0;  // days since the study start (set by the enrollment process)
  double sledai_change = std::numeric_limits<double>::quiet_NaN();  // last visit minus baseline
  std::uint32_t screened = 1;          // candidates screened to fill this slot (this one included)
  std::uint8_t arm = 0;                // index into the scenario's arms (shorthand: 0 control, 1 il2)
  std::uint8_t event = 0;              // 1 = CMV DNA observed negative, 0 = censored
  std::uint8_t dropped_out = 0;        // censored by dropout rather than the end of follow-up
  std::uint8_t resistant = 0;          // simulation truth: virus resistant at baseline
  std::uint8_t clinical_response = 0;  // SLEDAI-2K reduction >= 4 without new organ involvement
  std::array<std::uint8_t, kAdverseEventKinds> adverse{};  // 1 = had this event at least once
};

// One sample of a patient's course, for plotting a few patients (never in the hot path).
struct TrajectoryPoint {
  double time_days = 0;
  double viral_load = 0;                                                  // copies/mL, true
  double observed_viral_load = std::numeric_limits<double>::quiet_NaN();  // at visits only
  double nk_cells = 0;                                                    // cells/uL
  double gcv_concentration = 0;                                           // mg/L
  double sledai = std::numeric_limits<double>::quiet_NaN();
};
using Trajectory = std::vector<TrajectoryPoint>;

}  // namespace vtrial
