"""Buying leads: what buyers post on the importers board, one listing per post.

Why: on a buying-leads board the page is about a wish ("Looking for LED panel
lights, 5000 pcs monthly") and the company is the one asking. One buyer posts
several times, so several pages belong to one company, which the ground truth
records and a deduplicator must merge.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial

from sandbox.geo import COUNTRY_NAMES
from sandbox.model import Company, Listing
from sandbox.phones import international_variant
from sandbox.variants import render_contact, render_name, render_website
from sandbox.vocab import CATEGORY_BY_TERM

SITE = "importers"
REFERENCE_DATE = date(2025, 6, 30)  # fixed "today": the clock would break determinism
POSTS_PER_BUYER: tuple[tuple[int, int], ...] = ((1, 50), (2, 35), (3, 15))
_BADGES: tuple[tuple[str | None, int], ...] = (
    (None, 55),
    ("Verified Buyer", 30),
    ("Gold Member", 15),
)

# (quantities, unit) per category; machines come in sets, fabric in metres.
_QUANTITIES: dict[str, tuple[tuple[int, ...], str]] = {
    "led lighting": ((2000, 5000, 10000, 20000), "pcs"),
    "solar panels": ((500, 1000, 2400, 5000), "pcs"),
    "industrial valves": ((200, 500, 1000, 3000), "pcs"),
    "packaging machinery": ((1, 2, 5, 10), "sets"),
    "hand tools": ((1000, 3000, 5000, 12000), "sets"),
    "cotton fabric": ((5000, 10000, 30000, 50000), "meters"),
    "office furniture": ((50, 100, 300, 800), "pcs"),
    "auto parts": ((1000, 2000, 5000, 10000), "pcs"),
}
_CADENCE = ("monthly", "per order", "trial order", "per quarter", "per year")
_TITLES = (
    "Looking for {product}, {qty} monthly",
    "Need reliable {product} supplier",
    "Buying {product} - {qty}",
    "RFQ: {product}, {qty}",
    "Wanted: {product} for the {market} market",
    "Request for quotation: {product} ({qty})",
)


def post_count(rng: random.Random) -> int:
    """How many buying leads one buyer has posted."""
    values = [n for n, _ in POSTS_PER_BUYER]
    return rng.choices(values, weights=[w for _, w in POSTS_PER_BUYER], k=1)[0]


def _plural(phrase: str) -> str:
    """Lower-case plural of a product phrase ("LED Panel Light" -> "LED panel lights")."""
    words = [w if w.isupper() else w.lower() for w in phrase.split(" ")]
    last = words[-1]
    if not last.endswith("s"):
        words[-1] = last + ("es" if last.endswith(("sh", "ch", "x")) else "s")
    return " ".join(words)


def _wanted(rng: random.Random, c: Company, index: int) -> tuple[str, str]:
    """(category, product) of the ``index``-th post: the buyer's categories in turn."""
    term = c.categories[index % len(c.categories)]
    own = [p for p in c.main_products if p in CATEGORY_BY_TERM[term].products]
    return term, rng.choice(own or list(CATEGORY_BY_TERM[term].products))


def render_post(rng: random.Random, c: Company, index: int, number: int, rank: int) -> Listing:
    """The ``index``-th buying lead of buyer ``c`` as one importers page."""
    term, wanted = _wanted(rng, c, index)
    amounts, unit = _QUANTITIES[term]
    quantity = f"{rng.choice(amounts):,} {unit}"
    cadence = rng.choice(_CADENCE)
    title = rng.choice(_TITLES).format(
        product=_plural(wanted), qty=quantity, market=COUNTRY_NAMES[c.country]
    )
    posted = REFERENCE_DATE - timedelta(days=rng.randint(0, 180))
    badge = rng.choices([b for b, _ in _BADGES], weights=[w for _, w in _BADGES], k=1)[0]
    intl = partial(international_variant, rng, plus_only=True)
    return Listing(
        site=SITE,
        number=number,
        path=f"/buying-lead/{number}.html",
        company_id=c.id,
        name=render_name(rng, c, SITE),
        phone=None if rng.random() < 0.1 else intl(c.phone),
        mobile=None if c.mobile is None or rng.random() < 0.6 else intl(c.mobile),
        fax=None,
        email=None if rng.random() < 0.15 else c.email,
        website=(
            render_website(rng, c.domain, SITE)
            if c.website and c.domain and rng.random() >= 0.3
            else None
        ),
        contact_name=None if rng.random() < 0.1 else render_contact(rng, c.contact_name, c.country),
        contact_title=None if rng.random() < 0.4 else c.contact_title,
        street=None,
        city=c.city,
        region=None,
        postcode=None,
        country=c.country,
        country_name=COUNTRY_NAMES[c.country],
        business_type=c.business_type,
        main_products=[wanted],
        categories=[term],
        category_labels=[term.title()],
        year_founded=None,
        employees=None,
        rank=rank,
        headline=title,
        quantity=f"{quantity} {cadence}",
        posted_on=posted.isoformat(),
        badge=badge,
    )
