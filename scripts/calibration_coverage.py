#!/usr/bin/env python3
"""Calibration checked on simulated truth: do the known values fall inside the posterior
intervals at their nominal rate?

Each repetition draws a true control median theta* from the prior, simulates one "published"
cohort under it (a point-mass prior at theta*, its own seed) and reports the cohort's
Kaplan-Meier median days to negativity plus a normal error of SD h, the calibration target's
sd. A run with the prior and that target then calibrates; the posterior's 50% and 90% central
intervals of the control median should contain theta* in 50% and 90% of the repetitions. With
the Gaussian kernel of width h, ABC is exact for this data-generating model (Wilkinson 2013),
so the coverage is nominal up to the importance sampling's Monte Carlo error (simulation-based
calibration: Cook, Gelman & Rubin 2006; Talts et al. 2018).

    PYTHONPATH=build/python /usr/bin/python3 scripts/calibration_coverage.py --reps 400 --trials 4000

Prints one JSON object: reps, coverage of each interval with its binomial SE, mean effective
trials. Uses the vtrial Python module (bindings/python).
"""
import argparse
import json
import math
import sys

import numpy as np

KEY = "parametric.control.median_days_to_negative"
LOW, HIGH = 12.0, 36.0  # the prior: uniform days
COHORT = 60             # patients in the published cohort
KERNEL_SD = 1.5         # days: the target's sd (its reporting error)


def scenario(prior, value, trials, seed):
    return {
        "model": "parametric",
        "simulation": {"trials": trials, "seed": seed},
        "uncertainty": {"priors": [dict(key=KEY, **prior)]},
        "calibration": {"targets": [{"statistic": "median_days_to_negative", "value": value,
                                     "sd": KERNEL_SD, "patients": COHORT}]},
    }


def run(vtrial, document, tmp):
    import yaml
    path = tmp / "calibration.yaml"
    path.write_text(yaml.safe_dump(document))
    return vtrial.run(str(path), threads=2)


def coverage(reps, trials, tmp, first_seed=1):
    import vtrial
    rng = np.random.default_rng(20261202)
    inside = {0.5: 0, 0.9: 0}
    ess = []
    done = 0
    seed = first_seed
    while done < reps:
        truth = float(rng.uniform(LOW, HIGH))
        error = float(rng.normal())
        seed += 1
        published = run(vtrial, scenario({"distribution": "fixed", "value": truth}, 21.0, 1, 100000 + seed), tmp)
        median = float(published["trials"]["calibration.median_days_to_negative"][0])
        if math.isnan(median):  # the cohort's median was not reached: no such publication
            continue
        observed = median + KERNEL_SD * error
        result = run(vtrial, scenario({"distribution": "uniform", "low": LOW, "high": HIGH}, observed, trials, seed),
                     tmp)
        post = result["calibration"]["posterior"]
        q = {name: float(post[name][0]) for name in post if name.startswith("posterior_q")}
        if q["posterior_q25"] <= truth <= q["posterior_q75"]:
            inside[0.5] += 1
        if q["posterior_q5"] <= truth <= q["posterior_q95"]:
            inside[0.9] += 1
        ess.append(float(result["calibration"]["summary"]["effective_trials"][0]))
        done += 1
    out = {"reps": reps, "trials": trials, "mean_effective_trials": float(np.mean(ess)), "coverage": {}}
    for level, hits in inside.items():
        out["coverage"][str(level)] = {"rate": hits / reps, "binomial_se": math.sqrt(level * (1 - level) / reps)}
    return out


def main():
    import pathlib
    import tempfile
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--trials", type=int, default=4000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(coverage(args.reps, args.trials, pathlib.Path(tmp))))


if __name__ == "__main__":
    sys.exit(main())
