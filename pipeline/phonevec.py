"""Many phone fields at once: the usual ones read and formatted in Arrow and numpy.

Reading a million phone fields one by one (:func:`pipeline.phonefast.parse_simple`,
then :func:`pipeline.phonefast.format_e164_of`) was the largest single cost of
``leads dedup`` on a big file: over 20 µs of Python per field. Yet every step
of that reading is a regular expression, a slice or a table lookup, and the
same ones for every field of a region: here each step runs over all of a
region's fields at once, the regular expressions in RE2 (Arrow), the slices
on the bytes (numpy). RE2 accepts phonenumbers' patterns as they are (they use
no back-references or look-arounds) and matches the same numbers with them.

Only valid numbers are answered here. A field this reading is unsure of (not
one number in digits and separators, a region whose national prefix is
rewritten, a number written with its country code but no "+", an
international prefix followed by a 0, a number no pattern accepts) is left
unanswered, for the one-at-a-time path, which also finds several numbers in
one field. So a field gets the same answer either way;
``tests/test_phonevec.py`` checks that on numbers of every region in many
writings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import phonenumberutil as pnu

from pipeline.arrowcsv import _layout, release_arrow_memory
from pipeline.phonefast import (
    _MAX_NSN,
    _MIN_NSN,
    _SPECIAL_TYPES,
    Parsed,
    _code_plan,
    _code_region_plan,
    _pieces,
    _Plan,
    _region_plan,
    format_e164_of,
)

# parse_simple's _SIMPLE on a field clean_text leaves as it is (no space at either end, no two in a row)
_SIMPLE = r"^[( ]*\+?[0-9 ().\-]*[0-9][0-9 ().\-]*$"
_UNCLEAN = r"^ | $|  "
_PLUS = r"^[( ]*\+"
_CODES = pa.array(sorted(str(code) for code in pnu.COUNTRY_CODE_TO_REGION_CODE))


@dataclass
class Numbers:
    """Per field: whether it was read here, and if so its number (None elsewhere)."""

    answered: np.ndarray            # bool
    e164: list[str | None]
    mobile: np.ndarray              # bool
    written: list[str | None]       # as format_e164_of writes it; None for mobiles and where not answered


# -- strings as bytes --------------------------------------------------------------------------

def _parts(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (from 0) and its bytes (``arrowcsv._layout``, cut to the array's own)."""
    offsets, data = _layout(text)
    return offsets - offsets[0], data[offsets[0]:offsets[-1]]


def _strings(offsets: np.ndarray, data: np.ndarray) -> pa.StringArray:
    return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets.astype(np.int32)),
                                       pa.py_buffer(data.tobytes()))


def _keep(text: pa.Array, keep: np.ndarray) -> pa.StringArray:
    """Each string with only the bytes where ``keep`` (a mask over all the bytes) is set."""
    offsets, data = _parts(text)
    ends = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(keep, out=ends[1:])
    return _strings(ends[offsets], data[keep])


def _digits(text: pa.Array) -> pa.StringArray:
    """The ASCII digits of each string (RE2's replace costs ten times more: it copies every match)."""
    _, data = _parts(text)
    return _keep(text, (data >= 48) & (data <= 57))


def _drop_heads(text: pa.Array, heads: np.ndarray) -> pa.StringArray:
    """Each string without its first ``heads[i]`` bytes (ASCII strings)."""
    offsets, data = _parts(text)
    lengths = np.diff(offsets)
    position = np.arange(len(data), dtype=np.int64) - np.repeat(offsets[:-1], lengths)
    return _keep(text, position >= np.repeat(heads.astype(np.int64), lengths))


def _byte_at(text: pa.Array, at: np.ndarray) -> np.ndarray:
    """Each string's byte at ``at[i]`` (-1 past its end)."""
    offsets, data = _parts(text)
    inside = at < np.diff(offsets)
    out = np.full(len(at), -1, dtype=np.int64)
    out[inside] = data[offsets[:-1][inside] + at[inside]]
    return out


def _lengths(text: pa.Array) -> np.ndarray:
    return np.diff(_parts(text)[0])


def _bools(array: pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False).astype(bool)


def _fullmatch(text: pa.Array, pattern: str | None) -> np.ndarray:
    if not pattern or len(text) == 0:
        return np.zeros(len(text), dtype=bool)
    return _bools(pc.match_substring_regex(text, f"^(?:{pattern})$"))


def _in(lengths: np.ndarray, allowed: frozenset[int] | Sequence[int]) -> np.ndarray:
    return np.isin(lengths, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))


# -- reading -----------------------------------------------------------------------------------

def read_many(texts: Sequence[str] | pa.Array, regions: Sequence[str | None]) -> Numbers:
    """Per field, the valid number ``parse_simple(text, region)`` finds in it, when sure.

    ``regions`` are ISO codes (None or "": no default region). What is
    answered is what parse_simple and format_e164_of answer; a field not
    answered may still hold a number: ask them.
    """
    text = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
    n = len(text)
    ok = _bools(pc.match_substring_regex(text, _SIMPLE)) & ~_bools(pc.match_substring_regex(text, _UNCLEAN))
    plus = _bools(pc.match_substring_regex(text, _PLUS))
    digits = _digits(text)
    size = _lengths(digits)
    ok &= (size >= 3) & (size <= 250)
    region_code, region_names = pd.factorize(pd.Series(regions, dtype=object).replace("", None),
                                             use_na_sentinel=True)
    plans = [_region_plan(r) for r in region_names]
    has_plan = np.array([p is not None for p in plans] + [False], dtype=bool)[region_code]
    ok &= plus | has_plan

    head = np.zeros(n, dtype=np.int64)     # digits before the calling code or national number
    international = ok & plus              # the number follows "+" or an international prefix
    code = np.zeros(n, dtype=np.int64)
    known = np.zeros(n, dtype=bool)        # the calling code is the region's, read before its national number
    for r, plan in enumerate(plans):
        rows = np.flatnonzero(ok & ~plus & (region_code == r))
        if plan is None or not len(rows):
            continue
        mine = digits.take(pa.array(rows))
        idd = plan.idd.pattern if plan.idd.pattern != "NonMatch" else None
        dialled = np.zeros(len(rows), dtype=bool)
        if idd:
            dialled = _bools(pc.match_substring_regex(mine, f"^(?:{idd})"))
        if dialled.any():
            rest = pc.replace_substring_regex(mine, f"^(?:{idd})", "", max_replacements=1)
            cut = _lengths(mine) - _lengths(rest)
            zero = _byte_at(mine, cut) == ord("0")
            head[rows[dialled]] = cut[dialled]
            international[rows[dialled & ~zero]] = True
            ok[rows[dialled & zero]] = False   # parse_simple goes on to the country-code test: left to it
        code[rows] = int(plan.country_code or 0)
        with_code = np.flatnonzero(_bools(pc.starts_with(mine, plan.code_text)) & ~dialled)
        if len(with_code) and plan.transform:
            ok[rows[with_code]] = False
        elif len(with_code):
            # "86-574-...": the code is the region's when the rest is a number and the whole is not
            whole = mine.take(pa.array(with_code))
            rest = _drop_heads(whole, np.full(len(with_code), len(plan.code_text), dtype=np.int64))
            potential = _strip_national_prefix(plan, rest)
            general = plan.general.pattern if plan.general is not None else None
            coded = ((~_fullmatch(whole, general) & _fullmatch(potential, general))
                     | _in(_lengths(whole), plan.too_long))
            taken = rows[with_code[coded]]
            head[taken] = len(plan.code_text) + (_lengths(rest) - _lengths(potential))[coded]
            international[taken] = True
            known[taken] = True

    # after "+" or an international prefix: the first one to three digits that name a calling code
    rows = np.flatnonzero(ok & international & ~known)
    if len(rows):
        rest = _drop_heads(digits.take(pa.array(rows)), head[rows])
        rest_size = _lengths(rest)
        width = np.zeros(len(rows), dtype=np.int64)
        found = np.zeros(len(rows), dtype=np.int64)
        starts_zero = _byte_at(rest, np.zeros(len(rows), dtype=np.int64)) == ord("0")
        for w in (3, 2, 1):   # phonenumbers takes the shortest: try it last
            start = pc.utf8_slice_codeunits(rest, 0, w)
            hit = _bools(pc.is_in(start, value_set=_CODES)) & (rest_size >= w) & ~starts_zero
            width[hit] = w
            if hit.any():
                found[hit] = pc.cast(start.filter(pa.array(hit)), pa.int64()).to_numpy()
        good = (width > 0) & (rest_size > _MIN_NSN)
        ok[rows[~good]] = False   # no calling code, or too short: parse_simple tries other readings
        head[rows] += width
        code[rows] = found

    # the national number, its national prefix stripped by the calling code's plan (after "+") or the region's
    rows = np.flatnonzero(ok)
    national = _drop_heads(digits.take(pa.array(rows)), head[rows])
    strip_key = np.where(international[rows], code[rows], -1 - region_code[rows])
    parts: list[pa.Array] = []
    order: list[np.ndarray] = []
    alive = np.ones(len(rows), dtype=bool)
    for key in np.unique(strip_key).tolist():
        at = np.flatnonzero(strip_key == key)
        plan = _code_plan(key) if key >= 0 else plans[-1 - key]
        assert plan is not None
        mine = national.take(pa.array(at))
        if plan.transform:
            alive[at] = False
            parts.append(mine)
        else:
            potential = _strip_national_prefix(plan, mine)
            keep = _in(_lengths(potential), plan.strip_lengths)
            chosen = pc.if_else(pa.array(keep), potential, mine)
            chosen_size = _lengths(chosen)
            alive[at[(_lengths(mine) < _MIN_NSN) | (chosen_size < _MIN_NSN) | (chosen_size > _MAX_NSN)]] = False
            parts.append(chosen)
        order.append(at)
    if parts:
        position = np.empty(len(rows), dtype=np.int64)
        position[np.concatenate(order)] = np.arange(len(rows))
        national = pa.concat_arrays([p.cast(pa.string()) for p in parts]).take(pa.array(position))
    keep_rows = np.flatnonzero(alive)
    rows, national = rows[keep_rows], national.take(pa.array(keep_rows))

    # the number's region among its calling code's, and its type there
    valid = np.zeros(len(rows), dtype=bool)
    mobile = np.zeros(len(rows), dtype=bool)
    codes_here = code[rows]
    for c in np.unique(codes_here).tolist():
        at = np.flatnonzero(codes_here == c)
        valid[at], mobile[at] = _kinds_by_code(int(c), national.take(pa.array(at)))
    rows, national, mobile = rows[valid], national.filter(pa.array(valid)), mobile[valid]
    codes_here = code[rows]

    answered = np.zeros(n, dtype=bool)
    answered[rows] = True
    e164 = pc.binary_join_element_wise("+", pc.cast(pa.array(codes_here), pa.string()), national, "")
    fixed = np.flatnonzero(~mobile)
    all_mobile = np.zeros(n, dtype=bool)
    all_mobile[rows] = mobile
    numbers = Numbers(answered, _spread(n, rows, e164), all_mobile,
                   _spread(n, rows[fixed], _written(codes_here[fixed], national.take(pa.array(fixed)))))
    release_arrow_memory()
    return numbers


def _spread(n: int, rows: np.ndarray, values: pa.Array | np.ndarray | list[str]) -> list[Any]:
    """A list of ``n`` with ``values`` at ``rows``, None elsewhere."""
    out = np.full(n, None, dtype=object)
    out[rows] = values.to_numpy(zero_copy_only=False) if isinstance(values, pa.Array) else values
    return out.tolist()  # type: ignore[no-any-return]


def _strip_national_prefix(plan: _Plan, number: pa.Array) -> pa.Array:
    """:meth:`_Plan.strip_national_prefix` for a plan without a transform rule, on many numbers."""
    if plan.prefix is None or len(number) == 0:
        return number
    pattern = f"^(?:{plan.prefix.pattern})"
    matched = _bools(pc.match_substring_regex(number, pattern))
    if not matched.any():
        return number
    stripped = pc.replace_substring_regex(number, pattern, "", max_replacements=1)
    general = plan.general.pattern if plan.general is not None else None
    viable = _fullmatch(number, general)
    still = _fullmatch(stripped, general)
    keep_original = ~matched | (viable & ~still) | (_lengths(number) == 0)
    return pc.if_else(pa.array(keep_original), number, stripped)


def _kinds_by_code(code: int, national: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per number: valid, and mobile, in the region ``_number_plan`` picks for it."""
    n = len(national)
    valid = np.zeros(n, dtype=bool)
    mobile = np.zeros(n, dtype=bool)
    regions = pnu.COUNTRY_CODE_TO_REGION_CODE.get(code)
    if not regions:
        return valid, mobile
    if len(regions) == 1:
        plan = _code_region_plan(code, regions[0])
        return _kind(plan, national) if plan is not None else (valid, mobile)
    open_ = np.ones(n, dtype=bool)
    for region in regions:
        plan = _region_plan(region)
        if plan is None or not open_.any():
            continue
        if plan.leading_digits is not None:
            picked = open_ & _bools(pc.match_substring_regex(national, f"^(?:{plan.leading_digits.pattern})"))
        else:
            picked = open_ & _kind(plan, national)[0]
        target = _code_region_plan(code, region)
        if picked.any() and target is not None:
            idx = np.flatnonzero(picked)
            valid[idx], mobile[idx] = _kind(target, national.take(pa.array(idx)))
        open_ &= ~picked
    return valid, mobile


def _kind(plan: _Plan, national: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`_Plan.kind` on many numbers: valid (any type but unknown), and mobile."""
    n = len(national)
    if plan.general is None or n == 0:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    size = _lengths(national)
    general = _fullmatch(national, plan.general.pattern)
    if plan.general_lengths:
        general &= _in(size, plan.general_lengths)
    special = np.zeros(n, dtype=bool)
    for name in _SPECIAL_TYPES:
        desc = getattr(plan.metadata, name)
        pattern = getattr(desc, "national_number_pattern", None) if desc is not None else None
        if not pattern:
            continue
        todo = general & ~special
        if desc.possible_length:
            todo &= _in(size, desc.possible_length)
        if todo.any():
            idx = np.flatnonzero(todo)
            special[idx] = _fullmatch(national.take(pa.array(idx)), pattern)
    is_mobile = np.zeros(n, dtype=bool)
    if plan.mobile is not None:
        todo = general & ~special
        if plan.mobile_lengths:
            todo &= _in(size, plan.mobile_lengths)
        if todo.any():
            idx = np.flatnonzero(todo)
            is_mobile[idx] = _fullmatch(national.take(pa.array(idx)), plan.mobile.pattern)
    return general & (special | is_mobile), is_mobile


# -- writing -----------------------------------------------------------------------------------

def _written(codes: np.ndarray, national: pa.Array) -> list[str]:
    """``format_e164_of`` of each (calling code, national number): "+1 713-482-1937"."""
    out: list[str | None] = [None] * len(codes)
    for c in np.unique(codes).tolist():
        at = np.flatnonzero(codes == c)
        mine = national.take(pa.array(at))
        plan = _code_plan(int(c))
        done = np.zeros(len(at), dtype=bool)
        if not plan.transform and plan.format_key is not None:
            same = _bools(pc.equal(_strip_national_prefix(plan, mine), mine))
            _format_groups(plan, f"+{c} ", mine, np.flatnonzero(same), at, out)
            done = same
        for k in np.flatnonzero(~done).tolist():   # formats as parse_simple would read them again
            nsn = mine[k].as_py()
            out[at[k]] = format_e164_of(Parsed(f"+{c}{nsn}", False, int(c), nsn))
    assert all(v is not None for v in out), "every number is written"
    return out  # type: ignore[return-value]


def _format_groups(plan: _Plan, lead: str, national: pa.Array, which: np.ndarray, at: np.ndarray,
                   out: list[str | None]) -> None:
    """:meth:`_Plan.format` of the numbers ``which``, for a plan whose formats are groups of digits.

    The format is chosen for all numbers at once, as ``_choose`` chooses it
    (the first whose leading digits and pattern match); a format made of
    digit groups then cuts every number of one length at the same places.
    """
    if not len(which):
        return
    mine = national.take(pa.array(which))
    n = len(mine)
    chosen = np.full(n, -1, dtype=np.int64)
    open_ = np.ones(n, dtype=bool)
    for f, (leading, pattern, _) in enumerate(plan.formats):
        idx = np.flatnonzero(open_)
        if not len(idx):
            break
        sub = mine.take(pa.array(idx))
        if leading is not None:
            hit = _bools(pc.match_substring_regex(sub, f"^(?:{leading.pattern})"))
            idx, sub = idx[hit], sub.filter(pa.array(hit))
        hit = _fullmatch(sub, pattern.pattern)
        chosen[idx[hit]] = f
        open_[idx[hit]] = False
    group, firsts = pd.factorize(chosen * 32 + _lengths(mine))
    first = np.full(len(firsts), -1, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group))[::-1]
    samples = mine.take(pa.array(first)).to_pylist()
    for g, number in enumerate(samples):
        f = int(chosen[first[g]])
        pieces = _pieces(number, plan.formats[f][1:] if f >= 0 else None)  # type: ignore[arg-type]
        members = np.flatnonzero(group == g)
        subset = mine.take(pa.array(members))
        if pieces is False:   # a rule that is not digit groups and text: one at a time
            formatted = pa.array([plan.format(v) for v in subset.to_pylist()], type=pa.string())
        elif pieces is None:
            formatted = subset
        else:
            assert isinstance(pieces, tuple)
            columns = [pa.scalar(q, type=pa.string()) if isinstance(q, str) else
                       pc.utf8_slice_codeunits(subset, q[0], q[1]) for q in pieces]
            formatted = (pc.binary_join_element_wise(*columns, "") if len(columns) > 1 else
                         columns[0] if not isinstance(columns[0], pa.Scalar) else
                         pa.array([columns[0].as_py()] * len(members), type=pa.string()))
        written = pc.binary_join_element_wise(lead, formatted, "").to_numpy(zero_copy_only=False)
        for k, value in zip(at[which[members]].tolist(), written.tolist(), strict=True):
            out[k] = value
