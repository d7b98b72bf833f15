"""Phone numbers that ``phonenumbers`` accepts, and the ways directories print them.

Why: the pipeline rejects leads whose phone does not validate, so canonical
numbers must be genuinely valid (no 555-01xx fakes); and the same number must
show up in the many spellings real directories use, to exercise normalisation.
"""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from sandbox.geo import City

_FIXED = {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}

# Mobile prefixes (national significant number starts) and the digits that follow.
_MOBILE_PLANS: dict[str, tuple[tuple[str, ...], int]] = {
    "CN": (
        ("135", "136", "137", "138", "139", "150", "151", "158", "159", "186", "187", "188", "189"),
        8,
    ),
    "DE": (("151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "178"), 8),
    "IN": (
        ("98", "99", "97", "96", "94", "93", "91", "90", "88", "87", "70", "80", "81", "89", "63"),
        8,
    ),
    "TR": (
        (
            "530",
            "532",
            "533",
            "535",
            "536",
            "537",
            "538",
            "541",
            "542",
            "543",
            "544",
            "505",
            "506",
            "507",
            "551",
            "552",
            "553",
        ),
        7,
    ),
    "IT": (
        (
            "320",
            "324",
            "327",
            "328",
            "329",
            "330",
            "331",
            "333",
            "334",
            "335",
            "338",
            "339",
            "340",
            "342",
            "345",
            "347",
            "348",
            "349",
            "366",
            "380",
            "388",
            "389",
            "392",
            "393",
        ),
        7,
    ),
    "VN": (
        (
            "90",
            "91",
            "93",
            "94",
            "96",
            "97",
            "98",
            "86",
            "88",
            "89",
            "32",
            "33",
            "34",
            "35",
            "36",
            "37",
            "38",
            "39",
            "70",
            "76",
            "77",
            "78",
            "79",
            "81",
            "82",
            "83",
            "84",
            "85",
        ),
        7,
    ),
    "FR": (("6", "7"), 8),
    "GB": (("74", "75", "77", "78", "79"), 8),
    "AU": (("4",), 8),
    "AE": (("50", "52", "54", "55", "56", "58"), 7),
    "BR": (("119", "219", "419"), 8),
}

_MAX_TRIES = 5000


def _digits(rng: random.Random, n: int, first_min: int = 0) -> str:
    """Random digit string; ``first_min`` avoids leading digits no plan allows."""
    if n <= 0:
        return ""
    return str(rng.randint(first_min, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _accept(country: str, nsn: str, types: set[int]) -> str | None:
    """Return E.164 if ``nsn`` is a valid number of an accepted type, else None."""
    cc = phonenumbers.country_code_for_region(country)
    try:
        num = phonenumbers.parse(f"+{cc}{nsn}")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    if phonenumbers.region_code_for_number(num) != country:
        return None
    if phonenumbers.number_type(num) not in types:
        return None
    return phonenumbers.format_number(num, PhoneNumberFormat.E164)


def _us_local_ok(local: str) -> bool:
    """Reject fictional 555 exchanges and N11 service codes, which look fake."""
    return not (local.startswith("555") or local[1:3] == "11")


def random_landline(rng: random.Random, city: City, area_code: str | None = None) -> str:
    """Return a valid fixed-line E.164 number in ``city`` (optionally a given area code)."""
    for _ in range(_MAX_TRIES):
        area = area_code or rng.choice(city.area_codes)
        local = _digits(rng, rng.choice(city.local_lengths), first_min=2)
        if city.country == "US" and not _us_local_ok(local):
            continue
        e164 = _accept(city.country, area + local, _FIXED)
        if e164 is not None:
            return e164
    raise RuntimeError(f"no valid landline found for {city.name}")


def random_mobile(rng: random.Random, city: City) -> str:
    """Return a valid mobile E.164 number for ``city``'s country.

    US numbers do not distinguish mobiles, so a US mobile is a local number.
    """
    if city.country == "US":
        return random_landline(rng, city)
    prefixes, rest = _MOBILE_PLANS[city.country]
    for _ in range(_MAX_TRIES):
        e164 = _accept(city.country, rng.choice(prefixes) + _digits(rng, rest), _MOBILE)
        if e164 is not None:
            return e164
    raise RuntimeError(f"no valid mobile found for {city.country}")


def random_fax(rng: random.Random, city: City, phone: str) -> str:
    """Return a fax number next to ``phone`` (same area, last digits changed).

    Companies usually get consecutive lines, so a fax close to the main phone is
    the realistic case; falls back to any landline in the same area code.
    """
    num = phonenumbers.parse(phone)
    nsn = phonenumbers.national_significant_number(num)
    for _ in range(50):
        candidate = nsn[:-2] + _digits(rng, 2)
        if candidate == nsn:
            continue
        if city.country == "US" and not _us_local_ok(candidate[3:]):
            continue
        e164 = _accept(city.country, candidate, _FIXED)
        if e164 is not None:
            return e164
    area = nsn[: phonenumbers.length_of_national_destination_code(num)] or None
    return random_landline(rng, city, area)


def is_valid_e164(e164: str) -> bool:
    """True when ``e164`` parses and validates with ``phonenumbers``."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return False


def _parts(e164: str) -> tuple[str, str, str]:
    """Split into (country code, national destination code, subscriber number)."""
    num = phonenumbers.parse(e164)
    nsn = phonenumbers.national_significant_number(num)
    ndc_len = phonenumbers.length_of_national_destination_code(num)
    if ndc_len == 0:
        ndc_len = min(3, len(nsn) - 4)
    return str(num.country_code), nsn[:ndc_len], nsn[ndc_len:]


def _group(subscriber: str, sep: str) -> str:
    """Group a subscriber number the way people write it ("8765 4321", "482-1937")."""
    if len(subscriber) == 7:
        return subscriber[:3] + sep + subscriber[3:]
    half = len(subscriber) // 2
    return subscriber[:half] + sep + subscriber[half:]


def international_variant(rng: random.Random, e164: str, plus_only: bool = False) -> str:
    """Render ``e164`` in one of the international spellings B2B portals show.

    ``plus_only`` keeps the spellings that start with "+", for pages that give
    no other hint of the country code (a buyer's phone on a buying lead).
    """
    cc, ndc, sub = _parts(e164)
    if cc == "1":
        options = [
            f"+1 ({ndc}) {_group(sub, '-')}",
            f"+1-{ndc}-{_group(sub, '-')}",
            f"1-{ndc}-{_group(sub, '-')}",
            f"+1 {ndc} {_group(sub, ' ')}",
            f"+1{ndc}{sub}",
        ]
    else:
        options = [
            f"+{cc}-{ndc}-{_group(sub, ' ')}",
            f"{cc}-{ndc}-{sub}",
            f"+{cc} {ndc} {_group(sub, ' ')}",
            f"00{cc}-{ndc}-{sub}",
            f"+{cc}({ndc}){sub}",
            f"+{cc}-{ndc}-{sub}",
            e164,
        ]
    if plus_only:
        options = [o for o in options if o.startswith("+")]
    elif cc != "1" and _reads_as_national(cc, ndc + sub, e164):
        options.remove(f"{cc}-{ndc}-{sub}")
    return rng.choice(options)


def _reads_as_national(cc: str, nsn: str, e164: str) -> bool:
    """True when "<cc>-<nsn>" without "+" reads as a DIFFERENT valid number of the country.

    German numbers are the usual case: "49-711-2623161" is also the valid
    national number 0497 112623161. Real portals do print that, but no reader
    can tell the two apart, so the sandbox does not.
    """
    region = phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    try:
        other = phonenumbers.parse(cc + nsn, region)
    except phonenumbers.NumberParseException:
        return False
    national_reading = phonenumbers.format_number(other, PhoneNumberFormat.E164)
    return phonenumbers.is_valid_number(other) and national_reading != e164


def us_national_variant(rng: random.Random, e164: str) -> str:
    """Render a US number the way a US yellow-pages site does: no country code."""
    _, ndc, sub = _parts(e164)
    options = [
        (f"({ndc}) {sub[:3]}-{sub[3:]}", 60),
        (f"{ndc}.{sub[:3]}.{sub[3:]}", 25),
        (f"{ndc}-{sub[:3]}-{sub[3:]}", 15),
    ]
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def _pairs(digits: str) -> str:
    """Group digits in twos from the right ("123456" -> "12 34 56"), as Germans write them."""
    head = len(digits) % 2
    groups = ([digits[:head]] if head else []) + [
        digits[i : i + 2] for i in range(head, len(digits), 2)
    ]
    return " ".join(groups)


def cn_national_variant(rng: random.Random, e164: str) -> str:
    """A Chinese number as Chinese sites print it: "0574-87654321", "138 1234 5678"."""
    _, ndc, sub = _parts(e164)
    nsn = ndc + sub
    if nsn.startswith("1") and len(nsn) == 11:  # mobile
        options = [f"{nsn[:3]} {nsn[3:7]} {nsn[7:]}", nsn, f"{nsn[:3]}-{nsn[3:7]}-{nsn[7:]}"]
        return rng.choices(options, weights=[50, 35, 15], k=1)[0]
    options = [f"0{ndc}-{sub}", f"0{ndc}-{_group(sub, ' ')}", f"(0{ndc}){sub}", f"0{ndc} {sub}"]
    return rng.choices(options, weights=[60, 15, 15, 10], k=1)[0]


def de_national_variant(rng: random.Random, e164: str) -> str:
    """A German number without country code: "0711 123456", "(0711) 12 34 56", "0711/123456"."""
    _, ndc, sub = _parts(e164)
    options = [
        (f"0{ndc} {sub}", 35),
        (f"(0{ndc}) {_pairs(sub)}", 25),
        (f"0{ndc}/{sub}", 20),
        (f"0{ndc}-{sub}", 10),
        (f"0{ndc} {_pairs(sub)}", 10),
    ]
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def fr_variant(rng: random.Random, e164: str) -> str:
    """A French number: "01 23 45 67 89", "+33 1 23 45 67 89", "01.23.45.67.89"."""
    nsn = e164[3:]
    pairs = " ".join(nsn[i : i + 2] for i in range(1, 9, 2))
    options = [
        (f"0{nsn[0]} {pairs}", 50),
        (f"+33 {nsn[0]} {pairs}", 25),
        (f"0{nsn[0]}.{pairs.replace(' ', '.')}", 15),
        (f"+33 (0){nsn[0]} {pairs}", 10),
    ]
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def national_variant(rng: random.Random, e164: str, country: str) -> str:
    """The number as a directory of ``country`` prints its own companies' numbers."""
    if country == "CN":
        return cn_national_variant(rng, e164)
    if country == "DE":
        return de_national_variant(rng, e164)
    if country == "FR":
        return fr_variant(rng, e164)
    if country == "US":
        return us_national_variant(rng, e164)
    return international_variant(rng, e164)
