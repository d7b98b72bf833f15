"""Scrapy item pipelines: thin wrappers over the Lead model."""

from __future__ import annotations

import os
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_json
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

    def process_item(self, item: Any) -> Lead:
        """The item as a Lead: what later pipelines get (Scrapy takes pydantic models as items)."""
        try:
            lead = _validate(item if type(item) is dict else dict(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "item"
            reason = f"invalid_{field}"
            if self.crawler.stats:
                self.crawler.stats.inc_value(f"leads/dropped/{reason}")
            raise DropItem(f"{reason}: {first['msg']} ({dict(item).get('url')})") from exc
        if self.crawler.stats:
            self.crawler.stats.inc_value("leads/valid")
        return lead


# pydantic's validator and JSON serializer called directly: the same work as model_validate and
# model_dump(mode="json") then to_json, without the Python-level wrappers and the dict in between
_validate = Lead.__pydantic_validator__.validate_python
_lead_json = Lead.__pydantic_serializer__.to_json


def lead_json(item: Any) -> bytes:
    """An item as one line of JSON (UTF-8 bytes): a Lead as ``model_dump_json`` writes it."""
    return _lead_json(item) if isinstance(item, Lead) else to_json(item)


class LeadFileWriter:
    """Each valid lead as one JSON line in ``LEADS_ITEMS_FILE``, written through at once.

    Scrapy's feed exports buffer; a crawler killed mid-run would lose the
    buffered leads. Written line by line, every lead on disk is complete, and
    a resumed crawl (``LEADS_ITEMS_APPEND``) adds to what is there.
    """

    def __init__(self, path: str, append: bool):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC), 0o644)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeadFileWriter:
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("LEADS_ITEMS_FILE")
        if not path:
            raise NotConfigured
        writer = cls(path, crawler.settings.getbool("LEADS_ITEMS_APPEND"))
        from scrapy import signals

        crawler.signals.connect(writer.close, signal=signals.spider_closed)
        return writer

    def process_item(self, item: Any) -> Any:
        os.write(self.fd, lead_json(item) + b"\n")
        return item

    def close(self) -> None:
        os.close(self.fd)
