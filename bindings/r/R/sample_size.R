sample_size <- function(scenario, endpoint = "duration_of_viremia", target_power = 0.8, step = 2, minimum = 10,
                        maximum = 1000, criterion = c("lower", "estimate"), set = NULL, trials = NULL, seed = NULL,
                        threads = 0, output = NULL) {
  call <- sys.call()
  endpoint <- single_string(endpoint, "endpoint", call)
  if (!is.numeric(target_power) || length(target_power) != 1L || is.na(target_power) ||
      !(target_power > 0 && target_power < 1)) {
    argument_error(sprintf("target_power must be a number in (0, 1), not %s", shown(target_power)), call)
  }
  step <- whole_number(step, "step", 1, 100000, call)
  minimum <- whole_number(minimum, "minimum", 2, 100000, call)
  maximum <- whole_number(maximum, "maximum", 2, 100000, call)
  if (maximum < minimum) argument_error(sprintf("maximum (%d) must not be below minimum (%d)", maximum, minimum), call)
  if (!is.character(criterion) || length(criterion) < 1L || !(criterion[[1L]] %in% c("lower", "estimate"))) {
    argument_error(sprintf("criterion must be \"lower\" or \"estimate\", not %s", shown(criterion)), call)
  }
  path <- scenario_path(scenario, call)
  result <- unwrap(.vt_sample_size(path, endpoint, as.double(target_power), step, minimum, maximum,
                                   identical(criterion[[1L]], "lower"), overrides(set, call),
                                   count_text(trials, "trials", call), count_text(seed, "seed", call),
                                   threads_argument(threads, call), output_argument(output, call),
                                   command_text(call)), call)
  result$power <- as_data_frame(result$power)
  result$evaluated <- sweep_object(result$evaluated)
  result$target_power <- target_power
  result$criterion <- criterion[[1L]]
  structure(result, class = "vtrial_sample_size")
}
