"""Priors, calibration and type-I error from Python: run() returns the uncertainty and
calibration tables exactly as read_result reads them from the file, and the same numbers as
the command line for the same seed."""
import json
import os
import subprocess

import numpy as np

import vtrial

SCENARIO = """
model: parametric
simulation: {trials: 400, seed: 5}
uncertainty:
  parametric.il2.hazard_ratio: {distribution: uniform, low: 1, high: 2.5}
  parametric.control.median_days_to_negative: {distribution: lognormal, median: 21, gsd: 1.3, lower: 8, upper: 60}
  correlations: [{keys: [parametric.il2.hazard_ratio, parametric.control.median_days_to_negative], rho: 0.3}]
calibration:
  targets: [{statistic: median_days_to_negative, value: 21, sd: 3, patients: 40}]
analysis: {type1_error: true}
"""


def same(a, b):
    if isinstance(a, list) or isinstance(b, list):
        return list(a) == list(b)
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def test_run_returns_what_read_result_reads(tmp_path):
    path = tmp_path / "priors.yaml"
    path.write_text(SCENARIO)
    out = tmp_path / "priors.h5"
    r = vtrial.run(str(path), output=str(out), threads=2)
    f = vtrial.read_result(str(out))
    assert r["power_measure"] == "assurance" and f["attributes"]["power_measure"] == "assurance"
    for group in ("uncertainty", "calibration"):
        assert set(r[group]) == set(f[group]), group
        for table, columns in r[group].items():
            assert set(columns) == set(f[group][table]), (group, table)
            for name, values in columns.items():
                assert same(values, f[group][table][name]), (group, table, name)
    for name, entry in r["power"].items():
        for key, value in entry.items():
            assert f["power"][name][key] == value, (name, key)
    assert "type1_error" in r["power"]["duration_of_viremia"]
    assert "effective_trials" in r["power"]["duration_of_viremia"]


def test_the_same_numbers_as_the_command_line(tmp_path):
    path = tmp_path / "priors.yaml"
    path.write_text(SCENARIO)
    r = vtrial.run(str(path), threads=1)
    cli = json.loads(subprocess.run([os.environ["VTRIAL_BIN"], "run", str(path), "--json", "--threads", "2",
                                     "-o", str(tmp_path / "cli.h5")], capture_output=True, text=True,
                                    check=True).stdout)
    for e in cli["endpoints"]:
        p = r["power"][e["name"]]
        for key in ("power", "mc_se", "type1_error", "prior_power", "effective_trials"):
            assert p[key] == e[key], (e["name"], key)
    assert cli["uncertainty"]["calibration"]["effective_trials"] == r["calibration"]["summary"]["effective_trials"][0]
