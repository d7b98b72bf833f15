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
    # Added with the Chinese, German, French and buying-leads sites; the defaults
    # are what the first two sites do.
    search_path: str = "/search"  # aiohttp route; "{keyword}" when the term is in the path
    page_param: str = "page"
    charset: str = "utf-8"  # what pages are encoded in and declare
    language: str = "en"
    render_captcha: Callable[[], str] | None = None  # the "are you human" page of faults

    @property
    def keyword_in_path(self) -> bool:
        """True when the search term is a path segment (/suche/<term>)."""
        return "{keyword}" in self.search_path


def esc(value: object) -> str:
    """Escape text or attribute values; every dynamic string goes through here."""
    return html.escape(str(value), quote=True)


def query_href(path: str, **params: str | int) -> str:
    """A URL with an encoded query string (escape it again before putting in HTML)."""
    return f"{path}?{urlencode(params)}"


def document(
    title: str, body: str, lang: str = "en", charset: str = "utf-8", head: str = ""
) -> str:
    """Wrap ``body`` in a minimal, valid HTML5 document (``head``: extra head elements)."""
    extra = f"{head}\n" if head else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{extra}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def pager(href: Callable[[int], str], page: int, has_next: bool, labels: tuple[str, str]) -> str:
    """Previous/current/next links; ``href(n)`` gives page n's URL, ``labels`` the link texts."""
    links = []
    if page > 1:
        links.append(
            f'<a class="prev" rel="prev" href="{esc(href(page - 1))}">{esc(labels[0])}</a>'
        )
    links.append(f'<span class="current">{page}</span>')
    if has_next:
        links.append(
            f'<a class="next" rel="next" href="{esc(href(page + 1))}">{esc(labels[1])}</a>'
        )
    return " ".join(links)


CAPTCHA_MARKER = "Please verify you are a human"


def captcha_page(lang: str = "en", local: str = "", charset: str = "utf-8") -> str:
    """A ban/captcha page: the marker text, a form, and no company data at all."""
    line = f"<p>{esc(local)}</p>\n" if local else ""
    return document(
        "Security check",
        f'<div class="captcha-box">\n<h1>{CAPTCHA_MARKER}</h1>\n{line}'
        "<p>Our systems have detected unusual traffic from your network.</p>\n"
        '<form method="post" action="/captcha/verify"><img src="/captcha/image.png" alt="captcha">'
        '<input name="answer"><button type="submit">Verify</button></form>\n</div>',
        lang=lang,
        charset=charset,
    )
