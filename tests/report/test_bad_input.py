"""What `vtrial report` does with what it cannot report: one clear line naming the file and the
reason, a non-zero exit, and no page (nor a temporary file) left behind."""
import os
import shutil
import signal
import subprocess
import time

import h5py
import pytest
from report_inputs import run


def leftovers(directory):
    return [p for p in os.listdir(directory) if p.endswith(".tmp")]


def refused(*args, status=1):
    done = run("report", *args, check=False)
    assert done.returncode == status, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def out(tmp_path):
    return tmp_path / "report.html"


def test_a_text_file(tmp_path, out):
    bad = tmp_path / "notes.h5"
    bad.write_text("not a result\n")
    assert "not an HDF5 file" in refused(bad, "--output", out)
    assert not out.exists() and not leftovers(tmp_path)


def test_an_hdf5_file_vtrial_did_not_write(tmp_path, out):
    bad = tmp_path / "other.h5"
    with h5py.File(bad, "w") as f:
        f["x"] = [1.0, 2.0]
    message = refused(bad, "--output", out)
    assert "other.h5" in message and "not a vtrial result" in message
    assert not out.exists() and not leftovers(tmp_path)


def test_a_truncated_file(tmp_path, out, result_files):
    whole = result_files["parametric_run"].read_bytes()
    bad = tmp_path / "truncated.h5"
    bad.write_bytes(whole[: len(whole) // 2])
    message = refused(bad, "--output", out)
    assert "truncated.h5" in message and "truncated or damaged" in message
    assert not out.exists() and not leftovers(tmp_path)


def test_a_newer_format_version(tmp_path, out, result_files):
    newer = tmp_path / "newer.h5"
    shutil.copy(result_files["parametric_sweep"], newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = 3
    message = refused(newer, "--output", out)
    assert "format_version 3 is newer" in message
    assert not out.exists()


def test_a_shard_is_not_a_whole_result(tmp_path, out, scenarios):
    shard = tmp_path / "s1.h5"
    run("run", scenarios / "nct06971913.yaml", "--set", "model=parametric", "--trials", "40", "--shard", "1/2",
        "--output", shard)
    assert "vtrial merge" in refused(shard, "--output", out)
    assert not out.exists()


def test_one_bad_file_among_good_ones_leaves_no_page(tmp_path, out, result_files):
    missing = tmp_path / "missing.h5"
    message = refused(result_files["parametric_run"], missing, "--output", out)
    assert "missing.h5: no such file" in message
    assert not out.exists() and not leftovers(tmp_path)


def test_an_unwritable_output(tmp_path, result_files):
    good = result_files["parametric_sweep"]
    assert "does not exist" in refused(good, "--output", tmp_path / "no" / "such" / "dir.html")
    # Even root cannot create a file in /proc; a failed write must not be mistaken for success.
    assert "cannot write" in refused(good, "--output", "/proc/vtrial-report-test.html")
    if os.geteuid() != 0:  # permissions bind everyone but root
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        try:
            assert "not writable" in refused(good, "--output", locked / "r.html")
        finally:
            locked.chmod(0o755)


def test_never_replaces_what_is_not_a_report(tmp_path, result_files):
    good = result_files["parametric_sweep"]
    precious = tmp_path / "minutes.html"
    precious.write_text("<html>the committee's minutes</html>")
    assert "refusing to replace" in refused(good, "--output", precious)
    assert precious.read_text() == "<html>the committee's minutes</html>"
    assert "refusing to replace" in refused(good, "--output", tmp_path)  # a directory
    assert "refusing to replace" in refused(good, "--output", good)  # the input itself
    link = tmp_path / "link.html"
    link.symlink_to(precious)
    assert "refusing to replace" in refused(good, "--output", link)


def test_an_earlier_report_is_replaced(tmp_path, result_files):
    page = tmp_path / "r.html"
    run("report", result_files["parametric_sweep"], "--output", page)
    first = page.read_text()
    run("report", result_files["parametric_sweep"], "--output", page)
    assert page.read_text() == first  # the same files give the same page, byte for byte
    assert oct(page.stat().st_mode & 0o777) != "0o600"


def test_usage_errors(tmp_path, result_files):
    assert "--output" in refused(result_files["parametric_sweep"], status=2)
    assert "FILE.h5" in refused("--output", tmp_path / "r.html", status=2)
    assert "give a file name" in refused(result_files["parametric_sweep"], "--output", "-")
    done = run("report", "--help")
    assert "--output" in done.stdout and done.returncode == 0


def test_the_command_names_what_it_cannot_find(tmp_path, result_files):
    out = tmp_path / "r.html"
    env = dict(os.environ, VTRIAL_REPORT_DIR=str(tmp_path / "nowhere"))
    done = subprocess.run([os.environ["VTRIAL_BIN"], "report", result_files["parametric_sweep"], "--output", out],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "VTRIAL_REPORT_DIR" in done.stderr and not out.exists()
    env = dict(os.environ, VTRIAL_REPORT_PYTHON=str(tmp_path / "no-python"))
    done = subprocess.run([os.environ["VTRIAL_BIN"], "report", result_files["parametric_sweep"], "--output", out],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "needs the Python interpreter" in done.stderr and not out.exists()


def test_an_interpreter_without_the_packages_says_which(tmp_path, result_files):
    other = shutil.which("python3")
    if not other or os.path.realpath(other) == os.path.realpath("/usr/bin/python3"):
        pytest.skip("no other python3 on PATH")
    lacks = subprocess.run([other, "-E", "-s", "-c", "import numpy, h5py, matplotlib, yaml"], capture_output=True)
    if lacks.returncode == 0:
        pytest.skip(f"{other} has the packages too")
    out = tmp_path / "r.html"
    done = subprocess.run([os.environ["VTRIAL_BIN"], "report", result_files["parametric_sweep"], "--output", out],
                          env=dict(os.environ, VTRIAL_REPORT_PYTHON=other), capture_output=True, text=True)
    assert done.returncode == 1 and "python3-h5py" in done.stderr and not out.exists(), done.stderr


def test_a_killed_command_leaves_no_page(tmp_path, result_files):
    out = tmp_path / "r.html"
    command = subprocess.Popen([os.environ["VTRIAL_BIN"], "report", result_files["mechanistic_run"], "--output", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)  # Python is still importing matplotlib: the page cannot be written yet
    command.send_signal(signal.SIGTERM)
    command.wait(timeout=60)
    time.sleep(3)  # the report process, had it survived its parent, would have written by now
    assert not out.exists() and not leftovers(tmp_path)
