#pragma once
// Virtual SLE patients with CMV viremia and the protocol's screening (NCT06971913): candidates
// are drawn from documented distributions until one meets the inclusion criteria (age 18-65,
// weight 45-80 kg, prednisone-equivalent < 1.0 mg/kg/d, plasma CMV DNA positive) and none of
// the exclusions (each a probability, except severe renal failure: Cockcroft-Gault CrCl below
// mechanistic.exclusions.renal_failure_crcl_ml_min). The number drawn is a model output:
// 1 / (share eligible) on average.
#include <cstdint>

#include "engine/random_stream.hpp"
#include "models/mechanistic/lognormal_scales.hpp"
#include "models/mechanistic/mechanistic_params.hpp"

namespace vtrial {

struct Candidate {
  double age_years = 0;
  bool female = true;
  double weight_kg = 0;
  double prednisone_mg_per_day = 0;
  double creatinine_clearance_ml_min = 0;  // Cockcroft-Gault
  double nk_cells_per_ul = 0;              // true baseline count
  double sledai = 0;                       // baseline SLEDAI-2K (integer score)
  double log10_viral_load = 0;             // true baseline, copies/mL
  double screening_log10_viral_load = 0;   // as measured at screening
  bool excluded = false;                   // any of the exclusions drawn as probabilities
};

// Every candidate consumes the same draws whatever its characteristics, so a candidate's
// values never depend on why an earlier one failed.
// `scales`: LognormalScales(params), which a caller drawing many candidates keeps.
Candidate draw_candidate(RandomStream& stream, const MechanisticParams& params, const LognormalScales& scales);
Candidate draw_candidate(RandomStream& stream, const MechanisticParams& params);
bool is_eligible(const Candidate& c, const MechanisticParams& params);

// The share of candidates the eligibility criteria admit: the demographic and viral-load criteria
// estimated from `candidates` draws of a fixed stream (no trial's), times the exact probability
// of passing the exclusions drawn as probabilities.
double estimated_eligible_share(const MechanisticParams& params, std::uint32_t candidates);

// Draws candidates from `stream` until one is eligible; `screened` = how many were drawn.
// Throws std::domain_error if none of max_candidates is eligible (impossible settings).
Candidate screen_until_eligible(RandomStream& stream, const MechanisticParams& params, const LognormalScales& scales,
                                std::uint32_t& screened, std::uint32_t max_candidates = 100000);

}  // namespace vtrial
