"""`vtrial report` in a real browser: headless Chromium loads each generated page; it must log no
console error, draw every figure, show the very numbers of the HDF5 files it came from (read here
with h5py), look like something (a screenshot that is not blank) and print to PDF."""
import math
import re

import h5py
import matplotlib.image
import numpy as np
import pytest
from report_inputs import REPORTS
from headless_chromium import Chromium, find_chromium


@pytest.fixture(scope="session")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.fail("chromium is not installed (bash scripts/bootstrap.sh test installs Debian's chromium)")
    b = Chromium(binary)
    yield b
    b.close()


# Every number the page marks with its source, as the browser sees it after rendering.
NUMBERS_JS = """JSON.stringify(Array.from(document.querySelectorAll('[data-path]')).map(e => ({
  file: +e.dataset.file, path: e.dataset.path, index: e.dataset.index === undefined ? null : +e.dataset.index,
  value: e.dataset.value, digits: +e.dataset.digits, text: e.textContent})))"""
FIGURES_JS = """JSON.stringify(Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const svg = f.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: f.id, title: (f.querySelector('h4') || {}).textContent || '', caption: (f.querySelector('figcaption') || {}).textContent || '',
          width: box.width, height: box.height, shapes: svg ? svg.querySelectorAll('path, use, text').length : 0,
          labels: svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent).join(' ') : '',
          tables: f.querySelectorAll('table').length}}))"""
CHECKS_JS = """JSON.stringify(Array.from(document.querySelectorAll('[data-check]')).map(e => ({
  check: e.dataset.check, text: e.textContent, figure: e.closest('figure').id})))"""


def h5_value(path, where, index):
    with h5py.File(path, "r") as f:
        if where.startswith("@"):
            return f.attrs[where[1:]]
        return f[where][index]


@pytest.fixture(scope="session")
def loaded(browser, reports):
    """{report: (problems, numbers, figures, checks, screenshot path, pdf path)}, loaded once."""
    import json
    out = {}
    for name, (html, files) in reports.items():
        problems = browser.load(html.as_uri())
        numbers = json.loads(browser.evaluate(NUMBERS_JS))
        figures = json.loads(browser.evaluate(FIGURES_JS))
        checks = json.loads(browser.evaluate(CHECKS_JS))
        shot = html.with_suffix(".png")
        browser.screenshot(str(shot), 1280, 1600)
        pdf = html.with_suffix(".pdf")
        browser.print_pdf(str(pdf))
        out[name] = (problems, numbers, figures, checks, shot, pdf)
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_no_console_error_and_nothing_fetched(loaded, reports, name):
    problems = loaded[name][0]
    assert problems == [], problems
    text = reports[name][0].read_text()
    assert "<script" not in text.lower()
    assert not re.search(r'(src|href)="(?!#|data:)', text), "the page refers to something outside itself"


@pytest.mark.parametrize("name", REPORTS)
def test_every_figure_renders_with_title_caption_axes_and_table(loaded, name):
    figures = loaded[name][2]
    assert figures, "no figure"
    for fig in figures:
        assert fig["width"] > 200 and fig["height"] > 100, fig["id"]
        assert fig["shapes"] > 20, f"{fig['id']} draws almost nothing"
        assert fig["title"].strip() and fig["caption"].strip(), fig["id"]
        assert re.search(r"\d+ (simulated )?(trials|patients)", fig["caption"]), f"{fig['id']}: from how many?"
        assert fig["tables"] >= 1, f"{fig['id']} has no table of its numbers"
        assert re.search(r"(N|day|days|look|fraction|copies/mL|cells/µL|mg/L|probability|power|share)",
                         fig["labels"]), f"{fig['id']}: no labelled axis"


@pytest.mark.parametrize("name", REPORTS)
def test_numbers_in_the_page_are_those_of_the_files(loaded, reports, name):
    numbers = loaded[name][1]
    files = reports[name][1]
    assert len(numbers) > 20
    for n in numbers:
        stored = float(h5_value(files[n["file"]], n["path"], n["index"]))
        shown_value = float(n["value"])
        where = f"{files[n['file']].name}:{n['path']}[{n['index']}]"
        assert shown_value == stored or (math.isnan(stored) and math.isnan(shown_value)), where
        if math.isnan(stored):
            assert n["text"] == "n/a", where
        else:
            assert abs(float(n["text"]) - stored) <= 0.5 * 10 ** -n["digits"] + 1e-12, (where, n["text"], stored)


def test_the_headline_shows_the_primary_power_and_deadline(loaded, reports):
    numbers = loaded["run"][1]
    with h5py.File(reports["run"][1][0], "r") as f:
        names = [e.decode() for e in f["summary/endpoint"][:]]
    primary = names.index("duration_of_viremia")
    shown = {(n["path"], n["index"]) for n in numbers}
    for column in ("power", "ci_low", "ci_high", "mc_se"):
        assert (f"/summary/{column}", primary) in shown
    for column in ("p_enrolled_by_deadline", "p_completed_by_deadline", "median_enrollment_days"):
        assert (f"/design/{column}", 0) in shown


def test_example_trial_curves_agree_with_the_simulator(loaded, reports):
    """The report's Kaplan-Meier of trial 0, drawn from /patients, has the median and day-28 share
    that the simulator computed for that trial (/trials row 0; validated against R's survfit)."""
    for name in ("run", "everything"):
        checks = [c for c in loaded[name][3] if c["figure"].endswith("km-trial")]
        assert checks
        with h5py.File(reports[name][1][0], "r") as f:
            for c in checks:
                stored = float(f["trials"][c["check"]][0])
                digits = 1 if c["check"].startswith("km_median") else 3
                if math.isnan(stored):
                    assert c["text"] == "n/a", c
                else:
                    assert abs(float(c["text"]) - stored) <= 0.5 * 10 ** -digits + 1e-9, c


def test_the_sections_a_committee_reads_are_there(reports):
    everything = reports["everything"][0].read_text()
    order = ["In one sentence", "Every endpoint", "Power against the enrollment target",
             "Deadline risk against the enrollment target", "The smallest N reaching the target",
             "Time to CMV DNA negativity", "Enrollment over calendar time", "How to reproduce each file"]
    positions = [everything.index(f">{title}") for title in order]
    assert positions == sorted(positions)
    assert "Example patients of trial 0" in reports["run"][0].read_text()
    assert "Group-sequential boundaries" in reports["interim"][0].read_text()
    side = reports["sweeps_side_by_side"][0].read_text()
    assert "parametric model (sweep over N" in side and "mechanistic model (sweep over N" in side
    assert "Assurance:" in reports["multi_arm_and_assurance"][0].read_text()
    for _, files in reports.values():
        for path in files:
            with h5py.File(path, "r") as f:
                command = f.attrs["command"]
            assert command.split()[1] in ("run", "sweep", "samplesize")


@pytest.mark.parametrize("name", REPORTS)
def test_screenshot_is_not_blank_and_pdf_prints(loaded, name):
    shot, pdf = loaded[name][4], loaded[name][5]
    pixels = matplotlib.image.imread(str(shot))[..., :3]
    grey = pixels.mean(axis=2)
    assert grey.std() > 0.05, "the screenshot is (almost) one colour"
    assert np.mean(grey < 0.9) > 0.02, "almost nothing drawn"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20000
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2
