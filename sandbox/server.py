"""Serve the sandbox sites over real HTTP on 127.0.0.1, one port per site.

Why a thread with its own event loop: spiders (Scrapy/Twisted), tests and the
CLI all want to start the sandbox from synchronous code and keep going; each
site gets its own port so it has its own host and robots.txt, like real sites.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Self

from aiohttp import web

from sandbox.model import SITES, Listing, World
from sandbox.search import paginate, search
from sandbox.sites import tradeboard, yellowpages
from sandbox.sites.base import SiteSpec
from sandbox.text import words
from sandbox.world import generate_world

SITE_SPECS: dict[str, SiteSpec] = {"tradeboard": tradeboard.SPEC, "yellowpages": yellowpages.SPEC}
_START_TIMEOUT = 30.0
_RELATED = 3

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class SiteStats:
    """Request counters for one site; lets e2e tests check robots.txt compliance."""

    requests: int = 0
    disallowed: int = 0  # requests to a path robots.txt disallows


class _SiteIndex:
    """Lookups and caches for one site, built once so requests stay cheap."""

    def __init__(self, spec: SiteSpec, listings: list[Listing]) -> None:
        self.spec = spec
        self.listings = listings
        self.by_path = {listing.path: listing for listing in listings}
        self.by_number = {listing.number: listing for listing in listings}
        self._searches: dict[tuple[str, ...], list[Listing]] = {}
        self._pages: dict[str, bytes] = {}

    def search(self, keyword: str) -> list[Listing]:
        """Cached search; the cache key is the normalised word tuple."""
        key = tuple(words(keyword))
        if key not in self._searches:
            self._searches[key] = search(self.listings, " ".join(key))
        return self._searches[key]

    def related(self, listing: Listing) -> list[Listing]:
        """The next few listings in the same primary category, for "also viewed"."""
        ring = self.search(listing.categories[0])
        if len(ring) < 2:
            return []
        at = ring.index(listing)
        count = min(_RELATED, len(ring) - 1)
        return [ring[(at + k) % len(ring)] for k in range(1, count + 1)]

    def detail(self, listing: Listing) -> bytes:
        """Rendered detail page, memoised: the world never changes while serving."""
        if listing.path not in self._pages:
            html = self.spec.render_detail(listing, self.related(listing))
            self._pages[listing.path] = html.encode("utf-8")
        return self._pages[listing.path]


def _html(body: str | bytes, status: int = 200) -> web.Response:
    """A ``text/html; charset=utf-8`` response."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return web.Response(body=data, status=status, content_type="text/html", charset="utf-8")


def _page_number(raw: str | None) -> int:
    """Parse ``page``; anything missing or malformed means page 1, as on real sites."""
    try:
        return max(1, int(raw or "1"))
    except ValueError:
        return 1


def build_app(spec: SiteSpec, listings: list[Listing], stats: SiteStats) -> web.Application:
    """The aiohttp application for one site."""
    index = _SiteIndex(spec, listings)

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count requests, and those robots.txt disallows."""
        stats.requests += 1
        if request.path.startswith(spec.disallowed):
            stats.disallowed += 1
        return await handler(request)

    async def home(request: web.Request) -> web.Response:
        return _html(spec.render_home())

    async def robots(request: web.Request) -> web.Response:
        return web.Response(text=spec.robots_txt, content_type="text/plain", charset="utf-8")

    async def search_page(request: web.Request) -> web.Response:
        keyword = request.query.get(spec.search_param, "").strip()
        page = _page_number(request.query.get("page"))
        results = index.search(keyword)
        items, has_next = paginate(results, page, spec.page_size)
        return _html(spec.render_search(keyword, page, items, len(results), has_next))

    async def anything_else(request: web.Request) -> web.Response:
        listing = index.by_path.get(request.path)
        if listing is not None:
            return _html(index.detail(listing))
        if request.path.startswith(spec.blocked_prefix):
            tail = request.path[len(spec.blocked_prefix) :].strip("/")
            blocked = index.by_number.get(int(tail)) if tail.isdigit() else None
            if blocked is not None:
                return _html(spec.render_blocked(blocked))
        return _html(spec.render_not_found(), status=404)

    app = web.Application(middlewares=[count])
    app.router.add_get("/", home)
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/search", search_page)
    app.router.add_get("/{tail:.*}", anything_else)
    return app


def _url(host: str, port: int) -> str:
    """Base URL without trailing slash; brackets IPv6 literals."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Sandbox:
    """A running set of sandbox sites; stop it (or use ``with``) when done."""

    def __init__(self, world: World, host: str, ports: dict[str, int]) -> None:
        self.world = world
        self.host = host
        self.urls: dict[str, str] = {}
        self._ports = ports
        self._stats = {name: SiteStats() for name in SITES}
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="sandbox-server", daemon=True)

    def _start(self) -> None:
        """Start the server thread and block until every site listens (or failed)."""
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            self.stop()
            raise RuntimeError("sandbox did not start in time")
        if self._error is not None:
            self._thread.join()
            raise self._error

    def _run(self) -> None:
        """Thread body: own event loop, serve until asked to stop, then close it."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        """Bind every site, signal readiness, wait for stop, then clean up."""
        self._stop_event = asyncio.Event()
        runners: list[web.AppRunner] = []
        try:
            try:
                for name in SITES:
                    app = build_app(
                        SITE_SPECS[name], self.world.site_listings(name), self._stats[name]
                    )
                    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
                    await runner.setup()
                    runners.append(runner)
                    await web.TCPSite(runner, self.host, self._ports.get(name, 0)).start()
                    self.urls[name] = _url(self.host, int(runner.addresses[0][1]))
            except Exception as exc:  # noqa: BLE001 - re-raised in the starting thread
                self._error = exc
                return
            finally:
                self._ready.set()
            await self._stop_event.wait()
        finally:
            for runner in reversed(runners):
                await runner.cleanup()

    def env(self) -> dict[str, str]:
        """Environment variables that point spiders at this sandbox."""
        return {f"SANDBOX_{name.upper()}_URL": url for name, url in self.urls.items()}

    def stats(self) -> dict[str, SiteStats]:
        """A snapshot of the per-site request counters."""
        return {name: replace(s) for name, s in self._stats.items()}

    def stop(self) -> None:
        """Shut the sites down and join the server thread; safe to call twice."""
        loop, stop_event = self._loop, self._stop_event
        if loop is not None and stop_event is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stop_event.set)
            except RuntimeError:  # loop closed between the check and the call
                pass
        if self._thread.is_alive():
            self._thread.join()

    @property
    def running(self) -> bool:
        """True while the server thread is alive."""
        return self._thread.is_alive()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_sandbox(
    world: World | None = None,
    host: str = "127.0.0.1",
    ports: dict[str, int] | None = None,
) -> Sandbox:
    """Start all sites (port 0 = any free port) and return once they listen."""
    ports = dict(ports or {})
    unknown = sorted(set(ports) - set(SITES))
    if unknown:
        raise ValueError(f"unknown site(s) in ports: {', '.join(unknown)}")
    sandbox = Sandbox(world if world is not None else generate_world(), host, ports)
    sandbox._start()
    return sandbox
