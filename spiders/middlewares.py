"""Downloader middlewares: decode honestly, back off when asked, never parse a ban page.

Each reads the spider's site config when the spider has one (the directory
spider) and otherwise uses the project defaults.
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse

from spiders.encoding import decode_html
from spiders.sites import DEFAULT_BAN_MARKERS, SiteConfig

logger = logging.getLogger(__name__)


def _site(crawler: Crawler) -> SiteConfig | None:
    return getattr(crawler.spider, "site", None) if crawler.spider else None


def _inc(crawler: Crawler, key: str, by: float = 1) -> None:
    if crawler.stats:
        crawler.stats.inc_value(key, by)


class EncodingMiddleware:
    """Re-decode HTML by :func:`spiders.encoding.decode_html` when Scrapy's guess differs.

    Scrapy trusts the declared charset; directories that lie about it (or say
    nothing about GBK) would otherwise reach the extractors as mojibake.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if isinstance(response, TextResponse) and not isinstance(response, HtmlResponse) \
                and "html" not in content_type:
            return response
        decoded = decode_html(response.body, content_type)
        if decoded.encoding != _codec(response.encoding):
            _inc(self.crawler, f"leads/encoding_fixed/{decoded.how}")
            return response.replace(encoding=decoded.encoding)
        return response


def _codec(label: str) -> str:
    import codecs

    try:
        return codecs.lookup(label).name
    except LookupError:
        return label


def retry_after_seconds(value: bytes | str | None, cap: float) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), capped; None if absent."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, cap))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus: 429/503 with Retry-After slows the whole site for that long.

    The wait is applied to the site's download slot (every request to the
    site waits, not only the retried one) and lifted when it has passed.
    """

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.cap = settings.getfloat("LEADS_MAX_RETRY_AFTER", 300.0)
        self.error_backoff = settings.getfloat("LEADS_ERROR_BACKOFF", 1.0)
        self._normal_delay: dict[str, float] = {}

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if not request.meta.get("dont_retry", False):
            wait = None
            if response.status in (429, 503):
                wait = retry_after_seconds(response.headers.get(b"Retry-After"), self.cap)
            if wait is None and response.status in self.retry_http_codes and response.status >= 500:
                # A server in trouble: back off a little more each time this request fails.
                attempt = int(request.meta.get("retry_times", 0)) + 1
                wait = min(self.error_backoff * 2 ** (attempt - 1), self.cap) if self.error_backoff else None
            if wait:
                self.back_off(request, wait)
        return super().process_response(request, response)

    def back_off(self, request: Request, wait: float) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        self._normal_delay.setdefault(key, slot.delay)
        slot.delay = max(slot.delay, wait)
        _inc(self.crawler, "leads/backoff_count")
        _inc(self.crawler, "leads/backoff_seconds", wait)
        logger.info("site asked us to wait %.1f s (Retry-After); backing off %s", wait, key)
        from twisted.internet import reactor

        reactor.callLater(wait, self._restore, key)  # type: ignore[attr-defined]

    def _restore(self, key: str) -> None:
        engine = self.crawler.engine
        slot = engine.downloader.slots.get(key) if engine else None
        normal = self._normal_delay.pop(key, None)
        if slot is not None and normal is not None:
            slot.delay = normal


class BanDetectionMiddleware:
    """Captcha and ban pages are retried after a pause, counted, and never parsed; cut pages are asked again.

    A 200 answer whose text holds a ban marker (built-in phrases plus the
    site's ``crawl.ban_markers``), or a 403, is a ban: the site is backed off
    like a 429 and the page is asked again a few times, then given up.
    An HTML page that stops before its end (no ``</html>``: a connection
    dropped mid-page) is asked again too; if it never comes whole, what
    arrived is parsed rather than lost.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.pause = crawler.settings.getfloat("LEADS_BAN_PAUSE", 5.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BanDetectionMiddleware:
        return cls(crawler)

    def _markers(self) -> tuple[str, ...]:
        site = _site(self.crawler)
        return site.crawl.all_ban_markers if site else tuple(m.casefold() for m in DEFAULT_BAN_MARKERS)

    def _max_retries(self) -> int:
        site = _site(self.crawler)
        return site.crawl.max_ban_retries if site else 2

    @staticmethod
    def is_cut(response: Response) -> bool:
        if response.status != 200 or not isinstance(response, HtmlResponse) or len(response.body) < 200:
            return False
        tail = response.body[-2048:].lower()
        return b"</html" not in tail and b"<html" in response.body[:4096].lower()

    def is_ban(self, response: Response) -> str | None:
        if response.status == 403:
            return "HTTP 403"
        if response.status != 200 or not isinstance(response, TextResponse):
            return None
        text = response.text[:20000].casefold()
        return next((m for m in self._markers() if m in text), None)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        marker = self.is_ban(response)
        if marker is None:
            if self.is_cut(response):
                _inc(self.crawler, "leads/truncated_pages")
                retry = get_retry_request(request, reason="page cut short", spider=self.crawler.spider,
                                          stats_base_key="leads/truncated_retry")
                if retry is not None:
                    return retry
            return response
        _inc(self.crawler, "leads/ban_pages")
        logger.warning("ban or captcha page at %s (%s)", response.url, marker)
        for mw in self.crawler.engine.downloader.middleware.middlewares if self.crawler.engine else ():
            if isinstance(mw, PoliteRetryMiddleware):
                mw.back_off(request, self.pause)
        retry = get_retry_request(request, reason=f"ban page: {marker}", spider=self.crawler.spider,
                                  max_retry_times=self._max_retries(), stats_base_key="leads/ban_retry")
        if retry is not None:
            return retry
        _inc(self.crawler, "leads/ban_gave_up")
        raise IgnoreRequest(f"banned: {marker} ({response.url})")
