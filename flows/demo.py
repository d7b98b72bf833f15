"""The demo: the nightly flow against the local sandbox, nothing beyond 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

from flows.nightly import NightlyParams, nightly
from flows.summary import RunSummary
from pipeline.paths import data_dir
from sandbox.server import start_sandbox
from sandbox.truth import write_ground_truth


def run_demo(fresh: bool = False, data: Path | None = None) -> RunSummary:
    """Start the sandbox on free ports, crawl exactly its sites, stop it.

    The site list is the sandbox's own, so a real directory enabled in
    config/sites/ is never contacted by the demo.
    """
    data = data or data_dir()
    db_path = data / "leads.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with start_sandbox() as sandbox:
        os.environ.update(sandbox.env())
        write_ground_truth(sandbox.world, data / "sandbox" / "ground_truth.jsonl")
        params = NightlyParams(sites=sorted(sandbox.urls), db_url=f"sqlite:///{db_path}",
                               data_dir=str(data))
        return nightly(params)
