# Ctrl-C stops a long run: the child R session below gets SIGINT (what Ctrl-C sends) while it
# simulates 16 million patients (about a minute on two cores); the run must end within seconds
# as an R interrupt its tryCatch sees, leave no output file (nor a temporary one), and the same
# session must then run again. The threads are released when a call ends: an idle session
# uses no CPU.

test_that("SIGINT interrupts a long run and leaves the session usable", {
  dir <- scratch()
  pid_file <- file.path(dir, "pid")
  result_file <- file.path(dir, "result")
  script <- file.path(dir, "child.R")
  writeLines(c(
    sprintf(".libPaths(%s)", paste(deparse(.libPaths()), collapse = "")),
    "library(vtrial)",
    sprintf("out <- file.path(%s, 'long.h5')", deparse(dir)),
    sprintf("writeLines(as.character(Sys.getpid()), %s)", deparse(pid_file)),
    "start <- Sys.time()",
    "outcome <- tryCatch({",
    "  run(scenario_file(), trials = 4000, set = list(trial.patients = 4000), threads = 2, output = out)",
    "  'finished'",
    "}, interrupt = function(e) 'interrupted')",
    "elapsed <- as.numeric(difftime(Sys.time(), start, units = 'secs'))",
    "after <- run(scenario_file(), trials = 20, seed = 1, set = list(model = 'parametric'))",
    "left <- setdiff(list.files(dirname(out), all.files = TRUE, no.. = TRUE), c('pid', 'child.R', 'child.log'))",
    sprintf("writeLines(c(outcome, elapsed, nrow(after$trials), length(left)), %s)", deparse(result_file))
  ), script)
  rscript <- file.path(R.home("bin"), "Rscript")
  system2(rscript, c("--vanilla", shQuote(script)), stdout = file.path(dir, "child.log"),
          stderr = file.path(dir, "child.log"), wait = FALSE)
  waited <- 0
  while (!file.exists(pid_file) && waited < 60) {
    Sys.sleep(0.1)
    waited <- waited + 0.1
  }
  expect_true(file.exists(pid_file))
  Sys.sleep(1.5)  # well inside the run
  tools::pskill(as.integer(readLines(pid_file)), tools::SIGINT)
  waited <- 0
  while (!file.exists(result_file) && waited < 90) {
    Sys.sleep(0.2)
    waited <- waited + 0.2
  }
  expect_true(file.exists(result_file), info = paste(readLines(file.path(dir, "child.log")), collapse = "\n"))
  result <- readLines(result_file)
  expect_identical(result[1], "interrupted")
  expect_lt(as.numeric(result[2]), 20)  # an uninterrupted run takes about a minute
  expect_identical(result[3], "20")      # the session ran again
  expect_identical(result[4], "0")       # no result file, no temporary file
})

test_that("a finished call leaves no thread busy", {
  run(scenario(), trials = 400, set = list(model = "parametric"), threads = 2)
  before <- proc.time()
  Sys.sleep(1)
  used <- proc.time() - before
  expect_lt(used[["user.self"]] + used[["sys.self"]], 0.3)
})
