"""``leads dedup`` at a million rows: the nightly rules over columns instead of Lead objects.

:func:`pipeline.dedup.resolve` builds a Lead per row, a Company per cluster
and the evidence of every link: right for a night's few thousand leads, far
too slow for a million CSV rows. This module gives the same answer for a CSV
(``tests/test_bulkdedup.py`` checks: identical clusters and golden columns)
along a shorter road:

- each column is normalised once per distinct value, with the functions
  :func:`pipeline.normalize.normalize_lead` uses; with many rows a forked
  worker process takes nearly half of the values;
- rows are numpy arrays of codes into those distinct values, and the match
  rules run over them as arrays (:mod:`pipeline.matching`, as for resolve());
- a golden field is the row's own value in a cluster of one row, the value
  all rows agree on in a larger cluster, and otherwise what the survivorship
  functions of :mod:`pipeline.dedup` choose.

Rows are "seen" in file order (later rows are newer), as
:func:`pipeline.csvdedup.frame_to_leads` dates them.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import namevec, websitevec
from pipeline.arrowcsv import release_arrow_memory
from pipeline.countries import country_code
from pipeline.dedup import DedupRules, golden_fields, main_email, main_phone, pick_name, pick_value
from pipeline.matching import (
    KIND_DOMAIN,
    KIND_EMAIL,
    KIND_LINE,
    KIND_LISTING,
    KIND_PHONE,
    RULES,
    ClusterGuard,
    MatchInput,
    find_links,
    place_words,
    places_of,
)
from pipeline.names import clean_text, name_parts
from pipeline.normalize import (
    city_fold,
    city_key,
    format_phone,
    is_freemail,
    normalize_email,
    normalize_postcode,
    postcode_key,
    read_phone_field,
    street_key,
    website_and_domain,
)
from pipeline.phonefast import Parsed, format_e164_international, format_e164_of
from pipeline.phonevec import read_many
from pipeline.urls import listing_key

GOLDEN = ("name", "legal_form", "phone", "email", "website", "street", "city", "postcode", "country")
SITE = "csv"
# Below this many rows a second process costs more than it saves.
PARALLEL_FROM = 20_000
_SAFE_ID = re.compile(r"[A-Za-z0-9_.\-]+")
# white space at either end of a cell, in cells joined by NUL (\s is what str.strip() strips)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """A 1-d object array of ``values`` (tuples stay elements)."""
    return np.fromiter(values, dtype=object, count=len(values))


@contextmanager
def quiet_collector() -> Iterator[None]:
    """No cyclic garbage collection while millions of acyclic objects are made.

    The collector would walk them all again and again (and, in a forked
    worker, write to every page the parent shares with it).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- normalisation, one distinct value at a time -------------------------------------------------
#
# Each job maps a list of distinct cell values to a tuple of result columns
# (lists), so that a worker's half travels back as a few long lists.

def _names(values: Sequence[str]) -> tuple[list[Any], ...]:
    """display, legal form, key, sorted key; and the key's distinct words, flat, with their counts.

    Names in plain ASCII are read all at once (:mod:`pipeline.namevec`), the others one by one.
    """
    read = namevec.read_many(values)
    slow = np.flatnonzero(~read.answered)
    s_display, s_legal, s_keys, s_sorted, s_words, s_counts = _names_one_by_one([values[k] for k in slow.tolist()])
    display = list(values)
    legal, keys, sorted_keys = read.legal, read.key, read.sorted_key
    for at, k in enumerate(slow.tolist()):
        display[k], legal[k], keys[k], sorted_keys[k] = s_display[at], s_legal[at], s_keys[at], s_sorted[at]
    counts = read.word_counts.copy()
    counts[slow] = s_counts
    offsets = _offsets(counts)
    words = np.empty(int(offsets[-1]), dtype=object)
    fast = np.flatnonzero(read.answered)
    if len(fast):
        words[_ranges(offsets[fast], counts[fast])] = _objects(read.words)
    if len(slow):
        words[_ranges(offsets[slow], counts[slow])] = _objects(s_words)
    return display, legal, keys, sorted_keys, words.tolist(), counts.tolist()


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions starts[k] .. starts[k] + lengths[k] - 1 of every k, in order."""
    total = int(lengths.sum())
    return np.repeat(starts - np.r_[0, np.cumsum(lengths)][:-1], lengths) + np.arange(total, dtype=np.int64)


def _names_one_by_one(values: Sequence[str]) -> tuple[list[Any], ...]:
    display: list[str] = []
    legal: list[str | None] = []
    keys: list[str] = []
    sorted_keys: list[str] = []
    words: list[str] = []
    counts: list[int] = []
    vocabulary: dict[str, str] = {}   # one string per distinct word (millions of words, few distinct)
    for raw in values:
        shown, form, parts = name_parts(raw)
        display.append(shown)
        legal.append(form)
        keys.append(" ".join(parts))
        sorted_keys.append(" ".join(sorted(parts)))
        distinct = {vocabulary.setdefault(w, w) for w in parts}
        words.extend(distinct)
        counts.append(len(distinct))
    return display, legal, keys, sorted_keys, words, counts


def _phones(values: Sequence[str]) -> tuple[list[Any], ...]:
    """Of each "REGION\\0cell": its keys (phones, then mobiles, once each) and its phones as written
    abroad, flat, with their counts per cell.

    Cells holding one number of the usual shape are read all at once
    (:mod:`pipeline.phonevec`); the others one by one, as a lead's phones are.
    """
    n = len(values)
    cells = _phone_cells(values)
    if cells is None:
        return _phones_one_by_one(values)
    regions, raws = cells
    numbers = read_many(raws, regions)
    answered = numbers.answered
    key_counts = answered.astype(np.int64)
    written_counts = (answered & ~numbers.mobile).astype(np.int64)
    slow = np.flatnonzero(~answered)
    slow_keys, slow_key_counts, slow_written, slow_written_counts = _phones_one_by_one(
        [values[k] for k in slow.tolist()])
    key_counts[slow] = slow_key_counts
    written_counts[slow] = slow_written_counts
    return (_flat(n, key_counts, answered, numbers.e164, slow, slow_keys),
            key_counts.tolist(),
            _flat(n, written_counts, answered & ~numbers.mobile, numbers.written, slow, slow_written),
            written_counts.tolist())


def _phone_cells(values: Sequence[str]) -> tuple[list[str], pa.Array] | None:
    """The regions and cells of "REGION\\0cell" values (None when a region is not two letters)."""
    jobs = pa.array(values, type=pa.string())
    at = pc.find_substring(jobs, "\x00").to_numpy(zero_copy_only=False)
    empty = pc.equal(pc.utf8_length(jobs), 0).to_numpy(zero_copy_only=False)
    if not np.all(((at == 0) | (at == 2)) | empty):
        return None
    no_region = pa.array(at == 0)
    raws = pc.if_else(no_region, pc.utf8_slice_codeunits(jobs, 1), pc.utf8_slice_codeunits(jobs, 3))
    regions = pc.if_else(no_region, pa.scalar("", type=pa.string()), pc.utf8_slice_codeunits(jobs, 0, 2))
    return regions.to_pylist(), raws


def _flat(n: int, counts: np.ndarray, fast: np.ndarray, fast_values: list[Any], slow: np.ndarray,
          slow_values: list[Any]) -> list[Any]:
    """Each cell's items in cell order: one from ``fast_values`` where ``fast``, the slow cells' own."""
    offsets = _offsets(counts)
    out = np.empty(int(offsets[-1]), dtype=object)
    rows = np.flatnonzero(fast)
    out[offsets[rows]] = _objects(fast_values)[rows]
    if len(slow):
        out[_ranges(offsets[slow], counts[slow])] = _objects(slow_values)
    return out.tolist()  # type: ignore[no-any-return]


def _phones_one_by_one(values: Sequence[str]) -> tuple[list[Any], ...]:
    keys: list[str] = []
    key_counts: list[int] = []
    written: list[str] = []
    written_counts: list[int] = []
    for value in values:
        if not value:
            key_counts.append(0)
            written_counts.append(0)
            continue
        region, _, raw = value.partition("\x00")
        found = read_phone_field(raw, region or None)
        if isinstance(found, Parsed):
            keys.append(found.e164)
            key_counts.append(1)
            if found.is_mobile:
                written_counts.append(0)
            else:
                written.append(format_e164_of(found))
                written_counts.append(1)
            continue
        good: dict[str, str] = {}
        mobile: list[str] = []
        for result in found:
            if result.e164 is None:
                continue
            if result.is_mobile:
                mobile.append(result.e164)
            elif result.e164 not in good:
                good[result.e164] = _international(result.e164)
        cell_keys = list(dict.fromkeys([*good, *mobile]))
        keys.extend(cell_keys)
        key_counts.append(len(cell_keys))
        written.extend(good.values())
        written_counts.append(len(good))
    return keys, key_counts, written, written_counts


def _international(e164: str) -> str:
    return format_e164_international(e164) or format_phone(e164) or ""


def _websites(values: Sequence[str]) -> tuple[list[Any], ...]:
    """Website and company domain (none at a free-mail provider) of each value; the usual ones at once."""
    read = websitevec.read_many(values)
    websites, domains = read.website, read.domain
    for k in np.flatnonzero(~read.answered).tolist():
        raw = values[k]
        websites[k], domains[k] = website_and_domain(raw) if raw else (None, None)
    return websites, [None if domain and is_freemail(domain) else domain for domain in domains]


def _emails(values: Sequence[str]) -> tuple[list[Any], ...]:
    return ([normalize_email(v) if v else None for v in values],)


def _streets(values: Sequence[str]) -> tuple[list[Any], ...]:
    return ([clean_text(v) if v else None for v in values],)


def _postcodes(values: Sequence[str]) -> tuple[list[Any], ...]:
    out: list[str | None] = []
    for value in values:
        region, _, raw = value.partition("\x00")
        out.append(normalize_postcode(raw, region or None) if raw else None)
    return (out,)


Job = Callable[[Sequence[str]], tuple[list[Any], ...]]
_JOBS: dict[str, tuple[Job, Any]] = {}
# The worker also pickles its results and the parent unpickles them: give it a little less.
_WORKER_SHARE = 0.45


def packed(values: Sequence[str]) -> tuple[str, str, int] | Sequence[str]:
    """Strings as one string, the separator that splits it again and their number.

    A forked worker that reads the parent's strings writes their reference
    counts, and so gets its own copy of every memory page they lie on; one
    string costs it one page. (Strings holding every candidate separator
    stay as they are.)
    """
    text = "".join(values)
    for sep in ("\x1e", "\x1f", "\x1d", "\x1c", "\ufdd0"):
        if sep not in text:
            return sep.join(values), sep, len(values)
    return values


def unpacked(data: tuple[str, str, int] | Sequence[str]) -> Sequence[str]:
    if isinstance(data, tuple):
        text, sep, count = data
        return text.split(sep) if count else []
    return data


def _worker_part(names: Sequence[str]) -> dict[str, tuple[list[Any], ...]]:
    """The worker's share of every job in _JOBS (inherited from the parent when forked)."""
    with quiet_collector():
        return {name: _JOBS[name][0](unpacked(_JOBS[name][1])) for name in names}


def _run_jobs(jobs: dict[str, tuple[Job, list[str]]], parallel: bool) -> dict[str, tuple[list[Any], ...]]:
    """Each job over its distinct values; a forked worker takes a share when ``parallel``."""
    global _JOBS
    if not parallel:
        with quiet_collector():
            return {name: func(values) for name, (func, values) in jobs.items()}
    cuts = {name: len(values) - int(len(values) * _WORKER_SHARE) for name, (_, values) in jobs.items()}
    _JOBS = {name: (func, packed(values[cuts[name]:])) for name, (func, values) in jobs.items()}
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            pending = pool.apply_async(_worker_part, (list(jobs),))
            with quiet_collector():
                first = {name: func(values[:cuts[name]]) for name, (func, values) in jobs.items()}
            second = pending.get()
    finally:
        _JOBS = {}
    return {name: tuple(a + b for a, b in zip(first[name], second[name], strict=True)) for name in jobs}


# What str.strip() strips, as an RE2 class: a cell starting or ending with one of these is stripped.
_SPACE_CLASS = "".join(f"\\x{{{c:x}}}" for c in range(0x110000) if chr(c).isspace())
_EDGE_SPACE = f"^[{_SPACE_CLASS}]|[{_SPACE_CLASS}]$"


def _column(frame: pd.DataFrame, columns: dict[str, str], field: str) -> tuple[np.ndarray, list[str]]:
    """Codes per row and the distinct values of a field's cells, stripped ("" where the column is missing)."""
    n = len(frame)
    if field not in columns:
        return np.zeros(n, dtype=np.int64), [""]
    # Arrow-backed text (pipeline.arrowcsv) is factorised in Arrow: Python strings of the distinct values only
    codes, uniques = pd.factorize(frame[columns[field]], use_na_sentinel=False)
    values = uniques.tolist()
    backing = getattr(uniques, "array", uniques)   # pandas gives an Index
    if hasattr(backing, "__arrow_array__"):
        text = pa.array(backing)
        textual = pa.types.is_string(text.type) or pa.types.is_large_string(text.type)
        if textual and text.null_count == 0 and not pc.any(pc.match_substring_regex(text, _EDGE_SPACE)).as_py():
            return codes.astype(np.int64), values   # nothing to strip (the usual file)
    # str.strip gives back the very same string when there is nothing to strip:
    # checking identity is cheaper than searching the joined values for edge spaces
    stripped = [v.strip() if type(v) is str else str(v).strip() for v in values]
    if all(a is b for a, b in zip(stripped, values, strict=True)):
        return codes.astype(np.int64), stripped
    again, merged = pd.factorize(np.array(stripped, dtype=object), use_na_sentinel=False)
    return again[codes].astype(np.int64), list(merged)


def _combined(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of (first, second) pairs per row, and each pair's two parts."""
    width = int(second.max()) + 1 if len(second) else 1
    codes, uniques = pd.factorize(first.astype(np.int64) * width + second.astype(np.int64))
    return codes.astype(np.int64), uniques // width, uniques % width


def _factorize(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """Codes (None: -1) and distinct values in order of first appearance; strings are hashed in Arrow."""
    try:
        return _factorize_text(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        codes, uniques = pd.factorize(_objects(values))
        return codes.astype(np.int64), list(uniques)


def _offsets(counts: Sequence[int] | np.ndarray) -> np.ndarray:
    return np.r_[0, np.cumsum(np.asarray(counts, dtype=np.int64))]


@dataclass
class Rows:
    """The normalised rows: per row an index into the distinct values of each field, and those values.

    Names and phone cells that hold several words or numbers keep them flat,
    with offsets: a distinct value ``d`` has items ``offsets[d]:offsets[d + 1]``.
    """

    n: int
    name: np.ndarray            # row -> distinct name
    display: list[str]
    legal_form: list[str | None]
    name_key: list[str]
    sorted_key: list[str]
    words: list[str]            # distinct words of each name key, flat
    word_offsets: np.ndarray
    phone: np.ndarray           # row -> distinct (phone cell, country)
    phone_keys: list[str]       # phones then mobiles of each distinct cell, flat
    phone_key_offsets: np.ndarray
    written: list[str]          # its phones (not mobiles) as written abroad, flat
    written_offsets: np.ndarray
    email: np.ndarray           # row -> code of the normalised e-mail (-1: none)
    emails: list[str]
    website: np.ndarray         # row -> distinct website cell
    websites: list[str | None]
    domain: np.ndarray          # row -> code of the domain (-1: none)
    domains: list[str]
    street: np.ndarray          # row -> distinct street cell
    streets: list[str | None]   # cleaned
    city: np.ndarray            # row -> distinct city cell
    cities: list[str | None]    # cleaned
    city_place: np.ndarray      # row -> code of its (city cell, country): a city name means a place in a country
    city_keys: list[str | None]  # per city_place code: the city as matching compares it
    city_folds: list[str | None]  # per city_place code: the city folded as written
    postcode: np.ndarray        # row -> code of the normalised postcode (-1: none)
    postcodes: list[str]
    country: np.ndarray         # row -> code of the country (-1: none)
    countries: list[str]


def normalise(frame: pd.DataFrame, columns: dict[str, str], default_country: str | None,
              parallel: bool | None = None) -> Rows:
    """Every row as ``normalize_lead`` would leave it, computed once per distinct value."""
    n = len(frame)
    if parallel is None:
        parallel = n >= PARALLEL_FROM and len(os.sched_getaffinity(0)) > 1
    default_code = country_code(default_country) if default_country else None
    country_cells, country_values = _column(frame, columns, "country")
    country_of_cell, countries = _factorize([country_code(c or default_country) or default_code
                                             for c in country_values])
    country = country_of_cell[country_cells]

    name, name_values = _column(frame, columns, "name")
    name_values = [v or "(no name)" for v in name_values]
    phone_cells, phone_values = _column(frame, columns, "phone")
    phone, phone_cell, phone_country = _combined(phone_cells, country + 1)
    phone_jobs = [f"{countries[c - 1] if c else ''}\x00{phone_values[p]}" if phone_values[p] else ""
                  for p, c in zip(phone_cell.tolist(), phone_country.tolist(), strict=True)]
    email_cells, email_values = _column(frame, columns, "email")
    website, website_values = _column(frame, columns, "website")
    street, street_values = _column(frame, columns, "street")
    post_cells, post_values = _column(frame, columns, "postcode")
    post, post_cell, post_country = _combined(post_cells, country + 1)
    post_jobs = [f"{countries[c - 1] if c else ''}\x00{post_values[p]}" if post_values[p] else ""
                 for p, c in zip(post_cell.tolist(), post_country.tolist(), strict=True)]
    done = _run_jobs({
        "name": (_names, name_values),
        "phone": (_phones, phone_jobs),
        "email": (_emails, email_values),
        "website": (_websites, website_values),
        "street": (_streets, street_values),
        "postcode": (_postcodes, post_jobs),
    }, parallel)
    display, legal_form, name_key, sorted_key, words, word_counts = done["name"]
    phone_keys, key_counts, written, written_counts = done["phone"]
    websites, website_domains = done["website"]
    email_code, emails = _factorize(done["email"][0])
    domain_code, domains = _factorize(website_domains)
    post_code, postcodes = _factorize([p or None for p in done["postcode"][0]])
    city, city_values = _column(frame, columns, "city")
    cities = [clean_text(c) for c in city_values]
    city_place, place_city, place_country = _combined(city, country + 1)
    city_keys = [city_key(cities[c], countries[k - 1] if k else None)
                 for c, k in zip(place_city.tolist(), place_country.tolist(), strict=True)]
    city_folds = [city_fold(cities[c]) for c in place_city.tolist()]
    return Rows(
        n=n, name=name, display=display, legal_form=legal_form, name_key=name_key, sorted_key=sorted_key,
        words=words, word_offsets=_offsets(word_counts),
        phone=phone, phone_keys=phone_keys, phone_key_offsets=_offsets(key_counts),
        written=written, written_offsets=_offsets(written_counts),
        email=email_code[email_cells], emails=emails, website=website, websites=websites,
        domain=domain_code[website], domains=domains, street=street, streets=done["street"][0],
        city=city, cities=cities, city_place=city_place, city_keys=city_keys,
        city_folds=city_folds,
        postcode=post_code[post], postcodes=postcodes, country=country, countries=countries,
    )


# -- matching ------------------------------------------------------------------------------------

def listings(ids: Sequence[str]) -> list[str]:
    """Each record's listing (what ``Lead.listing`` makes of ``csv:/ID``)."""
    return ["/" + i if _SAFE_ID.fullmatch(i) else listing_key(f"csv:/{i}") for i in ids]


def _spread(offsets: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows, and positions in a flat list, of the items of each row's distinct value."""
    lengths = np.diff(offsets)
    per_row = lengths[codes]
    rows = np.repeat(np.arange(len(codes), dtype=np.int64), per_row)
    start = np.repeat(offsets[:-1][codes] - np.r_[0, np.cumsum(per_row)][:-1], per_row)
    return rows, start + np.arange(len(rows), dtype=np.int64)


def match_input(rows: Rows, listing: Sequence[str]) -> MatchInput:
    """The columns the rules read; listing keys only where two rows share a listing (else none pair)."""
    n = rows.n
    name_key = _objects(rows.name_key)
    name_code_of, _ = _factorize_text(rows.name_key)
    word_codes, words = _factorize_text(rows.words)
    word_record, word_at = _spread(rows.word_offsets, rows.name)

    key_record: list[np.ndarray] = []
    key_code: list[np.ndarray] = []
    key_kind: list[np.ndarray] = []
    offset = 0
    for kind, codes, count in ((KIND_DOMAIN, rows.domain, len(rows.domains)),
                               (KIND_EMAIL, rows.email, len(rows.emails))):
        present = np.flatnonzero(codes >= 0)
        key_record.append(present)
        key_code.append(codes[present] + offset)
        key_kind.append(np.full(count, kind, dtype=np.int8))
        offset += count
    phones = pa.array(rows.phone_keys, type=pa.large_string())
    phone_codes, phone_count = _encoded(phones)
    phone_record, phone_at = _spread(rows.phone_key_offsets, rows.phone)
    key_record.append(phone_record)
    key_code.append(phone_codes[phone_at].astype(np.int64) + offset)
    key_kind.append(np.full(phone_count, KIND_PHONE, dtype=np.int8))
    offset += phone_count
    # line groups (numbers but the last digit: phone_line), once per record
    first_of_code = np.zeros(phone_count, dtype=np.int64)
    first_of_code[phone_codes[::-1]] = np.arange(len(phone_codes))[::-1]
    line_of_phone, line_count = _encoded(pc.utf8_slice_codeunits(phones.take(pa.array(first_of_code)), 0, -1))
    lines = pd.DataFrame({"r": phone_record, "k": line_of_phone[phone_codes[phone_at]]}).drop_duplicates()
    key_record.append(lines["r"].to_numpy(np.int64))
    key_code.append(lines["k"].to_numpy(np.int64) + offset)
    key_kind.append(np.full(line_count, KIND_LINE, dtype=np.int8))
    offset += line_count
    shared = _shared_listings(listing)
    if len(shared):
        codes, _ = pd.factorize(_objects([listing[r] for r in shared.tolist()]))
        key_record.append(shared)
        key_code.append(codes.astype(np.int64) + offset)
        key_kind.append(np.full(codes.max() + 1, KIND_LISTING, dtype=np.int8))

    city_key_codes, city_key_names = pd.factorize(_objects(rows.city_keys))
    release_arrow_memory()
    return MatchInput(
        name_key=name_key[rows.name], name_code=name_code_of[rows.name].astype(np.int64),
        sorted_name=_objects(rows.sorted_key)[rows.name],
        word_record=word_record, word_code=word_codes[word_at].astype(np.int64), words=list(words),
        city=city_key_codes[rows.city_place].astype(np.int32),
        city_words=place_words(city_key_names, city_key_codes, rows.city_folds),
        postcode=_postcode_keys(rows), country=rows.country, domain=rows.domain,
        street=_objects(rows.streets)[rows.street], street_key=street_key, stored=np.zeros(n, dtype=bool),
        key_record=np.concatenate(key_record), key_code=np.concatenate(key_code),
        key_kind=np.concatenate(key_kind),
    )


def _encoded(text: pa.Array) -> tuple[np.ndarray, int]:
    """Codes of the strings in order of first appearance (as pd.factorize numbers them; null: -1), and how many."""
    encoded = text.dictionary_encode()
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), len(encoded.dictionary)


def _factorize_text(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """pd.factorize of strings, hashed in Arrow: the same codes, the distinct values as new strings."""
    encoded = pa.array(values, type=pa.large_string()).dictionary_encode()
    return (encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64),
            encoded.dictionary.to_pylist())


def _postcode_keys(rows: Rows) -> np.ndarray:
    """Per row the code of its postcode as matching compares it (:func:`postcode_key`), -1 for none."""
    codes, _ = pd.factorize(_objects([postcode_key(p) for p in rows.postcodes]), use_na_sentinel=True)
    mapped = np.append(codes.astype(np.int64), -1)  # row code -1 (no postcode) reads the last entry
    return mapped[rows.postcode]


def _shared_listings(listing: Sequence[str]) -> np.ndarray:
    """Rows whose listing another row has too (ids that differ only in what a URL drops)."""
    return np.flatnonzero(pd.Series(listing, dtype=object).duplicated(keep=False).to_numpy())


# -- clusters and golden records -----------------------------------------------------------------

@dataclass
class BulkResult:
    """Per input row (in input order): its cluster number and its cluster's golden fields."""

    cluster: np.ndarray                 # 1.. in order of the clusters' first rows
    golden: dict[str, Any]              # field -> value per row ("" when none), Arrow text
    clusters: int
    links: int
    refused_links: int


class _Source(NamedTuple):
    """The fields of a row that golden_fields reads."""

    name: str
    legal_form: str | None
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    website: str | None
    domain: str | None
    street: str | None
    city: str | None
    postcode: str | None
    country: str | None
    seen_at: datetime
    site: str
    listing: str


def resolve_rows(rows: Rows, listing: Sequence[str], rules: DedupRules, workers: int = 1,
                 progress: Callable[[str], None] | None = None) -> BulkResult:
    """Cluster the rows with the nightly rules; number the clusters; choose their golden fields.

    ``progress`` hears each stage as it starts.
    """
    n = rows.n
    if progress:
        progress("finding duplicates")
    inp = match_input(rows, listing)
    links = find_links(inp, rules, workers=workers, evidence=False, processes=2 if workers != 1 else 1)
    guard = ClusterGuard(_codes_or_none(inp.domain), _codes_or_none(inp.country), [None] * n,
                         places_of(inp, rules, links))
    refused = 0
    for i, j, rule in zip(links.i.tolist(), links.j.tolist(), links.rule.tolist(), strict=True):
        if guard.union(i, j, RULES[rule]) is not None:
            refused += 1
    label = np.arange(n)
    if len(links.i):
        touched = np.unique(np.concatenate([links.i, links.j]))
        label[touched] = [guard.find(r) for r in touched.tolist()]
    # clusters numbered in the order of their first rows
    _, first_row, inverse = np.unique(label, return_index=True, return_inverse=True)
    number = np.empty(len(first_row), dtype=np.int64)
    number[np.argsort(first_row, kind="stable")] = np.arange(1, len(first_row) + 1)
    cluster = number[inverse.ravel()]
    pairs = len(links.i)
    del inp, links, guard, label  # a third of a gigabyte at a million rows, not needed for golden records
    if progress:
        progress(f"choosing the golden record of {len(first_row):,} companies")
    return BulkResult(cluster, _golden(rows, cluster, listing, rules), len(first_row), pairs, refused)


def _codes_or_none(codes: np.ndarray) -> list[int | None]:
    return [None if c < 0 else c for c in codes.tolist()]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _golden(rows: Rows, cluster: np.ndarray, listing: Sequence[str], rules: DedupRules) -> dict[str, pa.Array]:
    """Golden fields per row (Arrow text): the row's own (cleaned) values unless its cluster has several rows.

    In a cluster of several rows a field whose rows agree (leaving out rows
    without it) takes that value, for all clusters at once; only where rows
    disagree is the field chosen in Python, by the same functions as
    :func:`pipeline.dedup.build_company`. A column is kept as a number per
    row into its distinct values and made in Arrow at the end: no Python
    string per row.
    """
    n = rows.n
    fields = _FieldCodes(rows)
    golden = {f: _GoldenColumn(*fields.codes(f)) for f in GOLDEN}
    order = np.argsort(cluster, kind="stable")
    sorted_clusters = cluster[order]
    starts = np.flatnonzero(np.r_[True, sorted_clusters[1:] != sorted_clusters[:-1]])
    sizes = np.diff(np.r_[starts, n])
    several = sizes > 1
    if not several.any():
        return {f: column.arrow() for f, column in golden.items()}
    members = order[_ranges(starts[several], sizes[several])]
    sizes = sizes[several]
    firsts = np.r_[0, np.cumsum(sizes)[:-1]]
    trust = rules.site_trust.get(SITE, rules.default_trust)
    if len(_shared_listings(listing)):
        by_row = {f: fields.per_row(f) for f in GOLDEN}
        _golden_by_sources(rows, listing, by_row, members, firsts, sizes, trust)
        return {f: pa.array(column.tolist(), type=pa.large_string()) for f, column in by_row.items()}
    view = _RowView(rows, listing)
    groups = _Groups(members, firsts, sizes)
    with quiet_collector():
        for field in ("name", "legal_form", "website", "street", "city", "postcode", "country"):
            codes, values = fields.codes(field)
            agreed, disagree = groups.agreement(codes)
            golden[field].agree(groups, agreed)
            code, value = codes.tolist(), values.tolist()
            for k in disagree.tolist():
                ms = groups.members(k)    # seen in input order: a row's position is its time
                trusts = [trust] * len(ms)
                present = [value[code[m]] if code[m] >= 0 else None for m in ms]
                chosen = pick_name(present, trusts, ms) if field == "name" else pick_value(present, trusts, ms)
                golden[field].set(ms, _text(chosen))
        # the phone most rows list (rows listing the same cell agree)
        codes, values = fields.codes("phone")
        agreed, disagree = groups.agreement(codes)
        golden["phone"].agree(groups, agreed)
        for k in disagree.tolist():
            ms = groups.members(k)
            golden["phone"].set(ms, view.written(ms, main_phone(view.phones(m)[0] for m in ms)))
        # the best e-mail, given the chosen domain, where rows list different ones
        codes, values = fields.codes("email")
        agreed, disagree = groups.agreement(codes)
        golden["email"].agree(groups, agreed)
        domain_codes, domain_values = fields.codes("domain")
        code, value, dcode, dvalue = codes.tolist(), values.tolist(), domain_codes.tolist(), domain_values.tolist()
        for k in disagree.tolist():
            ms = groups.members(k)
            domain = pick_value([dvalue[dcode[m]] if dcode[m] >= 0 else None for m in ms], [trust] * len(ms), ms)
            emails = [(value[code[m]],) for m in ms if code[m] >= 0]
            golden["email"].set(ms, _text(main_email(emails, domain)))
    return {f: column.arrow() for f, column in golden.items()}


class _GoldenColumn:
    """A golden column as an index per row into its values: the field's distinct values ("" last),
    then the values chosen for the clusters whose rows disagree."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self.values = values
        self.index = np.where(codes >= 0, codes, len(values) - 1)
        self.chosen: list[str] = []

    def agree(self, groups: _Groups, agreed: np.ndarray) -> None:
        """Every row of each cluster gets the value its rows agree on ("" where none has one)."""
        self.index[groups.rows] = np.repeat(np.where(agreed >= 0, agreed, len(self.values) - 1), groups.sizes)

    def set(self, members: list[int], value: str) -> None:
        self.index[members] = len(self.values) + len(self.chosen)
        self.chosen.append(value)

    def arrow(self) -> pa.Array:
        values = pa.array([*self.values.tolist(), *self.chosen], type=pa.large_string())
        return values.take(pa.array(self.index))


class _FieldCodes:
    """Per golden field, a code per row (-1: the row has none) and the value of each code.

    Equal codes mean equal values; different codes usually mean different
    values (two cells that clean to the same text differ in code), which only
    sends a cluster to the exact, slower choice.
    """

    def __init__(self, rows: Rows):
        self.rows = rows
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def codes(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        found = self._cache.get(field)
        if found is None:
            found = self._cache[field] = self._codes(field)
        return found

    def _codes(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self.rows
        if field == "name":
            # build_company writes str() of the chosen name: "None" when every name cleaned away
            return _by_cell(rows.display, rows.name, missing="None")
        if field == "website":
            return _by_cell(rows.websites, rows.website)
        if field == "street":
            return _by_cell(rows.streets, rows.street)
        if field == "city":
            return _by_cell(rows.cities, rows.city)
        if field == "phone":
            has = np.diff(rows.written_offsets) > 0
            first = rows.written_offsets[:-1]
            written = _objects([*rows.written, ""])[np.where(has, first, len(rows.written))]
            return np.where(has[rows.phone], rows.phone, -1), _objects([*written.tolist(), ""])
        if field == "legal_form":
            form_codes, forms = pd.factorize(_objects(rows.legal_form))
            return form_codes[rows.name].astype(np.int64), _objects([*forms.tolist(), ""])
        values, codes = {"email": (rows.emails, rows.email), "postcode": (rows.postcodes, rows.postcode),
                         "country": (rows.countries, rows.country), "domain": (rows.domains, rows.domain)}[field]
        return codes, _objects([*values, ""])

    def per_row(self, field: str) -> np.ndarray:
        """The row's own value as the golden one (the value of a cluster of one row)."""
        codes, values = self.codes(field)
        return values[np.where(codes >= 0, codes, len(values) - 1)]


def _by_cell(values: Sequence[str | None], cells: np.ndarray, missing: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Codes per row of a per-cell value (the cell's code, -1 where the value is None or empty)."""
    present = np.fromiter((bool(v) for v in values), dtype=bool, count=len(values))
    return np.where(present[cells], cells, -1), _objects([*(v or "" for v in values), missing])


class _Groups:
    """The rows of the clusters of several rows, cluster after cluster, each in input order."""

    def __init__(self, members: np.ndarray, firsts: np.ndarray, sizes: np.ndarray):
        self.rows = members
        self.firsts = firsts
        self.sizes = sizes
        self._list = members.tolist()
        self._firsts = firsts.tolist()
        self._sizes = sizes.tolist()

    def members(self, k: int) -> list[int]:
        first = self._firsts[k]
        return self._list[first:first + self._sizes[k]]

    def agreement(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per cluster the code its rows agree on (-1: none has a value), and which clusters disagree."""
        c = codes[self.rows]
        high = np.maximum.reduceat(c, self.firsts)
        low = np.minimum.reduceat(np.where(c >= 0, c, np.iinfo(np.int64).max), self.firsts)
        disagree = (high >= 0) & (low != high)
        agreed = np.where((high >= 0) & ~disagree, high, -1)
        return agreed, np.flatnonzero(disagree)

    def assign(self, column: np.ndarray, per_cluster: np.ndarray) -> None:
        """Give every row of each cluster its cluster's value (clusters that disagree are redone after)."""
        column[self.rows] = np.repeat(per_cluster, self.sizes)


def _golden_by_sources(rows: Rows, listing: Sequence[str], golden: dict[str, np.ndarray], members: np.ndarray,
                       firsts: np.ndarray, sizes: np.ndarray, trust: float) -> None:
    """Golden fields from whole sources, as build_company takes them (rows sharing a listing count once)."""
    view = _RowView(rows, listing)
    groups = _Groups(members, firsts, sizes)
    with quiet_collector():
        for k in range(len(sizes)):
            ms = groups.members(k)
            chosen = golden_fields(view.sources(ms), lambda _: trust)
            values = {f: _text(chosen[f]) for f in GOLDEN}
            values["phone"] = view.written(ms, chosen["phone"])
            for f in GOLDEN:
                golden[f][ms] = values[f]


class _AsList:
    """A column of the rows as a Python list, made when first read and then the view's own attribute."""

    def __init__(self, column: str | None = None):
        self._column = column

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.column = self._column or name

    def __get__(self, view: Any, owner: type | None = None) -> list[int]:
        found: list[int] = getattr(view.rows, self.column).tolist()
        view.__dict__[self.name] = found  # a non-data descriptor: the instance's value wins from now on
        return found


class _RowView:
    """The rows of clusters of several rows, as the sources build_company would see.

    Each column becomes a list (cheap to index from Python) when first used:
    a million rows make a list of 36 MB, and choosing golden phones needs only
    three of the eleven (measured: about 200 MB less at the peak of a million rows).
    """

    def __init__(self, rows: Rows, listing: Sequence[str]):
        self.rows = rows
        self.listing = listing

    name = _AsList()
    phone = _AsList()
    email = _AsList()
    website = _AsList()
    domain = _AsList()
    street = _AsList()
    city = _AsList()
    postcode = _AsList()
    country = _AsList()
    key_at = _AsList("phone_key_offsets")
    written_at = _AsList("written_offsets")

    def phones(self, row: int) -> tuple[list[str], list[str]]:
        """A row's phones (not mobiles) and how each is written abroad."""
        d = self.phone[row]
        first, at, stop = self.key_at[d], self.written_at[d], self.written_at[d + 1]
        return self.rows.phone_keys[first:first + stop - at], self.rows.written[at:stop]

    def written(self, members: list[int], phone: object) -> str:
        if not phone:
            return ""
        for m in members:
            phones, written = self.phones(m)
            for key, text in zip(phones, written, strict=True):
                if key == phone:
                    return text
        return _international(str(phone))

    def sources(self, members: list[int]) -> list[_Source]:
        """A cluster's rows as build_company sees its leads: one per listing (the newest), oldest first."""
        rows, listing = self.rows, self.listing
        by_listing: dict[str, int] = {}
        for m in members:   # rows in input order, newer rows later: the newest of a listing wins
            by_listing[listing[m]] = m
        out = []
        for m in sorted(by_listing.values()):
            name, email, domain = self.name[m], self.email[m], self.domain[m]
            postcode, country = self.postcode[m], self.country[m]
            out.append(_Source(
                rows.display[name], rows.legal_form[name], tuple(self.phones(m)[0]),
                (rows.emails[email],) if email >= 0 else (), rows.websites[self.website[m]],
                rows.domains[domain] if domain >= 0 else None, rows.streets[self.street[m]],
                rows.cities[self.city[m]], rows.postcodes[postcode] if postcode >= 0 else None,
                rows.countries[country] if country >= 0 else None, _row_time(m), SITE, listing[m]))
        return out


_START = datetime(2000, 1, 1, tzinfo=UTC)


def _row_time(row: int) -> datetime:
    return _START + timedelta(microseconds=row)


def row_times(n: int) -> list[datetime]:
    """When each row was "seen": one instant per row, in file order, so later rows are newer."""
    return [_row_time(i) for i in range(n)]
