"""phonevec reads many phone fields at once exactly as parse_simple reads them one by one."""

from __future__ import annotations

import random

from phonenumbers import phonenumberutil

from pipeline.phonefast import Parsed, format_e164_of, parse_simple
from pipeline.phonevec import read_many
from tests.test_phonefast import samples


def _compare(fields: list[tuple[str, str | None]]) -> int:
    answered = 0
    many = read_many([t for t, _ in fields], [r for _, r in fields])
    for k, (text, region) in enumerate(fields):
        if not many.answered[k]:
            assert many.e164[k] is None and many.written[k] is None
            continue
        answered += 1
        expected = parse_simple(text, region)
        assert isinstance(expected, Parsed), (text, region)
        assert (many.e164[k], bool(many.mobile[k])) == (expected.e164, expected.is_mobile), (text, region)
        assert many.written[k] == (None if expected.is_mobile else format_e164_of(expected)), (text, region)
    return answered


def test_same_numbers_as_parse_simple_in_every_region() -> None:
    fields = samples()
    answered = _compare(fields)
    # most fields of the corpus hold a valid number it can read; the rest go to parse_simple
    valid = sum(isinstance(parse_simple(t, r), Parsed) for t, r in fields)
    assert answered > 0.6 * valid


def test_numbers_as_directories_write_them() -> None:
    rng = random.Random(3)
    regions = sorted(phonenumberutil.SUPPORTED_REGIONS)
    fields = []
    for _ in range(20000):
        region = rng.choice(regions)
        code = phonenumberutil.country_code_for_region(region)
        national = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(6, 12)))
        style = rng.randrange(6)
        text = [f"+{code} {national}", f"0{national}", national, f"00{code} {national}",
                f"({national[:3]}) {national[3:6]}-{national[6:]}", f"+{code} (0) {national}"][style]
        fields.append((text, rng.choice([region, region, None])))
    valid = sum(isinstance(parse_simple(t, r), Parsed) for t, r in fields)
    assert valid > 500 and _compare(fields) > 0.6 * valid


def test_fields_it_is_not_sure_of_are_left_to_parse_simple() -> None:
    fields = [("713.482.1937 / 713.482.1938", "US"), ("0574 8765 4321 ext. 8", "CN"), ("Tel: 030 1234567", "DE"),
              (" 030 1234567", "DE"), ("030  1234567", "DE"), ("12 34", None),
              ("+0 123 4567", "DE"), ("", "DE"), ("030 12345", "XX"), ("11 2345 6789", "BR")]
    assert not read_many([t for t, _ in fields], [r for _, r in fields]).answered.any()
    one = read_many(["(713) 482-1937", "+44 20 7946 0958", "86-574-87654321"], ["US", "", "CN"])
    assert one.e164 == ["+17134821937", "+442079460958", "+8657487654321"]
    assert one.written == ["+1 713-482-1937", "+44 20 7946 0958", "+86 574 8765 4321"]
    assert not read_many([], []).answered.any()
