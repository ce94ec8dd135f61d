"""End-to-end tests of the `vtrial` command line and its HDF5 output.

Run by ctest as `e2e_cli`, which sets VTRIAL_BIN (the built binary) and VTRIAL_SOURCE_DIR (the
repository root). Every output goes to pytest's tmp_path; runs use at most 2000 trials.
"""
import json
import math
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

ENDPOINTS = ("duration_of_viremia", "nk_change")
TRIALS = 2000


@pytest.fixture
def vtrial(vtrial_bin, tmp_path):
    """Runs `vtrial *args` in tmp_path and returns the CompletedProcess (text mode)."""

    def run(*args, check=None):
        proc = subprocess.run([vtrial_bin, *map(str, args)], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        if check is not None:
            assert proc.returncode == check, (
                f"vtrial {' '.join(map(str, args))}: exit {proc.returncode}, expected {check}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    return run


def read_group(path, group):
    with h5py.File(path, "r") as f:
        return {name: f[group][name][()] for name in f[group]}


def earlier_result(vtrial_bin, scenario, path):
    """A real earlier result at `path` (only vtrial's own files may be replaced); its bytes."""
    subprocess.run([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "5", "-o", str(path),
                    "--json"], check=True, capture_output=True, timeout=120)
    return path.read_bytes()


def leftover_temp_files(directory):
    return sorted(p.name for p in Path(directory).iterdir() if p.name.startswith(".") and ".tmp." in p.name)


# --- running the default scenario -------------------------------------------------------------


def test_default_scenario_runs_and_prints_table(vtrial, scenario, tmp_path):
    out = tmp_path / "run.h5"
    proc = vtrial("run", scenario, "--trials", TRIALS, "-o", out, check=0)
    for name in ENDPOINTS:
        assert name in proc.stdout, proc.stdout
    assert "power" in proc.stdout and str(TRIALS) in proc.stdout
    assert out.is_file()
    assert leftover_temp_files(tmp_path) == []


def test_json_output(vtrial, scenario, tmp_path):
    proc = vtrial("run", scenario, "--trials", TRIALS, "-o", tmp_path / "j.h5", "--json", check=0)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON object on one line, got:\n{proc.stdout}"
    doc = json.loads(lines[0])
    assert isinstance(doc, dict)
    assert doc["trials"] == TRIALS
    assert doc["patients"] == 100
    names = [e["name"] for e in doc["endpoints"]]
    assert names[:1] == ["duration_of_viremia"] and set(ENDPOINTS) <= set(names), names
    for e in doc["endpoints"]:
        assert {"name", "power", "mc_se", "ci_low", "ci_high"} <= set(e), e
        p = e["power"]
        assert 0.0 <= e["ci_low"] <= p <= e["ci_high"] <= 1.0, e
        assert e["mc_se"] == pytest.approx(math.sqrt(p * (1 - p) / TRIALS), rel=1e-6), e
        # Away from 0 and 1 the Wilson interval is roughly power +/- 1.96 SE at this size.
        if 0.05 < p < 0.95:
            assert e["ci_high"] - e["ci_low"] == pytest.approx(2 * 1.96 * e["mc_se"], rel=0.05), e


# --- the HDF5 file ----------------------------------------------------------------------------


def test_hdf5_layout(vtrial, vtrial_bin, scenario, tmp_path):
    out = tmp_path / "layout.h5"
    vtrial("run", scenario, "--trials", TRIALS, "--set", "output.patient_trials=3", "--set", "trial.patients=40",
           "-o", out, check=0)
    version = subprocess.run([vtrial_bin, "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0].split()[-1]

    with h5py.File(out, "r") as f:
        attrs = dict(f.attrs)
        for key in ("scenario", "seed", "version"):
            assert key in attrs, f"root attribute {key} missing; have {sorted(attrs)}"
        text = attrs["scenario"]
        text = text.decode() if isinstance(text, bytes) else text
        resolved = yaml.safe_load(text)
        assert resolved["trial"]["patients"] == 40
        assert resolved["output"]["patient_trials"] == 3
        assert resolved["simulation"]["trials"] == TRIALS
        assert int(attrs["seed"]) == resolved["simulation"]["seed"] == 20250520
        v = attrs["version"]
        assert (v.decode() if isinstance(v, bytes) else v) == version

        for group in ("trials", "patients", "summary"):
            assert group in f, f"group /{group} missing; have {list(f)}"

        trials = f["trials"]
        for name in ENDPOINTS:
            for suffix in ("_p", "_estimate", "_reject"):
                assert name + suffix in trials, f"/trials/{name}{suffix} missing; have {list(trials)}"
        for column in [n + s for n in ENDPOINTS for s in ("_p", "_estimate", "_reject")] + ["events", "patients"]:
            assert trials[column].shape == (TRIALS,), column
        assert np.all(trials["patients"][()] == 40)
        for name in ENDPOINTS:
            assert set(np.unique(trials[name + "_reject"][()])) <= {0, 1}
            p = trials[name + "_p"][()]
            assert np.all((p[~np.isnan(p)] >= 0) & (p[~np.isnan(p)] <= 1))

        patients = f["patients"]
        for column in ("trial", "arm", "time_days", "event", "nk_change"):
            assert column in patients, f"/patients/{column} missing; have {list(patients)}"
            assert patients[column].shape == (3 * 40,), column
        assert sorted(np.unique(patients["trial"][()])) == [0, 1, 2]
        assert set(np.unique(patients["arm"][()])) == {0, 1}
        assert set(np.unique(patients["event"][()])) <= {0, 1}

        summary = f["summary"]
        for column in ("endpoint", "power", "mc_se", "ci_low", "ci_high"):
            assert column in summary, f"/summary/{column} missing; have {list(summary)}"
        endpoints = [e.decode() if isinstance(e, bytes) else e for e in summary["endpoint"][()]]
        assert set(ENDPOINTS) <= set(endpoints), endpoints
        for i, name in enumerate(endpoints):
            power = summary["power"][i]
            assert power == pytest.approx(np.mean(trials[name + "_reject"][()]), abs=1e-12)
            assert summary["ci_low"][i] <= power <= summary["ci_high"][i]
            assert summary["mc_se"][i] == pytest.approx(math.sqrt(power * (1 - power) / TRIALS), rel=1e-9)


def test_default_patient_table_has_one_trial(vtrial, scenario, tmp_path):
    out = tmp_path / "default.h5"
    vtrial("run", scenario, "--trials", 100, "-o", out, check=0)
    patients = read_group(out, "patients")
    assert patients["trial"].shape == (100,)  # output.patient_trials = 1, trial.patients = 100
    assert np.all(patients["trial"] == 0)


def _assert_identical(a, b, what):
    assert sorted(a) == sorted(b), f"{what}: different columns"
    for name in a:
        x, y = a[name], b[name]
        assert x.dtype == y.dtype and x.shape == y.shape, f"{what}/{name}"
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), f"{what}/{name} differs"
        else:
            assert np.array_equal(x, y), f"{what}/{name} differs"
        if x.dtype.kind != "O":  # variable-length strings are pointers in memory
            assert x.tobytes() == y.tobytes(), f"{what}/{name} is not bit-identical"


def test_thread_count_does_not_change_results(vtrial, scenario, tmp_path):
    outputs = {}
    for threads in (1, 2, 4):
        out = tmp_path / f"threads{threads}.h5"
        vtrial("run", scenario, "--trials", TRIALS, "--threads", threads, "--set", "output.patient_trials=20",
               "-o", out, check=0)
        outputs[threads] = out
    for group in ("trials", "patients", "summary"):
        for threads in (2, 4):
            _assert_identical(read_group(outputs[1], group), read_group(outputs[threads], group),
                              f"{group} (1 vs {threads} threads)")


def test_set_override_changes_patients(vtrial, scenario, tmp_path):
    out = tmp_path / "p60.h5"
    vtrial("run", scenario, "--trials", 200, "--set", "trial.patients=60", "-o", out, check=0)
    trials = read_group(out, "trials")
    assert trials["patients"].shape == (200,)
    assert np.all(trials["patients"] == 60)
    with h5py.File(out, "r") as f:
        assert yaml.safe_load(f.attrs["scenario"])["trial"]["patients"] == 60


def test_seed_changes_results_and_same_seed_reproduces(vtrial, scenario, tmp_path):
    paths = {}
    for label, seed in (("a", 11), ("b", 11), ("c", 12)):
        paths[label] = tmp_path / f"seed_{label}.h5"
        vtrial("run", scenario, "--trials", 500, "--seed", seed, "-o", paths[label], check=0)
    a, b, c = (read_group(paths[k], "trials") for k in "abc")
    _assert_identical(a, b, "trials (same seed)")
    _assert_identical(read_group(paths["a"], "patients"), read_group(paths["b"], "patients"), "patients")
    assert not np.array_equal(a["nk_change_estimate"], c["nk_change_estimate"])
    assert not np.array_equal(a["duration_of_viremia_p"], c["duration_of_viremia_p"], equal_nan=True)
    with h5py.File(paths["c"], "r") as f:
        assert int(f.attrs["seed"]) == 12


# --- errors -------------------------------------------------------------------------------------

BROKEN = {
    # name: (file text, key named in stderr, "file:line" named in stderr)
    "unknown_key": ("name: broken\ntrial:\n  patients: 40\n  patiens: 10\n", "trial.patiens", ":4:"),
    "out_of_range": ("name: broken\ntrial:\n  patients: 40\nanalysis:\n  alpha: 1.5\n", "analysis.alpha", ":5:"),
    "wrong_type": ("name: broken\ntrial:\n  follow_up_days: twelve weeks\n", "trial.follow_up_days", ":3:"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_scenario_fails_cleanly(vtrial, scenario, tmp_path, case):
    text, key, line = BROKEN[case]
    bad = tmp_path / f"{case}.yaml"
    bad.write_text(text)
    # An existing result file that the failed run must not touch.
    existing = tmp_path / "existing.h5"
    vtrial("run", scenario, "--trials", 50, "-o", existing, check=0)
    before = existing.read_bytes()
    stat_before = existing.stat()

    proc = vtrial("run", bad, "--trials", 50, "-o", existing)
    assert proc.returncode != 0, proc.stdout
    assert key in proc.stderr, proc.stderr
    assert f"{case}.yaml{line}" in proc.stderr, proc.stderr
    assert existing.read_bytes() == before
    assert existing.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert leftover_temp_files(tmp_path) == []

    proc = vtrial("validate", bad)
    assert proc.returncode != 0
    assert key in proc.stderr and f"{case}.yaml{line}" in proc.stderr, proc.stderr


def test_failed_write_leaves_no_temp_file(vtrial, scenario, tmp_path):
    # The run succeeds but the final rename onto a directory fails: the temporary file goes away.
    target = tmp_path / "a_directory"
    target.mkdir()
    proc = vtrial("run", scenario, "--trials", 50, "-o", target)
    assert proc.returncode != 0
    assert "a_directory" in proc.stderr, proc.stderr
    assert target.is_dir() and list(target.iterdir()) == []
    assert leftover_temp_files(tmp_path) == []


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_interrupted_run_leaves_no_temp_file(vtrial_bin, scenario, tmp_path, signal_name):
    # The output is opened under its temporary name before the trials run (they stream into
    # it); a Ctrl-C or kill mid-run must remove it and leave an existing result untouched.
    import signal
    import time

    existing = tmp_path / "keep.h5"
    before = earlier_result(vtrial_bin, scenario, existing)
    proc = subprocess.Popen([vtrial_bin, "run", scenario, "--trials", "60000",  # one block: no kept blocks
                             "--threads", "1", "-o", str(existing), "--json"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not leftover_temp_files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert leftover_temp_files(tmp_path), "the run never opened its temporary output"
    proc.send_signal(getattr(signal, signal_name))
    proc.wait(timeout=30)
    assert proc.returncode == -getattr(signal, signal_name)  # died of the signal, as the shell expects
    assert existing.read_bytes() == before
    assert leftover_temp_files(tmp_path) == []


def test_temp_file_of_a_killed_run_is_removed_by_the_next(vtrial_bin, scenario, tmp_path):
    # Issue 16, class 7: SIGKILL cannot be caught, so a killed run leaves its temporary file
    # (148 MB for 1M trials). The next run to the same output removes it, since its process is
    # gone; the temporary file of a live run, or of a live process with a matching name, stays.
    import signal
    import socket
    import time

    out = tmp_path / "result.h5"
    proc = subprocess.Popen([vtrial_bin, "run", scenario, "--trials", "60000",  # one block: no kept blocks
                             "--threads", "1", "-o", str(out), "--json"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not leftover_temp_files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    (killed,) = leftover_temp_files(tmp_path)
    assert killed.endswith(f".{proc.pid}")
    # A file named like a live process's (this test's own) temporary output is left alone.
    host = socket.gethostname().replace(".", "_").replace("/", "_")
    live = tmp_path / f".result.h5.tmp.{host}.{os.getpid()}"
    live.write_bytes(b"")
    # Not a vtrial temporary (no HDF5 signature) though named like a dead one's: left alone too.
    foreign = tmp_path / f".result.h5.tmp.{host}.{proc.pid + 1000000}"
    foreign.write_bytes(b"somebody else's data")
    earlier_result(vtrial_bin, scenario, out)
    assert leftover_temp_files(tmp_path) == sorted([live.name, foreign.name])
    with h5py.File(out, "r") as f:
        assert f.attrs["filetype"] == "vtrial.run"


def test_inherited_ignored_hangup_stays_ignored(vtrial_bin, scenario, tmp_path):
    # `nohup vtrial run ...`: SIGHUP arrives ignored and must stay so (the clean-up handler is
    # installed only for signals that would kill the run anyway).
    import signal
    import time

    out = tmp_path / "nohup.h5"
    proc = subprocess.Popen([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "40000",
                             "--threads", "1", "-o", str(out), "--json"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    deadline = time.monotonic() + 30
    while not leftover_temp_files(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGHUP)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert json.loads(stdout)["trials"] == 40000
    assert read_group(out, "trials")["duration_of_viremia_p"].shape == (40000,)


def test_full_disk_is_a_clear_error_and_loses_nothing(vtrial_bin, scenario, tmp_path):
    # A file-size limit (SIGXFSZ ignored, so writes fail with EFBIG) stands in for a full disk:
    # the write fails, the error names the file, the temporary file goes, the old result stays.
    import resource
    import signal

    existing = tmp_path / "keep.h5"
    before = earlier_result(vtrial_bin, scenario, existing)

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    for threads in ("1", "2"):
        proc = subprocess.run([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "20000",
                               "--threads", threads, "-o", str(existing), "--json"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size)
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        assert "cannot write" in proc.stderr and "keep.h5" in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr  # one line, no HDF5 stack dump
        assert existing.read_bytes() == before
        assert leftover_temp_files(tmp_path) == []


def test_bad_set_value_is_named(vtrial, vtrial_bin, scenario, tmp_path):
    existing = tmp_path / "keep.h5"
    before = earlier_result(vtrial_bin, scenario, existing)
    proc = vtrial("run", scenario, "--trials", 50, "--set", "trial.patients=abc", "-o", existing)
    assert proc.returncode != 0
    assert "--set trial.patients=abc" in proc.stderr and "trial.patients" in proc.stderr, proc.stderr
    assert existing.read_bytes() == before
    proc = vtrial("run", scenario, "--trials", 50, "--set", "trial.patiens=60", "-o", existing)
    assert proc.returncode != 0
    assert "--set trial.patiens=60" in proc.stderr and "did you mean 'patients'" in proc.stderr, proc.stderr
    assert leftover_temp_files(tmp_path) == []


# --- validate, help and usage errors ----------------------------------------------------------


def test_validate_prints_resolved_yaml_with_defaults(vtrial, tmp_path):
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text("name: tiny\ntrial:\n  patients: 24\n")
    proc = vtrial("validate", tiny, check=0)
    resolved = yaml.safe_load(proc.stdout)
    assert resolved["name"] == "tiny"
    assert resolved["trial"]["patients"] == 24
    # Keys not in the file appear with their defaults.
    assert resolved["model"] == "parametric"
    assert resolved["trial"]["follow_up_days"] == 84
    assert resolved["analysis"]["alpha"] == pytest.approx(0.05)
    assert resolved["simulation"]["trials"] == 10000
    assert resolved["output"]["patient_trials"] == 1
    # The printed YAML is itself a valid scenario that resolves to the same thing.
    again = tmp_path / "again.yaml"
    again.write_text(proc.stdout)
    proc2 = vtrial("validate", again, check=0)
    assert yaml.safe_load(proc2.stdout) == resolved
    # --set applies to validate too.
    proc3 = vtrial("validate", tiny, "--set", "trial.patients=30", check=0)
    assert yaml.safe_load(proc3.stdout)["trial"]["patients"] == 30


def test_validate_default_scenario(vtrial, scenario):
    proc = vtrial("validate", scenario, check=0)
    resolved = yaml.safe_load(proc.stdout)
    assert resolved["name"] == "nct06971913"
    assert resolved["trial"]["patients"] == 100


def test_validate_keys_lists_what_each_key_accepts(vtrial, scenario):
    table = vtrial("validate", scenario, "--keys", "--set", "trial.patients=120", check=0).stdout
    row = next(line for line in table.splitlines() if line.startswith("trial.patients "))
    assert row.split()[1] == "120" and row.endswith("an integer from 2 to 100000"), row
    listing = json.loads(vtrial("validate", scenario, "--keys", "--json", check=0).stdout)["keys"]
    keys = {k["key"]: k for k in listing}
    assert keys["trial.patients"] == {"key": "trial.patients", "kind": "integer", "value": "100",
                                      "accepted": "an integer from 2 to 100000", "low": 2, "high": 100000}
    alpha = keys["analysis.alpha"]
    assert (alpha["low"], alpha["high"], alpha["low_open"], alpha["high_open"]) == (0, 1, True, True)
    assert keys["model"]["values"] == ["parametric", "mechanistic"]
    assert keys["endpoints.0.test"]["value"] == "logrank"  # list items by index, as --set takes them
    # Every key the resolved scenario has is listed.
    resolved = yaml.safe_load(vtrial("validate", scenario, check=0).stdout)
    assert str(resolved["mechanistic"]["gcv"]["ec50_mg_per_l"]) == keys["mechanistic.gcv.ec50_mg_per_l"]["value"]
    assert len(listing) > 150


@pytest.mark.parametrize("command", ["run", "validate"])
def test_help_lists_set(vtrial, command):
    proc = vtrial(command, "--help", check=0)
    assert "--set" in proc.stdout, proc.stdout
    assert "usage" in proc.stdout.lower()


def test_usage_errors_exit_2(vtrial, scenario):
    proc = vtrial("frobnicate", scenario, check=2)
    assert "frobnicate" in proc.stderr
    vtrial(check=2)  # no command at all
    for command in ("run", "validate"):
        proc = vtrial(command, check=2)  # missing scenario
        assert "scenario" in proc.stderr, proc.stderr
    proc = vtrial("run", scenario, "--no-such-option", check=2)
    assert "no-such-option" in proc.stderr
    proc = vtrial("sweep", scenario, "--patients", "60:40:20", check=2)
    assert "--patients 60:40:20" in proc.stderr, proc.stderr
    # validate simulates nothing, so options that only shape a simulation are refused, not ignored.
    for option in (["--threads", "2"], ["-o", "x.h5"], ["--json"]):
        proc = vtrial("validate", scenario, *option, check=2)
        assert option[0] in proc.stderr, proc.stderr


def test_nonexistent_scenario_file_fails(vtrial, tmp_path):
    proc = vtrial("run", tmp_path / "nope.yaml", "-o", tmp_path / "x.h5")
    assert proc.returncode != 0
    assert "nope.yaml" in proc.stderr
    assert not (tmp_path / "x.h5").exists()


def test_sweep_table_json_and_hdf5(vtrial, scenario, tmp_path):
    out = tmp_path / "sweep.h5"
    proc = vtrial("sweep", scenario, "--patients", "60:100:20", "--trials", 1000, "-o", out, "--json", check=0)
    doc = json.loads(proc.stdout)
    assert [p["patients"] for p in doc["sweep"]] == [60, 80, 100]
    for point in doc["sweep"]:
        names = [e["name"] for e in point["endpoints"]]
        assert "duration_of_viremia" in names and "primary_wins" in names
        for key in ("p_enrolled_by_deadline", "p_completed_by_deadline", "median_enrollment_days", "mean_screened"):
            assert key in point["design"]
    sweep = read_group(out, "sweep")
    for column in ("patients", "endpoint", "power", "mc_se", "ci_low", "ci_high", "difference",
                   "difference_se_paired", "difference_se_unpaired", "p_enrolled_by_deadline",
                   "p_completed_by_deadline", "median_enrollment_days", "mean_screened"):
        assert column in sweep, column
    endpoints = [e.decode() if isinstance(e, bytes) else e for e in sweep["endpoint"]]
    rows = [i for i, e in enumerate(endpoints) if e == "duration_of_viremia"]
    assert list(sweep["patients"][rows]) == [60, 80, 100]
    # The sweep's N = 100 row is the plain run at N = 100 (same trials, same patients).
    run_out = tmp_path / "run.h5"
    run = json.loads(vtrial("run", scenario, "--trials", 1000, "-o", run_out, "--json", check=0).stdout)
    run_power = {e["name"]: e["power"] for e in run["endpoints"]}
    assert sweep["power"][rows[-1]] == run_power["duration_of_viremia"]
    table = vtrial("sweep", scenario, "--patients", "60,80", "--trials", 500, "-o", tmp_path / "s2.h5", check=0)
    assert "SE pair" in table.stdout and "P(enr)" in table.stdout


def test_samplesize_json(vtrial, scenario, tmp_path):
    proc = vtrial("samplesize", scenario, "--endpoint", "nk_change", "--target-power", "0.8", "--trials", 1000,
                  "--step", 10, "--min", 20, "-o", tmp_path / "n.h5", "--json", check=0)
    doc = json.loads(proc.stdout)
    for key in ("patients", "power", "ci_low", "ci_high"):
        assert key in doc
    assert doc["ci_low"] >= 0.8  # default criterion: the lower confidence bound reaches the target
    assert doc["patients"] % 10 == 0
    smaller = [p for p in doc["evaluated"] if p["patients"] == doc["patients"] - 10]
    for p in smaller:  # the next smaller grid point, when simulated, failed the criterion
        assert next(e for e in p["endpoints"] if e["name"] == "nk_change")["ci_low"] < 0.8


def test_samplesize_bad_endpoint_names_choices(vtrial, scenario, tmp_path):
    proc = vtrial("samplesize", scenario, "--endpoint", "nk", "--trials", 100, "-o", tmp_path / "n.h5")
    assert proc.returncode != 0
    assert "nk_change" in proc.stderr and "--endpoint nk" in proc.stderr
    assert not (tmp_path / "n.h5").exists()


@pytest.mark.parametrize("trials", [1, 2, 3, 1000, 1001])
def test_design_enrollment_quantiles_match_numpy(vtrial, scenario, tmp_path, trials):
    # /design's quantiles come from selection, not a sort; numpy's default method ("linear")
    # is R's type 7, the definition output.md gives.
    out = tmp_path / "q.h5"
    vtrial("run", scenario, "--set", "model=parametric", "--trials", trials, "-o", out)
    days = read_group(out, "trials")["enrollment_days"]
    design = read_group(out, "design")
    want = np.quantile(days, [0.1, 0.5, 0.9])
    got = [design[k][0] for k in ("enrollment_days_p10", "median_enrollment_days", "enrollment_days_p90")]
    assert np.allclose(got, want, rtol=1e-13, atol=0), (got, want)


# --- what --output may replace ------------------------------------------------------------------

def test_output_replaces_only_vtrials_own_files(vtrial, vtrial_bin, scenario, tmp_path):
    # Only an absent path or an earlier vtrial result may become the output. A device, a
    # directory, a pipe, a symbolic link, the scenario itself or any other file is refused
    # before anything is simulated, and stays as it was. (No test passes /dev/null: on the
    # first version, as root, that replaced the device; a FIFO stands in for a device here.)
    import os
    import stat

    own = tmp_path / "own.h5"
    earlier_result(vtrial_bin, scenario, own)
    proc = vtrial("run", scenario, "--set", "model=parametric", "--trials", 7, "-o", own, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["trials"] == 7

    copy = tmp_path / "scenario.yaml"
    copy.write_text(Path(scenario).read_text())
    text = copy.read_text()
    other = tmp_path / "notes.h5"
    other.write_bytes(b"somebody's notes")
    directory = tmp_path / "adir"
    directory.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.h5"
    link.symlink_to(own)
    for target, why in [(copy, "not a vtrial result file"), (other, "not a vtrial result file"),
                        (directory, "directory"), (fifo, "not a regular file"), (link, "symbolic link")]:
        proc = vtrial("run", copy, "--set", "model=parametric", "--trials", 5, "-o", target)
        assert proc.returncode == 1, (target, proc.stdout, proc.stderr)
        assert f"refusing to replace {target}" in proc.stderr and why in proc.stderr, proc.stderr
    assert copy.read_text() == text
    assert other.read_bytes() == b"somebody's notes"
    assert directory.is_dir() and stat.S_ISFIFO(os.stat(fifo).st_mode) and link.is_symlink()
    for target, why in [("-", "not a stream"), ("", "empty")]:
        proc = vtrial("run", copy, "--set", "model=parametric", "--trials", 5, "-o", target)
        assert proc.returncode in (1, 2) and why in proc.stderr, (target, proc.returncode, proc.stderr)
    proc = vtrial("sweep", copy, "--set", "model=parametric", "--trials", 5, "--patients", "20,40", "-o", copy)
    assert proc.returncode == 1 and "refusing to replace" in proc.stderr, proc.stderr
    assert copy.read_text() == text
    assert leftover_temp_files(tmp_path) == []



# --- size searches stay bounded -----------------------------------------------------------------

def test_size_searches_refuse_runaway_grids(vtrial, scenario, tmp_path):
    # Issue 16, class 3: a step near 2^63 overflowed the grid arithmetic (an endless loop); a
    # maximum off the grid let the search report an N above it; a huge sweep range built its
    # list of sizes before counting them. Each is now refused at once or stays within --max.
    for step in ("9223372036854775807", "100001", "0"):
        proc = vtrial("samplesize", scenario, "--set", "model=parametric", "--trials", 50, "--step", step,
                      "-o", tmp_path / "s.h5")
        assert proc.returncode == 2 and "--step" in proc.stderr, (step, proc.stderr)
    for patients in ("2:9223372036854775807:1", "2:100000:1", ",".join(["50"] * 201)):
        proc = vtrial("sweep", scenario, "--set", "model=parametric", "--trials", 50, "--patients", patients,
                      "-o", tmp_path / "w.h5")
        assert proc.returncode == 2 and "--patients" in proc.stderr, (patients[:40], proc.stderr)
    proc = vtrial("samplesize", scenario, "--set", "model=parametric", "--set", "parametric.il2.hazard_ratio=3",
                  "--trials", 200, "--min", 10, "--max", 45, "--step", 10, "--target-power", "0.3",
                  "--criterion", "estimate", "-o", tmp_path / "s.h5", "--json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found["patients"] <= 40 and all(p["patients"] <= 40 for p in found["evaluated"]), found
    proc = vtrial("samplesize", scenario, "--set", "model=parametric", "--trials", 100, "--min", 10, "--max", 45,
                  "--step", 10, "--target-power", "0.999", "-o", tmp_path / "s.h5")
    assert proc.returncode == 1 and "not reached at 40 patients" in proc.stderr, proc.stderr


def test_unwritable_stdout_is_a_failure(vtrial_bin, scenario, tmp_path):
    # Issue 16, class 7: `--json > /dev/full` exited 0, so a script took a summary it never got
    # for a success. (/dev/full is standard output here, never an --output path.)
    with open("/dev/full", "w") as full:
        for args in (["run", scenario, "--set", "model=parametric", "--trials", "20", "-o", str(tmp_path / "r.h5"),
                      "--json"], ["validate", scenario]):
            proc = subprocess.run([vtrial_bin, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
            assert proc.returncode == 1, (args[0], proc.returncode, proc.stderr)
            assert "cannot write to standard output" in proc.stderr, proc.stderr


def test_output_that_cannot_be_created_says_why(vtrial, scenario, tmp_path):
    # Issue 16, class 5 (part): HDF5's own message named no cause; the error now gives the
    # system's (here: the directory does not exist), before anything is simulated.
    target = tmp_path / "no" / "such" / "dir" / "r.h5"
    proc = vtrial("run", scenario, "--set", "model=parametric", "--trials", 20, "-o", target)
    assert proc.returncode == 1, proc.stderr
    assert "cannot create output file" in proc.stderr and "No such file or directory" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_value_the_integrator_cannot_handle_is_refused_at_load(vtrial, scenario, tmp_path):
    # Issue 16, class 2: with an EC50 of 1e-300 every step's error estimate was NaN and the
    # adaptive step shrank for ever (one trial never ended). The integrator now stops on a
    # collapsed step (tests/unit/test_mech_numerics.cpp), and the EC50's range is one that
    # integrates (tests/e2e/test_key_ranges.py runs its ends), so the value is refused at load.
    proc = vtrial("run", scenario, "--trials", 4, "--set", "mechanistic.gcv.ec50_mg_per_l=1e-300", "-o",
                  tmp_path / "r.h5")
    assert proc.returncode == 1, proc.stderr
    assert "mechanistic.gcv.ec50_mg_per_l: expected a number in [0.0001, 1000], got 1e-300" in proc.stderr
    assert not (tmp_path / "r.h5").exists() and leftover_temp_files(tmp_path) == []


def test_identical_runs_give_identical_files(vtrial_bin, scenario, tmp_path):
    # Issue 16, class 7 (part): HDF5 stamped every group and dataset with its creation time, so
    # two runs of the same scenario and seed differed in ~100 bytes and a file hash could not
    # check reproducibility. Object times are off now: the files are equal byte for byte.
    # The command is recorded (root attribute `command`), so both runs use the same words, in
    # two directories.
    import time

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        proc = subprocess.run([vtrial_bin, "run", scenario, "--trials", "12", "--threads", "2", "-o", "out.h5",
                               "--json"], cwd=tmp_path / name, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        time.sleep(1.1)  # the timestamps had a resolution of one second
    assert (tmp_path / "a" / "out.h5").read_bytes() == (tmp_path / "b" / "out.h5").read_bytes()


def test_refusal_probability_near_one_is_refused(vtrial, scenario, tmp_path):
    # Issue 16, class 2 (part): every refusal draws one more arrival, so 0.9999999 made a trial
    # draw ~1e7 arrivals per patient (a hang in practice). The accepted range ends at 0.99.
    proc = vtrial("run", scenario, "--set", "model=parametric", "--trials", 5,
                  "--set", "enrollment.consent_refusal_probability=0.9999999", "-o", tmp_path / "r.h5")
    assert proc.returncode == 1, proc.stderr
    assert "enrollment.consent_refusal_probability" in proc.stderr and "0.99" in proc.stderr, proc.stderr


def test_too_many_overrides_are_refused_at_once(vtrial, scenario):
    # Issue 16, class 8 (part): each --set cost in proportion to those before it (10,000 took 5 s).
    args = []
    for i in range(1001):
        args += ["--set", f"zz{i}.k=1"]
    proc = vtrial("validate", scenario, *args)
    assert proc.returncode == 1 and "at most 1000" in proc.stderr, proc.stderr
