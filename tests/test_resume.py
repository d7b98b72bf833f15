"""A crawl killed midway resumes where it stopped: the second attempt fetches only what is left."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from flows.crawling import run_crawl
from pipeline.errors import CrawlError
from pipeline.models import Lead
from pipeline.paths import PROJECT_ROOT
from pipeline.urls import listing_key
from sandbox.server import Sandbox


@pytest.mark.parametrize("worker", ["0", "1"], ids=["pages read in the crawl process", "extraction worker"])
def test_killed_crawl_resumes(sandbox: Sandbox, ground_truth: list[dict], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch, worker: str) -> None:
    monkeypatch.setenv("LEADS_EXTRACT_WORKER", worker)
    jobdir = tmp_path / "jobs" / "yellowpages"
    log = tmp_path / "responses.txt"
    args = dict(config_dir=PROJECT_ROOT / "config", sets=["valves", "solar"], jobdir=jobdir, timeout=300,
                extra_args=["--response-log", str(log)])
    wanted = {r["path"] for r in ground_truth if r["site"] == "yellowpages"
              and {"industrial valves", "solar panels"} & set(r["search_terms"])}

    monkeypatch.setenv("LEADS_CRASH_AT", "crawl:response:25")
    with pytest.raises(CrawlError, match="exited with -9"):
        run_crawl("yellowpages", tmp_path / "first", **args)
    first = [u for u in log.read_text("utf-8").split() if not u.endswith("/robots.txt")]
    assert 20 <= len(first) <= 25 and jobdir.exists(), "killed midway, its state kept"
    written = {listing_key(json.loads(line)["url"])
               for line in (jobdir / "items.jsonl").read_text("utf-8").splitlines()}
    # read in this process, pages are written as they come; a loaded machine may kill the crawl before the
    # extraction worker has finished loading, with every page still in its queue
    assert written or worker == "1", "the leads read before the kill are on disk"

    monkeypatch.delenv("LEADS_CRASH_AT")
    outcome = run_crawl("yellowpages", tmp_path / "second", **args)

    fetched = Counter(u for u in log.read_text("utf-8").split() if not u.endswith("/robots.txt"))
    # result pages are read again to find the links; a detail page only if it was in flight at the kill
    twice = {listing_key(u) for u, n in fetched.items() if n > 1 and "/biz/" in u}
    # How many pages were fetched but not yet written at the kill depends on the machine's speed (the
    # downloads under way, the responses queued for the parser, the extraction worker's queue); what
    # does not depend on it: a page whose lead was written is never fetched again.
    assert not twice & written, f"leads written before the kill are not fetched again: {twice & written}"
    first_details = {listing_key(u) for u in first if "/biz/" in u}
    assert twice <= first_details - written
    assert sum(1 for u in fetched if "/biz/" in u) == len(wanted)
    leads = [Lead.model_validate_json(line) for line in outcome.items_path.read_text("utf-8").splitlines()]
    assert {lead.listing for lead in leads} == wanted, "the leads of both attempts, each once"
    assert outcome.items == len(wanted)
    assert not jobdir.exists(), "a finished crawl leaves no state behind"
