"""The demo: the nightly flow against the local sandbox, nothing beyond 127.0.0.1.

Six directories (an English B2B directory, a Chinese one in GBK, a buying-leads
board, US, German and French yellow pages) and the company websites behind a
local proxy, for the website enrichment step.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.nightly import NightlyParams, nightly
from flows.summary import RunSummary
from pipeline.paths import data_dir
from sandbox.server import start_sandbox
from sandbox.truth import write_ground_truth

WEB = "web"  # the sandbox's company websites: not a directory to search


def run_demo(fresh: bool = False, data: Path | None = None) -> RunSummary:
    """Start the sandbox on free ports, crawl exactly its sites, stop it.

    The site list is the sandbox's own, so a real directory enabled in
    config/sites/ is never contacted by the demo, and company websites are
    only ever asked for through the sandbox's proxy.
    """
    data = data or data_dir()
    db_path = data / "leads.db"
    if fresh:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with start_sandbox(sites="all") as sandbox:
        os.environ.update(sandbox.env())
        os.environ["LEADS_WEB_PROXY"] = sandbox.env()["SANDBOX_WEB_PROXY"]
        os.environ.setdefault("LEADS_WEB_DELAY", "0")  # the sandbox is on this machine
        write_ground_truth(sandbox.world, data / "sandbox" / "ground_truth.jsonl")
        params = NightlyParams(sites=sorted(name for name in sandbox.urls if name != WEB),
                               db_url=f"sqlite:///{db_path}", data_dir=str(data), enrich=True)
        return nightly(params)
