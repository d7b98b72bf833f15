"""Fault modes: the ways real directories misbehave, switched on per site, off by default.

Why: a crawler that only ever met polite, fast, well-formed servers breaks on
the first night against the real web. Each mode below is deterministic: which
URL is hit never depends on timing, only on a hash of (fault seed, site, URL)
and on how many times that URL was asked for before (the server counts
attempts per URL, the query string included; ``Sandbox.reset_faults()``
forgets them). robots.txt is never faulted (a crawler that cannot read it
would crawl disallowed pages), except by ``down``.

A URL falls in at most one of the "per-URL" buckets below (rate_limit,
error_burst, timeout, captcha, redirect_loop, truncated, malformed; each
takes ``share`` of the URLs, rate_limit 1/``rate_limit_every``), so a failing
URL recovers on a predictable attempt. ``slow`` and ``lying_encoding`` are
drawn independently and combine with anything.

===============  ====================================================================
mode             what the server does
===============  ====================================================================
rate_limit       about every Nth URL (N = ``rate_limit_every``) answers its FIRST
                 attempt with 429 and ``Retry-After: <retry_after>``; the retry succeeds.
error_burst      a URL of the bucket answers its first 1..``burst_attempts`` attempts
                 with 500, 502 or 503 (chosen by hash), then succeeds.
slow             ``share`` of URLs are delayed ``slow_seconds`` on every attempt.
timeout          a URL of the bucket is delayed ``timeout_seconds`` on its FIRST attempt
                 only (longer than a client's timeout); the retry is immediate.
truncated        a detail page of the bucket is cut mid-document on its FIRST attempt:
                 a well-formed HTTP response (Content-Length = bytes sent) whose HTML
                 ends early, without ``</html>``; the retry is whole.
malformed        a detail page of the bucket is ALWAYS served with unclosed tags, stray
                 end tags, raw "<" and "&", control characters and NUL bytes outside
                 the data, and no ``</body></html>``. All data stay in place and the
                 bytes stay valid in the declared charset, so a parser that survives
                 the mess extracts exactly what the clean page gives: no listing is
                 unrecoverable because of it.
captcha          a URL of the bucket answers its FIRST attempt with 200 and a captcha
                 page ("Please verify you are a human"; chinab2b also "访问验证") and
                 no company data; the retry gets the real page.
redirect_loop    a detail page of the bucket redirects forever: A -> A?loop=1 -> A ...
                 (302, relative Location). These listings are UNRECOVERABLE;
                 ``Sandbox.unrecoverable()`` and ``truth_records(world, faults=...)``
                 name them.
down             the site's port does not listen (connection refused); its URL is
                 still in ``Sandbox.urls``. Every listing of it is unrecoverable.
lying_encoding   ``share`` of HTML pages declare the wrong charset on every attempt:
                 GBK pages (chinab2b) say utf-8 in header and meta; UTF-8 pages say
                 iso-8859-1 in the header while the meta says utf-8.
===============  ====================================================================

Counters of what was injected are in ``Sandbox.stats()[site].faults``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from typing import Any

FAULT_NAMES: tuple[str, ...] = (
    "rate_limit",
    "error_burst",
    "slow",
    "timeout",
    "truncated",
    "malformed",
    "captcha",
    "redirect_loop",
    "down",
    "lying_encoding",
)
# Per-URL faults in bucket order: a URL is in at most one of them.
BUCKETED: tuple[str, ...] = (
    "rate_limit",
    "error_burst",
    "timeout",
    "captcha",
    "redirect_loop",
    "truncated",
    "malformed",
)
LOOP_PARAM = "loop"


@dataclass(frozen=True)
class Faults:
    """Switches (all off by default) and the knobs that tune them; see the module doc."""

    rate_limit: bool = False
    error_burst: bool = False
    slow: bool = False
    timeout: bool = False
    truncated: bool = False
    malformed: bool = False
    captcha: bool = False
    redirect_loop: bool = False
    down: bool = False
    lying_encoding: bool = False
    share: float = 0.1  # share of URLs each per-URL fault takes
    rate_limit_every: int = 10  # rate_limit hits about 1 URL in this many
    retry_after: int = 1  # seconds, in the 429's Retry-After header
    burst_attempts: int = 2  # error_burst fails a URL's first 1..this many attempts
    slow_seconds: float = 0.3
    timeout_seconds: float = 5.0
    seed: int = 0  # another seed hits other URLs

    @classmethod
    def parse(cls, spec: str, **knobs: Any) -> Faults:
        """``"rate_limit,captcha"`` (or ``"all"``, or ``""``) plus knob overrides."""
        names = [n.strip().replace("-", "_") for n in spec.split(",") if n.strip()]
        if names == ["all"]:
            names = [n for n in FAULT_NAMES if n != "down"]
        unknown = sorted(set(names) - set(FAULT_NAMES))
        if unknown:
            raise ValueError(f"unknown fault mode(s) {unknown}; known: {', '.join(FAULT_NAMES)}")
        return cls(**{name: True for name in names}, **knobs)

    @property
    def enabled(self) -> tuple[str, ...]:
        """Names of the modes switched on, in FAULT_NAMES order."""
        return tuple(name for name in FAULT_NAMES if getattr(self, name))

    def with_modes(self, *names: str) -> Faults:
        """A copy with ``names`` switched on as well."""
        known = {f.name for f in fields(self)}
        return replace(self, **{n: True for n in names if n in known})


def unit(*parts: object) -> float:
    """A number in [0, 1) from SHA-256 of ``parts``: stable across runs and processes."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def bucket(faults: Faults, site: str, key: str) -> str | None:
    """The per-URL fault that ``key`` (a URL without the loop marker) falls in, if any."""
    u = unit(faults.seed, site, "bucket", key)
    start = 0.0
    for name in BUCKETED:
        if not getattr(faults, name):
            continue
        width = 1 / max(1, faults.rate_limit_every) if name == "rate_limit" else faults.share
        if start <= u < start + width:
            return name
        start += width
    return None


def strip_loop(path_qs: str) -> tuple[str, bool]:
    """(URL without the redirect-loop marker the server appends, whether it had one)."""
    for marker in (f"?{LOOP_PARAM}=1", f"&{LOOP_PARAM}=1"):
        if path_qs.endswith(marker):
            return path_qs[: -len(marker)], True
    return path_qs, False
