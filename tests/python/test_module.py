"""Tests of the Python module `vtrial` (bindings/python).

Run by ctest as `python_module`, which sets PYTHONPATH (the build tree's python/ directory),
VTRIAL_BIN (the built CLI, the reference the module must agree with) and VTRIAL_SOURCE_DIR.
Every output goes to pytest's tmp_path; runs use at most 500 trials.
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import vtrial

TRIALS = 500


def _required_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run these tests through ctest (ctest -R python_module)")
    return value


@pytest.fixture(scope="session")
def vtrial_bin():
    path = _required_env("VTRIAL_BIN")
    assert os.access(path, os.X_OK), f"VTRIAL_BIN={path} is not an executable"
    return path


@pytest.fixture(scope="session")
def scenario():
    path = Path(_required_env("VTRIAL_SOURCE_DIR")) / "scenarios" / "nct06971913.yaml"
    assert path.is_file(), path
    return str(path)


@pytest.fixture(scope="session")
def result(scenario):
    """One run at TRIALS trials on two threads, shared by the read-only tests."""
    return vtrial.run(scenario, trials=TRIALS, threads=2)


def cli(vtrial_bin, cwd, *args, check=0):
    proc = subprocess.run([vtrial_bin, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == check, (
        f"vtrial {' '.join(map(str, args))}: exit {proc.returncode}, expected {check}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def as_printed(x):
    """A float as the CLI's JSON prints it: every digit (nlohmann's shortest round-trip text)."""
    return float(x)


def assert_tables_equal(a, b):
    assert sorted(a) == sorted(b)
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name


# --- import --------------------------------------------------------------------------------------


def test_import_and_version(vtrial_bin, tmp_path):
    for name in ("load_scenario", "run", "sweep", "sample_size", "read_result"):
        assert callable(getattr(vtrial, name)), name
    assert vtrial.run.__doc__ and "power" in vtrial.run.__doc__
    version = cli(vtrial_bin, tmp_path, "--version").stdout.splitlines()[0].split()[-1]  # "vtrial 0.1.0", ...
    assert vtrial.__version__ == version


# --- load_scenario and overrides -----------------------------------------------------------------


def test_load_scenario_matches_cli_validate(vtrial_bin, scenario, tmp_path):
    resolved = vtrial.load_scenario(scenario, {"trial.patients": 120})
    printed = cli(vtrial_bin, tmp_path, "validate", scenario, "--set", "trial.patients=120").stdout
    assert printed.split("\n", 1)[1] == resolved  # after the "# ... is valid" comment line
    assert "patients: 120" in resolved


def test_override_forms_agree(scenario):
    as_dict = vtrial.load_scenario(scenario, {"trial.patients": 120, "analysis.alpha": 0.025})
    as_list = vtrial.load_scenario(scenario, ["trial.patients=120", "analysis.alpha=0.025"])
    assert as_dict == as_list
    assert as_dict != vtrial.load_scenario(scenario)
    # numpy scalars are accepted like Python numbers
    assert vtrial.load_scenario(scenario, {"trial.patients": np.int64(120), "analysis.alpha": np.float64(0.025)}) \
        == as_dict


def test_bad_override_key_raises_value_error_like_cli(vtrial_bin, scenario, tmp_path):
    with pytest.raises(ValueError) as excinfo:
        vtrial.load_scenario(scenario, {"trial.patientz": 3})
    message = str(excinfo.value)
    assert "trial.patientz" in message
    stderr = cli(vtrial_bin, tmp_path, "validate", scenario, "--set", "trial.patientz=3", check=1).stderr
    assert stderr.strip() == f"vtrial: error: {message}"
    with pytest.raises(ValueError, match="trial.patientz"):
        vtrial.run(scenario, ["trial.patientz=3"], trials=10)


def test_bad_override_value_raises_value_error(scenario):
    with pytest.raises(ValueError, match="trial.patients"):
        vtrial.load_scenario(scenario, {"trial.patients": "many"})
    with pytest.raises(ValueError, match="simulation.trials"):
        vtrial.run(scenario, trials=0)
    with pytest.raises(ValueError):
        vtrial.run(scenario, trials=10, threads=-1)
    with pytest.raises(TypeError):
        vtrial.load_scenario(scenario, {"trial.patients": object()})


def test_missing_file_raises(tmp_path):
    with pytest.raises((ValueError, RuntimeError), match="nowhere.yaml"):
        vtrial.load_scenario(str(tmp_path / "nowhere.yaml"))


# --- run -------------------------------------------------------------------------------------------


def test_run_matches_cli_exactly(vtrial_bin, scenario, result, tmp_path):
    printed = json.loads(cli(vtrial_bin, tmp_path, "run", scenario, "--trials", TRIALS, "--json", "-o",
                             tmp_path / "cli.h5").stdout)
    assert [e["name"] for e in printed["endpoints"]] == list(result["power"])
    for e in printed["endpoints"]:
        mine = result["power"][e["name"]]
        assert mine["rejections"] == e["rejections"] and mine["trials"] == e["trials"] == TRIALS, e["name"]
        for key in ("power", "mc_se", "ci_low", "ci_high"):
            assert as_printed(mine[key]) == e[key], (e["name"], key)
    for key, value in printed["design"].items():
        mine = result["design"][key]
        if key == "looks":
            assert mine == value, key
            continue
        assert (value is None and not math.isfinite(mine)) or as_printed(mine) == value, key
    assert result["seed"] == printed["seed"]


def test_run_tables(scenario, result):
    assert result["trials"], "no per-trial columns"
    for name, column in result["trials"].items():
        assert isinstance(column, np.ndarray) and column.shape == (TRIALS,), name
    for name in result["power"]:
        reject = result["trials"][f"{name}_reject"]
        assert reject.dtype == np.int64
        assert int(reject.sum()) == result["power"][name]["rejections"]
    lengths = {len(c) for c in result["patients"].values()}
    assert len(lengths) == 1 and lengths.pop() > 0
    assert isinstance(result["trajectories"], dict)
    assert result["seconds"] > 0 and result["threads"] == 2
    assert "patients:" in result["scenario"] and result["output"] is None


# Two looks at information 0.5 and 1, O'Brien-Fleming-type spending. R 4.2.2, rpact 3.3.4:
#   d <- getDesignGroupSequential(kMax = 2, alpha = 0.05, sided = 2, typeOfDesign = "asOF",
#                                 informationRates = c(0.5, 1))
#   format(d$criticalValues, digits = 10)   2.962588043 1.968595646
#   format(2 * d$stageLevels, digits = 10)  0.003050645516 0.048999542926
# (more designs: tests/e2e/test_group_sequential_output.py)
RPACT_OBF_HALF = {"z": [2.962588043, 1.968595646], "p": [0.003050645516, 0.048999542926]}


def test_run_reports_group_sequential_looks(vtrial_bin, scenario, tmp_path):
    overrides = {"model": "parametric", "analysis.interim.enabled": True, "analysis.interim.fractions": [0.5],
                 "analysis.interim.spending": "obrien_fleming"}
    mine = vtrial.run(scenario, overrides, trials=300, threads=2)
    looks = mine["design"].get("looks")
    assert isinstance(looks, list) and len(looks) == 2, mine["design"]
    fields = {"look", "information_fraction", "efficacy_z", "efficacy_p", "futility_z", "p_stop"}
    for k, e in enumerate(looks):
        assert isinstance(e, dict) and fields <= set(e), e
        assert e["look"] == k + 1
        assert e["efficacy_z"] == pytest.approx(RPACT_OBF_HALF["z"][k], abs=1e-5), e
        assert e["efficacy_p"] == pytest.approx(math.erfc(e["efficacy_z"] / math.sqrt(2.0)), rel=1e-9), e
        assert e["efficacy_p"] == pytest.approx(RPACT_OBF_HALF["p"][k], rel=1e-6), e
    assert [e["information_fraction"] for e in looks] == [0.5, 1.0]
    assert looks[0]["futility_z"] == 0.0 and looks[1]["futility_z"] is None, looks
    p_stop = [e["p_stop"] for e in looks]
    assert math.fsum(p_stop) == pytest.approx(1.0, abs=1e-12), p_stop
    assert p_stop == [mine["design"]["p_stop_at_look0"], mine["design"]["p_stop_at_look1"]]
    # the same list as the CLI's --json, up to its printed precision (None for null)
    printed = json.loads(cli(vtrial_bin, tmp_path, "run", scenario, "--set", "model=parametric", "--trials", 300,
                             "--threads", 2, "--set", "analysis.interim.enabled=true", "--set",
                             "analysis.interim.fractions=[0.5]", "--set", "analysis.interim.spending=obrien_fleming",
                             "--json", "-o", tmp_path / "cli.h5").stdout)
    assert len(printed["design"]["looks"]) == len(looks)
    for e_cli, e in zip(printed["design"]["looks"], looks):
        assert set(e_cli) == set(e), (e_cli, e)
        for key, value in e_cli.items():
            assert (value is None and e[key] is None) or as_printed(e[key]) == value, (key, e_cli, e)


def test_read_result_of_a_group_sequential_run(scenario, tmp_path):
    # The file's /design then holds the subgroup /design/looks next to its one-value datasets;
    # read_result must still read it (the per-look arrays are the datasets of that subgroup).
    out = tmp_path / "gs.h5"
    written = vtrial.run(scenario, {"model": "parametric", "analysis.interim.enabled": True,
                                    "analysis.interim.fractions": [0.5]}, trials=300, threads=2, output=out)
    data = vtrial.read_result(out)
    for key, value in written["design"].items():
        if key == "looks":
            continue
        assert data["design"][key] == value or (math.isnan(value) and math.isnan(data["design"][key])), key
    with h5py.File(out, "r") as f:
        looks = f["design/looks"]
        assert list(looks["efficacy_z"][()]) == [e["efficacy_z"] for e in written["design"]["looks"]]
        assert list(looks["p_stop"][()]) == [e["p_stop"] for e in written["design"]["looks"]]


def test_threads_do_not_change_results(scenario, result):
    one = vtrial.run(scenario, trials=TRIALS, threads=1)
    assert one["power"] == result["power"]
    assert one["design"] == result["design"]
    for table in ("trials", "patients", "trajectories"):
        assert_tables_equal(one[table], result[table])


def test_seed_changes_results(scenario, result):
    other = vtrial.run(scenario, trials=TRIALS, seed=result["seed"] + 1, threads=2)
    assert not all(np.array_equal(other["trials"][k], result["trials"][k], equal_nan=True)
                   for k in result["trials"])


# --- sweep and sample size ---------------------------------------------------------------------


def test_sweep(vtrial_bin, scenario, tmp_path):
    swept = vtrial.sweep(scenario, [100, 60], trials=200, threads=2)
    assert [p["patients"] for p in swept["points"]] == [60, 100]
    # a string gives the same grid; thread count changes nothing
    again = vtrial.sweep(scenario, "60:100:40", trials=200, threads=1)
    assert again["endpoints"] == swept["endpoints"]
    for a, b in zip(again["points"], swept["points"]):
        assert a["patients"] == b["patients"] and a["design"] == b["design"]
        assert _same_nan(a, b)
    first, second = swept["points"]
    for name in swept["endpoints"]:
        assert math.isnan(first["power"][name]["difference"])
        diff = second["power"][name]["difference"]
        assert diff == pytest.approx(second["power"][name]["power"] - first["power"][name]["power"], abs=1e-12)
        assert second["power"][name]["difference_se_paired"] >= 0
    printed = json.loads(cli(vtrial_bin, tmp_path, "sweep", scenario, "--patients", "60,100", "--trials", 200,
                             "--json", "-o", tmp_path / "sweep.h5").stdout)
    for point, mine in zip(printed["sweep"], swept["points"]):
        assert point["patients"] == mine["patients"]
        for e in point["endpoints"]:
            assert mine["power"][e["name"]]["rejections"] == e["rejections"], (mine["patients"], e["name"])
    with pytest.raises(ValueError):
        vtrial.sweep(scenario, [1], trials=10)
    with pytest.raises(TypeError):
        vtrial.sweep(scenario, [60.5], trials=10)


def _same_nan(a, b):
    for name, pa in a["power"].items():
        for key, va in pa.items():
            vb = b["power"][name][key]
            if not (va == vb or (math.isnan(va) and math.isnan(vb))):
                return False
    return True


def test_sample_size(scenario):
    found = vtrial.sample_size(scenario, endpoint="nk_change", target_power=0.5, criterion="estimate",
                               minimum=10, maximum=200, trials=100, threads=2)
    assert 10 <= found["patients"] <= 200
    assert found["power"]["power"] >= 0.5
    assert found["patients"] in [p["patients"] for p in found["evaluated"]["points"]]
    with pytest.raises(ValueError):
        vtrial.sample_size(scenario, target_power=1.5, trials=10)


# --- HDF5 output and read_result -----------------------------------------------------------------


def test_run_writes_file_read_result_reads_it(scenario, result, tmp_path):
    out = tmp_path / "module.h5"
    written = vtrial.run(scenario, trials=TRIALS, threads=2, output=out)
    assert written["output"] == str(out) and out.is_file()
    assert not [p.name for p in tmp_path.iterdir() if ".tmp." in p.name]
    data = vtrial.read_result(out)
    assert data["attributes"]["filetype"] == "vtrial.run"
    assert data["attributes"]["trials"] == TRIALS
    assert data["attributes"]["scenario"] == written["scenario"]
    assert data["power"] == written["power"] == result["power"]
    assert data["design"].keys() == written["design"].keys()
    for key, value in written["design"].items():
        assert data["design"][key] == value or (math.isnan(value) and math.isnan(data["design"][key])), key
    assert_tables_equal(data["trials"], written["trials"])
    assert_tables_equal(data["patients"], written["patients"])


def test_read_result_without_compiled_module(scenario, vtrial_bin, tmp_path):
    out = tmp_path / "cli.h5"
    cli(vtrial_bin, tmp_path, "run", scenario, "--trials", 50, "--json", "-o", out)
    code = (
        "import sys; sys.modules['vtrial._vtrial'] = None\n"  # makes `from ._vtrial import ...` fail
        "import vtrial\n"
        f"data = vtrial.read_result({str(out)!r})\n"
        "assert len(data['trials']['patients']) == 50, data['trials'].keys()\n"
        "try:\n    vtrial.run('x')\nexcept ImportError:\n    print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ})
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_failed_write_is_an_exception_and_the_session_exits_cleanly(scenario, tmp_path):
    # A file-size limit (SIGXFSZ ignored, so writes fail with EFBIG) stands in for a full disk.
    # The write must raise, leave no temporary file and not touch an earlier result, and the
    # interpreter must still exit with its own status afterwards (HDF5 1.10 used to segfault in
    # its exit clean-up on the abandoned file: status 139).
    out = tmp_path / "result.h5"
    subprocess.run([os.environ["VTRIAL_BIN"], "run", scenario, "--set", "model=parametric", "--trials", "5",
                    "-o", str(out), "--json"], check=True, capture_output=True, timeout=120)
    before = out.read_bytes()  # a real earlier result: only vtrial's own files may be replaced
    code = f"""
import resource, signal, sys
import vtrial
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
try:
    vtrial.run({scenario!r}, {{"model": "parametric"}}, trials=20000, threads=1, output={str(out)!r})
except RuntimeError as e:
    print("raised:", e)
    sys.exit(3)
print("no error")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=os.environ.copy())
    assert proc.returncode == 3, (proc.returncode, proc.stdout, proc.stderr)
    assert "raised: cannot write" in proc.stdout and "result.h5" in proc.stdout
    assert out.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if ".tmp." in p.name]


def test_self_referencing_or_deep_override_is_a_value_error(scenario):
    # Issue 16, class 6 (part): a list that contains itself, or nesting hundreds deep, turned
    # into YAML text by recursion until the stack overflowed (SIGSEGV). Now it is a ValueError.
    looped = [1]
    looped.append(looped)
    deep = []
    inner = deep
    for _ in range(500):
        inner.append([])
        inner = inner[0]
    for value in (looped, deep, {"a": {"b": looped}}):
        with pytest.raises(ValueError, match="nested more than"):
            vtrial.run(scenario, {"trial.patients": value}, trials=5)


def test_read_result_refuses_a_file_vtrial_did_not_write(tmp_path):
    # Issue 16, class 7 (part): any HDF5 file read back as an empty result.
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["trials/x_p"] = np.zeros(3)
    with pytest.raises(ValueError, match="not a vtrial result file"):
        vtrial.read_result(other)
