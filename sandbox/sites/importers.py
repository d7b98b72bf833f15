"""HTML for "Importers Board", an English buying-leads board (importers.com style).

Why a fixed contract: config/sites/importers.yaml reads exactly these class
names and row labels. A page is one buying lead; the company on it is the
BUYER (div.buyer-info), never the board, whose own contacts are in the footer.
"""

from __future__ import annotations

from datetime import date

from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, captcha_page, document, esc, pager, query_href
from sandbox.vocab import CATEGORY_TERMS

NAME = "importers"
PAGE_SIZE = 10
ROBOTS_TXT = "User-agent: *\nDisallow: /reply/\nDisallow: /account/\n"
SEARCH_PATH = "/buying-leads"
SEARCH_PARAM = "q"
PAGE_PARAM = "p"
SUPPORT_LINE = "Buyer support: +44 20 3807 4410, support@importers-board.example"

BUYER_LABELS: tuple[str, ...] = (
    "Contact Person:",
    "Job Title:",
    "Country:",
    "City:",
    "Telephone:",
    "Mobile:",
    "E-mail:",
    "Website:",
    "Business Type:",
)


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="site-header">\n'
        '<a class="logo" href="/">Importers Board</a>\n'
        f'<form class="search-form" action="{SEARCH_PATH}" method="get">'
        f'<input type="text" name="{SEARCH_PARAM}" placeholder="Search buying leads">'
        '<button type="submit">Search</button></form>\n'
        '<nav><a href="/">Home</a> <a href="/account/login">Sign in</a> '
        '<a href="/account/post">Post a buying lead</a></nav>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the board's own phone and e-mail, a trap for careless spiders."""
    return (
        '<footer class="site-footer">\n'
        f'<p class="support">{esc(SUPPORT_LINE)}</p>\n'
        "<p>&copy; Importers Board Sandbox</p>\n"
        "</footer>"
    )


def _page(title: str, main: str) -> str:
    """Header, main content and footer in one document."""
    return document(
        f"{title} | Importers Board", f"{_header()}\n<main>\n{main}\n</main>\n{_footer()}"
    )


def _search_href(keyword: str, page: int) -> str:
    """A result page's URL."""
    return query_href(SEARCH_PATH, **{SEARCH_PARAM: keyword, PAGE_PARAM: page})


def _posted(listing: Listing) -> str:
    """Post date as the board prints it ("Jun 13, 2025")."""
    return date.fromisoformat(listing.posted_on or "2025-01-01").strftime("%b %d, %Y")


def _badge(listing: Listing) -> str:
    """The membership badge, when the buyer has one."""
    if not listing.badge:
        return ""
    css = "verified" if listing.badge.startswith("Verified") else "gold"
    return f' <span class="badge badge-{css}">{esc(listing.badge)}</span>'


def render_home() -> str:
    """Home page: one link per category search."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(_search_href(term, 1))}">{esc(term.title())}</a></li>'
        for term in CATEGORY_TERMS
    )
    return _page(
        "Buying Leads",
        f'<h1>Latest Buying Leads by Category</h1>\n<ul class="categories">\n{links}\n</ul>',
    )


def _item(listing: Listing) -> str:
    """One search result: the wish, who wants it, where and when."""
    return (
        '<div class="lead-item">\n'
        f'  <h2><a class="lead-title" href="{esc(listing.path)}">{esc(listing.headline)}</a></h2>\n'
        f'  <div class="lead-meta"><span class="buyer-country">{esc(listing.country_name)}</span>'
        f' <span class="posted">Posted: {esc(_posted(listing))}</span>{_badge(listing)}</div>\n'
        f'  <a class="reply" href="/reply/{listing.number}">Contact Buyer</a>\n'
        "</div>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = f'<p class="no-results">No buying leads found for {esc(keyword)}</p>'
    else:
        items = "\n".join(_item(listing) for listing in results)
        links = pager(lambda n: _search_href(keyword, n), page, has_next, ("Previous", "Next"))
        body = (
            f'<p class="result-count">{total} buying leads found</p>\n'
            f'<div class="lead-list">\n{items}\n</div>\n'
            f'<div class="pager">{links}</div>'
        )
    return _page(f"{keyword} buying leads", f"<h1>Buying leads: {esc(keyword)}</h1>\n{body}")


def _buyer_rows(listing: Listing) -> str:
    """The buyer's contact table."""
    values: dict[str, str | None] = {
        "Contact Person:": listing.contact_name,
        "Job Title:": listing.contact_title,
        "Country:": listing.country_name,
        "City:": listing.city,
        "Telephone:": listing.phone,
        "Mobile:": listing.mobile,
        "Business Type:": listing.business_type,
    }
    html = {label: esc(value) for label, value in values.items() if value}
    if listing.email:
        html["E-mail:"] = f'<a href="mailto:{esc(listing.email)}">{esc(listing.email)}</a>'
    if listing.website:
        html["Website:"] = (
            f'<a href="{esc(listing.website)}" rel="nofollow">{esc(listing.website)}</a>'
        )
    return "\n".join(
        f"  <tr><th>{esc(label)}</th><td>{html[label]}</td></tr>"
        for label in BUYER_LABELS
        if label in html
    )


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """One buying lead: the request, then the buyer's company and contacts."""
    facts = [
        ("Product Wanted", ", ".join(listing.main_products)),
        ("Category", ", ".join(listing.category_labels)),
        ("Quantity", listing.quantity),
        ("Posted", _posted(listing)),
    ]
    facts_html = "\n".join(f"  <dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v)
    lead = (
        '<div class="buying-lead">\n'
        f'<h1 class="lead-title">{esc(listing.headline)}</h1>\n'
        f'<dl class="lead-facts">\n{facts_html}\n</dl>\n'
        '<div class="buyer-info">\n'
        f'<h2 class="buyer-name">{esc(listing.name)}</h2>{_badge(listing)}\n'
        f'<table class="buyer-contact">\n{_buyer_rows(listing)}\n</table>\n'
        "</div>\n"
        f'<a class="reply" href="/reply/{listing.number}">Reply to this buying lead</a>\n'
        "</div>"
    )
    return _page(listing.headline or listing.name, lead)


def render_blocked(listing: Listing) -> str:
    """The reply form; robots.txt forbids crawling it."""
    return _page(
        "Reply",
        f"<h1>Reply to {esc(listing.name)}</h1>\n"
        '<form class="reply-form" method="post"><textarea name="message"></textarea>'
        '<button type="submit">Send</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("Not Found", "<h1>This buying lead does not exist or has expired</h1>")


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param=SEARCH_PARAM,
    robots_txt=ROBOTS_TXT,
    disallowed=("/reply/", "/account/"),
    blocked_prefix="/reply/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
    search_path=SEARCH_PATH,
    page_param=PAGE_PARAM,
    render_captcha=lambda: captcha_page("en"),
)
