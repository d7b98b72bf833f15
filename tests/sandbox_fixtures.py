"""Session fixtures that start the sandbox sites and Prefect's test harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.server import Sandbox, start_sandbox
from sandbox.truth import load_ground_truth, write_ground_truth


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """Every sandbox site on free ports (six directories and the company-web proxy), addresses exported."""
    with start_sandbox(sites="all") as running:
        saved = {k: os.environ.get(k) for k in running.env()}
        os.environ.update(running.env())
        try:
            yield running
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def directories(sandbox: Sandbox) -> list[str]:
    """The sandbox's directory sites (the company web is not one to search)."""
    return sorted(name for name in sandbox.urls if name != "web")


@pytest.fixture(scope="session")
def ground_truth(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    path = write_ground_truth(sandbox.world, tmp_path_factory.mktemp("truth") / "ground_truth.jsonl")
    return load_ground_truth(path)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session (starting one costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def project_config(tmp_path: Path) -> Path:
    """A private copy of config/ that a test may change."""
    import shutil

    from pipeline.paths import PROJECT_ROOT

    target = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", target)
    return target
