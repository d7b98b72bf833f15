"""Site selectors against pages rendered by the sandbox: every shown field is read back."""

from __future__ import annotations

import pytest
from parsel import Selector

from pipeline.models import Lead
from pipeline.normalize import normalize_lead
from pipeline.paths import PROJECT_ROOT
from sandbox.sites import tradeboard, yellowpages
from sandbox.world import generate_world
from spiders.directory import extract_detail
from spiders.extract import extract_fields, select
from spiders.sites import load_site

WORLD = generate_world()
SITES = {name: load_site(PROJECT_ROOT / "config" / "sites" / f"{name}.yaml") for name in ("tradeboard", "yellowpages")}
RENDER = {"tradeboard": tradeboard.render_detail, "yellowpages": yellowpages.render_detail}


def listings(site: str, n: int = 60) -> list:
    return WORLD.site_listings(site)[:n]


@pytest.mark.parametrize("site", ["tradeboard", "yellowpages"])
def test_detail_pages_give_back_what_they_show(site: str) -> None:
    config = SITES[site]
    for listing in listings(site):
        html = RENDER[site](listing, [])
        fields = extract_detail(Selector(text=html), config)
        lead = normalize_lead(Lead(site=site, url=listing.path, **fields), default_country=config.country)
        company = WORLD.company(listing.company_id)
        assert fields["name"] == listing.name
        if listing.phone:
            assert company.phone in lead.phones + lead.mobiles, (listing.path, listing.phone)
        if listing.email:
            assert lead.emails == [company.email]
        if listing.website:
            assert lead.domain == company.domain
        if listing.postcode:
            assert lead.postcode == company.postcode[:5] if site == "yellowpages" else company.postcode
        if listing.city:
            assert lead.city == listing.city
        assert lead.country == company.country


def test_the_directorys_own_contacts_are_never_taken() -> None:
    config = SITES["tradeboard"]
    html = tradeboard.render_detail(listings("tradeboard", 1)[0], [])
    assert "service@tradeboard.example" in html, "the footer carries the directory's own e-mail"
    fields = extract_detail(Selector(text=html), config)
    assert "service@tradeboard.example" not in str(fields)
    assert "8502 2088" not in str(fields)


def test_result_cards_give_names_phones_and_the_next_page() -> None:
    config = SITES["yellowpages"]
    shown = listings("yellowpages", 15)
    html = yellowpages.render_search("led lighting", 1, shown, total=40, has_next=True)
    page = Selector(text=html)
    cards = page.css(config.listing.item.css or "")
    assert len(cards) == len(shown)
    for card, listing in zip(cards, shown, strict=True):
        fields = extract_fields(card, config.listing.fields)
        assert fields["name"] == listing.name
        assert fields.get("phones") == ([listing.phone] if listing.phone else None)
    assert config.listing.next_page is not None
    [next_link] = select(page, config.listing.next_page)
    assert next_link.endswith("page=2")


# Rows of label tables are walked in Python for a few simple steps; each must give exactly
# the elements, in the order, that lxml's XPath gives for the same expression.
STEP_PAGE = """<html><body><table><tr><th>Tel</th><td>1</td><td>2</td><th>x</th></tr>
<tr><td>only<td>cells</tr><tr><!-- c --><th>Fax</th></tr></table>
<dl><dt>A</dt><dd>a1</dd><dd>a2</dd><dt>B</dt><dt>C</dt><dd>c</dd><dt>D</dt></dl>
<div><td>not in a table</td><div><span>s</span></div></div></body></html>"""


@pytest.mark.parametrize("expression, css", [
    (".", False), ("./th", False), ("./td", False), ("./following-sibling::dd[1]", False),
    ("th", True), ("td", True), ("dd", True), ("span", True),
    # not simple steps: these must fall back to XPath and still agree
    ("./td[2]", False), ("./following-sibling::*[1]", False), ("following-sibling::dd[1]", False),
])
def test_simple_steps_find_what_xpath_finds(expression: str, css: bool) -> None:
    from lxml import etree
    from parsel.csstranslator import HTMLTranslator

    from spiders.extract import _compiled

    root = Selector(text=STEP_PAGE).root
    xpath = etree.XPath(HTMLTranslator().css_to_xpath(expression) if css else expression)
    nodes = root.xpath("//tr | //dt | //dl | //div | //table | //body")
    assert len(nodes) == 12
    for node in nodes:
        assert _compiled(expression, css)(node) == xpath(node), (expression, node.tag)
