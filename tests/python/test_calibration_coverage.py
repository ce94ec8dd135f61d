"""Calibration on simulated truth (scripts/calibration_coverage.py): known control medians
drawn from the prior fall inside their posterior 50% and 90% intervals at the nominal rate,
within 4 binomial standard errors over 200 repetitions (fixed seeds: deterministic)."""
import importlib.util
import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("VTRIAL_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def load_study():
    spec = importlib.util.spec_from_file_location("calibration_coverage", SOURCE / "scripts" / "calibration_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_posterior_intervals_cover_the_truth_at_their_nominal_rate(tmp_path):
    pytest.importorskip("yaml")
    result = load_study().coverage(reps=200, trials=2000, tmp=tmp_path)
    for level, c in result["coverage"].items():
        assert abs(c["rate"] - float(level)) <= 4 * c["binomial_se"], (level, c)
    assert result["mean_effective_trials"] > 100
