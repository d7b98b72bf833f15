"""Canonical values for the fields that identify a company.

Pure functions, one per kind of value, each tested by a table in
``tests/test_normalize.py``; :func:`normalize_lead` applies them all to a Lead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import tldextract

from pipeline.cities import canonical_city
from pipeline.countries import country_code
from pipeline.models import Lead
from pipeline.names import clean_text, parse_name, tokens
from pipeline.phonefast import Parsed, format_e164, parse_simple
from pipeline.script import has_cjk, pinyin_of

# Free-mail providers: an address there says nothing about the company's domain.
FREEMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
    "yahoo.co.in", "yahoo.com.cn", "ymail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr",
    "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com",
    "protonmail.com", "proton.me", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de",
    "freenet.de", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "libero.it",
    "virgilio.it", "tiscali.it", "alice.it", "terra.com.br", "uol.com.br", "bol.com.br",
    "yandex.ru", "yandex.com", "mail.ru", "rambler.ru", "163.com", "126.com", "qq.com",
    "foxmail.com", "sina.com", "sina.cn", "sohu.com", "yeah.net", "aliyun.com", "139.com",
    "21cn.com", "tom.com", "rediffmail.com", "naver.com", "daum.net", "hanmail.net",
    "zoho.com", "mail.com", "inbox.com", "comcast.net", "verizon.net", "att.net",
    "sbcglobal.net", "bellsouth.net", "cox.net", "earthlink.net", "btinternet.com",
})

# Mailboxes that reach a department, not a person.
ROLE_MAILBOXES = frozenset({
    "info", "sales", "sale", "contact", "contacts", "office", "admin", "service", "services",
    "support", "export", "exports", "import", "enquiries", "enquiry", "inquiry", "inquiries",
    "hello", "mail", "marketing", "webmaster", "postmaster", "team", "general", "trade",
    "business", "orders", "order", "purchasing", "purchase", "customerservice", "help",
    "kontakt", "vertrieb", "verkauf", "contacto", "ventas", "vendite", "commercial",
    "info-de", "info-fr", "reception", "hr", "jobs", "noreply", "no-reply", "accounts",
})

_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")

_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass(frozen=True)
class PhoneResult:
    """One number found in a phone field: E.164 when libphonenumber accepts it."""

    raw: str
    e164: str | None
    is_mobile: bool = False


def _region(country: str | None) -> str | None:
    return country_code(country) if country else None


def normalize_phones(raw: str | None, country: str | None = None) -> list[PhoneResult]:
    """Every number in a phone field, as E.164 with ``country`` as the default region.

    Directory fields hold "+86-574-8765 4321", "86-574-87654321",
    "(713) 482-1937 / 1938" and "0574 8765 4321 ext. 8". A field that is one
    number in digits and separators is read whole (:mod:`pipeline.phonefast`,
    the same result as ``phonenumbers.parse``, several times faster); otherwise
    the matcher finds numbers in text; a field it cannot read is retried with a "+" in front
    (international numbers written without it) and otherwise kept raw and
    reported invalid rather than silently lost.
    """
    found = read_phone_field(raw, _region(country))
    if isinstance(found, Parsed):
        return [PhoneResult(raw=clean_text(raw) or "", e164=found.e164, is_mobile=found.is_mobile)]
    return found


def read_phone_field(raw: str | None, region: str | None) -> Parsed | list[PhoneResult]:
    """A phone field read with the default region ``region`` (an ISO code or None).

    A field that is one number in digits and separators (most are) comes
    back as phonefast's reading of it, read whole as ``phonenumbers.parse``
    would; anything else as the numbers the matcher finds in its text.
    """
    text = clean_text(raw)
    if not text:
        return []
    simple = parse_simple(text, region)
    if isinstance(simple, Parsed):
        return simple
    return _scan_phones(text, region)


def _scan_phones(text: str, region: str | None) -> list[PhoneResult]:
    results: list[PhoneResult] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.VALID):
        results.append(_result(match.raw_string, match.number))
    if results:
        return results
    digits = re.sub(r"\D", "", text)
    candidates = [text]
    if digits and not text.lstrip().startswith("+"):
        candidates.append("+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return [_result(text, number)]
    return [PhoneResult(raw=text, e164=None)]


def _result(raw: str, number: phonenumbers.PhoneNumber) -> PhoneResult:
    kind = phonenumbers.number_type(number)
    return PhoneResult(
        raw=raw,
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        is_mobile=kind == phonenumbers.PhoneNumberType.MOBILE,
    )


def format_phone(e164: str | None) -> str | None:
    """E.164 to the international form people read and dial: +1 713-482-1937."""
    if not e164:
        return None
    fast = format_e164(e164)
    if fast is not None:
        return fast
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str | None) -> str | None:
    """A lower-cased, syntactically valid address, or None."""
    text = clean_text(raw)
    if not text:
        return None
    text = text.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.split("?", 1)[0].strip().rstrip(".,;").lower()
    return text if _EMAIL.match(text) else None


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[1]


def is_role_email(email: str) -> bool:
    local = email.split("@", 1)[0]
    return local in ROLE_MAILBOXES or local.split(".")[0] in ROLE_MAILBOXES


def is_freemail(domain: str | None) -> bool:
    return bool(domain) and domain in FREEMAIL_DOMAINS


@lru_cache(maxsize=65536)
def registered_domain(url: str | None) -> str | None:
    """The registrable domain of a URL or host ("shop.acme.co.uk/x" -> "acme.co.uk").

    Uses the public suffix list bundled with tldextract: nothing is downloaded.
    """
    text = clean_text(url)
    if not text:
        return None
    text = text.strip().lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    result = _EXTRACTOR(text)
    if not result.domain or not result.suffix:
        return None
    return f"{result.domain}.{result.suffix}"


def normalize_website(raw: str | None) -> str | None:
    """A URL a browser opens: scheme added when missing, whitespace removed."""
    return website_and_domain(raw)[0]


_HTTP = re.compile(r"^https?://", re.I)


def website_and_domain(raw: str | None) -> tuple[str | None, str | None]:
    """:func:`normalize_website` and the registered domain of that URL, reading the host once.

    "acme.com/contact" and "http://acme.com/contact" have the same host
    unless the text names another scheme ("ftp://...") or a user ("x@host"):
    then the domain is read again from the URL as written out.
    """
    text = clean_text(raw)
    if not text:
        return None, None
    domain = registered_domain(text)
    if domain is None:
        return None, None
    text = text.strip()
    if _HTTP.match(text):
        return text, registered_domain(text)
    website = "http://" + text.lstrip("/")
    if "://" in text or "@" in text or text.startswith("/"):
        return website, registered_domain(website)
    return website, domain


_POSTCODE_RULES: dict[str, re.Pattern[str]] = {
    "US": re.compile(r"^(\d{5})(?:-?\d{4})?$"),
    "DE": re.compile(r"^(\d{5})$"),
    "FR": re.compile(r"^(\d{5})$"),
    "IT": re.compile(r"^(\d{5})$"),
    "ES": re.compile(r"^(\d{5})$"),
    "TR": re.compile(r"^(\d{5})$"),
    "CN": re.compile(r"^(\d{6})$"),
    "IN": re.compile(r"^(\d{6})$"),
    "VN": re.compile(r"^(\d{5,6})$"),
}


# Postcodes written with a space or a dash in their country, and as often without one: read
# without separators, written back in the usual form, so "1040GL" and "1040 GL" are one place.
_POSTCODE_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "NL": (re.compile(r"^(\d{4})([A-Z]{2})$"), r"\1 \2"),
    "CA": (re.compile(r"^([A-Z]\d[A-Z])(\d[A-Z]\d)$"), r"\1 \2"),
    "SE": (re.compile(r"^(\d{3})(\d{2})$"), r"\1 \2"),
    "CZ": (re.compile(r"^(\d{3})(\d{2})$"), r"\1 \2"),
    "SK": (re.compile(r"^(\d{3})(\d{2})$"), r"\1 \2"),
    "GR": (re.compile(r"^(\d{3})(\d{2})$"), r"\1 \2"),
    "IE": (re.compile(r"^([A-Z]\d{2}|D6W)([0-9ACDEFHKNPRTVWXY]{4})$"), r"\1 \2"),
    "BR": (re.compile(r"^(\d{5})(\d{3})$"), r"\1-\2"),
    "PL": (re.compile(r"^(\d{2})(\d{3})$"), r"\1-\2"),
    "PT": (re.compile(r"^(\d{4})(\d{3})$"), r"\1-\2"),
    "JP": (re.compile(r"^(\d{3})(\d{4})$"), r"\1-\2"),
}
_SEPARATORS = re.compile(r"[\s-]+")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{1,3}\s*[-\u2010-\u2015]\s*(?=\d)")  # "NL-1040 GL", "S-211 20", "D-10115"
_NOT_ALNUM = re.compile(r"[\W_]+")


def postcode_key(postcode: str | None) -> str | None:
    """A normalised postcode as matching compares it: its letters and digits only, without a
    country prefix, so "602 00" and "60200", "S-211 20" and "211 20", "30–001" and "30-001" meet
    in the countries whose format the pipeline does not know. It also reads postcodes stored
    before a format was learnt ("1040GL") as today's ("1040 GL"), and placeholders as none."""
    if not postcode:
        return None
    key = _NOT_ALNUM.sub("", _COUNTRY_PREFIX.sub("", postcode.upper()))
    return key if key.strip("0") and any(ch.isdigit() for ch in key) else None


def normalize_postcode(raw: str | None, country: str | None = None) -> str | None:
    """Postcode in its country's usual form; US ZIP+4 cut to the five-digit ZIP.

    Postcodes decide places in matching (another postcode on another street is
    a branch), so one postcode must come out the same however it was typed.
    """
    text = clean_text(raw)
    if not text:
        return None
    text = text.upper().strip(" ,.")
    if not any(ch.isdigit() for ch in text) or not _SEPARATORS.sub("", text).strip("0"):
        return None  # "-", "N/A", "00000": a form's placeholder, not a place
    code = country_code(country) if country else None
    if code == "GB":
        compact = text.replace(" ", "")
        return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else compact
    rule = _POSTCODE_RULES.get(code or "")
    if rule:
        match = rule.match(text.replace(" ", ""))
        if match:
            return match.group(1)
    written = _POSTCODE_FORMATS.get(code or "")
    if written:
        match = written[0].match(_SEPARATORS.sub("", text))
        if match:
            return match.expand(written[1])
    return text


@lru_cache(maxsize=1 << 16)  # a night's leads come from a few thousand cities
def city_key(city: str | None, country: str | None = None) -> str | None:
    """The city as matching compares it: folded (:func:`city_fold`), under its GeoNames name.

    "München", "Muenchen" and "Munich" meet, and so do "Bombay" and "Mumbai"
    (:mod:`pipeline.cities`); the record's country says which city a name
    means, without one only names that mean one city everywhere are read.
    """
    folded = city_fold(city)
    return canonical_city(folded, country) if folded else None


@lru_cache(maxsize=1 << 16)
def city_fold(city: str | None) -> str | None:
    """City folded as written: "São Paulo" and "SAO PAULO" meet; "Shenzhen City" too,
    and "宁波市" meets "Ningbo" (Chinese city names are read in pinyin).

    The store writes a company's place keys under this folding and under
    :func:`city_key`'s name, so a key stays valid whatever the alias table learns.
    """
    text = clean_text(city)
    if not text:
        return None
    if has_cjk(text):
        return pinyin_of(text.removesuffix("市").strip()) or None
    if not text.isascii():
        text = _strip_accents(text)
    toks = [t for t in tokens(text) if t not in ("city", "shi")]
    return " ".join(toks).removesuffix("市") or None


_STREET_WORDS = {
    "street": "st", "str": "st", "strasse": "st", "straße": "st", "road": "rd", "avenue": "ave",
    "av": "ave", "boulevard": "blvd", "drive": "dr", "lane": "ln", "court": "ct", "place": "pl",
    "suite": "ste", "floor": "fl", "building": "bldg", "north": "n", "south": "s", "east": "e",
    "west": "w", "number": "no", "nr": "no", "highway": "hwy", "parkway": "pkwy", "district": "dist",
}


def street_key(street: str | None) -> str | None:
    """Street folded for comparison: "1200 Main Street, Suite 4" meets "1200 MAIN ST STE 4"."""
    text = clean_text(street)
    if not text:
        return None
    if not text.isascii():
        text = _strip_accents(text)
    text = _STRASSE.sub(r" \1", text)  # Königstraße -> König straße
    return " ".join(_STREET_WORDS.get(t, t) for t in tokens(text)) or None


_STRASSE = re.compile(r"(?i)(stra(?:ss|ß)e)\b")


def _strip_accents(text: str) -> str:
    """"São" -> "Sao": decomposed, combining marks dropped (ASCII text has none)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_lead(lead: Lead, default_country: str | None = None) -> Lead:
    """A copy of ``lead`` with canonical values and matching keys filled in.

    The site's country is the default region for phone numbers and the
    fallback country; invalid numbers are kept in ``invalid_phones`` and
    flagged, never dropped silently.
    """
    flags: list[str] = []
    country = country_code(lead.country) or (country_code(default_country) if default_country else None)
    if lead.country and not country_code(lead.country):
        flags.append(f"unknown_country:{lead.country}")
    parsed = parse_name(lead.name)

    def phones_of(values: list[str]) -> tuple[list[str], list[str], list[str]]:
        good, mobile, bad = [], [], []
        for value in values:
            for result in normalize_phones(value, country):
                if result.e164 is None:
                    bad.append(result.raw)
                elif result.is_mobile:
                    mobile.append(result.e164)
                else:
                    good.append(result.e164)
        return good, mobile, bad

    phones, mobiles_from_phones, bad_phones = phones_of(lead.phones)
    mob_fixed, mobiles, bad_mobiles = phones_of(lead.mobiles)
    fax_fixed, fax_mobile, bad_faxes = phones_of(lead.faxes)
    invalid = bad_phones + bad_mobiles + bad_faxes
    if invalid:
        flags.append("invalid_phone")

    emails = [e for e in (normalize_email(v) for v in lead.emails) if e]
    if len(emails) < len([v for v in lead.emails if clean_text(v)]):
        flags.append("invalid_email")

    website, domain = website_and_domain(lead.website)
    if domain and is_freemail(domain):
        domain = None

    return lead.model_copy(update={
        "name": parsed.display,
        "legal_form": clean_text(lead.legal_form) or parsed.legal_form,
        "name_key": parsed.key or None,
        "contact_name": clean_text(lead.contact_name),
        "contact_title": clean_text(lead.contact_title),
        "phones": _unique(phones + mob_fixed),
        "mobiles": _unique(mobiles_from_phones + mobiles),
        "faxes": _unique(fax_fixed + fax_mobile),
        "emails": _unique(emails),
        "website": website,
        "domain": domain,
        "street": clean_text(lead.street),
        "city": clean_text(lead.city),
        "region": clean_text(lead.region),
        "postcode": normalize_postcode(lead.postcode, country),
        "country": country,
        "business_type": clean_text(lead.business_type),
        "main_products": _unique([p for p in (clean_text(x) for x in lead.main_products) if p]),
        "employees": clean_text(lead.employees),
        "invalid_phones": _unique(invalid),
        "flags": _unique(lead.flags + flags),
    })


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
