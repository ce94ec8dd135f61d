"""Fixtures every end-to-end test shares: where the vtrial binary and the sources are.

ctest sets VTRIAL_BIN and VTRIAL_SOURCE_DIR (tests/CMakeLists.txt); run these through
`ctest -R e2e`, not bare pytest.
"""
import os
from pathlib import Path

import pytest


def _required_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set; run these tests through ctest (ctest -R e2e)")
    return value


@pytest.fixture(scope="session")
def vtrial_bin():
    path = _required_env("VTRIAL_BIN")
    assert os.access(path, os.X_OK), f"VTRIAL_BIN={path} is not an executable"
    return path


@pytest.fixture(scope="session")
def source_dir():
    return Path(_required_env("VTRIAL_SOURCE_DIR"))


@pytest.fixture(scope="session")
def scenario(source_dir):
    path = source_dir / "scenarios" / "nct06971913.yaml"
    assert path.is_file(), path
    return str(path)
