"""examples/dask_shards.py (issue 12): shards run as dask.distributed tasks on a local cluster of
two worker processes, merged by vtrial.merge, give the single run's file (every dataset equal).
Skipped when Debian's python3-distributed is not installed."""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import vtrial

pytest.importorskip("distributed")


def test_dask_shards_merge_to_the_single_run(tmp_path):
    source = Path(os.environ["VTRIAL_SOURCE_DIR"])
    scenario = str(source / "scenarios" / "nct06971913.yaml")
    merged = tmp_path / "merged.h5"
    done = subprocess.run([sys.executable, str(source / "examples" / "dask_shards.py"), scenario, "--shards", "5",
                           "--trials", "3000", "--set", "model=parametric", "--output", str(merged)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    single = tmp_path / "single.h5"
    vtrial.run(scenario, ["model=parametric"], trials=3000, output=str(single))
    with h5py.File(single, "r") as a, h5py.File(merged, "r") as b:
        names = []
        a.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        for name in names:
            x, y = a[name][()], b[name][()]
            if x.dtype.kind in "fiu":
                assert np.array_equal(x, y, equal_nan=True), name
            else:
                assert list(x) == list(y), name
    # Only the merged file is left: the shards lived in a temporary directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merged.h5", "single.h5"]
