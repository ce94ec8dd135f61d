# The p-values of exported trials are R's: survival's survdiff (log-rank) and coxph (Wald and
# likelihood-ratio tests, Efron ties) computed here on the same patients, and stats' t.test,
# wilcox.test and fisher.test for the other endpoints. Tolerances: 1e-10 relative for the
# closed forms, 1e-6 for coxph, whose Newton iteration stops at its own convergence tolerance.

trial_patients <- function(r, t) {
  d <- r$patients[r$patients$trial == t, ]
  d$group <- factor(r$arms$name[d$arm + 1L], levels = r$arms$name)
  d
}

for (model in c("mechanistic", "parametric")) {
  test_that(paste("exported trials' p-values equal survdiff, coxph, t.test, wilcox.test, fisher.test:", model), {
    skip_if_not_installed("survival")
    r <- run(scenario(), set = list(model = model, output.patient_trials = 6), trials = 6, seed = 17)
    expect_identical(sort(unique(r$patients$trial)), 0:5)
    for (t in 0:5) {
      d <- trial_patients(r, t)
      row <- r$trials[t + 1L, ]
      lr <- survival::survdiff(survival::Surv(time_days, event) ~ group, data = d)
      expect_equal(row$duration_of_viremia_p, stats::pchisq(lr$chisq, 1, lower.tail = FALSE), tolerance = 1e-10)
      cox <- summary(survival::coxph(survival::Surv(time_days, event) ~ group, data = d, ties = "efron"))
      expect_equal(row$duration_of_viremia_cox_p, unname(cox$waldtest["pvalue"]), tolerance = 1e-6)
      expect_equal(row$duration_of_viremia_cox_lr_p, unname(cox$logtest["pvalue"]), tolerance = 1e-6)
      expect_equal(row$duration_of_viremia_cox_estimate, unname(cox$conf.int[1, "exp(coef)"]), tolerance = 1e-6)
      control <- d$group == r$arms$name[1]
      welch <- stats::t.test(d$nk_change[!control], d$nk_change[control])
      expect_equal(row$nk_change_p, welch$p.value, tolerance = 1e-10)
      expect_equal(row$nk_change_estimate, unname(welch$estimate[1] - welch$estimate[2]), tolerance = 1e-10)
      wilcoxon <- suppressWarnings(stats::wilcox.test(d$nk_change[!control], d$nk_change[control]))
      expect_equal(row$nk_change_wilcoxon_p, wilcoxon$p.value, tolerance = 1e-10)
      # The mechanistic model's adverse events (the parametric one has none).
      for (ae in intersect(c("ae_neutropenia", "ae_fever"), r$power$endpoint)) {
        table <- table(factor(d[[ae]], levels = 0:1), d$group)
        expect_equal(row[[paste0(ae, "_p")]], stats::fisher.test(table)$p.value, tolerance = 1e-10, label = ae)
      }
    }
  })
}
