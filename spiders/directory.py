"""The one spider for every directory: it routes requests, the site file says what to read.

    scrapy crawl directory -a site=tradeboard [-a sets=led-lighting] [-a keywords="led bulb"]
                           [-a max_pages=3] [-a seen=recent.txt] [-a max_details=1]

Searches each of the site's terms (from ``config/keywords.yaml``, in the
site's languages), walks the result pages, and reads each company's detail
page. A page that fails or cannot be parsed is logged and counted; the crawl
goes on. Detail pages listed in ``seen`` (one listing path per line: the
store's recently seen listings) are not fetched again; their paths are
written to ``seen_out`` so the store can mark them seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from pipeline.keywords import SearchTerm, load_keywords, terms_for
from pipeline.paths import config_dir
from pipeline.urls import canonical_url, listing_key
from spiders import extractworker
from spiders.extract import extract_fields, run_rule, select
from spiders.extractworker import ExtractionWorker
from spiders.page import extract_page, warm_up
from spiders.sites import LEAD_FIELDS, SiteConfig, load_site, sites_dir


class DirectorySpider(scrapy.Spider):
    name = "directory"

    def __init__(self, site: str | None = None, sets: str | None = None, keywords: str | None = None,
                 max_pages: str | int | None = None, config: str | None = None, seen: str | None = None,
                 seen_out: str | None = None, max_details: str | int | None = None,
                 cards: str | bool = False, done: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not site:
            raise ValueError("which site? pass -a site=NAME (a file in config/sites/)")
        folder = config_dir() if config is None else Path(config)
        path = sites_dir(folder) / f"{site}.yaml"
        if not path.exists():
            raise ValueError(f"no site file {path}")
        self.site: SiteConfig = load_site(path)
        self.max_pages = int(max_pages) if max_pages else self.site.search.max_pages
        self.search_terms = self._terms(folder, sets, keywords)
        self.allowed_domains = [self.site.base_url.host or ""]
        self.recent: frozenset[str] = frozenset(_read_lines(Path(seen))) if seen else frozenset()
        # a resumed crawl: listings already read before the stop
        self.done: frozenset[str] = frozenset(_read_lines(Path(done))) if done else frozenset()
        self.seen_out = Path(seen_out) if seen_out else None
        self.skipped: dict[str, None] = {}  # ordered set: a listing found by two terms counts once
        self.max_details = int(max_details) if max_details else None
        self.details_requested = 0
        self.emit_cards = str(cards).lower() in ("1", "true", "yes")
        # detail pages per extraction method, added to the stats when the spider closes
        # (before the stats are written): one stats call per page and method cost more than the count
        self.pages_by_method: Counter[str] = Counter()
        # the process that reads detail pages while this one fetches (see from_crawler); None: read here
        self.extractor: ExtractionWorker | None = None

    def _terms(self, folder: Path, sets: str | None, keywords: str | None) -> list[SearchTerm]:
        if keywords:
            lang = self.site.languages[0]
            return [SearchTerm(keyword_set="adhoc", language=lang, term=k.strip())
                    for k in keywords.split(",") if k.strip()]
        kw = load_keywords(folder / "keywords.yaml")
        chosen = [s.strip() for s in sets.split(",")] if sets else None
        return terms_for(kw, self.site.languages, chosen)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DirectorySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        polite = spider.site.politeness
        # Settings are still open here: the site's own politeness wins over defaults.
        for key, value in (
            ("DOWNLOAD_DELAY", polite.delay),
            ("CONCURRENT_REQUESTS_PER_DOMAIN", polite.concurrency),
            ("AUTOTHROTTLE_ENABLED", polite.autothrottle),
            ("AUTOTHROTTLE_START_DELAY", max(polite.delay, 0.1)),
            ("ROBOTSTXT_OBEY", polite.obey_robots),
            # result pages beyond max_pages are never followed: deeper links are traps
            ("DEPTH_LIMIT", spider.max_pages + 2),
        ):
            crawler.settings.set(key, value, priority="spider")
        # a crawl of a few detail pages (leads sites try) would be over before the worker had loaded
        few_pages = spider.max_details is not None and spider.max_details < 20
        if not few_pages:
            spider.extractor = extractworker.start_for(spider, crawler, spider.site)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        warm_up()  # country names and phone metadata, loaded once rather than on the first page
        if not self.search_terms:
            self.logger.warning("site %s has no search terms in its languages %s",
                                self.site.name, self.site.languages)
        for term in self.search_terms:
            page = self.site.search.first_page
            yield Request(self.site.search_url(term.term, page), callback=self.parse_results,
                          errback=self.failed, cb_kwargs={"term": term, "page": page, "pages_seen": 1})

    def parse_results(self, response: Response, term: SearchTerm, page: int,
                      pages_seen: int) -> Iterator[Request | dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self._count("not_html")
            return
        listing = self.site.listing
        try:
            items = run_rule(response.selector, listing.item)
        except Exception:
            self.logger.exception("cannot read result page %s", response.url)
            self._count("page_errors")
            return
        self._count("result_pages")
        for item in items:
            card = extract_fields(item, listing.fields)
            link = select(item, listing.detail_link)[:1] if listing.detail_link else []
            if not link:
                if card.get("name"):
                    yield self._lead(card, response.url, term, method="selector:listing")
                continue
            url = canonical_url(response.urljoin(link[0]), self.site.crawl.strip_params)
            if self.emit_cards and card.get("name"):
                yield self._lead(card, url, term, method="selector:listing")
            key = listing_key(url)
            if key in self.done:
                if key not in self.skipped:
                    self._count("resumed_already_read")
                continue
            if key in self.recent:
                if key not in self.skipped:
                    self._count("skipped_recent")
                    self.skipped[key] = None
                continue
            if self.max_details is not None and self.details_requested >= self.max_details:
                continue
            self.details_requested += 1
            yield Request(url, callback=self.parse_detail, errback=self.failed,
                          cb_kwargs={"term": term, "card": card})
        if pages_seen >= self.max_pages:
            return
        next_link = select(response.selector, listing.next_page)[:1] if listing.next_page else []
        if next_link:
            yield response.follow(next_link[0], callback=self.parse_results, errback=self.failed,
                                  cb_kwargs={"term": term, "page": page + 1, "pages_seen": pages_seen + 1})
        elif self.site.paginates_by_template and len(items):
            yield Request(self.site.search_url(term.term, page + 1), callback=self.parse_results,
                          errback=self.failed,
                          cb_kwargs={"term": term, "page": page + 1, "pages_seen": pages_seen + 1})

    async def parse_detail(self, response: Response, term: SearchTerm,
                           card: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self._count("not_html")
            return
        if self.extractor is not None:  # read in the worker process while this one fetches
            extraction = await self.extractor.extract(response.text, response.url, base_fields=card)
            if extraction is None:
                return  # the worker logged and counted the page it skipped
        else:
            extraction = extract_page(response.text, response.url, site=self.site, base_fields=card)
        fields = dict(extraction.fields)
        methods = {k: ("selector:listing" if v == "base" else v) for k, v in extraction.methods.items()}
        if not fields.get("name"):
            self.logger.warning("no company name on %s; page skipped", response.url)
            self._count("pages_without_name")
            return
        if "country" not in fields and extraction.country:
            fields["country"] = extraction.country
            methods["country"] = "inferred"
        self.pages_by_method.update(set(methods.values()))
        yield self._lead(fields, response.url, term, methods=methods)

    def _lead(self, fields: dict[str, Any], url: str, term: SearchTerm, method: str = "selector",
              methods: dict[str, str] | None = None) -> dict[str, Any]:
        return {
            **{k: v for k, v in fields.items() if k in LEAD_FIELDS},
            "field_sources": methods or {name: method for name in fields},
            "site": self.site.name,
            "url": url,
            "keyword": term.term,
            "keyword_set": term.keyword_set,
            "language": term.language,
            "seen_at": datetime.now(UTC).isoformat(),
        }

    def closed(self, reason: str) -> None:
        if self.crawler.stats:
            for method, pages in self.pages_by_method.items():
                self.crawler.stats.inc_value(f"leads/fields_by/{method}", pages)
        if self.seen_out is not None:
            self.seen_out.parent.mkdir(parents=True, exist_ok=True)
            self.seen_out.write_text("".join(f"{k}\n" for k in self.skipped), encoding="utf-8")

    def failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        self.logger.warning("request failed: %s (%s)", getattr(request, "url", "?"), failure.getErrorMessage())
        self._count("request_failures")

    def _count(self, what: str) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"leads/{what}")

    count_stat = _count  # what the extraction worker counts with


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_detail(page: Selector, site: SiteConfig) -> dict[str, Any]:
    """Fields of a detail page, read only inside the site's scope when it has one."""
    root: Any = page
    if site.detail.scope is not None:
        scoped = run_rule(page, site.detail.scope)
        if scoped:
            root = scoped
    return extract_fields(root, site.detail.fields, site.detail.labels)
