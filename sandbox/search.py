"""Keyword search over listings, shared by the HTTP sites and the ground truth.

Why shared: the ground truth promises "this term finds this listing"; that
promise only holds if the server and the truth writer use one matching rule.

Rule: every Latin word of the keyword must appear as a whole word (case- and
accent-insensitive) and every run of Chinese characters must appear as a
substring (Chinese has no spaces between words) in the listing's searchable
text. That text is, in the listing's own language: for English listings the
canonical categories and main products (unchanged since the first two sites),
for the others the category labels and main products as the page shows them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from sandbox.i18n import SEARCH_TERMS
from sandbox.model import Listing
from sandbox.text import words
from sandbox.vocab import CATEGORY_TERMS

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

# The terms each language searches with: exactly those of config/keywords.yaml.
TERMS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": CATEGORY_TERMS,
    **{lang: tuple(terms[t] for t in CATEGORY_TERMS) for lang, terms in SEARCH_TERMS.items()},
}


def _fold(text: str) -> str:
    """NFKC and case-folded: full-width letters and case never decide a match."""
    return unicodedata.normalize("NFKC", text).casefold()


def searchable_text(listing: Listing) -> str:
    """The text search matches in, in the listing's language."""
    labels = listing.categories if listing.language == "en" else listing.category_labels
    return " ".join([*labels, *listing.main_products])


def listing_words(listing: Listing) -> frozenset[str]:
    """The searchable Latin words of a listing."""
    return frozenset(words(searchable_text(listing)))


def _cjk_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``."""
    return _CJK.findall(_fold(text))


def normalised(keyword: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Latin words, Chinese runs) of a keyword: equal for keywords that match alike."""
    return tuple(words(keyword)), tuple(_cjk_runs(keyword))


def matches(listing: Listing, keyword: str) -> bool:
    """True when every word and every Chinese run of ``keyword`` is in the listing."""
    wanted, runs = words(keyword), _cjk_runs(keyword)
    if not wanted and not runs:
        return False
    if not all(w in listing_words(listing) for w in wanted):
        return False
    text = _fold(searchable_text(listing))
    return all(run in text for run in runs)


def search(listings: Iterable[Listing], keyword: str) -> list[Listing]:
    """Matching listings in the site's deterministic result order (rank, number)."""
    return sorted((x for x in listings if matches(x, keyword)), key=lambda x: (x.rank, x.number))


def terms_for(listing: Listing) -> list[str]:
    """The search terms of the listing's language that find it, in category order."""
    return [term for term in TERMS_BY_LANGUAGE[listing.language] if matches(listing, term)]


def paginate(results: Sequence[Listing], page: int, page_size: int) -> tuple[list[Listing], bool]:
    """One page of results (1-based) and whether a next page exists."""
    start = (page - 1) * page_size
    return list(results[start : start + page_size]), start + page_size < len(results)
