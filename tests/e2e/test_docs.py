"""The reference docs against the program: fails when docs/scenario.md, docs/model.md or
docs/output.md drift from the keys `vtrial validate` resolves and the datasets `vtrial run` and
`vtrial sweep` write.

Run by ctest as part of `e2e_cli` (VTRIAL_BIN, VTRIAL_SOURCE_DIR). Runs use 50 trials.
"""
import datetime
import math
import re
import subprocess

import h5py
import pytest
import yaml

TRIALS = 50
PER_ENDPOINT_SUFFIXES = ("_p", "_estimate", "_reject")
# Keys whose default depends on other keys (the model, the primary): documented in words.
DEPENDENT_DEFAULTS = {"analysis.endpoints", "analysis.key_secondary"}
# Sections absent unless given (no default to compare): their keys are checked against a
# scenario that has them.
OPTIONAL_SECTIONS = {"uncertainty", "calibration"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("docs")


@pytest.fixture(scope="module")
def vtrial(vtrial_bin, workdir):
    def run(*args):
        proc = subprocess.run([vtrial_bin, *map(str, args)], cwd=workdir, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, (
            f"vtrial {' '.join(map(str, args))}: exit {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc.stdout

    return run


def read_doc(source_dir, name):
    path = source_dir / "docs" / name
    assert path.is_file(), path
    return path.read_text(encoding="utf-8")


def backticked(text):
    """Every `code span` of a markdown text (single line, no nested backticks)."""
    return set(re.findall(r"`([^`\n]+)`", text))


def flatten(mapping, prefix=""):
    """Dotted leaf paths -> values; lists and empty mappings are leaves."""
    out = {}
    for key, value in mapping.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def resolved_keys(vtrial, scenario_path):
    text = vtrial("validate", scenario_path)
    parsed = yaml.safe_load(text)
    assert isinstance(parsed, dict), text
    keys = flatten(parsed)
    assert len(keys) > 50, f"suspiciously few keys resolved: {sorted(keys)}"
    return keys


def table_rows(text, header_first_cell):
    """Cells of the body rows of every markdown table whose header's first cell is given."""
    rows, in_table, lines = [], False, text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not in_table:
            is_header = i + 1 < len(lines) and re.fullmatch(r"\|[-| :]+\|", lines[i + 1].strip() or "x")
            in_table = bool(is_header) and cells[0] == header_first_cell
            continue
        if re.fullmatch(r"[-: ]+", cells[0]):
            continue
        rows.append(cells)
    return rows


def normalized(value):
    """Dates as ISO text, so a documented `2025-05-20` equals the resolved date."""
    return value.isoformat() if isinstance(value, datetime.date) else value


# --- (1) scenario keys ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def scenario_keys(vtrial, scenario, source_dir):
    keys = resolved_keys(vtrial, scenario)
    # The optional sections exist only where a scenario gives them: the shipped assurance
    # scenario has every one (docs/assurance.md).
    assurance = resolved_keys(vtrial, source_dir / "scenarios" / "nct06971913_assurance.yaml")
    keys.update({k: v for k, v in assurance.items() if k.split(".")[0] in OPTIONAL_SECTIONS})
    return keys


def test_every_scenario_key_is_in_scenario_md(scenario_keys, source_dir):
    documented = backticked(read_doc(source_dir, "scenario.md"))
    missing = sorted(k for k in scenario_keys if not k.startswith("mechanistic.") and k not in documented)
    assert not missing, f"docs/scenario.md does not name these keys (as `key.path`): {missing}"


def test_scenario_md_key_tables_name_only_real_keys_with_their_defaults(vtrial, scenario_keys, source_dir,
                                                                         workdir):
    empty = workdir / "empty.yaml"
    empty.write_text("")
    defaults = resolved_keys(vtrial, empty)  # the program's own defaults (parametric model)
    rows = table_rows(read_doc(source_dir, "scenario.md"), "key")
    assert len(rows) >= 35, f"found only {len(rows)} rows in docs/scenario.md's key tables"
    stale, wrong = [], []
    checked = 0
    for cells in rows:
        match = re.fullmatch(r"`([^`]+)`", cells[0])
        assert match, f"docs/scenario.md key table: first cell is not one `key.path`: {cells}"
        key = match.group(1)
        if key == "mechanistic.*":
            continue
        if key not in scenario_keys:
            stale.append(key)
            continue
        if key in DEPENDENT_DEFAULTS or key.split(".")[0] in OPTIONAL_SECTIONS:
            continue
        documented_default = normalized(yaml.safe_load(cells[1].replace("`", "")))
        actual = normalized(defaults[key]) if key in defaults else None
        checked += 1
        if documented_default != actual:
            wrong.append(f"{key}: docs {cells[1]!r}, program {defaults.get(key)!r}")
    assert not stale, f"docs/scenario.md documents keys the program does not read: {stale}"
    assert not wrong, "docs/scenario.md defaults differ from `vtrial validate` of an empty file:\n" + "\n".join(wrong)
    assert checked >= 30


def mechanistic_keys_missing_from_model_md(scenario_keys, model_md):
    """A key `mechanistic.S.K` counts as documented if docs/model.md has `S.K` or
    `mechanistic.S.K` in backticks, or a table row whose key cell starts with `S.<...>` and
    also holds `K` (the `virus.rho_per_day`, `rho_cv` shorthand)."""
    tokens = backticked(model_md)
    rows = [[c for c in line.strip().strip("|").split("|")] for line in model_md.splitlines()
            if line.startswith("|")]
    missing = []
    for key in scenario_keys:
        if not key.startswith("mechanistic."):
            continue
        relative = key[len("mechanistic."):]
        if relative in tokens or key in tokens:
            continue
        section, leaf = relative.rsplit(".", 1) if "." in relative else ("", relative)
        shorthand = False
        for cells in rows:
            key_cell = re.findall(r"`([^`\n]+)`", cells[0]) if cells else []
            if key_cell and key_cell[0].startswith(section + ".") and leaf in key_cell:
                shorthand = True
        if not shorthand:
            missing.append(relative)
    return sorted(missing)


def test_every_mechanistic_key_is_in_model_md(scenario_keys, source_dir):
    assert any(k.startswith("mechanistic.") for k in scenario_keys)
    missing = mechanistic_keys_missing_from_model_md(scenario_keys, read_doc(source_dir, "model.md"))
    assert not missing, f"docs/model.md does not name these mechanistic keys: {missing}"


# --- (2) result datasets -------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_file(vtrial, scenario, workdir):
    path = workdir / "run.h5"
    vtrial("run", scenario, "--trials", TRIALS, "--set", "analysis.interim.enabled=true",
           "--set", "analysis.interim.fractions=[0.5]", "-o", path, "--json")
    return path


@pytest.fixture(scope="module")
def sweep_file(vtrial, scenario, workdir):
    path = workdir / "sweep.h5"
    vtrial("sweep", scenario, "--patients", "20,30", "--trials", TRIALS, "--set", "analysis.interim.enabled=true",
           "-o", path, "--json")
    return path


def group_names(path, group):
    with h5py.File(path, "r") as f:
        assert group in f, f"{path} has no /{group}"
        return sorted(f[group])


def summary_endpoints(path):
    with h5py.File(path, "r") as f:
        return [e.decode() if isinstance(e, bytes) else e for e in f["summary/endpoint"][()]]


def undocumented(names, output_tokens, endpoint_tokens, endpoints):
    """Names not in backticks in docs/output.md. A per-endpoint column E_p / E_estimate /
    E_reject also passes when the pattern `E_p` (etc.) is documented, E is an endpoint of this
    file and E itself is named in the docs."""
    missing = []
    for name in names:
        if name in output_tokens:
            continue
        per_endpoint = any(
            name.endswith(s) and f"E{s}" in output_tokens and name[:-len(s)] in endpoints
            and name[:-len(s)] in endpoint_tokens for s in PER_ENDPOINT_SUFFIXES)
        look = re.fullmatch(r"p_stop_at_look\d+", name) and "p_stop_at_look<j>" in output_tokens
        if not (per_endpoint or look):
            missing.append(name)
    return missing


@pytest.fixture(scope="module")
def doc_tokens(source_dir):
    output = backticked(read_doc(source_dir, "output.md"))
    scenario_md = read_doc(source_dir, "scenario.md")
    endpoints_section = scenario_md[scenario_md.index("## Endpoints"):]
    return output, output | backticked(endpoints_section)


@pytest.mark.parametrize("group", ["trials", "design", "summary", "patients", "trajectories"])
def test_every_run_dataset_is_in_output_md(run_file, doc_tokens, group):
    output_tokens, endpoint_tokens = doc_tokens
    names = group_names(run_file, group)
    if group == "trials":
        assert any(n.startswith("gs_") for n in names), names  # interim columns are there to check
    if group == "design":
        assert "p_futility_stop" in names, names
    missing = undocumented(names, output_tokens, endpoint_tokens, summary_endpoints(run_file))
    assert not missing, f"docs/output.md does not name these /{group} datasets: {missing}"


def test_every_summary_endpoint_is_documented(run_file, doc_tokens):
    _, endpoint_tokens = doc_tokens
    endpoints = summary_endpoints(run_file)
    assert "group_sequential" in endpoints and "clinical_response" in endpoints, endpoints
    missing = [e for e in endpoints if e not in endpoint_tokens]
    assert not missing, f"endpoints not named in docs/scenario.md (Endpoints) or docs/output.md: {missing}"


def test_every_sweep_dataset_is_in_output_md(sweep_file, doc_tokens):
    output_tokens, _ = doc_tokens
    names = group_names(sweep_file, "sweep")
    missing = [n for n in names if n not in output_tokens]
    assert not missing, f"docs/output.md does not name these /sweep datasets: {missing}"


def test_root_attributes_and_filetypes_are_in_output_md(run_file, sweep_file, doc_tokens):
    output_tokens, _ = doc_tokens
    for path, filetype in ((run_file, "vtrial.run"), (sweep_file, "vtrial.sweep")):
        with h5py.File(path, "r") as f:
            attrs = sorted(f.attrs)
            actual = f.attrs["filetype"]
        assert (actual.decode() if isinstance(actual, bytes) else actual) == filetype
        assert filetype in output_tokens
        missing = [a for a in attrs if a not in output_tokens]
        assert not missing, f"docs/output.md does not name these root attributes of {path.name}: {missing}"


# --- accepted ranges: the documented ones are the ones the program checks --------------------
# tests/e2e/test_key_ranges.py runs every key at the edges the program checks; these two make
# sure the docs state those same edges.


@pytest.fixture(scope="module")
def key_domains(vtrial, scenario):
    import json

    listing = json.loads(vtrial("validate", scenario, "--keys", "--json"))["keys"]
    return {k["key"]: k for k in listing}


def test_model_md_accepted_column_is_what_the_program_checks(key_domains, source_dir):
    from doc_ranges import compact, row_keys

    rows = table_rows(read_doc(source_dir, "model.md"), "key (`mechanistic.`)")
    assert len(rows) >= 50, len(rows)
    wrong, documented = [], set()
    for cells in rows:
        names = ["mechanistic." + n for n in row_keys(cells[0])]
        documented.update(names)
        expected = "; ".join(compact(key_domains[n]["accepted"]) for n in names if n in key_domains)
        if cells[2] != expected:
            wrong.append(f"{cells[0]}: docs '{cells[2]}', program '{expected}'")
    assert not wrong, "docs/model.md 'accepted' cells differ from `vtrial validate --keys`:\n" + "\n".join(wrong)
    numeric = {k for k, d in key_domains.items() if k.startswith("mechanistic.") and d["kind"] in ("real", "integer")}
    assert numeric <= documented, f"docs/model.md has no row for {sorted(numeric - documented)}"


def numbers_in(text):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text.replace("−", "-"))]


def test_scenario_md_ranges_are_what_the_program_checks(key_domains, source_dir):
    text = read_doc(source_dir, "scenario.md")
    rows = table_rows(text, "key") + table_rows(text, "item key")
    by_key = {re.fullmatch(r"`([^`]+)`", cells[0]).group(1): cells for cells in rows}
    wrong, checked = [], 0
    for key, domain in key_domains.items():
        if domain["kind"] not in ("real", "integer", "real_list"):
            continue
        # An item key (arms.1.parametric.hazard_ratio, endpoints.0.by_day) is documented by its name.
        bare = re.sub(r"^(arms|endpoints)\.\d+\.", "", key)
        cells = by_key.get(key) or by_key.get(bare)
        if cells is None:
            continue
        checked += 1
        stated = numbers_in(cells[2])
        for bound in (domain["low"], domain["high"]):
            if bound is not None and not any(math.isclose(bound, s, rel_tol=1e-12, abs_tol=0) for s in stated):
                wrong.append(f"{key}: docs '{cells[2]}' do not state the bound {bound:g} ({domain['accepted']})")
        if domain["high"] is None and len(stated) > 1:
            wrong.append(f"{key}: docs '{cells[2]}' state an upper bound; the program has none")
    assert checked >= 25, checked
    assert not wrong, "docs/scenario.md ranges differ from `vtrial validate --keys`:\n" + "\n".join(wrong)
