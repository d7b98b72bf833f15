"""Two crawler processes share one site through Redis: each page fetched once, every lead collected."""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import pytest

from flows.crawling import run_crawl
from pipeline.models import Lead
from sandbox.server import Sandbox

REDIS_URL = os.environ.get("LEADS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url(monkeypatch: pytest.MonkeyPatch) -> str:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is absent
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}); start it to run this test")
    monkeypatch.setenv("LEADS_REDIS_URL", REDIS_URL)
    return REDIS_URL


def test_two_crawlers_split_one_site(redis_url: str, sandbox: Sandbox, ground_truth: list[dict],
                                     tmp_path: Path, project_config: Path) -> None:
    import redis

    # A polite pace (one request at a time, 20 ms apart) so that the crawl lasts
    # long enough for the second process to start and take its share.
    site_file = project_config / "sites" / "yellowpages.yaml"
    site_file.write_text(site_file.read_text(encoding="utf-8").replace("  delay: 0\n  concurrency: 8",
                                                                      "  delay: 0.02\n  concurrency: 1"),
                         encoding="utf-8")
    log = tmp_path / "responses.txt"
    crawl_id = f"test-{uuid.uuid4().hex[:8]}"
    outcome = run_crawl("yellowpages", tmp_path, config_dir=project_config, sets=["valves", "solar"],
                        crawl_id=crawl_id, workers=2, timeout=600,
                        extra_args=["--response-log", str(log), "--idle-seconds", "3"])

    leads = [Lead.model_validate_json(line) for line in outcome.items_path.read_text("utf-8").splitlines()]
    wanted = {r["path"] for r in ground_truth if r["site"] == "yellowpages"
              and {"industrial valves", "solar panels"} & set(r["search_terms"])}
    assert {lead.listing for lead in leads} == wanted, "every lead collected"
    assert len(leads) == len(wanted), "and each once"
    fetched = Counter(line for line in log.read_text("utf-8").split() if not line.endswith("/robots.txt"))
    assert fetched and max(fetched.values()) == 1, "no page fetched twice"
    assert outcome.stats["leads/crawler_processes"] == 2
    per_worker = [int(json.loads((tmp_path / f"yellowpages.{k}.stats.json").read_text())
                      .get("response_received_count", 0)) for k in range(2)]
    assert all(n > 1 for n in per_worker), f"both processes did part of the work: {per_worker}"
    client = redis.Redis.from_url(redis_url)
    assert not client.keys(f"leads:{crawl_id}:*"), "the crawl's keys are removed when it is collected"
