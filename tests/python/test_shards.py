"""vtrial.run(..., shard=(K, N)), vtrial.merge and vtrial.missing_shards (issue 12): the same
shards and merge as the command line, from Python."""
import os
from pathlib import Path

import h5py
import numpy as np
import pytest

import vtrial

SCENARIO = str(Path(os.environ["VTRIAL_SOURCE_DIR"]) / "scenarios" / "nct06971913.yaml")
PARAMETRIC = {"model": "parametric"}


def test_shards_merge_to_the_single_run(tmp_path):
    paths = []
    for k in (1, 2, 3):
        path = str(tmp_path / f"s{k}.h5")
        result = vtrial.run(SCENARIO, PARAMETRIC, trials=900, shard=(k, 3), output=path)
        assert result["shard"] == (k, 3) and len(result["trials"]["duration_of_viremia_p"]) == 300
        paths.append(path)
    assert vtrial.missing_shards(paths[:1]) == [(2, 3), (3, 3)]
    assert vtrial.missing_shards(paths) == []
    merged = vtrial.merge(list(reversed(paths)), str(tmp_path / "merged.h5"))
    single = vtrial.run(SCENARIO, PARAMETRIC, trials=900, output=str(tmp_path / "single.h5"))
    with h5py.File(merged, "r") as f:
        assert f.attrs["filetype"] == "vtrial.run"
        for name, column in single["trials"].items():
            assert np.array_equal(f["trials"][name][()], column, equal_nan=True), name
        assert "vtrial.merge" in f.attrs["command"]
    # The shard's rows are the single run's rows of its range, in Python too.
    second = vtrial.run(SCENARIO, PARAMETRIC, trials=900, shard="2/3")
    for name, column in single["trials"].items():
        assert np.array_equal(second["trials"][name], column[300:600], equal_nan=True), name


@pytest.mark.parametrize("shard, error, text", [
    ((4, 3), ValueError, "--shard 4/3: expected K/N"),
    ((0, 0), ValueError, "shard's K"),
    ("a/b", ValueError, "--shard a/b: expected K/N"),
    ((1, 1000), ValueError, "1000 shards of 10 trials would leave some empty"),
    ([1, 2], TypeError, "shard must be a pair (K, N) or a string 'K/N'"),
    ((1.5, 2), TypeError, "shard's K"),
])
def test_bad_shards_raise(shard, error, text):
    with pytest.raises(error) as caught:
        vtrial.run(SCENARIO, PARAMETRIC, trials=10, shard=shard)
    assert text in str(caught.value)


def test_merge_refuses_an_incomplete_set(tmp_path):
    path = str(tmp_path / "s1.h5")
    vtrial.run(SCENARIO, PARAMETRIC, trials=30, shard=(1, 2), output=path)
    with pytest.raises(ValueError, match=r"1 of 2 shards missing: 2/2 \(trials 15 to 29\)"):
        vtrial.merge([path], str(tmp_path / "m.h5"))
    assert not (tmp_path / "m.h5").exists()
    with pytest.raises(TypeError):
        vtrial.merge(path, str(tmp_path / "m.h5"))  # a string, not a list of paths
