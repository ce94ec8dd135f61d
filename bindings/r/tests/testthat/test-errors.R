# Every bad input is an R condition (class vtrial_<kind>_error, vtrial_error, error) whose message
# names the argument or the scenario key; the session goes on and nothing is written.

expect_vtrial_error <- function(expr, kind, pattern) {
  expect_error(expr, class = paste0("vtrial_", kind, "_error"), regexp = pattern)
}

test_that("a bad scenario value or key names the key", {
  expect_vtrial_error(run(scenario(), set = list(trial.patients = "many")), "scenario",
                      "trial.patients: expected an integer from 2 to 100000, got 'many'")
  expect_vtrial_error(run(scenario(), set = list(trial.patientz = 3)), "scenario", "trial.patientz")
  expect_vtrial_error(run(scenario(), set = c("arms.9.ratio=2")), "scenario", "arms")
  expect_vtrial_error(validate(scenario(), set = list(model = "quantum")), "scenario", "model")
  expect_vtrial_error(run(scenario(), trials = 0), "scenario", "simulation.trials")
  expect_vtrial_error(sweep(scenario(), c(40, 60), set = list(analysis.alpha = 2)), "scenario", "analysis.alpha")
  e <- tryCatch(run(scenario(), set = list(trial.patients = "many")), error = identity)
  expect_s3_class(e, "vtrial_error")
  expect_identical(e$key, "trial.patients")
  expect_identical(tryCatch(run(scenario(), set = list(trial.patientz = 3)), error = identity)$key,
                   "trial.patientz")
  expect_identical(conditionCall(e)[[1]], quote(run))
})

test_that("a bad scenario file is named", {
  dir <- scratch()
  expect_vtrial_error(run(file.path(dir, "absent.yaml")), "argument", "absent.yaml: no such file")
  expect_vtrial_error(run(dir), "scenario", "")
  bad <- file.path(dir, "bad.yaml")
  writeLines("trial:\n  patients: [", bad)
  expect_vtrial_error(validate(bad), "scenario", "bad.yaml")
  expect_vtrial_error(run(42), "argument", "scenario must be a single non-empty string")
  expect_vtrial_error(run(c("a.yaml", "b.yaml")), "argument", "scenario")
  expect_vtrial_error(run(NA_character_), "argument", "scenario")
  if (file.exists("/dev/zero")) expect_vtrial_error(run("/dev/zero"), "argument", "not a regular file")
})

test_that("bad overrides are named", {
  expect_vtrial_error(run(scenario(), set = list(120)), "argument", "every value needs a key")
  expect_vtrial_error(run(scenario(), set = "trial.patients"), "argument", "not an assignment")
  expect_vtrial_error(run(scenario(), set = list(trial.patients = NA)), "argument", "trial.patients: NA")
  expect_vtrial_error(run(scenario(), set = list(`a=b` = 1)), "argument", "contains '='")
  expect_vtrial_error(run(scenario(), set = list(trial.patients = sum)), "argument", "trial.patients: a function")
  expect_vtrial_error(run(scenario(), set = sum), "argument", "set must be a named list")
})

test_that("bad trials, seed, threads are named", {
  expect_vtrial_error(run(scenario(), trials = -1), "argument", "trials must be a whole number")
  expect_vtrial_error(run(scenario(), trials = 1.5), "argument", "trials")
  expect_vtrial_error(run(scenario(), trials = "many"), "argument", "trials")
  expect_vtrial_error(run(scenario(), seed = NA), "argument", "seed")
  expect_vtrial_error(run(scenario(), threads = -1), "argument", "threads")
  expect_vtrial_error(run(scenario(), threads = 5000), "argument", "threads")
  expect_vtrial_error(run(scenario(), threads = "two"), "argument", "threads")
  expect_vtrial_error(run(scenario(), shard = "3/2"), "argument", "shard")
  expect_vtrial_error(run(scenario(), shard = list(1, 2)), "argument", "shard")
  expect_vtrial_error(run(scenario(), trials = 2, shard = c(1, 3)), "argument", "shard")
})

test_that("an output that must not be replaced is refused before anything runs", {
  dir <- scratch()
  mine <- file.path(dir, "notes.txt")
  writeLines("not vtrial's", mine)
  expect_vtrial_error(run(scenario(), trials = 10, output = mine), "argument", "refusing to replace")
  expect_identical(readLines(mine), "not vtrial's")
  expect_vtrial_error(run(scenario(), trials = 10, output = file.path(dir, "no", "x.h5")), "argument",
                      "there is no directory")
  expect_vtrial_error(run(scenario(), trials = 10, output = dir), "argument", "output")
  expect_vtrial_error(run(scenario(), trials = 10, output = ""), "argument", "output")
  expect_vtrial_error(run(scenario(), trials = 10, output = scenario()), "argument", "refusing to replace")
  expect_identical(list.files(dir), "notes.txt")
})

test_that("bad sweep and sample-size arguments are named", {
  expect_vtrial_error(sweep(scenario()), "argument", "patients is required")
  expect_vtrial_error(sweep(scenario(), "abc"), "argument", "patients")
  expect_vtrial_error(sweep(scenario(), c(40.5, 60)), "argument", "patients must be whole numbers")
  expect_vtrial_error(sweep(scenario(), c(1, 60)), "argument", "from 2 to 100000")
  expect_vtrial_error(sweep(scenario(), 40, bogus = 1), "argument", "unknown argument bogus")
  expect_vtrial_error(sample_size(scenario(), target_power = 1.5), "argument", "target_power")
  expect_vtrial_error(sample_size(scenario(), criterion = "median"), "argument", "criterion")
  expect_vtrial_error(sample_size(scenario(), minimum = 50, maximum = 20), "argument", "maximum")
  expect_vtrial_error(sample_size(scenario(), step = 0), "argument", "step")
  expect_vtrial_error(sample_size(scenario(), endpoint = "nothing", trials = 10), "scenario", "nothing")
  expect_error(sample_size(scenario(), target_power = 0.99, maximum = 30, trials = 20,
                           set = list(model = "parametric")), class = "vtrial_error", regexp = "30")
})

test_that("read_result refuses what is not a vtrial result file, naming it", {
  skip_if_not_installed("hdf5r")
  dir <- scratch()
  expect_vtrial_error(read_result(file.path(dir, "absent.h5")), "file", "absent.h5: no such file")
  expect_vtrial_error(read_result(dir), "file", "a directory")
  text <- file.path(dir, "text.h5")
  writeLines("hello", text)
  expect_vtrial_error(read_result(text), "file", "text.h5: not a readable vtrial result file")
  other <- file.path(dir, "other.h5")
  f <- hdf5r::H5File$new(other, mode = "w")
  f[["x"]] <- 1:3
  f$close_all()
  expect_vtrial_error(read_result(other), "file", "not a vtrial result file")
  good <- file.path(dir, "good.h5")
  run(scenario(), trials = 20, output = good)
  cut <- file.path(dir, "cut.h5")
  bytes <- readBin(good, "raw", file.size(good))
  writeBin(bytes[seq_len(length(bytes) %/% 2)], cut)
  expect_vtrial_error(read_result(cut), "file", "cut.h5")
  expect_vtrial_error(read_result(3), "argument", "path")
})

test_that("bad shard files are named", {
  dir <- scratch()
  expect_vtrial_error(merge_shards(character(), file.path(dir, "m.h5")), "argument", "paths")
  expect_vtrial_error(merge_shards(file.path(dir, "a.h5")), "argument", "output")
  expect_vtrial_error(merge_shards(file.path(dir, "a.h5"), file.path(dir, "m.h5")), "argument", "a.h5")
  expect_vtrial_error(missing_shards(1), "argument", "paths")
})

test_that("plot of a sweep names an unknown endpoint", {
  s <- sweep(scenario(), c(30, 40), trials = 10, set = list(model = "parametric"))
  expect_vtrial_error(plot(s, endpoints = "nothing"), "argument", "nothing")
})
