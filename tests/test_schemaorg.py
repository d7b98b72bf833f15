"""schema.org markup -> Lead fields: golden pages in tests/samples/schemaorg/ next to their expected JSON.

To accept a deliberate change, rewrite the JSON files:
    LEADS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_schemaorg.py
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from spiders.pagetext import parse_html
from spiders.schemaorg import (
    entity_fields,
    extract_entities,
    has_markup,
    is_organization_type,
    parse_json_lenient,
    type_name,
)

SAMPLES = Path(__file__).parent / "samples" / "schemaorg"
PAGES = sorted(SAMPLES.glob("*.html"))


def entities_of(html: str) -> list[dict]:
    return [dataclasses.asdict(e) for e in extract_entities(parse_html(html), html)]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_golden(page: Path) -> None:
    found = entities_of(page.read_text(encoding="utf-8"))
    expected_path = page.with_suffix(".json")
    if os.environ.get("LEADS_UPDATE_GOLDEN"):
        expected_path.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert found == json.loads(expected_path.read_text(encoding="utf-8"))


def test_samples_cover_every_syntax() -> None:
    methods = {e["method"] for page in PAGES for e in entities_of(page.read_text(encoding="utf-8"))}
    assert methods == {"jsonld", "microdata", "rdfa"}


@pytest.mark.parametrize(("value", "expected"), [
    ("LocalBusiness", "LocalBusiness"),
    ("http://schema.org/LocalBusiness", "LocalBusiness"),
    ("https://schema.org/Dentist", "Dentist"),
    ("schema:Corporation", "Corporation"),
    ("http://www.schema.org/Store/", "Store"),
])
def test_type_name(value: str, expected: str) -> None:
    assert type_name(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Organization", True), ("Plumber", True), (["Thing", "AutoDealer"], True),
    ("http://schema.org/HVACBusiness", True), ("PetGroomingStore", True),  # not listed: the suffix says it
    ("SoftwareCompany", True), ("Person", False), ("WebPage", False), ("PostalAddress", False),
    ("Product", False), (None, False), ("business", False),
])
def test_is_organization_type(value: object, expected: bool) -> None:
    assert is_organization_type(value) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": 1}', {"a": 1}),
    ('<!-- {"a": 1} -->', {"a": 1}),
    ('//<![CDATA[\n{"a": 1}\n//]]>', {"a": 1}),
    ('{"a": [1, 2,], }', {"a": [1, 2]}),
    ('{"a": "line\nbreak"}', {"a": "line\nbreak"}),
    ('{"a": 1};', {"a": 1}),
    ("{ not json", None),
    ("", None),
])
def test_parse_json_lenient(text: str, expected: object) -> None:
    assert parse_json_lenient(text) == expected


def test_entity_fields_read_location_and_contact_points() -> None:
    node = {
        "@type": "Restaurant", "name": "Trattoria Roma",
        "location": {"@type": "Place", "address": {"streetAddress": "Via Roma 1", "addressLocality": "Milano",
                                                     "postalCode": "20121", "addressCountry": "IT"}},
        "contactPoint": {"@type": ["ContactPoint", "Person"], "name": "Luca Bianchi", "telephone": "+39 02 1234567"},
    }
    assert entity_fields(node) == {
        "name": "Trattoria Roma", "street": "Via Roma 1", "city": "Milano", "postcode": "20121",
        "country": "IT", "phones": ["+39 02 1234567"], "contact_name": "Luca Bianchi",
    }


def test_markers_decide_what_is_parsed() -> None:
    assert not has_markup("<html><body><p>No markup here</p></body></html>")
    assert has_markup('<script type="application/ld+json">{}</script>')
    assert has_markup('<script type="Application/LD+JSON">{}</script>')
    assert has_markup('<DIV ITEMSCOPE ITEMTYPE="https://schema.org/Organization">')


def test_markup_in_upper_case_is_read() -> None:
    """HTML is case-insensitive: an upper-case ITEMSCOPE page is microdata like any other."""
    page = ('<html><body><DIV ITEMSCOPE ITEMTYPE="https://schema.org/Organization">'
            '<SPAN ITEMPROP="name">Acme Tools GmbH</SPAN><SPAN ITEMPROP="telephone">+49 30 1234567</SPAN>'
            '</DIV></body></html>')
    entities = extract_entities(parse_html(page), page)
    assert [(e.method, e.fields.get("name")) for e in entities] == [("microdata", "Acme Tools GmbH")]
    assert has_markup("<div itemscope itemtype=x>") and has_markup('<div typeof="Organization">')
    # a page without markers is not searched at all
    assert extract_entities(parse_html("<p itemprop=name>x</p>"), "<p>no markers</p>") == []


@pytest.mark.parametrize("html", [
    '<script type="application/ld+json">[1, "x", null, {"@type": 5}]</script>',
    '<script type="application/ld+json">{"@type": "Organization", "name": {"@value": 3}}</script>',
    '<script type="application/ld+json">' + '{"a":' * 2000 + "1" + "}" * 2000 + "</script>",
    ('<div itemscope itemtype="http://schema.org/Organization"><span itemprop="address" itemscope>'
     '<span itemprop="address" itemscope></span></span></div>'),
    '<div typeof="Organization"><span property="">x</span></div>',
])
def test_odd_markup_gives_fewer_entities_never_an_error(html: str) -> None:
    assert isinstance(entities_of(html), list)
