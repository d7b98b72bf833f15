"""Decide which company is listed where, and render each listing's own variant.

Why: the pipeline is scored on merging the SAME company across sites and
duplicate pages while not merging near-name siblings; this module creates
exactly that situation, with exact shares so counts are stable for any seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

from sandbox.geo import COUNTRY_NAMES
from sandbox.listings_eu import render_gelbeseiten, render_pagesjaunes
from sandbox.listings_zh import render_chinab2b
from sandbox.model import Company, Listing
from sandbox.phones import international_variant, us_national_variant
from sandbox.posts import post_count, render_post
from sandbox.rng import derive_rng
from sandbox.text import slugify
from sandbox.variants import (
    render_city,
    render_contact,
    render_name,
    render_region,
    render_street,
    render_website,
)
from sandbox.vocab import CATEGORY_BY_TERM

# Shares of US companies: on both sites, tradeboard only, yellowpages only.
US_BOTH = 0.47
US_TRADEBOARD = 0.55
US_YELLOWPAGES = 0.85
DUPLICATE_SHARE = 0.02  # companies with a second tradeboard listing
CN_ON_CHINAB2B = 0.85  # Chinese suppliers also on the Chinese directory
DE_ON_TRADEBOARD = 0.5  # German suppliers also on tradeboard, in English
FR_ON_TRADEBOARD = 0.4  # French suppliers also on tradeboard

_NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "tradeboard": (100_000, 1_000_000),
    "yellowpages": (1_000_000, 10_000_000),
    "chinab2b": (10_000_000, 100_000_000),
    "importers": (100_000, 1_000_000),
    "gelbeseiten": (0x10000000, 0x7FFFFFFF),
    "pagesjaunes": (10_000_000, 100_000_000),
}


def _maybe(
    rng: random.Random,
    absent_p: float,
    value: str | None,
    render: Callable[[str], str] = lambda v: v,
) -> str | None:
    """Render ``value`` unless it is None or the listing omits it (prob ``absent_p``)."""
    if value is None or rng.random() < absent_p:
        return None
    return render(value)


def _share(rng: random.Random, companies: list[Company], share: float) -> set[str]:
    """Ids of an exact ``share`` of ``companies``, drawn with ``rng``."""
    return {c.id for c in rng.sample(companies, round(len(companies) * share))}


def _allocate(
    seed: int, companies: list[Company]
) -> tuple[list[Company], list[Company], list[Company]]:
    """Return (tradeboard companies, yellowpages companies, tradeboard duplicates).

    Near-name siblings are put first in the US order so they land on both
    sites, which is where a careless deduplicator would merge them. Buyers are
    on the importers board only (and their own German or French yellow pages).
    """
    rng = derive_rng(seed, "allocation")
    suppliers = [c for c in companies if c.role == "supplier"]
    us = [c for c in suppliers if c.country == "US"]
    rng.shuffle(us)
    us.sort(key=lambda c: c.sibling_id is None)
    n = len(us)
    n_both = round(n * US_BOTH)
    n_yp_only = max(0, round(n * US_YELLOWPAGES) - n_both)
    n_tb_only = max(0, round(n * US_TRADEBOARD) - n_both)
    both = us[:n_both]
    yp_only = us[n_both : n_both + n_yp_only]
    tb_only = us[n_both + n_yp_only : n_both + n_yp_only + n_tb_only]
    on_tb = {c.id for c in both + tb_only}
    on_tb |= _share(rng, [c for c in suppliers if c.country == "DE"], DE_ON_TRADEBOARD)
    on_tb |= _share(rng, [c for c in suppliers if c.country == "FR"], FR_ON_TRADEBOARD)
    on_yp = {c.id for c in both + yp_only}
    tradeboard = [c for c in suppliers if c.country not in ("US", "DE", "FR") or c.id in on_tb]
    yellowpages = [c for c in suppliers if c.id in on_yp]
    pool = [c for c in tradeboard if c.sibling_id is None]
    n_dup = min(len(pool), round(len(companies) * DUPLICATE_SHARE))
    duplicates = sorted(rng.sample(pool, n_dup), key=lambda c: c.id)
    return tradeboard, yellowpages, duplicates


def _chinab2b(seed: int, companies: list[Company]) -> list[Company]:
    """Most Chinese suppliers, near-name siblings always among them."""
    rng = derive_rng(seed, "allocation", "chinab2b")
    cn = [c for c in companies if c.country == "CN" and c.role == "supplier"]
    rng.shuffle(cn)
    cn.sort(key=lambda c: c.sibling_id is None)
    chosen = {c.id for c in cn[: round(len(cn) * CN_ON_CHINAB2B)]}
    return [c for c in companies if c.id in chosen]


def _employees_text(employees: int | str) -> str:
    """Employees as tradeboard prints them ("51-200 People" or "120")."""
    return f"{employees} People" if isinstance(employees, str) else str(employees)


def _tradeboard(rng: random.Random, c: Company, number: int, rank: int, duplicate: bool) -> Listing:
    """Render ``c`` as one tradeboard supplier page."""
    name = render_name(rng, c, "tradeboard")
    intl = partial(international_variant, rng)
    return Listing(
        site="tradeboard",
        number=number,
        path=f"/company/{slugify(name)}-{number}.html",
        company_id=c.id,
        name=name,
        phone=_maybe(rng, 0.03, c.phone, intl),
        mobile=_maybe(rng, 0.15, c.mobile, intl),
        fax=_maybe(rng, 0.30, c.fax, intl),
        email=_maybe(rng, 0.12, c.email),
        website=_maybe(
            rng, 0.15, c.website and c.domain, lambda d: render_website(rng, d, "tradeboard")
        ),
        contact_name=_maybe(rng, 0.15, c.contact_name, lambda v: render_contact(rng, v, c.country)),
        contact_title=_maybe(rng, 0.15, c.contact_title),
        street=_maybe(rng, 0.12, c.street, lambda v: render_street(rng, v, c.country)),
        city=render_city(rng, c),
        region=_maybe(rng, 0.05, c.region, lambda _: render_region(rng, c)),
        postcode=_maybe(rng, 0.15, c.postcode),
        country=c.country,
        country_name=COUNTRY_NAMES[c.country],
        business_type=_maybe(rng, 0.05, c.business_type),
        main_products=list(c.main_products),
        categories=list(c.categories),
        category_labels=[CATEGORY_BY_TERM[t].term.title() for t in c.categories],
        year_founded=None if rng.random() < 0.15 else c.year_founded,
        employees=_maybe(rng, 0.15, _employees_text(c.employees)),
        rank=rank,
        duplicate=duplicate,
    )


def _yellowpages(rng: random.Random, c: Company, number: int, rank: int) -> Listing:
    """Render ``c`` as one US yellow-pages business page."""
    name = render_name(rng, c, "yellowpages")
    national = partial(us_national_variant, rng)
    labels: list[str] = []
    for term in c.categories:
        options = CATEGORY_BY_TERM[term].yp_labels
        labels.append(options[0])
        if rng.random() < 0.5:
            labels.append(rng.choice(options[1:]))
    zip4 = rng.random() < 0.1
    return Listing(
        site="yellowpages",
        number=number,
        path=f"/biz/{slugify(name)}-{number}",
        company_id=c.id,
        name=name,
        phone=national(c.phone),
        mobile=None,
        fax=_maybe(rng, 0.5, c.fax, national),
        email=_maybe(rng, 0.40, c.email),
        website=_maybe(
            rng, 0.15, c.website and c.domain, lambda d: render_website(rng, d, "yellowpages")
        ),
        contact_name=None,
        contact_title=None,
        street=_maybe(rng, 0.08, c.street, lambda v: render_street(rng, v, c.country, upper_p=0.1)),
        city=c.city,
        region=c.region_code,
        postcode=f"{c.postcode}-{rng.randint(1000, 9999)}" if zip4 else c.postcode,
        country=c.country,
        country_name=COUNTRY_NAMES[c.country],
        business_type=None,
        main_products=list(c.main_products),
        categories=list(c.categories),
        category_labels=labels,
        year_founded=None if rng.random() < 0.2 else c.year_founded,
        employees=None,
        rank=rank,
    )


def _numbered(seed: int, site: str, count: int) -> list[tuple[int, int]]:
    """(number, rank) for ``count`` listings of ``site``: unique, reproducible."""
    numbers_rng = derive_rng(seed, site, "numbers")
    low, high = _NUMBER_RANGES[site]
    numbers = numbers_rng.sample(range(low, high), count)
    ranks = numbers_rng.sample(range(count * 10), count)
    return list(zip(numbers, ranks, strict=True))


def _legacy_listings(seed: int, companies: list[Company]) -> list[Listing]:
    """Tradeboard (with re-registered duplicates) and yellowpages listings."""
    tradeboard, yellowpages, duplicates = _allocate(seed, companies)
    tb_entries = [(c, False) for c in tradeboard] + [(c, True) for c in duplicates]
    tb_entries.sort(key=lambda entry: (entry[0].id, entry[1]))
    listings: list[Listing] = []
    for site, entries in (
        ("tradeboard", tb_entries),
        ("yellowpages", [(c, False) for c in yellowpages]),
    ):
        for (company, duplicate), (number, rank) in zip(
            entries, _numbered(seed, site, len(entries)), strict=True
        ):
            rng = derive_rng(seed, site, company.id, int(duplicate))
            if site == "yellowpages":
                listings.append(_yellowpages(rng, company, number, rank))
                continue
            listing = _tradeboard(rng, company, number, rank, duplicate)
            # A re-registered account is typed anew: make its name visibly differ.
            for attempt in range(1, 20):
                if not duplicate or listing.name != listings[-1].name:
                    break
                rng = derive_rng(seed, site, company.id, int(duplicate), attempt)
                listing = _tradeboard(rng, company, number, rank, duplicate)
            listings.append(listing)
    return listings


def _importers(seed: int, companies: list[Company]) -> list[Listing]:
    """Every buyer's buying leads, several pages for some buyers."""
    entries: list[tuple[Company, int]] = []
    for company in companies:
        if company.role == "buyer":
            count = post_count(derive_rng(seed, "importers", company.id, "posts"))
            entries += [(company, index) for index in range(count)]
    numbered = _numbered(seed, "importers", len(entries))
    return [
        render_post(derive_rng(seed, "importers", c.id, index), c, index, number, rank)
        for (c, index), (number, rank) in zip(entries, numbered, strict=True)
    ]


def _national(
    seed: int, site: str, companies: list[Company], render: Callable[..., Listing]
) -> list[Listing]:
    """One listing per company on a national directory, in company order."""
    numbered = _numbered(seed, site, len(companies))
    return [
        render(derive_rng(seed, site, c.id, 0), c, number, rank)
        for c, (number, rank) in zip(companies, numbered, strict=True)
    ]


def make_listings(seed: int, companies: list[Company]) -> list[Listing]:
    """All listings of every site, site by site (model.SITES order), each in company order."""
    german = [c for c in companies if c.country == "DE"]
    french = [c for c in companies if c.country == "FR"]
    return [
        *_legacy_listings(seed, companies),
        *_national(seed, "chinab2b", _chinab2b(seed, companies), render_chinab2b),
        *_importers(seed, companies),
        *_national(seed, "gelbeseiten", german, render_gelbeseiten),
        *_national(seed, "pagesjaunes", french, render_pagesjaunes),
    ]
