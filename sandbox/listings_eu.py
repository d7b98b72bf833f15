"""How the German and French yellow pages (gelbeseiten, pagesjaunes) write a company.

Why its own module: these directories show local companies in the local
language and the national phone format, and leave out most of what a B2B
portal shows (no contact person, no business type), which is exactly the
difference a deduplicator has to bridge when the same company is also on
tradeboard in English.
"""

from __future__ import annotations

import random
from functools import partial

from sandbox.i18n import EXTRA_LABELS, REGIONS_DE, category_labels, product
from sandbox.model import Company, Listing
from sandbox.phones import de_national_variant, fr_variant
from sandbox.variants import render_name, render_street, render_website


def _maybe(rng: random.Random, absent_p: float, value: str | None) -> str | None:
    """``value`` unless None or dropped with probability ``absent_p``."""
    return None if value is None or rng.random() < absent_p else value


def _labels(rng: random.Random, c: Company, language: str) -> list[str]:
    """The search term of each category, sometimes followed by a related label."""
    labels: list[str] = []
    for term, label in zip(c.categories, category_labels(c.categories, language), strict=True):
        labels.append(label)
        if rng.random() < 0.4:
            labels.append(rng.choice(EXTRA_LABELS[language][term]))
    return labels


def render_gelbeseiten(rng: random.Random, c: Company, number: int, rank: int) -> Listing:
    """Render ``c`` (a German company) as one gelbeseiten entry."""
    phone = partial(de_national_variant, rng)
    return Listing(
        site="gelbeseiten",
        number=number,
        path=f"/gsbiz/{number:x}",
        company_id=c.id,
        name=render_name(rng, c, "gelbeseiten"),
        phone=phone(c.phone),
        mobile=_maybe(rng, 0.6, c.mobile and phone(c.mobile)),
        fax=_maybe(rng, 0.4, c.fax and phone(c.fax)),
        email=_maybe(rng, 0.35, c.email),
        website=_maybe(
            rng, 0.15, c.website and c.domain and render_website(rng, c.domain, "gelbeseiten")
        ),
        contact_name=None,
        contact_title=None,
        street=render_street(rng, c.street, c.country),
        city=c.city,
        region=_maybe(rng, 0.3, REGIONS_DE.get(c.region, c.region)),
        postcode=c.postcode,
        country=c.country,
        country_name="Deutschland",
        business_type=None,
        main_products=[product(p, "de") for p in c.main_products],
        categories=list(c.categories),
        category_labels=_labels(rng, c, "de"),
        year_founded=None if rng.random() < 0.5 else c.year_founded,
        employees=None,
        rank=rank,
        language="de",
    )


def render_pagesjaunes(rng: random.Random, c: Company, number: int, rank: int) -> Listing:
    """Render ``c`` (a French company) as one pagesjaunes entry."""
    phone = partial(fr_variant, rng)
    return Listing(
        site="pagesjaunes",
        number=number,
        path=f"/pros/{number}",
        company_id=c.id,
        name=render_name(rng, c, "pagesjaunes"),
        phone=phone(c.phone),
        mobile=_maybe(rng, 0.5, c.mobile and phone(c.mobile)),
        fax=_maybe(rng, 0.5, c.fax and phone(c.fax)),
        email=_maybe(rng, 0.45, c.email),
        website=_maybe(
            rng, 0.15, c.website and c.domain and render_website(rng, c.domain, "pagesjaunes")
        ),
        contact_name=None,
        contact_title=None,
        street=render_street(rng, c.street, c.country),
        city=c.city,
        region=_maybe(rng, 0.6, c.region),
        postcode=c.postcode,
        country=c.country,
        country_name="France",
        business_type=None,
        main_products=[product(p, "fr") for p in c.main_products],
        categories=list(c.categories),
        category_labels=_labels(rng, c, "fr"),
        year_founded=None if rng.random() < 0.6 else c.year_founded,
        employees=None,
        rank=rank,
        language="fr",
    )
