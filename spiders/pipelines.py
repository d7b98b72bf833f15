"""Scrapy item pipelines: thin wrappers over the Lead model."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipeline.models import Lead


class LeadValidationPipeline:
    """Every item leaves the spider as a valid Lead, or is dropped with a counted reason."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeadValidationPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> dict[str, Any]:
        try:
            lead = Lead.model_validate(dict(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "item"
            reason = f"invalid_{field}"
            if self.crawler.stats:
                self.crawler.stats.inc_value(f"leads/dropped/{reason}")
            raise DropItem(f"{reason}: {first['msg']} ({dict(item).get('url')})") from exc
        if self.crawler.stats:
            self.crawler.stats.inc_value("leads/valid")
        return lead.model_dump(mode="json")
