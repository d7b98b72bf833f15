"""The enrichment spider: a company's own website, its contact and about pages.

    scrapy crawl website -a targets=targets.jsonl [-a max_pages=4]

``targets.jsonl`` holds one object per company: ``company_id``, ``name``,
``website`` and optionally ``country``. For each, the home page is read and
the links whose text names a contact, about or legal page (in English,
German, French, Italian, Spanish, Portuguese, Chinese) are followed, at most
``max_pages`` pages per site. What the pages show (e-mails, phones, the
contact person) is merged into one lead per company with ``site`` "website",
so the night's dedup adds it to the company it belongs to (same domain).

With ``LEADS_WEB_PROXY`` set, every request goes through that HTTP proxy and
company sites are asked for over plain http: that is how the sandbox serves
the company web on 127.0.0.1 while leads keep their real domains.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from pipeline.normalize import registered_domain
from spiders import extractworker
from spiders.extractworker import ExtractionWorker
from spiders.page import PageExtraction, extract_page, warm_up

# Link texts and paths of the pages that hold contact data, in the languages of the markets.
CONTACT_WORDS = (
    "contact", "contact us", "contacts", "get in touch", "reach us", "kontakt", "impressum", "anfahrt",
    "nous contacter", "contactez-nous", "mentions légales", "mentions legales", "contatti", "contattaci",
    "contacto", "contáctenos", "contacte", "fale conosco", "contato", "联系我们", "联系方式", "聯絡我們",
    "iletişim", "about", "about us", "über uns", "ueber uns", "qui sommes-nous", "chi siamo", "quiénes somos",
    "quem somos", "关于我们", "公司简介", "legal notice", "imprint",
)
CONTACT_PATHS = re.compile(r"(contact|kontakt|impressum|imprint|about|ueber|uber|mentions|contatti|contacto|"
                           r"contato|lianxi|guanyu|iletisim)", re.I)
MERGED_FIELDS = ("emails", "phones", "mobiles", "faxes", "contact_name", "contact_title", "street", "city",
                 "postcode", "region")


def site_url(website: str, through_proxy: bool) -> str | None:
    """The home page to ask for; plain http through the sandbox's proxy."""
    text = website.strip()
    if not re.match(r"^https?://", text, re.I):
        text = "http://" + text
    parts = urlsplit(text)
    if not parts.netloc:
        return None
    scheme = "http" if through_proxy else parts.scheme.lower()
    return urlunsplit((scheme, parts.netloc.lower(), "/", "", ""))


class WebsiteSpider(scrapy.Spider):
    name = "website"

    def __init__(self, targets: str | None = None, max_pages: str | int = 4, **kwargs: Any):
        super().__init__(**kwargs)
        if not targets:
            raise ValueError("which companies? pass -a targets=FILE.jsonl")
        self.targets = [json.loads(line) for line in Path(targets).read_text("utf-8").splitlines() if line.strip()]
        self.max_pages = int(max_pages)
        self.proxy = os.environ.get("LEADS_WEB_PROXY") or None
        self.found: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, int] = {}
        self.pending: dict[str, int] = {}  # requests still out per company: its lead is ready at 0
        # company sites are read in a worker process while this one fetches (see extractworker)
        self.extractor: ExtractionWorker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WebsiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Many small sites, each asked for a few pages: polite per site, busy overall.
        for key, value in (("CONCURRENT_REQUESTS_PER_DOMAIN", 1), ("CONCURRENT_REQUESTS", 16),
                           ("DOWNLOAD_DELAY", float(os.environ.get("LEADS_WEB_DELAY", "1.0")))):
            crawler.settings.set(key, value, priority="spider")
        if len(spider.targets) >= 10:  # a few sites would be read before the worker had loaded
            spider.extractor = extractworker.start_for(spider, crawler)
        return spider

    def count_stat(self, what: str) -> None:
        """One more of a crawl stat, "leads/" + what (the extraction worker counts with it too)."""
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"leads/{what}")

    def _request(self, url: str, target: dict[str, Any], callback: Any) -> Request:
        key = str(target.get("company_id"))
        self.pending[key] = self.pending.get(key, 0) + 1
        meta = {"target": target}
        if self.proxy:
            meta["proxy"] = self.proxy
        return Request(url, callback=callback, errback=self.failed, meta=meta)

    async def start(self) -> AsyncIterator[Request]:
        warm_up()
        for target in self.targets:
            url = site_url(str(target.get("website") or ""), bool(self.proxy))
            if url:
                self.pages[urlsplit(url).netloc] = 1
                yield self._request(url, target, self.parse_home)

    async def parse_home(self, response: Response) -> AsyncIterator[Request | dict[str, Any]]:
        target = response.meta["target"]
        await self._read(response, target, "home")
        if isinstance(response, TextResponse):
            for request in self._follow(response, target):
                yield request
        for lead in self._done(target):
            yield lead

    def _follow(self, response: TextResponse, target: dict[str, Any]) -> Iterator[Request]:
        host = urlsplit(response.url).netloc
        domain = registered_domain(response.url)
        seen: set[str] = set()
        for link in response.css("a"):
            text = " ".join(" ".join(link.css("::text").getall()).split()).casefold()
            href = link.attrib.get("href") or ""
            if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
                continue
            url = urljoin(response.url, href).split("#")[0]
            if registered_domain(url) != domain or url in seen or url.rstrip("/") == response.url.rstrip("/"):
                continue
            if text in CONTACT_WORDS or any(w in text for w in ("contact", "kontakt", "联系")) \
                    or CONTACT_PATHS.search(urlsplit(url).path):
                if self.pages.get(host, 0) >= self.max_pages:
                    break
                seen.add(url)
                self.pages[host] = self.pages.get(host, 0) + 1
                yield self._request(url, target, self.parse_page)

    async def parse_page(self, response: Response) -> AsyncIterator[dict[str, Any]]:
        await self._read(response, response.meta["target"], "contact")
        for lead in self._done(response.meta["target"]):
            yield lead

    async def _read(self, response: Response, target: dict[str, Any], kind: str) -> None:
        if not isinstance(response, TextResponse):
            return
        found: PageExtraction | None
        if self.extractor is not None:
            found = await self.extractor.extract(response.text, response.url, country=target.get("country"))
            if found is None:
                return  # skipped by the worker, which logged and counted it
        else:
            found = extract_page(response.text, response.url, country=target.get("country"))
        key = str(target.get("company_id"))
        record = self.found.setdefault(key, {"target": target, "fields": {}, "methods": {}, "pages": []})
        record["pages"].append(response.url)
        for field in MERGED_FIELDS:
            value = found.fields.get(field)
            if not value:
                continue
            have = record["fields"].get(field)
            if isinstance(value, list):
                record["fields"][field] = list(dict.fromkeys([*(have or []), *value]))
            elif not have:
                record["fields"][field] = value
            record["methods"].setdefault(field, f"website:{kind}:{found.methods.get(field, 'text')}")

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = getattr(failure, "request", None)
        self.logger.info("company site failed: %s (%s)", getattr(request, "url", "?"), failure.getErrorMessage())
        self.count_stat("request_failures")
        if request is not None and "target" in request.meta:
            yield from self._done(request.meta["target"])

    def _done(self, target: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """When the last page of a company's site is read: its one lead, if the site showed anything."""
        key = str(target.get("company_id"))
        self.pending[key] -= 1
        record = self.found.get(key)
        if self.pending[key] > 0 or record is None or not record["fields"]:
            return
        yield {
            **record["fields"], "name": target.get("name") or target.get("website"),
            "website": target.get("website"), "country": target.get("country"),
            "site": "website", "url": record["pages"][0],
            "seen_at": datetime.now(UTC).isoformat(), "field_sources": record["methods"],
            "extra": {"enriches": key, "pages": str(len(record["pages"]))},
        }
