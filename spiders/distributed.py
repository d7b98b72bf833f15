"""Several crawler processes (on one machine or many) sharing one site's night through Redis.

With ``LEADS_REDIS_URL`` set, scrapy-redis keeps the request queue and the
dupefilter in Redis under ``leads:<crawl id>:<site>:*``: every process pushes
what it finds and pops what is next, and a page seen by one is never fetched
by another. Leads go to a Redis list that the flow drains into the night's
batch. A process stops only when the shared queue is empty and no process has
fetched anything for ``LEADS_REDIS_IDLE_SECONDS``: an empty queue alone may
just mean another process is still parsing a page full of new links.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import Settings

from spiders.pipelines import lead_json

logger = logging.getLogger(__name__)


def redis_url() -> str | None:
    return os.environ.get("LEADS_REDIS_URL") or None


def key_prefix(crawl_id: str, site: str) -> str:
    return f"leads:{crawl_id}:{site}"


def configure(settings: Settings, url: str, crawl_id: str, site: str, idle_seconds: float) -> None:
    """Switch a crawl's settings to the shared Redis frontier."""
    prefix = key_prefix(crawl_id, site)
    settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
    settings.set("REDIS_URL", url)
    settings.set("SCHEDULER_PERSIST", True)  # the flow removes the keys when every process is done
    settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:requests")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:dupefilter")
    settings.set("SCHEDULER_IDLE_BEFORE_CLOSE", 1)
    settings.set("LEADS_REDIS_PREFIX", prefix)
    settings.set("LEADS_REDIS_IDLE_SECONDS", idle_seconds)
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["spiders.distributed.RedisItemsPipeline"] = 900
    settings.set("ITEM_PIPELINES", pipelines)
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["spiders.distributed.SharedIdle"] = 520
    settings.set("EXTENSIONS", extensions)


def _client(crawler: Crawler) -> Any:
    import redis

    return redis.Redis.from_url(crawler.settings.get("REDIS_URL"))


class RedisItemsPipeline:
    """Push every valid lead to the shared list the flow collects."""

    def __init__(self, crawler: Crawler):
        prefix = crawler.settings.get("LEADS_REDIS_PREFIX")
        if not prefix:
            raise NotConfigured
        self.key = f"{prefix}:items"
        self.client = _client(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemsPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.client.rpush(self.key, lead_json(item))
        return item


class SharedIdle:
    """Keep a process open while the shared queue may still grow; record activity for the others."""

    def __init__(self, crawler: Crawler):
        prefix = crawler.settings.get("LEADS_REDIS_PREFIX")
        if not prefix:
            raise NotConfigured
        self.crawler = crawler
        self.client = _client(crawler)
        self.active_key = f"{prefix}:active"
        self.queue_key = f"{prefix}:requests"
        self.idle_seconds = crawler.settings.getfloat("LEADS_REDIS_IDLE_SECONDS", 10.0)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedIdle:
        return cls(crawler)

    def _touch(self) -> None:
        self.client.set(self.active_key, f"{time.time():.3f}")

    def spider_opened(self, spider: Any) -> None:
        from scrapy.utils.misc import load_object

        self._touch()
        settings = self.crawler.settings
        queue_cls = load_object(settings.get("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue"))
        serializer = settings.get("SCHEDULER_SERIALIZER")
        kwargs = {"serializer": __import__(serializer, fromlist=["x"])} if isinstance(serializer, str) else {}
        self.queue = queue_cls(server=self.client, spider=spider, key=self.queue_key, **kwargs)

    def response_received(self) -> None:
        self._touch()

    def spider_idle(self) -> None:
        """Not done while the shared queue has work or another process fetched something lately.

        The engine only looks at the scheduler again on its 5 s heartbeat, so
        when work appears in the shared queue we pull one request ourselves;
        once one is in flight the engine keeps pulling as usual.
        """
        from twisted.internet import reactor

        if len(self.queue):
            reactor.callLater(0, self._pull)  # type: ignore[attr-defined]
            raise DontCloseSpider
        last = float(self.client.get(self.active_key) or 0)
        if time.time() - last < self.idle_seconds:
            reactor.callLater(0.5, self._pull)  # type: ignore[attr-defined]
            raise DontCloseSpider

    def _pull(self) -> None:
        engine = self.crawler.engine
        if engine is None or not engine.running:
            return
        request = self.queue.pop()
        if request is not None:
            # already in the shared dupefilter: it must not be filtered on its way back in
            engine.crawl(request.replace(dont_filter=True))


def collect(url: str, crawl_id: str, site: str) -> list[dict[str, Any]]:
    """Take the leads the crawlers pushed, and remove the crawl's keys."""
    import redis

    client = redis.Redis.from_url(url)
    prefix = key_prefix(crawl_id, site)
    raw = client.lrange(f"{prefix}:items", 0, -1)
    client.delete(f"{prefix}:items", f"{prefix}:requests", f"{prefix}:dupefilter", f"{prefix}:active")
    return [json.loads(x) for x in raw]
