from datetime import UTC, datetime

import pytest

from pipeline.countries import country_code
from pipeline.models import Lead
from pipeline.normalize import (
    city_key,
    is_freemail,
    is_role_email,
    normalize_email,
    normalize_lead,
    normalize_phones,
    normalize_postcode,
    normalize_website,
    registered_domain,
)


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+86-574-8765 4321", "CN", ["+8657487654321"]),
        ("86-574-87654321", "CN", ["+8657487654321"]),
        ("0574 8765 4321", "CN", ["+8657487654321"]),
        ("(713) 482-1937", "US", ["+17134821937"]),
        ("713.482.1937", "US", ["+17134821937"]),
        ("1.713.482.1937", "US", ["+17134821937"]),
        ("713.482.1937 / 713.482.1938", "US", ["+17134821937", "+17134821938"]),
        ("+1 (713) 482-1937", "CN", ["+17134821937"]),  # explicit country code wins
        ("+44 (0) 1226 360 300", None, ["+441226360300"]),
        ("0141 892 1010", "GB", ["+441418921010"]),
        ("0711 123456", "DE", ["+49711123456"]),
        ("0711 123456", "Deutschland", ["+49711123456"]),
    ],
)
def test_phones_to_e164(raw: str, country: str | None, expected: list[str]) -> None:
    assert [r.e164 for r in normalize_phones(raw, country)] == expected


def test_invalid_phone_is_kept_raw() -> None:
    [result] = normalize_phones("12345", "US")
    assert result.e164 is None
    assert result.raw == "12345"


def test_mobile_is_recognised() -> None:
    [result] = normalize_phones("138 1234 5678", "CN")
    assert result.e164 == "+8613812345678"
    assert result.is_mobile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("John.Smith@Acme.COM", "john.smith@acme.com"),
        ("mailto:sales@acme.com?subject=Hi", "sales@acme.com"),
        ("<info@acme.co.uk>", "info@acme.co.uk"),
        ("not an email", None),
        ("a@b", None),
        ("", None),
    ],
)
def test_normalize_email(raw: str, expected: str | None) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("email", "role"),
    [("info@acme.com", True), ("sales@acme.com", True), ("john.smith@acme.com", False),
     ("export.dept@acme.com", True), ("li.wei@163.com", False)],
)
def test_role_email(email: str, role: bool) -> None:
    assert is_role_email(email) is role


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("http://www.acme.com/contact", "acme.com"),
        ("https://shop.acme.co.uk/", "acme.co.uk"),
        ("www.brightway-lighting.cn", "brightway-lighting.cn"),
        ("acme.com.cn", "acme.com.cn"),
        ("not a url", None),
        ("localhost", None),
    ],
)
def test_registered_domain(url: str, domain: str | None) -> None:
    assert registered_domain(url) == domain


def test_website_gets_a_scheme() -> None:
    assert normalize_website("www.acme.com") == "http://www.acme.com"
    assert normalize_website("https://acme.com/") == "https://acme.com/"
    assert normalize_website("n/a") is None


def test_freemail() -> None:
    assert is_freemail("163.com") and is_freemail("gmail.com")
    assert not is_freemail("acme.com")


@pytest.mark.parametrize(
    ("name", "code"),
    [("China", "CN"), ("P.R. China", "CN"), ("中国", "CN"), ("United States", "US"), ("USA", "US"),
     ("Deutschland", "DE"), ("Allemagne", "DE"), ("Germania", "DE"), ("德国", "DE"),
     ("Royaume-Uni", "GB"), ("UK", "GB"), ("España", "ES"), ("Türkiye", "TR"), ("Viet Nam", "VN"),
     ("de", "DE"), ("Atlantis", None), ("", None)],
)
def test_country_code(name: str, code: str | None) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [("77002-1234", "US", "77002"), ("sw1a1aa", "GB", "SW1A 1AA"), ("315000", "CN", "315000"),
     (" 70173 ", "DE", "70173"), ("", "US", None),
     ("1040gl", "NL", "1040 GL"), ("1040 GL", "NL", "1040 GL"), ("k1a0b1", "CA", "K1A 0B1"),
     ("11351", "SE", "113 51"), ("d02x285", "IE", "D02 X285"), ("01310100", "BR", "01310-100"),
     ("00 950", "PL", "00-950"), ("1000001", "PT", "1000-001"), ("100-0001", "JP", "100-0001"),
     ("1040 G", "NL", "1040 G"), ("AB 12", None, "AB 12"), ("60200", "CZ", "602 00"),
     ("-", "US", None), ("N/A", "GB", None), ("00000", "DE", None), ("0", None, None)],
)
def test_postcode(raw: str, country: str, expected: str | None) -> None:
    assert normalize_postcode(raw, country) == expected
    assert normalize_postcode(expected, country) == expected  # normalising twice changes nothing


@pytest.mark.parametrize(("one", "other"), [
    ("LV-1050", "1050"), ("S-211 20", "211 20"), ("30\u2013001", "30-001"), ("\u3012530-0001", "5300001"),
    ("D-10115", "10115"), ("h-1051", "1051"),
])
def test_postcode_keys_meet_across_writings(one: str, other: str) -> None:
    from pipeline.normalize import postcode_key

    assert postcode_key(one) == postcode_key(other) is not None


@pytest.mark.parametrize("placeholder", ["-", "N/A", "00000", "0 - 0"])
def test_a_placeholder_has_no_postcode_key(placeholder: str) -> None:
    from pipeline.normalize import postcode_key

    assert postcode_key(placeholder) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Shenzhen City", "shenzhen"), ("SAO PAULO", "sao paulo"), ("São Paulo", "sao paulo"),
     ("深圳市", "shenzhen"), ("宁波", "ningbo"), ("Ningbo City", "ningbo")],
)
def test_city_key(raw: str, expected: str) -> None:
    assert city_key(raw) == expected


def test_normalize_lead_fills_keys_and_flags_bad_values() -> None:
    lead = Lead(
        name="HARPER VALVE INC", site="yp", url="http://127.0.0.1/biz/1",
        phones=["(713) 482-1937", "12"], emails=["Sales@HarperValve.com", "bad@"],
        website="www.harpervalve.com/", postcode="77002-1234", seen_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    clean = normalize_lead(lead, default_country="US")
    assert clean.country == "US"
    assert clean.phones == ["+17134821937"]
    assert clean.invalid_phones == ["12"]
    assert clean.emails == ["sales@harpervalve.com"]
    assert clean.domain == "harpervalve.com"
    assert clean.legal_form == "Inc."
    assert clean.name_key == "harper valve"
    assert clean.postcode == "77002"
    assert {"invalid_phone", "invalid_email"} <= set(clean.flags)
    assert lead.phones == ["(713) 482-1937", "12"], "the input lead is not modified"


def test_freemail_website_is_not_a_company_domain() -> None:
    lead = Lead(name="Li Trading", site="b2b", url="u", website="http://163.com")
    assert normalize_lead(lead).domain is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1200 Main Street, Suite 4", "1200 main st ste 4"), ("1200 MAIN ST STE 4", "1200 main st ste 4"),
     ("Königstraße 12", "konig st 12"), ("", None)],
)
def test_street_key(raw: str, expected: str | None) -> None:
    from pipeline.normalize import street_key

    assert street_key(raw) == expected


@pytest.mark.parametrize(("city", "country", "key"), [
    ("München", "DE", "munich"), ("Muenchen", None, "munich"), ("MUNICH", "DE", "munich"),
    ("Bombay", "IN", "mumbai"), ("Madras", "IN", "chennai"), ("Calcutta", "IN", "kolkata"),
    ("Москва", None, "moscow"), ("Wien", "AT", "vienna"), ("Den Haag", "NL", "the hague"),
    ("Cologne", "DE", "koln"),  # GeoNames calls it Köln
    # a town's own name is never read as another city's
    ("Canton", "US", "canton"), ("Canton", "CN", "guangzhou"), ("Calcutta", None, "calcutta"),
    ("Springfield", "US", "springfield"), ("宁波市", "CN", "ningbo"), ("", "DE", None),
])
def test_city_key_knows_other_names_of_a_city(city: str, country: str | None, key: str | None) -> None:
    from pipeline.normalize import city_fold, city_key

    assert city_key(city, country) == key
    assert city_fold("München") == "munchen", "the folding as written is kept for the store's keys"
