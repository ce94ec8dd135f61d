#!/usr/bin/python3
"""The protocol committee's question for NCT06971913: which enrollment target to register, and
what each one risks. Runs `vtrial sweep` and `vtrial samplesize` for both patient models and
hands the HDF5 files they write to `vtrial report`, which makes the page:

  <outdir>/committee_report.html       power, deadline risk and the smallest N, both models side
                                       by side (one self-contained page: open it, print it)
  <outdir>/committee_sensitivity.html  the same for a small sensitivity analysis of the
                                       assumptions (skipped with --no-sensitivity)

Everything is deterministic: the seed is the scenario's (simulation.seed) and vtrial's results do
not depend on --threads. Usage (from the repository root, after the README's build):

  /usr/bin/python3 scripts/committee_report.py --vtrial build/vtrial

Uses Debian's /usr/bin/python3; the page itself needs what `vtrial report` needs (docs/report.md).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

MODELS = ("parametric", "mechanistic")

# Sensitivity analysis: each row is (model, file label, --set overrides). The mechanistic pairs
# keep d0 + kN x 100 = 0.7/d so the control arm stays calibrated (docs/model.md, "Implied effect").
SENSITIVITY = [
    ("parametric", "hr_1.25", ["parametric.il2.hazard_ratio=1.25"]),
    ("parametric", "hr_1.75", ["parametric.il2.hazard_ratio=1.75"]),
    ("parametric", "hr_2.0", ["parametric.il2.hazard_ratio=2.0"]),
    ("mechanistic", "kn_0.001_d0_0.6", ["mechanistic.nk.kill_rate=0.001", "mechanistic.virus.d0_per_day=0.6"]),
    ("mechanistic", "fold_1.5", ["mechanistic.il2.nk_fold_rise=1.5"]),
    ("mechanistic", "fold_2.5", ["mechanistic.il2.nk_fold_rise=2.5"]),
    ("mechanistic", "kn_0.004_d0_0.3", ["mechanistic.nk.kill_rate=0.004", "mechanistic.virus.d0_per_day=0.3"]),
    ("parametric", "12_sites", ["enrollment.sites=12"]),
    ("parametric", "16_sites", ["enrollment.sites=16"]),
    ("parametric", "6_screened_per_site_month", ["enrollment.screening_rate_per_site_month=6"]),
]


def vtrial(args, *words):
    """Runs vtrial in the directory of the HDF5 files, naming them without it: the commands the
    files and the page record are then the same wherever the files were made."""
    cmd = [args.vtrial, *words] + (["--threads", str(args.threads)] if args.threads and words[0] != "report" else [])
    print("  $ " + " ".join(cmd), flush=True)
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=args.h5dir)
    return done.returncode, done.stderr.strip()


def page_path(args, name):
    """The page, named from where vtrial runs (the HDF5 files' directory)."""
    path = os.path.abspath(os.path.join(args.outdir, name))
    return os.path.basename(path) if args.keep_h5 else path


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vtrial", default=os.path.join(root, "build", "vtrial"), help="path to the vtrial binary")
    ap.add_argument("--scenario", default=os.path.join(root, "scenarios", "nct06971913.yaml"))
    ap.add_argument("--trials", type=int, default=4000, help="simulated trials per N in the sweeps")
    ap.add_argument("--patients", default="60:140:20", help="enrollment targets: first:last:step or a list")
    ap.add_argument("--outdir", default=os.path.join(root, "build", "committee"))
    ap.add_argument("--threads", type=int, default=0, help="worker threads (0 = all cores); results do not depend on it")
    ap.add_argument("--target-power", type=float, default=0.8)
    ap.add_argument("--samplesize-max", type=int, default=1000, help="largest N the sample-size search considers")
    ap.add_argument("--samplesize-trials", type=int, default=2000, help="trials per N in the sample-size search")
    ap.add_argument("--sensitivity-trials", type=int, default=2000, help="trials per N in the sensitivity runs")
    ap.add_argument("--no-sensitivity", action="store_true", help="skip the sensitivity runs")
    ap.add_argument("--keep-h5", action="store_true", help="write the HDF5 files into --outdir instead of a temp dir")
    args = ap.parse_args()
    args.vtrial = os.path.abspath(args.vtrial)
    if not os.access(args.vtrial, os.X_OK):
        sys.exit(f"{args.vtrial}: not an executable vtrial binary (build it, or pass --vtrial)")
    args.scenario = os.path.abspath(args.scenario)
    os.makedirs(args.outdir, exist_ok=True)
    begin = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="committee_") as tmp:
        args.h5dir = args.outdir if args.keep_h5 else tmp
        files = []
        for model in MODELS:
            path = f"committee_{model}_sweep.h5"
            status, err = vtrial(args, "sweep", args.scenario, "--patients", args.patients, "--trials",
                                 str(args.trials), "--set", "model=" + model, "--output", path)
            if status != 0:
                sys.exit(f"vtrial sweep failed (exit {status}): {err}")
            files.append(path)
        for model in MODELS:
            path = f"committee_{model}_samplesize.h5"
            status, err = vtrial(args, "samplesize", args.scenario, "--set", "model=" + model, "--endpoint",
                                 "duration_of_viremia", "--target-power", str(args.target_power), "--max",
                                 str(args.samplesize_max), "--trials", str(args.samplesize_trials), "--output", path)
            if status == 0:
                files.append(path)
            else:  # the target beyond --max is an answer too; the page shows the sweeps without it
                print(f"  ({model}: no N up to {args.samplesize_max} reaches the target: {err})", flush=True)
        page = page_path(args, "committee_report.html")
        status, err = vtrial(args, "report", *files, "--output", page)
        if status != 0:
            sys.exit(f"vtrial report failed (exit {status}): {err}")
        written = [page]
        if not args.no_sensitivity:
            extra = []
            for model, label, sets in SENSITIVITY:
                path = f"sensitivity_{model}_{label}.h5"
                words = ["sweep", args.scenario, "--patients", args.patients, "--trials", str(args.sensitivity_trials),
                         "--set", "model=" + model, "--output", path]
                for s in sets:
                    words += ["--set", s]
                status, err = vtrial(args, *words)
                if status != 0:
                    sys.exit(f"vtrial sweep failed (exit {status}): {err}")
                extra.append(path)
            page = page_path(args, "committee_sensitivity.html")
            status, err = vtrial(args, "report", *extra, "--output", page)
            if status != 0:
                sys.exit(f"vtrial report failed (exit {status}): {err}")
            written.append(page)
    print("\n" + "\n".join(f"wrote {os.path.join(args.outdir, os.path.basename(p))}" for p in written) + (f"\nHDF5 files in {args.outdir}" if args.keep_h5 else "")
          + f"\n({time.monotonic() - begin:.0f} s)")


if __name__ == "__main__":
    main()
