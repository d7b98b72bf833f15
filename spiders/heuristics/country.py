"""Which country a page is from, when nobody said: the default region for its phone numbers.

In order of trust: the domain's country code (acme.co.uk), the country an
address on the page proves (a US state with a ZIP), then the region of the
page's language tag (``<html lang="en-GB">``; CMSs ship "en-gb" as a default,
so it comes last). Generic domains (.com, .io, .co) say nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from pipeline.countries import country_code
from pipeline.normalize import registered_domain

# Country-code domains used as generic ones: they say nothing about where a company is.
GENERIC_CCTLDS = frozenset({"co", "io", "tv", "me", "ai", "fm", "ly", "cc", "ws", "to", "gg", "app", "eu"})


def domain_of(url: str | None) -> str | None:
    """The registered domain of a URL ("https://shop.acme.co.uk/x" -> "acme.co.uk").

    Hosts outside the public suffix list (an IP, "intranet", "bizfinder.example")
    are their own domain, without a leading "www.".
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return registered_domain(host) or host.lower().removeprefix("www.")


def domain_label(url: str | None) -> str | None:
    """The name part of the registered domain: "acme" for shop.acme.co.uk."""
    domain = domain_of(url)
    return domain.split(".", 1)[0] if domain else None


def country_from_url(url: str | None) -> str | None:
    """ISO code of a country-code domain: "acme.co.uk" -> "GB", "acme.com" -> None."""
    domain = domain_of(url)
    if not domain:
        return None
    tld = domain.rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return None
    return "GB" if tld == "uk" else country_code(tld)


def country_from_lang(lang: str | None) -> str | None:
    """The region of a language tag: "en-GB" -> "GB"; "en" alone says nothing."""
    if not lang:
        return None
    parts = lang.replace("_", "-").split("-")
    if len(parts) >= 2 and len(parts[1]) == 2 and parts[1].isalpha():
        return country_code(parts[1])
    return None


# Where a page in a language is likely from, most likely first: the countries whose
# number layouts are tried when nothing else tells the page's country.
LANGUAGE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "CA", "AU", "IE", "NZ", "IN", "ZA", "SG"),
    "de": ("DE", "AT", "CH"), "fr": ("FR", "BE", "CH", "CA", "LU"), "it": ("IT", "CH"),
    "es": ("ES", "MX", "AR", "CO", "CL", "PE"), "pt": ("PT", "BR"), "nl": ("NL", "BE"),
    "zh": ("CN", "TW", "HK", "SG"), "ja": ("JP",), "ko": ("KR",), "ru": ("RU",), "pl": ("PL",),
    "tr": ("TR",), "sv": ("SE",), "da": ("DK",), "nb": ("NO",), "no": ("NO",), "fi": ("FI",),
    "cs": ("CZ",), "vi": ("VN",), "th": ("TH",),
}
DEFAULT_COUNTRIES = ("US", "GB", "CA", "AU", "IE", "IN", "DE", "FR", "IT", "ES", "NL", "CN")


def candidate_countries(lang: str | None) -> list[str]:
    """Countries to try numbers in: the language tag's region first, then its language's countries."""
    regional = country_from_lang(lang)
    primary = (lang or "").replace("_", "-").split("-")[0].lower()
    ordered = [regional] if regional else []
    ordered += LANGUAGE_COUNTRIES.get(primary, DEFAULT_COUNTRIES)
    return list(dict.fromkeys(c for c in ordered if c))


def strong_country(url: str | None, address_countries: Iterable[str | None]) -> str | None:
    """The page's country from what proves it: its domain's country code, else its addresses."""
    from_url = country_from_url(url)
    if from_url:
        return from_url
    counts = Counter(c for c in address_countries if c)
    return counts.most_common(1)[0][0] if counts else None


def infer_country(url: str | None, lang: str | None, address_countries: Iterable[str | None]) -> str | None:
    """The page's country from its domain, its addresses, then its language tag."""
    from_url = country_from_url(url)
    if from_url:
        return from_url
    counts = Counter(c for c in address_countries if c)
    if counts:
        return counts.most_common(1)[0][0]
    return country_from_lang(lang)
