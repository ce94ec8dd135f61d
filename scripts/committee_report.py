#!/usr/bin/python3
"""The protocol committee's question for NCT06971913: which enrollment target to register, and
what each one risks. Runs `vtrial sweep` and `vtrial samplesize` for both patient models, reads
the /sweep tables of the HDF5 files they write, and produces

  <outdir>/committee_sweep.png   power and P(finish by the deadline) against N, per model
  <outdir>/committee_table.md    the numbers behind it, per model, plus the sample-size searches
                                 and a small sensitivity analysis of the assumptions

Everything is deterministic: the seed is the scenario's (simulation.seed) and vtrial's results do
not depend on --threads. Usage (from the repository root):

  /usr/bin/python3 scripts/committee_report.py --vtrial build/vtrial

Uses Debian's /usr/bin/python3 (numpy, h5py, matplotlib, yaml).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

MODELS = ("parametric", "mechanistic")
# Endpoint families drawn in the figure (those a model does not compute are skipped).
FAMILIES = ("duration_of_viremia", "nk_change", "clinical_response", "primary_wins", "all_key_secondaries_win")
LABELS = {
    "duration_of_viremia": "duration of viremia (primary, log-rank)",
    "nk_change": "NK change (Welch t)",
    "clinical_response": "clinical response (Fisher)",
    "primary_wins": "primary wins (after multiplicity)",
    "all_key_secondaries_win": "primary + all key secondaries win",
}
STYLES = {
    "duration_of_viremia": dict(color="C0", marker="o"),
    "nk_change": dict(color="C1", marker="s"),
    "clinical_response": dict(color="C2", marker="^"),
    "primary_wins": dict(color="C0", marker="", linestyle=":", linewidth=2.5),
    "all_key_secondaries_win": dict(color="C3", marker="D"),
}

# Sensitivity analysis: each row is (model, label, --set overrides). The mechanistic pairs keep
# d0 + kN x 100 = 0.7/d so the control arm stays calibrated (docs/model.md, "Implied effect").
SENSITIVITY = [
    ("parametric", "HR 1.25", ["parametric.il2.hazard_ratio=1.25"]),
    ("parametric", "HR 1.5 (scenario)", []),
    ("parametric", "HR 1.75", ["parametric.il2.hazard_ratio=1.75"]),
    ("parametric", "HR 2.0", ["parametric.il2.hazard_ratio=2.0"]),
    ("mechanistic", "kN 0.001, fold 2.0 (d0 0.6)",
     ["mechanistic.nk.kill_rate=0.001", "mechanistic.virus.d0_per_day=0.6"]),
    ("mechanistic", "kN 0.002, fold 1.5", ["mechanistic.il2.nk_fold_rise=1.5"]),
    ("mechanistic", "kN 0.002, fold 2.0 (scenario)", []),
    ("mechanistic", "kN 0.002, fold 2.5", ["mechanistic.il2.nk_fold_rise=2.5"]),
    ("mechanistic", "kN 0.004, fold 2.0 (d0 0.3)",
     ["mechanistic.nk.kill_rate=0.004", "mechanistic.virus.d0_per_day=0.3"]),
    ("parametric", "enrollment: 8 sites, 3/site/month (scenario)", []),
    ("parametric", "enrollment: 12 sites", ["enrollment.sites=12"]),
    ("parametric", "enrollment: 16 sites", ["enrollment.sites=16"]),
    ("parametric", "enrollment: 8 sites, 6/site/month", ["enrollment.screening_rate_per_site_month=6"]),
    ("parametric", "enrollment: 16 sites, 6/site/month, all open at day 0",
     ["enrollment.sites=16", "enrollment.screening_rate_per_site_month=6", "enrollment.site_opening_days=0"]),
]


def wilson(p, n, z=1.959963984540054):
    """95% Wilson interval of a proportion p observed in n trials."""
    if n <= 0:
        return (math.nan, math.nan)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def run(cmd):
    """Runs a vtrial command; returns (exit status, stdout, stderr)."""
    print("  $ " + " ".join(cmd), flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def read_sweep(path):
    """The /sweep table as {endpoint: {column: array over N}}, plus the file's attributes."""
    with h5py.File(path, "r") as f:
        g = f["sweep"]
        names = [e.decode() if isinstance(e, bytes) else str(e) for e in g["endpoint"][:]]
        cols = {k: g[k][:] for k in g if k != "endpoint"}
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
    table = {}
    for name in dict.fromkeys(names):
        rows = np.array([i for i, n in enumerate(names) if n == name])
        order = rows[np.argsort(cols["patients"][rows])]
        table[name] = {k: v[order] for k, v in cols.items()}
    return table, attrs


def sweep(args, model, patients, trials, extra_sets, out_h5):
    cmd = [args.vtrial, "sweep", args.scenario, "--patients", patients, "--trials", str(trials),
           "--set", "model=" + model, "--output", out_h5, "--json"]
    for s in extra_sets:
        cmd += ["--set", s]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    status, out, err = run(cmd)
    if status != 0:
        sys.exit("vtrial sweep failed (exit %d):\n%s%s" % (status, out, err))
    return read_sweep(out_h5)


def samplesize(args, model, out_h5):
    cmd = [args.vtrial, "samplesize", args.scenario, "--set", "model=" + model, "--endpoint", "duration_of_viremia",
           "--target-power", str(args.target_power), "--max", str(args.samplesize_max), "--trials",
           str(args.samplesize_trials), "--output", out_h5, "--json"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    start = time.monotonic()
    status, out, err = run(cmd)
    result = {"command": " ".join(["vtrial"] + cmd[1:]), "status": status, "seconds": time.monotonic() - start}
    if status == 0:
        result["json"] = json.loads(out)
    else:
        result["message"] = (err.strip() or out.strip()).splitlines()[-1] if (err.strip() or out.strip()) else ""
    return result


def fmt(x, digits=3):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def model_table(table, attrs, deadline):
    trials = int(attrs["trials"])
    prim = table["duration_of_viremia"]
    allk = table.get("all_key_secondaries_win")
    lines = [
        f"| N | power, primary (duration of viremia) [95% CI] | power, primary + all key secondaries | "
        f"primary: change vs previous N | paired SE | independent SE | P(enrolled by {deadline}) [95% CI] | "
        f"P(completed by {deadline}) [95% CI] | median days to full enrollment | mean screened |",
        "|---:|---|---|---:|---:|---:|---|---|---:|---:|",
    ]
    for i, n in enumerate(prim["patients"]):
        diff = prim["difference"][i]
        pe, pc = prim["p_enrolled_by_deadline"][i], prim["p_completed_by_deadline"][i]
        pe_ci, pc_ci = wilson(pe, trials), wilson(pc, trials)
        lines.append(
            f"| {n} | {prim['power'][i]:.3f} [{prim['ci_low'][i]:.3f}, {prim['ci_high'][i]:.3f}] | "
            + (f"{allk['power'][i]:.3f} [{allk['ci_low'][i]:.3f}, {allk['ci_high'][i]:.3f}]" if allk else "n/a")
            + " | "
            + ("-" if math.isnan(diff) else f"{diff:+.4f}") + " | "
            + ("-" if math.isnan(diff) else f"{prim['difference_se_paired'][i]:.4f}") + " | "
            + ("-" if math.isnan(diff) else f"{prim['difference_se_unpaired'][i]:.4f}") + " | "
            + f"{pe:.3f} [{pe_ci[0]:.3f}, {pe_ci[1]:.3f}] | {pc:.3f} [{pc_ci[0]:.3f}, {pc_ci[1]:.3f}] | "
            + f"{prim['median_enrollment_days'][i]:.0f} | {prim['mean_screened'][i]:.1f} |"
        )
    return lines


def secondary_table(table):
    """Power of every endpoint family the model computes, per N (point estimates)."""
    present = [e for e in FAMILIES if e in table]
    ns = table[present[0]]["patients"]
    lines = ["| N | " + " | ".join(present) + " |", "|---:|" + "---:|" * len(present)]
    for i, n in enumerate(ns):
        lines.append(f"| {n} | " + " | ".join(f"{table[e]['power'][i]:.3f}" for e in present) + " |")
    return lines


def samplesize_text(result, model, args):
    if result["status"] != 0:
        return [f"- **{model}**: target not reached. `{result['command']}` exited with status "
                f"{result['status']}: \"{result['message']}\""]
    j = result["json"]
    evaluated = {p["patients"]: p for p in j["evaluated"]}
    design = evaluated.get(j["patients"], {}).get("design", {})
    tried = ", ".join(str(p["patients"]) for p in j["evaluated"])
    extra = ""
    if design:
        extra = (f"; at that N the median time to full enrollment is {design.get('median_enrollment_days', math.nan):.0f}"
                 f" days and P(enrolled by the deadline) = {design.get('p_enrolled_by_deadline', math.nan):.3f}")
    return [f"- **{model}**: smallest N = **{j['patients']}** (power {j['power']:.3f} "
            f"[{j['ci_low']:.3f}, {j['ci_high']:.3f}], {j['trials']} trials; criterion: the 95% lower bound "
            f"reaches {args.target_power}){extra}. N simulated during the search: {tried}."]


def plot(results, deadline, path):
    fig, axes = plt.subplots(2, len(results), figsize=(6.2 * len(results), 8.6), sharex=True,
                             gridspec_kw={"height_ratios": [3, 2]}, squeeze=False)
    for col, (model, (table, attrs)) in enumerate(results.items()):
        ax = axes[0][col]
        for e in FAMILIES:
            if e not in table:
                continue
            t = table[e]
            n = t["patients"]
            err = np.vstack([t["power"] - t["ci_low"], t["ci_high"] - t["power"]])
            style = dict(STYLES[e])
            ax.errorbar(n, t["power"], yerr=err, capsize=3, label=LABELS[e], **style)
        ax.axhline(0.8, color="grey", linestyle="--", linewidth=1)
        ax.text(table["duration_of_viremia"]["patients"][-1], 0.785, "80% ", color="grey", fontsize=8,
                ha="right", va="top")
        ax.set_ylim(-0.02, 1.04)
        ax.set_ylabel("power (share of trials with p < alpha)")
        ax.set_title(f"model: {model}  ({int(attrs['trials'])} trials per N, seed {int(attrs['seed'])})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.955))

        ax2 = axes[1][col]
        t = table["duration_of_viremia"]
        n = t["patients"]
        trials = int(attrs["trials"])
        for key, label, style in (("p_enrolled_by_deadline", f"P(enrolled by {deadline})", dict(color="C4", marker="o")),
                                  ("p_completed_by_deadline", f"P(completed by {deadline})",
                                   dict(color="C5", marker="s"))):
            p = t[key]
            ci = np.array([wilson(x, trials) for x in p])
            ax2.errorbar(n, p, yerr=np.vstack([p - ci[:, 0], ci[:, 1] - p]), capsize=3, label=label, **style)
        ax2.set_ylim(-0.02, 1.04)
        ax2.set_xlabel("enrollment target N (patients randomized)")
        ax2.set_ylabel("probability")
        ax2.grid(alpha=0.3)
        ax3 = ax2.twinx()
        ax3.plot(n, t["median_enrollment_days"], color="k", linestyle="--", marker="x",
                 label="median days to full enrollment (right axis)")
        ax3.set_ylabel("days from study start")
        ax3.set_ylim(0, max(1.05 * float(np.max(t["median_enrollment_days"])), 1))
        h1, l1 = ax2.get_legend_handles_labels()
        h2, l2 = ax3.get_legend_handles_labels()
        ax2.legend(h1 + h2, l1 + l2, fontsize=8, loc="center right")
        ax2.set_xticks(n)
    fig.suptitle("NCT06971913: power and deadline risk against the enrollment target "
                 "(error bars: 95% Wilson intervals)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vtrial", default=os.path.join(root, "build", "vtrial"), help="path to the vtrial binary")
    ap.add_argument("--scenario", default=os.path.join(root, "scenarios", "nct06971913.yaml"))
    ap.add_argument("--trials", type=int, default=4000, help="simulated trials per N in the sweeps")
    ap.add_argument("--patients", default="60:140:20", help="enrollment targets: first:last:step or a list")
    ap.add_argument("--outdir", default=os.path.join(root, "docs"))
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
    os.makedirs(args.outdir, exist_ok=True)

    with open(args.scenario) as f:
        scenario_yaml = yaml.safe_load(f) or {}
    begin = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="committee_") as tmp:
        h5dir = args.outdir if args.keep_h5 else tmp
        results, found = {}, {}
        for model in MODELS:
            print(f"[{model}] sweep", flush=True)
            results[model] = sweep(args, model, args.patients, args.trials, [],
                                   os.path.join(h5dir, f"committee_{model}_sweep.h5"))
        for model in MODELS:
            print(f"[{model}] samplesize", flush=True)
            found[model] = samplesize(args, model, os.path.join(h5dir, f"committee_{model}_samplesize.h5"))
        sensitivity = []
        if not args.no_sensitivity:
            for i, (model, label, sets) in enumerate(SENSITIVITY):
                print(f"[sensitivity] {model}: {label}", flush=True)
                table, attrs = sweep(args, model, args.patients, args.sensitivity_trials, sets,
                                     os.path.join(tmp, f"sensitivity_{i}.h5"))
                sensitivity.append((model, label, sets, table, attrs))

    # The deadline and seed as the binary resolved them (stored in every file).
    first_attrs = next(iter(results.values()))[1]
    resolved = yaml.safe_load(first_attrs["scenario"])
    deadline = str(resolved.get("enrollment", {}).get("completion_date", "the completion date"))
    start = str(resolved.get("enrollment", {}).get("start_date", "?"))
    seed = int(first_attrs["seed"])

    png = os.path.join(args.outdir, "committee_sweep.png")
    plot(results, deadline, png)

    md = [
        "# NCT06971913: enrollment target against power and deadline risk (generated)",
        "",
        "Generated by `scripts/committee_report.py` from the `/sweep` tables of `vtrial sweep` and "
        "`vtrial samplesize`; do not edit by hand. Scenario `" + os.path.relpath(args.scenario, root) + "`"
        f" (default model in the file: `{scenario_yaml.get('model', 'parametric')}`; both models are run with "
        f"`--set model=...`), seed {seed}, {args.trials} trials per N, common random numbers across N. "
        f"Study start {start}, deadline = registered completion date {deadline}. "
        "P(completed) counts a trial as completed when the last patient's last visit (negativity, "
        "dropout or end of follow-up) falls on or before the deadline.",
        "",
    ]
    for model, (table, attrs) in results.items():
        md += [f"## Model: {model}", ""]
        md += model_table(table, attrs, deadline)
        md += ["", f"Power of each endpoint family ({model}; point estimates, MC SE at most "
               f"{0.5 / math.sqrt(int(attrs['trials'])):.4f}):", ""]
        md += secondary_table(table)
        md += [""]
    md += ["## Smallest N for the primary endpoint (`vtrial samplesize`)", "",
           f"Target power {args.target_power} for `duration_of_viremia`, searched up to N = {args.samplesize_max} "
           f"with {args.samplesize_trials} trials per N (same seed, so the curve searched is the common-random-number "
           "curve):", ""]
    for model in MODELS:
        md += samplesize_text(found[model], model, args)
    md += [""]
    if sensitivity:
        ns = list(sensitivity[0][3]["duration_of_viremia"]["patients"])
        md += ["## Sensitivity to the assumptions", "",
               f"{args.sensitivity_trials} trials per N (MC SE of a power at most "
               f"{0.5 / math.sqrt(args.sensitivity_trials):.3f}); power of the primary endpoint, and in brackets "
               f"P(enrolled by {deadline}). Overrides are `--set` keys.", "",
               "| model | assumption | overrides | " + " | ".join(f"N={n}" for n in ns) + " |",
               "|---|---|---|" + "---|" * len(ns)]
        for model, label, sets, table, attrs in sensitivity:
            t = table["duration_of_viremia"]
            cells = [f"{p:.3f} ({e:.3f})" for p, e in zip(t["power"], t["p_enrolled_by_deadline"])]
            md.append(f"| {model} | {label} | " + (", ".join(f"`{s}`" for s in sets) or "-") + " | "
                      + " | ".join(cells) + " |")
        md += [""]
    table_md = os.path.join(args.outdir, "committee_table.md")
    with open(table_md, "w") as f:
        f.write("\n".join(md))
    print(f"\nwrote {png}\nwrote {table_md}" + (f"\nHDF5 files in {args.outdir}" if args.keep_h5 else "")
          + f"\n({time.monotonic() - begin:.0f} s)")


if __name__ == "__main__":
    main()
