# Checks of the R arguments, each failing with a vtrial_argument_error that names it, before
# anything reaches the C++ core; and the overrides as the `--set key=value` text it takes.

is_count <- function(x) {
  is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) && x == round(x)
}

# A whole number in [lo, hi].
whole_number <- function(x, name, lo, hi, call) {
  if (!is_count(x) || x < lo || x > hi) {
    argument_error(sprintf("%s must be a whole number from %s to %s, not %s", name, format(lo), format(hi),
                           shown(x)), call)
  }
  as.integer(x)
}

# How a bad value is shown in a message: its value if short and simple, else its type.
shown <- function(x) {
  if (is.null(x)) return("NULL")
  if ((is.numeric(x) || is.logical(x)) && length(x) == 1L) return(format(x))
  if (is.character(x) && length(x) == 1L && !is.na(x)) return(sprintf("'%s'", substr(x, 1L, 60L)))
  sprintf("a %s of length %d", class(x)[1L], length(x))
}

single_string <- function(x, name, call) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    argument_error(sprintf("%s must be a single non-empty string, not %s", name, shown(x)), call)
  }
  enc2utf8(x)
}

path_argument <- function(x, name, call) {
  path <- single_string(x, name, call)
  enc2native(path.expand(path))
}

scenario_path <- function(scenario, call) {
  path <- path_argument(scenario, "scenario", call)
  if (!file.exists(path)) argument_error(sprintf("scenario %s: no such file", path), call)
  path
}

# NULL = no output file.
output_argument <- function(output, call) {
  if (is.null(output)) return("")
  path_argument(output, "output", call)
}

threads_argument <- function(threads, call) {
  # More threads than this only cost memory; results never depend on the number.
  whole_number(threads, "threads (0 = all cores)", 0, 1024, call)
}

# trials and seed as the text of --trials / --seed ("" = the scenario's); the loader checks
# their range and names simulation.trials / simulation.seed.
count_text <- function(x, name, call) {
  if (is.null(x)) return("")
  if (is.character(x) && length(x) == 1L && !is.na(x) && grepl("^[0-9]+$", x)) return(x)
  if (!is_count(x) || x < 0) {
    argument_error(sprintf("%s must be a whole number, not %s", name, shown(x)), call)
  }
  if (x >= 2^53) argument_error(sprintf("%s: %s is beyond 2^53; give it as a string of digits", name, format(x)), call)
  sprintf("%.0f", x)
}

# A scenario value as YAML text. At the top, a string is passed as it is (as --set key=text);
# inside a list it is quoted, so commas stay inside it.
yaml_value <- function(x, key, call, nested = FALSE, depth = 0L) {
  if (depth > 64L) argument_error(sprintf("set: %s: nested more than 64 deep; no scenario value is", key), call)
  if (is.null(x)) return("null")
  if (is.factor(x)) x <- as.character(x)
  scalar <- function(v) {
    if (is.na(v)) argument_error(sprintf("set: %s: NA is not a scenario value", key), call)
    if (is.logical(v)) return(if (v) "true" else "false")
    if (is.character(v)) return(if (nested) quoted(v) else enc2utf8(v))
    if (is.numeric(v)) {
      if (is.infinite(v)) return(if (v > 0) ".inf" else "-.inf")
      if (v == round(v) && abs(v) < 2^53) return(sprintf("%.0f", v))
      return(sprintf("%.17g", v))  # round-trips: the core reads the same double
    }
    argument_error(sprintf("set: %s: a %s is not a scenario value", key, class(v)[1L]), call)
  }
  if (is.list(x)) {
    items <- vapply(x, yaml_value, "", key = key, call = call, nested = TRUE, depth = depth + 1L)
    if (!is.null(names(x)) && all(nzchar(names(x)))) {
      return(paste0("{", paste0(vapply(names(x), quoted, ""), ": ", items, collapse = ", "), "}"))
    }
    return(paste0("[", paste(items, collapse = ", "), "]"))
  }
  if (!is.atomic(x) || is.complex(x) || is.raw(x)) {
    argument_error(sprintf("set: %s: a %s is not a scenario value", key, class(x)[1L]), call)
  }
  if (length(x) == 1L && is.null(names(x))) return(scalar(x[[1L]]))
  nested <- TRUE
  items <- vapply(seq_along(x), function(i) scalar(x[[i]]), "")
  paste0("[", paste(items, collapse = ", "), "]")
}

# A JSON string is a YAML string.
quoted <- function(s) {
  s <- enc2utf8(s)
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}

# set = list(trial.patients = 120, model = "parametric") or c("trial.patients=120"): the
# assignments of --set, in order.
overrides <- function(set, call) {
  if (is.null(set)) return(character())
  keys <- names(set)
  if (is.character(set) && is.null(keys)) {
    if (anyNA(set)) argument_error("set: NA is not an assignment; give 'key=value'", call)
    bad <- !grepl("=", set, fixed = TRUE)
    if (any(bad)) {
      argument_error(sprintf("set: '%s' is not an assignment; give 'key=value' or list(key = value)",
                             set[bad][1L]), call)
    }
    return(enc2utf8(set))
  }
  if (!is.list(set) && !is.atomic(set)) {
    argument_error(sprintf("set must be a named list, e.g. list(trial.patients = 120), not a %s", class(set)[1L]),
                   call)
  }
  if (length(set) == 0L) return(character())
  if (is.null(keys) || any(is.na(keys)) || any(!nzchar(keys))) {
    argument_error("set: every value needs a key, e.g. list(trial.patients = 120)", call)
  }
  if (length(set) > 1000L) argument_error("set: at most 1000 overrides (write the rest into the scenario file)", call)
  if (any(grepl("=", keys, fixed = TRUE))) {
    argument_error(sprintf("set: the key '%s' contains '='; give list(trial.patients = 120)",
                           keys[grepl("=", keys, fixed = TRUE)][1L]), call)
  }
  values <- vapply(seq_along(set), function(i) yaml_value(set[[i]], keys[[i]], call), "")
  paste0(enc2utf8(keys), "=", values)
}

# The call as the result file's `command` attribute records it.
command_text <- function(call) {
  paste("R:", paste(deparse(call, width.cutoff = 500L), collapse = " "))
}

as_data_frame <- function(columns) {
  n <- if (length(columns)) length(columns[[1L]]) else 0L
  structure(columns, class = "data.frame", row.names = .set_row_names(n))
}
