"""What the server needs to know about a site, and HTML helpers all sites share.

Why: the server is site-agnostic; each site module exposes one ``SPEC`` so a new
directory can be added without touching the HTTP layer.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from sandbox.model import Listing


@dataclass(frozen=True)
class SiteSpec:
    """A site's routing facts and renderers."""

    name: str
    page_size: int
    search_param: str
    robots_txt: str
    disallowed: tuple[str, ...]  # path prefixes robots.txt disallows
    blocked_prefix: str  # per-listing page behind robots.txt ("/inquiry/")
    render_home: Callable[[], str]
    render_search: Callable[[str, int, list[Listing], int, bool], str]
    render_detail: Callable[[Listing, list[Listing]], str]
    render_blocked: Callable[[Listing], str]
    render_not_found: Callable[[], str]


def esc(value: object) -> str:
    """Escape text or attribute values; every dynamic string goes through here."""
    return html.escape(str(value), quote=True)


def query_href(path: str, **params: str | int) -> str:
    """A URL with an encoded query string (escape it again before putting in HTML)."""
    return f"{path}?{urlencode(params)}"


def document(title: str, body: str, lang: str = "en") -> str:
    """Wrap ``body`` in a minimal, valid HTML5 document."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
