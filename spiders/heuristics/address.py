"""Postal addresses in page text, anchored on what cannot be mistaken: the postcode.

A US ZIP after a state ("Fremont, CA 94538"), a Canadian postal code after a
province ("Toronto, ON M3J 2M4"), an Australian one after a state
("Perth WA 6006"), a UK postcode of a real postcode area ("SK9 2GH") and, in
countries that write it first, "10115 Berlin". From the anchor the town is read
backwards (the words before it on the line, or the line above; UK counties
skipped), then the street (a house number or PO box line above the town), and
the country from the words after it. Without a postcode, "Toledo, Ohio" and
"Ense, Germany" still give a town.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import islice

from pipeline.countries import country_code
from spiders.heuristics.gazetteer import (
    AU_STATES,
    CA_PROVINCE_VARIANTS,
    CA_PROVINCES,
    LARGE_CITIES,
    POSTCODE_FIRST,
    STREET_WORDS,
    UK_COUNTIES,
    UK_POSTCODE_AREAS,
    US_STATE_VARIANTS,
    US_STATES,
    ca_province,
    us_state,
)


@dataclass(frozen=True)
class Address:
    """One address as written; ``country_code`` is what the layout proves (a US ZIP is the US)."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None  # as written on the page
    country_code: str | None = None
    line: int = 0
    score: float = 0.0


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(set(names), key=len, reverse=True))


def _region_pattern(codes: dict[str, str], variants: dict[str, str]) -> str:
    written = list(codes) + [c.title() for c in codes]
    written += [v for v in variants if "." not in v] + [v.title() for v in variants if "." not in v]
    names = list(codes.values())
    written += names + [n.upper() for n in names]
    return rf"(?:{_alternation(written)})\.?"


_US_REGION = _region_pattern(US_STATES, US_STATE_VARIANTS)
_CA_REGION = _region_pattern(CA_PROVINCES, CA_PROVINCE_VARIANTS)
_AU_REGION = _region_pattern(AU_STATES, {})
_BEFORE = r"(?<![\w'’&-])"
_ZIP_END = r"(?:(?!\d)|(?=\d{3}[.)-]\s?\d{3}[.-]\d{4}))"  # "DC 20009202.299.1148": glued to a phone

_US = re.compile(
    rf"{_BEFORE}(?P<region>{_US_REGION})[ \t]*,?[ \t]*\n?[ \t]*(?P<postcode>\d{{5}}(?:[ \t]?-[ \t]?\d{{4}})?){_ZIP_END}"
)
_CA = re.compile(
    rf"{_BEFORE}(?P<region>{_CA_REGION})[ \t]*,?[ \t]*\n?[ \t]*"
    r"(?P<postcode>[ABCEGHJ-NPRSTVXY]\d[A-Z][ \t-]?\d[A-Z]\d)(?![A-Za-z0-9])"
)
_CA_ALONE = re.compile(r"(?<![A-Za-z0-9])(?P<postcode>[ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d)(?![A-Za-z0-9])")
_AU = re.compile(rf"{_BEFORE}(?P<region>{_AU_REGION})[ \t]*,?[ \t]*(?P<postcode>\d{{4}})(?![\d-])")
_UK = re.compile(
    r"(?<![A-Za-z0-9-])(?P<postcode>(?P<area>[A-Z]{1,2})\d[A-Z\d]?[ \t]*\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])"
)
_FIRST = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,2}-)?(?P<postcode>\d{4}-\d{3}|\d{5}|\d{4}|\d{3} \d{2}|\d{2}-\d{3})[ \t]+"
    r"(?P<city>[A-ZÀ-Þ][^\d\n,|;:()]{1,40})"
)
# "Toledo, Ohio", "Fenton, MO" (a comma is required: "IT" or "OR" alone are words), ending
# the phrase. Not "Michelle Babb, MS, RD" (credentials), "West Block, NH 8" (a highway),
# "Mass Relevance", "Barenz Builders, Wisconsin custom homes" (the state as an adjective).
_CITY_REGION = re.compile(
    rf"(?P<city>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|upon|on|de|del|la|le|du|of|sur|am|an))"
    rf"{{0,3}}),[ \t]*(?P<region>{_US_REGION}|{_CA_REGION})(?![\w-])"
    rf"(?![ \t]*,[ \t]*[A-Z]{{2,3}}\b)(?=[ \t]*(?:$|\n|[,.;:|)\]/–—-]|\s(?:and|or|&)\s))"
)
_CITY_COUNTRY = re.compile(
    r"(?P<city>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,2}),[ \t]*(?:[A-Z][\w.'’-]*[ \t]*,[ \t]*)?"
    r"(?P<country>[A-Z][A-Za-z .]{1,30}?)(?=[ \t]*(?:$|[\n.,;|)]))",
    re.MULTILINE,
)

_SEGMENT_SPLIT = re.compile(r"\s*(?:[,|•·;]|\s[-–—]\s)\s*")
_HOUSE_NUMBER = re.compile(r"(?<![\w/])(?:\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?|One|Two|Three)\s+(?=[A-Za-z])")
_PO_BOX = re.compile(r"\b(?:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box|Postfach|Box)\s+\d+", re.IGNORECASE)
_SUITE = re.compile(r"^(?:suite|ste\.?|unit|floor|fl\.?|apt\.?|room|rm\.?|building|bldg\.?|#|no\.?|"
                    r"\d+(?:st|nd|rd|th)\s+floor)\b", re.IGNORECASE)
_LABEL = re.compile(r"^[^:]{0,40}:\s*")
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})")
_CONNECTORS = frozenset({"upon", "on", "de", "del", "la", "le", "du", "of", "sur", "am", "an", "en", "in"})
# Words after which a name is not a town ("Headquarters", "Office", "Address"): labels.
# Words that make a place something other than a town: an institution or a site.
_INSTITUTION = frozenset({
    "COLLEGE", "UNIVERSITY", "SCHOOL", "ACADEMY", "INSTITUTE", "HOSPITAL", "PROJECT", "CENTER",
    "CENTRE", "PARK", "ESTATE", "BUILDING", "HOUSE", "TOWER", "PLAZA", "MALL", "AIRPORT", "STATION",
    "CHURCH", "CLUB", "HOTEL", "OFFICE", "OFFICES", "GROUP", "INC", "LLC", "LTD", "COMPANY",
    "SERVICES", "SOLUTIONS", "BLOCK", "FLOOR", "SUITE", "UNIT",
})
_NOT_TOWN = frozenset({
    "POSTCODE", "POSTAL", "ZIP", "CODE", "COUNTY", "STATE", "COUNTRY",
    "ADDRESS", "OFFICE", "OFFICES", "HEADQUARTERS", "HQ", "LOCATION", "LOCATIONS", "CONTACT", "US",
    "MAIL", "MAILING", "VISIT", "PHONE", "FAX", "EMAIL", "E-MAIL", "TEL", "HOURS", "DIRECTIONS",
    "MAP", "OUR", "THE", "AND", "CALL", "SUITE", "STE", "UNIT", "FLOOR", "BOX", "PO", "ROUTE", "P.O.",
    "REGISTERED", "COPYRIGHT", "INC", "LLC", "LTD", "CORP", "ALL", "RIGHTS", "RESERVED",
})


# How far from its postcode an address is read, and how many addresses a page may give:
# bounds that keep a page of ten thousand postcodes linear.
_REACH = 200
_MAX_ADDRESSES = 50


def find_addresses(lines: list[str], country: str | None = None) -> list[Address]:
    """Every postal address anchored by a postcode, best first (with street, then page order).

    ``country`` (ISO code) enables the layouts that would be ambiguous
    elsewhere: "12345 Town" is read only where postcodes come first.
    """
    text = "\n".join(lines)
    starts = _line_starts(lines)
    found: list[Address] = []
    seen: set[tuple[int, str]] = set()

    def add(address: Address | None) -> None:
        if address is None or not address.postcode or len(found) >= _MAX_ADDRESSES:
            return
        key = (address.line, address.postcode)
        if key not in seen:
            seen.add(key)
            found.append(address)

    for match in islice(_US.finditer(text), _MAX_ADDRESSES):
        add(_anchored(lines, starts, match, "US"))
    for match in islice(_CA.finditer(text), _MAX_ADDRESSES):
        add(_anchored(lines, starts, match, "CA"))
    for match in islice(_CA_ALONE.finditer(text), _MAX_ADDRESSES):
        if not any(a.postcode == _clean_postcode(match.group("postcode")) for a in found):
            add(_anchored(lines, starts, match, "CA"))
    for match in islice(_AU.finditer(text), _MAX_ADDRESSES):
        if country in (None, "AU"):
            add(_anchored(lines, starts, match, "AU"))
    for match in islice(_UK.finditer(text), _MAX_ADDRESSES):
        if match.group("area") in UK_POSTCODE_AREAS and country in (None, "GB", "IE", "IM", "JE", "GG"):
            add(_anchored(lines, starts, match, "GB"))
    for match in islice(_FIRST.finditer(text), _MAX_ADDRESSES):
        if country in POSTCODE_FIRST:
            add(_postcode_first(lines, starts, match, country))
        elif country is None:
            # "4745-330 Trofa / Portugal": the layout is proved by the country named after it
            address = _postcode_first(lines, starts, match, None)
            if address and address.country and country_code(address.country) in POSTCODE_FIRST:
                add(replace(address, country_code=country_code(address.country)))
    return sorted(found, key=lambda a: (-a.score, a.line))


def find_towns(lines: list[str]) -> list[Address]:
    """Towns named without a postcode: "Toledo, Ohio", "Fenton, MO", "Ense, Germany"."""
    text = "\n".join(lines)
    starts = _line_starts(lines)
    found: list[Address] = []
    for match in islice(_CITY_REGION.finditer(text), _MAX_ADDRESSES):
        city = _town(match.group("city"))
        region = match.group("region").rstrip(".")
        code = "US" if us_state(region) else "CA" if ca_province(region) else None
        if city and _plausible_town(city):
            found.append(Address(city=city, region=region, country_code=code,
                                 line=_line_of(starts, match.start()), score=0.5))
    for match in islice(_CITY_COUNTRY.finditer(text), _MAX_ADDRESSES):
        written = match.group("country").strip()
        if len(written.replace(".", "")) < 3 and written.upper() != "UK":
            continue  # "St", "Co": abbreviations, not the two-letter code of a country
        code = country_code(written)
        is_county = code is None and _is_county(written)
        city = _town(match.group("city"))
        if (code or is_county) and city and _plausible_town(city) and not _is_county(city):
            found.append(Address(city=city, country=None if is_county else written,
                                 region=written if is_county else None,
                                 country_code="GB" if is_county else code,
                                 line=_line_of(starts, match.start()), score=0.3))
    return found


def _plausible_town(city: str) -> bool:
    """Not a state or country ("New Mexico, Colorado"), a person ("D. Bokhart"), or shouting."""
    if us_state(city) or ca_province(city) or country_code(city) or city.isupper():
        return False
    if re.match(r"^[A-Z]\.\s", city) or len(city.split()) > 3:
        return False
    return city.split()[-1].upper() not in _REGION_WORDS


_REGION_WORDS = frozenset({"COUNTY", "PARISH", "REGION", "PROVINCE", "DISTRICT", "STATE", "TERRITORY"})


_BASED_IN = re.compile(
    r"\b(?P<verb>based|located|headquartered|situated|head\s+office|offices?|serving|established|founded|formed"
    r"|operating)\b[^.\n]{0,25}?\bin\s+(?:the\s+)?(?P<city>[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|upon|de|la))"
    r"{0,2})(?![\w'’-])"
)
_SERVING = re.compile(
    r"\b(?:serving|servicing|serves|services\s+in)\s+(?:the\s+)?(?:greater\s+)?"
    r"(?P<city>[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|upon|de|la)){0,2})(?=\s*(?:,|and\b|&|area|$))"
)
_ADDRESS_LINE = re.compile(r"\b(?:head\s*office|address|headquarters|located\s+at|office)\b.*\d|\d+\s+\w+\s+"
                           r"(?:street|st|road|rd|avenue|ave)\b", re.IGNORECASE)
_CITY_INDEX = {name.casefold(): (name, code) for code, names in LARGE_CITIES.items() for name in names}
_CITY_MENTION = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(
        (n for names in LARGE_CITIES.values() for n in names), key=len, reverse=True)) + r")(?![\w-])"
)


def find_mentioned_city(lines: list[str], title: str = "") -> Address | None:
    """A town the page says it is in ("based in Sydney"), else the large city it names most, else
    one it has an office in or serves ("servicing Monterey").

    Used only when no address or "Town, State" was found: a plumber's page that
    says "Toronto plumbers" three times serves Toronto. The title counts double.
    """
    weak: Address | None = None
    for line in lines:
        if "in " not in line and "serv" not in line:
            continue
        for match in [*_BASED_IN.finditer(line), *_SERVING.finditer(line)]:
            city = match.group("city")
            if _plausible_town(city) and not _is_county(city) and city.upper() not in _NOT_TOWN \
                    and city.upper() not in STREET_WORDS and city.split()[-1].upper() not in _INSTITUTION:
                if match.re is _BASED_IN and match.group("verb").lower() in _STRONG_VERBS:
                    return Address(city=city, score=0.2)
                weak = weak or Address(city=city, score=0.15)
    mentioned = _most_mentioned(lines, title)
    return mentioned or weak


_INSTITUTION_OF = re.compile(r"\b[A-Z][a-z]+\s+of\s+(?:the\s+)?$")
_STRONG_VERBS = frozenset({"based", "located", "headquartered", "situated"})


def _most_mentioned(lines: list[str], title: str) -> Address | None:
    counts: dict[str, int] = {}
    for weight, text in [(2, title)] + [(1, line) for line in lines]:
        for match in _CITY_MENTION.finditer(text):
            if _INSTITUTION_OF.search(text, 0, match.start()):
                continue  # "University of Phoenix", "Bank of America": a name, not a place
            # a line that is an address ("Head Office - 3-5-27 Mita Minato-ku Tokyo") counts double
            bonus = 1 if weight == 1 and len(text) <= 80 and _ADDRESS_LINE.search(text) else 0
            counts[match.group(0)] = counts.get(match.group(0), 0) + weight + bonus
    if not counts or max(counts.values()) < 2:
        return None  # one passing mention says little
    name = max(counts, key=lambda n: counts[n])
    _, code = _CITY_INDEX[name.casefold()]
    return Address(city=name, country_code=code or None, score=0.1)


# --- anchored addresses ---------------------------------------------------------------------


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    return max(0, bisect_right(starts, offset) - 1)


def _clean_postcode(raw: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", raw)).strip()


def _anchored(lines: list[str], starts: list[int], match: re.Match[str], code: str) -> Address | None:
    """Town, street and country around a "region postcode" or UK postcode anchor."""
    anchor = match.start("region") if "region" in match.re.groupindex else match.start("postcode")
    line_no = _line_of(starts, anchor)
    col = anchor - starts[line_no]
    before = lines[line_no][max(0, col - _REACH):col]  # a town and street sit close to their postcode
    postcode = _clean_postcode(match.group("postcode"))
    if code == "GB":
        compact = postcode.replace(" ", "")
        postcode = f"{compact[:-3]} {compact[-3:]}"
    region = match.group("region").rstrip(".").strip() if "region" in match.re.groupindex else None
    region = re.sub(r"\s+", " ", region) if region else None

    town, town_line, rest = _town_before(lines, line_no, before, skip_counties=code == "GB")
    if code == "GB" and region is None:
        region = _county_between(lines, line_no, before, town_line)
    street = _street_before(lines, town_line, rest) if town else None
    end_line = _line_of(starts, match.end("postcode") - 1)
    offset = match.end("postcode") - starts[end_line]
    after = lines[end_line][offset:offset + _REACH]
    country = _country_after(after, lines, end_line)
    score = 1.0 + (1.0 if street else 0.0) + (0.5 if town else 0.0) + (0.25 if country else 0.0)
    return Address(street=street, city=town, region=region, postcode=postcode, country=country,
                   country_code=code, line=line_no, score=score)


def _postcode_first(lines: list[str], starts: list[int], match: re.Match[str],
                    code: str | None) -> Address | None:
    town = _town(match.group("city"), keep_first=True)
    if not town or any(w.upper().strip(".") in STREET_WORDS for w in town.split()):
        return None
    line_no = _line_of(starts, match.start())
    col = match.start() - starts[line_no]
    rest = _SEGMENT_SPLIT.split(lines[line_no][max(0, col - _REACH):col].strip(" ,|"))
    rest = [s for s in rest if s]
    street = _street_before(lines, line_no, rest)
    end = match.end() - starts[line_no]
    after = lines[line_no][end:end + _REACH]
    country = _country_after(after, lines, line_no)
    score = 1.0 + (1.0 if street else 0.0) + 0.5 + (0.25 if country else 0.0)
    return Address(street=street, city=town, postcode=_clean_postcode(match.group("postcode")),
                   country=country, country_code=code, line=line_no, score=score)


def _town_before(lines: list[str], line_no: int, before: str,
                 skip_counties: bool) -> tuple[str | None, int, list[str]]:
    """The town written just before the anchor, the line it is on, and the segments before it."""
    current, text = line_no, before
    for _ in range(4):
        segments = [s for s in _SEGMENT_SPLIT.split(text.strip(" ,|")) if s.strip(" :")]
        while segments:
            last = segments[-1]
            if (skip_counties and _is_county(last)) or last.rstrip().endswith(":"):
                segments.pop()  # a county, or a label ("Postcode:") standing before the code
                continue
            town = _town(last)
            if town is None:
                return None, current, []
            head = last[: len(last) - len(town)].strip() if last.endswith(town) else ""
            rest = segments[:-1] + ([head] if head else [])
            return town, current, rest
        current -= 1
        if current < 0 or current < line_no - 3:
            break
        text = lines[current]
        if len(text) > 80 or (not skip_counties and current < line_no - 1):
            break
    return None, line_no, []


def _county_between(lines: list[str], line_no: int, before: str, town_line: int) -> str | None:
    candidates = [s for s in _SEGMENT_SPLIT.split(before.strip(" ,|")) if s]
    for index in range(line_no - 1, town_line - 1, -1):
        candidates = [s for s in _SEGMENT_SPLIT.split(lines[index]) if s] + candidates
    for segment in reversed(candidates):
        if _is_county(segment) and country_code(segment) is None:
            return segment.strip()
    return None


def _is_county(segment: str) -> bool:
    """A UK county or nation ("Kent", "Co. Durham", "Scotland"), or the country itself."""
    text = segment.strip(" .,")
    return text.upper() in UK_COUNTIES or country_code(text) in ("GB", "IE")


def _town(segment: str, keep_first: bool = False) -> str | None:
    """The town at the end of a segment: its trailing capitalised words, after any street part.

    "located at 325 Cherry Street Bridgeport" -> "Bridgeport"; "Address: Beverly Hills" ->
    "Beverly Hills"; words glued by inline markup ("FloorWashington") are split first.
    """
    text = _LABEL.sub("", segment.strip()) if ":" in segment else segment.strip()
    words = _GLUED.sub(" ", text).replace("(", " ").replace(")", " ").split()
    if keep_first:
        words = words[:4]
        while words and (words[-1].lower() in _CONNECTORS or not words[-1][:1].isalpha()):
            words.pop()
        return " ".join(words).strip(" .,-") or None
    last_number = max((i for i, w in enumerate(words) if any(c.isdigit() for c in w)), default=-1)
    if last_number >= 0:
        words = words[last_number + 1:]
        last_street = max((i for i, w in enumerate(words) if w.upper().strip(".,") in STREET_WORDS),
                          default=-1)
        words = words[last_street + 1:]
    taken: list[str] = []
    for word in reversed(words):
        bare = word.strip(".,'’")
        if bare[:1].isupper() and bare.upper() not in _NOT_TOWN or bare.lower() in _CONNECTORS and taken:
            taken.append(word)
        else:
            break
        if len(taken) >= 4:
            break
    while taken and taken[-1].lower() in _CONNECTORS:
        taken.pop()
    initials = [i for i, w in enumerate(reversed(taken)) if re.fullmatch(r"[A-Z]\.", w)]
    if initials:
        taken = list(reversed(list(reversed(taken))[initials[-1] + 2:]))  # "D. Rudloff Atlanta"
    town = " ".join(reversed(taken)).strip(" ,.-")
    if not town or len(town) < 2 or town.isdigit():
        return None
    last = town.split()[-1].upper().strip(".")
    if last in STREET_WORDS or last in _INSTITUTION:
        return None  # "Whitehills Business Park", "Dowling College": a place in a town
    return town


def _street_before(lines: list[str], town_line: int, rest: list[str]) -> str | None:
    """The street: segments before the town on its line, or the lines just above it.

    Walking back from the town, suite lines and street-named segments are
    collected until one starting with a house number or a PO box; one locality
    between street and town ("250 Finchley Road / Hampstead / London") is skipped.
    """
    parts: list[str] = []
    skipped = False
    segments = [(town_line, seg) for seg in rest]
    for index in range(town_line - 1, max(-1, town_line - 5), -1):
        line = lines[index].strip()
        if not line or len(line) > 100:
            break
        segments = [(index, seg) for seg in _SEGMENT_SPLIT.split(line) if seg] + segments
    for _, segment in reversed(segments):
        segment = _LABEL.sub("", segment).strip() if ":" in segment else segment.strip()
        if not segment:
            continue
        if _SUITE.match(segment):
            parts.insert(0, segment)  # "Suite 2800 South": its number is not a house number
            continue
        start = _street_start(segment)
        if start is not None:
            parts.insert(0, segment[start:])
            return _join(parts)
        if _SUITE.match(segment) or _looks_street(segment):
            parts.insert(0, segment)
            continue
        if not parts and not skipped and _locality(segment):
            skipped = True
            continue
        break
    return _join(parts) if parts and any(_looks_street(p) for p in parts) else None


def _locality(segment: str) -> bool:
    words = segment.split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() for w in words) and not any(
        c.isdigit() for c in segment)


def _street_start(segment: str) -> int | None:
    """Where a street begins in a segment: its PO box or its house number followed by words."""
    box = _PO_BOX.search(segment)
    if box:
        return box.start()
    for match in _HOUSE_NUMBER.finditer(segment):
        words = segment[match.end():].split()
        if words and (any(w.upper().strip(".,") in STREET_WORDS for w in words[:6]) or len(words) <= 4):
            return match.start()
    return None


_NUMBER_AFTER = re.compile(r"^[A-ZÀ-Þ][\w.'’-]+(?:\s+[\w.'’-]+){0,3}\s+\d+[a-z]?(?:[-/]\d+[a-z]?)?$")


def _looks_street(segment: str) -> bool:
    """A street named without a leading number: "Village Way", "Vegagatan 3", "Hauptstraße 5"."""
    words = segment.split()
    if _NUMBER_AFTER.match(segment.strip()):
        return True
    return 1 < len(words) <= 6 and any(w.upper().strip(".,") in STREET_WORDS for w in words[1:])


def _join(parts: list[str]) -> str | None:
    text = ", ".join(p.strip(" ,") for p in parts if p.strip(" ,"))
    return text or None


def _country_after(after: str, lines: list[str], line_no: int) -> str | None:
    """A country named right after the postcode, on its line or alone on the next one."""
    head = _SEGMENT_SPLIT.split(after.strip(" ,|-"))[0].strip(" .") if after.strip(" ,|-") else ""
    candidates = [head]
    if not head and line_no + 1 < len(lines):
        candidates.append(lines[line_no + 1].strip(" .,"))
    for candidate in candidates:
        if candidate and len(candidate) <= 40 and country_code(candidate):
            return candidate
    return None


def best_address(addresses: list[Address], towns: list[Address]) -> Address | None:
    """The address to report: the best anchored one, else the first town named with its region."""
    if addresses:
        return addresses[0]
    if towns:
        return replace(towns[0])
    return None
