"""Small builders for test data, so each test states only what it is about."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipeline.models import Lead
from pipeline.normalize import normalize_lead

_counter = iter(range(1, 10**9))


def lead(name: str, site: str = "b2b", url: str | None = None, country: str | None = "US",
         seen_at: datetime | None = None, **fields: Any) -> Lead:
    """A normalised lead; a unique URL unless one is given."""
    raw = Lead(
        name=name, site=site, url=url or f"http://127.0.0.1/{site}/{next(_counter)}",
        country=country, seen_at=seen_at or datetime(2026, 11, 1, tzinfo=UTC), **fields,
    )
    return normalize_lead(raw)
