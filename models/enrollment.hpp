#pragma once
// Accrual as a discrete-event process on the trial's calendar: sites open over the first
// months, each site sends candidates as a Poisson process whose rate varies between sites
// (gamma-distributed, mean 1, given CV), some candidates refuse consent, and those who consent
// are screened; slot k is randomized when the last of the candidates it needed is screened.
// Arrivals come in time order from one trial-level stream, so the first n slots are enrolled at
// the same days whatever the target sample size (common random numbers across N).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/random_stream.hpp"
#include "models/patient_record.hpp"

namespace vtrial {

class Settings;

struct EnrollmentParams {
  std::int64_t start_date = 0;       // days since 1970-01-01
  std::int64_t completion_date = 0;  // planned study completion
  std::int64_t sites = 8;
  double site_opening_days = 60;  // sites open uniformly over this window (the first at day 0)
  double screening_rate_per_site_month = 3;
  double rate_cv = 0.5;  // between-site variation of that rate
  double consent_refusal_probability = 0.1;

  double deadline_days() const { return static_cast<double>(completion_date - start_date); }
};

EnrollmentParams read_enrollment_params(Settings& settings);

class EnrollmentProcess {
 public:
  explicit EnrollmentProcess(const EnrollmentParams& params) : params_(params) {}

  // Sets randomization_day of each patient (days since the study start), given how many
  // screened candidates each slot needed (PatientRecord::screened). Returns the number of
  // arrivals (screened + refusals).
  std::uint64_t schedule(std::uint64_t seed, std::uint64_t trial, std::span<PatientRecord> patients);

 private:
  EnrollmentParams params_;
  // Scratch, reused across trials.
  std::vector<double> opening_day_;
  std::vector<double> rate_per_day_;
};

}  // namespace vtrial
