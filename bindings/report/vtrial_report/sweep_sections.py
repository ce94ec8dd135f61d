"""What a sweep or a sample-size search shows: power against N with its intervals, the paired
differences between adjacent N, the deadline risk per N, and the smallest N reaching a target."""
import math
import shlex

import numpy as np

from . import labels
from .html_parts import esc, figure, interval, num, table
from .svg_figure import new_figure, to_svg

Z95 = 1.959963984540054


def wilson(p, n):
    """95% Wilson interval of a share p of n trials (the file stores it for power only)."""
    if not (n > 0) or math.isnan(p):
        return math.nan, math.nan
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 / (1 + Z95 ** 2 / n) * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def rows_of(f, name):
    s = f.sweep
    return sorted((i for i, e in enumerate(s["endpoint"]) if e == name), key=lambda i: s["patients"][i])


def endpoints_in_order(f):
    return list(dict.fromkeys(f.sweep["endpoint"]))


def drawn_results(f):
    """The results a power curve draws: the primary, the key secondaries and the family
    decisions (all the others are in its table)."""
    names = set(f.sweep["endpoint"])
    drawn = []
    for declared in [labels.primary(f)] + labels.key_secondaries(f) + ["primary_wins", "all_key_secondaries_win",
                                                                       "any_primary_wins", "group_sequential"]:
        drawn += [n for n in labels.result_names_of(f, declared, names) if n not in drawn]
    return drawn or endpoints_in_order(f)[:1]


def _src(f, column, row):
    return (f.index, f"/sweep/{column}", row)


def power_curve(f, fig_id, names, title, target=None, found=None):
    s = f.sweep
    measure = labels.measure_word(f)
    fig, ax = new_figure(6.4, 3.8)
    for k, name in enumerate(names):
        rows = rows_of(f, name)
        n = s["patients"][rows]
        ax.fill_between(n, s["ci_low"][rows], s["ci_high"][rows], color=f"C{k}", alpha=0.18, linewidth=0)
        # Family decisions dashed: primary_wins often equals the primary and must not hide it.
        family = name.startswith(("primary_wins", "all_key_secondaries_win", "any_", "group_sequential"))
        ax.plot(n, s["power"][rows], marker="o", markersize=3.5, color=f"C{k}", label=name,
                linestyle="--" if family else "-", linewidth=1.8 if family else 1.4)
    if target is not None:
        ax.axhline(target, color="grey", linestyle="--", linewidth=1, label=f"target {target:g}")
    if found is not None:
        ax.axvline(found, color="black", linestyle=":", linewidth=1, label=f"smallest N reaching it: {found}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("enrollment target N (patients randomized)")
    ax.set_ylabel(f"{measure} (share of trials rejecting H0)")
    ax.legend(loc="best")
    svg = to_svg(fig, fig_id, title)
    every = endpoints_in_order(f) if found is None else names
    sizes = sorted(set(int(v) for v in s["patients"]))

    def cell(r):
        return ("" if r is None else
                f"{num(s['power'][r], 3, _src(f, 'power', r))} "
                f"{interval(s['ci_low'][r], s['ci_high'][r], 3, _src(f, 'ci_low', r), _src(f, 'ci_high', r))}"
                + (f"<br><small>MC SE {num(s['mc_se'][r], 4, _src(f, 'mc_se', r))}</small>" if "mc_se" in s else ""))

    by_n = {name: {int(s["patients"][r]): r for r in rows_of(f, name)} for name in every}
    if len(sizes) > len(every):  # a search: many N, few results; N down the page
        head = ["N"] + [esc(name) for name in every]
        body = [[str(n)] + [cell(by_n[name].get(n)) for name in every] for n in sizes]
    else:
        head = ["result"] + [f"N = {n}" for n in sizes]
        body = [[esc(name)] + [cell(by_n[name].get(n)) for n in sizes] for name in every]
    trials = int(f.attrs["trials"])
    caption = (f"{esc(measure.capitalize())} of {', '.join(esc(n) for n in names)} against the enrollment target; "
               f"shaded: 95% Wilson intervals. {trials} simulated trials per N, the same virtual patients at every N "
               f"(common random numbers). The table lists every result of the file.")
    return figure(fig_id, title, svg, caption, table(head, body, numeric_from=1))


def differences(f, fig_id):
    s = f.sweep
    if "difference" not in s:
        return ""
    names = labels.result_names_of(f, labels.primary(f), set(s["endpoint"])) or endpoints_in_order(f)[:1]
    title = f"What each step in N buys, paired ({labels.model(f)} model)"
    fig, ax = new_figure(6.4, 3.4)
    body = []
    for k, name in enumerate(names):
        rows = [r for r in rows_of(f, name) if not math.isnan(s["difference"][r])]
        if not rows:
            continue
        n = s["patients"][rows].astype(float)
        shift = (k - (len(names) - 1) / 2) * 1.2
        ax.errorbar(n + shift - 0.6, s["difference"][rows], yerr=Z95 * s["difference_se_paired"][rows], fmt="o",
                    color=f"C{k}", capsize=3, label=f"{name}: ±1.96 paired SE")
        ax.errorbar(n + shift + 0.6, s["difference"][rows], yerr=Z95 * s["difference_se_unpaired"][rows], fmt="none",
                    color=f"C{k}", alpha=0.4, capsize=3, label=f"{name}: ±1.96 SE of independent runs")
        for r in rows:
            body.append([esc(name), num(s["patients"][r], 0, _src(f, "patients", r)),
                         num(s["difference"][r], 4, _src(f, "difference", r), signed=True),
                         num(s["difference_se_paired"][r], 4, _src(f, "difference_se_paired", r)),
                         num(s["difference_se_unpaired"][r], 4, _src(f, "difference_se_unpaired", r))])
    if not body:
        return ""
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("enrollment target N (patients randomized)")
    ax.set_ylabel(f"{labels.measure_word(f)} minus that at the previous N")
    ax.legend(loc="best")
    svg = to_svg(fig, fig_id, title)
    caption = ("Change in power from the previous N, with 95% intervals from the trial-by-trial paired rejections "
               "(dark) and what independent runs of the same size would give (light). "
               f"{int(f.attrs['trials'])} trials per N.")
    return figure(fig_id, title, svg, caption,
                  table(["result", "N", "difference", "paired SE", "SE of independent runs"], body, numeric_from=1))


def deadline_risk(f, fig_id):
    s = f.sweep
    if "p_enrolled_by_deadline" not in s:
        return ""
    rows = rows_of(f, endpoints_in_order(f)[0])
    n = s["patients"][rows]
    trials = int(f.attrs["trials"])
    date = labels.deadline_date(f)
    when = date.isoformat() if date else "the completion date"
    title = f"Deadline risk and time to full enrollment against N ({labels.model(f)} model)"
    fig, (ax, ax2) = new_figure(6.4, 5.2, nrows=2, sharex=True)
    for key, label, k in (("p_enrolled_by_deadline", f"P(all enrolled by {when})", 4),
                          ("p_completed_by_deadline", f"P(last visit done by {when})", 5)):
        p = s[key][rows]
        ci = np.array([wilson(x, trials) for x in p])
        ax.fill_between(n, ci[:, 0], ci[:, 1], color=f"C{k}", alpha=0.2, linewidth=0)
        ax.plot(n, p, marker="o", markersize=3.5, color=f"C{k}", label=label)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("probability")
    ax.legend(loc="best")
    ax2.plot(n, s["median_enrollment_days"][rows], marker="s", markersize=3.5, color="black",
             label="median days to the last randomization")
    deadline = labels.deadline_days(f)
    if not math.isnan(deadline):
        ax2.axhline(deadline, color="C3", linestyle="--", linewidth=1, label=f"deadline: day {deadline:.0f} ({when})")
    ax2.set_ylim(bottom=0)
    ax2.set_xlabel("enrollment target N (patients randomized)")
    ax2.set_ylabel("days from study start")
    ax2.legend(loc="best")
    svg = to_svg(fig, fig_id, title)
    body = []
    for r in rows:
        pe, pc = s["p_enrolled_by_deadline"][r], s["p_completed_by_deadline"][r]
        body.append([num(s["patients"][r], 0, _src(f, "patients", r)),
                     f"{num(pe, 3, _src(f, 'p_enrolled_by_deadline', r))} {interval(*wilson(pe, trials))}",
                     f"{num(pc, 3, _src(f, 'p_completed_by_deadline', r))} {interval(*wilson(pc, trials))}",
                     num(s["median_enrollment_days"][r], 0, _src(f, "median_enrollment_days", r)),
                     num(s["mean_screened"][r], 1, _src(f, "mean_screened", r)) if "mean_screened" in s else ""])
    caption = (f"Top: the chance of randomizing all N patients, and of the last patient's last visit, by the registered "
               f"completion date, with 95% Wilson intervals. Bottom: the median day of the last randomization "
               f"against the deadline. {trials} trials per N.")
    return figure(fig_id, title, svg, caption,
                  table(["N", f"P(enrolled by {when}) [95% CI]", f"P(completed by {when}) [95% CI]",
                         "median days to full enrollment", "mean screened"], body, numeric_from=0))


def search_settings(f):
    """--endpoint, --target-power and --criterion of the command that wrote the file, or the
    command line's defaults."""
    found = {"endpoint": "duration_of_viremia", "target-power": "0.8", "criterion": "lower"}
    try:
        words = shlex.split(str(f.attrs.get("command", "")))
    except ValueError:
        words = []
    for i, w in enumerate(words):
        for key in found:
            if w == f"--{key}" and i + 1 < len(words):
                found[key] = words[i + 1]
            elif w.startswith(f"--{key}="):
                found[key] = w.split("=", 1)[1]
    try:
        target = float(found["target-power"])
    except ValueError:
        target = 0.8
    return found["endpoint"], target, found["criterion"]


def smallest_n(f):
    """(sentence, figure) of a sample-size file."""
    s = f.sweep
    endpoint, target, criterion = search_settings(f)
    rows = rows_of(f, endpoint)
    measure = labels.measure_word(f)
    column = "ci_low" if criterion == "lower" else "power"
    what = "the 95% lower bound of" if criterion == "lower" else "the estimate of"
    meeting = [r for r in rows if s[column][r] >= target]
    if not rows:
        return f"<p class=\"headline\">The file has no rows for {esc(endpoint)}.</p>", ""
    if meeting:
        r = meeting[0]
        n_found = int(s["patients"][r])
        date = labels.deadline_date(f)
        extra = ""
        if "p_enrolled_by_deadline" in s:
            extra = (f" At that N the median time to full enrollment is "
                     f"{num(s['median_enrollment_days'][r], 0, _src(f, 'median_enrollment_days', r))} days and the chance "
                     f"to enroll everyone by {date.isoformat() if date else 'the completion date'} is "
                     f"{num(s['p_enrolled_by_deadline'][r], 3, _src(f, 'p_enrolled_by_deadline', r))}.")
        sentence = (f"<p class=\"headline\">The smallest N whose {what} {measure} of <strong>{esc(endpoint)}</strong> "
                    f"reaches {target:g} is <strong>{num(n_found, 0, _src(f, 'patients', r))}</strong> patients: "
                    f"{measure} {num(s['power'][r], 3, _src(f, 'power', r))} "
                    f"(95% CI {interval(s['ci_low'][r], s['ci_high'][r], 3, _src(f, 'ci_low', r), _src(f, 'ci_high', r))}), "
                    f"{int(f.attrs['trials'])} trials at each N the search simulated.{extra}</p>")
    else:
        n_found = None
        sentence = (f"<p class=\"headline\">No N the search simulated reaches {target:g} ({what} {measure} of "
                    f"{esc(endpoint)}).</p>")
    title = f"The sample-size search for {endpoint} ({labels.model(f)} model)"
    fig = power_curve(f, f"fig{f.index}-search", [endpoint], title, target=target, found=n_found)
    return sentence, fig


def comparison(files, fig_id="fig-compare"):
    """The primary's power against N of every sweep in one drawing, for designs side by side."""
    labels_ = labels.short_labels(files)
    title = "The primary endpoint's power against N, every sweep"
    fig, ax = new_figure(6.8, 4.0)
    body = []
    for k, (f, label) in enumerate(zip(files, labels_)):
        s = f.sweep
        name = (labels.result_names_of(f, labels.primary(f), set(s["endpoint"])) or endpoints_in_order(f)[:1])[0]
        rows = rows_of(f, name)
        n = s["patients"][rows]
        ax.fill_between(n, s["ci_low"][rows], s["ci_high"][rows], color=f"C{k % 10}", alpha=0.15, linewidth=0)
        ax.plot(n, s["power"][rows], marker="o", markersize=3.5, color=f"C{k % 10}",
                linestyle="-" if k < 10 else "--", label=f"{label}: {name}")
        for r in rows:
            body.append([esc(label), esc(name), num(s["patients"][r], 0, _src(f, "patients", r)),
                         f"{num(s['power'][r], 3, _src(f, 'power', r))} "
                         f"{interval(s['ci_low'][r], s['ci_high'][r], 3, _src(f, 'ci_low', r), _src(f, 'ci_high', r))}",
                         str(int(f.attrs["trials"]))])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("enrollment target N (patients randomized)")
    ax.set_ylabel("power (share of trials rejecting H0)")
    ax.legend(loc="best", fontsize=7)
    svg = to_svg(fig, fig_id, title)
    trials = sorted(set(int(f.attrs["trials"]) for f in files))
    caption = (f"The primary endpoint of each of the {len(files)} sweeps against N, with 95% Wilson bands "
               f"({', '.join(str(t) for t in trials)} trials per N).")
    return figure(fig_id, title, svg, caption,
                  table(["sweep", "result", "N", "power [95% CI]", "trials per N"], body, numeric_from=2))
