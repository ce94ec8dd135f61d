# The command line to compare with: VTRIAL_BIN (set by ctest, as for the Python tests), else the
# build the package was installed from.
vtrial_bin <- function() {
  bin <- Sys.getenv("VTRIAL_BIN")
  if (!nzchar(bin) && nzchar(Sys.getenv("VTRIAL_BUILD_DIR"))) bin <- file.path(Sys.getenv("VTRIAL_BUILD_DIR"), "vtrial")
  if (!nzchar(bin) || !file.exists(bin)) skip("no vtrial command line: set VTRIAL_BIN")
  bin
}

# Runs the command line; its standard output, or a test failure with its error.
cli <- function(...) {
  args <- c(...)
  out <- suppressWarnings(system2(vtrial_bin(), shQuote(args), stdout = TRUE, stderr = TRUE))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) stop("vtrial ", paste(args, collapse = " "), " failed: ", paste(out, collapse = "\n"))
  out
}

cli_json <- function(...) {
  skip_if_not_installed("jsonlite")
  out <- cli(..., "--json")
  jsonlite::fromJSON(out[length(out)], simplifyVector = FALSE)
}

scenario <- function() scenario_file("nct06971913")

# A fresh directory of its own under the session's temporary directory.
scratch <- function() {
  dir <- tempfile("vtrial-test-")
  dir.create(dir)
  dir
}

# NULL (JSON's NaN) as NA, for comparing with R's NaN.
json_number <- function(x) if (is.null(x)) NA_real_ else as.double(x)
