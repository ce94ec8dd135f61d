"""The first thing a committee member reads: one sentence per design, and what it rests on."""
from . import labels
from .html_parts import esc, interval, num, table

# Scenario keys shown as "what it rests on", where the file has them (the assumptions the
# committee argues about: effect size, accrual, the deadline). Others are in the resolved scenario.
ASSUMPTIONS = [
    ("model", "patient model"),
    ("trial.patients", "patients planned"),
    ("analysis.alpha", "two-sided alpha"),
    ("analysis.multiplicity", "multiplicity procedure"),
    ("parametric.il2.hazard_ratio", "hazard ratio of becoming negative, IL-2 vs control (parametric)"),
    ("parametric.control.median_days_to_negative", "median days to negativity, control (parametric)"),
    ("mechanistic.nk.kill_rate", "NK kill rate, µL/cell/day (mechanistic)"),
    ("mechanistic.il2.nk_fold_rise", "NK fold rise on IL-2 (mechanistic)"),
    ("enrollment.start_date", "study start"),
    ("enrollment.completion_date", "registered completion date"),
    ("enrollment.sites", "sites"),
    ("enrollment.screening_rate_per_site_month", "candidates screened per site per month"),
    ("analysis.interim.enabled", "interim analyses"),
]


def _power_phrase(f, row, source):
    s = f.summary if source == "summary" else f.sweep
    src = (lambda col: (f.index, f"/{source}/{col}", row))
    return (f"{num(s['power'][row], 3, src('power'))} (95% CI {interval(s['ci_low'][row], s['ci_high'][row], 3, src('ci_low'), src('ci_high'))})")


def _deadline_phrase(f, design_values):
    date = labels.deadline_date(f)
    when = f"the registered completion date {date.isoformat()}" if date else "the registered completion date"
    enrolled, completed = design_values
    return f"The chance to enroll every patient by {when} is {enrolled}, and to finish the last visit by then {completed}."


def run_sentence(f):
    measure = labels.measure_word(f)
    primary = labels.primary(f)
    rows = labels.summary_rows(f, "endpoint", primary) or [0]
    parts = []
    for row in rows:
        name = f.summary["endpoint"][row]
        test = f.summary.get("test", [""] * (row + 1))[row]
        parts.append(f"<strong>{esc(name)}</strong>{' (' + esc(test) + ')' if test else ''}: "
                     f"{measure} {_power_phrase(f, row, 'summary')}")
    wins = labels.summary_rows(f, "family", "primary_wins")
    after = ""
    if wins:
        comparisons = f.summary.get("comparison", [""] * len(f.summary["endpoint"]))
        after = " After multiplicity the primary wins in " + ", ".join(
            f"{num(f.summary['power'][r], 3, (f.index, '/summary/power', r))}"
            + (f" ({esc(comparisons[r])})" if len(wins) > 1 and comparisons[r] else "") for r in wins) + " of the trials."
    d = f.design
    src = (lambda col: (f.index, f"/design/{col}", 0))
    for r in labels.summary_rows(f, "group_sequential"):
        looks = len(f.looks["efficacy_z"]) if f.looks and "efficacy_z" in f.looks else None
        after += (f" The group-sequential design{f' ({looks} looks)' if looks else ''} rejects in "
                  f"{_power_phrase(f, r, 'summary')} of the trials, with "
                  f"{num(d.get('mean_patients'), 1, src('mean_patients'))} patients randomized on average.")
    design_values = (
        f"{num(d.get('p_enrolled_by_deadline'), 3, src('p_enrolled_by_deadline'))} "
        f"{interval(d.get('p_enrolled_ci_low'), d.get('p_enrolled_ci_high'), 3, src('p_enrolled_ci_low'), src('p_enrolled_ci_high'))}",
        f"{num(d.get('p_completed_by_deadline'), 3, src('p_completed_by_deadline'))} "
        f"{interval(d.get('p_completed_ci_low'), d.get('p_completed_ci_high'), 3, src('p_completed_ci_low'), src('p_completed_ci_high'))}")
    trials = num(f.attrs["trials"], 0, (f.index, "@trials", None))
    return (f"<p class=\"headline\">With {esc(str(f.setting('trial.patients', '?')))} patients, the primary endpoint "
            f"{'; '.join(parts)}, from {trials} simulated trials.{after} {_deadline_phrase(f, design_values)}</p>")


def sweep_sentence(f):
    measure = labels.measure_word(f)
    primary = labels.primary(f)
    s = f.sweep
    names = labels.result_names_of(f, primary, set(s["endpoint"])) or [s["endpoint"][0]]
    parts = []
    for name in names:
        rows = sorted((i for i, e in enumerate(s["endpoint"]) if e == name), key=lambda i: s["patients"][i])
        lo, hi = rows[0], rows[-1]
        parts.append(f"<strong>{esc(name)}</strong> {measure} goes from {_power_phrase(f, lo, 'sweep')} at "
                     f"N = {num(s['patients'][lo], 0, (f.index, '/sweep/patients', lo))} to "
                     f"{_power_phrase(f, hi, 'sweep')} at N = {num(s['patients'][hi], 0, (f.index, '/sweep/patients', hi))}")
    first = sorted((i for i, e in enumerate(s["endpoint"]) if e == names[0]), key=lambda i: s["patients"][i])
    date = labels.deadline_date(f)
    deadline = ""
    if "p_enrolled_by_deadline" in s:
        deadline = (f" The chance to enroll everyone by {date.isoformat() if date else 'the completion date'} falls from "
                    f"{num(s['p_enrolled_by_deadline'][first[0]], 3, (f.index, '/sweep/p_enrolled_by_deadline', first[0]))} to "
                    f"{num(s['p_enrolled_by_deadline'][first[-1]], 3, (f.index, '/sweep/p_enrolled_by_deadline', first[-1]))}.")
    trials = num(f.attrs["trials"], 0, (f.index, "@trials", None))
    return (f"<p class=\"headline\">Across the enrollment targets, the primary endpoint {'; '.join(parts)} "
            f"({trials} trials per N, the same virtual patients at every N).{deadline}</p>")


def _priors(f):
    """{key: distribution text} of a run with priors; the scenario's value of such a key is only
    the point the priors replaced."""
    p = (getattr(f, "uncertainty", None) or {}).get("uncertainty/priors") or {}
    keys, dists = p.get("key", []), p.get("distribution", [])
    return dict(zip(keys, dists)) if isinstance(keys, list) and isinstance(dists, list) else {}


def assumptions_table(f):
    rows = []
    priors = _priors(f)
    for key, meaning in ASSUMPTIONS:
        value = f.setting(key)
        if value is None or (key.startswith("parametric.") and labels.model(f) != "parametric") or \
                (key.startswith("mechanistic.") and labels.model(f) != "mechanistic"):
            continue
        if key == "trial.patients" and f.kind != "run":
            continue  # a sweep or a search sets N itself
        if isinstance(value, bool):
            value = "yes" if value else "no"
        shown = f"prior: {priors.pop(key)}" if key in priors else str(value)
        rows.append([esc(meaning), f"<code>{esc(key)}</code>", esc(shown)])
    for key, dist in priors.items():
        rows.append(["an unknown with a prior", f"<code>{esc(key)}</code>", esc(f"prior: {dist}")])
    return table(["assumption", "scenario key", "value"], rows, caption="What these numbers rest on",
                 numeric_from=3, cls="data assumptions")


def block(f, search_sentence=None, seen=None):
    """The headline of one design; `seen` maps the assumption tables already shown to their
    design, so a second file of the same scenario points to the first instead of repeating it."""
    title = f"<h3>{esc(labels.design_label(f))}</h3>"
    if f.kind == "run":
        sentence = run_sentence(f)
    elif f.kind == "sweep":
        sentence = sweep_sentence(f)
    else:
        sentence = search_sentence or ""
    note = ""
    if f.measure == "assurance":
        note = ("<p class=\"note\">Assurance: the trials drew the model's unknowns from the priors of the scenario's "
                "<code>uncertainty:</code>, so each figure is the chance of success averaged over them, not the power "
                "at one assumed effect.</p>")
    assumptions = assumptions_table(f)
    if seen is not None:
        if assumptions in seen:
            assumptions = f"<p class=\"note\">It rests on the same assumptions as {esc(seen[assumptions])}.</p>"
        else:
            seen[assumptions] = labels.design_label(f)
    return title + sentence + note + assumptions
