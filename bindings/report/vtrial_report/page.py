"""The whole page, in the order a committee reads it (docs/report.md): headline, endpoints,
power against N, the smallest N, survival curves, example patients, enrollment, boundaries,
and how to reproduce every file. No script, no external resource: it opens anywhere, offline."""
import os

from . import headline, labels, run_sections, sweep_sections
from .html_parts import esc, section, table
from .output_file import GENERATOR_MARK

STYLE_FILE = os.path.join(os.path.dirname(__file__), "style.css")
# Nothing may be fetched: a page that tried would show it as a console error in the browser test.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STACKED = ("endpoints", "reproduce")  # wide tables: one design under the other


def _note(f, text):
    return f"<h3>{esc(labels.design_label(f))}</h3><p class=\"note\">{text}</p>"


def _or_note(f, content, note):
    return f"<h3>{esc(labels.design_label(f))}</h3>" + content if content else _note(f, note)


def provenance(f, shown_path):
    a = f.attrs
    rows = [["file", f"<code>{esc(shown_path)}</code>"],
            ["filetype", esc(str(a.get("filetype")))],
            ["format_version", f'<span class="num" data-file="{f.index}" data-path="@format_version" '
                               f'data-digits="0" data-value="{int(a.get("format_version"))}">'
                               f'{int(a.get("format_version"))}</span>'],
            ["program version", esc(str(a.get("version", "?")))],
            ["source revision", f"<code>{esc(str(a.get('source_revision', '?')))}</code>"],
            ["seed", f'<span class="num" data-file="{f.index}" data-path="@seed" data-digits="0" '
                     f'data-value="{int(a["seed"])}">{int(a["seed"])}</span>'],
            ["trials", f'<span class="num" data-file="{f.index}" data-path="@trials" data-digits="0" '
                       f'data-value="{int(a["trials"])}">{int(a["trials"])}</span>'],
            ["measure", esc(f.measure)],
            ["command", f"<code>{esc(str(a.get('command', '?')))}</code>"]]
    return (f"<h3>{esc(labels.design_label(f))}</h3>"
            + table(["", "value"], rows, numeric_from=9, cls="data provenance")
            + f"<details open><summary>The resolved scenario (every key, defaults included)</summary>"
              f"<pre class=\"scenario\">{esc(str(a.get('scenario', '')))}</pre></details>")


def build(files, shown_paths, report_command, program_version):
    runs = [f for f in files if f.kind == "run"]
    sweeps = [f for f in files if f.kind == "sweep"]
    searches = [f for f in files if f.kind == "samplesize"]
    found = {f.index: sweep_sections.smallest_n(f) for f in searches}
    seen = {}

    sections = [
        ("headline", "In one sentence",
         [headline.block(f, found[f.index][0] if f.kind == "samplesize" else None, seen) for f in files], None),
        ("endpoints", "Every endpoint",
         [f"<h3>{esc(labels.design_label(f))}</h3>" + run_sections.endpoint_tables(f) + run_sections.extra_tables(f)
          for f in runs],
         "Power is the share of simulated trials whose test rejects at two-sided alpha; the interval is the 95% "
         "Wilson interval and MC SE the Monte Carlo standard error, sqrt(p(1-p)/trials)."),
        ("compare", "The designs side by side",
         [sweep_sections.comparison(sweeps)] if len(sweeps) > 1 else [], None),
        ("power-vs-n", "Power against the enrollment target",
         [f"<h3>{esc(labels.design_label(f))}</h3>"
          + sweep_sections.power_curve(f, f"fig{f.index}-power", sweep_sections.drawn_results(f),
                                       f"Power against N ({labels.model(f)} model)")
          + sweep_sections.differences(f, f"fig{f.index}-differences") for f in sweeps], None),
        ("deadline", "Deadline risk against the enrollment target",
         [f"<h3>{esc(labels.design_label(f))}</h3>" + sweep_sections.deadline_risk(f, f"fig{f.index}-deadline")
          for f in sweeps + searches], None),
        ("smallest-n", "The smallest N reaching the target",
         [f"<h3>{esc(labels.design_label(f))}</h3>" + found[f.index][0] + found[f.index][1] for f in searches], None),
        ("survival", "Time to CMV DNA negativity (Kaplan-Meier)",
         [_or_note(f, "".join(run_sections.kaplan_meier_figures(f)),
                   "This run exported no patients (set <code>output.patient_trials</code>).") for f in runs], None),
        ("patients", "Example patients",
         [_or_note(f, run_sections.trajectories_figure(f),
                   "This run exported no patient courses (<code>output.trajectory_patients</code> is 0, or the "
                   "patient model has none).") for f in runs], None),
        ("enrollment", "Enrollment over calendar time",
         [f"<h3>{esc(labels.design_label(f))}</h3>" + run_sections.enrollment_figure(f) for f in runs], None),
        ("boundaries", "Group-sequential boundaries",
         [f"<h3>{esc(labels.design_label(f))}</h3>" + run_sections.boundaries_figure(f) for f in runs if f.looks],
         None),
        ("reproduce", "How to reproduce each file",
         [provenance(f, p) for f, p in zip(files, shown_paths)],
         "Each file is reproduced, bit for bit, by its command with the same program version and seed; the "
         "resolved scenario below is the full input (<code>vtrial validate</code> prints the same)."),
    ]
    present = [(sid, title, blocks, intro) for sid, title, blocks, intro in sections if blocks]
    nav = "".join(f'<li><a href="#{sid}">{esc(title)}</a></li>' for sid, title, _, _ in present)
    body = "\n".join(section(sid, title, blocks, intro, stacked=sid in STACKED)
                     for sid, title, blocks, intro in present)
    names = ", ".join(esc(labels.design_label(f)) for f in files)
    with open(STYLE_FILE, encoding="utf-8") as css:
        style = css.read()
    title = "vtrial report: " + ", ".join(dict.fromkeys(str(f.setting("name", f.name)) for f in files))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{GENERATOR_MARK}
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>
{style}</style>
</head>
<body>
<header>
<h1>{esc(title)}</h1>
<p class="inputs">From {len(files)} result file{'s' if len(files) != 1 else ''}: {names}.
Made by <code>{esc(report_command)}</code> (vtrial {esc(program_version)}).</p>
<nav aria-label="contents"><ol>{nav}</ol></nav>
</header>
<main>
{body}
</main>
</body>
</html>
"""
