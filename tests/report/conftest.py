"""Result files of every kind, small (a few hundred parametric trials), made once per session by
the built vtrial, and the reports made from them. ctest sets VTRIAL_BIN and VTRIAL_SOURCE_DIR
(tests/CMakeLists.txt, test `report`)."""
import os
from pathlib import Path

import pytest
from report_inputs import REPORTS, RESULT_FILES, run


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run these tests through ctest (ctest -R report)")
    return value


@pytest.fixture(scope="session")
def vtrial_bin():
    return _env("VTRIAL_BIN")


@pytest.fixture(scope="session")
def scenarios():
    return Path(_env("VTRIAL_SOURCE_DIR")) / "scenarios"


@pytest.fixture(scope="session")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("report")


@pytest.fixture(scope="session")
def result_files(work, scenarios):
    made = {}
    for name, words in RESULT_FILES.items():
        path = work / f"{name}.h5"
        words = [str(scenarios / w) if w.endswith(".yaml") else w for w in words]
        run(*words, "--threads", "2", "--output", path)
        made[name] = path
    return made


@pytest.fixture(scope="session")
def reports(work, result_files):
    """{report name: (html path, [h5 paths])}, each written by `vtrial report`."""
    made = {}
    for name, inputs in REPORTS.items():
        files = [result_files[i] for i in inputs]
        html = work / f"{name}.html"
        done = run("report", *files, "--output", html)
        assert "wrote" in done.stdout
        made[name] = (html, files)
    return made
