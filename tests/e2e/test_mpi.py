"""MPI (issue 12): `mpirun -n R vtrial run ...` spreads the trials over R ranks and rank 0
writes one file, equal to the single-process run's dataset for dataset (and by `vtrial verify`'s
content digest). A rank that fails ends the whole job with its error, a non-zero exit and no
output file. Skipped when the build has no MPI (`vtrial --version` says) or mpirun is missing.
"""
import json
import os
import shutil
import subprocess

import pytest

from test_shards import assert_same_datasets, digest


@pytest.fixture(scope="module")
def mpirun(vtrial_bin):
    version = subprocess.run([vtrial_bin, "--version"], capture_output=True, text=True, check=True).stdout
    if "MPI yes" not in version or not shutil.which("mpirun"):
        pytest.skip("this build has no MPI, or mpirun is not installed")
    return shutil.which("mpirun")


def mpi_env():
    env = dict(os.environ)
    # CI runs as root; Open MPI refuses root unless told, and a 2-core machine needs
    # oversubscription for 3 ranks.
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
    return env


def mpi_run(mpirun, ranks, vtrial_bin, *args, cwd, env=None):
    return subprocess.run([mpirun, "-n", str(ranks), vtrial_bin, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=env or mpi_env())


# The mechanistic case keeps patients and trajectories (block 0, rank 0); the parametric one has
# three 65,536-trial blocks, so with 2 ranks rank 0 runs two of them and with 3 each runs one.
CASES = {
    "mechanistic": ["--trials", "100", "--set", "output.patient_trials=5"],
    "parametric": ["--set", "model=parametric", "--trials", "140000"],
}


@pytest.mark.parametrize("model", sorted(CASES))
def test_mpirun_gives_the_single_process_file(vtrial_bin, scenario, tmp_path, mpirun, model):
    single = tmp_path / "single.h5"
    done = subprocess.run([vtrial_bin, "run", scenario, *CASES[model], "-o", single, "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for ranks in (1, 2, 3):
        out = tmp_path / f"mpi{ranks}.h5"
        done = mpi_run(mpirun, ranks, vtrial_bin, "run", scenario, *CASES[model], "--threads", 1, "-o", out,
                       "--json", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)  # rank 0 alone prints: exactly one JSON line
        assert summary["ranks"] == ranks
        assert_same_datasets(single, out)
        assert digest(vtrial_bin, single, tmp_path) == digest(vtrial_bin, out, tmp_path)


def test_a_failing_rank_ends_the_job_without_output(vtrial_bin, scenario, tmp_path, mpirun):
    env = mpi_env()
    env["VTRIAL_FAULT_RANK"] = "1"
    out = tmp_path / "never.h5"
    done = mpi_run(mpirun, 2, vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", 140000,
                   "--threads", 1, "-o", out, "--json", cwd=tmp_path, env=env)
    assert done.returncode != 0
    assert "vtrial: error (rank 1 of 2): injected fault (VTRIAL_FAULT_RANK=1)" in done.stderr, done.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # rank 0's temporary file removed too


def test_a_bad_scenario_is_reported_once(vtrial_bin, scenario, tmp_path, mpirun):
    done = mpi_run(mpirun, 2, vtrial_bin, "run", scenario, "--set", "trial.patients=1", "-o", tmp_path / "x.h5",
                   cwd=tmp_path)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("vtrial")]
    assert len(lines) == 1 and "trial.patients: expected an integer from 2 to 100000, got 1" in lines[0], done.stderr


@pytest.mark.parametrize("command", [
    ["sweep", "--patients", "40,60,80", "--trials", "140"],
    ["samplesize", "--set", "model=parametric", "--trials", "2000"],
], ids=["sweep", "samplesize"])
def test_sweep_and_samplesize_under_mpirun_give_the_single_process_file(vtrial_bin, scenario, tmp_path, mpirun,
                                                                       command):
    # Each rank simulates its part of the trials at every N; every rank gets the whole tables,
    # so a sample-size search takes the same steps everywhere; rank 0 writes.
    name, *args = command
    single = tmp_path / "single.h5"
    done = subprocess.run([vtrial_bin, name, scenario, *args, "-o", single, "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for ranks in (2, 3):
        out = tmp_path / f"mpi{ranks}.h5"
        done = mpi_run(mpirun, ranks, vtrial_bin, name, scenario, *args, "--threads", 1, "-o", out, "--json",
                       cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        json.loads(done.stdout)  # one JSON object, from rank 0
        assert_same_datasets(single, out)
        assert digest(vtrial_bin, single, tmp_path) == digest(vtrial_bin, out, tmp_path)


def test_commands_not_distributed_are_refused_under_mpirun(vtrial_bin, scenario, tmp_path, mpirun):
    done = mpi_run(mpirun, 2, vtrial_bin, "verify", scenario, cwd=tmp_path)
    assert done.returncode != 0
    assert "only run, sweep and samplesize are spread over MPI ranks" in done.stderr
    assert list(tmp_path.iterdir()) == []
