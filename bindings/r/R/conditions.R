# Every failure is an R condition of class vtrial_<kind>_error (and vtrial_error, error): the
# message names the argument or the scenario key, as the command line's does. Ctrl-C during a
# run is an R interrupt, as anywhere else in R.

vtrial_error <- function(kind, message, call) {
  structure(class = c(paste0("vtrial_", kind, "_error"), "vtrial_error", "error", "condition"),
            list(message = message, call = call))
}

# A bad argument of the R call.
argument_error <- function(message, call = sys.call(-1)) {
  stop(vtrial_error("argument", message, call))
}

# What the C++ core returns on failure (src/entry_points.cpp) becomes the condition; anything
# else is returned as it is.
unwrap <- function(result, call) {
  if (!inherits(result, "vtrial_failure")) return(result)
  if (identical(result$kind, "interrupt")) {
    # As R's own Ctrl-C: the interrupt condition for handlers, then back to the top level.
    signalCondition(structure(class = c("interrupt", "condition"), list(message = "interrupted", call = call)))
    invokeRestart("abort")
  }
  condition <- vtrial_error(result$kind, result$message, call)
  if (identical(result$kind, "scenario")) condition$key <- scenario_key(result$message)
  stop(condition)
}

# The key a loader message names: "FILE:LINE:COL: trial.patients: expected ..." or "--set
# trial.patients=many: trial.patients: ..." give "trial.patients", as "unknown key
# 'trial.patientz'" gives "trial.patientz"; NA if none.
scenario_key <- function(message) {
  unknown <- regmatches(message, regexec("unknown key '([^']+)'", message))[[1L]]
  if (length(unknown) == 2L) return(unknown[[2L]])
  for (part in strsplit(message, ": ", fixed = TRUE)[[1L]]) {
    if (grepl("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$", part)) return(part)
  }
  NA_character_
}
