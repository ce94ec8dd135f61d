"""Run-level golden results, in the spirit of OpenMC's results_true: small runs of the default
scenario whose /trials, /patients and /trajectories must stay bit for bit what they were.

Each golden file lists, per dataset, its dtype, length, the SHA-256 of its little-endian bytes
and its first values printed with 17 significant digits (exact for float64), so a failure says
which column moved and a diff of the file shows it.

Regenerating is a deliberate act, done only when a change of numbers is intended and explained:
    VTRIAL_BIN=build/vtrial /usr/bin/python3 tests/golden/golden.py --regenerate
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent.parent / "scenarios" / "nct06971913.yaml"
GROUPS = ("trials", "patients", "trajectories")

# name -> extra arguments of `vtrial run` on the default scenario.
RUNS = {
    "mechanistic": ["--trials", "120", "--seed", "11", "--set", "output.patient_trials=2",
                    "--set", "output.trajectory_patients=3"],
    "parametric": ["--trials", "400", "--seed", "12", "--set", "model=parametric",
                   "--set", "output.patient_trials=2"],
    "parametric_interim": ["--trials", "300", "--seed", "13", "--set", "model=parametric",
                           "--set", "analysis.interim.enabled=true", "--set", "parametric.il2.hazard_ratio=2"],
}


def digest(path):
    lines = []
    with h5py.File(path, "r") as f:
        for group in GROUPS:
            if group not in f:
                continue
            for name in sorted(f[group].keys()):
                data = np.asarray(f[group][name][()])
                little = data.astype(data.dtype.newbyteorder("<"), copy=False)
                sha = hashlib.sha256(little.tobytes()).hexdigest()
                head = " ".join(f"{float(v):.17g}" for v in data[:3])
                lines.append(f"{group}/{name} {data.dtype.str} {data.size} {sha} {head}")
    return lines


def run(vtrial, name, out_dir):
    out = Path(out_dir) / f"{name}.h5"
    subprocess.run([vtrial, "run", str(SCENARIO), "--threads", "2", "--output", str(out), "--json",
                    *RUNS[name]], check=True, stdout=subprocess.DEVNULL)
    return digest(out)


def golden_path(name):
    return HERE / f"{name}.txt"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true", help="rewrite the golden files from this build")
    args = parser.parse_args()
    vtrial = os.environ.get("VTRIAL_BIN", str(HERE.parent.parent / "build" / "vtrial"))
    with tempfile.TemporaryDirectory() as tmp:
        for name in RUNS:
            lines = run(vtrial, name, tmp)
            if args.regenerate:
                golden_path(name).write_text("\n".join(lines) + "\n")
                print(f"wrote {golden_path(name)} ({len(lines)} datasets)")
            else:
                same = golden_path(name).read_text().splitlines() == lines
                print(f"{name}: {'same' if same else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
