#pragma once
// The mechanistic virtual patient: a screened SLE patient with CMV viremia whose viral load,
// NK cells, ganciclovir levels and lupus activity evolve between the events of the protocol
// (infusions, visits, adverse events) on the patient's own calendar. See docs/model.md.
//
// The biology lives here; the protocol (protocol.hpp) decides when things happen. Each arm
// has its own treatment, indexed by PatientRecord::arm. No draw depends on the arm: the same
// slot is the same person, with the same random numbers, on every arm.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/random_stream.hpp"
#include "models/mechanistic/kinetics_solver.hpp"
#include "models/mechanistic/lognormal_scales.hpp"
#include "models/mechanistic/lupus_activity.hpp"
#include "models/mechanistic/population.hpp"
#include "models/mechanistic/protocol.hpp"
#include "models/mechanistic/treatment.hpp"
#include "models/mechanistic/viral_kinetics.hpp"
#include "models/patient_model.hpp"
#include "models/scenario.hpp"

namespace vtrial {

// The two-arm shorthand of the scenario (two_arm_treatments), or the given arms.
std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario);
std::unique_ptr<PatientModel> make_mechanistic_patient(const Scenario& scenario,
                                                       std::vector<MechanisticTreatment> arms);

class MechanisticPatient final : public PatientModel {
 public:
  // Throws std::invalid_argument for an empty or impossible list of arms.
  MechanisticPatient(const MechanisticParams& params, const TrialDesign& design, const DropoutParams& dropout,
                     std::vector<MechanisticTreatment> arms);
  MechanisticPatient(const MechanisticParams& params, const TrialDesign& design, const DropoutParams& dropout)
      : MechanisticPatient(params, design, dropout, two_arm_treatments(params)) {}
  // Throws std::out_of_range for an arm without a treatment.
  void simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) override;
  std::unique_ptr<PatientModel> clone() const override { return std::make_unique<MechanisticPatient>(*this); }
  bool models_lupus_and_safety() const override { return true; }

  const std::vector<MechanisticTreatment>& arms() const { return arms_; }

  // Diagnostics for tests and benchmarks: the last simulated patient.
  const Candidate& last_candidate() const { return candidate_; }
  // The adaptive integrator (steps) or the quadrature (segments, nodes), whichever the scenario chose.
  const ViralKinetics& last_kinetics() const { return kinetics_.adaptive(); }
  const QuadratureKinetics& last_quadrature() const { return kinetics_.quadrature(); }
  const KineticsSolver& last_solver() const { return kinetics_; }
  const PatientProtocol& last_protocol() const { return protocol_; }
  double last_true_days_simulated() const { return kinetics_.time(); }
  // The last patient's kinetic set-up, as passed to ViralKinetics::reset, and its dosing (for
  // tests that re-integrate the same patient, e.g. at a tighter tolerance).
  struct KineticsSetup {
    KineticsCoefficients coef;
    double k_per_day = 0, ke0_per_day = 0, ln_vs0 = 0, ln_vr0 = 0, nk0 = 0, nk_turnover_per_day = 0;
    double nk_target = 0;      // from baseline (= nk0 on an arm without IL-2)
    double infusion_rate = 0;  // mg/L/day while infusing
    double infusion_days = 0, interval_days = 1;
  };
  const KineticsSetup& last_setup() const { return setup_; }

 private:
  // What IL-2 at an arm's dose does, from il2_dose_factor: the rise of the NK target over N0
  // as a multiple of N0, and the extra SLEDAI-2K reduction.
  struct Il2Effect {
    bool given = false;
    double nk_rise = 0;
    double sledai_reduction = 0;
  };

  void setup_patient(const PatientKey& key, const MechanisticTreatment& treatment, const Il2Effect& il2);
  void start_patient(const PatientKey& key, const Il2Effect& il2);

  // One handler per kind of protocol event, each after the kinetics reached its time.
  void on_dose_start(const ProtocolEvent& event);
  void on_dose_end(const ProtocolEvent& event);
  void on_adverse_event(const ProtocolEvent& event);
  void on_visit(const ProtocolEvent& event);
  void on_sample(const ProtocolEvent& event);
  void on_end(const ProtocolEvent& event);
  // Continuous observation: the load crossed the LLOQ at t, between events.
  void on_negative(double t);

  double measure_nk_now();
  double assess_lupus(double t);  // the visit's SLEDAI-2K score; fills the record's lupus fields
  double latent_sledai(double t) const { return lupus_.latent(t, kinetics_.ln_v_total() / ln10_); }
  void record_point(double observed_viral_load, double sledai) const;

  MechanisticParams params_;
  LognormalScales scales_;
  std::vector<MechanisticTreatment> arms_;
  std::vector<Il2Effect> il2_;  // per arm
  double ln10_ = std::log(10.0);
  double log10_lloq_;

  // Scratch, reused across patients (no allocation after the first).
  PatientProtocol protocol_;
  KineticsSolver kinetics_;
  LupusCourse lupus_;
  Candidate candidate_;
  KineticsSetup setup_;
  double infusion_rate_ = 0;  // mg/L/day while infusing
  double auc24_ = 0;
  bool resistant_ = false;

  // The patient being simulated.
  PatientRecord* out_ = nullptr;
  Trajectory* trajectory_ = nullptr;
  RandomStream assay_{StreamKey{}};
  RandomStream lupus_stream_{StreamKey{}};
  double nk_baseline_ = 0;
  double u_severe_[2] = {1, 1};  // neutropenia, thrombocytopenia
};

}  // namespace vtrial
