"""Country names in many languages to ISO 3166-1 alpha-2.

Names come from pycountry's ISO data and its translations (the gettext
catalogues it ships), so "Deutschland", "Allemagne", "Germania", "德国" and
"DEU" all give "DE" without a hand-kept table; only the colloquial forms that
no standard carries ("USA", "UK", "P.R. China", "Mainland China") are added here.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

LANGUAGES = ("de", "fr", "it", "es", "pt", "nl", "zh_CN", "zh_TW", "ja", "ru", "tr", "pl", "sv")

_ALIASES = {
    "usa": "US", "us": "US", "u s a": "US", "u s": "US", "america": "US",
    "united states of america": "US", "estados unidos": "US", "etats unis": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "p r china": "CN", "pr china": "CN", "prc": "CN", "mainland china": "CN",
    "china mainland": "CN", "people s republic of china": "CN", "中国大陆": "CN",
    "korea": "KR", "south korea": "KR", "republic of korea": "KR",
    "russia": "RU", "vietnam": "VN", "viet nam": "VN", "taiwan": "TW", "chinese taipei": "TW",
    "turkey": "TR", "turkiye": "TR", "türkiye": "TR", "holland": "NL", "the netherlands": "NL",
    "iran": "IR", "syria": "SY", "laos": "LA", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ", "uae": "AE", "u a e": "AE",
    "hong kong sar": "HK", "macau": "MO", "ivory coast": "CI",
}


def _fold(text: str) -> str:
    """Lower-case, strip accents and punctuation so spelling variants meet."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    translations = []
    for lang in LANGUAGES:
        try:
            translations.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            )
        except OSError:
            continue
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, country.alpha_3}
        for attr in ("official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value)
        for tr in translations:
            for name in list(names):
                names.add(tr.gettext(name))
        for name in names:
            index.setdefault(_fold(name), code)
    for alias, code in _ALIASES.items():
        index[_fold(alias)] = code
    return index


@lru_cache(maxsize=4096)  # a few hundred spellings cover a night's leads
def country_code(value: str | None) -> str | None:
    """ISO alpha-2 for a country written any common way, or None when unknown."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper()
        if code == "UK":
            return "GB"
        return code if pycountry.countries.get(alpha_2=code) else None
    return _index().get(_fold(text))


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else None)
