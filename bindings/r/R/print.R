# Text that reads like the command line's tables (bindings/cli/report.cpp).

print_power_table <- function(power, seconds, measure = "power") {
  width <- max(28L, nchar(power$endpoint))
  type1 <- "type1_error" %in% names(power)
  cat(sprintf("%-*s %9s  %-17s %8s %8s %9s%s\n", width, "endpoint", measure, "95% CI (Wilson)", "MC SE", "trials",
              "seconds", if (type1) "   type I    MC SE" else ""))
  line <- sprintf("%-*s %9.4f  [%.4f, %.4f]  %8.4f %8d %9s", width, power$endpoint, power$power, power$ci_low,
                  power$ci_high, power$mc_se, as.integer(power$trials),
                  if (is.na(seconds)) "-" else sprintf("%.2f", seconds))
  if (type1) line <- paste0(line, sprintf("  %7.4f  %7.4f", power$type1_error, power$type1_mc_se))
  cat(paste0(line, "\n"), sep = "")
}

# The scenario's value of a top-level-section key in the resolved YAML ("" if absent).
yaml_key <- function(yaml, section, key) {
  lines <- strsplit(yaml, "\n", fixed = TRUE)[[1L]]
  start <- match(paste0(section, ":"), lines)
  if (is.na(start)) return("")
  for (line in lines[-seq_len(start)]) {
    if (!startsWith(line, " ")) break
    m <- regmatches(line, regexec(paste0("^  ", key, ": *['\"]?([^'\"]*)['\"]?$"), line))[[1L]]
    if (length(m) == 2L) return(m[[2L]])
  }
  ""
}

print_design <- function(design, arms, deadline) {
  d <- function(name) if (is.null(design[[name]])) NA_real_ else design[[name]]
  cat(sprintf("enrollment: median %.0f days to the last randomization (10%%-90%%: %.0f-%.0f); %.1f candidates screened on average\n",
              d("median_enrollment_days"), d("enrollment_days_p10"), d("enrollment_days_p90"), d("mean_screened")))
  cat(sprintf("by the planned completion date %s: P(enrolled) = %.3f [%.3f, %.3f], P(last visit done) = %.3f [%.3f, %.3f]\n",
              deadline, d("p_enrolled_by_deadline"), d("p_enrolled_ci_low"), d("p_enrolled_ci_high"),
              d("p_completed_by_deadline"), d("p_completed_ci_low"), d("p_completed_ci_high")))
  stops <- grep("^p_stop_at_look[0-9]+$", names(design), value = TRUE)
  if (length(stops)) {
    cat(sprintf("group-sequential: P(stop at look 1..%d) = %s; P(futility stop) = %.3f; expected sample size %.1f\n",
                length(stops), paste(sprintf("%.3f", unlist(design[stops])), collapse = " "), d("p_futility_stop"),
                d("mean_patients")))
  }
  if (length(arms)) {
    medians <- paste(sprintf("%.1f (%s)", vapply(paste0("mean_km_median_", arms), d, 0), arms), collapse = " vs ")
    by28 <- paste(sprintf("%.3f", vapply(paste0("mean_negative_by_day28_", arms), d, 0)), collapse = " vs ")
    cat(sprintf("mean over trials: Kaplan-Meier median days to negativity %s; negative by day 28: %s\n", medians, by28))
  }
}

# With `uncertainty:`: what drives the primary's success, as the command line shows it.
print_drivers <- function(uncertainty, calibration, primary) {
  drivers <- uncertainty$drivers
  conditional <- uncertainty$conditional
  if (is.null(drivers) || !nrow(drivers)) return(invisible())
  endpoint <- drivers$endpoint[startsWith(drivers$endpoint, primary)][1L]
  if (is.na(endpoint)) endpoint <- drivers$endpoint[1L]
  cat(sprintf("\nwhat drives %s (share of its variance each prior explains, binned; power by bin):\n", endpoint))
  cat(sprintf("  %-40s %7s %7s   %s\n", "key", "share", "MC SE", "power in the lowest .. highest bin"))
  for (i in which(drivers$endpoint == endpoint)) {
    key <- drivers$key[i]
    bins <- conditional[conditional$key == key & conditional$endpoint == endpoint, ]
    cat(sprintf("  %-40s %7.3f %7.3f   %s\n", key, drivers$share[i], drivers$mc_se[i],
                paste(sprintf("%.3f", bins$power[order(bins$bin)]), collapse = " ")))
  }
  summary <- calibration$summary
  if (!is.null(summary) && nrow(summary)) {
    cat(sprintf("\ncalibrated to %d published target(s): effective trials %.0f of %d (the assurance above is under the posterior)\n",
                nrow(calibration$targets), summary$effective_trials, as.integer(summary$trials)))
  }
}

print.vtrial_run <- function(x, ...) {
  print_power_table(x$power, x$seconds, if (is.null(x$power_measure)) "power" else x$power_measure)
  if (!is.null(x$uncertainty)) {
    print_drivers(x$uncertainty, x$calibration, yaml_key(x$scenario, "analysis", "primary"))
  }
  cat("\n")
  print_design(x$design, x$arms$name, yaml_key(x$scenario, "enrollment", "completion_date"))
  if (!is.null(x$output)) cat(sprintf("results written to %s\n", x$output))
  invisible(x)
}

summary.vtrial_run <- function(object, ...) {
  structure(list(power = object$power[c("endpoint", "comparison", "power", "mc_se", "ci_low", "ci_high", "trials")],
                 design = object$design, trials = nrow(object$trials), seed = object$seed,
                 model = yaml_key(object$scenario, "model", "type"), arms = object$arms,
                 patients = yaml_key(object$scenario, "trial", "patients"), seconds = object$seconds,
                 threads = object$threads),
            class = "summary.vtrial_run")
}

print.summary.vtrial_run <- function(x, ...) {
  cat(sprintf("vtrial run: %d trials of %s patients (arms %s), seed %s; %.2f s on %d threads\n\n", x$trials,
              x$patients, paste(sprintf("%s %d", x$arms$name, x$arms$ratio), collapse = " : "), format(x$seed),
              x$seconds, x$threads))
  print(x$power, row.names = FALSE, digits = 4)
  cat("\n")
  scalars <- x$design[vapply(x$design, function(v) is.numeric(v) && length(v) == 1L, TRUE)]
  cat(sprintf("%-32s %s\n", names(scalars), vapply(scalars, function(v) sprintf("%.4g", v), "")), sep = "")
  invisible(x)
}

sweep_lines <- function(power, design, measure = "power") {
  width <- max(28L, nchar(power$endpoint))
  cat(sprintf("%-*s %6s %9s  %-17s %9s %9s %9s  %8s %8s %9s %9s\n", width, "endpoint", "N", measure, "95% CI", "diff",
              "SE pair", "SE indep", "P(enr)", "P(done)", "med.days", "screened"))
  p <- power[order(match(power$endpoint, unique(power$endpoint)), power$patients), ]
  at <- match(p$patients, design$patients)
  diff <- ifelse(is.na(p$difference), sprintf("%9s %9s %9s", "-", "-", "-"),
                 sprintf("%+9.4f %9.4f %9.4f", p$difference, p$difference_se_paired, p$difference_se_unpaired))
  cat(sprintf("%-*s %6d %9.4f  [%.4f, %.4f] %s  %8.3f %8.3f %9.0f %9.1f\n", width, p$endpoint,
              as.integer(p$patients), p$power, p$ci_low, p$ci_high, diff, design$p_enrolled_by_deadline[at],
              design$p_completed_by_deadline[at], design$median_enrollment_days[at], design$mean_screened[at]),
      sep = "")
}

# "assurance" where the trials drew their unknowns from priors (`uncertainty:`).
measure_of <- function(yaml) if (grepl("(^|\n)uncertainty:", yaml)) "assurance" else "power"

scenario_name <- function(yaml) {
  m <- regmatches(yaml, regexec("(^|\n)name: *['\"]?([^'\"\n]*)", yaml))[[1L]]
  if (length(m) == 3L) m[[3L]] else ""
}

print.vtrial_sweep <- function(x, ...) {
  cat(sprintf("vtrial sweep  scenario '%s': %s trials per N, common random numbers (seed %s)\n",
              scenario_name(x$scenario), format(x$trials), format(x$seed)))
  cat("diff = power minus power at the previous N; SE pair = its standard error from paired trials; SE indep = what independent runs would give\n\n")
  sweep_lines(x$power, x$design, measure_of(x$scenario))
  invisible(x)
}

summary.vtrial_sweep <- function(object, ...) {
  object$power[c("patients", "endpoint", "comparison", "power", "mc_se", "ci_low", "ci_high", "difference",
                 "difference_se_paired")]
}

print.vtrial_sample_size <- function(x, ...) {
  cat(sprintf("vtrial sample_size: endpoint %s, target power %g (%s), %s trials per N\n\n", x$endpoint,
              x$target_power, if (identical(x$criterion, "lower")) "95% lower bound" else "estimate",
              format(x$evaluated$trials)))
  sweep_lines(x$evaluated$power, x$evaluated$design, measure_of(x$evaluated$scenario))
  p <- x$power
  cat(sprintf("\nsmallest N: %s patients, %s %.4f [%.4f, %.4f] (%d trials)\n", format(x$patients),
              measure_of(x$evaluated$scenario), p$power,
              p$ci_low, p$ci_high, as.integer(p$trials)))
  invisible(x)
}
