"""What a run file shows: every endpoint's power, the Kaplan-Meier curves of exported patients,
example patients' courses, enrollment against the deadline, group-sequential boundaries."""
import math

import numpy as np

from . import kaplan_meier as km
from . import labels
from .html_parts import esc, figure, interval, num, table
from .svg_figure import new_figure, to_svg

KIND_TITLES = {
    "endpoint": "Each endpoint, unadjusted",
    "family": "After multiplicity (the family's decisions)",
    "group_sequential": "The group-sequential design's decision",
}


# Columns of /summary a run with priors (`uncertainty:`, `calibration:`, analysis.type1_error)
# adds; each shown only where the file has it.
OPTIONAL_COLUMNS = [
    ("prior_power", "assurance before calibration", 4),
    ("effective_trials", "effective trials (Kish)", 1),
    ("type1_error", "type-I error (null twins)", 4),
]


def endpoint_tables(f):
    s = f.summary
    count = len(s["endpoint"])
    kinds = s.get("kind", ["endpoint"] * count)
    measure = labels.measure_word(f, capital=True)
    optional = [(c, head, digits) for c, head, digits in OPTIONAL_COLUMNS
                if c in s and not isinstance(s[c], list) and np.any(np.isfinite(s[c]))]
    out = []
    for kind in list(dict.fromkeys(kinds)):
        body = []
        for r in (i for i in range(count) if kinds[i] == kind):
            src = (lambda col: (f.index, f"/summary/{col}", r))
            text = (lambda col: esc(s[col][r]) if col in s else "")
            about = " · ".join(t for t in (text("comparison"), text("test"), text("estimate")) if t)
            body.append([esc(s["endpoint"][r]) + (f"<br><small>{about}</small>" if about else ""),
                         f"{num(s['power'][r], 4, src('power'))} "
                         f"{interval(s['ci_low'][r], s['ci_high'][r], 4, src('ci_low'), src('ci_high'))}",
                         num(s["mc_se"][r], 4, src("mc_se")),
                         (num(s["rejections"][r], 0, src("rejections")) + " / " if "rejections" in s else "")
                         + num(s["trials"][r], 0, src("trials"))]
                        + [num(s[c][r], digits, src(c)) for c, _, digits in optional])
        out.append(table(["result (comparison · test · estimate)", f"{measure} [95% Wilson CI]", "MC SE",
                          "rejecting / trials"] + [head for _, head, _ in optional], body,
                         caption=esc(KIND_TITLES.get(kind, kind)), numeric_from=1))
    return "\n".join(out)


def _arm_names(f):
    names = f.arms.get("name") if f.arms else None
    return list(names) if names else labels.arm_names(f)


def _km_figure(f, fig_id, rows, title, what, trial0=False):
    p = f.patients
    arms = _arm_names(f)
    follow_up = float(f.setting("trial.follow_up_days", 84) or 84)
    visit = float(f.setting("trial.visit_interval_days", 7) or 7)
    days = np.arange(0.0, follow_up + 1e-9, visit)
    fig, ax = new_figure(6.4, 3.6)
    columns, medians = [], []
    for a, name in enumerate(arms):
        sel = rows & (p["arm"] == a)
        if not np.any(sel):
            continue
        t, s, n_risk, _ = km.curve(p["time_days"][sel], p["event"][sel])
        x, y = np.append(t, follow_up), np.append(s, s[-1])
        if len(x) > 2000:  # many patients with distinct times: the curve on a 0.05-day grid
            x = np.linspace(0.0, follow_up, int(follow_up * 20) + 1)
            y = s[np.maximum(np.searchsorted(t, x, side="right") - 1, 0)]
        ax.step(x, y, where="post", color=f"C{a}", label=f"{name} ({int(np.sum(sel))} patients)")
        columns.append((name, [num(km.at(t, s, d), 3) for d in days],
                        [str(int(np.sum(p["time_days"][sel] >= d))) for d in days]))
        median = km.median(t, s)
        cells = [esc(name), f'<span data-check="km_median_{esc(name)}">{num(median, 1)}</span>',
                 f'<span data-check="negative_by_day28_{esc(name)}">{num(1 - km.at(t, s, 28.0), 3)}</span>']
        if trial0:
            cells += [num(f.trial0.get(f"km_median_{name}", math.nan), 1,
                          (f.index, f"/trials/km_median_{name}", 0)),
                      num(f.trial0.get(f"negative_by_day28_{name}", math.nan), 3,
                          (f.index, f"/trials/negative_by_day28_{name}", 0))]
        medians.append(cells)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, follow_up)
    ax.set_xlabel("days since randomization")
    ax.set_ylabel("share still CMV DNA positive")
    ax.legend(loc="best")
    svg = to_svg(fig, fig_id, title)
    head = ["day"] + [f"still positive, {esc(c[0])}" for c in columns] + [f"at risk, {esc(c[0])}" for c in columns]
    body = [[f"{d:g}"] + [c[1][i] for c in columns] + [c[2][i] for c in columns] for i, d in enumerate(days)]
    med_head = ["arm", "median days (curve)", "negative by day 28 (curve)"]
    if trial0:  # the run's own values for this trial, computed by the simulator
        med_head += ["median days (/trials)", "negative by day 28 (/trials)"]
    tables = (table(head, body, caption="Kaplan-Meier share still positive, and patients at risk, at visit days",
                    numeric_from=0) + table(med_head, medians, caption="medians", numeric_from=1))
    caption = (f"Kaplan-Meier curves of the time to CMV DNA negativity per arm: {what}. Patients leave the study when "
               f"negative; dropouts and the end of follow-up censor (visits every {visit:g} days).")
    return figure(fig_id, title, svg, caption, tables)


def kaplan_meier_figures(f):
    p = f.patients
    if not p or not all(c in p for c in ("trial", "arm", "time_days", "event")) or not len(p["trial"]):
        return []
    trials = np.unique(p["trial"])
    out = []
    if len(trials) > 1:
        out.append(_km_figure(f, f"fig{f.index}-km-pooled", np.ones(len(p["trial"]), bool),
                              f"Kaplan-Meier per arm, {len(trials)} exported trials pooled ({labels.model(f)} model)",
                              f"all {len(p['trial'])} patients of the first {len(trials)} simulated trials pooled "
                              "(output.patient_trials)"))
    first = int(trials[0])
    out.append(_km_figure(f, f"fig{f.index}-km-trial", p["trial"] == first,
                          f"Kaplan-Meier per arm, example trial {first} ({labels.model(f)} model)",
                          f"the {int(np.sum(p['trial'] == first))} patients of simulated trial {first}, one trial as "
                          "the committee would see it", trial0=first == 0))
    return out


def trajectories_figure(f):
    t = f.trajectories
    needed = ("patient", "arm", "time_days", "viral_load", "observed_viral_load", "nk_cells", "gcv_concentration")
    if not t or not all(c in t for c in needed) or not len(t["patient"]):
        return ""
    arms = _arm_names(f)
    patients = list(dict.fromkeys(int(x) for x in t["patient"]))
    title = f"Example patients of trial 0: viral load, NK cells, ganciclovir ({labels.model(f)} model)"
    fig, axes = new_figure(6.4, 7.4, nrows=3, sharex=True)
    lloq = float(f.setting("mechanistic.assay.lloq_copies_per_ml", 0) or 0)
    floor = 10.0  # the axis' lower end: a negative PCR result is drawn there (hollow)
    body = []
    for a in sorted(set(int(x) for x in t["arm"])):  # the legend in the arms' order
        axes[0].plot([], [], color=f"C{a}", label=arms[a] if a < len(arms) else str(a))
    for pid in patients:
        sel = t["patient"] == pid
        arm = int(t["arm"][sel][0])
        colour = f"C{arm}"
        x = t["time_days"][sel]
        axes[0].plot(x, np.maximum(t["viral_load"][sel], floor), color=colour, linewidth=0.9, alpha=0.8)
        observed = t["observed_viral_load"][sel]
        obs = ~np.isnan(observed)
        positive = obs & (observed >= max(lloq, floor))
        axes[0].plot(x[positive], observed[positive], "o", color=colour, markersize=3)
        axes[0].plot(x[obs & ~positive], np.full(int(np.sum(obs & ~positive)), floor), "o", markerfacecolor="none",
                     color=colour, markersize=4)
        axes[1].plot(x, t["nk_cells"][sel], color=colour, linewidth=0.9, alpha=0.8)
        axes[2].plot(x, t["gcv_concentration"][sel], color=colour, linewidth=0.6, alpha=0.7)
        for i in np.flatnonzero(obs):
            body.append([str(pid), esc(arms[arm] if arm < len(arms) else str(arm)), num(x[i], 1),
                         num(t["viral_load"][sel][i], 0), num(t["observed_viral_load"][sel][i], 0),
                         num(t["nk_cells"][sel][i], 1), num(t["gcv_concentration"][sel][i], 2)])
    if lloq:
        axes[0].axhline(lloq, color="grey", linestyle="--", linewidth=1, label=f"assay limit {lloq:g} copies/mL")
    axes[0].set_yscale("log")
    axes[0].set_ylim(bottom=floor * 0.8)
    axes[0].set_ylabel("CMV DNA, copies/mL")
    axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3)
    axes[1].set_ylabel("NK cells, cells/µL")
    axes[2].set_ylabel("ganciclovir, mg/L")
    axes[2].set_xlabel("days since randomization")
    svg = to_svg(fig, f"fig{f.index}-trajectories", title)
    caption = (f"The simulated course of {len(patients)} patients of trial 0 (output.trajectory_patients), by arm "
               "colour. Top: true plasma CMV DNA (line) and the PCR result at each visit (dots; hollow at the axis' "
               "foot: negative, below the assay limit). Middle: NK cells. "
               "Bottom: ganciclovir plasma concentration. The table gives the values at the visits.")
    return figure(f"fig{f.index}-trajectories", title, svg, caption,
                  table(["patient", "arm", "day", "true CMV DNA, copies/mL", "observed, copies/mL", "NK cells/µL",
                         "ganciclovir mg/L"], body, numeric_from=2))


def enrollment_figure(f):
    sample = f.trials_sample or {}
    if "enrollment_days" not in sample or not len(sample["enrollment_days"]):
        return ""
    deadline = labels.deadline_days(f)
    date = labels.deadline_date(f)
    when = date.isoformat() if date else "the completion date"
    title = f"Enrollment and completion against the deadline ({labels.model(f)} model)"
    fig, ax = new_figure(6.4, 3.6)
    rows = []
    for key, label, k in (("enrollment_days", "all patients randomized", 4), ("last_visit_days", "last visit done", 5)):
        if key not in sample:
            continue
        x = np.sort(sample[key][~np.isnan(sample[key])])
        # Drawn on a grid of whole days: the same curve as every trial's step, a small drawing.
        grid = np.arange(0.0, (math.ceil(x[-1]) if len(x) else 0.0) + 2.0)
        share = np.searchsorted(x, grid, side="right") / max(len(x), 1)
        ax.step(grid, share, where="post", color=f"C{k}", label=label)
        q = np.quantile(x, [0.1, 0.25, 0.5, 0.75, 0.9]) if len(x) else [math.nan] * 5
        rows.append([esc(label)] + [num(v, 0) for v in q] + [num(np.mean(x <= deadline), 3)])
    if not math.isnan(deadline):
        ax.axvline(deadline, color="C3", linestyle="--", linewidth=1, label=f"deadline: day {deadline:.0f} ({when})")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"days since study start ({labels.start_date(f) or 'day 0'})")
    ax.set_ylabel("share of trials done by that day")
    ax.legend(loc="best")
    svg = to_svg(fig, f"fig{f.index}-enrollment", title)
    used = len(sample["enrollment_days"])
    d = f.design
    src = (lambda col: (f.index, f"/design/{col}", 0))
    exact = ("<p>Over every trial of the file: median day of the last randomization "
             f"{num(d.get('median_enrollment_days'), 0, src('median_enrollment_days'))} (10%-90%: "
             f"{num(d.get('enrollment_days_p10'), 0, src('enrollment_days_p10'))}-"
             f"{num(d.get('enrollment_days_p90'), 0, src('enrollment_days_p90'))}); "
             f"P(enrolled by {when}) {num(d.get('p_enrolled_by_deadline'), 3, src('p_enrolled_by_deadline'))}, "
             f"P(completed by {when}) {num(d.get('p_completed_by_deadline'), 3, src('p_completed_by_deadline'))}; "
             f"mean candidates screened {num(d.get('mean_screened'), 1, src('mean_screened'))}.</p>")
    caption = (f"The share of simulated trials that have randomized every patient (and whose last patient has finished) "
               f"by each day since the study start, against the registered completion date. "
               f"From the first {used} of the file's {f.trial_count} trials.")
    return figure(f"fig{f.index}-enrollment", title, svg, caption,
                  table(["by day", "10%", "25%", "median", "75%", "90%", f"share by {when}"], rows, numeric_from=1)
                  + exact)


def boundaries_figure(f):
    looks = f.looks
    if not looks or "efficacy_z" not in looks or not len(looks["efficacy_z"]):
        return ""
    count = len(looks["efficacy_z"])
    x = np.asarray(looks.get("information_fraction", np.full(count, np.nan)), float)
    x_label = "information fraction (share of the planned events)"
    if np.all(np.isnan(x)):
        x, x_label = np.arange(1, count + 1, dtype=float), "look"
    title = f"Group-sequential boundaries of the primary ({labels.model(f)} model)"
    fig, ax = new_figure(6.4, 3.6)
    ax.plot(x, looks["efficacy_z"], "o-", color="C3", label="efficacy: reject if |z| >= c")
    ax.plot(x, -np.asarray(looks["efficacy_z"]), "o-", color="C3", alpha=0.5)
    if "futility_z" in looks and not np.all(np.isnan(looks["futility_z"])):
        ax.plot(x, looks["futility_z"], "s--", color="C2", label="futility: stop if z < this")
    sample = f.trials_sample or {}
    k = 0
    if "gs_z" in sample and "gs_stop_look" in sample and len(sample["gs_z"]):
        k = min(len(sample["gs_z"]), 2000)
        look = sample["gs_stop_look"][:k].astype(int)
        xs = x[np.clip(look, 0, count - 1)] + (np.arange(k) % 21 - 10) * 0.002
        ax.plot(xs, sample["gs_z"][:k], ".", color="grey", markersize=2, alpha=0.4,
                label=f"z at the stopping look, {k} trials")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel("log-rank z (> 0 favours treatment)")
    ax.legend(loc="best")
    svg = to_svg(fig, f"fig{f.index}-boundaries", title)
    body = []
    for j in range(count):
        src = (lambda col: (f.index, f"/design/looks/{col}", j))
        cell = (lambda col, dg: num(looks[col][j], dg, src(col)) if col in looks else "")
        body.append([str(j + 1), cell("information_fraction", 3), cell("efficacy_z", 3), cell("efficacy_p", 4),
                     cell("futility_z", 3), cell("p_stop", 3)])
    caption = (f"The planned boundaries of the {count} looks (the last is the final analysis) and, in grey, the "
               f"signed log-rank z at which the first {k} of the file's {f.trial_count} simulated trials stopped. "
               f"P(stop here): the share of all {f.trial_count} trials stopping at that look.")
    return figure(f"fig{f.index}-boundaries", title, svg, caption,
                  table(["look", "information fraction", "efficacy z", "nominal p", "futility z", "P(stop here)"],
                        body, numeric_from=1))


def extra_tables(f):
    """The tables of a run with priors (`uncertainty:`), as the file gives them."""
    out = []
    for name, columns in f.uncertainty.items():
        if not columns:
            continue
        heads = sorted(columns, key=lambda h: not isinstance(columns[h], list))  # text columns first
        count = max(len(v) for v in columns.values())
        body = []
        for r in range(count):
            row = []
            for h in heads:
                v = columns[h][r] if r < len(columns[h]) else ""
                row.append(esc(v) if isinstance(v, str) else num(v, 4, (f.index, f"/{name}/{h}", r)))
            body.append(row)
        out.append(table([esc(h) for h in heads], body, caption=f"<code>/{esc(name)}</code>", numeric_from=len(heads)))
    return "\n".join(out)
