"""The company web: every company's own small website behind one HTTP forward proxy.

Why these tests: enrichment spiders will reach www.<company>.com through the
proxy exactly as Scrapy does (absolute-form request target), so the tests send
such requests over raw sockets, urllib's ProxyHandler and Scrapy itself, and
check that the pages carry what the company truth promises.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from sandbox.server import Sandbox, start_sandbox
from sandbox.truth import company_records
from sandbox.web import LANGUAGES, CompanySite, company_sites
from sandbox.world import World, generate_world

SPIDER = """
import os
import scrapy

class Enrich(scrapy.Spider):
    name = "enrich"
    custom_settings = {"ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING", "RETRY_TIMES": 0}

    async def start(self):
        for url in os.environ["START_URLS"].split(","):
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        link = response.css("a.nav-contact::attr(href)").get()
        yield {"url": response.url, "title": response.css("title::text").get()}
        if link and response.url.rstrip("/").count("/") == 2:
            yield response.follow(link, callback=self.parse)
"""

_DEOBFUSCATE = [
    (re.compile(r"\s*\[at\]\s*", re.IGNORECASE), "@"),
    (re.compile(r"\s*\[dot\]\s*", re.IGNORECASE), "."),
    (re.compile(r"\(at\)", re.IGNORECASE), "@"),
    (re.compile(r"\s+AT\s+"), "@"),
    (re.compile(r"\s+DOT\s+"), "."),
]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world()


@pytest.fixture(scope="module")
def sites(world: World) -> dict[str, CompanySite]:
    return company_sites(world)


@pytest.fixture(scope="module")
def sandbox(world: World) -> Iterator[Sandbox]:
    with start_sandbox(world, sites="tradeboard,web") as running:
        yield running


def proxy_opener(sandbox: Sandbox) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": sandbox.urls["web"]}))


def via_proxy(sandbox: Sandbox, url: str) -> tuple[int, str]:
    try:
        with proxy_opener(sandbox).open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def raw_request(sandbox: Sandbox, request: bytes) -> tuple[str, bytes]:
    """Send bytes to the proxy; (status line, body)."""
    parts = urllib.parse.urlsplit(sandbox.urls["web"])
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


def emails_in(page: str) -> set[str]:
    """Every address on a page, undoing the sandbox's obfuscation styles."""
    text = " ".join(Selector(text=page).xpath("//body//text()").getall())
    hrefs = Selector(text=page).css("a::attr(href)").getall()
    text = html.unescape(" ".join([text, *hrefs]))
    for pattern, replacement in _DEOBFUSCATE:
        text = pattern.sub(replacement, text)
    return set(_EMAIL.findall(text.replace("mailto:", " ")))


def test_absolute_form_over_a_raw_socket(sandbox: Sandbox, sites: dict[str, CompanySite]) -> None:
    site = next(iter(sites.values()))
    request = (
        f"GET http://{site.host}{site.contact_path} HTTP/1.1\r\nHost: {site.host}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    status, body = raw_request(sandbox, request)
    assert status == "HTTP/1.1 200 OK"
    assert site.contact_text in body.decode("utf-8")


def test_origin_form_by_host_header(sandbox: Sandbox, sites: dict[str, CompanySite]) -> None:
    site = list(sites.values())[5]
    request = f"GET / HTTP/1.1\r\nHost: {site.domain}\r\nConnection: close\r\n\r\n".encode()
    status, body = raw_request(sandbox, request)
    assert status == "HTTP/1.1 200 OK" and site.contact_path.encode() in body


def test_proxy_handler_serves_contact_pages_and_robots(
    sandbox: Sandbox, world: World, sites: dict[str, CompanySite]
) -> None:
    for site in list(sites.values())[:40]:
        company = world.company(site.company_id)
        status, home = via_proxy(sandbox, f"http://{site.host}/")
        assert status == 200
        link = Selector(text=home).css("a.nav-contact")
        assert link.css("::attr(href)").get() == site.contact_path
        assert link.css("::text").get() == site.contact_text
        status, contact = via_proxy(sandbox, f"http://{site.host}{site.contact_path}")
        assert status == 200
        assert emails_in(contact) == {e.email for e in site.emails if site.contact_path in e.pages}
        assert emails_in(home) == {e.email for e in site.emails if e.in_footer}
        if company.personal_email:
            assert company.personal_email in emails_in(contact)
        assert via_proxy(sandbox, f"http://{site.domain}/robots.txt") == (200, site.robots_txt)
        assert via_proxy(sandbox, f"http://{site.host}/nope.html")[0] == 404


def test_every_page_of_every_site_is_served(
    sandbox: Sandbox, sites: dict[str, CompanySite]
) -> None:
    opener = proxy_opener(sandbox)
    count = 0
    for site in sites.values():
        for path in site.paths:
            with opener.open(f"http://{site.host}{path}", timeout=10) as response:
                assert response.status == 200
            count += 1
    assert count >= 3 * len(sites) and len(sites) >= 500


def test_languages_and_link_texts(sites: dict[str, CompanySite], world: World) -> None:
    texts = {site.contact_text for site in sites.values()}
    assert {"Contact", "Contact us", "Kontakt", "Nous contacter", "联系我们", "Contatti"} <= texts
    legal = {site.legal_text for site in sites.values()}
    assert {"Impressum", "Mentions légales"} <= legal
    for site in sites.values():
        country = world.company(site.company_id).country
        if country == "DE":
            assert site.language == "de" and site.legal_path == "/impressum.html"
        if country == "FR":
            assert site.language == "fr" and site.legal_path == "/mentions-legales.html"
    assert set(LANGUAGES) >= {site.language for site in sites.values()}


def test_obfuscation_styles_all_occur_and_decode(
    sandbox: Sandbox, sites: dict[str, CompanySite]
) -> None:
    styles = {e.style: (site, e) for site in sites.values() for e in site.emails}
    assert set(styles) == {"plain", "brackets", "paren", "entities", "words"}
    for style, (site, email) in styles.items():
        _, page = via_proxy(sandbox, f"http://{site.host}{site.contact_path}")
        if style != "entities":
            assert (f"mailto:{email.email}" in page) == (style == "plain")
        if style == "entities":
            assert email.email not in page and "&#" in page
        assert email.email in emails_in(page), style


def test_company_truth_matches_the_pages(
    sandbox: Sandbox, world: World, sites: dict[str, CompanySite]
) -> None:
    records = {r["company_id"]: r for r in company_records(world)}
    only_on_web = 0
    for site in list(sites.values())[:60]:
        web: dict[str, Any] = records[site.company_id]["web"]
        for path in web["pages"]:
            _, page = via_proxy(sandbox, f"http://{web['hosts'][0]}{path}")
            shown = {e["email"] for e in web["emails"] if path in e["pages"]}
            assert emails_in(page) == shown, (site.host, path)
        only_on_web += len(world.company(site.company_id).web_emails)
    assert only_on_web > 0


def test_unknown_host_connect_and_the_proxy_index(sandbox: Sandbox) -> None:
    status, page = via_proxy(sandbox, "http://www.not-a-sandbox-company.example/")
    assert status == 502 and "does not know the host" in page
    status_line, _ = raw_request(
        sandbox, b"CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n\r\n"
    )
    assert status_line.startswith("HTTP/1.1 405")
    with urllib.request.urlopen(sandbox.urls["web"] + "/", timeout=10) as response:
        assert "HTTP forward proxy" in response.read().decode()


def test_the_proxy_forwards_only_to_the_sandbox_sites(sandbox: Sandbox) -> None:
    before = sandbox.stats()["tradeboard"].requests
    status, body = via_proxy(sandbox, sandbox.urls["tradeboard"] + "/robots.txt")
    assert status == 200 and "Disallow: /inquiry/" in body
    assert sandbox.stats()["tradeboard"].requests == before + 1
    status, _ = via_proxy(sandbox, "http://127.0.0.2:9/")
    assert status == 502


def test_scrapy_through_the_proxy_with_robots_txt(
    sandbox: Sandbox, sites: dict[str, CompanySite], tmp_path: Path
) -> None:
    chosen = list(sites.values())[:4]
    spider = tmp_path / "enrich.py"
    spider.write_text(SPIDER, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    # Scrapy's robots.txt requests do not carry meta["proxy"]: the environment proxy covers them.
    env.update(
        http_proxy=sandbox.urls["web"], START_URLS=",".join(f"http://{s.host}/" for s in chosen)
    )
    before = sandbox.stats()["web"].requests
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", str(spider), "-O", f"{out}:jsonlines"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    urls = {json.loads(line)["url"] for line in out.read_text("utf-8").splitlines()}
    assert urls == {f"http://{s.host}{p}" for s in chosen for p in ("/", s.contact_path)}
    assert sandbox.stats()["web"].requests - before == 3 * len(chosen), "robots.txt, home, contact"
