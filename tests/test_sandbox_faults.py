"""Fault modes: each does what sandbox.faults says, deterministically, and recovers where it should.

Why real sockets: a fault is only real if a client sees it on the wire (status
codes, Retry-After, delays past a timeout, short bodies, refused connections).
"""

from __future__ import annotations

import html
import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from parsel import Selector

from pipeline.paths import PROJECT_ROOT
from sandbox.faults import FAULT_NAMES, Faults, bucket, unit
from sandbox.server import SITE_SPECS, Sandbox, start_sandbox
from sandbox.sites.base import CAPTCHA_MARKER
from sandbox.truth import truth_records
from sandbox.web import company_sites
from sandbox.world import Listing, World, generate_world
from spiders.directory import extract_detail
from spiders.sites import load_site

SITES = ("tradeboard", "yellowpages", "chinab2b", "gelbeseiten", "pagesjaunes", "importers")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(seed=7, n_companies=200)


def get(
    base: str, path: str, timeout: float = 10, host: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET without following redirects: (status, headers, body)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def pick(world: World, faults: Faults, site: str, mode: str, n: int = 1) -> list[Listing]:
    """Listings of ``site`` whose detail page falls in ``mode``'s bucket."""
    found = [l for l in world.site_listings(site) if bucket(faults, site, l.path) == mode]
    assert len(found) >= n, (site, mode)
    return found[:n]


@pytest.fixture
def faulty(world: World) -> Iterator[Callable[..., Sandbox]]:
    """Start sandboxes with faults; all are stopped after the test."""
    started: list[Sandbox] = []

    def start(faults: Faults | dict[str, Faults], sites: str | tuple[str, ...] = SITES) -> Sandbox:
        sandbox = start_sandbox(world, faults=faults, sites=sites)
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


def test_parse_and_switches() -> None:
    assert Faults().enabled == ()
    faults = Faults.parse("rate_limit, captcha", share=0.2)
    assert faults.enabled == ("rate_limit", "captcha") and faults.share == 0.2
    assert set(Faults.parse("all").enabled) == set(FAULT_NAMES) - {"down"}
    assert Faults.parse("").enabled == ()
    with pytest.raises(ValueError, match="unknown fault"):
        Faults.parse("rate_limit,meteor")
    assert Faults().with_modes("slow").enabled == ("slow",)


def test_buckets_are_disjoint_and_about_the_right_size(world: World) -> None:
    faults = Faults.parse("all")
    paths = [l.path for l in world.site_listings("tradeboard")] * 1
    counts: dict[str | None, int] = {}
    for path in paths:
        mode = bucket(faults, "tradeboard", path)
        counts[mode] = counts.get(mode, 0) + 1
    assert 0.03 < counts["rate_limit"] / len(paths) < 0.2
    for mode in ("error_burst", "timeout", "captcha", "redirect_loop", "truncated", "malformed"):
        assert 0.03 < counts[mode] / len(paths) < 0.2, mode
    assert bucket(faults, "tradeboard", paths[0]) == bucket(faults, "tradeboard", paths[0])
    assert unit(0, "a", "b") != unit(1, "a", "b")


def test_rate_limit_429_with_retry_after_then_success(world: World, faulty) -> None:
    faults = Faults(rate_limit=True, retry_after=1)
    sandbox = faulty({"tradeboard": faults})
    listings = pick(world, faults, "tradeboard", "rate_limit", 3)
    for listing in listings:
        status, headers, _ = get(sandbox.urls["tradeboard"], listing.path)
        assert status == 429 and headers["Retry-After"] == "1"
        status, _, body = get(sandbox.urls["tradeboard"], listing.path)
        assert status == 200 and html.escape(listing.name).encode() in body
    assert sandbox.stats()["tradeboard"].faults == {"rate_limit": 3}
    assert get(sandbox.urls["yellowpages"], "/")[0] == 200, "faults only where asked"


def test_error_burst_fails_then_succeeds(world: World, faulty) -> None:
    faults = Faults(error_burst=True, burst_attempts=2)
    sandbox = faulty({"gelbeseiten": faults})
    lengths = set()
    for listing in pick(world, faults, "gelbeseiten", "error_burst", 1):
        statuses = []
        while True:
            status, _, _ = get(sandbox.urls["gelbeseiten"], listing.path)
            statuses.append(status)
            if status == 200:
                break
            assert len(statuses) <= 3
        assert set(statuses[:-1]) <= {500, 502, 503} and 1 <= len(statuses) - 1 <= 2
        lengths.add(len(statuses) - 1)
    searches = [f"/suche/{t}" for t in ("Autoteile", "Büromöbel", "Solarmodule", "Handwerkzeuge")]
    failing = [
        p for p in searches if bucket(faults, "gelbeseiten", urllib.parse.quote(p)) == "error_burst"
    ]
    for path in failing:
        assert get(sandbox.urls["gelbeseiten"], urllib.parse.quote(path))[0] in (500, 502, 503)
    assert sandbox.stats()["gelbeseiten"].faults["error_burst"] >= 1


def test_slow_delays_every_attempt(world: World, faulty) -> None:
    faults = Faults(slow=True, slow_seconds=0.3)
    sandbox = faulty({"importers": faults})
    slow = [
        l for l in world.site_listings("importers") if unit(0, "importers", "slow", l.path) < 0.1
    ]
    fast = [
        l for l in world.site_listings("importers") if unit(0, "importers", "slow", l.path) >= 0.1
    ]
    for _ in range(2):
        started = time.perf_counter()
        assert get(sandbox.urls["importers"], slow[0].path)[0] == 200
        assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    assert get(sandbox.urls["importers"], fast[0].path)[0] == 200
    assert time.perf_counter() - started < 0.25
    assert sandbox.stats()["importers"].faults == {"slow": 2}


def test_timeout_only_on_the_first_attempt(world: World, faulty) -> None:
    faults = Faults(timeout=True, timeout_seconds=1.5)
    sandbox = faulty({"yellowpages": faults})
    [listing] = pick(world, faults, "yellowpages", "timeout")
    with pytest.raises(TimeoutError):
        get(sandbox.urls["yellowpages"], listing.path, timeout=0.4)
    started = time.perf_counter()
    status, _, _ = get(sandbox.urls["yellowpages"], listing.path, timeout=0.4)
    assert status == 200 and time.perf_counter() - started < 0.4


def test_truncated_first_attempt_is_a_well_formed_short_response(world: World, faulty) -> None:
    faults = Faults(truncated=True)
    sandbox = faulty({"chinab2b": faults})
    [listing] = pick(world, faults, "chinab2b", "truncated")
    status, headers, cut = get(sandbox.urls["chinab2b"], listing.path)
    assert status == 200 and int(headers["Content-Length"]) == len(cut)
    status, _, whole = get(sandbox.urls["chinab2b"], listing.path)
    assert status == 200 and whole.rstrip().endswith(b"</html>")
    assert b"</html>" not in cut and whole.startswith(cut) and len(cut) < len(whole)
    assert sandbox.stats()["chinab2b"].faults == {"truncated": 1}


@pytest.mark.parametrize("site", ["tradeboard", "yellowpages", "chinab2b", "importers"])
def test_malformed_pages_still_give_all_their_data(world: World, faulty, site: str) -> None:
    faults = Faults(malformed=True, share=0.3)
    sandbox = faulty({site: faults}, sites=(site,))
    clean = start_sandbox(world, sites=(site,))
    config = load_site(PROJECT_ROOT / "config" / "sites" / f"{site}.yaml")
    encoding = SITE_SPECS[site].charset
    try:
        for listing in pick(world, faults, site, "malformed", 3):
            _, _, broken = get(sandbox.urls[site], listing.path)
            _, _, good = get(clean.urls[site], listing.path)
            assert b"\x00" in broken and b"</html>" not in broken and b"</html>" in good
            got = extract_detail(Selector(text=broken.decode(encoding)), config)
            assert got == extract_detail(Selector(text=good.decode(encoding)), config)
            assert got["name"] == listing.name
    finally:
        clean.stop()


def test_malformed_keeps_json_ld_and_microdata(world: World, faulty) -> None:
    faults = Faults(malformed=True, share=0.5)
    sandbox = faulty(faults, sites=("gelbeseiten", "pagesjaunes"))
    [listing] = pick(world, faults, "gelbeseiten", "malformed")
    _, _, body = get(sandbox.urls["gelbeseiten"], listing.path)
    blocks = (
        Selector(text=body.decode()).css("main script[type='application/ld+json']::text").getall()
    )
    assert json.loads(blocks[0])["name"] == listing.name
    [listing] = pick(world, faults, "pagesjaunes", "malformed")
    _, _, body = get(sandbox.urls["pagesjaunes"], listing.path)
    page = Selector(text=body.decode())
    business = page.xpath('//*[@itemtype="https://schema.org/LocalBusiness"]')
    assert business.xpath('.//*[@itemprop="name"]/text()').get() == listing.name
    assert business.xpath('.//*[@itemprop="telephone"]/text()').get() == listing.phone


def test_captcha_then_the_real_page(world: World, faulty) -> None:
    faults = Faults(captcha=True)
    sandbox = faulty(faults, sites=("tradeboard", "chinab2b"))
    [listing] = pick(world, faults, "tradeboard", "captcha")
    status, _, body = get(sandbox.urls["tradeboard"], listing.path)
    assert status == 200 and CAPTCHA_MARKER.encode() in body and b"company-profile" not in body
    status, _, body = get(sandbox.urls["tradeboard"], listing.path)
    assert status == 200 and b"company-profile" in body
    [listing] = pick(world, faults, "chinab2b", "captcha")
    _, headers, body = get(sandbox.urls["chinab2b"], listing.path)
    assert "访问验证" in body.decode("gbk") and headers["Content-Type"].endswith("gbk")
    assert listing.name not in body.decode("gbk")
    sandbox.reset_faults()
    assert CAPTCHA_MARKER.encode() in get(sandbox.urls["chinab2b"], listing.path)[2]


def test_redirect_loop_forever_and_reported_unrecoverable(world: World, faulty) -> None:
    faults = Faults(redirect_loop=True)
    sandbox = faulty({"pagesjaunes": faults})
    [listing] = pick(world, faults, "pagesjaunes", "redirect_loop")
    path = listing.path
    for _ in range(3):
        status, headers, _ = get(sandbox.urls["pagesjaunes"], path)
        assert status == 302
        nxt = headers["Location"]
        assert nxt == (listing.path + "?loop=1" if path == listing.path else listing.path)
        path = nxt
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(sandbox.urls["pagesjaunes"] + listing.path, timeout=10)
    looping = {
        (l.site, l.path)
        for l in world.site_listings("pagesjaunes")
        if bucket(faults, "pagesjaunes", l.path) == "redirect_loop"
    }
    assert sandbox.unrecoverable() == looping
    records = truth_records(world, faults={"pagesjaunes": faults})
    assert {(r["site"], r["path"]) for r in records if r["unrecoverable"]} == looping
    assert {r["unrecoverable"] for r in records} == {None, "redirect_loop"}


def test_a_down_site_refuses_connections(world: World, faulty) -> None:
    sandbox = faulty({"yellowpages": Faults(down=True)}, sites=("tradeboard", "yellowpages"))
    url = sandbox.urls["yellowpages"]
    parts = urllib.parse.urlsplit(url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    assert get(sandbox.urls["tradeboard"], "/robots.txt")[0] == 200
    assert sandbox.env()["SANDBOX_YELLOWPAGES_URL"] == url
    assert sandbox.stats()["yellowpages"].requests == 0
    assert {p for s, p in sandbox.unrecoverable() if s == "yellowpages"} == {
        l.path for l in world.site_listings("yellowpages")
    }


def test_lying_encoding(world: World, faulty) -> None:
    faults = Faults(lying_encoding=True, share=0.3)
    sandbox = faulty(faults, sites=("chinab2b", "tradeboard"))
    liar = next(
        l for l in world.site_listings("chinab2b") if unit(0, "chinab2b", "charset", l.path) < 0.3
    )
    _, headers, body = get(sandbox.urls["chinab2b"], liar.path)
    assert (
        headers["Content-Type"] == "text/html; charset=utf-8" and b'<meta charset="utf-8">' in body
    )
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert liar.name in body.decode("gbk")
    liar = next(
        l
        for l in world.site_listings("tradeboard")
        if unit(0, "tradeboard", "charset", l.path) < 0.3
    )
    _, headers, body = get(sandbox.urls["tradeboard"], liar.path)
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b'<meta charset="utf-8">' in body and body.decode("utf-8")
    honest = next(
        l
        for l in world.site_listings("tradeboard")
        if unit(0, "tradeboard", "charset", l.path) >= 0.3
    )
    assert (
        get(sandbox.urls["tradeboard"], honest.path)[1]["Content-Type"]
        == "text/html; charset=utf-8"
    )
    assert sandbox.stats()["chinab2b"].faults["lying_encoding"] == 1


def test_robots_txt_is_never_faulted(faulty) -> None:
    sandbox = faulty(Faults.parse("all", share=1.0), sites=("tradeboard", "importers"))
    for _ in range(3):
        status, _, body = get(sandbox.urls["importers"], "/robots.txt")
        assert status == 200 and body.startswith(b"User-agent: *")


def test_same_faults_same_failures(world: World, faulty) -> None:
    faults = Faults.parse("rate_limit,error_burst,captcha,redirect_loop,truncated", share=0.1)
    paths = [l.path for l in world.site_listings("tradeboard")[:60]]
    paths += [f"/search?keyword={t}&page=1" for t in ("led+lighting", "auto+parts", "hand+tools")]

    def statuses(sandbox: Sandbox) -> list[tuple[int, int]]:
        return [
            (get(sandbox.urls["tradeboard"], p)[0], len(get(sandbox.urls["tradeboard"], p)[2]))
            for p in paths
        ]

    first = statuses(faulty({"tradeboard": faults}, sites=("tradeboard",)))
    second = statuses(faulty({"tradeboard": faults}, sites=("tradeboard",)))
    other_seed = statuses(
        faulty({"tradeboard": Faults(**{**faults.__dict__, "seed": 1})}, sites=("tradeboard",))
    )
    assert first == second and first != other_seed
    assert {s for s, _ in first} >= {200, 429, 302}


def test_company_web_faults(world: World, faulty) -> None:
    faults = Faults(captcha=True, share=0.5)
    sandbox = faulty({"web": faults}, sites=("web",))
    site = next(
        s
        for s in company_sites(world).values()
        if bucket(faults, "web", f"{s.host}{s.contact_path}") == "captcha"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": sandbox.urls["web"]}))
    url = f"http://{site.host}{site.contact_path}"
    assert CAPTCHA_MARKER in opener.open(url, timeout=10).read().decode()
    assert site.contact_text in opener.open(url, timeout=10).read().decode()
    assert (
        opener.open(f"http://{site.host}/robots.txt", timeout=10).read().decode() == site.robots_txt
    )
    assert sandbox.stats()["web"].faults == {"captcha": 1}
