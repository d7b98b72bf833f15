"""Phone, mobile and fax numbers in page text, told apart by the label written before them.

libphonenumber's matcher finds the numbers (it knows every country's
lengths and prefixes, so order numbers and dates are not taken); the only
thing it cannot know is what a number is *for*. That is the label before it
on the same line ("Fax: ...", "T. ... F. ..."), or on the line above when the
number stands alone under a "Telefax" heading, in the languages directories
are written in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers

Kind = Literal["phone", "mobile", "fax"]

# The last label before a number decides its kind. Letters-only labels ("F", "T", "M")
# count only when followed by ":" or "." so initials in names are not labels.
_LABELS: list[tuple[Kind, str]] = [
    ("fax", r"tele-?fax|fax|facsimile|facs[ií]mil|t[ée]l[ée]copieur|t[ée]l[ée]copie|t[ée]l[ée]c\.|"
            r"传真|傳真|ファックス|ファクス|факс|faks|φαξ"),
    ("fax", r"(?<![^\W\d_])(?:f|fx)\s*[:.](?!\w\w)"),
    ("mobile", r"mobile?|mob\.?|cell(?:ular)?|cell\s*phone|handy|portable|m[óo]vil|celular|cellulare|"
               r"手机|手機|携帯|моб|gsm|natel|whats\s*app"),
    ("mobile", r"(?<![^\W\d_])m\s*[:.](?!\w\w)"),
    ("phone", r"tele?phone|t[ée]l[ée]phone|telefon[oa]?|tel[ée]fono|phone|tel|ph|fon|call|"
              r"toll[\s-]*free|freephone|hotline|office|main|direct|switchboard|"
              r"电话|電話|座机|тел|τηλ|téléc?"),
    ("phone", r"(?<![^\W\d_])(?:t|p)\s*[:.](?!\w\w)"),
]
_LABEL_RE = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_LABELS)),
    re.IGNORECASE,
)
# Word labels must not be the inside of a longer word ("office" in "officer" is fine to miss,
# "tel" in "hotel" is not fine to take).
_WORDISH = re.compile(r"^[^\W\d_]+$")
# Both kinds in one label ("Tel/Fax", "Phone & Fax") are a shared line: a phone.
_SHARED = re.compile(r"(?:tel|phone)\w*\s*(?:/|&|and|\+|or)\s*fax|fax\s*(?:/|&|and|\+|or)\s*(?:tel|phone)",
                     re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_NANP_LAYOUT = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s*|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)")


@dataclass(frozen=True)
class FoundPhone:
    """A number as written on the page, its E.164 form and what it is for."""

    raw: str
    e164: str
    kind: Kind
    method: str  # "text" or "tel" (a tel: link)
    line: int


def label_kind(text: str) -> Kind | None:
    """The kind named by the last label in ``text`` (the words between two numbers)."""
    if _SHARED.search(text):
        return "phone"
    kind: Kind | None = None
    for match in _LABEL_RE.finditer(text):
        if not _whole_word(text, match.start(), match.end()):
            continue
        name = match.lastgroup or ""
        kind = "fax" if name.startswith("fax") else "mobile" if name.startswith("mobile") else "phone"
    return kind


def _whole_word(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    if not _WORDISH.match(word.rstrip(".").replace(" ", "")) or not word.isascii():
        return True  # punctuation-bearing or CJK labels carry their own boundaries
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()


def looks_nanp(text: str) -> bool:
    """Whether text holds a number laid out the North American way: (561) 213-6580, 909.598.0787."""
    return bool(_NANP_LAYOUT.search(text))


def find_phones(lines: list[str], region: str | None) -> list[FoundPhone]:
    """Every valid number in the lines, in page order, with its kind from its label.

    ``region`` is the default country for numbers written without "+";
    without one only international numbers are read.
    """
    found: list[FoundPhone] = []
    previous_kind: Kind | None = None
    for index, line in enumerate(lines):
        if len(_DIGITS.findall(line)) < 7:
            previous_kind = label_kind(line) if len(line) <= 40 else None
            continue
        cursor = 0
        line_kind: Kind | None = None
        for match in _matches(line, region):
            window = line[cursor:match.start]
            kind = label_kind(window)
            if kind is None and cursor == 0 and not window.strip(" :|-–.()"):
                kind = previous_kind  # the label stands alone on the line above
            if kind is None:
                kind = line_kind  # "Fax: 555 1234 / 555 1235" - a second number keeps the label
            elif cursor:
                line_kind = kind
            else:
                line_kind = kind
            found.append(_found(match.raw_string, match.number, kind, "text", index))
            cursor = match.end
        previous_kind = None
    return found


def phone_from_link(href: str, text: str, context: str, region: str | None, line: int) -> FoundPhone | None:
    """The number of a ``tel:`` link; its kind from the link text or the words before it."""
    number_text = re.sub(r"^(?:tel|callto|sms):(//)?", "", href.strip(), flags=re.I)
    number_text = re.sub(r"%20|%2B", lambda m: "+" if m.group(0).upper() == "%2B" else " ", number_text)
    try:
        number = phonenumbers.parse(number_text, region or "ZZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    kind = label_kind(text) or label_kind(context)
    return _found(number_text, number, kind, "tel", line)


def _matches(line: str, region: str | None) -> list[phonenumbers.PhoneNumberMatch]:
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(line, region or "ZZ",
                                                       leniency=phonenumbers.Leniency.VALID))
        if not region and not matches and looks_nanp(line):
            # No country known, but the layout is North American: read it as such.
            matches = list(phonenumbers.PhoneNumberMatcher(line, "US", leniency=phonenumbers.Leniency.VALID))
    except Exception:  # noqa: BLE001 - the matcher must never take a page down
        return []
    return matches


def _found(raw: str, number: phonenumbers.PhoneNumber, kind: Kind | None, method: str, line: int) -> FoundPhone:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind is None or kind == "phone":
        is_mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        kind = "mobile" if is_mobile else "phone"
    return FoundPhone(raw=raw.strip(), e164=e164, kind=kind, method=method, line=line)
