// The enrollment process against the closed form of a Poisson process: with one site, no
// refusals and no screen failures, slot k is randomized at the (k+1)-th arrival, whose time is
// Gamma(k+1, rate). Tolerances in Monte Carlo standard errors, fixed seeds.
#include <gtest/gtest.h>

#include <boost/math/distributions/gamma.hpp>
#include <cmath>
#include <vector>

#include "engine/calendar_date.hpp"
#include "models/enrollment.hpp"

namespace vtrial {
namespace {

EnrollmentParams single_site(double rate_per_month) {
  EnrollmentParams p;
  p.start_date = 0;
  p.completion_date = 365;
  p.sites = 1;
  p.site_opening_days = 0;
  p.screening_rate_per_site_month = rate_per_month;
  p.rate_cv = 0;
  p.consent_refusal_probability = 0;
  return p;
}

TEST(Enrollment, TimeOfTheNthArrivalIsGamma) {
  const double rate_per_day = 6 / (365.25 / 12);
  EnrollmentProcess process(single_site(6));
  const int n = 40, trials = 20000;
  std::vector<PatientRecord> patients(n);
  double sum = 0, sum_sq = 0;
  int below_median = 0;
  const boost::math::gamma_distribution<double> exact(n, 1 / rate_per_day);
  const double exact_median = boost::math::quantile(exact, 0.5);
  for (int t = 0; t < trials; ++t) {
    for (auto& p : patients) p = PatientRecord{};
    process.schedule(3, static_cast<std::uint64_t>(t), patients);
    const double day = patients.back().randomization_day;
    sum += day;
    sum_sq += day * day;
    below_median += day <= exact_median;
  }
  const double mean = sum / trials, var = sum_sq / trials - mean * mean;
  const double exact_mean = n / rate_per_day, exact_var = n / (rate_per_day * rate_per_day);
  EXPECT_NEAR(mean, exact_mean, 4 * std::sqrt(exact_var / trials));
  // Var of the sample variance of a Gamma(n): (mu4 - sigma^4)/N with mu4 = 3 sigma^4 (1 + 2/n).
  EXPECT_NEAR(var, exact_var, 4 * exact_var * std::sqrt((2 + 6.0 / n) / trials));
  EXPECT_NEAR(below_median / double(trials), 0.5, 4 * std::sqrt(0.25 / trials));
}

TEST(Enrollment, ScreenFailuresAndRefusalsSlowAccrualByTheirShare) {
  // Each slot needs `screened` candidates; each arrival refuses with probability r. Slot k is
  // randomized at arrival number A_k where E[A_k] = sum(screened) / (1 - r).
  EnrollmentParams p = single_site(10);
  p.consent_refusal_probability = 0.2;
  EnrollmentProcess process(p);
  std::vector<PatientRecord> patients(30);
  const int trials = 20000;
  double arrivals_sum = 0, arrivals_sq = 0;
  for (int t = 0; t < trials; ++t) {
    for (auto& r : patients) r = PatientRecord{}, r.screened = 2;
    const double a = static_cast<double>(process.schedule(9, static_cast<std::uint64_t>(t), patients));
    arrivals_sum += a;
    arrivals_sq += a * a;
  }
  // Arrivals = 60 successes of Bernoulli(0.8): negative binomial, mean 60/0.8 = 75,
  // variance 60 * 0.2 / 0.8^2 = 18.75.
  EXPECT_NEAR(arrivals_sum / trials, 75, 4 * std::sqrt(18.75 / trials));
}

TEST(Enrollment, FirstSlotsAreEnrolledOnTheSameDaysWhateverTheSampleSize) {
  EnrollmentParams p;
  p.start_date = 0;
  p.completion_date = 200;
  EnrollmentProcess process(p);
  std::vector<PatientRecord> small(60), large(140);
  for (std::size_t k = 0; k < large.size(); ++k) large[k].screened = static_cast<std::uint32_t>(1 + k % 3);
  for (std::size_t k = 0; k < small.size(); ++k) small[k].screened = static_cast<std::uint32_t>(1 + k % 3);
  process.schedule(1, 7, small);
  process.schedule(1, 7, large);
  for (std::size_t k = 0; k < small.size(); ++k) EXPECT_EQ(small[k].randomization_day, large[k].randomization_day);
  for (std::size_t k = 1; k < large.size(); ++k) EXPECT_GE(large[k].randomization_day, large[k - 1].randomization_day);
}

}  // namespace
}  // namespace vtrial

namespace vtrial {
namespace {

TEST(CalendarDate, RoundTripsAndKnownDays) {
  std::int64_t start = 0, end = 0;
  ASSERT_TRUE(parse_date("2025-05-20", start));
  ASSERT_TRUE(parse_date("2025-12-30", end));
  EXPECT_EQ(start, 20228);  // R: as.numeric(as.Date("2025-05-20")) prints 20228
  EXPECT_EQ(end - start, 224);
  EXPECT_EQ(format_date(start), "2025-05-20");
  EXPECT_EQ(format_date(0), "1970-01-01");
  std::int64_t leap = 0;
  EXPECT_TRUE(parse_date("2024-02-29", leap));
  EXPECT_FALSE(parse_date("2025-02-29", leap));
  EXPECT_FALSE(parse_date("2025-13-01", leap));
  for (std::int64_t d = -1000; d < 30000; d += 37) {
    std::int64_t back = 0;
    ASSERT_TRUE(parse_date(format_date(d), back));
    EXPECT_EQ(back, d);
  }
}

}  // namespace
}  // namespace vtrial
