"""extract_page: golden pages (tests/samples/pages/*.html -> .json), the order of methods,
a directory's own contacts left out, and never an exception.

To accept a deliberate change to the golden files:
    LEADS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_page.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import Field

from spiders.page import PageExtraction, extract_page
from spiders.sites import SiteConfig

SAMPLES = Path(__file__).parent / "samples" / "pages"
GOLDEN = sorted(p for p in SAMPLES.glob("*.json"))
DIRECTORY_PAGE = (SAMPLES / "directory_detail.html").read_text(encoding="utf-8")
LISTING_URL = "https://www.bizfinder.example/biz/sutton-packaging-machinery"


def site(**detail: Any) -> SiteConfig:
    return SiteConfig.model_validate({
        "name": "bizfinder", "title": "BizFinder Directory", "base_url": "https://www.bizfinder.example",
        "languages": ["en"], "country": "US", "search": {"url": "/search?q={keyword}"},
        "listing": {"item": "div.result"}, "detail": detail,
    })


class SiteWithOwnContacts(SiteConfig):
    """The proposed site-file addition: the directory's own switchboard and mailboxes."""

    own_contacts: dict[str, list[str]] = Field(default_factory=dict)


@pytest.mark.parametrize("golden", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_pages(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    html = golden.with_suffix(".html").read_text(encoding="utf-8")
    found = extract_page(html, url=expected["url"])
    actual = {"url": expected["url"], "fields": found.fields, "methods": found.methods, "country": found.country}
    if os.environ.get("LEADS_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == expected


def test_golden_pages_show_what_they_are_for() -> None:
    """The goldens are kept honest: each demonstrates the behaviour it was written for."""
    page = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN}
    us = page["company_us"]["fields"]
    assert "(415) 555-0199" not in us["phones"], "the web designer's number in the footer"
    assert "sales@acmewidgets.com" in us["emails"], "an obfuscated address"
    assert us["name"] == "Acme Widgets, Inc." and us["legal_form"] == "Inc."
    assert page["company_uk"]["fields"]["faxes"] == ["+44 (0)1625 856 501"]   # "F +44 ..."
    assert page["company_uk"]["fields"]["mobiles"] == ["07831 093776"]        # "M 07831 ..."
    assert page["company_de"]["fields"]["faxes"] == ["0221 4711 20"]          # "Telefax:"
    assert page["company_de"]["country"] == "DE"
    assert page["company_cn"]["fields"]["faxes"] == ["0574-8765 4322"]        # "传真："
    assert page["company_jsonld"]["methods"]["name"] == "jsonld"
    assert page["company_jsonld"]["methods"]["faxes"] == "text"               # completed by the text


def test_earlier_methods_win_and_lists_are_completed() -> None:
    result = extract_page(DIRECTORY_PAGE, url=LISTING_URL, site=site(scope="div.profile", fields={"name": "h1"}),
                          base_fields={"name": "Sutton (from the card)", "business_type": "Manufacturer",
                                       "phones": ["(314) 485-0100"]})
    assert result.fields["name"] == "Sutton Packaging Machinery Inc."           # selector over card
    assert result.methods["name"] == "selector"
    assert result.fields["business_type"] == "Manufacturer"                    # the card's, kept
    assert result.methods["business_type"] == "base"
    assert result.fields["phones"][0] == "(314) 485-0100"                      # the card's first ...
    assert "(314) 485-0127" in result.fields["phones"]                          # ... then the markup's
    assert result.methods["phones"] == "base"
    assert result.fields["street"] == "16952 Jefferson Parkway"                 # schema.org before text
    assert result.methods["street"] == "jsonld"


def test_the_directorys_own_contacts_are_left_out() -> None:
    result = extract_page(DIRECTORY_PAGE, url=LISTING_URL, site=site(scope="div.profile"))
    fields = result.fields
    assert fields["name"] == "Sutton Packaging Machinery Inc."      # its LocalBusiness, not the directory's
    assert "BizFinder" not in str(fields)
    assert "bizfinder.example" not in str(fields)                   # its mailbox, not the listing's
    assert not any("555-0199" in p or "555 0199" in p for p in fields["phones"])
    assert fields["faxes"] == ["(314) 485-0128"]
    assert fields["emails"] == ["sales@sutton-pack.example"]
    assert fields["website"] == "https://www.sutton-pack.example/"
    assert (fields["contact_name"], fields["contact_title"]) == ("Laura Sutton", "Sales Manager")
    assert result.country == "US"


def test_without_a_scope_the_listed_own_contacts_and_domain_still_filter() -> None:
    config = SiteWithOwnContacts.model_validate({
        **site().model_dump(mode="json"),
        "own_contacts": {"phones": ["+1 800 555 0199", "+1 800 555 0198"], "emails": ["help@bizfinder.example"]},
    })
    fields = extract_page(DIRECTORY_PAGE, url=LISTING_URL, site=config).fields
    assert fields["name"] == "Sutton Packaging Machinery Inc."
    assert not any(n in p for p in fields["phones"] + fields.get("faxes", []) for n in ("0199", "0198"))
    assert all("bizfinder" not in e for e in fields["emails"])


def test_each_site_config_keeps_its_own_contacts_though_they_are_made_once_per_site() -> None:
    """The directory's contacts are cached per config: one site's must never filter another's page."""
    plain = site()
    listing = SiteWithOwnContacts.model_validate({
        **plain.model_dump(mode="json"),
        "own_contacts": {"phones": ["+1 800 555 0199", "+1 800 555 0198"], "emails": ["help@bizfinder.example"]},
    })
    for _ in range(2):  # the second round is served from the cache
        assert "help@bizfinder.example" not in extract_page(DIRECTORY_PAGE, url=LISTING_URL,
                                                            site=listing).fields.get("emails", [])
        unlisted = SiteWithOwnContacts.model_validate({**plain.model_dump(mode="json"), "title": "Other",
                                                       "base_url": "https://elsewhere.example"})
        assert "help@bizfinder.example" in extract_page(DIRECTORY_PAGE, url=LISTING_URL,
                                                        site=unlisted).fields["emails"]
        del unlisted  # a later config may get the same id: it must not get this one's contacts


def test_the_same_page_without_a_site_is_read_as_the_directory_would_be() -> None:
    """Without a site nothing says which contacts are the directory's: that is what ``site`` is for."""
    fields = extract_page(DIRECTORY_PAGE, url=LISTING_URL).fields
    assert "help@bizfinder.example" in fields["emails"]


def test_a_scope_that_matches_nothing_reads_no_text() -> None:
    result = extract_page(DIRECTORY_PAGE, url=LISTING_URL, site=site(scope="div.nowhere"))
    assert all("0199" not in p for p in result.fields.get("phones", []))


def test_country_given_by_the_caller_reads_national_numbers() -> None:
    html = "<p>Tel. 030 1234567 · Fax 030 1234568</p>"
    result = extract_page(html, country="Germany")
    assert result.fields == {"phones": ["030 1234567"], "faxes": ["030 1234568"]}
    assert result.country == "DE"


@pytest.mark.parametrize(("html", "url", "country"), [
    ('<html lang="de"><p>Tel. 030 1234567</p></html>', None, "DE"),        # language, then number layout
    ("<p>Call 0845 519 7209</p>", "http://www.thames.co.uk/", "GB"),        # the domain
    ('<html lang="en-gb"><p>Tel 206-588-2075</p></html>', None, "US"),      # "en-gb" is a CMS default
    ("<p>1 Main St, Austin, TX 78701 - Tel 512 555 0100</p>", "http://acme.com", "US"),  # the address
    ("<p>no numbers</p>", None, None),
])
def test_the_page_country_when_nobody_says(html: str, url: str | None, country: str | None) -> None:
    assert extract_page(html, url=url).country == country


@pytest.mark.parametrize("html", [
    "", " ", "\x00\x01\x02", "<", "<<<>>>", "<html>", "<?xml version='1.0' encoding='latin-1'?><a>x</a>",
    "<html><body>" + "<div>" * 5000 + "555-0100" + "</div>" * 10 + "</body></html>",
    "<script type='application/ld+json'>{\"@type\": \"Organization\", \"address\": [1, {}]}</script>",
    "<div itemscope itemtype='http://schema.org/Organization'><a itemprop='email'>mailto:</a></div>",
    "\ufeff\ud800 broken surrogate <p>Tel: +44 20 7946 0000</p>",
    "<p>" + "(800) 555-0199 " * 2000 + "</p>",
    "<p>" + "a" * 20000 + "@" + "b" * 5000 + "</p>",          # no backtracking blow-up on a wall of text
    "<p>" + "SW1A 1AA London " * 1000 + "</p>",
    "<p>a@" + "b." * 5000 + "</p>",
])
def test_hostile_pages(html: str) -> None:
    result = extract_page(html, url="http://example.com/")
    assert isinstance(result, PageExtraction)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(), max_size=400), st.sampled_from([None, "http://x.co.uk", "not a url", ""]),
       st.sampled_from([None, "US", "zz", "Germany"]))
def test_never_raises_on_garbage(text: str, url: str | None, country: str | None) -> None:
    for html in (text, f"<html><body><p>{text}</p><a href='mailto:{text}'>{text}</a></body></html>"):
        result = extract_page(html, url=url, country=country)
        assert isinstance(result.fields, dict) and set(result.fields) <= set(result.methods)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_never_raises_on_binary_junk(data: bytes) -> None:
    assert isinstance(extract_page(data.decode("latin-1")), PageExtraction)


PROFILE_PAGE = """<html><body><div class="profile">
<h1>Harbor Fittings Ltd</h1>
<table><tr><th>Telephone</th><td>+1 713 482 1937</td></tr></table>
<p>Call our plant on +1 713 482 2000 or write to sales@harborfittings.example</p>
</div></body></html>"""


@pytest.mark.parametrize("mode, searched", [("missing", True), ("unread", False)])
def test_text_search_unread_trusts_the_profile_for_the_fields_it_reads(mode: str, searched: bool) -> None:
    """A field the labels read but the profile left out is not looked for in the text under "unread"."""
    config = site(scope="div.profile", fields={"name": "h1"}, text_search=mode,
                  labels=[{"rows": "table tr", "label": "./th", "value": "./td",
                           "fields": {"Telephone": "phones", "Fax": "faxes"}}])
    fields = extract_page(PROFILE_PAGE, url=LISTING_URL, site=config).fields
    assert fields["phones"][0] == "+1 713 482 1937"
    assert any("482 2000" in p for p in fields["phones"]) is searched
    # no selector reads e-mails: the text is searched for them either way
    assert fields["emails"] == ["sales@harborfittings.example"]


def test_text_search_takes_only_the_two_modes() -> None:
    with pytest.raises(ValueError, match="text_search"):
        site(text_search="sometimes")
