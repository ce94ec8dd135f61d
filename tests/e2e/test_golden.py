"""The run-level golden test: small runs of scenarios/nct06971913.yaml (both models, and the
parametric model with an interim look) must give /trials, /patients and /trajectories bit for bit
as recorded in tests/golden/*.txt. See tests/golden/golden.py for how, and when, to regenerate."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "golden"))
import golden  # noqa: E402


@pytest.mark.parametrize("name", sorted(golden.RUNS))
def test_run_matches_golden(vtrial_bin, tmp_path, name):
    expected = golden.golden_path(name).read_text().splitlines()
    got = golden.run(vtrial_bin, name, tmp_path)
    expected_by_name = {line.split()[0]: line for line in expected}
    got_by_name = {line.split()[0]: line for line in got}
    assert sorted(got_by_name) == sorted(expected_by_name), "datasets added or removed"
    moved = [f"expected {expected_by_name[k]}\n     got {got_by_name[k]}"
             for k in expected_by_name if expected_by_name[k] != got_by_name[k]]
    assert not moved, "datasets differ from the golden run:\n" + "\n".join(moved)
