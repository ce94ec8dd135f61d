#include "models/mechanistic/population.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

// Log-normal with the given median and log-scale SD (LognormalScales).
double lognormal(double median, double scale, double z) { return median * std::exp(scale * z); }

}  // namespace

Candidate draw_candidate(RandomStream& stream, const MechanisticParams& params) {
  return draw_candidate(stream, params, LognormalScales(params));
}

Candidate draw_candidate(RandomStream& stream, const MechanisticParams& params, const LognormalScales& scales) {
  const auto& po = params.population;
  const auto& ex = params.exclusions;
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Candidate c;
  c.age_years = po.age_mean_years + po.age_sd_years * normal(stream);
  c.female = stream.uniform_open01() < po.female_fraction;
  c.weight_kg =
      lognormal(po.weight_median_kg, scales.weight, normal(stream)) * (c.female ? 1.0 : po.male_weight_factor);
  // Steroid dose and viral load are linked in SLE (docs/model.md [S18]) but no joint distribution
  // is published: drawn independently (assumption).
  c.prednisone_mg_per_day = lognormal(po.prednisone_median_mg_per_day, scales.prednisone, normal(stream));
  const double creatinine_mg_per_dl = lognormal(po.creatinine_median_mg_per_dl, scales.creatinine, normal(stream)) *
                                      (c.female ? 1.0 : po.male_creatinine_factor);
  // Cockcroft-Gault (mL/min), with the usual 0.85 factor for women.
  c.creatinine_clearance_ml_min =
      std::fmax(140 - c.age_years, 1.0) * c.weight_kg / (72 * creatinine_mg_per_dl) * (c.female ? 0.85 : 1.0);
  c.nk_cells_per_ul = lognormal(params.nk.median_cells_per_ul, scales.nk, normal(stream));
  c.sledai = std::round(lognormal(po.sledai_median, scales.sledai, normal(stream)));
  c.log10_viral_load = params.virus.log10_v0_mean + params.virus.log10_v0_sd * normal(stream);
  c.screening_log10_viral_load = c.log10_viral_load + params.assay.log10_sd * normal(stream);
  // Fixed order, all drawn: the protocol's exclusion list.
  const double exclusion_probabilities[] = {ex.other_infection, ex.recent_vaccine_ivig_leflunomide,
                                            ex.plasmapheresis,  ex.severe_npsle,
                                            ex.organ_failure,   ex.other_autoimmune,
                                            ex.cancer,          ex.other_trial};
  for (double p : exclusion_probabilities) c.excluded = (stream.uniform_open01() < p) || c.excluded;
  const bool pregnant = stream.uniform_open01() < ex.pregnancy_or_lactation;
  c.excluded = c.excluded || (c.female && pregnant);
  return c;
}

namespace {
bool meets_measured_criteria(const Candidate& c, const MechanisticParams& params) {
  return c.age_years >= 18 && c.age_years <= 65 && c.weight_kg >= 45 && c.weight_kg <= 80 &&
         c.prednisone_mg_per_day / c.weight_kg < 1.0 &&
         c.screening_log10_viral_load >= std::log10(params.assay.lloq_copies_per_ml) &&
         c.creatinine_clearance_ml_min >= params.exclusions.renal_failure_crcl_ml_min;
}
}  // namespace

bool is_eligible(const Candidate& c, const MechanisticParams& params) {
  return meets_measured_criteria(c, params) && !c.excluded;
}

double estimated_eligible_share(const MechanisticParams& params, std::uint32_t candidates) {
  const auto& ex = params.exclusions;
  double not_excluded = 1;
  for (double p : {ex.other_infection, ex.recent_vaccine_ivig_leflunomide, ex.plasmapheresis, ex.severe_npsle,
                   ex.organ_failure, ex.other_autoimmune, ex.cancer, ex.other_trial})
    not_excluded *= 1 - p;
  RandomStream stream({0, 0, 0, purpose_id(StreamPurpose::eligibility_pilot)});
  const LognormalScales scales(params);
  double admitted = 0;
  for (std::uint32_t i = 0; i < candidates; ++i) {
    const Candidate c = draw_candidate(stream, params, scales);
    if (meets_measured_criteria(c, params)) admitted += c.female ? 1 - ex.pregnancy_or_lactation : 1;
  }
  return admitted / candidates * not_excluded;
}

Candidate screen_until_eligible(RandomStream& stream, const MechanisticParams& params, const LognormalScales& scales,
                                std::uint32_t& screened, std::uint32_t max_candidates) {
  for (screened = 1; screened <= max_candidates; ++screened) {
    Candidate c = draw_candidate(stream, params, scales);
    if (is_eligible(c, params)) return c;
  }
  throw std::domain_error("mechanistic model: none of " + std::to_string(max_candidates) +
                          " screened candidates met the eligibility criteria; check mechanistic.population.*, "
                          "mechanistic.exclusions.* and mechanistic.assay.lloq_copies_per_ml");
}

}  // namespace vtrial
