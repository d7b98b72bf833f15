"""HTML for "PagesJaunes" (pagesjaunes), French yellow pages marked up with schema.org microdata.

Why this shape: like pagesjaunes.fr, the entry's data is only in microdata:
an element with ``itemscope itemtype="https://schema.org/LocalBusiness"``
holding ``itemprop`` name / telephone (repeated for a mobile) / faxNumber /
email / url and an ``address`` item of type PostalAddress (streetAddress,
postalCode, addressLocality, addressRegion, addressCountry as a ``<meta>``).
The footer holds the directory's OWN microdata Organization ("PagesJaunes
Sandbox"), which a spider must not take.
"""

from __future__ import annotations

from sandbox.i18n import SEARCH_TERMS
from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, captcha_page, document, esc, pager, query_href
from sandbox.vocab import CATEGORY_TERMS

NAME = "pagesjaunes"
PAGE_SIZE = 10
ROBOTS_TXT = "User-agent: *\nDisallow: /avis/\nDisallow: /compte/\n"
SEARCH_PATH = "/annuaire/chercherlespros"
SEARCH_PARAM = "quoiqui"
DIRECTORY_NAME = "PagesJaunes Sandbox"
DIRECTORY_PHONE = "01 86 95 30 00"
SCHEMA = "https://schema.org/"


def _search_href(keyword: str, page: int) -> str:
    """A result page's URL."""
    return query_href(SEARCH_PATH, **{SEARCH_PARAM: keyword, "page": page})


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="pj-header">\n'
        '<a class="logo" href="/">PagesJaunes</a>\n'
        f'<form class="pj-recherche" action="{SEARCH_PATH}" method="get">'
        f'<input type="text" name="{SEARCH_PARAM}" placeholder="Quoi, qui ?">'
        '<button type="submit">Trouver</button></form>\n'
        '<nav><a href="/compte/connexion">Se connecter</a></nav>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the directory's own microdata Organization: not a company."""
    return (
        '<footer class="pj-footer">\n'
        f'<div class="pj-editeur" itemscope itemtype="{SCHEMA}Organization">'
        f'<span itemprop="name">{DIRECTORY_NAME}</span> &ndash; service client '
        f'<span itemprop="telephone">{DIRECTORY_PHONE}</span></div>\n'
        "</footer>"
    )


def _page(title: str, main: str) -> str:
    """Header, main content and footer in one document."""
    body = f'{_header()}\n<main id="main">\n{main}\n</main>\n{_footer()}'
    return document(f"{title} - PagesJaunes", body, lang="fr")


def render_home() -> str:
    """Home page: one link per activity search."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(_search_href(term, 1))}">{esc(term)}</a></li>'
        for term in (SEARCH_TERMS["fr"][t] for t in CATEGORY_TERMS)
    )
    return _page(
        "Annuaire des professionnels",
        f'<h1>Activités populaires</h1>\n<ul class="categories">\n{links}\n</ul>',
    )


def _card(listing: Listing) -> str:
    """One search result: name, activity and address text."""
    place = " ".join(p for p in (listing.postcode, listing.city) if p)
    address = " ".join(p for p in (listing.street, place) if p)
    return (
        f'<li class="bi-generic" id="bi-{listing.number}">\n'
        f'  <a class="bi-denomination" href="{esc(listing.path)}">'
        f"<h3>{esc(listing.name)}</h3></a>\n"
        f'  <div class="bi-activity">{esc(", ".join(listing.category_labels))}</div>\n'
        f'  <div class="bi-address">{esc(address)}</div>\n'
        "</li>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = f'<p class="no-results">Aucun résultat pour « {esc(keyword)} »</p>'
    else:
        cards = "\n".join(_card(listing) for listing in results)
        links = pager(lambda n: _search_href(keyword, n), page, has_next, ("Précédent", "Suivant"))
        body = (
            f'<p class="result-count">{total} résultats pour « {esc(keyword)} »</p>\n'
            f'<ul class="bi-list">\n{cards}\n</ul>\n'
            f'<div class="pagination">{links}</div>'
        )
    return _page(f"{keyword} - résultats", f"<h1>{esc(keyword)}</h1>\n{body}")


def _address(listing: Listing) -> str:
    """The PostalAddress item."""
    parts = []
    for prop, value in (
        ("streetAddress", listing.street),
        ("postalCode", listing.postcode),
        ("addressLocality", listing.city),
        ("addressRegion", listing.region),
    ):
        if value:
            parts.append(f'<span itemprop="{prop}">{esc(value)}</span>')
    return (
        f'<div class="address" itemprop="address" itemscope itemtype="{SCHEMA}PostalAddress">'
        f'{" ".join(parts)}<meta itemprop="addressCountry" content="{esc(listing.country)}">'
        "</div>"
    )


def _contacts(listing: Listing) -> list[str]:
    """Telephone, mobile, fax, e-mail and website lines, each value an itemprop."""
    lines = []
    for label, value in (("Tél", listing.phone), ("Mobile", listing.mobile)):
        if value:
            lines.append(
                f'<div class="coord-numero"><span class="num-label">{label} :</span> '
                f'<span itemprop="telephone">{esc(value)}</span></div>'
            )
    if listing.fax:
        lines.append(
            '<div class="coord-numero"><span class="num-label">Fax :</span> '
            f'<span itemprop="faxNumber">{esc(listing.fax)}</span></div>'
        )
    if listing.email:
        lines.append(
            f'<div class="coord-email"><a href="mailto:{esc(listing.email)}">'
            f'<span itemprop="email">{esc(listing.email)}</span></a></div>'
        )
    if listing.website:
        lines.append(
            f'<div class="coord-site"><a itemprop="url" href="{esc(listing.website)}" '
            'rel="nofollow">Site internet</a></div>'
        )
    return lines


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """An entry: all data in LocalBusiness microdata."""
    activities = esc(", ".join(listing.category_labels))
    founded = (
        f'<p class="annee">Création : <span itemprop="foundingDate">'
        f"{listing.year_founded}</span></p>\n"
        if listing.year_founded
        else ""
    )
    fiche = (
        '<section id="fiche" class="pj-fiche">\n'
        f'<div class="teaser-header" itemscope itemtype="{SCHEMA}LocalBusiness">\n'
        f'<h1 class="denomination" itemprop="name">{esc(listing.name)}</h1>\n'
        f"{_address(listing)}\n"
        + "\n".join(_contacts(listing))
        + f'\n<p class="activites">Activités : {activities}</p>\n{founded}'
        "</div>\n"
        f'<a class="avis" href="/avis/{listing.number}">Donner un avis</a>\n'
        "</section>"
    )
    return _page(listing.name, fiche)


def render_blocked(listing: Listing) -> str:
    """The review form; robots.txt forbids crawling it."""
    return _page(
        "Donner un avis",
        f"<h1>Votre avis sur {esc(listing.name)}</h1>\n"
        '<form method="post"><textarea name="avis"></textarea><button>Envoyer</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("Page introuvable", "<h1>Cette page n'existe pas</h1>")


def render_captcha() -> str:
    """The captcha page of fault mode ``captcha``."""
    return captcha_page("fr", "Merci de confirmer que vous n'êtes pas un robot.")


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param=SEARCH_PARAM,
    robots_txt=ROBOTS_TXT,
    disallowed=("/avis/", "/compte/"),
    blocked_prefix="/avis/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
    search_path=SEARCH_PATH,
    language="fr",
    render_captcha=render_captcha,
)
