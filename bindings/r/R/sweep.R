sweep <- function(scenario, patients, set = NULL, trials = NULL, seed = NULL, threads = 0, output = NULL, ...) {
  # base::sweep(x, MARGIN, STATS, ...) on an array or data frame, which this function masks.
  if (is.array(scenario) || is.data.frame(scenario)) {
    return(base::sweep(scenario, patients, set, ...))
  }
  call <- sys.call()
  if (length(list(...))) argument_error(sprintf("unknown argument %s", names(list(...))[1L]), call)
  path <- scenario_path(scenario, call)
  result <- unwrap(.vt_sweep(path, sizes_text(patients, call), overrides(set, call),
                             count_text(trials, "trials", call), count_text(seed, "seed", call),
                             threads_argument(threads, call), output_argument(output, call), command_text(call)),
                   call)
  sweep_object(result)
}

sweep_object <- function(result) {
  result$power <- as_data_frame(result$power)
  result$design <- as_data_frame(result$design)
  structure(result, class = "vtrial_sweep")
}

# patients = c(60, 80, 100) or "60:140:20" / "60,80,100", as vtrial sweep --patients; the
# core's parser sorts, de-duplicates and range-checks both.
sizes_text <- function(patients, call) {
  if (missing(patients) || is.null(patients)) {
    argument_error("patients is required: e.g. c(60, 80, 100) or \"60:140:20\"", call)
  }
  if (is.character(patients) && length(patients) == 1L && !is.na(patients)) return(patients)
  if (!is.numeric(patients) || length(patients) == 0L || !all(vapply(patients, is_count, TRUE))) {
    argument_error(sprintf("patients must be whole numbers, e.g. c(60, 80, 100), or a string like \"60:140:20\", not %s",
                           shown(patients)), call)
  }
  if (length(patients) > 200L) argument_error("patients: at most 200 sample sizes", call)
  paste(sprintf("%.0f", patients), collapse = ",")
}
