# rpact in the same session: vtrial's log-rank power for the parametric model's exponential
# design (control median 21 days, hazard ratio 1.5, 1:1, 100 patients; daily visits, so times are
# nearly continuous) against rpact's getPowerSurvival for the same design at the number of
# events the simulation saw. rpact's is Schoenfeld's approximation (0.5064 here), not a
# simulation: the tolerance, 4 Monte Carlo SE of 4,000 trials (0.032), also covers that.

test_that("the exponential design's power is rpact's", {
  skip_if_not_installed("rpact")
  r <- run(scenario(), set = list(model = "parametric", trial.visit_interval_days = 1), trials = 4000, seed = 1)
  design <- rpact::getDesignGroupSequential(kMax = 1, alpha = 0.05, sided = 2)
  reference <- rpact::getPowerSurvival(design, lambda2 = log(2) / 21, hazardRatio = 1.5,
                                       maxNumberOfEvents = round(r$design$mean_events), maxNumberOfSubjects = 100)
  logrank <- r$power[r$power$endpoint == "duration_of_viremia", ]
  expect_lt(abs(logrank$power - reference$overallReject), 4 * logrank$mc_se)
})
