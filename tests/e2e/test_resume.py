"""Resume (issue 12): a run of more than one block keeps each completed block in `.NAME.blocks`
as it goes; killed with SIGKILL at any point, the same command with `--resume` simulates only
the missing blocks and writes the file an uninterrupted run writes (every dataset equal, and
`vtrial verify`'s content digest). Blocks of another run are refused; a damaged one is
simulated again; the directory is removed once the output is in place.
"""
import signal
import subprocess
import time

import h5py
import pytest

from test_shards import assert_same_datasets, digest

# Five blocks of 65,536 trials; kept patients, so the first trials' extras are resumed too.
ARGS = ["--set", "model=parametric", "--set", "output.patient_trials=3", "--trials", "300000", "--threads", "1",
        "--json"]
BLOCKS = 5


def vtrial_run(vtrial_bin, scenario, out, *extra, cwd):
    return subprocess.run([vtrial_bin, "run", scenario, *ARGS, *extra, "-o", str(out)], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def uninterrupted(vtrial_bin, scenario, tmp_path_factory):
    directory = tmp_path_factory.mktemp("resume")
    out = directory / "whole.h5"
    done = vtrial_run(vtrial_bin, scenario, out, cwd=directory)
    assert done.returncode == 0, done.stderr
    assert not (directory / ".whole.h5.blocks").exists()  # removed once the output is in place
    return out


def killed_after(vtrial_bin, scenario, out, blocks_done, cwd):
    """Starts the run and SIGKILLs it once `blocks_done` block files exist (0: at once)."""
    kept = cwd / f".{out.name}.blocks"
    proc = subprocess.Popen([vtrial_bin, "run", scenario, *ARGS, "-o", str(out)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if blocks_done == 0 or (kept.is_dir() and len(list(kept.glob("block*.h5"))) >= blocks_done):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not out.exists()
    return kept


@pytest.mark.parametrize("blocks_done", [0, 1, 3])
def test_resume_after_sigkill_equals_the_uninterrupted_run(vtrial_bin, scenario, tmp_path, uninterrupted,
                                                          blocks_done):
    out = tmp_path / "run.h5"
    kept = killed_after(vtrial_bin, scenario, out, blocks_done, tmp_path)
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    if blocks_done > 0:
        assert f"of {BLOCKS} blocks were kept by the run before" in done.stderr, done.stderr
    assert_same_datasets(uninterrupted, out)
    assert digest(vtrial_bin, uninterrupted, tmp_path) == digest(vtrial_bin, out, tmp_path)
    assert not kept.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.h5"]


def test_resume_refuses_blocks_of_another_run(vtrial_bin, scenario, tmp_path):
    out = tmp_path / "run.h5"
    killed_after(vtrial_bin, scenario, out, 1, tmp_path)
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", "--seed", "5", cwd=tmp_path)
    assert done.returncode == 1
    assert "--resume:" in done.stderr and "was kept by another run (the seed differs)" in done.stderr, done.stderr
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", "--set", "trial.patients=120", cwd=tmp_path)
    assert done.returncode == 1 and "(the resolved scenario differs)" in done.stderr, done.stderr
    assert not out.exists()


def test_a_damaged_kept_block_is_simulated_again(vtrial_bin, scenario, tmp_path, uninterrupted):
    out = tmp_path / "run.h5"
    kept = killed_after(vtrial_bin, scenario, out, 2, tmp_path)
    first = kept / "block000000.h5"
    with h5py.File(first, "r") as f:
        info = f["trials/duration_of_viremia_p"].id.get_chunk_info(0)
    with open(first, "r+b") as f:  # a changed byte in the data: its checksum no longer matches
        f.seek(info.byte_offset + 100)
        byte = f.read(1)
        f.seek(info.byte_offset + 100)
        f.write(bytes([byte[0] ^ 0xFF]))
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert digest(vtrial_bin, uninterrupted, tmp_path) == digest(vtrial_bin, out, tmp_path)


def test_a_run_without_resume_starts_afresh_but_keeps_foreign_files(vtrial_bin, scenario, tmp_path, uninterrupted):
    out = tmp_path / "run.h5"
    kept = killed_after(vtrial_bin, scenario, out, 1, tmp_path)
    (kept / "notes.txt").write_text("mine")
    done = vtrial_run(vtrial_bin, scenario, out, cwd=tmp_path)
    assert done.returncode == 1 and "refusing to reuse" in done.stderr and "notes.txt" in done.stderr
    (kept / "notes.txt").unlink()
    done = vtrial_run(vtrial_bin, scenario, out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "kept by the run before" not in done.stderr
    assert digest(vtrial_bin, uninterrupted, tmp_path) == digest(vtrial_bin, out, tmp_path)


def test_resume_is_refused_with_shards(vtrial_bin, scenario, tmp_path):
    done = subprocess.run([vtrial_bin, "run", scenario, "--trials", "10", "--shard", "1/2", "--resume", "-o",
                           str(tmp_path / "x.h5")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--resume is for a single-process run" in done.stderr


def test_ctrl_c_keeps_the_blocks_and_removes_the_unfinished_one(vtrial_bin, scenario, tmp_path, uninterrupted):
    # SIGINT (and SIGTERM) remove the temporary file of the block being written, as of any
    # output; the completed blocks stay, so --resume continues from them.
    out = tmp_path / "run.h5"
    kept = tmp_path / ".run.h5.blocks"
    proc = subprocess.Popen([vtrial_bin, "run", scenario, *ARGS, "-o", str(out)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if kept.is_dir() and len(list(kept.glob("block*.h5"))) >= 2:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGINT
    assert not [p.name for p in kept.iterdir() if ".tmp." in p.name]
    assert len(list(kept.glob("block*.h5"))) >= 2
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert digest(vtrial_bin, uninterrupted, tmp_path) == digest(vtrial_bin, out, tmp_path)


SWEEP = ["sweep", "--set", "model=parametric", "--patients", "60,80,100", "--trials", "140000", "--threads", "1",
         "--json"]


def test_a_killed_sweep_resumes_to_the_uninterrupted_sweep(vtrial_bin, scenario, tmp_path):
    whole = tmp_path / "whole.h5"
    done = subprocess.run([vtrial_bin, SWEEP[0], scenario, *SWEEP[1:], "-o", str(whole)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "sweep.h5"
    kept = tmp_path / ".sweep.h5.blocks"
    proc = subprocess.Popen([vtrial_bin, SWEEP[0], scenario, *SWEEP[1:], "-o", str(out)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and not (kept / "block000000.h5").exists():
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # Blocks of a sweep over other sizes are another run's.
    other = subprocess.run([vtrial_bin, SWEEP[0], scenario, *SWEEP[1:3], "--patients", "60,80", *SWEEP[5:], "-o",
                            str(out), "--resume"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert other.returncode == 1 and "(the sweep's sample sizes differs)" in other.stderr, other.stderr
    done = subprocess.run([vtrial_bin, SWEEP[0], scenario, *SWEEP[1:], "-o", str(out), "--resume"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "of 3 blocks were kept by the sweep before" in done.stderr
    assert_same_datasets(whole, out)
    assert digest(vtrial_bin, whole, tmp_path) == digest(vtrial_bin, out, tmp_path)
    assert not kept.exists()


def test_an_empty_kept_block_is_written_again_and_foreign_files_refused(vtrial_bin, scenario, tmp_path,
                                                                        uninterrupted):
    # What a power cut can leave: a block file of zero bytes. --resume simulates it again
    # (it used to refuse to replace a file it could not read as vtrial's).
    out = tmp_path / "run.h5"
    kept = killed_after(vtrial_bin, scenario, out, 2, tmp_path)
    (kept / "block000000.h5").write_bytes(b"")
    (kept / "notes.txt").write_text("mine")
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", cwd=tmp_path)
    assert done.returncode == 1 and "refusing to reuse" in done.stderr and "notes.txt" in done.stderr
    (kept / "notes.txt").unlink()
    done = vtrial_run(vtrial_bin, scenario, out, "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert digest(vtrial_bin, uninterrupted, tmp_path) == digest(vtrial_bin, out, tmp_path)
