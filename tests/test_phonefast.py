"""phonefast reads simple phone fields exactly as phonenumbers does (tried on every region)."""

from __future__ import annotations

import random

import phonenumbers as pn
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType, phonenumberutil

from pipeline.normalize import format_phone, normalize_phones
from pipeline.phonefast import Parsed, format_e164, format_e164_international, format_e164_of, parse_simple

TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
         PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.UAN, PhoneNumberType.SHARED_COST)


def reference(text: str, region: str | None) -> tuple[str, bool, str] | bool:
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return False
    if not pn.is_valid_number(number):
        return False
    return (pn.format_number(number, PhoneNumberFormat.E164), pn.number_type(number) == PhoneNumberType.MOBILE,
            pn.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def samples() -> list[tuple[str, str | None]]:
    rng = random.Random(7)
    regions = sorted(phonenumberutil.SUPPORTED_REGIONS)
    out: list[tuple[str, str | None]] = []
    for region in regions:
        for kind in TYPES:
            example = pn.example_number_for_type(region, kind)
            if example is None:
                continue
            for fmt in (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164):
                written = pn.format_number(example, fmt)
                out += [(written, region), (written, rng.choice(regions))]
            national = phonenumberutil.national_significant_number(example)
            digits = list(national)
            digits[rng.randrange(len(digits))] = str(rng.randrange(10))
            varied = "".join(digits)
            code = example.country_code
            out += [(f"+{code} {varied}", region), (f"0{varied}", region), (varied, region),
                    (f"00{code} {varied}", region), (f"{code}-{varied}", region), (f"+{code} (0){varied}", region),
                    (f"({varied[:3]}) {varied[3:]}", region), (f"011 {code} {varied}", region)]
    for _ in range(3000):
        digits = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(3, 16)))
        out.append((rng.choice(["", "+", "00", "0", "(", "+0", "011", "+1 ", "1-"]) + digits,
                    rng.choice([*regions, None])))
    return out


def test_same_reading_as_phonenumbers_in_every_region() -> None:
    checked = 0
    for text, region in samples():
        fast = parse_simple(text, region)
        if fast is None:
            continue
        checked += 1
        got = False if fast is False else (fast.e164, fast.is_mobile, format_e164_of(fast))
        assert got == reference(text, region), (text, region)
    assert checked > 5000


@pytest.mark.parametrize(("text", "region"), [
    ("713.482.1937 / 713.482.1938", "US"),    # two numbers: the matcher's
    ("0574 8765 4321 ext. 8", "CN"),          # an extension
    ("Tel: 030 1234567", "DE"),               # words
    ("030/1234567", "DE"),                    # a slash may part two numbers
    ("12 34", None),                          # no region and no "+"
])
def test_other_fields_are_left_to_phonenumbers(text: str, region: str | None) -> None:
    assert parse_simple(text, region) is None


def test_normalize_phones_reads_a_simple_field_whole() -> None:
    [result] = normalize_phones("+49 (0)30 1234 5678", "DE")
    assert result.e164 == "+493012345678"
    assert format_e164_international("+493012345678") == format_phone("+493012345678")
    parsed = parse_simple("(713) 482-1937", "US")
    assert isinstance(parsed, Parsed) and format_e164_of(parsed) == "+1 713-482-1937"


def test_e164_is_formatted_as_phonenumbers_formats_it() -> None:
    checked = 0
    for text, region in samples():
        try:
            number = pn.parse(text, region)
        except pn.NumberParseException:
            continue
        e164 = pn.format_number(number, PhoneNumberFormat.E164)
        fast = format_e164(e164)
        if fast is None:
            continue
        checked += 1
        assert fast == pn.format_number(pn.parse(e164, None), PhoneNumberFormat.INTERNATIONAL), e164
    assert checked > 5000
    assert format_e164("+4930x") is None and format_e164("4930123") is None and format_e164("+") is None
