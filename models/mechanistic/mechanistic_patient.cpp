#include "models/mechanistic/mechanistic_patient.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/mechanistic/adverse_events.hpp"
#include "models/mechanistic/nk_il2.hpp"
#include "models/mechanistic/pcr_assay.hpp"

namespace vtrial {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSampleDays = 0.25;  // trajectory resolution

// boost's normal distribution keeps no state between draws, so one serves every stream.
double standard_normal(RandomStream& stream) { return boost::random::normal_distribution<double>(0.0, 1.0)(stream); }

}  // namespace

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario) {
  return make_mechanistic_patient(scenario, two_arm_treatments(scenario.mechanistic));
}

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario,
                                                       std::vector<MechanisticTreatment> arms) {
  return std::make_unique<MechanisticPatient>(scenario.mechanistic, scenario.trial, scenario.dropout, std::move(arms));
}

MechanisticPatient::MechanisticPatient(const MechanisticParams& params, const TrialDesign& design,
                                       const DropoutParams& dropout, std::vector<MechanisticTreatment> arms)
    : params_(params),
      scales_(params_),
      arms_(std::move(arms)),
      log10_lloq_(std::log10(params.assay.lloq_copies_per_ml)),
      protocol_(design, dropout, params) {
  PatientProtocol::check_arms(arms_, params_);
  kinetics_.choose(params_.integrator);
  // Per arm, once: the products keep the order of the two-arm code, in which the dose factor
  // did not exist, and the reference dose's factor is exactly 1, so its figures are unchanged.
  const auto& i = params_.il2;
  for (const auto& t : arms_) {
    const double factor = il2_dose_factor(t.il2_dose_miu, i.reference_dose_miu, i.nk_ed50_miu);
    il2_.push_back({.given = t.il2_dose_miu > 0,
                    .nk_rise = (i.nk_fold_rise - 1) * params_.il2_effect_scale * factor,
                    .sledai_reduction = i.sledai_reduction * params_.il2_effect_scale * factor});
  }
}

// Draws the patient's between-patient variability (stream `kinetics`) and sets the initial
// state. Identical on every arm except the treatment's inputs, which draw nothing.
void MechanisticPatient::setup_patient(const PatientKey& key, const MechanisticTreatment& treatment,
                                       const Il2Effect& il2) {
  const auto& p = params_;
  RandomStream stream = slot_stream(key, StreamPurpose::kinetics);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  resistant_ = stream.uniform_open01() < p.resistance_fraction;
  const double z_rho = normal(stream), z_d0 = normal(stream), z_ec50 = normal(stream), z_kill = normal(stream),
               z_cl = normal(stream), z_v = normal(stream);

  const auto& c = candidate_;
  // Steroid suppression of immune killing, normalized at the reference dose: g(Pref) = 1.
  const double g = (1 + p.steroid.reference_mg_per_day / p.steroid.p50_mg_per_day) /
                   (1 + c.prednisone_mg_per_day / p.steroid.p50_mg_per_day);
  KineticsCoefficients coef;
  coef.rho_s = p.virus.rho_per_day * std::exp(scales_.rho * z_rho);
  coef.rho_r = p.resistance.fitness * coef.rho_s;
  coef.ec50_s = p.gcv.ec50_mg_per_l * std::exp(scales_.ec50 * z_ec50);
  coef.ec50_r = p.resistance.fold_shift * coef.ec50_s;
  coef.emax = p.gcv.emax;
  coef.d0 = g * p.virus.d0_per_day * std::exp(scales_.d0 * z_d0);
  coef.recovery = p.virus.recovery_per_day;
  coef.kill = g * p.nk.kill_rate * std::exp(scales_.kill * z_kill);
  coef.saturation = p.virus.saturation_copies_per_ml;

  const double cl_l_per_h = p.gcv.cl_l_per_h_per_ml_min * c.creatinine_clearance_ml_min * std::exp(scales_.cl * z_cl);
  const double v_l = p.gcv.v_l_per_kg * c.weight_kg * std::exp(scales_.v * z_v);
  const double k_per_day = 24 * cl_l_per_h / v_l;
  const double ke0_per_day = std::log(2.0) / (p.gcv.triphosphate_half_life_hours / 24);
  const double interval_days = protocol_.dose_interval_days(), infusion_days = protocol_.infusion_days();
  const double dose_mg = treatment.gcv_dose_mg_per_kg * c.weight_kg * interval_days;
  infusion_rate_ = dose_mg / v_l / infusion_days;
  auc24_ = treatment.gcv_dose_mg_per_kg * c.weight_kg / cl_l_per_h;

  const double share_r = resistant_ ? p.resistance.dominant_fraction : p.resistance.minority_fraction;
  const double ln_v0 = c.log10_viral_load * ln10_;
  const double ln_vs0 = ln_v0 + std::log(std::max(1 - share_r, 1e-300));
  const double ln_vr0 = ln_v0 + std::log(std::max(share_r, 1e-300));
  kinetics_.reset(coef, k_per_day, ke0_per_day, ln_vs0, ln_vr0, c.nk_cells_per_ul, p.nk.turnover_per_day, p.rtol);
  setup_ = {.coef = coef,
            .k_per_day = k_per_day,
            .ke0_per_day = ke0_per_day,
            .ln_vs0 = ln_vs0,
            .ln_vr0 = ln_vr0,
            .nk0 = c.nk_cells_per_ul,
            .nk_turnover_per_day = p.nk.turnover_per_day,
            .nk_target = c.nk_cells_per_ul,
            .infusion_rate = infusion_rate_,
            .infusion_days = infusion_days,
            .interval_days = interval_days};
  // IL-2 from baseline to negativity: serum IL-2 is gone within a day of each SC dose, so the
  // NK stimulus is "on treatment" (docs/model.md [S24], [S25]); NK approach N0 (1 + rise) at rate dN.
  if (il2.given) {
    setup_.nk_target = c.nk_cells_per_ul * (1 + il2.nk_rise);
    kinetics_.set_nk_target(setup_.nk_target);
  }
}

// Everything random that may happen later is drawn now, in a fixed order per stream, whatever
// the arm: an arm without IL-2 draws the IL-2 reactions too and leaves them unused.
void MechanisticPatient::start_patient(const PatientKey& key, const Il2Effect& il2) {
  const auto& p = params_;
  RandomStream ae_stream = slot_stream(key, StreamPurpose::adverse_events);
  const double e_neutropenia = -std::log(ae_stream.uniform_open01());
  u_severe_[0] = ae_stream.uniform_open01();
  const double e_thrombocytopenia = -std::log(ae_stream.uniform_open01());
  u_severe_[1] = ae_stream.uniform_open01();
  const double e_injection_site = -std::log(ae_stream.uniform_open01());
  const double e_fever = -std::log(ae_stream.uniform_open01());

  lupus_stream_.reseed({key.seed, key.trial, key.slot, purpose_id(StreamPurpose::lupus_activity)});
  const double z_reduction = standard_normal(lupus_stream_);
  lupus_.reset(
      candidate_.sledai,
      p.lupus.soc_mean_reduction + p.lupus.reduction_sd * z_reduction + (il2.given ? il2.sledai_reduction : 0.0),
      p.lupus.time_constant_days, p.lupus.cmv_points_per_log10, candidate_.log10_viral_load);

  assay_.reseed({key.seed, key.trial, key.slot, purpose_id(StreamPurpose::assay)});
  nk_baseline_ = measure_nk(candidate_.nk_cells_per_ul, scales_.nk_measurement, standard_normal(assay_));

  // Cytopenias accrue hazard per day of exposure; IL-2 reactions per injection.
  const double neutropenia_rate =
      cytopenia_rate_per_day(p.safety.neutropenia_by_day21, auc24_, p.safety.reference_auc24_mg_h_per_l);
  const double thrombocytopenia_rate =
      cytopenia_rate_per_day(p.safety.thrombocytopenia_by_day21, auc24_, p.safety.reference_auc24_mg_h_per_l);
  protocol_.schedule_exposure_onset(AdverseEvent::neutropenia,
                                    neutropenia_rate > 0 ? e_neutropenia / neutropenia_rate : kInf);
  protocol_.schedule_exposure_onset(AdverseEvent::thrombocytopenia,
                                    thrombocytopenia_rate > 0 ? e_thrombocytopenia / thrombocytopenia_rate : kInf);
  if (protocol_.gives_il2()) {
    protocol_.schedule_at_injection(
        AdverseEvent::injection_site_reaction,
        first_reacting_injection(e_injection_site, p.safety.injection_site_per_dose, p.il2_effect_scale));
    protocol_.schedule_at_injection(AdverseEvent::fever,
                                    first_reacting_injection(e_fever, p.safety.fever_per_dose, p.il2_effect_scale));
  }
  if (trajectory_) {
    record_point(kNaN, lupus_.baseline);
    protocol_.sample_every(kSampleDays);
  }
}

// Inline: these two are most of the events, so their calls are worth saving.
inline void MechanisticPatient::on_dose_start(const ProtocolEvent& event) {
  if (event.given) kinetics_.set_infusion_rate(infusion_rate_);
  if (trajectory_) record_point(kNaN, latent_sledai(event.time));
}

inline void MechanisticPatient::on_dose_end(const ProtocolEvent& event) {
  kinetics_.set_infusion_rate(0);
  // The end of an infusion is the concentration peak: without this point a plot of the
  // trajectory samples would miss every peak.
  if (trajectory_) record_point(kNaN, latent_sledai(event.time));
}

void MechanisticPatient::simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) {
  if (out.arm >= arms_.size())
    throw std::out_of_range("mechanistic model: arm " + std::to_string(out.arm) + " has no treatment");
  const MechanisticTreatment& treatment = arms_[out.arm];
  const Il2Effect& il2 = il2_[out.arm];
  out_ = &out;
  trajectory_ = trajectory;

  // Screening: this slot's own candidates, so slot k is the same person for any N and arm.
  {
    RandomStream screening = slot_stream(key, StreamPurpose::screening);
    std::uint32_t screened = 0;
    candidate_ = screen_until_eligible(screening, params_, scales_, screened);
    out.screened = screened;
  }
  protocol_.start(key, treatment);
  setup_patient(key, treatment, il2);
  start_patient(key, il2);

  // The record's defaults are for a patient with no post-baseline visit (also when no visit
  // fits in the follow-up: censored at day 0).
  out.adverse.fill(0);
  out.resistant = resistant_ ? 1 : 0;
  out.nk_baseline = nk_baseline_;
  out.nk_change = kNaN;
  out.sledai_change = kNaN;
  out.clinical_response = 0;
  out.event = 0;
  out.dropped_out = 0;
  out.time_days = 0;

  const double stop_below = protocol_.continuous_observation() ? log10_lloq_ * ln10_ : -kInf;
  ProtocolEvent event;
  while (protocol_.next(event)) {
    const double crossing = kinetics_.advance(event.time, stop_below);
    if (!std::isnan(crossing)) {
      on_negative(crossing);
      break;
    }
    switch (event.kind) {
      case ProtocolEventKind::dose_start:
        on_dose_start(event);
        break;
      case ProtocolEventKind::dose_end:
        on_dose_end(event);
        break;
      case ProtocolEventKind::adverse_event:
        on_adverse_event(event);
        break;
      case ProtocolEventKind::visit:
        on_visit(event);
        break;
      case ProtocolEventKind::sample:
        on_sample(event);
        break;
      case ProtocolEventKind::end:
        on_end(event);
        break;
    }
  }
}

void MechanisticPatient::on_adverse_event(const ProtocolEvent& event) {
  if (event.superseded) return;
  out_->adverse[static_cast<std::size_t>(event.adverse)] = 1;
  const auto& s = params_.safety;
  const bool severe = event.adverse == AdverseEvent::neutropenia        ? u_severe_[0] < s.neutropenia_severe_share
                      : event.adverse == AdverseEvent::thrombocytopenia ? u_severe_[1] < s.thrombocytopenia_severe_share
                                                                        : false;
  if (severe) protocol_.hold_dosing(event.time);
}

void MechanisticPatient::on_visit(const ProtocolEvent& event) {
  const double t = event.time;
  const PcrResult pcr =
      measure_pcr(kinetics_.ln_v_total() / ln10_, params_.assay.log10_sd, log10_lloq_, standard_normal(assay_));
  out_->nk_change = measure_nk_now() - nk_baseline_;
  out_->time_days = t;
  const double score = assess_lupus(t);
  if (trajectory_) record_point(pcr.negative ? 0.0 : std::pow(10.0, pcr.log10_copies_per_ml), score);
  if (pcr.negative) out_->event = 1;
  protocol_.visit_result(event, pcr.negative);
}

void MechanisticPatient::on_sample(const ProtocolEvent& event) { record_point(kNaN, latent_sledai(event.time)); }

void MechanisticPatient::on_end(const ProtocolEvent& event) {
  out_->dropped_out = event.dropped_out ? 1 : 0;
  if (!event.assess) return;  // a missed visit: censored at the last attended one
  out_->time_days = event.time;
  out_->nk_change = measure_nk_now() - nk_baseline_;
  assess_lupus(event.time);
}

void MechanisticPatient::on_negative(double t) {
  out_->time_days = t;
  out_->event = 1;
  out_->nk_change = measure_nk_now() - nk_baseline_;
  assess_lupus(t);
  if (trajectory_) record_point(0.0, lupus_.latent(t, log10_lloq_));
}

double MechanisticPatient::measure_nk_now() {
  return measure_nk(kinetics_.nk(), scales_.nk_measurement, standard_normal(assay_));
}

double MechanisticPatient::assess_lupus(double t) {
  const double score = LupusCourse::observed(latent_sledai(t), params_.lupus.visit_sd, standard_normal(lupus_stream_));
  out_->sledai_change = score - lupus_.baseline;
  out_->clinical_response = out_->sledai_change <= -4 ? 1 : 0;
  return score;
}

void MechanisticPatient::record_point(double observed_viral_load, double sledai) const {
  TrajectoryPoint point;
  point.time_days = kinetics_.time();
  point.viral_load = std::exp(kinetics_.ln_v_total());
  point.observed_viral_load = observed_viral_load;
  point.nk_cells = kinetics_.nk();
  point.gcv_concentration = kinetics_.gcv_concentration();
  point.sledai = sledai;
  trajectory_->push_back(point);
}

}  // namespace vtrial
