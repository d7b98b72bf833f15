"""HTML for "Gelbe Seiten" (gelbeseiten), German yellow pages that keep their data in JSON-LD.

Why this shape: like gelbeseiten.de, the visible detail page shows only the
name, the trades and a "Kontakt anzeigen" button; phone, fax, e-mail, website
and address are only in a ``<script type="application/ld+json">`` block of
schema.org type LocalBusiness (or a subtype, or Organization) inside
``<main>``. The ``<head>`` carries the directory's OWN Organization JSON-LD
(name "Gelbe Seiten Sandbox") and a BreadcrumbList: a spider must take the
block inside main (or: not the one named "Gelbe Seiten Sandbox").
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from sandbox.i18n import SEARCH_TERMS
from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, captcha_page, document, esc, pager
from sandbox.vocab import CATEGORY_TERMS

NAME = "gelbeseiten"
PAGE_SIZE = 10
ROBOTS_TXT = "User-agent: *\nDisallow: /bewertung/\nDisallow: /mein-konto/\n"
SEARCH_PATH = "/suche/{keyword}"
DIRECTORY_NAME = "Gelbe Seiten Sandbox"
DIRECTORY_URL = "https://www.gelbeseiten-sandbox.example/"
DIRECTORY_PHONE = "+49 69 40 80 50 00"
DIRECTORY_EMAIL = "kontakt@gelbeseiten-sandbox.example"

# schema.org type of a company by its first category: LocalBusiness or a subtype.
SCHEMA_TYPES: dict[str, str] = {
    "led lighting": "HomeAndConstructionBusiness",
    "solar panels": "HomeAndConstructionBusiness",
    "industrial valves": "LocalBusiness",
    "packaging machinery": "Organization",
    "hand tools": "HardwareStore",
    "cotton fabric": "Store",
    "office furniture": "FurnitureStore",
    "auto parts": "AutoPartsStore",
}


def json_ld(data: dict[str, Any]) -> str:
    """A JSON-LD script element; "</" is escaped so no value can end the script early."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def directory_json_ld() -> str:
    """The directory's own Organization: the JSON-LD a spider must NOT take."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "@id": DIRECTORY_URL + "#organization",
            "name": DIRECTORY_NAME,
            "url": DIRECTORY_URL,
            "telephone": DIRECTORY_PHONE,
            "email": DIRECTORY_EMAIL,
            "logo": DIRECTORY_URL + "logo.png",
        }
    )


def company_data(listing: Listing) -> dict[str, Any]:
    """The schema.org record of one entry, with only the fields the entry shows."""
    address: dict[str, Any] = {"@type": "PostalAddress"}
    for key, value in (
        ("streetAddress", listing.street),
        ("postalCode", listing.postcode),
        ("addressLocality", listing.city),
        ("addressRegion", listing.region),
        ("addressCountry", listing.country),
    ):
        if value:
            address[key] = value
    phones = [p for p in (listing.phone, listing.mobile) if p]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[listing.categories[0]],
        "name": listing.name,
    }
    if phones:
        data["telephone"] = phones[0] if len(phones) == 1 else phones
    for key, value in (
        ("faxNumber", listing.fax),
        ("email", listing.email),
        ("url", listing.website),
    ):
        if value:
            data[key] = value
    data["address"] = address
    if listing.year_founded:
        data["foundingDate"] = str(listing.year_founded)
    data["knowsAbout"] = list(listing.category_labels)
    return data


def _search_href(keyword: str, page: int) -> str:
    """A result page's URL: the term is a path segment, the page a parameter."""
    return f"/suche/{quote(keyword, safe='')}?page={page}"


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="gs-header">\n'
        '<a class="logo" href="/">Gelbe Seiten</a>\n'
        '<form class="gs-suche" action="/suche" method="get">'
        '<input type="text" name="was" placeholder="Was suchen Sie?">'
        '<button type="submit">Finden</button></form>\n'
        '<nav><a href="/mein-konto/">Mein Konto</a></nav>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the directory's own hotline."""
    return (
        '<footer class="gs-footer">\n'
        f"<p>{DIRECTORY_NAME} &middot; Hotline {DIRECTORY_PHONE} &middot; {DIRECTORY_EMAIL}</p>\n"
        "</footer>"
    )


def _page(title: str, main: str, head: str = "") -> str:
    """Header, main content and footer; ``head`` adds JSON-LD to the head."""
    body = f'{_header()}\n<main id="gs-content">\n{main}\n</main>\n{_footer()}'
    return document(f"{title} | Gelbe Seiten", body, lang="de", head=head)


def render_home() -> str:
    """Home page: one link per trade search."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(_search_href(term, 1))}">{esc(term)}</a></li>'
        for term in (SEARCH_TERMS["de"][t] for t in CATEGORY_TERMS)
    )
    return _page(
        "Branchenbuch",
        f'<h1>Beliebte Branchen</h1>\n<ul class="categories">\n{links}\n</ul>',
        head=directory_json_ld(),
    )


def _address_line(listing: Listing) -> str:
    """ "Hauptstraße 119, 90441 Nürnberg", as a result card prints it."""
    place = " ".join(p for p in (listing.postcode, listing.city) if p)
    return ", ".join(p for p in (listing.street, place) if p)


def _card(listing: Listing) -> str:
    """One search result: name and address text only."""
    return (
        f'<article class="mod-Treffer" id="treffer-{listing.number:x}">\n'
        f'  <a class="mod-Treffer__link" href="{esc(listing.path)}">'
        f'<h2 class="mod-Treffer__name">{esc(listing.name)}</h2></a>\n'
        f'  <p class="mod-Treffer__branche">{esc(", ".join(listing.category_labels))}</p>\n'
        f'  <address class="mod-AdresseKompakt">{esc(_address_line(listing))}</address>\n'
        "</article>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = f'<p class="no-results">Keine Treffer für „{esc(keyword)}“</p>'
    else:
        cards = "\n".join(_card(listing) for listing in results)
        links = pager(lambda n: _search_href(keyword, n), page, has_next, ("Zurück", "Weiter"))
        body = (
            f'<p class="result-count">{total} Treffer für „{esc(keyword)}“ bundesweit</p>\n'
            f'<div class="mod-TrefferListe">\n{cards}\n</div>\n'
            f'<nav class="mod-Pagination">{links}</nav>'
        )
    return _page(
        f"{keyword} bundesweit", f"<h1>{esc(keyword)}</h1>\n{body}", head=directory_json_ld()
    )


def _breadcrumbs(listing: Listing) -> str:
    """A BreadcrumbList JSON-LD, one more block that is not the company."""
    items = [
        ("Gelbe Seiten", "/"),
        (listing.category_labels[0], _search_href(listing.category_labels[0], 1)),
        (listing.name, listing.path),
    ]
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "name": name, "item": href}
                for i, (name, href) in enumerate(items, start=1)
            ],
        }
    )


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """An entry: visibly just the name, trades and a button; the data is in JSON-LD."""
    entry = (
        f'<article class="gs-eintrag" data-id="{listing.number:x}">\n'
        f'<h1 class="mod-TeilnehmerKopf__name">{esc(listing.name)}</h1>\n'
        f'<p class="mod-TeilnehmerKopf__branchen">{esc(", ".join(listing.category_labels))}</p>\n'
        '<button type="button" class="mod-Kontaktdaten__toggle">Kontakt anzeigen</button>\n'
        f'<a class="bewertung" href="/bewertung/{listing.number}">Bewertung schreiben</a>\n'
        f"{json_ld(company_data(listing))}\n"
        "</article>"
    )
    head = f"{directory_json_ld()}\n{_breadcrumbs(listing)}"
    return _page(listing.name, entry, head=head)


def render_blocked(listing: Listing) -> str:
    """The review form; robots.txt forbids crawling it."""
    return _page(
        "Bewertung schreiben",
        f"<h1>{esc(listing.name)} bewerten</h1>\n"
        '<form method="post"><textarea name="text"></textarea><button>Senden</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("Seite nicht gefunden", "<h1>Diese Seite gibt es leider nicht</h1>")


def render_captcha() -> str:
    """The captcha page of fault mode ``captcha``."""
    return captcha_page("de", "Bitte bestätigen Sie, dass Sie kein Roboter sind.")


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param="was",
    robots_txt=ROBOTS_TXT,
    disallowed=("/bewertung/", "/mein-konto/"),
    blocked_prefix="/bewertung/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
    search_path=SEARCH_PATH,
    language="de",
    render_captcha=render_captcha,
)
