"""Every value the validator accepts runs (issue 16, class 2: "the documented ranges are the
ones that work").

`vtrial validate --keys --json` lists every key of a scenario with what its getter accepts. For
each key this test takes the extremes of that range (both ends of a closed interval, the next
double inside an open end, the largest finite double for an unbounded one), every value of a
choice or a boolean, the first and last accepted date, and each single name of a name list. Each
value must either be refused by `vtrial validate` (exit 1, a message naming a key) or simulate:
`vtrial run` exits 0 within the time limit and every power it reports is a number in [0, 1].
A hang, a crash, a late failure or a NaN power fails the test, naming the key and the value.

Both models are covered: the registered scenario (mechanistic) for every key but the parametric
model's own, the same scenario with `model=parametric` for those, and the three-arm scenario for
its arms. Each run is tiny (2 trials) so the sweep stays within a minute or two on 2 cores.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

TIMEOUT_S = 120
TRIALS = 2
BIG = sys.float_info.max


def keys_of(vtrial_bin, scenario, sets):
    args = [vtrial_bin, "validate", scenario, "--keys", "--json"]
    for s in sets:
        args += ["--set", s]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)["keys"]


def yaml_number(x):
    return repr(float(x)) if isinstance(x, float) else str(x)


def edge_values(key):
    """The extreme accepted values of one key, as --set text."""
    kind = key["kind"]
    if kind in ("real", "real_list"):
        low = -BIG if key["low"] is None else key["low"]
        high = BIG if key["high"] is None else key["high"]
        if key["low"] is not None and key["low_open"]:
            low = math.nextafter(low, math.inf)
        if key["high"] is not None and key["high_open"]:
            high = math.nextafter(high, -math.inf)
        return [yaml_number(float(low)), yaml_number(float(high))]
    if kind == "integer":
        return [str(key["low"]), str(key["high"])]
    if kind in ("choice", "boolean"):
        return list(key["values"])
    if kind == "date":
        return ["1900-01-01", "2199-12-31"]
    if kind == "text_list" and key["values"]:
        return ["[" + v + "]" for v in key["values"]]
    return []


def cases(vtrial_bin, source_dir):
    scenarios = source_dir / "scenarios"
    registered = str(scenarios / "nct06971913.yaml")
    variants = [
        (registered, [], lambda k: not k.startswith("parametric.")),
        (registered, ["model=parametric"], lambda k: k.startswith("parametric.")),
        (str(scenarios / "nct06971913_dose_finding.yaml"), [], lambda k: k.startswith("arms.")),
    ]
    out = []
    for scenario, sets, wanted in variants:
        for key in keys_of(vtrial_bin, scenario, sets):
            if not wanted(key["key"]) or key["key"] in ("simulation.trials", "simulation.threads"):
                continue
            for value in edge_values(key):
                out.append((scenario, sets, key["key"], value))
    return out


def shown(path):
    """arms.1.ratio -> arms[1].ratio, as messages show it."""
    parts = path.split(".")
    text = parts[0]
    for p in parts[1:]:
        text += f"[{p}]" if p.isdigit() else "." + p
    return text


def check_one(vtrial_bin, workdir, case, index):
    scenario, sets, key, value = case
    set_args = []
    for s in sets + [f"{key}={value}"]:
        set_args += ["--set", s]
    label = f"--set {key}={value} on {os.path.basename(scenario)} {' '.join(sets)}".strip()
    validate = subprocess.run(
        [vtrial_bin, "validate", scenario, *set_args], capture_output=True, text=True, timeout=60
    )
    if validate.returncode != 0:
        message = validate.stderr.strip()
        if validate.returncode != 1 or "vtrial: error:" not in message:
            return "fail", f"{label}: validate exited {validate.returncode}: {message}"
        # A cross-key check names the other key; any key path in the message will do.
        if ":" not in message:
            return "fail", f"{label}: refused without naming a key: {message}"
        return "refused", message
    output = os.path.join(workdir, f"case{index}.h5")
    try:
        run = subprocess.run(
            [vtrial_bin, "run", scenario, *set_args, "--trials", str(TRIALS), "--threads", "1",
             "--json", "--output", output],
            capture_output=True, text=True, timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return "fail", f"{label}: accepted by validate, but the run took more than {TIMEOUT_S} s"
    finally:
        if os.path.exists(output):
            os.remove(output)
    if run.returncode != 0:
        return "fail", f"{label}: accepted by validate, but the run failed ({run.returncode}): {run.stderr.strip()}"
    result = json.loads(run.stdout)
    for endpoint in result["endpoints"]:
        power = endpoint["power"]
        if power is None or not 0 <= power <= 1:
            return "fail", f"{label}: endpoint {endpoint['name']} has power {power}"
    return "ran", ""


def test_every_accepted_value_runs(vtrial_bin, source_dir):
    all_cases = cases(vtrial_bin, source_dir)
    assert len(all_cases) > 300, len(all_cases)  # the listing really covered the scenario
    with tempfile.TemporaryDirectory() as workdir, ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outcomes = list(pool.map(lambda ic: check_one(vtrial_bin, workdir, ic[1], ic[0]), enumerate(all_cases)))
    failures = [text for kind, text in outcomes if kind == "fail"]
    counts = {kind: sum(1 for k, _ in outcomes if k == kind) for kind in ("ran", "refused", "fail")}
    print(f"key-range edges: {len(all_cases)} values; ran {counts['ran']}, refused at load {counts['refused']}, "
          f"failed {counts['fail']}")
    assert not failures, f"{len(failures)} of {len(all_cases)} edge values failed:\n" + "\n".join(failures)
