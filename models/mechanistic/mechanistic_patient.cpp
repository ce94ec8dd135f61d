#include "models/mechanistic/mechanistic_patient.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>

#include "engine/random_stream.hpp"
#include "models/mechanistic/adverse_events.hpp"
#include "models/mechanistic/pcr_assay.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSampleDays = 0.25;  // trajectory resolution

// Priorities at equal times: a dose given at a visit's instant counts before the sample.
int priority(MechanisticPatient::EventKind kind) {
  using K = MechanisticPatient::EventKind;
  switch (kind) {
    case K::gcv_end:
      return 0;
    case K::gcv_start:
      return 1;
    case K::neutropenia:
    case K::thrombocytopenia:
    case K::injection_site_reaction:
    case K::fever:
      return 2;
    case K::visit:
      return 3;
    case K::sample:
      return 4;
    case K::end:
      return 5;
  }
  return 6;
}

double lognormal_factor(double cv, double z) { return std::exp(std::sqrt(std::log1p(cv * cv)) * z); }

RandomStream stream_for(const PatientKey& key, StreamPurpose purpose) {
  return RandomStream({key.seed, key.trial, key.slot, purpose_id(purpose)});
}

}  // namespace

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario) {
  return std::make_unique<MechanisticPatient>(scenario.mechanistic, scenario.trial, scenario.dropout);
}

MechanisticPatient::MechanisticPatient(const MechanisticParams& params, const TrialDesign& design,
                                       const DropoutParams& dropout)
    : params_(params), design_(design), dropout_per_day_(dropout.rate_per_year / 365.25) {
  calendar_.reserve(64);
}

// Draws the patient's between-patient variability (stream `kinetics`) and sets the initial
// state. Identical in both arms except the IL-2 stimulus, which draws nothing.
void MechanisticPatient::setup_patient(const PatientKey& key, std::uint8_t arm) {
  const auto& p = params_;
  RandomStream stream = stream_for(key, StreamPurpose::kinetics);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  resistant_ = stream.uniform_open01() < p.resistance_fraction;
  const double z_rho = normal(stream), z_d0 = normal(stream), z_ec50 = normal(stream), z_kill = normal(stream),
               z_cl = normal(stream), z_v = normal(stream);

  const auto& c = candidate_;
  // Steroid suppression of immune killing, normalized at the reference dose: g(Pref) = 1.
  const double g = (1 + p.steroid.reference_mg_per_day / p.steroid.p50_mg_per_day) /
                   (1 + c.prednisone_mg_per_day / p.steroid.p50_mg_per_day);
  KineticsCoefficients coef;
  coef.rho_s = p.virus.rho_per_day * lognormal_factor(p.virus.rho_cv, z_rho);
  coef.rho_r = p.resistance.fitness * coef.rho_s;
  coef.ec50_s = p.gcv.ec50_mg_per_l * lognormal_factor(p.gcv.ec50_cv, z_ec50);
  coef.ec50_r = p.resistance.fold_shift * coef.ec50_s;
  coef.emax = p.gcv.emax;
  coef.d0 = g * p.virus.d0_per_day * lognormal_factor(p.virus.d0_cv, z_d0);
  coef.recovery = p.virus.recovery_per_day;
  coef.kill = g * p.nk.kill_rate * lognormal_factor(p.nk.kill_cv, z_kill);

  const double cl_l_per_h =
      p.gcv.cl_l_per_h_per_ml_min * c.creatinine_clearance_ml_min * lognormal_factor(p.gcv.cl_cv, z_cl);
  const double v_l = p.gcv.v_l_per_kg * c.weight_kg * lognormal_factor(p.gcv.v_cv, z_v);
  const double k_per_day = 24 * cl_l_per_h / v_l;
  const double ke0_per_day = std::log(2.0) / (p.gcv.triphosphate_half_life_hours / 24);
  interval_days_ = p.gcv.interval_hours / 24;
  infusion_days_ = p.gcv.infusion_hours / 24;
  const double dose_mg = p.gcv_dose_mg_per_kg * c.weight_kg * interval_days_;
  infusion_rate_ = dose_mg / v_l / infusion_days_;
  auc24_ = p.gcv_dose_mg_per_kg * c.weight_kg / cl_l_per_h;

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
            .infusion_days = infusion_days_,
            .interval_days = interval_days_};
  // IL-2 from baseline to negativity: serum IL-2 is gone within a day of each SC dose, so the
  // NK stimulus is "on treatment" (MODEL.md); NK approach N0 * fold at rate dN.
  if (arm == 1) {
    setup_.nk_target = c.nk_cells_per_ul * (1 + (p.il2.nk_fold_rise - 1) * p.il2_effect_scale);
    kinetics_.set_nk_target(setup_.nk_target);
  }
}

void MechanisticPatient::record_dosing_point(Trajectory& trajectory, double t) const {
  record_point(trajectory, std::numeric_limits<double>::quiet_NaN(), lupus_.latent(t, kinetics_.ln_v_total() / ln10_));
}

void MechanisticPatient::record_point(Trajectory& trajectory, double observed_viral_load, double sledai) const {
  TrajectoryPoint point;
  point.time_days = kinetics_.time();
  point.viral_load = std::exp(kinetics_.ln_v_total());
  point.observed_viral_load = observed_viral_load;
  point.nk_cells = kinetics_.nk();
  point.gcv_concentration = kinetics_.gcv_concentration();
  point.sledai = sledai;
  trajectory.push_back(point);
}

void MechanisticPatient::simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) {
  const auto& p = params_;
  const bool il2 = out.arm == 1;

  // 1. Screening: this slot's own candidates, so slot k is the same person for any N and arm.
  {
    RandomStream screening = stream_for(key, StreamPurpose::screening);
    std::uint32_t screened = 0;
    candidate_ = screen_until_eligible(screening, p, screened);
    out.screened = screened;
  }
  setup_patient(key, out.arm);

  // 2. Everything random that may happen later is drawn now, in a fixed order per stream.
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  RandomStream ae_stream = stream_for(key, StreamPurpose::adverse_events);
  const double e_neutropenia = -std::log(ae_stream.uniform_open01());
  const double u_neutropenia_severe = ae_stream.uniform_open01();
  const double e_thrombocytopenia = -std::log(ae_stream.uniform_open01());
  const double u_thrombocytopenia_severe = ae_stream.uniform_open01();
  const double e_injection_site = -std::log(ae_stream.uniform_open01());
  const double e_fever = -std::log(ae_stream.uniform_open01());

  RandomStream lupus_stream = stream_for(key, StreamPurpose::lupus_activity);
  const double z_reduction = normal(lupus_stream);
  lupus_.reset(candidate_.sledai,
               p.lupus.soc_mean_reduction + p.lupus.reduction_sd * z_reduction +
                   (il2 ? p.il2.sledai_reduction * p.il2_effect_scale : 0.0),
               p.lupus.time_constant_days, p.lupus.cmv_points_per_log10, candidate_.log10_viral_load);

  double dropout_day = kInf;
  if (dropout_per_day_ > 0) {
    RandomStream dropout_stream = stream_for(key, StreamPurpose::dropout);
    dropout_day = -std::log(dropout_stream.uniform_open01()) / dropout_per_day_;
  }
  RandomStream assay_stream = stream_for(key, StreamPurpose::assay);
  RandomStream jitter_stream = stream_for(key, StreamPurpose::visit_jitter);

  const double nk_baseline = measure_nk(candidate_.nk_cells_per_ul, p.nk.measurement_cv, normal(assay_stream));
  const double log10_lloq = std::log10(p.assay.lloq_copies_per_ml);

  // 3. The calendar.
  calendar_.clear();
  bool done_before_start = false;
  const double interval = design_.visit_interval_days;
  const bool continuous = !(interval > 0);
  const double follow_up = design_.follow_up_days;
  // Daily dosing runs beside the calendar, not through it: it is two events a day, always
  // first at equal times (its priorities, 0 and 1, are the lowest), and at most one infusion
  // is pending (infusion_hours < interval_hours), so two times replace a heap push and pop each.
  double next_dose = p.gcv_dose_mg_per_kg > 0 ? 0.0 : kInf;
  double infusion_end = kInf;
  if (continuous) {
    calendar_.schedule(std::min(follow_up, dropout_day), priority(EventKind::end), {EventKind::end, 0});
  } else if (interval > follow_up + 1e-9) {
    done_before_start = true;  // no visit fits in the follow-up (read_scenario forbids this)
  } else {
    const double jitter = std::min(p.visit_jitter_days, 0.45 * interval);
    const double t1 = interval + jitter * (2 * jitter_stream.uniform_open01() - 1);
    calendar_.schedule(t1, priority(EventKind::visit), {EventKind::visit, 1});
  }
  // Cytopenias accrue hazard per day of exposure; IL-2 reactions per injection.
  const double neutropenia_rate =
      cytopenia_rate_per_day(p.safety.neutropenia_by_day21, auc24_, p.safety.reference_auc24_mg_h_per_l);
  const double thrombocytopenia_rate =
      cytopenia_rate_per_day(p.safety.thrombocytopenia_by_day21, auc24_, p.safety.reference_auc24_mg_h_per_l);
  double neutropenia_day = neutropenia_rate > 0 ? e_neutropenia / neutropenia_rate : kInf;
  double thrombocytopenia_day = thrombocytopenia_rate > 0 ? e_thrombocytopenia / thrombocytopenia_rate : kInf;
  std::uint32_t neutropenia_generation = 0, thrombocytopenia_generation = 0;
  if (neutropenia_day < follow_up)
    calendar_.schedule(neutropenia_day, priority(EventKind::neutropenia), {EventKind::neutropenia, 0});
  if (thrombocytopenia_day < follow_up)
    calendar_.schedule(thrombocytopenia_day, priority(EventKind::thrombocytopenia), {EventKind::thrombocytopenia, 0});
  if (il2) {
    const double n_isr =
        first_reacting_injection(e_injection_site, p.safety.injection_site_per_dose, p.il2_effect_scale);
    const double n_fever = first_reacting_injection(e_fever, p.safety.fever_per_dose, p.il2_effect_scale);
    if (n_isr > 0 && (n_isr - 1) * p.il2.interval_days < follow_up)
      calendar_.schedule((n_isr - 1) * p.il2.interval_days, priority(EventKind::injection_site_reaction),
                         {EventKind::injection_site_reaction, 0});
    if (n_fever > 0 && (n_fever - 1) * p.il2.interval_days < follow_up)
      calendar_.schedule((n_fever - 1) * p.il2.interval_days, priority(EventKind::fever), {EventKind::fever, 0});
  }
  if (trajectory) {
    record_point(*trajectory, kNaN, lupus_.baseline);
    calendar_.schedule(kSampleDays, priority(EventKind::sample), {EventKind::sample, 0});
  }

  // 4. Run. The record's defaults are for a patient with no post-baseline visit.
  out.adverse.fill(0);
  out.resistant = resistant_ ? 1 : 0;
  out.nk_baseline = nk_baseline;
  out.nk_change = kNaN;
  out.sledai_change = kNaN;
  out.clinical_response = 0;
  out.event = 0;
  out.dropped_out = 0;
  out.time_days = 0;
  double hold_until = -kInf;
  const double stop_below = continuous ? log10_lloq * ln10_ : -kInf;
  bool done = done_before_start;
  auto record_lupus = [&](double t, double z) {
    const double score = LupusCourse::observed(lupus_.latent(t, kinetics_.ln_v_total() / ln10_), p.lupus.visit_sd, z);
    out.sledai_change = score - lupus_.baseline;
    out.clinical_response = out.sledai_change <= -4 ? 1 : 0;
    return score;
  };

  while (!done) {
    const double dosing_time = std::min(infusion_end, next_dose);
    const bool dosing = dosing_time < kInf && (calendar_.empty() || dosing_time <= calendar_.next().time);
    if (!dosing && calendar_.empty()) break;
    EventKind kind;
    double t;
    std::uint32_t index = 0;
    if (dosing) {
      kind = infusion_end <= next_dose ? EventKind::gcv_end : EventKind::gcv_start;
      t = dosing_time;
    } else {
      const auto ev = calendar_.pop();
      kind = ev.payload.kind;
      t = ev.time;
      index = ev.payload.index;
    }
    const double crossing = kinetics_.advance(t, stop_below);
    if (!std::isnan(crossing)) {  // continuous observation: exact time of negativity
      out.time_days = crossing;
      out.event = 1;
      out.nk_change = measure_nk(kinetics_.nk(), p.nk.measurement_cv, normal(assay_stream)) - nk_baseline;
      record_lupus(crossing, normal(lupus_stream));
      if (trajectory) record_point(*trajectory, 0.0, lupus_.latent(crossing, log10_lloq));
      break;
    }
    switch (kind) {
      case EventKind::gcv_start:
        if (t >= hold_until) {
          kinetics_.set_infusion_rate(infusion_rate_);
          infusion_end = t + infusion_days_;
        }
        next_dose = t + interval_days_;
        if (trajectory) record_dosing_point(*trajectory, t);
        break;
      case EventKind::gcv_end:
        infusion_end = kInf;
        kinetics_.set_infusion_rate(0);
        // The end of an infusion is the concentration peak: without this point a plot of the
        // trajectory samples would miss every peak.
        if (trajectory) record_dosing_point(*trajectory, t);
        break;
      case EventKind::neutropenia:
      case EventKind::thrombocytopenia: {
        const bool neutro = kind == EventKind::neutropenia;
        if (index != (neutro ? neutropenia_generation : thrombocytopenia_generation)) break;
        out.adverse[static_cast<std::size_t>(neutro ? AdverseEvent::neutropenia : AdverseEvent::thrombocytopenia)] = 1;
        (neutro ? neutropenia_day : thrombocytopenia_day) = kInf;
        const bool severe = (neutro ? u_neutropenia_severe < p.safety.neutropenia_severe_share
                                    : u_thrombocytopenia_severe < p.safety.thrombocytopenia_severe_share);
        if (severe && p.safety.hold_days > 0) {
          // Dosing stops; exposure-driven hazards pause with it, so pending onsets move later.
          const double new_hold = t + p.safety.hold_days;
          const double shift = new_hold - std::max(hold_until, t);
          hold_until = new_hold;
          if (std::isfinite(neutropenia_day)) {
            neutropenia_day += shift;
            calendar_.schedule(neutropenia_day, priority(EventKind::neutropenia),
                               {EventKind::neutropenia, ++neutropenia_generation});
          }
          if (std::isfinite(thrombocytopenia_day)) {
            thrombocytopenia_day += shift;
            calendar_.schedule(thrombocytopenia_day, priority(EventKind::thrombocytopenia),
                               {EventKind::thrombocytopenia, ++thrombocytopenia_generation});
          }
        }
        break;
      }
      case EventKind::injection_site_reaction:
        out.adverse[static_cast<std::size_t>(AdverseEvent::injection_site_reaction)] = 1;
        break;
      case EventKind::fever:
        out.adverse[static_cast<std::size_t>(AdverseEvent::fever)] = 1;
        break;
      case EventKind::visit: {
        // Attended only if still in the study (visit_schedule.hpp: a visit on the dropout day counts).
        if (t > dropout_day) {
          out.dropped_out = 1;
          done = true;
          break;
        }
        const double log10_v = kinetics_.ln_v_total() / ln10_;
        const PcrResult pcr = measure_pcr(log10_v, p.assay.log10_sd, log10_lloq, normal(assay_stream));
        const double nk_measured = measure_nk(kinetics_.nk(), p.nk.measurement_cv, normal(assay_stream));
        out.nk_change = nk_measured - nk_baseline;
        out.time_days = t;
        const double score = record_lupus(t, normal(lupus_stream));
        if (trajectory) record_point(*trajectory, pcr.negative ? 0.0 : std::pow(10.0, pcr.log10_copies_per_ml), score);
        if (pcr.negative) {
          out.event = 1;
          done = true;
          break;
        }
        const std::uint32_t next = index + 1;
        const double nominal = next * interval;
        if (nominal > follow_up + 1e-9) {
          done = true;  // end of follow-up: censored at this visit
          break;
        }
        const double jitter = std::min(p.visit_jitter_days, 0.45 * interval);
        calendar_.schedule(nominal + jitter * (2 * jitter_stream.uniform_open01() - 1), priority(EventKind::visit),
                           {EventKind::visit, next});
        break;
      }
      case EventKind::sample:
        record_point(*trajectory, kNaN, lupus_.latent(t, kinetics_.ln_v_total() / ln10_));
        calendar_.schedule(t + kSampleDays, priority(EventKind::sample), {EventKind::sample, 0});
        break;
      case EventKind::end:
        // Continuous observation, still positive: censored now.
        out.time_days = t;
        out.dropped_out = dropout_day < follow_up ? 1 : 0;
        out.nk_change = measure_nk(kinetics_.nk(), p.nk.measurement_cv, normal(assay_stream)) - nk_baseline;
        record_lupus(t, normal(lupus_stream));
        done = true;
        break;
    }
  }
  // A visit schedule that never fits in the follow-up (interval > follow-up) leaves only the
  // baseline: censored at day 0 with no post-baseline measurement.
}

}  // namespace vtrial
