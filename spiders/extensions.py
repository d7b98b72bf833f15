"""Scrapy extensions of the project."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class StatsDump:
    """Write the crawl's stats to ``LEADS_STATS_FILE`` when the spider closes.

    The nightly flow runs each crawl in its own process; this file is how the
    run report learns requests, statuses, retries and drops per site.
    """

    def __init__(self, crawler: Crawler, path: Path):
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsDump:
        path = crawler.settings.get("LEADS_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, Path(path))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats["finish_reason"] = reason
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


class LogLevelGate:
    """Scrapy's loggers drop what is below ``LOG_LEVEL`` themselves, before a record is built.

    Scrapy leaves its loggers open to every level and filters in the root
    handler it installs, so each response's "Crawled (200)" line and each
    item's "Scraped from" line was built as a record (caller looked up, time
    taken) and then thrown away. The level is put back when the crawl ends,
    for processes that run more than one crawler (the tests).
    """

    def __init__(self, level: int):
        self.logger = logging.getLogger("scrapy")
        self.previous = self.logger.level
        self.logger.setLevel(max(level, self.previous))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogLevelGate:
        raw = crawler.settings.get("LOG_LEVEL", "DEBUG")
        level = raw if isinstance(raw, int) else logging.getLevelName(str(raw).upper())
        if not crawler.settings.getbool("LOG_ENABLED", True) or not isinstance(level, int) or level <= logging.DEBUG:
            raise NotConfigured
        ext = cls(level)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self) -> None:
        self.logger.setLevel(self.previous)


class CrawlGC:
    """The crawl collects garbage the way the nightly batch does (:mod:`pipeline.batchgc`).

    At the first response the spider has warmed up (phone metadata, country
    names, compiled rules) and Scrapy is running: what is alive then lives as
    long as the crawl, and is frozen out of collection. Young collections run
    every ``YOUNG_THRESHOLD`` allocations instead of 700, so a page's parse
    tree and lists are gone before a collection sees them. Measured with
    ``benchmarks/spider_throughput.py``, this takes 5 to 8% off the spider's
    time, with or without extraction. The collector is put back when the
    engine stops.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.tuning: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlGC:
        if not crawler.settings.getbool("LEADS_CRAWL_GC", True):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def response_received(self) -> None:
        from pipeline.batchgc import batch_gc

        self.crawler.signals.disconnect(self.response_received, signal=signals.response_received)
        if self.tuning is None:
            self.tuning = batch_gc()
            self.tuning.__enter__()

    def engine_stopped(self) -> None:
        if self.tuning is not None:
            self.tuning.__exit__(None, None, None)
            self.tuning = None


class ResponseLog:
    """Append the URL of every response to ``LEADS_RESPONSE_LOG`` (benchmarks replay them).

    Appends line by line, so several crawler processes may share one file.
    """

    def __init__(self, path: Path):
        self.path = path
        self.handle = path.open("a", encoding="utf-8", buffering=1)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseLog:
        path = crawler.settings.get("LEADS_RESPONSE_LOG")
        if not path:
            raise NotConfigured
        ext = cls(Path(path))
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response: object, request: object) -> None:
        self.handle.write(f"{getattr(response, 'url', '')}\n")

    def spider_closed(self) -> None:
        self.handle.close()


class CrashPoints:
    """``LEADS_CRASH_AT=crawl:response:N`` kills the crawler at its N-th response (crash tests)."""

    def __init__(self) -> None:
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrashPoints:
        import os

        if not os.environ.get("LEADS_CRASH_AT", "").startswith("crawl:"):
            raise NotConfigured
        ext = cls()
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self) -> None:
        from pipeline.crashpoints import crash_point

        self.count += 1
        crash_point(f"crawl:response:{self.count}")
