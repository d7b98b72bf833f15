"""Scrapy extensions of the project."""

from __future__ import annotations

import json
import logging
from pathlib import Path

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
