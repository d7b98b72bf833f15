"""One spelling per URL, so the same page is fetched and stored once.

Directories add session ids, tracking parameters and shuffle query
parameters; ``canonical_url`` removes what does not change the page and
sorts the rest, and a listing's identity (site + path and query) is taken
from the canonical form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that name a visit, not a page.
SESSION_PARAMS = frozenset({
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken",
    "gclid", "fbclid", "msclkid", "yclid", "spm", "ref", "referrer", "source", "from",
})
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.I)


def canonical_url(url: str, strip: Iterable[str] = ()) -> str:
    """Drop fragments, session and tracking parameters (``utm_*`` and ``strip``), sort the rest."""
    return urlunsplit((*_canonical_parts(url, strip), ""))


def _canonical_parts(url: str, strip: Iterable[str] = ()) -> tuple[str, str, str, str]:
    """Scheme, host, path and query of :func:`canonical_url` (a night splits a hundred thousand)."""
    parts = urlsplit(url.strip())
    query = ""
    if parts.query:
        drop = SESSION_PARAMS | {s.lower() for s in strip}
        query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                                 if k.lower() not in drop and not k.lower().startswith("utm_")))
    path = (_PATH_SESSION.sub("", parts.path) if ";" in parts.path else parts.path) or "/"
    return parts.scheme.lower(), parts.netloc.lower(), path, query


@lru_cache(maxsize=1 << 18)
def listing_key(url: str) -> str:
    """A listing's address within its site: canonical path and query, without host or fragment."""
    scheme, netloc, path, query = _canonical_parts(url)
    if not scheme and not netloc:
        return url
    return path + (f"?{query}" if query else "")


@lru_cache(maxsize=1 << 16)
def website_listing_key(url: str) -> str:
    """A company-website page's address: host (without "www.") with the canonical path and query."""
    _, netloc, path, query = _canonical_parts(url)
    if not netloc:
        return listing_key(url)
    return netloc.removeprefix("www.") + path + (f"?{query}" if query else "")
