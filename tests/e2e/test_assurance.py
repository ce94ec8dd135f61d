"""Priors, assurance, type-I error and calibration from the command line: what the result files
hold, that a point mass changes nothing, that shards merge to the whole run, and that bad input
is refused naming the key with nothing written."""
import json
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

VTRIAL = os.environ["VTRIAL_BIN"]
SOURCE = Path(os.environ["VTRIAL_SOURCE_DIR"])
DEFAULT = SOURCE / "scenarios" / "nct06971913.yaml"

PRIORS = """
model: parametric
simulation: {trials: 600, seed: 3}
output: {patient_trials: 2}
uncertainty:
  parametric.il2.hazard_ratio: {distribution: lognormal, median: 1.5, gsd: 1.3, lower: 0.8, upper: 3}
  parametric.control.median_days_to_negative: {distribution: uniform, low: 14, high: 30}
calibration:
  targets:
    - {statistic: median_days_to_negative, value: 21, sd: 2, patients: 50, source: "test"}
    - {statistic: share_negative_by_day, day: 28, value: 0.6, sd: 0.08, patients: 50}
analysis: {type1_error: true}
"""


def vtrial(*args, check=True):
    return subprocess.run([VTRIAL, *map(str, args)], capture_output=True, text=True, check=check)


def same(a, b):
    if a.dtype.kind == "O" or b.dtype.kind == "O":
        return list(a) == list(b)
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


def datasets(path, groups=("trials", "patients", "trajectories", "summary", "design")):
    out = {}
    with h5py.File(path, "r") as f:
        for g in groups:
            if g in f:
                for name, d in f[g].items():
                    if isinstance(d, h5py.Dataset):
                        out[f"{g}/{name}"] = d[()]
    return out


def test_a_point_mass_prior_changes_no_dataset(tmp_path):
    plain, point = tmp_path / "plain.h5", tmp_path / "point.h5"
    scenario = tmp_path / "point.yaml"
    scenario.write_text(DEFAULT.read_text() + "\nuncertainty:\n  mechanistic.nk.kill_rate: {distribution: fixed, value: 0.002}\n")
    common = ["--trials", 40, "--seed", 9, "--set", "output.patient_trials=2", "--set", "output.trajectory_patients=2"]
    vtrial("run", DEFAULT, *common, "-o", plain)
    vtrial("run", scenario, *common, "-o", point)
    a, b = datasets(plain), datasets(point)
    assert set(b) - set(a) == {"trials/mechanistic.nk.kill_rate"}
    for name, values in a.items():
        assert same(values, b[name]), name
    with h5py.File(point, "r") as f:
        assert f.attrs["power_measure"] == "assurance"
        assert list(f["uncertainty/priors/key"].asstr()) == ["mechanistic.nk.kill_rate"]


def test_outputs_of_a_calibrated_run_with_type1_error(tmp_path):
    scenario = tmp_path / "priors.yaml"
    scenario.write_text(PRIORS)
    out = tmp_path / "priors.h5"
    result = json.loads(vtrial("run", scenario, "--json", "-o", out).stdout)
    assert result["power_measure"] == "assurance"
    primary = result["endpoints"][0]
    for key in ("type1_error", "type1_mc_se", "prior_power", "effective_trials"):
        assert key in primary, key
    assert 0 < primary["effective_trials"] < 600
    calibration = result["uncertainty"]["calibration"]
    assert [t["name"] for t in calibration["targets"]] == ["median_days_to_negative", "share_negative_by_day28"]
    with h5py.File(out, "r") as f:
        roles = dict(zip(f["schema/column"].asstr(), f["schema/role"].asstr()))
        assert roles["parametric.il2.hazard_ratio"] == "parameter"
        assert roles["calibration_weight"] == "weight"
        assert roles["calibration.share_negative_by_day28"] == "calibration"
        assert roles["duration_of_viremia_null_reject"] == "null_reject"
        w = f["trials/calibration_weight"][()]
        reject = f["trials/duration_of_viremia_reject"][()]
        # The summary's assurance is the weighted rejection rate of the /trials rows.
        assert f["summary/power"][0] == pytest.approx(np.sum(w * reject) / np.sum(w), rel=1e-12)
        assert f["summary/prior_power"][0] == pytest.approx(reject.mean(), rel=1e-12)
        assert f["summary/type1_error"][0] == pytest.approx(
            np.sum(w * f["trials/duration_of_viremia_null_reject"][()]) / np.sum(w), rel=1e-12)
        assert f["calibration/summary/effective_trials"][0] == pytest.approx(np.sum(w) ** 2 / np.sum(w * w))
        hr = f["trials/parametric.il2.hazard_ratio"][()]
        assert hr.min() >= 0.8 and hr.max() <= 3
    text = vtrial("run", scenario, "-o", tmp_path / "text.h5").stdout
    assert "assurance" in text and "type I" in text and "what drives duration_of_viremia" in text
    assert "calibrated to 2 published target(s)" in text


def test_shards_of_a_run_with_priors_merge_to_the_whole_run(tmp_path):
    scenario = tmp_path / "priors.yaml"
    scenario.write_text(PRIORS)
    whole = tmp_path / "whole.h5"
    vtrial("run", scenario, "--threads", 1, "-o", whole)
    parts = []
    for k in (1, 2, 3):
        parts.append(tmp_path / f"s{k}.h5")
        vtrial("run", scenario, "--shard", f"{k}/3", "--threads", 2, "-o", parts[-1])
    merged = tmp_path / "merged.h5"
    vtrial("merge", *parts, "-o", merged)
    a, b = datasets(whole, ("trials", "summary", "uncertainty", "calibration")), datasets(merged, ("trials", "summary"))
    for name in b:
        assert same(a[name], b[name]), name
    digest = [vtrial("verify", p).stdout.split("digest ")[1].strip() for p in (whole, merged)]
    assert digest[0] == digest[1]


def test_the_mapping_form_is_the_list_form(tmp_path):
    listed = tmp_path / "listed.yaml"
    listed.write_text("model: parametric\nsimulation: {trials: 200}\nuncertainty:\n  priors:\n"
                      "    - {key: parametric.il2.hazard_ratio, distribution: uniform, low: 1, high: 2}\n")
    mapped = tmp_path / "mapped.yaml"
    mapped.write_text("model: parametric\nsimulation: {trials: 200}\nuncertainty:\n"
                      "  parametric.il2.hazard_ratio: {distribution: uniform, low: 1, high: 2}\n")
    digests = []
    for s in (listed, mapped):
        vtrial("run", s, "-o", tmp_path / (s.stem + ".h5"))
        digests.append(vtrial("verify", tmp_path / (s.stem + ".h5")).stdout.split("digest ")[1])
    assert digests[0] == digests[1]


def test_sweep_reports_assurance_against_n(tmp_path):
    scenario = tmp_path / "priors.yaml"
    scenario.write_text(PRIORS)
    result = json.loads(vtrial("sweep", scenario, "--patients", "40,80", "--trials", 300, "--json",
                               "-o", tmp_path / "sweep.h5").stdout)
    assert result["power_measure"] == "assurance"
    powers = [p["endpoints"][0]["power"] for p in result["sweep"]]
    assert powers[1] > powers[0]
    assert "type1_error" in result["sweep"][0]["endpoints"][0]


@pytest.mark.parametrize("extra, words", [
    ("uncertainty: {priors: [{key: mechanistic.nk.kill_rat, distribution: fixed, value: 1}]}",
     "uncertainty.priors[0].key: 'mechanistic.nk.kill_rat' is not a key of the patient population"),
    ("uncertainty: {priors: [{key: model, distribution: fixed, value: 1}]}", "'model' is not a key"),
    ("uncertainty: {priors: [{key: mechanistic.nk.kill_rate, distribution: normal, mean: 0.002, sd: 0.001}]}",
     "can reach -inf, outside what the key accepts"),
    ("uncertainty: {priors: [{key: mechanistic.il2.nk_fold_rise, distribution: discrete, values: [1, 2], "
     "weights: [0.5, 0.4]}]}", "uncertainty.priors[0].weights: must sum to 1"),
    ("uncertainty: {mechanistic.nk.kill_rate: {distribution: uniform, low: 0.001, high: 0.003}}\n"
     "calibration: {targets: [{statistic: share_negative_by_day, day: 400, value: 0.5, sd: 0.1}]}",
     "calibration.targets[0].day"),
    ("uncertainty: {mechanistic.nk.kill_rate: {distribution: uniform, low: 0.001, high: 0.003}}\n"
     "calibration: {targets: [{statistic: peak_viral_load, value: 5, sd: 1}]}",
     "calibration.targets[0].statistic: expected one of"),
])
def test_bad_priors_and_targets_are_refused_with_nothing_written(tmp_path, extra, words):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(DEFAULT.read_text() + "\n" + extra + "\n")
    out = tmp_path / "out.h5"
    r = vtrial("run", scenario, "--trials", 10, "-o", out, check=False)
    assert r.returncode == 1, r.stderr
    assert words in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [scenario]
