#include "models/enrollment.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/gamma_distribution.hpp>

#include "engine/settings.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {

EnrollmentParams read_enrollment_params(Settings& s) {
  EnrollmentParams p;
  // NCT06971913 registration: study start 2025-05-20, primary completion 2025-12-30.
  p.start_date = s.date("enrollment.start_date", "2025-05-20");
  p.completion_date = s.date("enrollment.completion_date", "2025-12-30");
  if (p.completion_date <= p.start_date)
    s.fail("enrollment.completion_date", "must be after enrollment.start_date");
  // Site count, opening window and rates are assumptions (the registry lists no per-site
  // figures); docs/scenario.md says so and the committee example varies them.
  p.sites = s.integer("enrollment.sites", p.sites, 1, 1000);
  p.site_opening_days = s.real("enrollment.site_opening_days", p.site_opening_days, Range::closed(0, 3650));
  p.screening_rate_per_site_month =
      s.real("enrollment.screening_rate_per_site_month", p.screening_rate_per_site_month, Range::positive());
  p.rate_cv = s.real("enrollment.rate_cv", p.rate_cv, Range::closed(0, 5));
  p.consent_refusal_probability =
      s.real("enrollment.consent_refusal_probability", p.consent_refusal_probability, Range{0, 1, false, true});
  return p;
}

double EnrollmentProcess::next_arrival(RandomStream& stream) {
  // Superposed Poisson processes of the open sites: exponential gaps at the total open rate;
  // a site opening before the next arrival restarts the (memoryless) clock at its opening.
  for (;;) {
    const double next_opening =
        open_sites_ < opening_day_.size() ? opening_day_[open_sites_] : std::numeric_limits<double>::infinity();
    const double gap = open_rate_ > 0 ? -std::log(stream.uniform_open01()) / open_rate_
                                      : std::numeric_limits<double>::infinity();
    if (clock_ + gap <= next_opening) {
      clock_ += gap;
      return clock_;
    }
    clock_ = next_opening;
    open_rate_ += rate_per_day_[open_sites_++];
  }
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
    const double shape = 1 / (params_.rate_cv * params_.rate_cv);
    boost::random::gamma_distribution<double> gamma(shape, 1 / shape);
    for (auto& r : rate_per_day_) r = mean_per_day * gamma(stream);
  } else {
    std::fill(rate_per_day_.begin(), rate_per_day_.end(), mean_per_day);
  }
  open_sites_ = 0;
  open_rate_ = 0;
  clock_ = 0;

  std::uint64_t arrivals = 0;
  for (auto& patient : patients) {
    for (std::uint32_t screened = 0; screened < patient.screened;) {
      const double day = next_arrival(stream);
      ++arrivals;
      // No draw when nobody refuses: the arrival stream then serves only the gaps.
      if (params_.consent_refusal_probability == 0 || stream.uniform_open01() >= params_.consent_refusal_probability) {
        ++screened;
        patient.randomization_day = day;
      }
    }
  }
  return arrivals;
}

}  // namespace vtrial
