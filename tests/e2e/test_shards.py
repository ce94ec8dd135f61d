"""Shards and merge (issue 12): `vtrial run --shard K/N` runs the K-th of N contiguous ranges of
trials; `vtrial merge` joins the shard files into the file one `vtrial run` writes, every
dataset bit-identical (compared here value by value and by `vtrial verify`'s content digest),
and refuses, naming the problem and writing nothing, shards that are not of one run or do not
cover every trial exactly once.
"""
import json
import subprocess

import h5py
import numpy as np
import pytest


def run(vtrial_bin, *args, cwd, check=True):
    done = subprocess.run([vtrial_bin, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"vtrial {' '.join(map(str, args))}: {done.stderr}"
    return done


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def assert_same_datasets(a, b):
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db)
    for name in da:
        x, y = da[name], db[name]
        if x.dtype.kind in "fiu":
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), name
        else:
            assert list(x) == list(y), name


def digest(vtrial_bin, path, cwd):
    return json.loads(run(vtrial_bin, "verify", path, "--json", cwd=cwd).stdout)["files"][0]["digest"]


# Both models; the mechanistic one with kept patients and trajectories in the first shard only,
# the parametric one over more than one 65,536-row block so shards and blocks do not align.
CASES = {
    "mechanistic": (["--trials", "120", "--set", "output.patient_trials=7"], (3, 7)),
    "parametric": (["--set", "model=parametric", "--trials", "150001"], (3, 7)),
}


@pytest.mark.parametrize("model", sorted(CASES))
def test_merged_shards_equal_the_single_run(vtrial_bin, scenario, tmp_path, model):
    args, splits = CASES[model]
    single = tmp_path / "single.h5"
    run(vtrial_bin, "run", scenario, *args, "-o", single, "--json", cwd=tmp_path)
    for n in splits:
        paths = []
        for k in range(1, n + 1):
            path = tmp_path / f"s{k}of{n}.h5"
            out = json.loads(run(vtrial_bin, "run", scenario, *args, "--shard", f"{k}/{n}", "-o", path, "--json",
                                 "--threads", 1 + k % 2, cwd=tmp_path).stdout)
            assert out["shard"] == f"{k}/{n}"
            with h5py.File(path, "r") as f:
                assert f.attrs["filetype"] == "vtrial.shard" and f.attrs["shard"] == f"{k}/{n}"
            paths.append(path)
        merged = tmp_path / f"merged{n}.h5"
        # Any order of arguments.
        done = run(vtrial_bin, "merge", *reversed(paths), "--output", merged, cwd=tmp_path)
        assert f"merged {n} shards" in done.stdout
        assert_same_datasets(single, merged)
        assert digest(vtrial_bin, single, tmp_path) == digest(vtrial_bin, merged, tmp_path)
        with h5py.File(merged, "r") as f:
            assert f.attrs["filetype"] == "vtrial.run"
            assert "merge" in f.attrs["command"]


SWEEPS = {
    "mechanistic": ["--trials", "140", "--patients", "40,60,80"],
    "parametric": ["--set", "model=parametric", "--trials", "3000", "--patients", "60:140:20"],
}


@pytest.mark.parametrize("model", sorted(SWEEPS))
def test_merged_sweep_shards_equal_the_single_sweep(vtrial_bin, scenario, tmp_path, model):
    # A sweep's shard holds each N's per-trial rows of its trials; merge joins them and computes
    # the sweep (power, paired differences, design per N) as a single sweep does.
    args = SWEEPS[model]
    single = tmp_path / "single.h5"
    run(vtrial_bin, "sweep", scenario, *args, "-o", single, "--json", cwd=tmp_path)
    for n in (3, 7):
        paths = [tmp_path / f"w{k}of{n}.h5" for k in range(1, n + 1)]
        for k, path in enumerate(paths, start=1):
            run(vtrial_bin, "sweep", scenario, *args, "--shard", f"{k}/{n}", "-o", path, "--json", cwd=tmp_path)
            assert json.loads(run(vtrial_bin, "verify", path, "--json", cwd=tmp_path).stdout)["files"][0]["ok"]
        merged = tmp_path / f"merged{n}.h5"
        run(vtrial_bin, "merge", *paths, "-o", merged, cwd=tmp_path)
        assert_same_datasets(single, merged)
        assert digest(vtrial_bin, single, tmp_path) == digest(vtrial_bin, merged, tmp_path)
    # Shards of sweeps over other sizes are not of one run.
    other = tmp_path / "other.h5"
    run(vtrial_bin, "sweep", scenario, *args[:-1], "40,50", "--shard", "2/3", "-o", other, "--json", cwd=tmp_path)
    line = refused(vtrial_bin, tmp_path, tmp_path / "w1of3.h5", other, tmp_path / "w3of3.h5")
    assert "the sweep's sample sizes differs" in line, line


@pytest.fixture(scope="module")
def three_shards(vtrial_bin, scenario, tmp_path_factory):
    directory = tmp_path_factory.mktemp("shards")
    paths = []
    for k in (1, 2, 3):
        path = directory / f"s{k}.h5"
        run(vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", 300, "--shard", f"{k}/3", "-o",
            path, "--json", cwd=directory)
        paths.append(path)
    return directory, paths


def refused(vtrial_bin, cwd, *args):
    out = cwd / "out.h5"
    done = run(vtrial_bin, "merge", *args, "-o", out, cwd=cwd, check=False)
    assert done.returncode == 1, done
    assert not out.exists() and not [p for p in cwd.iterdir() if ".tmp." in p.name]
    (line,) = done.stderr.strip().splitlines()
    return line


def test_merge_refuses_a_missing_shard_and_lists_it(vtrial_bin, three_shards):
    directory, (s1, s2, s3) = three_shards
    line = refused(vtrial_bin, directory, s1, s3)
    assert "1 of 3 shards missing: 2/3 (trials 100 to 199)" in line, line
    done = run(vtrial_bin, "merge", s3, s1, "--missing", cwd=directory, check=False)
    assert done.returncode == 1 and done.stdout == "--shard 2/3\n"
    done = run(vtrial_bin, "merge", s3, s1, s2, "--missing", cwd=directory)
    assert done.stdout == "# no shard missing\n"


def test_merge_refuses_a_doubled_and_an_overlapping_shard(vtrial_bin, scenario, three_shards):
    directory, (s1, s2, s3) = three_shards
    copy = directory / "copy_of_s2.h5"
    copy.write_bytes(s2.read_bytes())
    line = refused(vtrial_bin, directory, s1, s2, copy, s3)
    assert "shard 2/3 (trials 100 to 199) is given twice" in line, line
    # Shard 1/2 covers trials 0-149, overlapping 1/3 and 2/3.
    half = directory / "half.h5"
    run(vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", 300, "--shard", "1/2", "-o", half,
        "--json", cwd=directory)
    line = refused(vtrial_bin, directory, s1, s2, s3, half)
    assert "the number of shards differs" in line and "(3)" in line and "(2)" in line, line


def test_merge_refuses_shards_of_another_run(vtrial_bin, scenario, three_shards):
    directory, (s1, s2, s3) = three_shards
    other_seed = directory / "seed.h5"
    run(vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", 300, "--seed", 5, "--shard", "2/3",
        "-o", other_seed, "--json", cwd=directory)
    line = refused(vtrial_bin, directory, s1, other_seed, s3)
    assert "the seed differs" in line and "(20250520)" in line and "(5)" in line, line
    other_n = directory / "patients.h5"
    run(vtrial_bin, "run", scenario, "--set", "model=parametric", "--set", "trial.patients=120", "--trials", 300,
        "--shard", "2/3", "-o", other_n, "--json", cwd=directory)
    line = refused(vtrial_bin, directory, s1, other_n, s3)
    assert "the resolved scenario" in line and "patients: 100" in line and "patients: 120" in line, line
    single = directory / "single.h5"
    run(vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", 300, "-o", single, "--json",
        cwd=directory)
    line = refused(vtrial_bin, directory, s1, s2, single)
    assert "not a shard file" in line and "vtrial.run" in line, line


@pytest.mark.parametrize("shard", ["3/2", "0/0", "a/b", "1/0", "0/3", "1/2/3", "", "2", "-1/3", "1/1000001"])
def test_bad_shard_is_refused_naming_the_flag(vtrial_bin, scenario, tmp_path, shard):
    done = run(vtrial_bin, "run", scenario, "--trials", 10, "--shard", shard, "-o", tmp_path / "x.h5", cwd=tmp_path,
               check=False)
    assert done.returncode == 2, done
    assert f"--shard {shard}: expected K/N with 1 <= K <= N <= 1000000" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_more_shards_than_trials_is_refused(vtrial_bin, scenario, tmp_path):
    done = run(vtrial_bin, "run", scenario, "--trials", 10, "--shard", "3/20", "-o", tmp_path / "x.h5",
               cwd=tmp_path, check=False)
    assert done.returncode == 1 and "20 shards of 10 trials would leave some empty" in done.stderr
    assert list(tmp_path.iterdir()) == []
