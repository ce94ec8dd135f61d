#!/usr/bin/python3
"""Plot simulated patient courses from a vtrial result file (/trajectories, docs/output.md).

Three stacked panels on a shared time axis, a few patients per arm (colour = arm):
  1. CMV viral load (copies/mL, log scale): true course as lines, PCR results at visits as
     markers; a negative PCR (stored as 0) is an open marker on the LLOQ line (dashed).
  2. NK cells (cells/uL).
  3. Plasma ganciclovir concentration (mg/L).

The LLOQ is read from the scenario the run used (root attribute `scenario`, key
mechanistic.assay.lloq_copies_per_ml). Patients are chosen per arm to span the observed times
to negativity (fastest to slowest) and, when the file has /patients, to include a patient with
resistant virus if one was exported; --patients picks them by slot instead.

Example:
  vtrial run scenarios/nct06971913.yaml --set output.trajectory_patients=20 -o run.h5
  scripts/plot_trajectories.py run.h5 --output trajectories.png --patients-per-arm 3
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")  # headless: never needs a display

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402

ARM_NAMES = {0: "ganciclovir", 1: "IL-2 + ganciclovir"}
ARM_CMAPS = {0: "Blues", 1: "Oranges"}
DEFAULT_LLOQ = 500.0  # mechanistic.assay.lloq_copies_per_ml default (models/mechanistic)


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_run(path):
    """Returns (trajectories dict of columns, patients dict or None, attrs dict, scenario dict)."""
    with h5py.File(path, "r") as f:
        if "trajectories" not in f:
            raise SystemExit(f"{path}: no /trajectories group; run with --set output.trajectory_patients=N")
        traj = {name: f["trajectories"][name][()] for name in f["trajectories"]}
        patients = None
        if "patients" in f:
            patients = {name: f["patients"][name][()] for name in f["patients"]}
        attrs = {key: f.attrs[key] for key in f.attrs}
    scenario = {}
    if "scenario" in attrs:
        scenario = yaml.safe_load(_text(attrs["scenario"])) or {}
    return traj, patients, attrs, scenario


def lloq_of(scenario):
    try:
        return float(scenario["mechanistic"]["assay"]["lloq_copies_per_ml"])
    except (KeyError, TypeError):
        return DEFAULT_LLOQ


def patient_outcomes(traj, patients):
    """slot -> dict(arm, time, event, resistant) for every exported trajectory patient."""
    out = {}
    for slot in np.unique(traj["patient"]).astype(int):
        rows = traj["patient"] == slot
        obs = traj["observed_viral_load"][rows]
        t = traj["time_days"][rows]
        visits = ~np.isnan(obs)
        last_t = float(t[visits][-1]) if visits.any() else float(t[-1])
        event = bool(visits.any() and obs[visits][-1] == 0)
        out[slot] = {"arm": int(traj["arm"][rows][0]), "time": last_t, "event": event, "resistant": None}
    if patients is not None and "resistant" in patients:
        in_trial0 = patients["trial"] == 0
        for slot, info in out.items():
            match = in_trial0 & (patients["patient"] == slot)
            if match.any():
                i = int(np.flatnonzero(match)[0])
                info["resistant"] = bool(patients["resistant"][i])
                info["time"] = float(patients["time_days"][i])
                info["event"] = bool(patients["event"][i])
    return out


def choose_patients(outcomes, per_arm):
    """Per arm: spread over the time to negativity (censored = slowest), plus a resistant case."""
    chosen = []
    for arm in sorted({o["arm"] for o in outcomes.values()}):
        slots = [s for s, o in outcomes.items() if o["arm"] == arm]
        # Order fastest to slowest; still positive at the end sorts after every negative.
        slots.sort(key=lambda s: (not outcomes[s]["event"], outcomes[s]["time"], s))
        if len(slots) <= per_arm:
            picks = slots
        else:
            idx = np.unique(np.round(np.linspace(0, len(slots) - 1, per_arm)).astype(int))
            picks = [slots[i] for i in idx]
            resistant = [s for s in slots if outcomes[s]["resistant"]]
            if resistant and not any(outcomes[s]["resistant"] for s in picks) and per_arm >= 2:
                # Replace the pick just below the slowest with the slowest resistant patient.
                picks[-2 if per_arm >= 3 else 0] = resistant[-1]
                picks.sort(key=slots.index)
        chosen.extend(picks)
    return chosen


def label_of(slot, info):
    if info["event"]:
        outcome = f"negative day {info['time']:.0f}"
    else:
        outcome = f"still positive, day {info['time']:.0f}"
    resistant = ", resistant" if info["resistant"] else ""
    return f"{ARM_NAMES.get(info['arm'], 'arm %d' % info['arm'])}, pt {slot}: {outcome}{resistant}"


def pk_from_samples(t_days, conc, interval_h, infusion_h):
    """Half-life (h) and median end-of-infusion peak (mg/L) implied by the stored samples.

    Between infusions the one-compartment concentration decays mono-exponentially, so a
    log-linear fit within each dosing interval gives k, and each sample extrapolated back to the
    end of the infusion gives that interval's peak (a check on the stored end-of-infusion point). Returns (nan, nan) without two samples in an interval.
    """
    hours = np.asarray(t_days) * 24.0
    phase = np.mod(hours, interval_h)
    dose = np.floor(hours / interval_h + 1e-9).astype(int)
    keep = (phase > infusion_h + 1e-6) & (np.asarray(conc) > 0)
    slopes, peaks_by_dose = [], {}
    for d in np.unique(dose[keep]):
        m = keep & (dose == d)
        if m.sum() >= 2 and np.ptp(phase[m]) > 0.5:
            slopes.append(-np.polyfit(phase[m], np.log(conc[m]), 1)[0])
    if not slopes:
        return float("nan"), float("nan")
    k = float(np.median(slopes))
    if not k > 0:
        return float("nan"), float("nan")
    back = conc[keep] * np.exp(k * (phase[keep] - infusion_h))
    for d, c in zip(dose[keep], back):
        peaks_by_dose[d] = max(peaks_by_dose.get(d, 0.0), c)
    return float(np.log(2) / k), float(np.median(list(peaks_by_dose.values())))


def plot(traj, outcomes, slots, scenario, attrs, output, source_name):
    lloq = lloq_of(scenario)
    gcv = (scenario.get("mechanistic") or {}).get("gcv") or {}
    interval_h = float(gcv.get("interval_hours", 24))
    infusion_h = float(gcv.get("infusion_hours", 1))
    half_lives, peaks = [], []
    fig, (ax_v, ax_nk, ax_c) = plt.subplots(3, 1, sharex=True, figsize=(10, 11.5),
                                            gridspec_kw={"height_ratios": [1.5, 1, 1]})
    per_arm_index = {}
    per_arm_total = {arm: sum(1 for s in slots if outcomes[s]["arm"] == arm) for arm in ARM_CMAPS}
    for slot in slots:
        info = outcomes[slot]
        arm = info["arm"]
        k = per_arm_index.get(arm, 0)
        per_arm_index[arm] = k + 1
        shade = 0.5 + 0.45 * (k / max(per_arm_total.get(arm, 1) - 1, 1))
        colour = plt.get_cmap(ARM_CMAPS.get(arm, "Greys"))(shade)
        rows = traj["patient"] == slot
        t = traj["time_days"][rows]
        order = np.argsort(t, kind="stable")
        t = t[order]
        v = traj["viral_load"][rows][order]
        obs = traj["observed_viral_load"][rows][order]
        nk = traj["nk_cells"][rows][order]
        conc = traj["gcv_concentration"][rows][order]
        half_life, peak = pk_from_samples(t, conc, interval_h, infusion_h)
        label = label_of(slot, info)
        if np.isfinite(half_life):
            half_lives.append(half_life)
            peaks.append(peak)
            label += f" (GCV t\u00bd {half_life:.1f} h)"

        ax_v.plot(t, v, color=colour, lw=1.6, label=label)
        visit = ~np.isnan(obs)
        positive = visit & (obs > 0)
        negative = visit & (obs == 0)
        ax_v.plot(t[positive], obs[positive], "o", color=colour, ms=6, mec="black", mew=0.6)
        ax_v.plot(t[negative], np.full(negative.sum(), lloq), "o", mfc="white", mec=colour, mew=2, ms=8)
        ax_nk.plot(t, nk, color=colour, lw=1.6)
        ax_nk.plot(t[visit], nk[visit], "o", color=colour, ms=4)
        ax_c.plot(t, conc, color=colour, lw=0.6, marker=".", ms=3)

    ax_v.axhline(lloq, color="grey", ls="--", lw=1.2, label=f"LLOQ {lloq:g} copies/mL")
    ax_v.set_yscale("log")
    ax_v.set_ylabel("CMV DNA (copies/mL)")
    ax_v.set_title("Viral load: true course (line), PCR at visits (filled), negative PCR (open, at LLOQ)")
    handles, labels = ax_v.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.015))
    ax_v.grid(True, which="major", alpha=0.3)

    ax_nk.set_ylabel("NK cells (cells/\u00b5L)")
    ax_nk.set_title("NK cells (true count; dots at visits)")
    ax_nk.grid(True, alpha=0.3)
    ax_nk.set_ylim(bottom=0)

    ax_c.set_ylabel("Ganciclovir (mg/L)")
    ax_c.set_title("Plasma ganciclovir concentration (trajectory points every 6 h, at each infusion's start "
                   "and end (its peak) and at visits)", fontsize=10)
    ax_c.set_xlabel("Days since randomization")
    ax_c.grid(True, alpha=0.3)
    ax_c.set_ylim(bottom=0)
    if half_lives:
        ax_c.text(0.99, 0.95, f"implied by the samples (log-linear between infusions): t½ "
                  f"{min(half_lives):.1f}-{max(half_lives):.1f} h, end-of-infusion peak "
                  f"{min(peaks):.1f}-{max(peaks):.1f} mg/L", transform=ax_c.transAxes, ha="right", va="top",
                  fontsize=8, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
    follow_up = (scenario.get("trial") or {}).get("follow_up_days")
    t_max = max(outcomes[s]["time"] for s in slots) if slots else 1
    ax_c.set_xlim(0, max(t_max + 1, 7) if follow_up is None else min(float(follow_up), t_max + 1))

    name = scenario.get("name", "?")
    seed = _text(attrs.get("seed", "?"))
    model = scenario.get("model", "?")
    version = _text(attrs.get("version", "?"))
    fig.suptitle(f"Simulated patient courses, trial 0 ({model} model)", fontsize=13)
    fig.text(0.01, 0.005, f"Scenario {name}, seed {seed}, vtrial {version}; source {source_name}; "
             f"{len(slots)} of {len(outcomes)} exported patients shown", fontsize=8, color="dimgrey")
    n_rows = (len(labels) + 1) // 2
    fig.tight_layout(rect=(0, 0.03 + 0.018 * n_rows, 1, 0.98))
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="vtrial result file (HDF5) with /trajectories")
    parser.add_argument("--output", "-o", default="trajectories.png", help="PNG to write (default %(default)s)")
    parser.add_argument("--patients-per-arm", "-k", type=int, default=3,
                        help="patients drawn per arm (default %(default)s)")
    parser.add_argument("--patients", type=int, nargs="+", metavar="SLOT",
                        help="plot exactly these patient slots instead of choosing")
    args = parser.parse_args(argv)
    if args.patients_per_arm < 1:
        parser.error("--patients-per-arm must be at least 1")

    traj, patients, attrs, scenario = read_run(args.input)
    if traj["patient"].size == 0:
        raise SystemExit(f"{args.input}: /trajectories is empty")
    outcomes = patient_outcomes(traj, patients)
    if args.patients:
        missing = [s for s in args.patients if s not in outcomes]
        if missing:
            parser.error(f"no trajectory for patient(s) {missing}; exported: {sorted(outcomes)}")
        slots = list(args.patients)
    else:
        slots = choose_patients(outcomes, args.patients_per_arm)
    plot(traj, outcomes, slots, scenario, attrs, args.output, args.input.split("/")[-1])
    print(f"wrote {args.output}: patients {slots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
