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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import phonenumbers

Kind = Literal["phone", "mobile", "fax"]

# The last label before a number decides its kind. Letters-only labels ("F", "T", "M")
# count only when followed by ":" or "." so initials in names are not labels.
_LABELS: list[tuple[Kind, str]] = [
    ("fax", (r"tele-?fax|e-?fax|fax|facsimile|facs[ií]mil|t[ée]l[ée]copieur|t[ée]l[ée]copie|t[ée]l[ée]c\.|"
             r"传真|傳真|ファックス|ファクス|факс|faks|φαξ")),
    ("fax", r"(?<![\w.])(?:f|fx)\s*[:.](?!\w\w)"),
    ("mobile", (r"mobile?|mob\.?|cell(?:ular)?|cell\s*phone|handy|portable|m[óo]vil|celular|cellulare|"
                r"手机|手機|携帯|моб|gsm|natel|whats\s*app")),
    ("mobile", r"(?<![\w.])m\s*[:.](?!\w\w)"),
    ("phone", (r"tele?phone|t[ée]l[ée]phone|telefon[oa]?|tel[ée]fono|phone|tel|ph|fon|call|"
               r"toll[\s-]*free|freephone|hotline|office|main|direct|switchboard|"
               r"电话|電話|座机|тел|τηλ|t[ée]l")),
    ("phone", r"(?<![\w.])(?:t|p)\s*[:.](?!\w\w)"),
]
_LABEL_RE = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_LABELS)),
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
# A number followed by its label: "555 1234 (fax)", "202.299.1148 fax" - unless a number
# follows the label, whose label it then is ("555 1234 Fax 555 1235").
_TRAILING = re.compile(r"^\s*[(\[]?\s*(fax|facsimile|mobile|cell|tel|phone)\b[)\]]?(?!\s*[:.]?\s*[+(]?\d)",
                       re.IGNORECASE)
# A lone capital right before the number: "T +44 20 3167 4997 | F +44 20 7629 1317".
_BARE_LETTER = re.compile(r"(?:^|[^\w.])(?P<letter>F|Fx|FX|T|P|M)\s*$")
# Digits glued to words by inline markup ("1.800.232.2267directions"): the matcher
# refuses numbers touching letters, so a space is put between.
_GLUE = re.compile(r"(?<=\d)(?=[A-Za-z]{3})|(?<=[A-Za-z]{3})(?=\d)")
# Both kinds in one label ("Tel/Fax", "Phone & Fax") are a shared line: a phone.
_SHARED = re.compile(r"(?:tel|phone)\w*\s*(?:/|&|and|\+|or)\s*fax|fax\s*(?:/|&|and|\+|or)\s*(?:tel|phone)",
                     re.IGNORECASE)
_DIGITS = re.compile(r"\d")


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
    bare = _BARE_LETTER.search(text)
    if bare:
        letter = bare.group("letter")[0]
        return "fax" if letter == "F" else "mobile" if letter == "M" else "phone"
    kind: Kind | None = None
    for match in _LABEL_RE.finditer(text):
        if not _whole_word(text, match.start(), match.end()):
            continue
        name = match.lastgroup or ""
        kind = "fax" if name.startswith("fax") else "mobile" if name.startswith("mobile") else "phone"
    return kind


def _whole_word(text: str, start: int, end: int) -> bool:
    """Labels are whole words ("tel" in "hotel" is not one); CJK labels have no word boundaries."""
    word = text[start:end]
    if _CJK.search(word):
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and (not after.isalpha() or word[-1] in ".:")


def find_phones(lines: list[str], region: str | None, others: list[str] | None = None,
                cache: MatchCache | None = None) -> list[FoundPhone]:
    """Every valid number in the lines, in page order, with its kind from its label.

    ``region`` is the default country for numbers written without "+";
    without one only international numbers are read. A page listing offices
    abroad writes their numbers in their own national form: labelled lines
    (``Tel: 079-6630 4000``) that ``region`` reads nothing from are read again
    in whichever of ``others`` reads most of them.
    """
    found: list[tuple[int, FoundPhone]] = []
    pieces = list(_pieces(lines))
    unread: list[int] = []  # positions in pieces
    previous: dict[int, Kind | None] = {}
    previous_kind: Kind | None = None
    for position, (index, line) in enumerate(pieces):
        if len(_DIGITS.findall(line)) < 7:
            previous_kind = label_kind(line) if len(line) <= 40 else None
            continue
        previous[position] = previous_kind
        read = _read_line(_GLUE.sub(" ", line), index, region, previous_kind, cache)
        if not read and (label_kind(line) or previous_kind):
            unread.append(position)
        found.extend((index, phone) for phone in read)
        previous_kind = None
    if unread and others:
        fallback = region_from_numbers([pieces[p][1] for p in unread], [o for o in others if o != region], cache)
        if fallback:
            still = []
            for position in unread:
                index, line = pieces[position]
                read = _read_line(_GLUE.sub(" ", line), index, fallback, previous[position], cache)
                found.extend((index, phone) for phone in read)
                if not read:
                    still.append(position)
            unread = still
    for position in unread:
        # "Tel: 971 48131900", "86-574-87654321": an international number without its "+"
        index, line = pieces[position]
        plus = _FIRST_DIGIT.sub(r"\1+\2", _GLUE.sub(" ", line), count=1)
        found.extend((index, phone) for phone in _read_line(plus, index, None, previous[position]))
    return [phone for _, phone in sorted(found, key=lambda item: item[0])]


def _pieces(lines: list[str], size: int = 400) -> Iterator[tuple[int, str]]:
    """(line index, text) with very long lines cut at spaces: matching stays linear on a wall of text."""
    for index, line in enumerate(lines):
        while len(line) > size + 200:
            cut = line.rfind(" ", size - 100, size + 100)
            cut = cut if cut > 0 else size
            yield index, line[:cut]
            line = line[cut:]
        yield index, line


# Whoever built the site, credited in the footer: their number is not the company's.
CREDIT = re.compile(
    r"\b(?:web\s*(?:site\s*)?design(?:ed)?|web\s*site|site|designed|developed|powered|hosted|built|seo|"
    r"marketing|template)\s+by\b",
    re.IGNORECASE,
)
_PHONEISH = re.compile(r"\d[\d\s().\-/]{5,}\d")
_FIRST_DIGIT = re.compile(r"^([^\d+]*?)(\d)")


def _read_line(line: str, index: int, region: str | None, previous_kind: Kind | None,
               cache: MatchCache | None = None) -> list[FoundPhone]:
    found: list[FoundPhone] = []
    cursor = 0
    last_kind: Kind | None = None
    credit = CREDIT.search(line)
    for match in _matches(line, region, cache):
        if credit and credit.start() < match.start:
            break  # "Web design by PixelFox Studio (415) 555-0199"
        window = line[cursor:match.start]
        kind = label_kind(window)
        if kind is None and not window.strip(" :|-–.()/,;&"):
            # Nothing but punctuation before it: the label is the line above's
            # (for the line's first number) or the previous number's ("Fax: 1234 / 1235").
            kind = previous_kind if cursor == 0 else last_kind
        trailing = _TRAILING.match(line[match.end:match.end + 30])
        if trailing:
            kind = label_kind(trailing.group(1))
        found.append(_found(match.raw_string, match.number, kind, "text", index))
        last_kind = kind
        cursor = match.end
    return found


def phone_from_link(href: str, text: str, context: str, region: str | None, line: int) -> FoundPhone | None:
    """The number of a ``tel:`` link; its kind from the link text or the words before it."""
    number_text = re.sub(r"^(?:tel|callto|sms):(//)?", "", href.strip(), flags=re.IGNORECASE)
    number_text = re.sub(r"%20|%2B", lambda m: "+" if m.group(0).upper() == "%2B" else " ", number_text)
    try:
        number = phonenumbers.parse(number_text, region or "ZZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    kind = label_kind(text) or label_kind(context)
    return _found(number_text, number, kind, "tel", line)


MatchCache = dict[tuple[str, str | None], tuple[phonenumbers.PhoneNumberMatch, ...]]


def _matches(line: str, region: str | None,
             cache: MatchCache | None = None) -> tuple[phonenumbers.PhoneNumberMatch, ...]:
    """Valid numbers of one line in one region; ``cache`` (one per page) saves reading a line twice."""
    if cache is not None and (line, region) in cache:
        return cache[(line, region)]
    found = _match_line(line, region)
    if cache is not None:
        cache[(line, region)] = found
    return found


def _match_line(line: str, region: str | None) -> tuple[phonenumbers.PhoneNumberMatch, ...]:
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(line, region or "ZZ",
                                                       leniency=phonenumbers.Leniency.VALID))
    except Exception:  # noqa: BLE001 - the matcher must never take a page down
        return ()
    return tuple(m for m in matches if not _counting(m.raw_string, line[:m.start]) and not _in_address(line, m))


def _in_address(line: str, match: phonenumbers.PhoneNumberMatch) -> bool:
    """Digits of an e-mail address or a web address ("2451211296@qq.com", a QQ mailbox): not a number."""
    start = max(line.rfind(" ", 0, match.start), line.rfind("\t", 0, match.start)) + 1
    end = min((i for i in (line.find(" ", match.end), line.find("\t", match.end)) if i >= 0), default=len(line))
    token = line[start:end]
    return "@" in token or "://" in token


def _counting(raw: str, before: str = "") -> bool:
    """Page numbers, lists and model codes that happen to form a valid number.

    "1 2 3 4 5 6 7 8 9 10", "Amiga 500/600/1200", "(Mark 1 140/155/170) 1999": many
    single digits, several slashes, or a bracket closed that was never opened
    (the matcher leaves the opening one out of "(+421-2) 68206970").
    """
    groups = re.findall(r"\d+", raw)
    if sum(1 for g in groups if len(g) == 1) >= 4:
        return True  # (French pairs, "01 42 68 53 00", are a number)
    opened = raw.count("(") + (1 if before.rstrip().endswith("(") else 0)
    return raw.count("/") >= 2 or opened < raw.count(")")


def region_from_numbers(lines: list[str], candidates: list[str],
                        cache: MatchCache | None = None) -> str | None:
    """The candidate country under which most of the page's numbers are valid; None if none is.

    Numbers are written in their country's national layout ("0845 519 7209",
    "(970) 453-8025", "(022) 6774 5858"), so when nothing else says where a
    page is from, the numbers do. Ties go to the earlier candidate.
    """
    numeric = [_GLUE.sub(" ", line[:300]) for _, line in _pieces(lines)
               if len(_DIGITS.findall(line)) >= 7 and _PHONEISH.search(line)]
    numeric = numeric[:30]  # enough to tell a country; pages listing hundreds of numbers stay cheap
    if not numeric:
        return None
    best, best_count = None, 0
    for region in candidates:
        count = sum(1 for line in numeric for m in _matches(line, region, cache)
                    if not m.raw_string.lstrip().startswith("+"))
        if count > best_count:
            best, best_count = region, count
    return best


def _found(raw: str, number: phonenumbers.PhoneNumber, kind: Kind | None, method: str, line: int) -> FoundPhone:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind is None or kind == "phone":
        is_mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        kind = "mobile" if is_mobile else "phone"
    return FoundPhone(raw=raw.strip(), e164=e164, kind=kind, method=method, line=line)
