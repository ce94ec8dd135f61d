#include "models/mechanistic/mechanistic_params.hpp"

#include <cstdio>
#include <string>

#include "engine/settings.hpp"
#include "models/mechanistic/population.hpp"

// Sources: "label" = ganciclovir injection US label sec. 12.3 (docs/model.md [S3]); other references:
// docs/model.md, "Sources" ([Sn]). "assumption" = no measured value; chosen and documented.
namespace vtrial {
namespace {
Range cv_range() { return Range::closed(0, 3); }
}  // namespace

MechanisticParams read_mechanistic_params(Settings& s) {
  MechanisticParams p;
  p.il2_effect_scale = s.real("mechanistic.il2.effect_scale", p.il2_effect_scale, Range::closed(0, 10));
  p.gcv_dose_mg_per_kg = s.real("mechanistic.gcv.dose_mg_per_kg", p.gcv_dose_mg_per_kg, Range::closed(0, 20));
  p.resistance_fraction = s.real("mechanistic.resistance.fraction", p.resistance_fraction, Range::probability());
  // Protocol visit windows are not published: +-1 day (assumption).
  p.visit_jitter_days = s.real("mechanistic.visits.jitter_days", p.visit_jitter_days, Range::closed(0, 3));
  // Numerical tolerance of the adaptive integrator (issue: relative 1e-6).
  p.rtol = s.real("mechanistic.numerics.rtol", p.rtol, Range::closed(1e-10, 1e-3));
  // How ln V is integrated (issue 17): closed forms and Gauss-Legendre, or Dormand-Prince.
  const char* integrator_key = "mechanistic.numerics.integrator";
  p.integrator = s.choice(integrator_key, "quadrature", {"quadrature", "adaptive"}) == "adaptive"
                     ? KineticsIntegrator::adaptive
                     : KineticsIntegrator::quadrature;

  auto& g = p.gcv;
  // NCT06971913: once daily. 12 h = induction (then double dose_mg_per_kg).
  g.interval_hours = s.real("mechanistic.gcv.interval_hours", g.interval_hours, Range::closed(6, 48));
  g.infusion_hours = s.real("mechanistic.gcv.infusion_hours", g.infusion_hours, Range::closed(0.1, 6));
  if (g.infusion_hours >= g.interval_hours)
    s.fail("mechanistic.gcv.infusion_hours", "must be shorter than mechanistic.gcv.interval_hours");
  // Caldes et al. AAC 2009 (popPK, SOT): CL = 7.49 L/h * CrCl/57; matches label 3.52 mL/min/kg.
  g.cl_l_per_h_per_ml_min =
      s.real("mechanistic.gcv.cl_l_per_h_per_ml_min", g.cl_l_per_h_per_ml_min, Range::closed(1e-3, 10));
  g.cl_cv = s.real("mechanistic.gcv.cl_cv", g.cl_cv, cv_range());  // Caldes 2009 omega^2 0.107
  // label: V chosen so that CL/V gives the terminal half-life 3.5 h at 3.52 mL/min/kg.
  g.v_l_per_kg = s.real("mechanistic.gcv.v_l_per_kg", g.v_l_per_kg, Range::closed(0.05, 20));
  g.v_cv = s.real("mechanistic.gcv.v_cv", g.v_cv, cv_range());  // label Vss 0.74 +- 0.15 L/kg
  // Intracellular GCV triphosphate half-life in infected cells ~18 h (memory: Biron 1985, label 12.1;
  // to verify). Drives the effect compartment.
  g.triphosphate_half_life_hours =
      s.real("mechanistic.gcv.triphosphate_half_life_hours", g.triphosphate_half_life_hours, Range::closed(0.1, 200));
  g.emax = s.real("mechanistic.gcv.emax", g.emax, Range::probability());  // assumption: 1 (docs/model.md)
  // In-vitro IC50 0.26-1.28 mg/L (Ritchie 2019 intro, docs/model.md [S7]); 0.64, CV 30%: assumption.
  g.ec50_mg_per_l = s.real("mechanistic.gcv.ec50_mg_per_l", g.ec50_mg_per_l, Range::closed(1e-4, 1e3));
  g.ec50_cv = s.real("mechanistic.gcv.ec50_cv", g.ec50_cv, cv_range());

  auto& r = p.resistance;
  // UL97 5-12 fold (Chou 2000: 8.4x); UL54 ~3; both >= 20.
  r.fold_shift = s.real("mechanistic.resistance.fold_shift", r.fold_shift, Range::closed(1, 1000));
  r.fitness = s.real("mechanistic.resistance.fitness", r.fitness, Range::closed(0.1, 1.5));  // assumption
  r.minority_fraction = s.real("mechanistic.resistance.minority_fraction", r.minority_fraction,
                               Range::closed(0, 0.5));  // assumption (docs/model.md)
  r.dominant_fraction =
      s.real("mechanistic.resistance.dominant_fraction", r.dominant_fraction, Range::closed(0.5, 1));  // assumption
  if (r.minority_fraction >= r.dominant_fraction)
    s.fail("mechanistic.resistance.minority_fraction", "must be below mechanistic.resistance.dominant_fraction");

  auto& v = p.virus;
  // Untreated net growth rho - (d0 + kN*N0) = 0.5/d: Emery 2002 (R+ 0.61/d), Cromer 2013 (0.3-0.7/d).
  v.rho_per_day = s.real("mechanistic.virus.rho_per_day", v.rho_per_day, Range::closed(0.01, 20));
  v.rho_cv = s.real("mechanistic.virus.rho_cv", v.rho_cv, cv_range());
  // Emery 1999: half-life ~1 d under full drug => d0 + kN*N0 = 0.7/d.
  v.d0_per_day = s.real("mechanistic.virus.d0_per_day", v.d0_per_day, Range::closed(0, 20));
  v.d0_cv = s.real("mechanistic.virus.d0_cv", v.d0_cv, cv_range());
  v.recovery_per_day =
      s.real("mechanistic.virus.recovery_per_day", v.recovery_per_day, Range::closed(0, 1));  // assumption
  // SLE cohorts mostly 10^3-10^4 copies/mL (memory; docs/model.md [S19]); SD assumption.
  v.log10_v0_mean = s.real("mechanistic.virus.log10_v0_mean", v.log10_v0_mean, Range::closed(0, 9));
  v.log10_v0_sd = s.real("mechanistic.virus.log10_v0_sd", v.log10_v0_sd, Range::closed(0, 3));
  // Target-cell limitation in quasi-steady state (docs/model.md, "Bounded growth"); 0 = off.
  v.saturation_copies_per_ml =
      s.real("mechanistic.virus.saturation_copies_per_ml", v.saturation_copies_per_ml, Range::closed(0, 1e12));
  if (v.saturation_copies_per_ml > 0 && p.integrator == KineticsIntegrator::quadrature) {
    // Its right-hand side depends on the state: only the adaptive integrator solves it.
    if (s.has(integrator_key))
      s.fail(integrator_key,
             "must be adaptive when mechanistic.virus.saturation_copies_per_ml is above 0 (bounded "
             "growth makes the right-hand side depend on the state, which quadrature cannot integrate)");
    p.integrator = KineticsIntegrator::adaptive;
  }

  auto& n = p.nk;
  n.kill_rate = s.real("mechanistic.nk.kill_rate", n.kill_rate, Range::closed(0, 1));  // assumption (docs/model.md)
  n.kill_cv = s.real("mechanistic.nk.kill_cv", n.kill_cv, cv_range());                 // assumption
  // Zhang et al. Immunology 2007 (deuterium): 6.9%/d loss, turnover ~2 weeks.
  n.turnover_per_day = s.real("mechanistic.nk.turnover_per_day", n.turnover_per_day, Range::closed(0.01, 5));
  // ARUP 78-470 healthy; lower in SLE (Zhang 2022): median 100, CV 50% (docs/model.md [S21], [S22]).
  n.median_cells_per_ul = s.real("mechanistic.nk.median_cells_per_ul", n.median_cells_per_ul, Range::closed(1, 1e4));
  n.cv = s.real("mechanistic.nk.cv", n.cv, cv_range());
  n.measurement_cv = s.real("mechanistic.nk.measurement_cv", n.measurement_cv, cv_range());  // assumption

  auto& i = p.il2;
  // NK x1.5-2.5 under low-dose IL-2: magnitude not verified (docs/model.md [S26]): assumption.
  i.nk_fold_rise = s.real("mechanistic.il2.nk_fold_rise", i.nk_fold_rise, Range::closed(1, 20));
  i.interval_days = s.real("mechanistic.il2.interval_days", i.interval_days, Range::closed(0.5, 14));  // protocol
  // He 2020: SRI-4 55% vs 30% at wk 12 => +2.6 points with reduction SD 4 (derived, docs/model.md).
  i.sledai_reduction = s.real("mechanistic.il2.sledai_reduction", i.sledai_reduction, Range::closed(0, 20));
  // The two figures above are for 1 MIU every other day, the trial's regimen and He 2020's (docs/model.md [S1], [S26]).
  i.reference_dose_miu = s.real("mechanistic.il2.reference_dose_miu", i.reference_dose_miu, Range::closed(1e-3, 100));
  // No dose-response for the NK rise between low doses was found: ED50 = 1 MIU is an assumption.
  i.nk_ed50_miu = s.real("mechanistic.il2.nk_ed50_miu", i.nk_ed50_miu, Range::closed(1e-3, 100));
  // il2.dose_miu belongs to the two-arm shorthand and is read with the arms (models/scenario_arms.cpp).
  // He 2020 Table 3: 31.0% injection-site reaction, 13.8% fever over ~21 injections.
  p.safety.injection_site_per_dose =
      s.real("mechanistic.safety.injection_site_per_dose", p.safety.injection_site_per_dose, Range::probability());
  p.safety.fever_per_dose = s.real("mechanistic.safety.fever_per_dose", p.safety.fever_per_dose, Range::probability());

  auto& st = p.steroid;
  st.p50_mg_per_day =
      s.real("mechanistic.steroid.p50_mg_per_day", st.p50_mg_per_day, Range::closed(0.1, 1000));  // assumption
  // He 2016 cohort median prednisone 30 mg/d.
  st.reference_mg_per_day =
      s.real("mechanistic.steroid.reference_mg_per_day", st.reference_mg_per_day, Range::closed(0, 500));

  auto& a = p.assay;
  // Typical Chinese kit 500 copies/mL (memory, trial assay unknown); Roche CAP/CTM 137 IU/mL.
  a.lloq_copies_per_ml = s.real("mechanistic.assay.lloq_copies_per_ml", a.lloq_copies_per_ml, Range::closed(1, 1e5));
  // 0.07-0.11 analytic + biological (docs/model.md [S38]).
  a.log10_sd = s.real("mechanistic.assay.log10_sd", a.log10_sd, Range::closed(0, 2));

  auto& po = p.population;
  // He 2016 median age 31 (18-60); SLE CMV cohort mean 34 (docs/model.md [S17]). SD assumption.
  po.age_mean_years = s.real("mechanistic.population.age_mean_years", po.age_mean_years, Range::closed(0, 100));
  po.age_sd_years = s.real("mechanistic.population.age_sd_years", po.age_sd_years, Range::closed(0, 50));
  // He 2016: 37 of 40 women.
  po.female_fraction = s.real("mechanistic.population.female_fraction", po.female_fraction, Range::probability());
  // He 2016 suppl: median 54 kg (42-80).
  po.weight_median_kg = s.real("mechanistic.population.weight_median_kg", po.weight_median_kg, Range::closed(20, 200));
  po.weight_cv = s.real("mechanistic.population.weight_cv", po.weight_cv, cv_range());
  po.male_weight_factor =
      s.real("mechanistic.population.male_weight_factor", po.male_weight_factor, Range::closed(0.5, 2));  // assumption
  // He 2016: prednisone 30 (0-60) mg/d; SLE with CMV 30-60 mg/d. CV assumption.
  po.prednisone_median_mg_per_day = s.real("mechanistic.population.prednisone_median_mg_per_day",
                                           po.prednisone_median_mg_per_day, Range::closed(0, 500));
  po.prednisone_cv = s.real("mechanistic.population.prednisone_cv", po.prednisone_cv, cv_range());
  // Serum creatinine for Cockcroft-Gault: typical values (assumption); CV covers lupus nephritis.
  po.creatinine_median_mg_per_dl = s.real("mechanistic.population.creatinine_median_mg_per_dl",
                                          po.creatinine_median_mg_per_dl, Range::closed(0.2, 10));
  po.male_creatinine_factor =
      s.real("mechanistic.population.male_creatinine_factor", po.male_creatinine_factor, Range::closed(0.5, 3));
  po.creatinine_cv = s.real("mechanistic.population.creatinine_cv", po.creatinine_cv, cv_range());
  // He 2020 Table 2: baseline SLEDAI-2K median 11-12 (8-27).
  po.sledai_median = s.real("mechanistic.population.sledai_median", po.sledai_median, Range::closed(0, 105));
  po.sledai_cv = s.real("mechanistic.population.sledai_cv", po.sledai_cv, cv_range());

  auto& e = p.exclusions;  // all assumptions: no screening log is published
  e.other_infection = s.real("mechanistic.exclusions.other_infection", e.other_infection, Range::probability());
  e.recent_vaccine_ivig_leflunomide = s.real("mechanistic.exclusions.recent_vaccine_ivig_leflunomide",
                                             e.recent_vaccine_ivig_leflunomide, Range::probability());
  e.plasmapheresis = s.real("mechanistic.exclusions.plasmapheresis", e.plasmapheresis, Range::probability());
  e.severe_npsle = s.real("mechanistic.exclusions.severe_npsle", e.severe_npsle, Range::probability());
  // Protocol "severe organ failure" (registry: NYHA >= III, transaminases > 3N): heart and liver
  // as a probability; the kidney on the drawn CrCl. The registry names no renal threshold: 30
  // mL/min, KDIGO G4 "severely decreased" GFR (15-29), is an assumption. 0 disables it.
  e.organ_failure = s.real("mechanistic.exclusions.organ_failure", e.organ_failure, Range::probability());
  e.renal_failure_crcl_ml_min =
      s.real("mechanistic.exclusions.renal_failure_crcl_ml_min", e.renal_failure_crcl_ml_min, Range::closed(0, 150));
  e.other_autoimmune = s.real("mechanistic.exclusions.other_autoimmune", e.other_autoimmune, Range::probability());
  e.cancer = s.real("mechanistic.exclusions.cancer", e.cancer, Range::probability());
  e.pregnancy_or_lactation =
      s.real("mechanistic.exclusions.pregnancy_or_lactation", e.pregnancy_or_lactation, Range::probability());
  e.other_trial = s.real("mechanistic.exclusions.other_trial", e.other_trial, Range::probability());

  auto& sa = p.safety;
  // Label-derived summaries: neutropenia 29-41% (maintenance), thrombocytopenia 19-25%, severe
  // shares 3-6% and 5-6%; for ~3 weeks at 5 mg/kg/d: assumption (docs/model.md [S4]).
  sa.neutropenia_by_day21 =
      s.real("mechanistic.safety.neutropenia_by_day21", sa.neutropenia_by_day21, Range::closed(0, 0.999));
  sa.neutropenia_severe_share =
      s.real("mechanistic.safety.neutropenia_severe_share", sa.neutropenia_severe_share, Range::probability());
  sa.thrombocytopenia_by_day21 =
      s.real("mechanistic.safety.thrombocytopenia_by_day21", sa.thrombocytopenia_by_day21, Range::closed(0, 0.999));
  sa.thrombocytopenia_severe_share = s.real("mechanistic.safety.thrombocytopenia_severe_share",
                                            sa.thrombocytopenia_severe_share, Range::probability());
  // Label: counts recover 3-7 days after stopping.
  sa.hold_days = s.real("mechanistic.safety.hold_days", sa.hold_days, Range::closed(0, 60));
  // Label: AUC 22-27 mg h/L after 5 mg/kg.
  sa.reference_auc24_mg_h_per_l =
      s.real("mechanistic.safety.reference_auc24_mg_h_per_l", sa.reference_auc24_mg_h_per_l, Range::closed(0.1, 1e4));

  auto& l = p.lupus;
  // He 2020: placebo SRI-4 30% at wk 12, with reduction SD 4 (assumption) => mean 2.16.
  l.soc_mean_reduction = s.real("mechanistic.lupus.soc_mean_reduction", l.soc_mean_reduction, Range::closed(-20, 20));
  l.reduction_sd = s.real("mechanistic.lupus.reduction_sd", l.reduction_sd, Range::closed(0, 20));
  l.time_constant_days = s.real("mechanistic.lupus.time_constant_days", l.time_constant_days, Range::closed(0.1, 3650));
  // CMV mimics lupus activity (fever, cytopenias); assumption.
  l.cmv_points_per_log10 =
      s.real("mechanistic.lupus.cmv_points_per_log10", l.cmv_points_per_log10, Range::closed(0, 10));
  l.visit_sd = s.real("mechanistic.lupus.visit_sd", l.visit_sd, Range::closed(0, 10));  // assumption
  return p;
}

void check_eligible_share(Settings& s, const MechanisticParams& params) {
  // 2,000 candidates take about a millisecond. Below 0.1% a patient would need over a thousand
  // candidates on average; screen_until_eligible stops at 100,000, which at 0.1% fails with
  // probability e^-100 per patient.
  constexpr std::uint32_t kPilot = 2000;
  constexpr double kMinimumShare = 1e-3;
  const double share = estimated_eligible_share(params, kPilot);
  if (share < kMinimumShare) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2g%%", 100 * share);
    s.fail(
        "mechanistic.exclusions",
        std::string("with mechanistic.population.*, mechanistic.exclusions.* and mechanistic.assay.lloq_copies_per_ml "
                    "as given, the eligibility criteria admit about ") +
            text + " of candidates (estimated from 2000 drawn at load time); at least 0.1% must pass");
  }
}

}  // namespace vtrial
