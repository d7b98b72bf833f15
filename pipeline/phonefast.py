"""Phone fields of the usual shape, read the way ``phonenumbers.parse`` reads them, several times faster.

``phonenumbers.parse`` spends most of its time finding a number in free text
(regular expressions for extensions, vanity letters, RFC 3966, second
numbers) and ``is_valid_number``/``number_type`` each test every number type
again. A directory's or a CRM's phone field is nearly always digits with
spaces, dashes, dots, brackets and maybe a leading "+", where that scanning
finds nothing to do. For such a field :func:`parse_simple` takes the digits
and follows ``parse`` step by step from there (international prefix, the
default region's country code, the national prefix, the length checks), using
phonenumbers' own metadata and helpers, then finds the number's type with one
regular expression per region and length. Anything else (letters, an
extension, two numbers, no region) is left to phonenumbers: ``None``.

``tests/test_phonefast.py`` compares it with phonenumbers on numbers of many
regions in many writings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers import phonenumberutil as pnu
from phonenumbers.phonemetadata import PhoneMetadata

# A "+" (only first), digits and the separators people type; at least one digit.
_SIMPLE = re.compile(r"[( ]*\+?[0-9 ().\-]*[0-9][0-9 ().\-]*")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NON_MATCHING = re.compile("NonMatch")


class Parsed(NamedTuple):
    """A valid number: E.164, whether phonenumbers calls it a mobile, its country code and national number."""

    e164: str
    is_mobile: bool
    country_code: int
    national: str


class _Unreadable(Exception):
    """phonenumbers.parse would raise NumberParseException."""


_STRIP_REFUSED = (pnu.ValidationResult.TOO_SHORT, pnu.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                  pnu.ValidationResult.INVALID_LENGTH)
_MIN_NSN, _MAX_NSN = pnu._MIN_LENGTH_FOR_NSN, pnu._MAX_LENGTH_FOR_NSN


class _Plan:
    """One region's (or calling code's) metadata, compiled once for the steps of ``parse``."""

    __slots__ = ("metadata", "country_code", "code_text", "idd", "prefix", "transform", "general",
                 "general_lengths", "strip_lengths", "too_long", "types", "mobile", "mobile_lengths",
                 "leading_digits", "formats", "format_key", "chosen")

    def __init__(self, metadata: PhoneMetadata):
        self.metadata = metadata
        self.country_code = metadata.country_code
        self.code_text = str(metadata.country_code)
        idd = metadata.international_prefix
        self.idd = re.compile(idd) if idd is not None else _NON_MATCHING
        prefix = metadata.national_prefix_for_parsing
        self.prefix = re.compile(prefix) if prefix else None
        self.transform = metadata.national_prefix_transform_rule or None
        general = metadata.general_desc
        pattern = general.national_number_pattern if general is not None else None
        self.general = re.compile(pattern) if pattern else None
        self.general_lengths = frozenset(general.possible_length) if general is not None else frozenset()
        lengths = range(0, _MAX_NSN + 260)
        checks = {n: pnu._test_number_length("0" * n, metadata) for n in range(0, _MAX_NSN + 2)}
        self.strip_lengths = frozenset(n for n, c in checks.items() if c not in _STRIP_REFUSED)
        self.too_long = frozenset(n for n in lengths if checks.get(n, pnu.ValidationResult.TOO_LONG)
                                  == pnu.ValidationResult.TOO_LONG)
        self.types: dict[int, tuple[re.Pattern[str] | None, tuple[str, ...]]] = {}
        mobile = metadata.mobile
        self.mobile = (re.compile(mobile.national_number_pattern)
                       if not metadata.same_mobile_and_fixed_line_pattern and mobile is not None
                       and mobile.national_number_pattern else None)
        self.mobile_lengths = frozenset(mobile.possible_length) if mobile is not None else frozenset()
        self.leading_digits = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
        formats = metadata.intl_number_format if len(metadata.intl_number_format) else metadata.number_format
        self.formats = tuple(
            (re.compile(f.leading_digits_pattern[-1]) if len(f.leading_digits_pattern) else None,
             re.compile(f.pattern), f.format) for f in formats)
        self.format_key = _format_key_width(formats)
        self.chosen: dict[tuple[int, str], tuple[str | tuple[int, int], ...] | None] = {}

    def matches(self, number: str) -> bool:
        """``_match_national_number(number, general_desc, False)``."""
        return self.general is not None and self.general.fullmatch(number) is not None

    def strip_national_prefix(self, number: str) -> str:
        """The number ``_maybe_strip_national_prefix_carrier_code`` leaves (0 in Germany, 1 in the US...)."""
        if not number or self.prefix is None:
            return number
        match = self.prefix.match(number)
        if not match:
            return number
        viable_original = self.matches(number)
        groups = match.groups()
        if not self.transform or groups[len(groups) - 1] is None:
            if viable_original and not self.matches(number[match.end():]):
                return number
            return number[match.end():]
        transformed = re.sub(self.prefix, self.transform, number, count=1)
        if viable_original and not self.matches(transformed):
            return number
        return transformed

    def kind(self, national: str) -> int:
        """``_number_type_helper``, as far as it tells unknown, mobile and the other types apart.

        FIXED_LINE stands for fixed line and FIXED_LINE_OR_MOBILE alike:
        callers ask only "valid?" and "mobile?".
        """
        length = len(national)
        if self.general is None or (self.general_lengths and length not in self.general_lengths):
            return PhoneNumberType.UNKNOWN
        if self.general.fullmatch(national) is None:
            return PhoneNumberType.UNKNOWN
        found = self.types.get(length)
        if found is None:
            found = self.types[length] = _type_alternation(self.metadata, length)
        pattern, names = found
        if pattern is not None:
            match = pattern.fullmatch(national)
            if match is not None:
                for name in names:
                    if match.group(name) is not None:
                        return _TYPE_OF[name]
        if (self.mobile is not None and (not self.mobile_lengths or length in self.mobile_lengths)
                and self.mobile.fullmatch(national) is not None):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN

    def format(self, national: str) -> str:
        """``_format_nsn(national, metadata, INTERNATIONAL)``.

        Where every format's pattern is groups of digits (it depends on the
        length only) and every leading-digits pattern reads a bounded prefix,
        the format chosen for a length and prefix is remembered.
        """
        if self.format_key is None:
            chosen = self._choose(national)
            return national if chosen is None else chosen[0].sub(chosen[1], national)
        key = (len(national), national[:self.format_key])
        try:
            pieces = self.chosen[key]
        except KeyError:
            chosen = self._choose(national)
            pieces = _pieces(national, chosen)
            if pieces is False:  # a rule this reading cannot follow: format every number afresh
                self.format_key = None
                return national if chosen is None else chosen[0].sub(chosen[1], national)
            self.chosen[key] = pieces
        if pieces is None:
            return national
        return "".join(p if type(p) is str else national[p[0]:p[1]] for p in pieces)

    def _choose(self, national: str) -> tuple[re.Pattern[str], str] | None:
        for leading, pattern, rule in self.formats:
            if leading is not None and not leading.match(national):
                continue
            if pattern.fullmatch(national):
                return pattern, rule
        return None


_DIGIT_GROUPS = re.compile(r"(?:\(\\d(?:\{\d+(?:,\d+)?\})?\))+")
_LOOKS_AROUND = re.compile(r"\(\?[=!<]|\$|\\b")
_MAX_KEY = 12


def _format_key_width(formats: Sequence[Any]) -> int | None:
    """How many leading digits decide the format, if the choice depends on those and the length only."""
    width = 0
    for f in formats:
        if not _DIGIT_GROUPS.fullmatch(f.pattern):
            return None
        for leading in f.leading_digits_pattern:
            if _LOOKS_AROUND.search(leading):
                return None
            widest = sre_parse.parse(leading).getwidth()[1]
            if widest > _MAX_KEY:
                return None
            width = max(width, widest)
    return width


_GROUP_REFERENCE = re.compile(r"\\(\d)")


def _pieces(national: str, chosen: tuple[re.Pattern[str], str] | None
            ) -> tuple[str | tuple[int, int], ...] | None | bool:
    """A formatting rule as text and digit spans: with digit groups only, the spans depend on the length.

    None when no format applies; False when the rule is not plain group references and text.
    """
    if chosen is None:
        return None
    pattern, rule = chosen
    match = pattern.fullmatch(national)
    assert match is not None
    pieces: list[str | tuple[int, int]] = []
    at = 0
    for ref in _GROUP_REFERENCE.finditer(rule):
        if ref.start() > at:
            pieces.append(rule[at:ref.start()])
        pieces.append(match.span(int(ref.group(1))))
        at = ref.end()
    if at < len(rule):
        pieces.append(rule[at:])
    formatted = "".join(p if isinstance(p, str) else national[p[0]:p[1]] for p in pieces)
    if formatted != pattern.sub(rule, national):
        return False
    return tuple(pieces)


_PLANS_BY_REGION: dict[str, _Plan | None] = {}
_PLANS_BY_CODE: dict[int, _Plan] = {}
_PLANS_BY_CODE_REGION: dict[tuple[int, str], _Plan | None] = {}


def _region_plan(region: str) -> _Plan | None:
    try:
        return _PLANS_BY_REGION[region]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        plan = _PLANS_BY_REGION[region] = _Plan(metadata) if metadata is not None else None
        return plan


def _code_plan(country_code: int) -> _Plan:
    """The metadata parse() and format_number() use for a calling code (the main region's)."""
    try:
        return _PLANS_BY_CODE[country_code]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(
            country_code, pnu.region_code_for_country_code(country_code))
        assert metadata is not None
        plan = _PLANS_BY_CODE[country_code] = _Plan(metadata)
        return plan


def _code_region_plan(country_code: int, region: str) -> _Plan | None:
    key = (country_code, region)
    try:
        return _PLANS_BY_CODE_REGION[key]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
        plan = _PLANS_BY_CODE_REGION[key] = _Plan(metadata) if metadata is not None else None
        return plan


def parse_simple(text: str, region: str | None) -> Parsed | None | bool:
    """The valid number a simple phone field holds, ``False`` when it holds none, ``None`` when not simple.

    ``region`` is the ISO code of the default region (None: only "+" numbers
    are readable). Equal to ``phonenumbers.parse`` followed by
    ``is_valid_number`` and ``number_type`` on every input it answers.
    """
    if not _SIMPLE.fullmatch(text):
        return None
    plus = text.lstrip("( ").startswith("+")
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 3 or len(digits) > 250:
        return None
    plan = _region_plan(region) if region else None
    if plan is None and not plus:
        return None  # parse() refuses it; the caller's fallbacks decide
    try:
        return _parse_digits(digits, plus, plan)
    except _Unreadable:
        return False


def _parse_digits(digits: str, plus: bool, plan: _Plan | None) -> Parsed | bool:
    country_code, national = _extract_country_code(digits, plus, plan)
    if country_code:
        plan = _code_plan(country_code)
    else:
        national = digits
        assert plan is not None
        country_code = plan.country_code
    if len(national) < _MIN_NSN:
        raise _Unreadable
    potential = plan.strip_national_prefix(national)
    if len(potential) in plan.strip_lengths:
        national = potential
    if len(national) < _MIN_NSN or len(national) > _MAX_NSN:
        raise _Unreadable
    # PhoneNumber keeps the national number as an int plus its leading zeros: the same digits again
    if national[0] == "0" or not national.isdigit():
        national = _national_significant(national)
    number_plan = _number_plan(country_code, national)
    if number_plan is None:
        return False
    kind = number_plan.kind(national)
    if kind == PhoneNumberType.UNKNOWN:
        return False
    return Parsed(f"+{country_code}{national}", kind == PhoneNumberType.MOBILE, country_code, national)


def _national_significant(national: str) -> str:
    if len(national) > 1 and national[0] == "0":
        zeros = 1
        while zeros < len(national) - 1 and national[zeros] == "0":
            zeros += 1
        return "0" * zeros + str(int(national))
    return str(int(national))


def _extract_country_code(digits: str, plus: bool, plan: _Plan | None) -> tuple[int, str]:
    """``_maybe_extract_country_code`` (with parse()'s retry without the "+") on a digits-only number."""
    if plus:
        try:
            return _after_international_prefix(digits)
        except _Unreadable as unreadable:
            if len(digits) <= _MIN_NSN:
                raise
            # parse() retries without the "+": IDD, then the default region's code
            country_code, national = _national_country_code(digits, plan)
            if country_code == 0:
                raise _Unreadable from unreadable
            return country_code, national
    return _national_country_code(digits, plan)


def _after_international_prefix(digits: str) -> tuple[int, str]:
    if len(digits) <= _MIN_NSN:
        raise _Unreadable
    country_code, rest = pnu._extract_country_code(digits)
    if country_code == 0:
        raise _Unreadable
    return country_code, rest


def _national_country_code(digits: str, plan: _Plan | None) -> tuple[int, str]:
    if plan is None:
        return 0, ""
    match = plan.idd.match(digits)
    if match and not digits[match.end():match.end() + 1] == "0":
        return _after_international_prefix(digits[match.end():])
    if digits.startswith(plan.code_text):
        potential = plan.strip_national_prefix(digits[len(plan.code_text):])
        if (not plan.matches(digits) and plan.matches(potential)) or len(digits) in plan.too_long:
            return plan.country_code, potential
    return 0, ""


def _number_plan(country_code: int, national: str) -> _Plan | None:
    """The plan of ``region_code_for_number``: the code's only region, or the first its numbers fit."""
    regions = pnu.COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not regions:
        return None
    if len(regions) == 1:
        return _code_region_plan(country_code, regions[0])
    for region in regions:
        plan = _region_plan(region)
        if plan is None:
            continue
        if plan.leading_digits is not None:
            if plan.leading_digits.match(national):
                return _code_region_plan(country_code, region)
        elif plan.kind(national) != PhoneNumberType.UNKNOWN:
            return _code_region_plan(country_code, region)
    return None


_SPECIAL_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
                  "voicemail", "fixed_line")
_TYPE_OF = {"premium_rate": PhoneNumberType.PREMIUM_RATE, "toll_free": PhoneNumberType.TOLL_FREE,
            "shared_cost": PhoneNumberType.SHARED_COST, "voip": PhoneNumberType.VOIP,
            "personal_number": PhoneNumberType.PERSONAL_NUMBER, "pager": PhoneNumberType.PAGER,
            "uan": PhoneNumberType.UAN, "voicemail": PhoneNumberType.VOICEMAIL,
            "fixed_line": PhoneNumberType.FIXED_LINE}


def _fits(desc: object, length: int) -> bool:
    """Whether a PhoneNumberDesc can match a number of this length at all (``_is_number_matching_desc``)."""
    if desc is None or not getattr(desc, "national_number_pattern", None):
        return False
    lengths = desc.possible_length  # type: ignore[attr-defined]
    return not lengths or length in lengths


def _type_alternation(metadata: PhoneMetadata, length: int) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One alternation of the special types and fixed line that fit ``length``, in phonenumbers' order."""
    names = tuple(t for t in _SPECIAL_TYPES if _fits(getattr(metadata, t), length))
    if not names:
        return None, ()
    pattern = "|".join(f"(?P<{t}>{getattr(metadata, t).national_number_pattern})" for t in names)
    return re.compile(pattern), names


def format_international(parsed: Parsed) -> str:
    """``format_number(number, INTERNATIONAL)`` of a number read here: +1 713-482-1937."""
    return f"+{parsed.country_code} {_code_plan(parsed.country_code).format(parsed.national)}"


def format_e164_of(parsed: Parsed) -> str:
    """What ``format_phone(parsed.e164)`` returns, without reading the E.164 string again.

    Reading "+<code><national>" gives the same number back unless the
    national number itself starts with what looks like a national prefix;
    only then is it read again.
    """
    plan = _code_plan(parsed.country_code)
    if plan.strip_national_prefix(parsed.national) == parsed.national:
        return f"+{parsed.country_code} {plan.format(parsed.national)}"
    again = parse_simple(parsed.e164, None)
    if isinstance(again, Parsed):
        return format_international(again)
    from phonenumbers import NumberParseException, format_number, parse

    try:
        return format_number(parse(parsed.e164, None), PhoneNumberFormat.INTERNATIONAL)
    except NumberParseException:
        return parsed.e164


def format_e164_international(e164: str) -> str | None:
    """The international form of an E.164 string, as ``format_phone`` writes it; None when unreadable."""
    parsed = parse_simple(e164, None)
    if not isinstance(parsed, Parsed):
        return None
    return format_international(parsed)


def format_e164(e164: str) -> str | None:
    """``format_phone`` of an E.164 string ("+17134824937") without reading it as free text.

    The calling code is the first one to three digits that name one, as
    ``phonenumbers.parse`` finds it; the rest is the national number. None
    when the string is not "+" and digits, or the code is unknown: the caller
    asks phonenumbers then. An export formats every phone of every row, so
    this runs a hundred thousand times a night.
    """
    digits = e164[1:]
    if not e164.startswith("+") or not digits.isdigit() or not digits.isascii():
        return None
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in pnu.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            if len(national) < 2:
                return None
            return format_e164_of(Parsed(e164, False, code, national))
    return None
