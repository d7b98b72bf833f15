"""Keyword search over listings, shared by the HTTP sites and the ground truth.

Why shared: the ground truth promises "this term finds this listing"; that
promise only holds if the server and the truth writer use one matching rule.
Rule: every word of the keyword must appear (case-insensitive, whole word) in
the listing's categories or main products.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sandbox.model import Listing
from sandbox.text import words
from sandbox.vocab import CATEGORY_TERMS


def listing_words(listing: Listing) -> frozenset[str]:
    """The searchable words of a listing (categories and main products)."""
    return frozenset(words(" ".join([*listing.categories, *listing.main_products])))


def matches(listing: Listing, keyword: str) -> bool:
    """True when every word of ``keyword`` is among the listing's words."""
    wanted = words(keyword)
    return bool(wanted) and all(w in listing_words(listing) for w in wanted)


def search(listings: Iterable[Listing], keyword: str) -> list[Listing]:
    """Matching listings in the site's deterministic result order (rank, number)."""
    return sorted((l for l in listings if matches(l, keyword)), key=lambda l: (l.rank, l.number))


def terms_for(listing: Listing) -> list[str]:
    """The category terms under which ``listing`` is found, in category order."""
    return [term for term in CATEGORY_TERMS if matches(listing, term)]


def paginate(results: Sequence[Listing], page: int, page_size: int) -> tuple[list[Listing], bool]:
    """One page of results (1-based) and whether a next page exists."""
    start = (page - 1) * page_size
    return list(results[start : start + page_size]), start + page_size < len(results)
