# The shape of what the functions return, and the faces: print and summary read like the
# command line's table, plot draws a sweep.

test_that("run() returns data frames and a named design list", {
  r <- run(scenario(), trials = 30, seed = 4, set = list(trial.patients = 40))
  expect_s3_class(r, "vtrial_run")
  expect_s3_class(r$power, "data.frame")
  expect_identical(names(r$power)[1:6], c("endpoint", "comparison", "power", "mc_se", "ci_low", "ci_high"))
  expect_identical(nrow(r$trials), 30L)
  expect_true(all(r$trials$patients == 40L))
  expect_type(r$design, "list")
  expect_true(all(c("p_enrolled_by_deadline", "median_enrollment_days") %in% names(r$design)))
  expect_identical(r$seed, 4)
  expect_match(r$scenario, "patients: 40")
})

test_that("print shows the command line's table", {
  dir <- scratch()
  out <- cli("run", scenario(), "--trials", "40", "--seed", "8", "--output", file.path(dir, "c.h5"))
  r <- run(scenario(), trials = 40, seed = 8)
  printed <- capture.output(print(r))
  # Every row but the seconds column, and the lines below it.
  strip <- function(lines) sub("[ ]+[0-9.]+$", "", lines)
  table <- grep("^(endpoint|duration|nk_|clinical|ae_|primary|all_key)", out, value = TRUE)
  expect_identical(strip(printed[seq_along(table)]), strip(table))
  for (line in grep("^(enrollment|by the planned|mean over trials)", out, value = TRUE)) {
    expect_true(line %in% printed, info = line)
  }
  expect_output(print(summary(r)), "vtrial run: 40 trials of 100 patients")
})

test_that("a sweep prints like vtrial sweep and plots power against N", {
  s <- sweep(scenario(), "30:70:20", trials = 40, set = list(model = "parametric"))
  expect_s3_class(s, "vtrial_sweep")
  expect_identical(s$design$patients, c(30L, 50L, 70L))
  out <- cli("sweep", scenario(), "--patients", "30:70:20", "--trials", "40", "--set", "model=parametric",
             "--output", file.path(scratch(), "s.h5"))
  printed <- capture.output(print(s))
  rows <- grep("^duration_of_viremia ", out, value = TRUE)
  expect_identical(grep("^duration_of_viremia ", printed, value = TRUE), rows)
  pdf(file.path(scratch(), "sweep.pdf"))
  expect_invisible(plot(s, endpoints = c("duration_of_viremia", "nk_change"), target = 0.8))
  dev.off()
  expect_s3_class(summary(s), "data.frame")
})

test_that("read_result reads every table of a result file", {
  skip_if_not_installed("hdf5r")
  path <- file.path(scratch(), "r.h5")
  r <- run(scenario(), trials = 25, output = path)
  h <- read_result(path)
  expect_s3_class(h, "vtrial_result")
  expect_identical(h$attributes$filetype, "vtrial.run")
  expect_identical(h$trials, r$trials)
  expect_identical(h$schema$column, names(r$trials))
  expect_output(print(h), "vtrial result file")
  expect_identical(names(summary(h))[1:3], c("endpoint", "comparison", "power"))
})

test_that("shards merge into the single run's file", {
  skip_if_not_installed("hdf5r")
  dir <- scratch()
  whole <- run(scenario(), trials = 30, set = list(model = "parametric"), output = file.path(dir, "whole.h5"))
  a <- run(scenario(), trials = 30, set = list(model = "parametric"), shard = "1/2", output = file.path(dir, "a.h5"))
  expect_identical(a$shard, c(1, 2))
  expect_identical(missing_shards(file.path(dir, "a.h5"))$shard, 2)
  run(scenario(), trials = 30, set = list(model = "parametric"), shard = c(2, 2), output = file.path(dir, "b.h5"))
  merged <- merge_shards(file.path(dir, c("a.h5", "b.h5")), file.path(dir, "m.h5"))
  expect_identical(read_result(merged)$trials, read_result(file.path(dir, "whole.h5"))$trials)
  expect_identical(read_result(merged)$trials, whole$trials)
})

test_that("base::sweep still works on arrays after library(vtrial)", {
  m <- matrix(1:6, 2)
  expect_identical(sweep(m, 2, colMeans(m)), base::sweep(m, 2, colMeans(m)))
})

test_that("overrides take R values: numbers, strings, logicals, vectors", {
  yaml <- validate(scenario(), set = list(trial.patients = 80L, model = "parametric",
                                          analysis.descriptive = FALSE, parametric.il2.hazard_ratio = 1.25))
  expect_match(yaml, "patients: 80")
  expect_match(yaml, "model: parametric")
  expect_match(yaml, "descriptive: false")
  expect_match(yaml, "hazard_ratio: 1.25")
  expect_identical(unclass(validate(scenario(), set = c("trial.patients=80", "model=parametric"))), unclass(
    validate(scenario(), set = list(trial.patients = 80, model = "parametric"))))
})
