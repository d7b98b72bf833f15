"""The company web behind one plain HTTP forward proxy on 127.0.0.1.

Why a proxy: leads keep their real domains (www.harpervalve.com) while no
request ever leaves this machine. A client sends the absolute-form request
Scrapy sends with ``meta={"proxy": "http://127.0.0.1:<port>"}``:

    GET http://www.harpervalve.com/contact.html HTTP/1.1
    Host: www.harpervalve.com

and gets that company's page. The site is chosen by the URL's host (the Host
header for origin-form requests), www.<domain> and <domain> alike; each host
has its own robots.txt; unknown paths are 404 in the site's language; unknown
hosts get a 502 page that says so. Only plain http:// is served: CONNECT
(what clients send for https:// through a proxy) is refused with 405, so
company URLs must be requested as http://. The proxy's own address
(127.0.0.1:<port>) shows an index of the hosts it serves.

Requests for the sandbox's own directory sites (http://127.0.0.1:<their
port>/...) are forwarded to them, so a crawl may send everything through the
proxy (``http_proxy`` in its environment); nothing else is ever forwarded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from sandbox.faults import Faults
from sandbox.inject import INJECTOR_KEY, FaultInjector, middleware_for
from sandbox.model import WEB, World
from sandbox.sites.base import captcha_page, document, esc
from sandbox.sites.companyweb import render_not_found, render_site
from sandbox.web import CompanySite, company_sites

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_OWN_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", ""})
_INDEX_LIMIT = 200


class CompanyWeb:
    """Every company website of a world, rendered once, looked up by host."""

    def __init__(self, world: World) -> None:
        self.sites: dict[str, CompanySite] = {}
        self.pages: dict[str, dict[str, bytes]] = {}
        for company_id, site in company_sites(world).items():
            rendered = render_site(world.seed, site, world.company(company_id))
            encoded = {path: html.encode("utf-8") for path, html in rendered.items()}
            for host in site.hosts:
                self.sites[host] = site
                self.pages[host] = encoded

    def site_for(self, request: web.Request) -> CompanySite | None:
        """The site a request is for, by absolute URL or Host header."""
        return self.sites.get(request_host(request))

    def is_page(self, request: web.Request) -> bool:
        """True for the pages of a known site (what faults may break)."""
        host = request_host(request)
        return request.rel_url.path in self.pages.get(host, {})


def request_host(request: web.Request) -> str:
    """Lower-case host without port, from the absolute URL or the Host header."""
    host = request.url.host or request.host or ""
    return host.split(":")[0].lower() if not host.startswith("[") else host.lower()


def _html(body: bytes | str, status: int = 200) -> web.Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return web.Response(body=data, status=status, content_type="text/html", charset="utf-8")


def _index(web_: CompanyWeb) -> str:
    """What a browser pointed straight at the proxy sees: how to use it, and the hosts."""
    hosts = sorted(h for h in web_.sites if h.startswith("www."))
    items = "\n".join(
        f"<li>http://{esc(h)}/ ({esc(web_.sites[h].language)})</li>" for h in hosts[:_INDEX_LIMIT]
    )
    return document(
        "Sandbox company web",
        "<h1>Sandbox company web (HTTP forward proxy)</h1>\n"
        "<p>Use this address as an HTTP proxy for http:// URLs of the hosts below, e.g. "
        "<code>curl -x http://127.0.0.1:PORT http://www.example.com/</code> or Scrapy's "
        "<code>meta={'proxy': 'http://127.0.0.1:PORT'}</code>.</p>\n"
        f"<p>{len(hosts)} company websites.</p>\n<ul>\n{items}\n</ul>",
    )


def _bad_gateway(host: str) -> web.Response:
    """The answer for a host no sandbox company owns."""
    body = document(
        "502 Bad Gateway",
        "<h1>502 Bad Gateway</h1>\n"
        f"<p>The sandbox proxy does not know the host <code>{esc(host)}</code>: only the "
        "websites of the sandbox world's companies are served, and nothing is fetched "
        "from the internet.</p>",
    )
    return _html(body, status=502)


_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
    }
)


async def _forward(request: web.Request, base: str) -> web.Response:
    """Relay a proxied request to one of the sandbox's own sites on 127.0.0.1."""
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
    data = await request.read() or None
    async with (
        ClientSession(timeout=ClientTimeout(total=60)) as session,
        session.request(
            request.method,
            base + str(request.rel_url),
            headers=headers,
            data=data,
            allow_redirects=False,
        ) as upstream,
    ):
        body = await upstream.read()
        kept = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP}
        return web.Response(status=upstream.status, body=body, headers=kept)


def build_web_app(
    world: World,
    stats: Any,
    faults: Faults | None = None,
    local_sites: Mapping[str, str] | None = None,
) -> web.Application:
    """The aiohttp application of the company web (``stats`` is a server.SiteStats).

    ``local_sites`` (name -> base URL, read at request time) are the sandbox's
    own directory sites, the only addresses the proxy forwards to.
    """
    company_web = CompanyWeb(world)

    def local_base(request: web.Request) -> str | None:
        """The base URL of the sandbox site a proxied request is for, if any."""
        netloc = f"{request.url.host}:{request.url.port}"
        for name, base in (local_sites or {}).items():
            if name != WEB and base.split("://", 1)[1] == netloc:
                return base
        return None

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count requests, and those a company's robots.txt disallows; refuse CONNECT."""
        if request.method == "CONNECT":
            refused = web.Response(
                status=405,
                text="CONNECT is not supported: ask for company sites as http:// via this proxy\n",
            )
            refused.force_close()  # what follows a CONNECT would be TLS bytes
            return refused
        stats.requests += 1
        if company_web.site_for(request) and request.rel_url.path.startswith("/admin/"):
            stats.disallowed += 1
        return await handler(request)

    async def serve(request: web.Request) -> web.StreamResponse:
        host = request_host(request)
        site = company_web.sites.get(host)
        if site is None:
            base = local_base(request)
            if base is not None:
                return await _forward(request, base)
            if host in _OWN_HOSTS:
                return _html(_index(company_web))
            return _bad_gateway(host)
        path = request.rel_url.path
        if path == "/robots.txt":
            return web.Response(text=site.robots_txt, content_type="text/plain", charset="utf-8")
        page = company_web.pages[host].get(path)
        if page is None:
            return _html(render_not_found(site), status=404)
        return _html(page)

    middlewares = [count]
    injector: FaultInjector | None = None
    if faults is not None and faults.enabled:
        injector = FaultInjector(
            "web",
            faults,
            stats.faults,
            company_web.is_page,
            lambda: (captcha_page().encode("utf-8"), "text/html; charset=utf-8"),
            keyed_by_host=True,
        )
        middlewares.append(middleware_for(injector))
    app = web.Application(middlewares=middlewares)
    if injector is not None:
        app[INJECTOR_KEY] = injector
    app.router.add_route("*", "/{tail:.*}", serve)
    return app
