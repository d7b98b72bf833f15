"""The directory spider over real HTTP against the sandbox, started as Scrapy users start it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.models import Lead
from pipeline.paths import PROJECT_ROOT
from sandbox.server import Sandbox


def test_scrapy_crawl_directory_works_from_the_project_folder(sandbox: Sandbox, ground_truth: list[dict],
                                                              tmp_path: Path) -> None:
    out, stats_file = tmp_path / "valves.jsonl", tmp_path / "stats.json"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "directory", "-a", "site=yellowpages", "-a", "sets=valves",
         "-O", f"{out}:jsonlines", "-s", "LOG_LEVEL=WARNING", "-s", f"LEADS_STATS_FILE={stats_file}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    leads = [Lead.model_validate(json.loads(line)) for line in out.read_text("utf-8").splitlines()]
    expected = {r["path"] for r in ground_truth
                if r["site"] == "yellowpages" and "industrial valves" in r["search_terms"]}
    assert {lead.listing for lead in leads} == expected
    for lead in leads:
        assert lead.site == "yellowpages"
        assert lead.keyword == "industrial valves" and lead.keyword_set == "valves" and lead.language == "en"
        assert lead.url.startswith(sandbox.urls["yellowpages"])
        assert lead.field_sources["name"] == "selector"
    # pages per extraction method are counted in the spider and reach the stats file at the close
    stats = json.loads(stats_file.read_text("utf-8"))
    by_method = {k.removeprefix("leads/fields_by/"): v for k, v in stats.items() if k.startswith("leads/fields_by/")}
    assert by_method["selector"] == len(leads) == stats["item_scraped_count"]
    assert all(0 < pages <= len(leads) for pages in by_method.values())


def test_a_bad_site_file_stops_before_crawling(tmp_path: Path, project_config: Path) -> None:
    (project_config / "sites" / "broken.yaml").write_text("base_url: nope\nlanguages: [en]\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "--site", "broken", "--out", str(tmp_path / "x.jsonl"),
         "--config", str(project_config)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert "broken.yaml:1: base_url" in proc.stderr
    assert "search: required but missing" in proc.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_no_callback_is_a_generator_returning_a_value() -> None:
    """The check Scrapy makes on every response (switched off in spiders/settings.py), made once here."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from spiders.directory import DirectorySpider
    from spiders.website import WebsiteSpider

    checked = 0
    for spider in (DirectorySpider, WebsiteSpider):
        for name, function in inspect.getmembers(spider, inspect.isfunction):
            if inspect.isgeneratorfunction(function) and function.__module__.startswith("spiders."):
                checked += 1
                assert not is_generator_with_return_value(function), f"{spider.__name__}.{name}"
    assert checked >= 2


def test_scrapy_loggers_stop_below_the_log_level_during_a_crawl_only() -> None:
    """A DEBUG line per response and per item is not even built when LOG_LEVEL is above DEBUG."""
    import logging

    from scrapy.utils.test import get_crawler

    from spiders.extensions import LogLevelGate

    scrapy_log, before = logging.getLogger("scrapy"), logging.getLogger("scrapy").level
    gate = LogLevelGate.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "WARNING"}))
    assert logging.getLogger("scrapy.core.scraper").getEffectiveLevel() == logging.WARNING
    gate.engine_stopped()
    assert scrapy_log.level == before, "the level is put back when the crawl ends"


def test_the_collector_is_tuned_for_the_crawl_and_put_back() -> None:
    """From the first response, warm state is frozen and young collections are rarer; not after the crawl."""
    import gc

    import pytest
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from pipeline.batchgc import YOUNG_THRESHOLD
    from spiders.extensions import CrawlGC

    before = gc.get_threshold()
    ext = CrawlGC.from_crawler(get_crawler())
    assert gc.get_threshold() == before, "nothing changes before the crawl has warmed up"
    ext.response_received()
    try:
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD and gc.get_freeze_count() > 0
        ext.response_received()  # a second response changes nothing more
    finally:
        ext.engine_stopped()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with pytest.raises(NotConfigured):
        CrawlGC.from_crawler(get_crawler(settings_dict={"LEADS_CRAWL_GC": False}))


def test_the_extraction_worker_gives_the_leads_the_crawl_process_gives(sandbox: Sandbox, tmp_path: Path) -> None:
    """The same crawl with detail pages read in the worker process and in the crawl process."""
    import os

    leads: dict[str, dict[str, dict]] = {}
    stats: dict[str, dict] = {}
    for mode in ("1", "0"):
        out, stats_file = tmp_path / f"{mode}.jsonl", tmp_path / f"{mode}.stats.json"
        proc = subprocess.run(
            [sys.executable, "-m", "spiders.crawl", "--site", "tradeboard", "--sets", "valves,led-lighting",
             "--out", str(out), "--stats", str(stats_file)],
            # the worker is waited for at start, so the first pages go to it too
            env={**os.environ, "LEADS_EXTRACT_WORKER": mode, "LEADS_EXTRACT_WORKER_WAIT": "120",
                 "LEADS_CRAWL_LOG_LEVEL": "WARNING"},
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr and "killed" not in proc.stderr, proc.stderr[-2000:]
        # which search term (and set) reached a listing first depends on the order pages come back in
        leads[mode] = {lead["url"]: {k: v for k, v in lead.items()
                                     if k not in ("seen_at", "keyword", "keyword_set", "language")}
                       for lead in map(json.loads, out.read_text("utf-8").splitlines())}
        stats[mode] = json.loads(stats_file.read_text("utf-8"))
    assert len(leads["1"]) > 20
    assert leads["1"] == leads["0"]
    # every page read once: by the worker, unless 16 pages were already waiting for it
    in_worker = stats["1"]["leads/extract_worker/pages"]
    in_crawl_process = stats["1"].get("leads/extract_worker/pages_in_crawl_process", 0)
    assert in_worker + in_crawl_process == stats["1"]["item_scraped_count"] == len(leads["1"])
    assert in_worker > len(leads["1"]) / 2
    assert not any(key.startswith("leads/extract_worker/") for key in stats["0"])
