"""The four newer sandbox sites: chinab2b, importers, gelbeseiten and pagesjaunes.

Why real HTTP: spiders crawl these servers over sockets, so the tests use
urllib/http.client against 127.0.0.1 and parse what comes back, bytes included.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import phonenumbers
import pytest
from lxml import html as lxml_html
from parsel import Selector

from pipeline.paths import PROJECT_ROOT
from sandbox.server import Sandbox, start_sandbox
from sandbox.sites import chinab2b, gelbeseiten, importers, pagesjaunes
from sandbox.truth import truth_records
from sandbox.world import Listing, World, generate_world
from spiders.directory import extract_detail
from spiders.extract import extract_fields, select
from spiders.sites import SiteConfig, load_site

NEW_SITES = ("chinab2b", "importers", "gelbeseiten", "pagesjaunes")
CONFIGS: dict[str, SiteConfig] = {
    name: load_site(PROJECT_ROOT / "config" / "sites" / f"{name}.yaml") for name in NEW_SITES
}


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world()


@pytest.fixture(scope="module")
def sandbox(world: World) -> Iterator[Sandbox]:
    with start_sandbox(world, sites=NEW_SITES) as running:
        yield running


@pytest.fixture(scope="module")
def truth(world: World) -> list[dict[str, Any]]:
    return truth_records(world)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: (status, headers, raw body), also for 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def text(url: str, encoding: str = "utf-8") -> str:
    status, _, body = get(url)
    assert status == 200, url
    return body.decode(encoding)


def crawl_search(sandbox: Sandbox, site: str, term: str) -> tuple[list[str], int]:
    """Search like the spider (the YAML's URL template and selectors); (detail paths, pages)."""
    config = CONFIGS[site]
    base = sandbox.urls[site]
    url: str | None = config.search_url(term, 1).replace(str(config.base_url).rstrip("/"), base)
    paths: list[str] = []
    pages = 0
    while url:
        page = Selector(text=text(url, chinab2b.CHARSET if site == "chinab2b" else "utf-8"))
        for item in page.css(config.listing.item.css or ""):
            assert config.listing.detail_link is not None
            paths += select(item, config.listing.detail_link)
        assert config.listing.next_page is not None
        nxt = select(page, config.listing.next_page)
        url = urllib.parse.urljoin(url, nxt[0]) if nxt else None
        pages += 1
        assert pages < 50
    return paths, pages


def expected(truth: list[dict[str, Any]], site: str, term: str) -> set[str]:
    return {r["path"] for r in truth if r["site"] == site and term in r["search_terms"]}


# --- every new site --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "disallowed"),
    [
        ("chinab2b", ("/inquiry/", "/member/")),
        ("importers", ("/reply/", "/account/")),
        ("gelbeseiten", ("/bewertung/", "/mein-konto/")),
        ("pagesjaunes", ("/avis/", "/compte/")),
    ],
)
def test_robots_txt(sandbox: Sandbox, site: str, disallowed: tuple[str, ...]) -> None:
    status, headers, body = get(sandbox.urls[site] + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert body.decode() == "User-agent: *\n" + "".join(f"Disallow: {d}\n" for d in disallowed)


@pytest.mark.parametrize(
    ("site", "term"),
    [
        ("chinab2b", "LED照明"),
        ("chinab2b", "汽车配件"),
        ("importers", "cotton fabric"),
        ("gelbeseiten", "Büromöbel"),
        ("gelbeseiten", "LED-Beleuchtung"),
        ("pagesjaunes", "machines d'emballage"),
        ("pagesjaunes", "éclairage LED"),
    ],
)
def test_search_and_pagination_find_exactly_the_truth(
    sandbox: Sandbox, truth: list[dict[str, Any]], site: str, term: str
) -> None:
    found, pages = crawl_search(sandbox, site, term)
    assert len(found) == len(set(found)), "a listing appeared on two pages"
    assert set(found) == expected(truth, site, term) != set()
    assert pages == -(-len(found) // 10)


def test_every_listing_is_found_by_a_term_of_its_site(
    sandbox: Sandbox, truth: list[dict[str, Any]]
) -> None:
    for site in NEW_SITES:
        terms = {t for r in truth if r["site"] == site for t in r["search_terms"]}
        assert len(terms) == 8, site
        seen: set[str] = set()
        for term in terms:
            seen |= set(crawl_search(sandbox, site, term)[0])
        assert seen == {r["path"] for r in truth if r["site"] == site}


def test_search_is_case_and_accent_insensitive(sandbox: Sandbox) -> None:
    base = sandbox.urls["pagesjaunes"] + pagesjaunes.SEARCH_PATH
    with_accents = text(f"{base}?quoiqui=%C3%A9clairage+LED")
    without = text(f"{base}?quoiqui=ECLAIRAGE+led")
    assert with_accents.count('class="bi-generic"') == without.count('class="bi-generic"') > 0
    plus = text(sandbox.urls["gelbeseiten"] + "/suche/led+beleuchtung")
    dash = text(sandbox.urls["gelbeseiten"] + "/suche/LED-Beleuchtung?page=1")
    assert plus.count("mod-Treffer__name") == dash.count("mod-Treffer__name") > 0
    form = text(sandbox.urls["gelbeseiten"] + "/suche?was=Autoteile")
    assert form.count("mod-Treffer__name") > 0
    english = text(sandbox.urls["gelbeseiten"] + "/suche/led%20lighting")
    assert 'class="no-results"' in english, "only German terms find German entries"


def test_unknown_paths_are_404(sandbox: Sandbox) -> None:
    for site in NEW_SITES:
        for path in ("/nope", "/gongsi/1.html", "/buying-lead/1.html", "/gsbiz/zz", "/pros/1"):
            assert get(sandbox.urls[site] + path)[0] == 404


@pytest.mark.parametrize("site", NEW_SITES)
def test_the_yaml_reads_names_from_the_served_pages(
    sandbox: Sandbox, world: World, site: str
) -> None:
    encoding = chinab2b.CHARSET if site == "chinab2b" else "utf-8"
    for listing in world.site_listings(site)[:15]:
        page = Selector(text=text(sandbox.urls[site] + listing.path, encoding))
        assert extract_detail(page, CONFIGS[site])["name"] == listing.name


# --- chinab2b --------------------------------------------------------------------------


def test_chinab2b_is_really_gbk(sandbox: Sandbox, world: World) -> None:
    listing = next(l for l in world.site_listings("chinab2b") if l.contact_name and l.street)
    status, headers, body = get(sandbox.urls["chinab2b"] + listing.path)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=gbk"
    assert b'<meta charset="gbk">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("gbk")
    assert listing.name.encode("gbk") in body and listing.name in page
    assert "客服热线：400-826-1688" in page
    for path in ("/", "/search?keywords=%E6%A3%89%E5%B8%83"):
        status, headers, raw = get(sandbox.urls["chinab2b"] + path)
        assert headers["Content-Type"] == "text/html; charset=gbk" and raw.decode("gbk")


def test_chinab2b_accepts_gbk_encoded_queries_too(sandbox: Sandbox) -> None:
    utf8 = urllib.parse.quote("棉布".encode())
    gbk = urllib.parse.quote("棉布".encode("gbk"))
    base = sandbox.urls["chinab2b"] + "/search?keywords="
    assert text(base + utf8, "gbk") == text(base + gbk, "gbk")
    assert text(base + utf8, "gbk").count('class="company-item"') == 10


def test_chinab2b_detail_page_contract(sandbox: Sandbox, world: World) -> None:
    listing = next(
        l for l in world.site_listings("chinab2b") if l.mobile and l.fax and l.email and l.website
    )
    page = Selector(text=text(sandbox.urls["chinab2b"] + listing.path, "gbk"))
    info = page.css("div.company-info")
    assert info.css("h1.company-title::text").get() == listing.name
    labels = info.css("table.contact-table th::text").getall()
    assert set(labels) <= set(chinab2b.CONTACT_LABELS) and "电话" in labels and "手机" in labels
    assert info.css("dl.company-facts dt::text").getall()[0] == "经营模式"
    rows = {tr.css("th::text").get(): tr.css("td") for tr in info.css("table.contact-table tr")}
    assert rows["国家/地区"].css("::text").get() == "中国"
    company = world.company(listing.company_id)
    for label, canonical in (
        ("电话", company.phone),
        ("手机", company.mobile),
        ("传真", company.fax),
    ):
        shown = rows[label].css("::text").get() or ""
        assert not shown.startswith(("+", "86")), "national format"
        number = phonenumbers.parse(shown, "CN")
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == canonical
    fields = extract_detail(page, CONFIGS["chinab2b"])
    assert "400-826-1688" not in str(fields) and "service@chinab2b.example" not in str(fields)
    assert fields["main_products"] == listing.main_products


def test_chinese_phone_formats(world: World) -> None:
    phones = [l.phone for l in world.site_listings("chinab2b") if l.phone]
    mobiles = [l.mobile for l in world.site_listings("chinab2b") if l.mobile]
    assert any(p.startswith("0") and "-" in p for p in phones)  # 0574-87654321
    assert any(len(m) == 13 and m[3] == " " and m[8] == " " for m in mobiles)  # 138 1234 5678


# --- importers -------------------------------------------------------------------------


def test_importers_buying_lead_page(sandbox: Sandbox, world: World) -> None:
    listing = next(
        l for l in world.site_listings("importers") if l.badge and l.email and l.contact_name
    )
    page = Selector(text=text(sandbox.urls["importers"] + listing.path))
    lead = page.css("div.buying-lead")
    assert lead.css("h1.lead-title::text").get() == listing.headline
    facts = dict(
        zip(
            lead.css("dl.lead-facts dt::text").getall(),
            lead.css("dl.lead-facts dd::text").getall(),
            strict=True,
        )
    )
    assert facts["Product Wanted"] == listing.main_products[0]
    assert facts["Quantity"] == listing.quantity and facts["Posted"]
    buyer = lead.css("div.buyer-info")
    assert buyer.css("h2.buyer-name::text").get() == listing.name
    assert buyer.css("span.badge::text").get() in ("Verified Buyer", "Gold Member")
    fields = extract_detail(page, CONFIGS["importers"])
    company = world.company(listing.company_id)
    assert fields["emails"] == [f"mailto:{company.email}"]
    assert fields["business_type"] in ("Importer", "Distributor", "Wholesaler")
    assert "support@importers-board.example" not in str(fields)


def test_one_buyer_several_pages(sandbox: Sandbox, world: World) -> None:
    by_company: dict[str, list[Listing]] = {}
    for listing in world.site_listings("importers"):
        by_company.setdefault(listing.company_id, []).append(listing)
    posts = next(p for p in by_company.values() if len(p) >= 2)
    names = set()
    for listing in posts:
        page = Selector(text=text(sandbox.urls["importers"] + listing.path))
        names.add(page.css("h2.buyer-name::text").get())
    assert len({l.path for l in posts}) == len(posts) and names
    badges = {l.badge for l in world.site_listings("importers")}
    assert {"Verified Buyer", "Gold Member", None} <= badges


# --- gelbeseiten -----------------------------------------------------------------------


def _json_ld(page: Selector) -> list[dict[str, Any]]:
    return [json.loads(s) for s in page.css('script[type="application/ld+json"]::text').getall()]


def test_gelbeseiten_data_is_only_in_json_ld(sandbox: Sandbox, world: World) -> None:
    listings = [l for l in world.site_listings("gelbeseiten") if l.email and l.fax]
    types = set()
    for listing in world.site_listings("gelbeseiten"):
        raw = text(sandbox.urls["gelbeseiten"] + listing.path)
        page = Selector(text=raw)
        blocks = _json_ld(page)
        own = [b for b in blocks if b.get("name") == gelbeseiten.DIRECTORY_NAME]
        assert len(own) == 1 and own[0]["@type"] == "Organization"
        assert page.css("head script[type='application/ld+json']").getall()
        [company_block] = [
            json.loads(s)
            for s in page.css("main script[type='application/ld+json']::text").getall()
        ]
        types.add(company_block["@type"])
        assert company_block["name"] == listing.name
        phones = company_block["telephone"]
        phones = phones if isinstance(phones, list) else [phones]
        assert phones[0] == listing.phone
        number = phonenumbers.parse(listing.phone or "", "DE")
        company = world.company(listing.company_id)
        assert (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == company.phone
        )
        address = company_block["address"]
        assert address["@type"] == "PostalAddress" and address["addressCountry"] == "DE"
        assert address["postalCode"] == company.postcode
        assert address["addressLocality"] == company.city
        visible = " ".join(page.xpath("//body//text()[not(ancestor::script)]").getall())
        assert listing.phone not in visible and "Kontakt anzeigen" in visible
        if listing in listings[:5]:
            assert company_block["email"] == listing.email and company_block["faxNumber"]
    assert {"LocalBusiness", "Organization", "Store"} & types and len(types) >= 4


def test_gelbeseiten_cards_have_name_and_address(sandbox: Sandbox) -> None:
    page = Selector(text=text(sandbox.urls["gelbeseiten"] + "/suche/Autoteile"))
    cards = page.css("article.mod-Treffer")
    assert cards
    for card in cards:
        fields = extract_fields(card, CONFIGS["gelbeseiten"].listing.fields)
        assert fields["name"] and len(fields["postcode"]) == 5 and fields["city"]


# --- pagesjaunes -----------------------------------------------------------------------


def _items(raw: str, itemtype: str) -> list[Any]:
    tree = lxml_html.fromstring(raw)
    return tree.xpath(f'//*[@itemscope and @itemtype="https://schema.org/{itemtype}"]')


def _props(item: Any) -> dict[str, list[str]]:
    """itemprop -> values of one item (nested items' own properties excluded)."""
    props: dict[str, list[str]] = {}
    for element in item.xpath(".//*[@itemprop]"):
        owner = element.xpath("ancestor::*[@itemscope][1]")[0]
        if owner is not item:
            continue
        value = element.get("content") or element.get("href") or element.text_content().strip()
        props.setdefault(element.get("itemprop"), []).append(value)
    return props


def test_pagesjaunes_microdata(sandbox: Sandbox, world: World) -> None:
    for listing in world.site_listings("pagesjaunes")[:30]:
        raw = text(sandbox.urls["pagesjaunes"] + listing.path)
        [business] = _items(raw, "LocalBusiness")
        props = _props(business)
        assert props["name"] == [listing.name]
        assert props["telephone"][0] == listing.phone
        if listing.mobile:
            assert props["telephone"][1] == listing.mobile
        if listing.fax:
            assert props["faxNumber"] == [listing.fax]
        if listing.email:
            assert props["email"] == [listing.email]
        if listing.website:
            assert props["url"] == [listing.website]
        [address] = _items(raw, "PostalAddress")
        address_props = _props(address)
        assert address_props["postalCode"] == [listing.postcode]
        assert address_props["addressLocality"] == [listing.city]
        assert address_props["addressCountry"] == ["FR"]
        [own] = _items(raw, "Organization")
        assert _props(own)["name"] == [pagesjaunes.DIRECTORY_NAME]
        company = world.company(listing.company_id)
        number = phonenumbers.parse(listing.phone or "", "FR")
        assert (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == company.phone
        )


def test_importers_and_chinab2b_footers_are_outside_the_scope() -> None:
    listing = generate_world(seed=3, n_companies=80).site_listings("importers")[0]
    page = Selector(text=importers.render_detail(listing, []))
    assert "support@importers-board.example" in page.get()
    assert "support@importers-board.example" not in str(extract_detail(page, CONFIGS["importers"]))
