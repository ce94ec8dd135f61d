"""Result files can be checked (issue 16, class 7): a changed byte is an error, not a number.

Every dataset is chunked with a Fletcher-32 checksum, and the superblock and object headers are
written in HDF5's checksummed (1.8+) format, so HDF5 itself refuses a changed byte: `vtrial
verify` names the object, h5py raises. `vtrial verify` also prints a content digest that is the
same for two files holding the same results (any thread count, any command) and differs
otherwise; the root attributes `command` and `source_revision` record how a file was made.
"""
import json
import re
import shutil
import subprocess

import h5py
import numpy as np
import pytest

TRIALS = 60


@pytest.fixture(scope="module")
def result(vtrial_bin, scenario, tmp_path_factory):
    """A mechanistic run file with kept patients and trajectories (every kind of dataset)."""
    directory = tmp_path_factory.mktemp("checksums")
    path = directory / "run.h5"
    done = subprocess.run([vtrial_bin, "run", scenario, "--trials", str(TRIALS), "-o", str(path), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path


def verify(vtrial_bin, *paths):
    done = subprocess.run([vtrial_bin, "verify", *map(str, paths), "--json"], capture_output=True, text=True,
                          timeout=300)
    return done.returncode, json.loads(done.stdout)["files"] if done.stdout else done.stderr


def datasets(path):
    names = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return names


def flipped_copy(source, target, offset):
    shutil.copyfile(source, target)
    with open(target, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x5A]))


def test_an_intact_file_verifies(vtrial_bin, result):
    status, files = verify(vtrial_bin, result)
    assert status == 0, files
    (entry,) = files
    assert entry["ok"] and entry["filetype"] == "vtrial.run" and entry["problems"] == []
    assert entry["datasets"] == len(datasets(result)) > 50
    assert re.fullmatch(r"[0-9a-f]{16}", entry["digest"])


def test_every_numeric_dataset_has_a_checksum(result):
    with h5py.File(result, "r") as f:
        unchecked = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.dtype.kind != "O" and obj.size > 0 and not obj.fletcher32:
                unchecked.append(name)

        f.visititems(visit)
    assert unchecked == []


def test_a_changed_byte_in_any_dataset_is_refused(vtrial_bin, result, tmp_path):
    # One byte in the middle of the first chunk of each numeric dataset: verify names the dataset
    # and exits 1; h5py raises rather than return a changed number.
    checked = 0
    with h5py.File(result, "r") as f:
        targets = []
        for name in datasets(result):
            ds = f[name]
            if ds.dtype.kind == "O" or ds.size == 0:
                continue
            info = ds.id.get_chunk_info(0)
            targets.append((name, info.byte_offset + info.size // 2))
    for name, offset in targets:
        damaged = tmp_path / "damaged.h5"
        flipped_copy(result, damaged, offset)
        status, files = verify(vtrial_bin, damaged)
        assert status == 1, f"a byte changed in /{name} was not detected"
        assert any(p.startswith(f"/{name}:") for p in files[0]["problems"]), files[0]["problems"]
        with h5py.File(damaged, "r") as f, pytest.raises(OSError):
            f[name][()]
        checked += 1
    assert checked > 50


def test_a_changed_byte_in_the_file_structure_is_refused(vtrial_bin, result, tmp_path):
    # The superblock and the object header of the root group, a group and a dataset: HDF5's
    # metadata checksums catch each.
    with h5py.File(result, "r") as f:
        addresses = {"superblock": 20, "/": h5py.h5o.get_info(f.id).addr, "/trials": h5py.h5o.get_info(f["trials"].id).addr,
                     "/summary/power": h5py.h5o.get_info(f["summary/power"].id).addr}
    for what, address in addresses.items():
        damaged = tmp_path / "damaged.h5"
        flipped_copy(result, damaged, address + (0 if what == "superblock" else 10))
        status, files = verify(vtrial_bin, damaged)
        assert status == 1, f"a byte changed in the {what} header was not detected"
        assert files[0]["problems"], files


def test_the_digest_is_the_content_not_the_layout(vtrial_bin, scenario, tmp_path):
    # Same scenario and seed with 1 and 2 threads (different commands, and blocks written in a
    # different order): the same digest. Another seed: another digest.
    paths = {}
    for label, extra in (("one", ["--threads", "1"]), ("two", ["--threads", "2"]), ("seed", ["--seed", "7"])):
        paths[label] = tmp_path / f"{label}.h5"
        done = subprocess.run([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "20000",
                               "-o", str(paths[label]), "--json", *extra], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    status, files = verify(vtrial_bin, paths["one"], paths["two"], paths["seed"])
    assert status == 0, files
    one, two, seed = (f["digest"] for f in files)
    assert one == two and one != seed
    with h5py.File(paths["one"], "r") as a, h5py.File(paths["two"], "r") as b:
        assert a.attrs["command"] != b.attrs["command"]


def test_files_that_are_not_results_are_refused(vtrial_bin, tmp_path):
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5\n")
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1.0, 2.0]
    # A 2-D dataset and a large attribute (never vtrial's) once overflowed verify's read buffer.
    wide = tmp_path / "wide.h5"
    with h5py.File(wide, "w") as f:
        f["a"] = np.zeros((2, 600000))
        f["v"] = np.array([np.zeros(3), np.ones(2)], dtype=object).astype(h5py.vlen_dtype("f8"))
    cases = {text: "cannot be opened as HDF5", foreign: "not a vtrial result file", wide: "not a vtrial result file",
             tmp_path / "missing.h5": "no such file", tmp_path: "not a regular file"}
    for path, message in cases.items():
        status, files = verify(vtrial_bin, path)
        assert status == 1 and message in " ".join(files[0]["problems"]), (path, files)
    done = subprocess.run([vtrial_bin, "verify"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no result file" in done.stderr


def test_provenance_names_the_command_and_the_source(vtrial_bin, scenario, source_dir, result):
    with h5py.File(result, "r") as f:
        command = f.attrs["command"]
        revision = f.attrs["source_revision"]
    if isinstance(command, bytes):
        command, revision = command.decode(), revision.decode()
    assert command == f"{vtrial_bin} run {scenario} --trials {TRIALS} -o {result} --json"
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", revision), revision
    head = subprocess.run(["git", "-C", str(source_dir), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0 and revision != "unknown":
        # Every build regenerates it (cmake/write_source_revision.cmake), so it is the HEAD the
        # tests run against.
        assert revision[:40] == head.stdout.strip()
