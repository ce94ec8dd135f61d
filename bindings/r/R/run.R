run <- function(scenario, set = NULL, trials = NULL, seed = NULL, threads = 0, output = NULL, shard = NULL) {
  call <- sys.call()
  path <- scenario_path(scenario, call)
  result <- unwrap(.vt_run(path, overrides(set, call), count_text(trials, "trials", call),
                           count_text(seed, "seed", call), threads_argument(threads, call),
                           output_argument(output, call), shard_text(shard, call), command_text(call)), call)
  for (table in c("power", "trials", "patients", "trajectories", "arms")) {
    result[[table]] <- as_data_frame(result[[table]])
  }
  if (!is.null(result$design$looks)) result$design$looks <- as_data_frame(result$design$looks)
  # With `uncertainty:`: $uncertainty$priors, $calibration$targets, ... as read_result() reads them.
  groups <- result$groups
  result$groups <- NULL
  for (path in names(groups)) result <- nested_assign(result, strsplit(path, "/", fixed = TRUE)[[1L]],
                                                       as_data_frame(groups[[path]]))
  structure(result, class = "vtrial_run")
}

# shard = "K/N" or c(K, N), as vtrial run --shard K/N.
shard_text <- function(shard, call) {
  if (is.null(shard)) return("")
  if (is.character(shard) && length(shard) == 1L && !is.na(shard)) return(shard)
  if (is.numeric(shard) && length(shard) == 2L && all(vapply(shard, is_count, TRUE))) {
    return(sprintf("%.0f/%.0f", shard[[1L]], shard[[2L]]))
  }
  argument_error(sprintf("shard must be c(K, N) or a string 'K/N', not %s", shown(shard)), call)
}

nested_assign <- function(x, keys, value) {
  if (length(keys) == 1L) {
    x[[keys]] <- value
    return(x)
  }
  inner <- if (is.null(x[[keys[1L]]])) list() else x[[keys[1L]]]
  x[[keys[1L]]] <- nested_assign(inner, keys[-1L], value)
  x
}
