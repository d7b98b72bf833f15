"""HTML for "YellowPages", a US-style local business directory.

Why a fixed contract: the yellowpages spider's selectors are written against
exactly these class names; change them only together.
"""

from __future__ import annotations

from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, document, esc, query_href
from sandbox.vocab import CATEGORY_TERMS

NAME = "yellowpages"
PAGE_SIZE = 15
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\nDisallow: /review/\n"
ADVERTISE_LINE = "Advertise with us: (800) 555-0199"
REFERENCE_YEAR = 2025  # fixed "now" for years-in-business; the clock would break determinism


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="site-header">\n'
        '<a class="logo" href="/">YellowPages</a>\n'
        '<form class="search-form" action="/search" method="get">'
        '<input type="text" name="search_terms" placeholder="Find a business">'
        '<button type="submit">Find</button></form>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the directory's own phone, a trap for careless spiders."""
    return (
        '<footer class="site-footer">\n'
        f'<p class="advertise">{esc(ADVERTISE_LINE)}</p>\n'
        "<p>&copy; YellowPages Sandbox</p>\n"
        "</footer>"
    )


def _page(title: str, main: str) -> str:
    """Header, main content and footer in one document."""
    return document(f"{title} | YellowPages", f"{_header()}\n<main>\n{main}\n</main>\n{_footer()}")


def render_home() -> str:
    """Home page: search form and one link per popular category."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(query_href("/search", search_terms=term))}">'
        f"{esc(term.title())}</a></li>"
        for term in CATEGORY_TERMS
    )
    return _page(
        "Find Local Businesses",
        f'<h1>Popular Categories</h1>\n<ul class="categories">\n{links}\n</ul>',
    )


def _locality(listing: Listing) -> str:
    """ "Houston, TX 77002" as the result line prints it."""
    return f"{listing.city}, {listing.region} {listing.postcode or ''}".rstrip()


def _result(listing: Listing) -> str:
    """One search result block."""
    street = f'<div class="street-address">{esc(listing.street)}</div>' if listing.street else ""
    link = f'<a class="business-name" href="{esc(listing.path)}">{esc(listing.name)}</a>'
    return (
        '<div class="result">\n'
        f'  <h2 class="n">{link}</h2>\n'
        f'  <div class="phones phone primary">{esc(listing.phone or "")}</div>\n'
        f'  <div class="adr">{street}<div class="locality">{esc(_locality(listing))}</div></div>\n'
        f'  <a class="review" href="/review/{listing.number}">Write a review</a>\n'
        "</div>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = f'<p class="no-results">No results found for {esc(keyword)}</p>'
    else:
        blocks = "\n".join(_result(listing) for listing in results)
        links = []
        if page > 1:
            prev_href = query_href("/search", search_terms=keyword, page=page - 1)
            links.append(f'<a class="prev" rel="prev" href="{esc(prev_href)}">Previous</a>')
        if has_next:
            next_href = query_href("/search", search_terms=keyword, page=page + 1)
            links.append(f'<a class="next" rel="next" href="{esc(next_href)}">Next</a>')
        body = (
            f'<p class="result-count">Showing {len(results)} of {total} results</p>\n'
            f'<div class="search-results organic">\n{blocks}\n</div>\n'
            f'<div class="pagination">{" ".join(links)}</div>'
        )
    return _page(f"{keyword} near you", f"<h1>{esc(keyword.title())}</h1>\n{body}")


def _address(listing: Listing) -> str:
    """The hCard-style address block."""
    parts = []
    if listing.street:
        parts.append(f'<span class="street-address">{esc(listing.street)}</span>, ')
    parts.append(f'<span class="locality">{esc(listing.city)}</span>, ')
    parts.append(f'<span class="region">{esc(listing.region or "")}</span>')
    if listing.postcode:
        parts.append(f' <span class="postal-code">{esc(listing.postcode)}</span>')
    return f'<div class="address">{"".join(parts)}</div>'


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """A business page, plus a "people also viewed" box outside the card."""
    lines = [f'<h1 class="business-name">{esc(listing.name)}</h1>']
    if listing.phone:
        lines.append(f'<p class="phone">{esc(listing.phone)}</p>')
    if listing.fax:
        lines.append(f'<p class="fax">Fax: {esc(listing.fax)}</p>')
    lines.append(_address(listing))
    if listing.website:
        lines.append(f'<a class="website-link" href="{esc(listing.website)}">Visit Website</a>')
    if listing.email:
        lines.append(
            f'<a class="email-business" href="mailto:{esc(listing.email)}">Email Business</a>'
        )
    details = [
        f'<dt>Categories</dt><dd class="categories">{esc(", ".join(listing.category_labels))}</dd>'
    ]
    if listing.year_founded:
        years = REFERENCE_YEAR - listing.year_founded
        details.append(f'<dt>Years in Business</dt><dd class="years-in-business">{years}</dd>')
    lines.append(f'<dl class="details">{"".join(details)}</dl>')
    lines.append(f'<a class="review" href="/review/{listing.number}">Write a review</a>')
    card = '<article class="business-card">\n' + "\n".join(lines) + "\n</article>"
    if related:
        items = "\n".join(f'<li><a href="{esc(r.path)}">{esc(r.name)}</a></li>' for r in related)
        card += (
            '\n<aside class="related-businesses">\n<h3>People Also Viewed</h3>\n'
            f"<ul>\n{items}\n</ul>\n</aside>"
        )
    return _page(listing.name, card)


def render_blocked(listing: Listing) -> str:
    """The review form; robots.txt forbids crawling it."""
    return _page(
        "Write a Review",
        f'<h1>Review {esc(listing.name)}</h1>\n<form class="review-form" method="post">'
        '<textarea name="review"></textarea><button type="submit">Submit</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("Page Not Found", "<h1>We couldn't find that page</h1>")


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param="search_terms",
    robots_txt=ROBOTS_TXT,
    disallowed=("/admin/", "/review/"),
    blocked_prefix="/review/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
)
