scenario_file <- function(name = "nct06971913") {
  name <- single_string(name, "name", sys.call())
  path <- system.file("scenarios", paste0(sub("\\.yaml$", "", name), ".yaml"), package = "vtrial")
  if (!nzchar(path)) {
    shipped <- sub("\\.yaml$", "", list.files(system.file("scenarios", package = "vtrial"), "\\.yaml$"))
    argument_error(sprintf("no shipped scenario '%s'; the package has %s", name, paste(shipped, collapse = ", ")),
                   sys.call())
  }
  path
}
