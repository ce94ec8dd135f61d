#pragma once
// The mechanistic virtual patient: a screened SLE patient with CMV viremia whose viral load,
// NK cells, ganciclovir levels and lupus activity evolve between the events of the protocol
// (infusions, visits, adverse events) on the patient's own calendar. See docs/model.md.
#include <cstdint>
#include <memory>

#include "engine/event_calendar.hpp"
#include "models/mechanistic/lupus_activity.hpp"
#include "models/mechanistic/population.hpp"
#include "models/mechanistic/viral_kinetics.hpp"
#include "models/patient_model.hpp"
#include "models/scenario.hpp"

namespace vtrial {

std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario);

class MechanisticPatient final : public PatientModel {
 public:
  MechanisticPatient(const MechanisticParams& params, const TrialDesign& design, const DropoutParams& dropout);
  void simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) override;
  std::unique_ptr<PatientModel> clone() const override { return std::make_unique<MechanisticPatient>(*this); }
  bool models_lupus_and_safety() const override { return true; }

  // Diagnostics for tests and benchmarks: the last simulated patient.
  const Candidate& last_candidate() const { return candidate_; }
  const ViralKinetics& last_kinetics() const { return kinetics_; }
  double last_true_days_simulated() const { return kinetics_.time(); }
  // The last patient's kinetic set-up, as passed to ViralKinetics::reset, and its dosing (for
  // tests that re-integrate the same patient, e.g. at a tighter tolerance).
  struct KineticsSetup {
    KineticsCoefficients coef;
    double k_per_day = 0, ke0_per_day = 0, ln_vs0 = 0, ln_vr0 = 0, nk0 = 0, nk_turnover_per_day = 0;
    double nk_target = 0;      // from baseline (= nk0 in the control arm)
    double infusion_rate = 0;  // mg/L/day while infusing
    double infusion_days = 0, interval_days = 1;
  };
  const KineticsSetup& last_setup() const { return setup_; }

  enum class EventKind : std::uint8_t {
    gcv_start,
    gcv_end,
    neutropenia,
    thrombocytopenia,
    injection_site_reaction,
    fever,
    visit,
    sample,
    end,
  };
  struct EventPayload {
    EventKind kind;
    std::uint32_t index;  // visit number, or generation of a reschedulable adverse event
  };

 private:
  void setup_patient(const PatientKey& key, std::uint8_t arm);
  void record_point(Trajectory& trajectory, double observed_viral_load, double sledai) const;
  void record_dosing_point(Trajectory& trajectory, double t) const;  // infusion start or end

  MechanisticParams params_;
  TrialDesign design_;
  double dropout_per_day_;
  double ln10_ = std::log(10.0);

  // Scratch, reused across patients (no allocation after the first).
  EventCalendar<EventPayload> calendar_;
  ViralKinetics kinetics_;
  LupusCourse lupus_;
  Candidate candidate_;
  KineticsSetup setup_;
  double infusion_rate_ = 0;  // mg/L/day while infusing
  double infusion_days_ = 0;
  double interval_days_ = 1;
  double auc24_ = 0;
  bool resistant_ = false;
};

}  // namespace vtrial
