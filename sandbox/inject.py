"""Applying Faults to live requests: the aiohttp side of ``sandbox.faults``.

Why separate: the fault plan (which URL fails how) is pure and used by the
ground truth without aiohttp; this module does the HTTP: status codes,
delays, rewritten bodies, and the per-URL attempt counts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox.faults import LOOP_PARAM, Faults, bucket, strip_loop, unit

_BURST_STATUSES = (500, 502, 503)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_BODY = re.compile(rb"<body[^>]*>\n?")
_MAIN = re.compile(rb"<main[^>]*>\n?")
_META_CHARSET = re.compile(rb'<meta charset="[^"]*">')


def malform(body: bytes) -> bytes:
    """Break the markup around the data, never the data (see the module doc)."""
    junk_top = (
        b'<div class="promo-banner"><p>Spring sale < 50% & more<span><b>'
        b'<a href=/promo class=x class="dup">deals</a> \x00\x01\x1b\x7f '
    )
    body = _BODY.sub(lambda m: m.group(0) + junk_top, body, count=1)
    body = _MAIN.sub(lambda m: m.group(0) + b"</font></td></em><!-- \x00\x02 -->\n", body, count=1)
    return body.replace(b"</body>", b"").replace(b"</html>", b"")


def truncate(body: bytes, fraction: float) -> bytes:
    """The first ``fraction`` of the page (never the whole of it)."""
    return body[: max(1, min(len(body) - 1, int(len(body) * fraction)))]


def relabel(body: bytes, charset: str) -> tuple[bytes, str]:
    """(bytes, Content-Type) that lie about ``charset``, the page's true encoding."""
    if charset.lower() in ("gbk", "gb2312", "gb18030"):
        return _META_CHARSET.sub(
            b'<meta charset="utf-8">', body, count=1
        ), "text/html; charset=utf-8"
    return body, "text/html; charset=iso-8859-1"


class FaultInjector:
    """Applies one site's Faults to its requests; counts attempts and injections.

    ``is_page(request)`` says whether a request is for a detail page (the only
    pages truncated, malformed or looped); ``captcha()`` gives the site's
    captcha page as (bytes, Content-Type).
    """

    def __init__(
        self,
        site: str,
        faults: Faults,
        counters: dict[str, int],
        is_page: Callable[[web.Request], bool],
        captcha: Callable[[], tuple[bytes, str]],
        charset: str = "utf-8",
        keyed_by_host: bool = False,
    ) -> None:
        self.site = site
        self.faults = faults
        self.counters = counters
        self.is_page = is_page
        self.captcha = captcha
        self.charset = charset
        self.keyed_by_host = keyed_by_host
        self.attempts: dict[str, int] = {}

    def _hit(self, name: str) -> None:
        self.counters[name] = self.counters.get(name, 0) + 1

    def key(self, request: web.Request) -> tuple[str, str, bool]:
        """(fault key, URL without the loop marker, whether the request carried it)."""
        path_qs, looped = strip_loop(str(request.rel_url))
        host = (request.url.host or request.host or "").lower() if self.keyed_by_host else ""
        return f"{host}{path_qs}", path_qs, looped

    def burst_length(self, key: str) -> int:
        """How many first attempts of an error-burst URL fail (1..burst_attempts)."""
        return 1 + int(unit(self.faults.seed, self.site, "burst", key) * self.faults.burst_attempts)

    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The aiohttp middleware body."""
        if request.rel_url.path == "/robots.txt":
            return await handler(request)
        f = self.faults
        key, path_qs, looped = self.key(request)
        attempt = self.attempts[key] = self.attempts.get(key, 0) + 1
        mode = bucket(f, self.site, key)
        first = attempt == 1
        if mode == "redirect_loop" and self.is_page(request):
            self._hit("redirect_loop")
            marker = f"{'&' if '?' in path_qs else '?'}{LOOP_PARAM}=1"
            target = path_qs if looped else path_qs + marker
            return web.Response(status=302, headers={"Location": target})
        if mode == "rate_limit" and first:
            self._hit("rate_limit")
            return web.Response(
                status=429, text="Too Many Requests", headers={"Retry-After": str(f.retry_after)}
            )
        if mode == "error_burst" and attempt <= self.burst_length(key):
            self._hit("error_burst")
            status = _BURST_STATUSES[int(unit(f.seed, self.site, "status", key, attempt) * 3)]
            return web.Response(status=status, text=f"{status} Server Error (sandbox fault)")
        if mode == "timeout" and first:
            self._hit("timeout")
            await asyncio.sleep(f.timeout_seconds)
        if f.slow and unit(f.seed, self.site, "slow", key) < f.share:
            self._hit("slow")
            await asyncio.sleep(f.slow_seconds)
        if mode == "captcha" and first:
            self._hit("captcha")
            body, content_type = self.captcha()
            return web.Response(body=body, headers={"Content-Type": content_type})
        response = await handler(request)
        return self._rewrite(request, response, mode, first, key)

    def _rewrite(
        self,
        request: web.Request,
        response: web.StreamResponse,
        mode: str | None,
        first: bool,
        key: str,
    ) -> web.StreamResponse:
        """Apply the body faults (truncated, malformed, lying_encoding) to an HTML page."""
        if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
            return response
        if response.content_type != "text/html" or response.status != 200:
            return response
        body, content_type = response.body, response.headers.get("Content-Type", "text/html")
        changed = False
        page = self.is_page(request)
        if mode == "malformed" and page:
            self._hit("malformed")
            body, changed = malform(body), True
        if (
            self.faults.lying_encoding
            and unit(self.faults.seed, self.site, "charset", key) < self.faults.share
        ):
            self._hit("lying_encoding")
            body, content_type = relabel(body, self.charset)
            changed = True
        if mode == "truncated" and first and page:
            self._hit("truncated")
            body = truncate(body, 0.35 + 0.4 * unit(self.faults.seed, self.site, "cut", key))
            changed = True
        if not changed:
            return response
        return web.Response(
            body=body, status=response.status, headers={"Content-Type": content_type}
        )


INJECTOR_KEY = web.AppKey("fault_injector", FaultInjector)


def middleware_for(injector: FaultInjector) -> Any:
    """Wrap an injector as an aiohttp middleware."""

    @web.middleware
    async def faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        return await injector.middleware(request, handler)

    return faults
