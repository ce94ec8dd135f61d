"""What a design is called in the page, and which of its results are which (the primary, the
family decisions), taken from the file's own descriptions and resolved scenario."""
import datetime
import math

KIND_WORDS = {"run": "run", "sweep": "sweep over N", "samplesize": "sample-size search"}


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def start_date(f):
    return _date(f.setting("enrollment.start_date"))


def deadline_date(f):
    return _date(f.setting("enrollment.completion_date"))


def deadline_days(f):
    start, end = start_date(f), deadline_date(f)
    return float((end - start).days) if start and end else math.nan


def model(f):
    return str(f.setting("model", "?"))


def design_label(f):
    name = str(f.setting("name", "") or f.name)
    return f"{name}, {model(f)} model ({KIND_WORDS[f.kind]}, {f.name})"


def short_labels(files):
    """A short name per file for legends and column heads: the model, and more only if needed."""
    labels = [f"{model(f)} {KIND_WORDS[f.kind]}" for f in files]
    if len(set(labels)) < len(labels):
        labels = [f"{label} ({f.name})" for label, f in zip(labels, files)]
    return labels


def primary(f):
    value = f.setting("analysis.primary")
    if value:
        return str(value)
    endpoints = f.setting("analysis.endpoints") or []
    names = [e.get("name") if isinstance(e, dict) else e for e in endpoints]
    return "duration_of_viremia" if "duration_of_viremia" in names or not names else str(names[0])


def key_secondaries(f):
    value = f.setting("analysis.key_secondary")
    return [str(v) for v in value] if isinstance(value, list) else []


def arm_names(f):
    arms = f.setting("arms")
    if isinstance(arms, list) and arms:
        return [str(a.get("name")) for a in arms if isinstance(a, dict) and a.get("name")]
    return ["control", "il2"]


def result_names_of(f, declared, available):
    """The results of a declared endpoint among `available` names: itself in a two-arm design,
    `<declared>_<treatment>_vs_<control>` for each comparison otherwise."""
    arms = arm_names(f)
    candidates = [declared] + [f"{declared}_{t}_vs_{c}" for t in arms for c in arms if t != c]
    return [n for n in candidates if n in available]


def summary_rows(f, kind=None, declared=None):
    s = f.summary
    rows = range(len(s["endpoint"]))
    return [i for i in rows
            if (kind is None or s.get("kind", [""] * len(s["endpoint"]))[i] == kind)
            and (declared is None or s.get("declared_endpoint", s["endpoint"])[i] == declared)]


def measure_word(f, capital=False):
    word = f.measure
    return word.capitalize() if capital else word
