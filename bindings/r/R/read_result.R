read_result <- function(path) {
  call <- sys.call()
  if (!requireNamespace("hdf5r", quietly = TRUE)) {
    stop(vtrial_error("dependency", "read_result needs the hdf5r package (Debian: r-cran-hdf5r)", call))
  }
  path <- path_argument(path, "path", call)
  info <- file.info(path)
  if (is.na(info$size)) stop(vtrial_error("file", sprintf("%s: no such file", path), call))
  if (isTRUE(info$isdir)) stop(vtrial_error("file", sprintf("%s: a directory, not a result file", path), call))
  file <- tryCatch(suppressWarnings(hdf5r::H5File$new(path, mode = "r")), error = function(e) {
    stop(vtrial_error("file", sprintf("%s: not a readable vtrial result file: %s", path, conditionMessage(e)), call))
  })
  on.exit(file$close_all(), add = TRUE)
  tryCatch(read_result_file(file, path, call), vtrial_error = function(e) stop(e), error = function(e) {
    # A well-formed HDF5 file may still not hold what a result file holds (a truncated copy,
    # a damaged chunk: the checksums refuse it).
    stop(vtrial_error("file", sprintf("%s: not a readable vtrial result file: %s", path, conditionMessage(e)), call))
  })
}

read_result_file <- function(file, path, call) {
  attributes <- hdf5r::h5attributes(file)
  filetype <- attributes$filetype
  if (!is.character(filetype) || !startsWith(filetype, "vtrial.")) {
    stop(vtrial_error("file", sprintf("%s: not a vtrial result file (no vtrial filetype attribute)", path), call))
  }
  out <- list(attributes = attributes)
  for (name in file$ls(recursive = FALSE)$name) {
    object <- file[[name]]
    if (inherits(object, "H5Group")) out[[name]] <- read_group(object)
  }
  # Tables as data frames, also in subgroups (/uncertainty/priors, ...); /trials in /schema's
  # order (the order of run()'s trials).
  for (name in setdiff(names(out), c("attributes", "design"))) out[[name]] <- tables_of(out[[name]])
  if (!is.null(out$schema) && !is.null(out$trials) && setequal(out$schema$column, names(out$trials))) {
    out$trials <- out$trials[out$schema$column]
  }
  if (!is.null(out$summary)) out$power <- power_order(out$summary)
  if (!is.null(out$design)) {
    looks <- out$design$looks
    out$design <- out$design[setdiff(names(out$design), "looks")]
    if (!is.null(looks)) out$design$looks <- as_data_frame(looks)
  }
  structure(out, class = "vtrial_result", path = path)
}

# A group of equal-length columns becomes a data frame; a group of groups, a list of them.
tables_of <- function(group) {
  atomic <- vapply(group, is.atomic, TRUE)
  if (all(atomic) && length(unique(lengths(group))) <= 1L) return(as_data_frame(group))
  group[!atomic] <- lapply(group[!atomic], tables_of)
  group
}

# A group: its datasets by name; a subgroup (/design/looks) as a nested list.
read_group <- function(group) {
  out <- list()
  for (name in group$ls(recursive = FALSE)$name) {
    object <- group[[name]]
    out[[name]] <- if (inherits(object, "H5Group")) read_group(object) else read_dataset(object)
    object$close()
  }
  out
}

read_dataset <- function(dataset) {
  values <- dataset$read()
  if (inherits(values, "integer64")) {
    values <- if (all(abs(values) <= .Machine$integer.max, na.rm = TRUE)) as.integer(values) else as.double(values)
  }
  if (is.character(values)) Encoding(values) <- "UTF-8"
  values
}

# /summary's columns as run()'s power table orders them: the names the issue lists first, the
# rest (and any a newer file adds) after, in the file's order.
power_order <- function(summary) {
  first <- c("endpoint", "comparison", "power", "mc_se", "ci_low", "ci_high", "rejections", "trials", "kind",
             "declared_endpoint", "test", "outcome", "estimate")
  first <- intersect(first, names(summary))
  summary[c(first, setdiff(names(summary), first))]
}

print.vtrial_result <- function(x, ...) {
  a <- x$attributes
  cat(sprintf("vtrial result file %s: %s, %s trials, seed %s (vtrial %s, format %s)\n", attr(x, "path"),
              a$filetype, format(a$trials), format(a$seed), a$version, format(a$format_version)))
  tables <- setdiff(names(x), c("attributes", "power"))
  for (name in tables) {
    v <- x[[name]]
    if (is.data.frame(v)) cat(sprintf("  $%-14s %d rows x %d columns\n", name, nrow(v), ncol(v)))
    else cat(sprintf("  $%-14s %d values\n", name, length(v)))
  }
  if (!is.null(x$power)) {
    cat("\n")
    print_power_table(x$power, seconds = NA, measure = if (is.null(a$power_measure)) "power" else a$power_measure)
  }
  invisible(x)
}

summary.vtrial_result <- function(object, ...) {
  if (is.null(object$power)) return(object$sweep)
  object$power[c("endpoint", "comparison", "power", "mc_se", "ci_low", "ci_high", "trials")]
}
