"""Serve the sandbox sites over real HTTP on 127.0.0.1, one port per site.

Why a thread with its own event loop: spiders (Scrapy/Twisted), tests and the
CLI all want to start the sandbox from synchronous code and keep going; each
site gets its own port so it has its own host and robots.txt, like real sites.

Which sites run: ``start_sandbox(sites=...)`` takes names from ``SERVERS``
(the six directories of ``SITES`` and ``"web"``, the company-web proxy).
Without ``sites`` it serves ``DEFAULT_SITES`` (tradeboard and yellowpages),
or what the environment variable ``SANDBOX_SITES`` says ("all" or a comma
list), so callers that crawl ``sorted(sandbox.urls)`` keep crawling only the
directories they know. ``Sandbox.world`` then holds only the listings of the
served directories, so a ground truth written from it promises nothing else.

What each site serves (every site also has ``/`` and ``/robots.txt``;
anything else is 404; ``python -m sandbox serve`` ports in brackets):

===========  =======================================================  ==========================
site         search (paginated, page size 10; yellowpages 15)         detail / robots-blocked
===========  =======================================================  ==========================
tradeboard   ``/search?keyword=<en>&page=<n>`` (8801)                 ``/company/<slug>-<n>.html``
                                                                      / ``/inquiry/<n>``
yellowpages  ``/search?search_terms=<en>&page=<n>`` (8802)            ``/biz/<slug>-<n>``
                                                                      / ``/review/<n>``
chinab2b     ``/search?keywords=<zh>&beginPage=<n>`` (8803), GBK      ``/gongsi/<n>.html``
                                                                      / ``/inquiry/<n>``
importers    ``/buying-leads?q=<en>&p=<n>`` (8804)                    ``/buying-lead/<n>.html``
                                                                      / ``/reply/<n>``
gelbeseiten  ``/suche/<de>?page=<n>`` or ``/suche?was=<de>`` (8805)   ``/gsbiz/<hex>``
                                                                      / ``/bewertung/<n>``
pagesjaunes  ``/annuaire/chercherlespros?quoiqui=<fr>&page=<n>``      ``/pros/<n>`` / ``/avis/<n>``
             (8806)
web          HTTP forward proxy for ``http://www.<domain>/...`` (8807), see ``sandbox.proxy``
===========  =======================================================  ==========================

Query values are UTF-8 percent-encoded (chinab2b also accepts GBK); a term
in a path may use "+" or "%20" for spaces. Result pages link the next page
with ``a.next`` (rel="next"). Fault modes: ``sandbox.faults``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, unquote_plus

from aiohttp import web

from sandbox.faults import Faults
from sandbox.inject import INJECTOR_KEY, FaultInjector, middleware_for
from sandbox.model import SERVERS, SITES, WEB, Listing, World
from sandbox.proxy import build_web_app
from sandbox.search import normalised, paginate, search
from sandbox.sites import chinab2b, gelbeseiten, importers, pagesjaunes, tradeboard, yellowpages
from sandbox.sites.base import SiteSpec, captcha_page
from sandbox.world import generate_world

SITE_SPECS: dict[str, SiteSpec] = {
    "tradeboard": tradeboard.SPEC,
    "yellowpages": yellowpages.SPEC,
    "chinab2b": chinab2b.SPEC,
    "importers": importers.SPEC,
    "gelbeseiten": gelbeseiten.SPEC,
    "pagesjaunes": pagesjaunes.SPEC,
}
DEFAULT_SITES: tuple[str, ...] = ("tradeboard", "yellowpages")
DEFAULT_PORTS: dict[str, int] = {name: 8801 + i for i, name in enumerate(SERVERS)}
SITES_ENV = "SANDBOX_SITES"
WEB_PROXY_ENV = "SANDBOX_WEB_PROXY"
_START_TIMEOUT = 30.0
_RELATED = 3

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FaultsArg = Faults | Mapping[str, Faults] | None


@dataclass
class SiteStats:
    """Request counters for one site; lets e2e tests check robots.txt compliance."""

    requests: int = 0
    disallowed: int = 0  # requests to a path robots.txt disallows
    faults: dict[str, int] = field(default_factory=dict)  # fault mode -> times injected


class _SiteIndex:
    """Lookups and caches for one site, built once so requests stay cheap."""

    def __init__(self, spec: SiteSpec, listings: list[Listing]) -> None:
        self.spec = spec
        self.listings = listings
        self.by_path = {listing.path: listing for listing in listings}
        self.by_number = {listing.number: listing for listing in listings}
        self._searches: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Listing]] = {}
        self._pages: dict[str, bytes] = {}

    def search(self, keyword: str) -> list[Listing]:
        """Cached search; the cache key is the normalised keyword."""
        key = normalised(keyword)
        if key not in self._searches:
            self._searches[key] = search(self.listings, keyword)
        return self._searches[key]

    def related(self, listing: Listing) -> list[Listing]:
        """The next few listings in the same primary category, for "also viewed"."""
        ring = self.search(listing.categories[0])
        if len(ring) < 2 or listing not in ring:
            return []
        at = ring.index(listing)
        count = min(_RELATED, len(ring) - 1)
        return [ring[(at + k) % len(ring)] for k in range(1, count + 1)]

    def encode(self, html: str) -> bytes:
        """Page bytes in the site's charset (characters it lacks become &#...; references)."""
        return html.encode(self.spec.charset, errors="xmlcharrefreplace")

    def detail(self, listing: Listing) -> bytes:
        """Rendered detail page, memoised: the world never changes while serving."""
        if listing.path not in self._pages:
            related = self.related(listing) if self.spec.name == "yellowpages" else []
            self._pages[listing.path] = self.encode(self.spec.render_detail(listing, related))
        return self._pages[listing.path]


def _html(body: bytes, status: int = 200, charset: str = "utf-8") -> web.Response:
    """A ``text/html`` response declaring ``charset``."""
    return web.Response(body=body, status=status, content_type="text/html", charset=charset)


def _page_number(raw: str | None) -> int:
    """Parse a page number; anything missing or malformed means page 1, as on real sites."""
    try:
        return max(1, int(raw or "1"))
    except ValueError:
        return 1


def unquote_segment(raw: str) -> str:
    """A path segment percent-decoded ("+" is a space) as UTF-8, else GBK, else lossy UTF-8."""
    for encoding in ("utf-8", "gbk"):
        try:
            return unquote_plus(raw, encoding=encoding, errors="strict")
        except UnicodeDecodeError:
            continue
    return unquote_plus(raw, errors="replace")


def query_param(request: web.Request, name: str) -> str:
    """A query parameter decoded as UTF-8, or GBK when the bytes are not UTF-8."""
    for encoding in ("utf-8", "gbk"):
        try:
            params = parse_qs(request.rel_url.raw_query_string, encoding=encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        return params.get(name, [""])[0]
    return ""


def build_app(
    spec: SiteSpec, listings: list[Listing], stats: SiteStats, faults: Faults | None = None
) -> web.Application:
    """The aiohttp application for one directory site."""
    index = _SiteIndex(spec, listings)

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count requests, and those robots.txt disallows."""
        stats.requests += 1
        if request.path.startswith(spec.disallowed):
            stats.disallowed += 1
        return await handler(request)

    def html(text: str, status: int = 200) -> web.Response:
        return _html(index.encode(text), status=status, charset=spec.charset)

    async def home(request: web.Request) -> web.Response:
        return html(spec.render_home())

    async def robots(request: web.Request) -> web.Response:
        return web.Response(text=spec.robots_txt, content_type="text/plain", charset="utf-8")

    async def search_page(request: web.Request) -> web.Response:
        if spec.keyword_in_path and "keyword" in request.match_info:
            raw = request.rel_url.raw_path.rstrip("/").rsplit("/", 1)[-1]
            keyword = unquote_segment(raw)
        else:
            keyword = query_param(request, spec.search_param)
        keyword = keyword.strip()
        page = _page_number(query_param(request, spec.page_param))
        results = index.search(keyword) if keyword else []
        items, has_next = paginate(results, page, spec.page_size)
        return html(spec.render_search(keyword, page, items, len(results), has_next))

    async def anything_else(request: web.Request) -> web.Response:
        listing = index.by_path.get(request.path)
        if listing is not None:
            return _html(index.detail(listing), charset=spec.charset)
        if request.path.startswith(spec.blocked_prefix):
            tail = request.path[len(spec.blocked_prefix) :].strip("/")
            blocked = index.by_number.get(int(tail)) if tail.isdigit() else None
            if blocked is not None:
                return html(spec.render_blocked(blocked))
        return html(spec.render_not_found(), status=404)

    middlewares = [count]
    injector: FaultInjector | None = None
    if faults is not None and faults.enabled:
        render = spec.render_captcha or (lambda: captcha_page(spec.language))
        injector = FaultInjector(
            spec.name,
            faults,
            stats.faults,
            lambda request: request.path in index.by_path,
            lambda: (index.encode(render()), f"text/html; charset={spec.charset}"),
            charset=spec.charset,
        )
        middlewares.append(middleware_for(injector))
    app = web.Application(middlewares=middlewares)
    if injector is not None:
        app[INJECTOR_KEY] = injector
    app.router.add_get("/", home)
    app.router.add_get("/robots.txt", robots)
    app.router.add_get(spec.search_path, search_page)
    if spec.keyword_in_path:  # the search form posts the term as a parameter
        app.router.add_get(spec.search_path.split("/{")[0], search_page)
    app.router.add_get("/{tail:.*}", anything_else)
    return app


def _url(host: str, port: int) -> str:
    """Base URL without trailing slash; brackets IPv6 literals."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _free_port(host: str, taken: set[int]) -> int:
    """A port nothing listens on right now and no other site of ours has ("down" sites)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    while True:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, 0))
            port = int(probe.getsockname()[1])
        if port not in taken:
            return port


def default_sites() -> tuple[str, ...]:
    """What ``start_sandbox()`` serves without ``sites``: DEFAULT_SITES or $SANDBOX_SITES."""
    raw = os.environ.get(SITES_ENV, "").strip()
    if not raw:
        return DEFAULT_SITES
    return resolve_sites(raw)


def resolve_sites(sites: str | Iterable[str]) -> tuple[str, ...]:
    """Names to serve, in SERVERS order; "all" means every one. ValueError on unknown names."""
    names = [s.strip() for s in sites.split(",")] if isinstance(sites, str) else list(sites)
    names = [n for n in names if n]
    if names == ["all"]:
        return SERVERS
    unknown = sorted(set(names) - set(SERVERS))
    if unknown:
        raise ValueError(f"unknown site(s): {', '.join(unknown)} (known: {', '.join(SERVERS)})")
    return tuple(n for n in SERVERS if n in names)


def _faults_by_site(faults: FaultsArg, names: Iterable[str]) -> dict[str, Faults]:
    """One Faults per served name (a single Faults applies to all)."""
    if faults is None:
        return {}
    if isinstance(faults, Faults):
        return {name: faults for name in names}
    unknown = sorted(set(faults) - set(SERVERS))
    if unknown:
        raise ValueError(f"unknown site(s) in faults: {', '.join(unknown)}")
    return {name: f for name, f in faults.items() if name in names}


class Sandbox:
    """A running set of sandbox sites; stop it (or use ``with``) when done."""

    def __init__(
        self,
        world: World,
        host: str,
        ports: dict[str, int],
        sites: tuple[str, ...] = DEFAULT_SITES,
        faults: FaultsArg = None,
    ) -> None:
        self.sites = sites
        self.full_world = world
        self.world = world.only([s for s in sites if s in SITES])
        self.host = host
        self.urls: dict[str, str] = {}
        self.faults = _faults_by_site(faults, sites)
        self._ports = ports
        self._stats = {name: SiteStats() for name in sites}
        self._injectors: list[FaultInjector] = []
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

    def _app(self, name: str) -> web.Application:
        """The application of one served name."""
        faults = self.faults.get(name)
        if name == WEB:
            return build_web_app(self.full_world, self._stats[name], faults, self.urls)
        listings = self.world.site_listings(name)
        return build_app(SITE_SPECS[name], listings, self._stats[name], faults)

    async def _serve(self) -> None:
        """Bind every site, signal readiness, wait for stop, then clean up."""
        self._stop_event = asyncio.Event()
        runners: list[web.AppRunner] = []
        try:
            try:
                down = {n for n in self.sites if n in self.faults and self.faults[n].down}
                for name in self.sites:
                    if name in down:
                        continue
                    app = self._app(name)
                    if INJECTOR_KEY in app:
                        self._injectors.append(app[INJECTOR_KEY])
                    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
                    await runner.setup()
                    runners.append(runner)
                    await web.TCPSite(runner, self.host, self._ports.get(name, 0)).start()
                    self.urls[name] = _url(self.host, int(runner.addresses[0][1]))
                taken = {int(u.rsplit(":", 1)[1]) for u in self.urls.values()}
                for name in sorted(down, key=self.sites.index):
                    port = self._ports.get(name) or _free_port(self.host, taken)
                    taken.add(port)
                    self.urls[name] = _url(self.host, port)
                ordered = {n: self.urls[n] for n in self.sites}  # SERVERS order, same dict:
                self.urls.clear()  # the proxy holds it to know where the sites are
                self.urls.update(ordered)
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
        """Environment variables that point spiders at this sandbox.

        ``SANDBOX_<NAME>_URL`` per directory; ``SANDBOX_WEB_PROXY`` for the
        company web (use it as the proxy of http:// company URLs).
        """
        env = {f"SANDBOX_{name.upper()}_URL": url for name, url in self.urls.items() if name != WEB}
        if WEB in self.urls:
            env[WEB_PROXY_ENV] = self.urls[WEB]
        return env

    def stats(self) -> dict[str, SiteStats]:
        """A snapshot of the per-site request and fault counters."""
        return {name: replace(s, faults=dict(s.faults)) for name, s in self._stats.items()}

    def reset_faults(self) -> None:
        """Forget attempt counts, so every URL meets its first-attempt faults again."""
        for injector in self._injectors:
            injector.attempts.clear()

    def unrecoverable(self) -> set[tuple[str, str]]:
        """(site, path) of served listings no client can ever fetch under the active faults."""
        from sandbox.truth import unrecoverable_listings

        return set(unrecoverable_listings(self.world, self.faults))

    def stop(self) -> None:
        """Shut the sites down and join the server thread; safe to call twice."""
        loop, stop_event = self._loop, self._stop_event
        if loop is not None and stop_event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop closed since the check
                loop.call_soon_threadsafe(stop_event.set)
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
    faults: FaultsArg = None,
    sites: str | Iterable[str] | None = None,
) -> Sandbox:
    """Start the sites (port 0 = any free port) and return once they listen.

    ``sites``: names from SERVERS, or "all"; default ``default_sites()``.
    ``faults``: one Faults for every served site, or a dict site -> Faults.
    """
    ports = dict(ports or {})
    unknown = sorted(set(ports) - set(SERVERS))
    if unknown:
        raise ValueError(f"unknown site(s) in ports: {', '.join(unknown)}")
    served = default_sites() if sites is None else resolve_sites(sites)
    sandbox = Sandbox(world if world is not None else generate_world(), host, ports, served, faults)
    sandbox._start()
    return sandbox
