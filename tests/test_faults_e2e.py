"""The nightly run against misbehaving sites: it finishes, loses nothing reachable, says what failed.

Every directory of the sandbox is served with every fault mode on (429 with
Retry-After, 5xx bursts, timeouts, slow pages, cut pages, malformed HTML,
captcha pages, redirect loops, lying charsets) and one directory is down.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from pipeline.store import Store
from pipeline.urls import listing_key
from sandbox.faults import Faults
from sandbox.server import Sandbox, start_sandbox
from sandbox.truth import truth_records

pytestmark = pytest.mark.e2e
DIRECTORIES = ("chinab2b", "gelbeseiten", "importers", "pagesjaunes", "tradeboard", "yellowpages")


@pytest.fixture(scope="module")
def faulty() -> Iterator[tuple[Sandbox, dict[str, Faults]]]:
    # Few enough faults to keep the test short; every mode still fires on every site.
    everything = Faults.parse("all", share=0.05, rate_limit_every=40, timeout_seconds=4.0, slow_seconds=0.2)
    faults = {site: everything for site in DIRECTORIES if site != "importers"}
    faults["importers"] = Faults(down=True)
    with start_sandbox(sites=",".join(DIRECTORIES), faults=faults) as running:
        yield running, faults


def test_nightly_survives_faults(faulty: tuple[Sandbox, dict[str, Faults]], prefect_harness: None,
                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, faults = faulty
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("LEADS_DB_URL", f"sqlite:///{tmp_path / 'leads.db'}")
    monkeypatch.setenv("LEADS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADS_DOWNLOAD_TIMEOUT", "2")  # the sandbox's timeouts take 4 s
    monkeypatch.setenv("LEADS_ERROR_BACKOFF", "0.1")
    monkeypatch.setenv("LEADS_BAN_PAUSE", "0.2")

    result = CliRunner().invoke(app, ["run", "--site", ",".join(DIRECTORIES), "--no-export"])

    assert result.exit_code == 1, "a site failed, and the exit status says so"
    assert "importers" in result.output and "unreachable" in result.output
    truth = truth_records(sandbox.world, faults=faults)
    reachable = {(r["site"], r["path"]) for r in truth if r["search_terms"] and not r.get("unrecoverable")}
    lost = {(r["site"], r["path"]) for r in truth if r["search_terms"] and r.get("unrecoverable")}
    assert lost, "some listings cannot be had: a redirect loop, a site that is down"
    store = Store(f"sqlite:///{tmp_path / 'leads.db'}")
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        crawled = {(site, listing_key(url)) for site, url in conn.execute(sa.text("SELECT site, url FROM sources"))}
    assert crawled == reachable, f"missing {sorted(reachable - crawled)[:5]}, extra {sorted(crawled - reachable)[:5]}"

    [run] = store.runs()
    assert run["status"] == "partial"
    reports = {s["site"]: s for s in run["stats"]["sites"]}
    assert not reports["importers"]["ok"] and "unreachable" in reports["importers"]["error"]
    assert all(reports[s]["ok"] for s in DIRECTORIES if s != "importers")
    assert sum(reports[s]["retries"] for s in DIRECTORIES) > 0
    assert sum(reports[s]["bans"] for s in DIRECTORIES) > 0, "captcha pages were recognised, not parsed"
    injected = {site: stats.faults for site, stats in sandbox.stats().items()}
    assert injected["tradeboard"].get("captcha") and injected["tradeboard"].get("rate_limit")
    store.dispose()
