"""Smoke test of scripts/plot_trajectories.py on a small mechanistic run.

Run by ctest as part of `e2e_cli` (VTRIAL_BIN = the built binary, VTRIAL_SOURCE_DIR = the
repository root). Everything is written under pytest's tmp_path.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _env_path(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run these tests through ctest (ctest -R e2e)")
    return Path(value)


@pytest.fixture(scope="module")
def trajectory_run(tmp_path_factory):
    """A 5-trial mechanistic run with 10 exported trajectories; returns the HDF5 path."""
    binary = _env_path("VTRIAL_BIN")
    scenario = _env_path("VTRIAL_SOURCE_DIR") / "scenarios" / "nct06971913.yaml"
    assert os.access(binary, os.X_OK), binary
    out = tmp_path_factory.mktemp("plot") / "traj.h5"
    proc = subprocess.run([str(binary), "run", str(scenario), "--set", "model=mechanistic", "--set",
                           "output.trajectory_patients=10", "--trials", "5", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def script():
    path = _env_path("VTRIAL_SOURCE_DIR") / "scripts" / "plot_trajectories.py"
    assert path.is_file(), path
    return path


def run_script(script, *args):
    # The interpreter running pytest has h5py, numpy, matplotlib and yaml (VTRIAL_PYTHON).
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=os.environ.get("MPLCONFIGDIR", "/tmp/vtrial-mpl"))
    env.pop("DISPLAY", None)  # must work headless
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)


def test_writes_a_png(trajectory_run, script, tmp_path):
    png = tmp_path / "trajectories.png"
    proc = run_script(script, trajectory_run, "--output", png, "--patients-per-arm", 2)
    assert proc.returncode == 0, proc.stderr
    assert png.is_file()
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000  # three panels with curves, not an empty canvas


def test_explicit_patients_and_missing_trajectories(trajectory_run, script, tmp_path):
    png = tmp_path / "chosen.png"
    proc = run_script(script, trajectory_run, "--output", png, "--patients", 0, 1)
    assert proc.returncode == 0, proc.stderr
    assert png.stat().st_size > 0
    proc = run_script(script, trajectory_run, "--output", tmp_path / "x.png", "--patients", 999)
    assert proc.returncode != 0 and "999" in proc.stderr
