# The same scenario and seed give the command line's numbers, bit for bit: its --json and its
# HDF5 file, for both patient models, run, sweep and sample-size search, any thread count.

models <- list(mechanistic = list(), parametric = list(model = "parametric", trial.patients = 60))

for (model in names(models)) {
  test_that(paste("run() equals vtrial run --json,", model), {
    set <- models[[model]]
    cli_set <- if (length(set)) as.vector(rbind("--set", paste0(names(set), "=", unlist(set)))) else character()
    json <- cli_json("run", scenario(), "--trials", "60", "--seed", "11", "--threads", "2", cli_set,
                     "--output", file.path(scratch(), "cli.h5"))
    r <- run(scenario(), set = set, trials = 60, seed = 11, threads = 1)
    expect_equal(nrow(r$power), length(json$endpoints))
    for (i in seq_along(json$endpoints)) {
      e <- json$endpoints[[i]]
      p <- r$power[i, ]
      expect_identical(p$endpoint, e$name)
      for (v in c("power", "mc_se", "ci_low", "ci_high")) expect_identical(p[[v]], json_number(e[[v]]), label = paste(e$name, v))
      expect_identical(as.double(p$rejections), as.double(e$rejections))
      expect_identical(p$comparison, if (is.null(e$comparison)) "" else e$comparison)
    }
    for (name in setdiff(names(json$design), "looks")) {
      expect_identical(r$design[[name]], json_number(json$design[[name]]), label = name)
    }
    expect_identical(r$arms$name, vapply(json$arms, function(a) a$name, ""))
  })

  test_that(paste("run(output =) writes the file vtrial run writes,", model), {
    skip_if_not_installed("hdf5r")
    set <- models[[model]]
    cli_set <- if (length(set)) as.vector(rbind("--set", paste0(names(set), "=", unlist(set)))) else character()
    dir <- scratch()
    cli("run", scenario(), "--trials", "40", "--seed", "5", "--threads", "1", cli_set, "--output", file.path(dir, "cli.h5"))
    r <- run(scenario(), set = set, trials = 40, seed = 5, threads = 2, output = file.path(dir, "r.h5"))
    from_cli <- read_result(file.path(dir, "cli.h5"))
    from_r <- read_result(file.path(dir, "r.h5"))
    for (table in c("trials", "patients", "trajectories", "summary", "schema", "arms", "power")) {
      expect_identical(from_r[[table]], from_cli[[table]], label = table)
    }
    expect_identical(from_r$design, from_cli$design)
    same <- setdiff(names(from_cli$attributes), c("command", "source_revision", "version"))
    expect_identical(from_r$attributes[same], from_cli$attributes[same])
    expect_match(from_r$attributes$command, "^R: run\\(")
    # What run() returns in memory is what the file holds.
    expect_identical(r$trials, from_cli$trials)
    expect_identical(r$patients, from_cli$patients[names(r$patients)])
    expect_identical(r$power, from_cli$power[names(r$power)])
    expect_identical(r$design[names(from_cli$design)], from_cli$design)
    # And the command line agrees with itself on it (vtrial verify's digest ignores provenance).
    digest <- function(f) sub(".*digest ([0-9a-f]+).*", "\\1", grep("digest", cli("verify", f), value = TRUE)[1])
    expect_identical(digest(file.path(dir, "r.h5")), digest(file.path(dir, "cli.h5")))
  })
}

test_that("the number of threads never changes a result", {
  a <- run(scenario(), trials = 48, seed = 3, threads = 1)
  b <- run(scenario(), trials = 48, seed = 3, threads = 2)
  for (x in c("power", "trials", "patients", "trajectories", "design")) expect_identical(a[[x]], b[[x]], label = x)
})

test_that("sweep() equals vtrial sweep --json", {
  json <- cli_json("sweep", scenario(), "--patients", "30:70:20", "--trials", "50", "--seed", "2", "--set",
                   "model=parametric", "--output", file.path(scratch(), "s.h5"))
  s <- sweep(scenario(), "30:70:20", set = list(model = "parametric"), trials = 50, seed = 2, threads = 2)
  expect_identical(sort(unique(s$power$patients)), c(30L, 50L, 70L))
  for (point in json$sweep) {
    for (e in point$endpoints) {
      row <- s$power[s$power$patients == point$patients & s$power$endpoint == e$name, ]
      expect_equal(nrow(row), 1L)
      for (v in c("power", "mc_se", "ci_low", "ci_high")) expect_identical(row[[v]], json_number(e[[v]]))
    }
    d <- s$design[s$design$patients == point$patients, ]
    for (name in setdiff(names(point$design), "looks")) expect_identical(d[[name]], json_number(point$design[[name]]))
  }
})

test_that("sweep(output =) writes the file vtrial sweep writes", {
  skip_if_not_installed("hdf5r")
  dir <- scratch()
  cli("sweep", scenario(), "--patients", "30,50", "--trials", "30", "--set", "model=parametric", "--output",
      file.path(dir, "cli.h5"))
  s <- sweep(scenario(), c(50, 30), set = list(model = "parametric"), trials = 30, output = file.path(dir, "r.h5"))
  expect_identical(read_result(file.path(dir, "r.h5"))$sweep, read_result(file.path(dir, "cli.h5"))$sweep)
  expect_identical(s$output, file.path(dir, "r.h5"))
})

test_that("sample_size() equals vtrial samplesize --json", {
  json <- cli_json("samplesize", scenario(), "--endpoint", "duration_of_viremia", "--target-power", "0.5",
                   "--min", "20", "--max", "400", "--step", "20", "--trials", "60", "--set", "model=parametric",
                   "--output", file.path(scratch(), "n.h5"))
  n <- sample_size(scenario(), target_power = 0.5, minimum = 20, maximum = 400, step = 20, trials = 60,
                   set = list(model = "parametric"))
  expect_identical(n$patients, as.double(json$patients))
  expect_identical(n$power$power, json_number(json$power))
  expect_identical(n$power$ci_low, json_number(json$ci_low))
  expect_identical(sort(unique(n$evaluated$power$patients)),
                   as.integer(vapply(json$evaluated, function(p) p$patients, 0)))
})

test_that("validate() gives the resolved scenario of vtrial validate", {
  out <- cli("validate", scenario(), "--set", "trial.patients=120")
  yaml <- validate(scenario(), set = list(trial.patients = 120))
  expect_identical(strsplit(unclass(yaml), "\n")[[1]], out[-1])
  expect_output(print(yaml), "patients: 120")
})

test_that("a run with priors gives the file's assurance and uncertainty tables", {
  skip_if_not_installed("hdf5r")
  path <- scenario_file("nct06971913_assurance")
  dir <- scratch()
  cli("run", path, "--trials", "60", "--seed", "3", "--output", file.path(dir, "cli.h5"))
  r <- run(path, trials = 60, seed = 3)
  h <- read_result(file.path(dir, "cli.h5"))
  expect_identical(r$power_measure, "assurance")
  expect_identical(h$attributes$power_measure, "assurance")
  expect_identical(r$power, h$power[names(r$power)])
  expect_identical(r$trials, h$trials)
  groups <- intersect(c("uncertainty", "calibration"), names(h))
  expect_true("uncertainty" %in% groups)
  for (group in groups) {
    expect_setequal(names(r[[group]]), names(h[[group]]))
    for (table in names(h[[group]])) {
      columns <- sort(names(h[[group]][[table]]))
      expect_identical(r[[group]][[table]][columns], h[[group]][[table]][columns], label = paste(group, table))
    }
  }
  expect_output(print(r), "assurance")
  expect_output(print(r), "what drives duration_of_viremia")
})
