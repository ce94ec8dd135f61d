#pragma once
// The one interface both patient models implement. The trial asks for the course of the
// virtual patient in slot `slot` of trial `trial` on a given arm. A model must draw only from
// streams keyed by (seed, trial, slot, purpose) and must draw the same numbers whichever arm
// it is asked for, so slot k is the same person in either arm and at any sample size.
#include <cstdint>
#include <memory>
#include <span>

#include "models/patient_record.hpp"

namespace vtrial {

// Record fields that a consumer may not read. A model may leave an unrequested field at its
// default (NaN) and skip the draws behind it: every purpose has its own stream, so skipping
// one changes no other number (the fields that are read are the same either way).
struct OutputRequest {
  bool nk_change = true;
};

struct PatientKey {
  std::uint64_t seed = 0;
  std::uint64_t trial = 0;
  std::uint64_t slot = 0;
};

class PatientModel {
 public:
  virtual ~PatientModel() = default;
  // Fills `out` (arm already set by the caller). When `trajectory` is non-null, appends the
  // patient's course to it. Not const: a model may keep scratch buffers, so each worker owns
  // its own copy (see clone()).
  virtual void simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) = 0;
  // Slots 0..records.size()-1 of one trial at once (arms already set), without trajectories:
  // exactly what simulate() gives slot by slot. A model whose patients are cheap overrides it
  // to batch the work across slots.
  virtual void simulate_slots(std::uint64_t seed, std::uint64_t trial, std::span<PatientRecord> records) {
    for (std::size_t k = 0; k < records.size(); ++k) simulate({seed, trial, k}, records[k], nullptr);
  }
  virtual std::unique_ptr<PatientModel> clone() const = 0;
  // What the following simulate() calls must fill in (all of it unless told otherwise).
  void request(const OutputRequest& outputs) { outputs_ = outputs; }
  // Which optional outputs this model produces, so the analysis knows its endpoints.
  virtual bool models_lupus_and_safety() const { return false; }

 protected:
  OutputRequest outputs_;
};

}  // namespace vtrial
