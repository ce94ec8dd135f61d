#include "models/enrollment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/random_variates.hpp"
#include "engine/settings.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

// Superposed Poisson processes of the open sites: exponential gaps at the total open rate (a
// standard exponential times the mean gap, kept as 1 / rate so an arrival costs no division);
// a site opening before the next arrival restarts the (memoryless) clock at its opening. A
// local object, so the clock lives in registers across a trial's arrivals.
class ArrivalClock {
 public:
  ArrivalClock(std::span<const double> opening_day, std::span<const double> rate_per_day)
      : opening_day_(opening_day), rate_per_day_(rate_per_day) {}

  double next(RandomStream& stream) {
    for (;;) {
      // No draw while no site is open (only before the first opening, at day 0).
      const double gap = open_rate_ > 0 ? standard_exponential(stream) * mean_gap_ : kNever;
      if (clock_ + gap <= next_opening_) [[likely]] {
        clock_ += gap;
        return clock_;
      }
      clock_ = next_opening_;
      open_rate_ += rate_per_day_[open_sites_++];
      mean_gap_ = 1 / open_rate_;
      next_opening_ = open_sites_ < opening_day_.size() ? opening_day_[open_sites_] : kNever;
    }
  }

 private:
  static constexpr double kNever = std::numeric_limits<double>::infinity();
  std::span<const double> opening_day_;  // ascending
  std::span<const double> rate_per_day_;
  std::size_t open_sites_ = 0;
  double open_rate_ = 0;
  double mean_gap_ = kNever;
  double clock_ = 0;
  double next_opening_ = opening_day_.empty() ? kNever : opening_day_[0];
};

}  // namespace

EnrollmentParams read_enrollment_params(Settings& s) {
  EnrollmentParams p;
  // NCT06971913 registration: study start 2025-05-20, primary completion 2025-12-30.
  p.start_date = s.date("enrollment.start_date", "2025-05-20");
  p.completion_date = s.date("enrollment.completion_date", "2025-12-30");
  if (p.completion_date <= p.start_date) s.fail("enrollment.completion_date", "must be after enrollment.start_date");
  // Site count, opening window and rates are assumptions (the registry lists no per-site
  // figures); docs/scenario.md says so and the committee example varies them.
  p.sites = s.integer("enrollment.sites", p.sites, 1, 1000);
  p.site_opening_days = s.real("enrollment.site_opening_days", p.site_opening_days, Range::closed(0, 3650));
  p.screening_rate_per_site_month =
      s.real("enrollment.screening_rate_per_site_month", p.screening_rate_per_site_month, Range::closed(1e-3, 1e5));
  p.rate_cv = s.real("enrollment.rate_cv", p.rate_cv, Range::closed(0, 5));
  // Each refusal is one more arrival drawn: p = 0.99 means 100 arrivals per screened candidate,
  // and just below 1 a trial would draw without end.
  p.consent_refusal_probability =
      s.real("enrollment.consent_refusal_probability", p.consent_refusal_probability, Range::closed(0, 0.99));
  return p;
}

std::uint64_t EnrollmentProcess::schedule(std::uint64_t seed, std::uint64_t trial, std::span<PatientRecord> patients) {
  RandomStream stream({seed, trial, 0, purpose_id(StreamPurpose::enrollment)});
  const auto sites = static_cast<std::size_t>(params_.sites);
  opening_day_.resize(sites);
  rate_per_day_.resize(sites);
  opening_day_[0] = 0;
  for (std::size_t i = 1; i < sites; ++i) opening_day_[i] = params_.site_opening_days * stream.uniform_open01();
  std::sort(opening_day_.begin(), opening_day_.end());
  const double mean_per_day = params_.screening_rate_per_site_month / (365.25 / 12);
  if (params_.rate_cv > 0) {
    // Gamma with mean 1 and the given CV: shape 1/CV^2, scale CV^2.
    const double shape = 1 / (params_.rate_cv * params_.rate_cv);
    const double scale = mean_per_day / shape;
    for (auto& r : rate_per_day_) r = scale * standard_gamma(stream, shape);
  } else {
    std::fill(rate_per_day_.begin(), rate_per_day_.end(), mean_per_day);
  }

  ArrivalClock clock(opening_day_, rate_per_day_);
  // The gaps read a local copy of the stream, whose state can then stay in registers (the
  // original's address went to the gamma draws above); nothing reads `stream` after this.
  RandomStream arrival_stream = stream;
  std::uint64_t arrivals = 0;
  const double refusal = params_.consent_refusal_probability;
  if (refusal == 0) {
    // No draw when nobody refuses: the arrival stream then serves only the gaps.
    for (auto& patient : patients) {
      if (patient.screened == 0) continue;
      double day = 0;
      for (std::uint32_t screened = 0; screened < patient.screened; ++screened) day = clock.next(arrival_stream);
      arrivals += patient.screened;
      patient.randomization_day = day;
    }
    return arrivals;
  }
  for (auto& patient : patients) {
    for (std::uint32_t screened = 0; screened < patient.screened;) {
      const double day = clock.next(arrival_stream);
      ++arrivals;
      if (arrival_stream.uniform_open01() >= refusal) {
        ++screened;
        patient.randomization_day = day;
      }
    }
  }
  return arrivals;
}

}  // namespace vtrial
