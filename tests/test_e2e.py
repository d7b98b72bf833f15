"""The whole nightly flow against the sandbox, under Prefect's test harness.

Counts are checked against the sandbox's ground truth: every listing the
configured keywords can find is crawled, and the companies in the store are
the true companies, neither merged nor split.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from flows.nightly import NightlyParams, nightly
from pipeline.store import Store
from pipeline.urls import listing_key
from sandbox.evaluate import score_clusters
from sandbox.server import Sandbox
from tests.sandbox_fixtures import directories

pytestmark = pytest.mark.e2e


def predicted_clusters(store: Store) -> dict[tuple[str, str], int]:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT site, url, company_id FROM sources")).all()
    return {(site, listing_key(url)): cid for site, url, cid in rows}


def test_nightly_twice_matches_the_ground_truth(sandbox: Sandbox, ground_truth: list[dict],
                                                prefect_harness: None, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'leads.db'}"
    params = NightlyParams(sites=directories(sandbox), db_url=db_url, data_dir=str(tmp_path))

    first = nightly(params)

    assert first.ok, first.failed_sites
    findable = {(r["site"], r["path"]) for r in ground_truth if r["search_terms"]}
    store = Store(db_url)
    clusters = predicted_clusters(store)
    assert set(clusters) == findable, "every findable listing is crawled, nothing else"
    scores = score_clusters(ground_truth, clusters)
    assert scores.predicted_companies == first.new_companies == store.count_companies()
    assert scores.precision >= 0.99, scores
    assert scores.recall >= 0.97, scores
    assert abs(scores.predicted_companies - scores.true_companies) <= 0.02 * scores.true_companies
    assert sum(first.grades.values()) == first.companies
    assert first.grades["A"] == pytest.approx(0.2 * (first.companies - first.grades.get("D", 0)), abs=1)

    # the export holds every company graded A-C, once, and opens as UTF-8 with BOM
    assert first.export_path is not None
    with open(first.export_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == first.export_rows == first.companies - first.grades.get("D", 0)
    assert len({r["company_id"] for r in rows}) == len(rows)

    # robots.txt was obeyed on every site
    assert all(stats.disallowed == 0 for stats in sandbox.stats().values())

    second = nightly(params)  # a second crawl in the same process works

    assert second.ok
    # detail pages seen within refresh_days are not fetched again, only counted
    assert sum(s.skipped for s in second.sites) == len(findable)
    assert second.leads == 0
    assert second.new_companies == 0
    assert second.export_rows == 0 and second.export_path is None
    assert store.count_companies() == first.new_companies
    assert store.count_sources() == len(findable)
    runs = store.runs()
    assert [r["status"] for r in runs] == ["ok", "ok"]
    report = runs[1]["stats"]  # the first run's report, stored with it
    assert report["merged_leads"] == len(findable) - first.companies
    assert all(site["responses"].get("200", 0) > 0 and site["seconds"] > 0 for site in report["sites"])
    assert min(c.last_seen for c in store.get_companies(range(1, 10_000))) > runs[1]["started_at"].replace(
        tzinfo=store.get_companies([1])[0].last_seen.tzinfo), "seen again, so last_seen moves on"

    third = nightly(params.model_copy(update={"refetch": True}))  # a full refresh re-reads every page

    assert third.leads == len(findable) and third.new_companies == 0 and third.export_rows == 0
    store.dispose()


def test_a_dead_site_does_not_stop_the_others(sandbox: Sandbox, prefect_harness: None, tmp_path: Path,
                                              project_config: Path) -> None:
    (project_config / "sites" / "deadsite.yaml").write_text(
        (project_config / "sites" / "yellowpages.yaml").read_text(encoding="utf-8")
        .replace("${SANDBOX_YELLOWPAGES_URL:-http://127.0.0.1:8802}", "http://127.0.0.1:9"),
        encoding="utf-8",
    )
    params = NightlyParams(sites=["deadsite", "yellowpages"], sets=["valves"], db_url=f"sqlite:///{tmp_path / 'l.db'}",
                           data_dir=str(tmp_path), config_dir=str(project_config), export=False)

    summary = nightly(params)

    reports = {s.site: s for s in summary.sites}
    assert not summary.ok
    assert not reports["deadsite"].ok and "unreachable" in (reports["deadsite"].error or "")
    assert reports["yellowpages"].ok and reports["yellowpages"].leads > 0
    assert summary.new_companies > 0
