"""End-to-end tests of the group-sequential boundaries that `vtrial run` reports.

Run by ctest as part of `e2e_cli` (VTRIAL_BIN, VTRIAL_SOURCE_DIR). Every output goes to a
pytest tmp directory; runs use 300 trials on 2 threads.

With `analysis.interim.enabled`, the outputs carry one entry per look (interims, then the final
analysis):
- `--json`: `design.looks`, a list of `{"look", "information_fraction", "efficacy_z",
  "efficacy_p", "futility_z", "p_stop"}`; `efficacy_p` = 2 (1 - Phi(efficacy_z)); `futility_z`
  is analysis.interim.futility_z at interims and null at the final look or with
  analysis.interim.futility=false; with timing "calendar" information_fraction, efficacy_z and
  efficacy_p are null (they vary per trial) and the entry has "day". No interims: no `looks`.
- HDF5: group `/design/looks`, float64 datasets of the same names, one value per look, NaN
  where JSON has null.
- text: a block starting with the line `group-sequential boundaries (two-sided):`, one line
  per look.

Reference boundaries: R 4.2.2 Patched (2022-11-10 r83330), rpact 3.3.4 (Debian's
r-base-core and r-cran-rpact), two-sided Lan-DeMets spending with alpha/2 per side:

    library(rpact); options(digits = 12)
    show <- function(label, kMax, ir, tod) {
      d <- getDesignGroupSequential(kMax = kMax, alpha = 0.05, sided = 2,
                                    typeOfDesign = tod, informationRates = ir)
      cat(label, "\\n")
      cat("  criticalValues:  ", format(d$criticalValues, digits = 10), "\\n")
      cat("  stageLevels:     ", format(d$stageLevels, digits = 10), "\\n")
      cat("  2*stageLevels:   ", format(2 * d$stageLevels, digits = 10), "\\n")
      cat("  2*(1-pnorm(cv)): ", format(2 * pnorm(d$criticalValues, lower.tail = FALSE),
                                      digits = 10), "\\n")
      cat("  alphaSpent:      ", format(d$alphaSpent, digits = 10), "\\n")
    }
    show("(a) asOF c(0.5,1)", 2, c(0.5, 1), "asOF")
    show("(b) asOF c(1/3,2/3,1)", 3, c(1/3, 2/3, 1), "asOF")
    show("(c) asP c(0.3,0.6,1)", 3, c(0.3, 0.6, 1), "asP")
    show("(d) asP c(0.25,1)", 2, c(0.25, 1), "asP")

    (a) asOF c(0.5,1)
      criticalValues:   2.962588043 1.968595646
      stageLevels:      0.001525322758 0.024499771463
      2*stageLevels:    0.003050645516 0.048999542926
      2*(1-pnorm(cv)):  0.003050645516 0.048999542926
      alphaSpent:       0.003050645516 0.049999990000
    (b) asOF c(1/3,2/3,1)
      criticalValues:   3.710302873 2.511427484 1.993047483
      stageLevels:      0.0001035057181 0.0060121993769 0.0231281239169
      2*stageLevels:    0.0002070114363 0.0120243987538 0.0462562478338
      2*(1-pnorm(cv)):  0.0002070114363 0.0120243987538 0.0462562478338
      alphaSpent:       0.0002070114363 0.0120967781518 0.0499999900000
    (c) asP c(0.3,0.6,1)
      criticalValues:   2.311835304 2.320967220 2.268911697
      stageLevels:      0.01039338055 0.01014430655 0.01163684814
      2*stageLevels:    0.02078676109 0.02028861309 0.02327369627
      2*(1-pnorm(cv)):  0.02078676109 0.02028861309 0.02327369627
      alphaSpent:       0.02078676109 0.03542565359 0.04999999000
    (d) asP c(0.25,1)
      criticalValues:   2.368327704 2.100878157
      stageLevels:      0.008934350488 0.017825831670
      2*stageLevels:    0.01786870098 0.03565166334
      2*(1-pnorm(cv)):  0.01786870098 0.03565166334
      alphaSpent:       0.01786870098 0.04999999000

rpact's stageLevels are one-sided; the nominal two-sided level of a look is 2 * stageLevels.
tests/unit/test_group_sequential.cpp checks efficacy_boundaries() against the same numbers.
"""
import json
import math
import re
import subprocess

import h5py
import numpy as np
import pytest

TRIALS = 300
HEADER = "group-sequential boundaries (two-sided):"
LOOK_FIELDS = ("information_fraction", "efficacy_z", "efficacy_p", "futility_z", "p_stop")

# planned interim fractions (the final look, 1, is added by vtrial), spending, rpact's
# criticalValues and 2 * stageLevels
DESIGNS = {
    "a_obf_2looks": dict(fractions=[0.5], spending="obrien_fleming",
                         z=[2.962588043, 1.968595646],
                         p=[0.003050645516, 0.048999542926]),
    "b_obf_3looks_thirds": dict(fractions=[1 / 3, 2 / 3], spending="obrien_fleming",
                                z=[3.710302873, 2.511427484, 1.993047483],
                                p=[0.0002070114363, 0.0120243987538, 0.0462562478338]),
    "c_pocock_3looks": dict(fractions=[0.3, 0.6], spending="pocock",
                            z=[2.311835304, 2.320967220, 2.268911697],
                            p=[0.02078676109, 0.02028861309, 0.02327369627]),
    "d_pocock_2looks_early": dict(fractions=[0.25], spending="pocock",
                                  z=[2.368327704, 2.100878157],
                                  p=[0.01786870098, 0.03565166334]),
}


def yaml_list(values):
    # repr() round-trips each double, so 1/3 reaches vtrial as the same double rpact got.
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def nominal_p(z):
    """Two-sided nominal p-value 2 (1 - Phi(z)) = erfc(z / sqrt 2)."""
    return math.erfc(z / math.sqrt(2.0))


def run_vtrial(vtrial_bin, cwd, *args):
    proc = subprocess.run([vtrial_bin, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (
        f"vtrial {' '.join(map(str, args))}: exit {proc.returncode}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def run_args(scenario, out, *overrides):
    args = ["run", scenario, "--set", "model=parametric", "--trials", TRIALS, "--threads", 2]
    for o in overrides:
        args += ["--set", o]
    return args + ["--output", out]


def interim_overrides(design, *extra):
    return ("analysis.interim.enabled=true", f"analysis.interim.fractions={yaml_list(design['fractions'])}",
            f"analysis.interim.spending={design['spending']}", *extra)


def parse_json(stdout):
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON object on one line, got:\n{stdout}"
    return json.loads(lines[0])


def looks_of(doc):
    looks = doc["design"].get("looks")
    assert isinstance(looks, list), f"design.looks missing or not a list: {doc['design']}"
    return looks


def read_looks_h5(path):
    with h5py.File(path, "r") as f:
        assert "design" in f and "looks" in f["design"], f"{path} has no /design/looks; /design has {list(f['design'])}"
        looks = f["design/looks"]
        out = {}
        for name in LOOK_FIELDS:
            assert name in looks, f"/design/looks/{name} missing; have {list(looks)}"
            assert looks[name].dtype == np.float64, (name, looks[name].dtype)
            out[name] = looks[name][()]
        out["p_stop_at_look"] = [float(f["design"][f"p_stop_at_look{j}"][()]) for j in range(len(out["p_stop"]))]
        return out


def same_value(json_value, h5_value):
    """A JSON number (printed with ~10 significant digits) against the file's float64, or
    JSON null against NaN."""
    if json_value is None:
        return math.isnan(h5_value)
    return json_value == pytest.approx(float(h5_value), rel=1e-9, abs=1e-12)


def check_p_stop(looks, design_json):
    p_stop = [e["p_stop"] for e in looks]
    assert all(0.0 <= p <= 1.0 for p in p_stop), p_stop
    # shares of TRIALS trials: k / TRIALS as JSON prints it
    counts = [p * TRIALS for p in p_stop]
    assert all(abs(c - round(c)) < 1e-6 for c in counts), counts
    assert sum(round(c) for c in counts) == TRIALS, counts
    assert math.fsum(p_stop) == pytest.approx(1.0, abs=1e-9), p_stop  # printed values: ~1e-10 each
    # the same shares as the flat p_stop_at_look<j> members, which /design and Python also have
    flat = [design_json[f"p_stop_at_look{j}"] for j in range(len(p_stop))]
    assert p_stop == flat, (p_stop, flat)


def check_h5_matches_json(h5, looks):
    for name in LOOK_FIELDS:
        values = h5[name]
        assert values.shape == (len(looks),), (name, values.shape)
        for k, e in enumerate(looks):
            assert same_value(e[name], values[k]), (name, k, e[name], values[k])
    assert math.fsum(h5["p_stop"]) == pytest.approx(1.0, abs=1e-12), h5["p_stop"]
    assert list(h5["p_stop"]) == h5["p_stop_at_look"], (h5["p_stop"], h5["p_stop_at_look"])


def printed_close(number_text, expected):
    """True if `number_text` is `expected` rounded to the digits it shows."""
    decimals = len(number_text.split(".")[1]) if "." in number_text else 0
    return abs(float(number_text) - expected) <= 0.5 * 10.0 ** -decimals + 1e-6


def boundary_block(stdout, looks):
    lines = stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == HEADER]
    assert len(starts) == 1, f"expected one line {HEADER!r} in:\n{stdout}"
    block = lines[starts[0] + 1:starts[0] + 1 + looks]
    assert len(block) == looks and all(line.strip() for line in block), f"expected {looks} lines after the header:\n{stdout}"
    return block


# --- information timing: designs (a)-(d) ---------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(DESIGNS))
def design_run(request, vtrial_bin, scenario, tmp_path_factory):
    """Runs design `request.param` with --json (file: `out`) and again with text output."""
    design = DESIGNS[request.param]
    tmp = tmp_path_factory.mktemp(request.param)
    out = tmp / "x.h5"
    doc = parse_json(run_vtrial(vtrial_bin, tmp, *run_args(scenario, out, *interim_overrides(design)), "--json").stdout)
    text = run_vtrial(vtrial_bin, tmp, *run_args(scenario, tmp / "text.h5", *interim_overrides(design))).stdout
    return design, doc, out, text


def test_looks_in_json(design_run):
    design, doc, _, _ = design_run
    looks = looks_of(doc)
    k_max = len(design["fractions"]) + 1
    assert len(looks) == k_max, looks
    for k, e in enumerate(looks):
        assert set(LOOK_FIELDS) | {"look"} <= set(e), e
        assert e["look"] == k + 1, e
    assert [e["information_fraction"] for e in looks] == pytest.approx(design["fractions"] + [1.0], rel=1e-9)
    assert looks[-1]["information_fraction"] == 1.0


def test_efficacy_boundaries_match_rpact(design_run):
    design, doc, _, _ = design_run
    looks = looks_of(doc)
    for k, e in enumerate(looks):
        assert e["efficacy_z"] == pytest.approx(design["z"][k], abs=1e-5), (k, e)
        assert e["efficacy_p"] == pytest.approx(nominal_p(e["efficacy_z"]), rel=1e-6), (k, e)
        assert e["efficacy_p"] == pytest.approx(design["p"][k], rel=1e-6), (k, e)


def test_futility_threshold_at_interims_only(design_run):
    _, doc, _, _ = design_run
    looks = looks_of(doc)
    assert [e["futility_z"] for e in looks[:-1]] == [0.0] * (len(looks) - 1), looks
    assert looks[-1]["futility_z"] is None, looks[-1]


def test_p_stop(design_run):
    _, doc, _, _ = design_run
    check_p_stop(looks_of(doc), doc["design"])


def test_hdf5_looks_match_json(design_run):
    design, doc, out, _ = design_run
    h5 = read_looks_h5(out)
    check_h5_matches_json(h5, looks_of(doc))
    assert np.isnan(h5["futility_z"][-1]) and np.all(h5["futility_z"][:-1] == 0.0), h5["futility_z"]
    assert np.allclose(h5["efficacy_z"], design["z"], rtol=0, atol=1e-5), h5["efficacy_z"]
    assert list(h5["information_fraction"]) == pytest.approx(design["fractions"] + [1.0], rel=1e-12)


def test_text_prints_boundaries(design_run):
    design, doc, _, text = design_run
    block = boundary_block(text, len(design["z"]))
    for k, line in enumerate(block):
        numbers = re.findall(r"[-+]?\d+\.\d+", line)
        assert any(printed_close(n, design["z"][k]) for n in numbers), (
            f"look {k + 1}: no z {design['z'][k]:.4f} in {line!r}\n{text}")


# --- futility off, another futility threshold --------------------------------------------------


def test_futility_off_gives_null_thresholds(vtrial_bin, scenario, tmp_path):
    design = DESIGNS["c_pocock_3looks"]
    out = tmp_path / "x.h5"
    doc = parse_json(run_vtrial(vtrial_bin, tmp_path, *run_args(
        scenario, out, *interim_overrides(design, "analysis.interim.futility=false")), "--json").stdout)
    looks = looks_of(doc)
    assert len(looks) == 3
    assert [e["futility_z"] for e in looks] == [None, None, None], looks
    # non-binding futility: the efficacy boundaries do not depend on it
    assert [e["efficacy_z"] for e in looks] == pytest.approx(design["z"], abs=1e-5)
    check_p_stop(looks, doc["design"])
    h5 = read_looks_h5(out)
    assert np.all(np.isnan(h5["futility_z"])), h5["futility_z"]
    check_h5_matches_json(h5, looks)


def test_futility_threshold_is_reported(vtrial_bin, scenario, tmp_path):
    design = DESIGNS["a_obf_2looks"]
    out = tmp_path / "x.h5"
    doc = parse_json(run_vtrial(vtrial_bin, tmp_path, *run_args(
        scenario, out, *interim_overrides(design, "analysis.interim.futility_z=-0.5")), "--json").stdout)
    looks = looks_of(doc)
    assert [e["futility_z"] for e in looks] == [-0.5, None], looks
    h5 = read_looks_h5(out)
    assert h5["futility_z"][0] == -0.5 and np.isnan(h5["futility_z"][1]), h5["futility_z"]


# --- calendar timing -------------------------------------------------------------------------------


def test_calendar_looks(vtrial_bin, scenario, tmp_path):
    overrides = ("analysis.interim.enabled=true", "analysis.interim.timing=calendar", "analysis.interim.days=[200]")
    out = tmp_path / "x.h5"
    doc = parse_json(run_vtrial(vtrial_bin, tmp_path, *run_args(scenario, out, *overrides), "--json").stdout)
    looks = looks_of(doc)
    assert len(looks) == 2, looks
    interim, final = looks
    assert interim["look"] == 1 and final["look"] == 2
    assert interim["day"] == 200, interim
    # the information fraction and so the boundary of a calendar look vary per trial
    assert interim["information_fraction"] is None, interim
    for e in looks:
        assert e["efficacy_z"] is None and e["efficacy_p"] is None, e
    # The final analysis has no planned day; its fraction is 1 by definition or null like the rest.
    assert final.get("day") is None, final
    assert final["information_fraction"] in (None, 1.0), final
    assert interim["futility_z"] == 0.0 and final["futility_z"] is None, looks
    check_p_stop(looks, doc["design"])

    h5 = read_looks_h5(out)
    check_h5_matches_json(h5, looks)
    assert np.isnan(h5["information_fraction"][0])
    assert np.all(np.isnan(h5["efficacy_z"])) and np.all(np.isnan(h5["efficacy_p"]))

    text = run_vtrial(vtrial_bin, tmp_path, *run_args(scenario, tmp_path / "text.h5", *overrides)).stdout
    boundary_block(text, 2)


# --- fixed design ----------------------------------------------------------------------------------


def test_fixed_design_has_no_looks(vtrial_bin, scenario, tmp_path):
    out = tmp_path / "x.h5"
    doc = parse_json(run_vtrial(vtrial_bin, tmp_path, *run_args(scenario, out), "--json").stdout)
    assert "looks" not in doc["design"], doc["design"]
    with h5py.File(out, "r") as f:
        assert "looks" not in f["design"], list(f["design"])
    text = run_vtrial(vtrial_bin, tmp_path, *run_args(scenario, tmp_path / "text.h5")).stdout
    assert HEADER not in text, text
