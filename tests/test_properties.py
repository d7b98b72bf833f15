"""Arbitrary text and bytes never crash the normalisers, decoders and extractors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.countries import country_code
from pipeline.feedback import classify_reason, parse_date
from pipeline.models import Lead
from pipeline.names import clean_text, parse_name
from pipeline.normalize import (
    city_key,
    normalize_email,
    normalize_lead,
    normalize_phones,
    normalize_postcode,
    normalize_website,
    registered_domain,
    street_key,
)
from pipeline.urls import canonical_url, listing_key
from spiders.encoding import decode_html
from spiders.page import extract_page

texts = st.text(max_size=300)
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(texts, st.sampled_from([None, "US", "CN", "DE", "GB", "xx", "Deutschland"]))
def test_normalisers_accept_any_text(text: str, country: str | None) -> None:
    parsed = parse_name(text)
    assert isinstance(parsed.key, str)
    for result in normalize_phones(text, country):
        assert result.e164 is None or result.e164.startswith("+")
    assert normalize_email(text) is None or "@" in (normalize_email(text) or "")
    registered_domain(text)
    normalize_website(text)
    normalize_postcode(text, country)
    city_key(text)
    street_key(text)
    country_code(text)
    classify_reason(text)
    parse_date(text)
    canonical_url(text)
    listing_key(text)


@fast
@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip()), texts, texts, texts)
def test_normalize_lead_accepts_any_fields(name: str, phone: str, email: str, website: str) -> None:
    lead = Lead(name=name, site="s", url="u", phones=[phone], emails=[email], website=website, city=phone)
    clean = normalize_lead(lead, "US")
    assert all(p.startswith("+") for p in clean.phones + clean.mobiles)
    if clean_text(phone):  # a phone is never silently lost: it is read, or kept raw and flagged
        assert clean.phones or clean.mobiles or clean.invalid_phones


@fast
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/html; charset=gbk",
                                                  "text/html; charset=bogus", "text/html; charset=utf-8"]))
def test_decoding_accepts_any_bytes(body: bytes, content_type: str | None) -> None:
    assert isinstance(decode_html(body, content_type).text, str)


html_fragments = st.lists(st.sampled_from([
    "<html>", "<body>", "<div>", "</div>", "<p>", "Tel: +1 713 482 1937", "Fax (0711) 123456",
    "info [at] acme [dot] com", "<script type='application/ld+json'>{\"@type\": \"Organization\", \"name\": ",
    "</script>", "<a href='mailto:x@y.com'>", "</a>", "© 2020 Acme Inc.", "1200 Main St, Houston, TX 77002",
    "<div itemscope itemtype='https://schema.org/LocalBusiness'>", "<span itemprop='telephone'>",
    "<title>", "</title>", "\x00", "&#x40;", "<<<>>>", "联系我们 电话：0755-12345678",
]), max_size=40).map("".join)


@fast
@given(st.one_of(html_fragments, texts), st.sampled_from([None, "http://www.acme.com/contact", "not a url"]))
def test_extraction_accepts_any_page(html: str, url: str | None) -> None:
    result = extract_page(html, url)
    assert isinstance(result.fields, dict)
    assert set(result.methods) <= set(result.fields) | {"country"}
