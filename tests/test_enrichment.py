"""Company websites, through the sandbox's proxy: contact pages found in several languages,
obfuscated e-mails read, every request kept on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.crawling import run_enrichment
from pipeline.models import Lead
from pipeline.normalize import normalize_lead
from sandbox.server import Sandbox, start_sandbox
from sandbox.truth import company_record


@pytest.fixture(scope="module")
def web() -> Iterator[Sandbox]:
    with start_sandbox(sites="all") as running:
        yield running


@pytest.mark.parametrize("worker", ["0", "1"], ids=["pages read in the crawl process", "extraction worker"])
def test_enrichment_reads_contact_pages_and_hidden_emails(web: Sandbox, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, worker: str) -> None:
    monkeypatch.setenv("LEADS_EXTRACT_WORKER", worker)
    monkeypatch.setenv("LEADS_EXTRACT_WORKER_WAIT", "120")  # no page read here while the worker loads
    monkeypatch.setenv("LEADS_WEB_PROXY", web.env()["SANDBOX_WEB_PROXY"])
    monkeypatch.setenv("LEADS_WEB_DELAY", "0")
    records = [company_record(web.world, c) for c in web.world.companies if c.website]
    records = [r for r in records if r["web"]][:60]
    languages = {r["web"]["language"] for r in records}
    assert len(languages) >= 3, "the sample covers sites in several languages"
    targets = [{"company_id": r["company_id"], "name": r["name"], "website": r["website"],
                "country": r["country"]} for r in records]

    outcome = run_enrichment(targets, tmp_path)

    leads = {le.extra["enriches"]: normalize_lead(le) for le in
             (Lead.model_validate_json(line) for line in outcome.items_path.read_text("utf-8").splitlines())}
    assert len(leads) >= 0.9 * len(records)
    assert len({lead.source_key for lead in leads.values()}) == len(leads), \
        "each company's site is its own listing: the store keeps every company's findings"
    found = expected = hidden_found = hidden = 0
    for record in records:
        lead = leads.get(record["company_id"])
        truth = {e["email"] for e in record["web"]["emails"]}
        expected += len(truth)
        found += len(truth & set(lead.emails if lead else []))
        obfuscated = {e["email"] for e in record["web"]["emails"] if e["shown_as"] != "plain"
                      and e["shown_as"] != "mailto"}
        hidden += len(obfuscated)
        hidden_found += len(obfuscated & set(lead.emails if lead else []))
        if lead:
            assert not set(lead.emails) - truth, f"no e-mail that the site does not show: {lead.emails}"
            assert lead.domain == record["domain"]
    assert found >= 0.9 * expected, (found, expected)
    assert hidden and hidden_found >= 0.8 * hidden, (hidden_found, hidden)
    assert outcome.stats.get("robotstxt/response_count", 0) >= len(targets) * 0.9, "robots.txt read per site"
    assert not any("Resolve" in k for k in outcome.stats), "no host name was ever looked up"
    html_pages = outcome.stats.get("response_received_count", 0) - outcome.stats.get("robotstxt/response_count", 0)
    if worker == "1":  # by the worker unless 16 pages were already waiting for it
        in_worker = outcome.stats["leads/extract_worker/pages"]
        assert in_worker > html_pages / 2
        # (responses that never reach the spider, a redirect or an error status, are not read at all)
        assert in_worker + outcome.stats.get("leads/extract_worker/pages_in_crawl_process", 0) <= html_pages
    else:
        assert not any(key.startswith("leads/extract_worker/") for key in outcome.stats)
