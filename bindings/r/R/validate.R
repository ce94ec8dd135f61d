validate <- function(scenario, set = NULL, trials = NULL, seed = NULL) {
  call <- sys.call()
  path <- scenario_path(scenario, call)
  yaml <- unwrap(.vt_validate(path, overrides(set, call), count_text(trials, "trials", call),
                              count_text(seed, "seed", call)), call)
  structure(yaml, class = "vtrial_scenario")
}

print.vtrial_scenario <- function(x, ...) {
  cat(unclass(x))
  invisible(x)
}
