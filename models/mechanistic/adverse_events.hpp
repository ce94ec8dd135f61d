#pragma once
// Adverse-event hazards. Ganciclovir cytopenias: a constant hazard per day of exposure, set
// from the probability of at least one event by day 21 at the reference exposure and scaled by
// the patient's AUC24 (dose and renal function; label: risk rises with dose and with CrCl < 20),
// so onset = E / rate in exposure days, E ~ Exp(1) drawn once. IL-2 reactions: a per-injection
// probability (He 2020 Table 3 over ~21 injections), so the first reaction comes at injection
// ceil(E / -ln(1 - p)). Both use one pre-drawn E per kind, which keeps common random numbers.
#include <cmath>
#include <limits>

namespace vtrial {

inline double cytopenia_rate_per_day(double probability_by_day21, double auc24, double reference_auc24) {
  if (probability_by_day21 <= 0 || auc24 <= 0) return 0;
  return -std::log1p(-probability_by_day21) / 21.0 * auc24 / reference_auc24;
}

// 1-based index of the injection that brings the first reaction; 0 = never (rate zero).
inline double first_reacting_injection(double unit_exponential, double per_dose_probability, double scale) {
  const double hazard = -std::log1p(-std::fmin(per_dose_probability, 1 - 1e-12)) * scale;
  if (!(hazard > 0)) return 0;
  return std::fmax(1.0, std::ceil(unit_exponential / hazard));
}

}  // namespace vtrial
