"""Text heuristics, one table per kind of value: what a page writes -> what is read."""

from __future__ import annotations

import pytest

from spiders.heuristics.address import find_addresses, find_mentioned_city, find_towns
from spiders.heuristics.company import (
    NameCandidate,
    choose_name,
    copyright_candidates,
    domain_affinity,
    domain_candidates,
    title_candidates,
    welcome_candidates,
)
from spiders.heuristics.country import (
    candidate_countries,
    country_from_lang,
    country_from_url,
    infer_country,
)
from spiders.heuristics.emails import decode_cloudflare, email_from_mailto, emails_in_text
from spiders.heuristics.people import best_contact, find_contacts
from spiders.heuristics.phones import find_phones, label_kind, phone_from_link, region_from_numbers
from spiders.pagetext import page_text, parse_html

# --- e-mails ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Write to sales@acme.com today", [("sales@acme.com", "text")]),
    ("sales [at] acme [dot] com", [("sales@acme.com", "obfuscated")]),
    ("sales[at]acme[dot]co[dot]uk", [("sales@acme.co.uk", "obfuscated")]),
    ("sales(at)acme.com", [("sales@acme.com", "obfuscated")]),
    ("sales (at) acme (dot) de", [("sales@acme.de", "obfuscated")]),
    ("sales AT acme DOT com", [("sales@acme.com", "obfuscated")]),
    ("sales {at} acme {dot} com", [("sales@acme.com", "obfuscated")]),
    ("info at acme dot com", [("info@acme.com", "obfuscated")]),
    ("info @ acme.com", [("info@acme.com", "obfuscated")]),
    ("Kontakt: vertrieb(at)firma(punkt)de", [("vertrieb@firma.de", "obfuscated")]),
    ("meet me at noon", []),
    ("we are AT the fair", []),
    ("logo@2x.png", []),
    ("you@example.com is a placeholder", []),
    ("Max.Mustermann@Firma.DE", [("max.mustermann@firma.de", "text")]),
])
def test_emails_in_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert emails_in_text(text) == expected


@pytest.mark.parametrize(("href", "expected"), [
    ("mailto:info@acme.com", "info@acme.com"),
    ("MAILTO:Info%40Acme.com?subject=Hello", "info@acme.com"),
    ("mailto:a@acme.com,b@acme.com", "a@acme.com"),
    ("mailto:", None),
    ("http://acme.com", None),
])
def test_email_from_mailto(href: str, expected: str | None) -> None:
    assert email_from_mailto(href) == expected


def test_entity_encoded_addresses_are_decoded_by_the_parser() -> None:
    html = "<p>&#115;&#97;&#108;&#101;&#115;&#64;&#97;&#99;&#109;&#101;&#46;&#99;&#111;&#109;</p>"
    page = page_text(parse_html(html))
    assert emails_in_text(page.text) == [("sales@acme.com", "text")]


def test_cloudflare_protected_address() -> None:
    key = 0x42
    encoded = f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in "info@acme.com")
    assert decode_cloudflare(encoded) == "info@acme.com"
    assert decode_cloudflare("zz") is None


# --- phones and faxes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "kind"), [
    ("Fax:", "fax"), ("FAX", "fax"), ("Fax.", "fax"), ("F:", "fax"), ("F.", "fax"), ("F", "fax"),
    ("Telefax", "fax"), ("Télécopie :", "fax"), ("Téléc.", "fax"), ("Facsimile", "fax"),
    ("传真：", "fax"), ("eFax :", "fax"), ("Fax number (EU):", "fax"),
    ("Tel:", "phone"), ("Phone", "phone"), ("T:", "phone"), ("P.", "phone"), ("Téléphone", "phone"),
    ("Telefon", "phone"), ("电话", "phone"), ("Toll-Free:", "phone"), ("Call us today on", "phone"),
    ("Mobile:", "mobile"), ("Cell", "mobile"), ("Handy:", "mobile"), ("M:", "mobile"), ("手机", "mobile"),
    ("Tel/Fax:", "phone"), ("Phone & Fax", "phone"),
    ("Grand hotel", None), ("Mon-Fri 9 a.m. - 5 p.m.", "phone"), ("Opening hours", None),
])
def test_label_kind(label: str, kind: str | None) -> None:
    assert label_kind(label) == kind


@pytest.mark.parametrize(("lines", "region", "expected"), [
    (["Phone: 510-440-1800 | fax: 510-440-1526"], "US",
     [("510-440-1800", "phone"), ("510-440-1526", "fax")]),
    (["T +44 (0)20 3167 4997 | F +44 (0)20 7629 1317"], None,
     [("+44 (0)20 3167 4997", "phone"), ("+44 (0)20 7629 1317", "fax")]),
    (["Telefax", "0221 123 4567"], "DE", [("0221 123 4567", "fax")]),
    (["Fax: (713) 932-0127 / (713) 932-0128"], "US", [("(713) 932-0127", "fax"), ("(713) 932-0128", "fax")]),
    (["202.400.3052 or 202.299.1148 fax"], "US", [("202.400.3052", "phone"), ("202.299.1148", "fax")]),
    (["Tél. : 01 42 68 53 00 Téléc. : 01 42 68 53 01"], "FR",
     [("01 42 68 53 00", "phone"), ("01 42 68 53 01", "fax")]),
    (["Mobile: 07831 093776"], "GB", [("07831 093776", "mobile")]),
    (["1.800.232.2267directions & hours"], "US", [("1.800.232.2267", "phone")]),
    (["Page 1 2 3 4 5 6 7 8 9 10"], "US", []),
    (["Amiga 500/600/1200 Power Supply"], "GB", []),
    (["Order no. 2014-06-01 shipped"], "US", []),
    (["Tel: 971 48131900"], "US", [("+971 48131900", "phone")]),
    # a QQ mailbox is digits at qq.com, not a phone number; nor is a number in a web address
    (["E-mail: 2451211296@qq.com"], "CN", []),
    (["Mail 13812345678@163.com or call 13812345678"], "CN", [("13812345678", "mobile")]),
    (["Catalogue: http://example.cn/13812345678"], "CN", []),
])
def test_find_phones(lines: list[str], region: str | None, expected: list[tuple[str, str]]) -> None:
    assert [(p.raw, p.kind) for p in find_phones(lines, region)] == expected


def test_numbers_of_offices_abroad_are_read_in_their_own_country() -> None:
    lines = ["Head office: (763) 514-4000", "Mumbai office", "Tel: 022-6774 5858", "Fax: 022-6774 5859"]
    found = find_phones(lines, "US", others=["US", "GB", "IN"])
    assert [(p.e164, p.kind) for p in found] == [
        ("+17635144000", "phone"), ("+912267745858", "phone"), ("+912267745859", "fax")]


@pytest.mark.parametrize(("lines", "candidates", "expected"), [
    (["Call 0845 519 7209", "Fax 0207 515 7774"], ["US", "GB", "CA"], "GB"),
    (["(970) 453-8025", "970.453.8026"], ["GB", "US", "CA"], "US"),
    (["Tel : (022)6774 5858", "1800 233 5858"], ["US", "GB", "IN"], "IN"),
    (["no numbers here"], ["US"], None),
])
def test_region_from_numbers(lines: list[str], candidates: list[str], expected: str | None) -> None:
    assert region_from_numbers(lines, candidates) == expected


def test_tel_links() -> None:
    phone = phone_from_link("tel:+4922112345678", "Fax", "", None, 0)
    assert phone is not None and (phone.e164, phone.kind, phone.method) == ("+4922112345678", "fax", "tel")
    assert phone_from_link("tel:12", "Call", "", "US", 0) is None


# --- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lines", "country", "expected"), [
    (["122 Doty Circle", "West Springfield, MA 01089"], None,
     ("122 Doty Circle", "West Springfield", "MA", "01089", None)),
    (["4120 Clipper Court, Fremont CA 94538 USA"], None, ("4120 Clipper Court", "Fremont", "CA", "94538", "USA")),
    (["Our mailing address is: 720 Brazos, Suite 110, Austin, TX 78701"], None,
     ("720 Brazos, Suite 110", "Austin", "TX", "78701", None)),
    (["600 17th Street", "Suite 2800 South", "Denver, Colorado, 80202", "United States"], None,
     ("600 17th Street, Suite 2800 South", "Denver", "Colorado", "80202", "United States")),
    (["1391 Smizer Mill Road", "Fenton, MO", "63026"], None, ("1391 Smizer Mill Road", "Fenton", "MO", "63026", None)),
    (["located at 325 Cherry Street Bridgeport, CT 06605"], None,
     ("325 Cherry Street", "Bridgeport", "CT", "06605", None)),
    (["363 Supertest Rd, Toronto, ON M3J 2M4"], None, ("363 Supertest Rd", "Toronto", "ON", "M3J 2M4", None)),
    (["493 Charles Street", "Perth WA 6006"], None, ("493 Charles Street", "Perth", "WA", "6006", None)),
    (["Callows Audio", "PO BOX 377", "Sittingbourne", "Kent", "ME97BZ"], None,
     ("PO BOX 377", "Sittingbourne", "Kent", "ME9 7BZ", None)),
    (["Pentland House, Village Way", "Wilmslow, Cheshire", "SK9 2GH, United Kingdom"], None,
     ("Pentland House, Village Way", "Wilmslow", "Cheshire", "SK9 2GH", "United Kingdom")),
    (["Unit 3 Palace Court", "250 Finchley Road", "Hampstead", "London NW3 6DN"], None,
     ("250 Finchley Road", "London", None, "NW3 6DN", None)),
    (["Hauptstraße 5", "10115 Berlin"], "DE", ("Hauptstraße 5", "Berlin", None, "10115", None)),
    (["12 rue de la Paix", "75002 Paris", "France"], "FR", ("12 rue de la Paix", "Paris", None, "75002", "France")),
    (["Vegagatan 3", "11329 Stockholm", "Sweden"], None, ("Vegagatan 3", "Stockholm", None, "11329", "Sweden")),
    (["Rua Augusta 27", "1100-048 Lisboa", "Portugal"], None,
     ("Rua Augusta 27", "Lisboa", None, "1100-048", "Portugal")),
])
def test_find_addresses(lines: list[str], country: str | None,
                        expected: tuple[str | None, ...]) -> None:
    best = find_addresses(lines, country)[0]
    assert (best.street, best.city, best.region, best.postcode, best.country) == expected


@pytest.mark.parametrize("lines", [
    ["Call 20533 Biscayne today"],         # a street number is not a postcode first
    ["Model AB12 3CD"],                      # AB is a UK area, but no inward code layout: "3CD" has C
    ["In 2014 we shipped 12345 units"],
])
def test_no_address_in(lines: list[str]) -> None:
    assert find_addresses(lines, "US") == []


@pytest.mark.parametrize(("lines", "expected"), [
    (["Toledo, Ohio - New Car and Truck Pricing"], ("Toledo", "Ohio")),
    (["Proudly serving Fenton, MO and beyond"], ("Fenton", "MO")),
    (["It is located in Berlin, Germany, and offers"], ("Berlin", None)),
    (["A Creative Agency in Blackpool, Lancashire, UK."], ("Blackpool", None)),
    (["Michelle Babb, MS, RD, CD"], None),
    (["Locations: New Mexico, Colorado"], None),
    (["Jesse Redniss, Chief Strategy Officer, Mass Relevance"], None),
])
def test_find_towns(lines: list[str], expected: tuple[str, str | None] | None) -> None:
    towns = find_towns(lines)
    assert ((towns[0].city, towns[0].region) if towns else None) == expected


@pytest.mark.parametrize(("lines", "title", "expected"), [
    (["FinCar is a privately owned company based in Sydney."], "", "Sydney"),
    (["Toronto plumber at 416 939 1530", "Toronto Plumbers for repairs"], "", "Toronto"),
    (["Head Office - 3-5-27 Mita Minato-ku Tokyo"], "", "Tokyo"),
    (["We once visited London."], "", None),
])
def test_find_mentioned_city(lines: list[str], title: str, expected: str | None) -> None:
    found = find_mentioned_city(lines, title)
    assert (found.city if found else None) == expected


# --- company name -------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "expected"), [
    ("Contact Us | Coventry Building Society", ["Coventry Building Society"]),
    ("Welcome to Acme Widgets", ["Acme Widgets"]),
    ("About ioSafe", ["ioSafe"]),
    ("Perk Help Center", ["Perk"]),
    ("Home", []),
    ("Custom License Plates, Aluminum or Plastic, Free Design | LeewardPro",
     ["Custom License Plates, Aluminum or Plastic, Free Design", "LeewardPro"]),
])
def test_title_candidates(title: str, expected: list[str]) -> None:
    assert title_candidates(title) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("© 2014 Leeward Productions. All rights reserved.", ["Leeward Productions"]),
    ("Copyright © 2000-2014 Acme Inc. All Rights Reserved", ["Acme Inc."]),
    ("© Copyright 2003-2014 FinCar Pty Ltd", ["FinCar Pty Ltd"]),
    ("© Caltron Industries 2014 Blog", ["Caltron Industries"]),
    ("Copyright 2014 by Abacus Solutions, LLC", ["Abacus Solutions, LLC"]),
    ("Copyright © 2014 Utah Lawyer Loans, Etrafficers, Inc. and its licensors",
     ["Utah Lawyer Loans, Etrafficers, Inc."]),
    ("The Paul Wilkinson Law Firm, LLC. All Rights Reserved | Sitemap", ["The Paul Wilkinson Law Firm, LLC"]),
    ("© 2014 All rights reserved", []),
])
def test_copyright_candidates(line: str, expected: list[str]) -> None:
    assert copyright_candidates([line]) == expected


@pytest.mark.parametrize(("lines", "label", "expected"), [
    (["Call Peak View Roofing Company today"], "peakviewroofing", ["Peak View Roofing Company"]),
    (["H&S Solicitors are here"], "handssolicitors", ["H&S Solicitors"]),
    (["Welcome to shop-apt.co.uk - Associated Production Tools Ltd"], "shop-apt",
     ["Associated Production Tools Ltd"]),
    (["© 2014 Leeward Productions"], "leewardpro", ["Leeward Productions"]),
    (["Callows Audio", "Callows Audio repairs", "Call Callows"], "callows",
     ["Callows Audio", "Callows Audio", "Callows Audio"]),
    (["nothing here"], "acme", []),
])
def test_domain_candidates(lines: list[str], label: str, expected: list[str]) -> None:
    assert domain_candidates(lines, label) == expected


@pytest.mark.parametrize(("name", "label", "score"), [
    ("LeewardPro", "leewardpro", 1.0),
    ("Abbey Road", "goabbeyroad", 1.0),
    ("Leeward Productions", "leewardpro", 0.7),
    ("R.S. Pressman & Associates, Inc.", "rspa", 0.6),
    ("Something Else", "leewardpro", 0.0),
])
def test_domain_affinity(name: str, label: str, score: float) -> None:
    assert domain_affinity(name, label) == score


def test_welcome_line() -> None:
    assert welcome_candidates(["Welcome to The Paul Wilkinson Law Firm, LLC"]) == [
        "The Paul Wilkinson Law Firm, LLC"]


def test_a_name_wins_by_agreement_and_the_full_legal_name_is_kept() -> None:
    candidates = [
        NameCandidate("Car Finance", "title"), NameCandidate("Car Loans", "title"),
        NameCandidate("FinCar", "domain"), NameCandidate("FinCar Pty Ltd", "copyright"),
    ]
    chosen = choose_name(candidates, "fincar", "FinCar offers car finance. FinCar Pty Ltd.")
    assert chosen is not None and chosen.name == "FinCar Pty Ltd"


# --- people -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lines", "expected"), [
    (["Contact: Jane Doe"], ("Jane Doe", None)),
    (["Ansprechpartner: Hans Weber", "Geschäftsführer"], ("Hans Weber", "Geschäftsführer")),
    (["Patrick Hiller, CEO", "Ken Snuggs, President"], ("Patrick Hiller", "CEO")),
    (["Timothy J. Mayopoulos", "President and Chief Executive Officer"],
     ("Timothy J. Mayopoulos", "President and Chief Executive Officer")),
    (["Jeremy M. Shorts, a practicing Utah attorney and founder"], ("Jeremy M. Shorts", "attorney and founder")),
    (["Contact Us Today"], None),
    (["Free Design, Owner"], None),
])
def test_find_contacts(lines: list[str], expected: tuple[str, str | None] | None) -> None:
    best = best_contact(find_contacts(lines))
    assert ((best.name, best.title) if best else None) == expected


# --- country ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.acme.co.uk/contact", "GB"), ("https://acme.com.au", "AU"), ("http://acme.de", "DE"),
    ("http://acme.ca/x", "CA"), ("http://acme.com", None), ("http://acme.io", None), (None, None),
])
def test_country_from_url(url: str | None, expected: str | None) -> None:
    assert country_from_url(url) == expected


@pytest.mark.parametrize(("lang", "expected"), [("en-GB", "GB"), ("en_us", "US"), ("de", None), (None, None)])
def test_country_from_lang(lang: str | None, expected: str | None) -> None:
    assert country_from_lang(lang) == expected


def test_country_inference_order() -> None:
    assert infer_country("http://acme.co.uk", "en-US", ["US"]) == "GB"   # the domain first
    assert infer_country("http://acme.com", "en-GB", ["US", "US"]) == "US"  # then addresses
    assert infer_country("http://acme.com", "en-GB", []) == "GB"          # the language tag last
    assert candidate_countries("en-CA")[:2] == ["CA", "US"]
    assert candidate_countries("de")[0] == "DE"


# --- page text ----------------------------------------------------------------------------------


def test_lines_follow_blocks_breaks_and_cells() -> None:
    html = ("<html><head><title>T</title><script>var x='555-1234';</script></head><body>"
            "<div>Acme<b>Pro</b> Inc.<br>1 Main St</div><table><tr><td>Phone:</td><td>555</td></tr></table>"
            "<p>a<!-- comment -->b</p><select><option>Alabama</option></select></body></html>")
    assert page_text(parse_html(html)).lines == ["AcmePro Inc.", "1 Main St", "Phone: | 555", "ab"]
