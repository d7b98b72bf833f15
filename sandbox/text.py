"""Small text helpers shared by the generators and the search index.

Why one place: slugs, domains and search tokens must agree on how accented
names ("Müller", "Yıldız") are folded to ASCII, or URLs and matches drift.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Strip accents and map letters NFKD cannot decompose ("ı", "ß")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slugify(text: str) -> str:
    """Lowercase ASCII slug with single hyphens, as directory URLs use."""
    return _NON_ALNUM.sub("-", ascii_fold(text).lower()).strip("-") or "company"


def compact(text: str) -> str:
    """Lowercase ASCII with everything but letters and digits removed (domain labels)."""
    return _NON_ALNUM.sub("", ascii_fold(text).lower())


def words(text: str) -> list[str]:
    """Lowercase ASCII word tokens, in order; the unit search matching works on."""
    return _WORD.findall(ascii_fold(text).lower())
