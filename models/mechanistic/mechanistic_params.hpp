#pragma once
// Parameters of the mechanistic virtual patient. Every default carries its source in
// mechanistic_params.cpp (next to its key and accepted range) and in docs/model.md; values no
// study measured are marked "assumption" there. Units are in the names.
namespace vtrial {

class Settings;

struct GanciclovirParams {
  double interval_hours = 24;                // dosing interval; the daily dose is split over the day
  double infusion_hours = 1;                 // IV infusion length
  double cl_l_per_h_per_ml_min = 7.49 / 57;  // CL = this * CrCl (Caldes 2009)
  double cl_cv = 0.33;                       // between-patient CV of CL
  double v_l_per_kg = 1.07;                  // 1-compartment V matching label AUC and terminal t1/2
  double v_cv = 0.2;
  double triphosphate_half_life_hours = 18;  // effect-compartment (intracellular GCV-TP) half-life
  double emax = 1;
  double ec50_mg_per_l = 0.64;
  double ec50_cv = 0.3;
};

struct ResistanceParams {
  double fold_shift = 8;            // EC50_R / EC50_S (UL97)
  double fitness = 0.9;             // rho_R / rho_S
  double minority_fraction = 1e-5;  // resistant share of virus in "sensitive" patients
  double dominant_fraction = 0.99;  // resistant share of virus in "resistant" patients
};

struct VirusParams {
  double rho_per_day = 1.2;  // production (replication) rate of the sensitive strain
  double rho_cv = 0.15;
  double d0_per_day = 0.5;  // non-NK loss of infected cells at the reference steroid dose
  double d0_cv = 0.25;
  double recovery_per_day = 0.02;  // slow immune recovery: loss * (1 + recovery * t)
  double log10_v0_mean = 3.7;      // candidates' viral load, copies/mL
  double log10_v0_sd = 0.7;
  // Bounded growth (0 = off, the log-linear model): production divided by 1 + V / V50, target
  // cells in quasi-steady state (docs/model.md, "Bounded growth"). Copies/mL.
  double saturation_copies_per_ml = 0;
};

struct NkParams {
  double kill_rate = 0.002;  // uL/(cell day): NK killing of infected cells
  double kill_cv = 0.3;
  double turnover_per_day = 0.1;  // dN
  double median_cells_per_ul = 100;
  double cv = 0.5;
  double measurement_cv = 0.1;  // flow-cytometry count error
};

struct Il2Params {
  double nk_fold_rise = 2;        // steady-state NK multiple on IL-2 (1 + E_IL2) at the reference dose
  double interval_days = 2;       // 1 MIU SC every other day
  double sledai_reduction = 2.6;  // extra SLEDAI-2K fall at full effect (He 2020 SRI-4 difference)
  double reference_dose_miu = 1;  // dose at which nk_fold_rise and sledai_reduction hold
  double nk_ed50_miu = 1;         // dose giving half the maximal effect (il2_dose_factor)
  double dose_miu = 1;            // per injection, the IL-2 arm of the two-arm shorthand
};

struct SteroidParams {
  double p50_mg_per_day = 60;        // prednisone dose halving immune killing
  double reference_mg_per_day = 30;  // dose at which d0 and kill_rate apply
};

struct AssayParams {
  double lloq_copies_per_ml = 500;
  double log10_sd = 0.15;
};

struct PopulationParams {
  double age_mean_years = 34;
  double age_sd_years = 12;
  double female_fraction = 0.9;
  double weight_median_kg = 54;
  double weight_cv = 0.15;
  double male_weight_factor = 1.2;
  double prednisone_median_mg_per_day = 30;
  double prednisone_cv = 0.6;
  double creatinine_median_mg_per_dl = 0.7;  // women; men x male_creatinine_factor
  double male_creatinine_factor = 1.3;
  double creatinine_cv = 0.3;
  double sledai_median = 11;
  double sledai_cv = 0.35;
};

// Probabilities that a candidate has each protocol exclusion (all assumptions), and the one
// exclusion decided on a drawn characteristic: severe renal failure.
struct ExclusionParams {
  double other_infection = 0.10;
  double recent_vaccine_ivig_leflunomide = 0.05;
  double plasmapheresis = 0.02;
  double severe_npsle = 0.03;
  double organ_failure = 0.03;            // severe heart or liver failure (protocol: NYHA >= III, transaminases > 3N)
  double renal_failure_crcl_ml_min = 30;  // excluded below this Cockcroft-Gault CrCl; 0 = no renal criterion
  double other_autoimmune = 0.03;
  double cancer = 0.01;
  double pregnancy_or_lactation = 0.02;  // women only
  double other_trial = 0.02;
};

struct SafetyParams {
  double neutropenia_by_day21 = 0.20;  // any grade, 5 mg/kg/d, typical exposure
  double neutropenia_severe_share = 0.35;
  double thrombocytopenia_by_day21 = 0.10;
  double thrombocytopenia_severe_share = 0.25;
  double hold_days = 5;                     // ganciclovir interrupted after a severe cytopenia
  double reference_auc24_mg_h_per_l = 25;   // exposure at which the rates above apply
  double injection_site_per_dose = 0.0175;  // IL-2
  double fever_per_dose = 0.0070;           // IL-2
};

struct LupusParams {
  double soc_mean_reduction = 2.16;  // standard-of-care SLEDAI fall at full time effect
  double reduction_sd = 4;
  double time_constant_days = 28;
  double cmv_points_per_log10 = 1;  // SLEDAI attributable to viremia above 10^2 copies/mL
  double visit_sd = 1;              // scoring noise at a visit
};

// How ln V is integrated (docs/model.md, "Integration"): `quadrature`, closed forms and
// Gauss-Legendre on each dosing segment (quadrature_kinetics.hpp), or `adaptive`, the
// Dormand-Prince integrator (viral_kinetics.hpp), which any model variant whose right-hand side
// depends on the state needs.
enum class KineticsIntegrator { quadrature, adaptive };

struct MechanisticParams {
  double il2_effect_scale = 1.0;     // multiplies every effect of IL-2; 0 = IL-2 does nothing
  double gcv_dose_mg_per_kg = 5.0;   // daily ganciclovir dose; 0 = untreated
  double resistance_fraction = 0.1;  // share of patients with resistant virus at baseline
  double visit_jitter_days = 1;      // visit k happens at k*interval + U(-jitter, +jitter)
  double rtol = 1e-6;                // ODE relative (and absolute, on ln V) tolerance
  KineticsIntegrator integrator = KineticsIntegrator::quadrature;
  GanciclovirParams gcv;
  ResistanceParams resistance;
  VirusParams virus;
  NkParams nk;
  Il2Params il2;
  SteroidParams steroid;
  AssayParams assay;
  PopulationParams population;
  ExclusionParams exclusions;
  SafetyParams safety;
  LupusParams lupus;
};

MechanisticParams read_mechanistic_params(Settings& settings);
// Refuses, at load time, criteria that admit almost no one: screening a patient would then run
// into its candidate limit mid-run instead of failing before anything is simulated.
void check_eligible_share(Settings& settings, const MechanisticParams& params);

}  // namespace vtrial
