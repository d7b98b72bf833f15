"""Tests for the sandbox: deterministic world, real HTTP sites, ground truth.

Why real HTTP: spiders will crawl these servers over sockets, so the tests
exercise the same path (urllib/http.client to 127.0.0.1), not handler calls.
"""

from __future__ import annotations

import html
import http.client
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from parsel import Selector

from pipeline.keywords import load_keywords, terms_for
from sandbox.__main__ import main as cli_main
from sandbox.companies import COUNTRY_SHARES
from sandbox.i18n import BRANDS_ZH, CITIES_ZH, INDUSTRY_ZH
from sandbox.model import SERVERS, SITES
from sandbox.search import TERMS_BY_LANGUAGE
from sandbox.server import DEFAULT_SITES, Sandbox, start_sandbox
from sandbox.truth import (
    company_records,
    load_ground_truth,
    truth_records,
    write_company_truth,
    write_ground_truth,
)
from sandbox.vocab import CATEGORIES, CATEGORY_TERMS, CN_TRADING_WORDS, NAME_ROOTS
from sandbox.world import Listing, World, generate_world

ROOT = Path(__file__).resolve().parents[1]
TRADEBOARD_LABELS = {
    "Contact Person:",
    "Job Title:",
    "Telephone:",
    "Mobile Phone:",
    "Fax:",
    "E-mail:",
    "Website:",
    "Street Address:",
    "City:",
    "Province/State:",
    "Zip/Postal Code:",
    "Country/Region:",
}


@pytest.fixture(scope="module")
def world() -> World:
    """The default world, generated once for the module."""
    return generate_world()


@pytest.fixture(scope="module")
def sandbox(world: World) -> Iterator[Sandbox]:
    """One running sandbox with every site, shared by the HTTP tests."""
    with start_sandbox(world, sites="all") as running:
        yield running


@pytest.fixture(scope="module")
def truth(world: World, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The ground truth, written to disk and read back."""
    path = write_ground_truth(world, tmp_path_factory.mktemp("truth") / "truth.jsonl")
    return load_ground_truth(path)


def fetch(url: str) -> tuple[int, str, str]:
    """GET ``url``; return (status, content type, body) also for 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return (
                response.status,
                response.headers["Content-Type"],
                response.read().decode("utf-8"),
            )
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode("utf-8")


def walk_search(base: str, param: str, term: str, link_css: str) -> list[str]:
    """Follow "Next" links from page 1 and collect every result link."""
    url: str | None = f"{base}/search?{urllib.parse.urlencode({param: term})}"
    paths: list[str] = []
    pages = 0
    while url:
        status, _, body = fetch(url)
        assert status == 200
        page = Selector(text=body)
        paths += page.css(f"{link_css}::attr(href)").getall()
        nxt = page.css("a.next::attr(href)").get()
        url = urllib.parse.urljoin(url, nxt) if nxt else None
        pages += 1
        assert pages < 100
    return paths


DIGEST_CODE = """
import hashlib, json
from sandbox.truth import truth_records
from sandbox.world import generate_world
w = generate_world(7)
payload = json.dumps([truth_records(w), [repr(c) for c in w.companies], [repr(l) for l in w.listings]])
print(hashlib.sha256(payload.encode("utf-8")).hexdigest())
"""


# --- the world -------------------------------------------------------------------------


def test_world_is_deterministic_for_a_seed(world: World) -> None:
    again = generate_world(7)
    assert again == world
    other = generate_world(8)
    assert [l.path for l in other.listings] != [l.path for l in world.listings]


def test_world_does_not_depend_on_hash_randomisation() -> None:
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", DIGEST_CODE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_world_sizes_and_overlap(world: World) -> None:
    assert len(world.companies) == 600
    assert [c.id for c in world.companies] == [f"C{i:04d}" for i in range(1, 601)]
    assert len(world.listed_company_ids()) >= 550
    suppliers = [c for c in world.companies if c.role == "supplier"]
    countries = [c.country for c in suppliers]
    assert countries.count("CN") == 204 and countries.count("US") == 240
    assert countries.count("DE") == 60 and countries.count("FR") == 60
    assert {"IN", "TR", "IT", "VN"} <= set(countries)
    buyers = [c for c in world.companies if c.role == "buyer"]
    assert len(buyers) == 24
    assert {c.business_type for c in buyers} == {"Importer", "Distributor", "Wholesaler"}
    assert {"US", "DE", "FR", "GB", "AU", "AE", "BR", "IN"} <= {c.country for c in buyers}
    ids = world.listed_company_ids
    assert len(ids("tradeboard") & ids("yellowpages")) >= 100
    assert len(ids("tradeboard") & ids("chinab2b")) >= 150
    assert len(ids("tradeboard") & ids("gelbeseiten")) >= 25
    assert len(ids("tradeboard") & ids("pagesjaunes")) >= 20
    by_site = {site: {world.company(i).country for i in ids(site)} for site in SITES}
    assert by_site["yellowpages"] == {"US"} and by_site["chinab2b"] == {"CN"}
    assert by_site["gelbeseiten"] == {"DE"} and by_site["pagesjaunes"] == {"FR"}
    assert {world.company(i).role for i in ids("importers")} == {"buyer"}
    assert {world.company(i).role for i in ids("tradeboard")} == {"supplier"}


def test_country_shares_add_up_for_any_size() -> None:
    assert sum(share for _, share in COUNTRY_SHARES) == pytest.approx(1.0)
    for n in (1, 2, 3, 7, 13, 22, 61):
        assert len(generate_world(seed=1, n_companies=n).companies) == n


def test_chinese_names_are_built_from_the_english_parts(world: World) -> None:
    assert set(NAME_ROOTS["CN"]) <= set(BRANDS_ZH)
    assert len({hanzi for hanzi, _ in BRANDS_ZH.values()}) == len(BRANDS_ZH)
    cn_words = {w for c in CATEGORIES for w in c.industry_words["CN"]} | set(CN_TRADING_WORDS)
    assert cn_words <= set(INDUSTRY_ZH)
    assert len(set(INDUSTRY_ZH.values())) == len(INDUSTRY_ZH)
    cn = [c for c in world.companies if c.country == "CN"]
    assert all(c.full_name_zh and c.full_name_zh.endswith("有限公司") for c in cn)
    assert len({c.full_name_zh for c in cn}) == len(cn), "Chinese names are unique"
    assert all(c.name_zh is None for c in world.companies if c.country != "CN")
    for c in cn:
        city, root, *_ = c.name.split(" ")
        brand = BRANDS_ZH[root][0]
        assert c.name_zh and c.name_zh.startswith(f"{CITIES_ZH[city]}市{brand}")


def test_search_terms_are_those_of_keywords_yaml() -> None:
    keywords = load_keywords(ROOT / "config" / "keywords.yaml")
    for language, terms in TERMS_BY_LANGUAGE.items():
        configured = {t.term for t in terms_for(keywords, [language])}
        assert set(terms) == configured, language


def test_website_only_emails(world: World) -> None:
    shown = {l.email for l in world.listings if l.email}
    personal = [c for c in world.companies if c.personal_email]
    assert 40 <= len(personal) <= 120
    for c in personal:
        assert c.personal_email in c.web_emails and c.personal_email not in shown
        assert c.website and c.personal_email.endswith("@" + (c.domain or ""))
    assert all(not c.web_emails for c in world.companies if not c.website)


def test_company_fields_are_sane(world: World) -> None:
    for c in world.companies:
        assert 1 <= len(c.categories) <= 2 and set(c.categories) <= set(CATEGORY_TERMS)
        assert 2 <= len(c.main_products) <= 4
        assert c.website is None or c.website == f"http://www.{c.domain}/"
        if c.country == "CN":
            assert len(c.postcode) == 6 and c.postcode.isdigit()
        if c.country in ("US", "DE", "FR"):
            assert len(c.postcode) == 5 and c.postcode.isdigit()
    no_site = sum(c.website is None for c in world.companies)
    free_mail = sum(
        c.email.split("@")[1]
        in (
            "gmail.com",
            "163.com",
            "qq.com",
            "yahoo.com",
            "126.com",
            "web.de",
            "gmx.de",
            "t-online.de",
            "orange.fr",
            "free.fr",
            "uol.com.br",
            "hotmail.com",
        )
        for c in world.companies
    )
    assert 30 <= no_site <= 100 and 6 <= free_mail <= 40


def test_all_company_phones_are_valid(world: World) -> None:
    for c in world.companies:
        for number in (c.phone, c.fax, c.mobile):
            if number is None:
                continue
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed), (c.id, number)
            assert phonenumbers.region_code_for_number(parsed) == c.country
        if c.country == "US":
            assert c.phone[5:8] != "555", "fictional 555 exchanges look fake"


def test_rendered_phones_are_the_same_numbers(world: World) -> None:
    for listing in world.listings:
        c = world.company(listing.company_id)
        for field, canonical in (("phone", c.phone), ("fax", c.fax), ("mobile", c.mobile)):
            shown = getattr(listing, field)
            if shown is None:
                continue
            region = {
                "yellowpages": "US",
                "chinab2b": "CN",
                "gelbeseiten": "DE",
                "pagesjaunes": "FR",
            }.get(listing.site)
            if region:
                parsed = phonenumbers.parse(shown, region)
            else:
                text = "+" + shown[2:] if shown.startswith("00") else shown
                parsed = phonenumbers.parse(text if text.startswith("+") else "+" + text)
            assert (
                phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == canonical
            )


def test_listings_vary_from_the_canonical_record(world: World) -> None:
    differing = [l for l in world.listings if l.name != world.company(l.company_id).full_name]
    assert len(differing) > len(world.listings) * 0.4
    yp = world.site_listings("yellowpages")
    assert any(l.name.isupper() for l in yp)
    assert sum(l.email is None for l in yp) > len(yp) * 0.25
    tb = world.site_listings("tradeboard")
    assert sum(l.fax is None for l in tb) > len(tb) * 0.25
    assert any(l.website and l.website.startswith("www.") for l in tb)


def test_duplicates_and_siblings(world: World) -> None:
    dups = [l for l in world.listings if l.duplicate]
    assert 5 <= len(dups) <= 25
    for dup in dups:
        originals = [
            l
            for l in world.site_listings("tradeboard")
            if l.company_id == dup.company_id and not l.duplicate
        ]
        assert len(originals) == 1 and originals[0].path != dup.path
        assert originals[0].name != dup.name
    siblings = [c for c in world.companies if c.sibling_id]
    assert 20 <= len(siblings) <= 40
    for c in siblings:
        s = world.company(c.sibling_id or "")
        assert s.sibling_id == c.id and s.id != c.id
        assert s.phone != c.phone and s.city != c.city and s.domain != c.domain


def test_small_worlds_work() -> None:
    small = generate_world(seed=3, n_companies=20)
    assert len(small.companies) == 20 and small.listings


# --- ground truth ----------------------------------------------------------------------


def test_ground_truth_round_trips(world: World, truth: list[dict[str, Any]]) -> None:
    assert truth == truth_records(world)
    assert len(truth) == len(world.listings)
    assert len({(r["site"], r["path"]) for r in truth}) == len(truth)
    assert {r["site"] for r in truth} == set(SITES)
    for record, listing in zip(truth, world.listings):
        assert set(record) == {"site", "path", "company_id", "search_terms"}
        assert record["search_terms"], "every listing must be findable"
        assert set(record["search_terms"]) <= set(TERMS_BY_LANGUAGE[listing.language])
        if listing.site != "importers":  # a buying lead is about one category of the buyer
            assert len(record["search_terms"]) >= len(world.company(listing.company_id).categories)


def test_buyers_with_several_posts_map_to_one_company(truth: list[dict[str, Any]]) -> None:
    posts: dict[str, list[str]] = {}
    for record in truth:
        if record["site"] == "importers":
            posts.setdefault(record["company_id"], []).append(record["path"])
    assert len(posts) == 24
    assert sum(len(paths) > 1 for paths in posts.values()) >= 10


def test_company_truth_has_the_full_contact_set(world: World, tmp_path: Path) -> None:
    records = load_ground_truth(write_company_truth(world, tmp_path / "companies.jsonl"))
    assert records == company_records(world) and len(records) == len(world.companies)
    by_id = {r["company_id"]: r for r in records}
    listed = {(l.site, l.path) for l in world.listings}
    for company in world.companies:
        record = by_id[company.id]
        assert record["emails"][0] == company.email
        assert set(company.web_emails) <= set(record["emails"])
        assert {tuple(x) for x in record["listings"]} <= listed
        if company.website:
            web = record["web"]
            assert web["hosts"] == [f"www.{company.domain}", company.domain]
            assert web["contact_path"] in web["pages"] and web["pages"][0] == "/"
            assert [e["email"] for e in web["emails"]] == record["emails"]
            for shown in web["emails"]:
                assert web["contact_path"] in shown["pages"]
        else:
            assert record["web"] is None
    cn = next(r for r in records if r["country"] == "CN")
    assert cn["name_zh"] and cn["phones"][0].startswith("+86")


def test_cli_writes_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "truth.jsonl"
    companies = tmp_path / "sub" / "companies.jsonl"
    argv = ["truth", "--out", str(out), "--companies", "40", "--seed", "5"]
    assert cli_main([*argv, "--companies-out", str(companies)]) == 0
    assert load_ground_truth(out) == truth_records(generate_world(5, 40))
    assert len(load_ground_truth(companies)) == 40
    assert "wrote" in capsys.readouterr().out


def test_cli_serves_until_terminated() -> None:
    args = [
        sys.executable,
        "-m",
        "sandbox",
        "serve",
        "--companies",
        "30",
        "--sites",
        "tradeboard,web",
        "--faults",
        "captcha,slow",
        "--fault-share",
        "0.2",
    ]
    args += [f"--{name}-port=0" for name in SERVERS]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        out = "".join(lines)
        assert "tradeboard: http://127.0.0.1:" in out and "SANDBOX_WEB_PROXY=" in out
        assert "faults: slow, captcha" in out and "yellowpages" not in out
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


# --- the HTTP sites --------------------------------------------------------------------


def test_urls_env_and_ports(sandbox: Sandbox) -> None:
    assert set(sandbox.urls) == set(SERVERS)
    ports = {urllib.parse.urlsplit(u).port for u in sandbox.urls.values()}
    assert len(ports) == len(SERVERS)
    assert all(
        u.startswith("http://127.0.0.1:") and not u.endswith("/") for u in sandbox.urls.values()
    )
    expected = {f"SANDBOX_{n.upper()}_URL": sandbox.urls[n] for n in SITES}
    assert sandbox.env() == {**expected, "SANDBOX_WEB_PROXY": sandbox.urls["web"]}


def test_default_sandbox_serves_the_first_two_sites(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SANDBOX_SITES", raising=False)
    with start_sandbox(world) as running:
        assert tuple(running.urls) == DEFAULT_SITES == ("tradeboard", "yellowpages")
        assert set(running.env()) == {"SANDBOX_TRADEBOARD_URL", "SANDBOX_YELLOWPAGES_URL"}
        assert {l.site for l in running.world.listings} == set(DEFAULT_SITES)
        assert running.world.companies == world.companies
        assert set(running.stats()) == set(DEFAULT_SITES)
    monkeypatch.setenv("SANDBOX_SITES", "chinab2b,web")
    with start_sandbox(world) as running:
        assert set(running.urls) == {"chinab2b", "web"}
        assert {l.site for l in running.world.listings} == {"chinab2b"}
    with pytest.raises(ValueError):
        start_sandbox(world, sites="tradeboard,alibaba")


def test_robots_txt_per_site(sandbox: Sandbox) -> None:
    status, ctype, body = fetch(sandbox.urls["tradeboard"] + "/robots.txt")
    assert status == 200 and ctype.startswith("text/plain")
    assert body == "User-agent: *\nDisallow: /inquiry/\nDisallow: /admin/\n"
    status, _, body = fetch(sandbox.urls["yellowpages"] + "/robots.txt")
    assert status == 200 and body == "User-agent: *\nDisallow: /admin/\nDisallow: /review/\n"


def test_home_pages_link_every_category(sandbox: Sandbox) -> None:
    for site in ("tradeboard", "yellowpages", "importers", "gelbeseiten", "pagesjaunes"):
        status, ctype, body = fetch(sandbox.urls[site] + "/")
        assert status == 200 and ctype == "text/html; charset=utf-8"
        assert len(Selector(text=body).css("a.category::attr(href)").getall()) == len(
            CATEGORY_TERMS
        )


@pytest.mark.parametrize(
    ("site", "param", "term", "link_css"),
    [
        ("tradeboard", "keyword", "led lighting", "h2.supplier-name a"),
        ("tradeboard", "keyword", "auto parts", "h2.supplier-name a"),
        ("yellowpages", "search_terms", "industrial valves", "a.business-name"),
    ],
)
def test_search_pagination_finds_exactly_the_truth(
    sandbox: Sandbox, truth: list[dict[str, Any]], site: str, param: str, term: str, link_css: str
) -> None:
    found = walk_search(sandbox.urls[site], param, term, link_css)
    expected = {r["path"] for r in truth if r["site"] == site and term in r["search_terms"]}
    assert len(found) == len(set(found)), "a listing appeared on two pages"
    assert set(found) == expected


def test_search_without_matches_or_past_the_end(sandbox: Sandbox) -> None:
    base = sandbox.urls["tradeboard"]
    for url in (f"{base}/search?keyword=zeppelin", f"{base}/search?keyword=led+lighting&page=999"):
        status, _, body = fetch(url)
        assert status == 200 and Selector(text=body).css("p.no-results").get()
    status, _, body = fetch(sandbox.urls["yellowpages"] + "/search?search_terms=hand+tools&page=1")
    page = Selector(text=body)
    assert len(page.css("div.result")) == 15
    assert (
        page.css("a.next[rel=next]::attr(href)").get() == "/search?search_terms=hand+tools&page=2"
    )


def test_tradeboard_detail_page_contract(sandbox: Sandbox, world: World) -> None:
    listing = next(
        l for l in world.site_listings("tradeboard") if l.email and l.website and l.phone
    )
    status, _, body = fetch(sandbox.urls["tradeboard"] + listing.path)
    assert status == 200
    page = Selector(text=body)
    profile = page.css("div.company-profile")
    assert profile.css("h1.company-name::text").get() == listing.name
    labels = profile.css("table.contact-info tr th::text").getall()
    assert labels and set(labels) <= TRADEBOARD_LABELS
    rows = {tr.css("th::text").get(): tr.css("td") for tr in profile.css("table.contact-info tr")}
    assert rows["Telephone:"].css("::text").get() == listing.phone
    assert rows["E-mail:"].css("a::attr(href)").get() == f"mailto:{listing.email}"
    assert rows["Website:"].css("a[rel=nofollow]::attr(href)").get() == listing.website
    assert rows["Country/Region:"].css("::text").get() == listing.country_name
    assert profile.css("dl.company-facts dt::text").getall()[0] == "Business Type"
    assert "service@tradeboard.example" not in (profile.get() or "")
    assert "Customer Service: +86 571 8502 2088" in (page.css("footer").get() or "")


def test_yellowpages_detail_page_contract(sandbox: Sandbox, world: World) -> None:
    listing = next(l for l in world.site_listings("yellowpages") if l.fax and l.email and l.street)
    status, _, body = fetch(sandbox.urls["yellowpages"] + listing.path)
    assert status == 200
    card = Selector(text=body).css("article.business-card")
    assert card.css("h1.business-name::text").get() == listing.name
    assert card.css("p.phone::text").get() == listing.phone
    assert card.css("p.fax::text").get() == f"Fax: {listing.fax}"
    assert card.css("div.address span.street-address::text").get() == listing.street
    assert card.css("div.address span.region::text").get() == listing.region
    assert card.css("a.email-business::attr(href)").get() == f"mailto:{listing.email}"
    assert card.css("dd.categories::text").get()
    assert "(800) 555-0199" not in (card.get() or "") and "(800) 555-0199" in body


def test_names_are_html_escaped(sandbox: Sandbox, world: World) -> None:
    listing = next(l for l in world.site_listings("tradeboard") if "&" in l.name)
    _, _, body = fetch(sandbox.urls["tradeboard"] + listing.path)
    assert html.escape(listing.name) in body and f">{listing.name}<" not in body


def test_unknown_paths_are_404_and_disallowed_hits_are_counted(
    sandbox: Sandbox, world: World
) -> None:
    for site in ("tradeboard", "yellowpages"):
        for path in ("/nope", "/company/x-1.html", "/biz/x-1", "/admin/"):
            status, _, _ = fetch(sandbox.urls[site] + path)
            assert status == 404, (site, path)
    before = sandbox.stats()["tradeboard"].disallowed
    number = world.site_listings("tradeboard")[0].number
    status, _, _ = fetch(f"{sandbox.urls['tradeboard']}/inquiry/{number}")
    assert status == 200
    assert sandbox.stats()["tradeboard"].disallowed == before + 1


def test_every_truth_path_is_served(sandbox: Sandbox, truth: list[dict[str, Any]]) -> None:
    connections: dict[str, http.client.HTTPConnection] = {}
    try:
        for record in truth:
            site = str(record["site"])
            if site not in connections:
                parts = urllib.parse.urlsplit(sandbox.urls[site])
                connections[site] = http.client.HTTPConnection(
                    parts.hostname or "", parts.port, timeout=10
                )
            conn = connections[site]
            conn.request("GET", str(record["path"]))
            response = conn.getresponse()
            response.read()
            assert response.status == 200, record
    finally:
        for conn in connections.values():
            conn.close()


def test_two_sandboxes_and_clean_stop(world: World) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        fixed = probe.getsockname()[1]
    first = start_sandbox(world, ports={"tradeboard": fixed})
    second = start_sandbox(world)
    try:
        assert first.urls["tradeboard"] == f"http://127.0.0.1:{fixed}"
        assert set(first.urls.values()).isdisjoint(second.urls.values())
        for running in (first, second):
            assert fetch(running.urls["yellowpages"] + "/robots.txt")[0] == 200
    finally:
        first.stop()
        second.stop()
    assert not first.running and not second.running
    first.stop()  # idempotent
    with pytest.raises(OSError):
        urllib.request.urlopen(second.urls["tradeboard"] + "/", timeout=2)


def test_unknown_site_in_ports_is_rejected(world: World) -> None:
    with pytest.raises(ValueError):
        start_sandbox(world, ports={"alibaba": 0})


def test_package_exports_the_public_api() -> None:
    import sandbox

    assert sandbox.start_sandbox is start_sandbox
    assert sandbox.generate_world is generate_world
    assert sandbox.Listing is Listing
    assert sandbox.Faults().enabled == () and sandbox.SERVERS == SERVERS
    assert sandbox.company_records is company_records


def test_world_and_truth_do_not_need_aiohttp() -> None:
    code = "import sys, sandbox.truth, sandbox.world; print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
