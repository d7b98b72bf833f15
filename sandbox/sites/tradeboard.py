"""HTML for "TradeBoard", an English B2B supplier directory (made-in-china.com style).

Why a fixed contract: the tradeboard spider's selectors are written against
exactly these class names and table labels; change them only together.
"""

from __future__ import annotations

from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, document, esc, query_href
from sandbox.vocab import CATEGORY_TERMS

NAME = "tradeboard"
PAGE_SIZE = 10
ROBOTS_TXT = "User-agent: *\nDisallow: /inquiry/\nDisallow: /admin/\n"
SUPPORT_LINE = "Customer Service: +86 571 8502 2088, service@tradeboard.example"


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="site-header">\n'
        '<a class="logo" href="/">TradeBoard</a>\n'
        '<form class="search-form" action="/search" method="get">'
        '<input type="text" name="keyword" placeholder="Search products or suppliers">'
        '<button type="submit">Search</button></form>\n'
        '<nav><a href="/">Home</a> <a href="/admin/login">Supplier Login</a></nav>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the DIRECTORY's own contact, a trap for careless spiders."""
    return (
        '<footer class="site-footer">\n'
        f'<p class="support">{esc(SUPPORT_LINE)}</p>\n'
        "<p>&copy; TradeBoard Sandbox. All rights reserved.</p>\n"
        "</footer>"
    )


def _page(title: str, main: str) -> str:
    """Header, main content and footer in one document."""
    return document(f"{title} - TradeBoard", f"{_header()}\n<main>\n{main}\n</main>\n{_footer()}")


def render_home() -> str:
    """Home page: search form and one link per category search."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(query_href("/search", keyword=term))}">'
        f"{esc(term.title())}</a></li>"
        for term in CATEGORY_TERMS
    )
    return _page(
        "Find Suppliers",
        f'<h1>Find Verified Suppliers</h1>\n<ul class="categories">\n{links}\n</ul>',
    )


def _card(listing: Listing) -> str:
    """One search result card."""
    location = ", ".join(p for p in (listing.city, listing.region, listing.country_name) if p)
    biz = (
        f' <span class="biz-type">{esc(listing.business_type)}</span>'
        if listing.business_type
        else ""
    )
    products = esc(", ".join(listing.main_products))
    return (
        '<div class="supplier-card">\n'
        f'  <h2 class="supplier-name"><a href="{esc(listing.path)}">{esc(listing.name)}</a></h2>\n'
        f'  <div class="supplier-meta"><span class="location">{esc(location)}</span>{biz}</div>\n'
        f'  <div class="main-products">Main Products: {products}</div>\n'
        f'  <a class="inquiry" href="/inquiry/{listing.number}">Contact Now</a>\n'
        "</div>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = '<p class="no-results">No suppliers found</p>'
    else:
        cards = "\n".join(_card(listing) for listing in results)
        links = []
        if page > 1:
            prev_href = query_href("/search", keyword=keyword, page=page - 1)
            links.append(f'<a class="prev" href="{esc(prev_href)}">Previous</a>')
        links.append(f'<span class="current">{page}</span>')
        if has_next:
            next_href = query_href("/search", keyword=keyword, page=page + 1)
            links.append(f'<a class="next" href="{esc(next_href)}">Next</a>')
        body = (
            f'<p class="result-count">{total} suppliers found</p>\n'
            f'<div class="search-results">\n{cards}\n</div>\n'
            f'<div class="pager">{" ".join(links)}</div>'
        )
    return _page(f"{keyword} suppliers", f"<h1>Search: {esc(keyword)}</h1>\n{body}")


def _rows(listing: Listing) -> list[tuple[str, str]]:
    """(label, already-escaped HTML value) for every field the listing shows."""
    plain = [
        ("Contact Person:", listing.contact_name),
        ("Job Title:", listing.contact_title),
        ("Telephone:", listing.phone),
        ("Mobile Phone:", listing.mobile),
        ("Fax:", listing.fax),
    ]
    rows = [(label, esc(value)) for label, value in plain if value]
    if listing.email:
        rows.append(("E-mail:", f'<a href="mailto:{esc(listing.email)}">{esc(listing.email)}</a>'))
    if listing.website:
        rows.append(
            (
                "Website:",
                f'<a href="{esc(listing.website)}" rel="nofollow">{esc(listing.website)}</a>',
            )
        )
    address = [
        ("Street Address:", listing.street),
        ("City:", listing.city),
        ("Province/State:", listing.region),
        ("Zip/Postal Code:", listing.postcode),
        ("Country/Region:", listing.country_name),
    ]
    rows += [(label, esc(value)) for label, value in address if value]
    return rows


def _facts(listing: Listing) -> str:
    """The company-facts definition list."""
    facts = [
        ("Business Type", listing.business_type),
        ("Main Products", ", ".join(listing.main_products)),
        ("Year Established", str(listing.year_founded) if listing.year_founded else None),
        ("Number of Employees", listing.employees),
    ]
    return "\n".join(f"  <dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v)


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """A supplier's profile page (``related`` is unused on this site)."""
    rows = "\n".join(
        f"  <tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in _rows(listing)
    )
    profile = (
        '<div class="company-profile">\n'
        f'<h1 class="company-name">{esc(listing.name)}</h1>\n'
        f'<table class="contact-info">\n{rows}\n</table>\n'
        f'<dl class="company-facts">\n{_facts(listing)}\n</dl>\n'
        f'<a class="inquiry" href="/inquiry/{listing.number}">Send Inquiry</a>\n'
        "</div>"
    )
    return _page(listing.name, profile)


def render_blocked(listing: Listing) -> str:
    """The inquiry form; robots.txt forbids crawling it."""
    return _page(
        "Send Inquiry",
        f'<h1>Contact {esc(listing.name)}</h1>\n<form class="inquiry-form" method="post">'
        '<textarea name="message"></textarea><button type="submit">Send</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("Page Not Found", "<h1>404 - Page Not Found</h1>")


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param="keyword",
    robots_txt=ROBOTS_TXT,
    disallowed=("/inquiry/", "/admin/"),
    blocked_prefix="/inquiry/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
)
