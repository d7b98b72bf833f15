"""Many company names at once: the plain ASCII ones split and keyed in Arrow, as ``name_parts`` does.

``name_parts`` costs some 10 µs of Python per name, and a big CSV holds a
million distinct names. For a name in plain ASCII its steps are string
operations Arrow does on all names at once: lower case, drop apostrophes,
split into words at anything that is not a letter or digit ("&" and "+"
become "and"), take off the longest legal form the last words spell, expand
abbreviations, drop a leading "the". The one step Arrow's regular expressions
cannot do (a dot between two one-letter words, as in "S.p.A.", goes: it needs
a look-behind) is done in Python, only on the names that have such a dot.
Names with other letters (accents, CJK) are left to ``name_parts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.arrowcsv import release_arrow_memory
from pipeline.names import _ABBREVIATION_DOT, _FORMS_BY_LENGTH, ABBREVIATIONS
from pipeline.phonevec import _spread

# printable ASCII with single inner spaces, as clean_text leaves it, and no "_" (a word character
# the tokenizer drops: name_parts then splits where this reading would not)
_PLAIN = r"^[!-^`-~]+(?: [!-^`-~]+)*$"
_INNER_DOT = r"[a-z0-9]\.[a-z0-9]"


@dataclass
class Names:
    """Per name: read here or not; for those read, what ``bulkdedup._names`` makes of ``name_parts``."""

    answered: np.ndarray
    legal: list[str | None]     # None where not answered
    key: list[str | None]
    sorted_key: list[str | None]
    words: list[str]            # each answered name's distinct words, flat (in sorted order)
    word_counts: np.ndarray     # per name (0 where not answered)


@lru_cache(maxsize=1)
def _forms() -> tuple[tuple[int, pa.Array, list[str]], ...]:
    """Per number of words (most first): the legal forms' words joined by spaces, and their canonical form."""
    return tuple((n, pa.array([" ".join(seq) for seq in forms], type=pa.string()), list(forms.values()))
                 for n, forms in _FORMS_BY_LENGTH)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[pa.Array, pa.Array]:
    return pa.array(list(ABBREVIATIONS), type=pa.string()), pa.array(list(ABBREVIATIONS.values()), type=pa.string())


def read_many(values: Sequence[str]) -> Names:
    """The names of plain ASCII read at once; the others are left (``answered`` False) to name_parts."""
    text = pa.array(values, type=pa.string())
    ok = (pc.string_is_ascii(text).to_numpy(zero_copy_only=False)
          & pc.match_substring_regex(text, _PLAIN).to_numpy(zero_copy_only=False))
    rows = np.flatnonzero(ok)
    lower = pc.utf8_lower(text.take(pa.array(rows)))
    dotted = np.flatnonzero(pc.match_substring_regex(lower, _INNER_DOT).to_numpy(zero_copy_only=False))
    if len(dotted):   # "s.p.a." -> "spa."
        fixed = pa.array([_ABBREVIATION_DOT.sub("", v) for v in lower.take(pa.array(dotted)).to_pylist()],
                         type=pa.string())
        position = np.arange(len(lower))
        position[dotted] = len(lower) + np.arange(len(dotted))
        lower = pa.concat_arrays([lower, fixed]).take(pa.array(position))
    spaced = pc.replace_substring_regex(pc.replace_substring(lower, "'", ""), r"[&+]", " and ")
    pieces = pc.split_pattern_regex(spaced, r"[^a-z0-9]+")
    flat = pc.list_flatten(pieces)
    owner = pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False)
    keep = pc.not_equal(pc.utf8_length(flat), 0)
    flat = flat.filter(keep)
    owner = owner[keep.to_numpy(zero_copy_only=False)]
    count = np.bincount(owner, minlength=len(rows)).astype(np.int64)
    start = np.r_[0, np.cumsum(count)][:-1]
    # the longest legal form the last words spell, if words are left before it
    total = count.copy()
    legal = np.full(len(rows), -1, dtype=np.int64)
    legal_names: list[str] = []
    for n, spelled, forms in _forms():
        todo = np.flatnonzero((total > n) & (legal < 0))
        if len(todo):
            at = (start[todo] + total[todo] - n)[:, None] + np.arange(n)
            last = pa.ListArray.from_arrays(pa.array(np.arange(0, n * len(todo) + 1, n, dtype=np.int32)),
                                            flat.take(pa.array(at.ravel())))
            found = pc.index_in(pc.binary_join(last, " "), value_set=spelled)
            hit = pc.is_valid(found).to_numpy(zero_copy_only=False)
            if hit.any():
                form = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
                legal[todo[hit]] = form[hit] + len(legal_names)
                count[todo[hit]] -= n
        legal_names.extend(forms)
    # the words before the form; a leading "the" carries no identity
    owner_all = np.repeat(np.arange(len(rows)), total)
    position = np.arange(len(flat)) - start[owner_all]
    the = (position == 0) & (count[owner_all] > 1) & pc.equal(flat, "the").to_numpy(zero_copy_only=False)
    kept = (position < count[owner_all]) & ~the
    count -= np.bincount(owner_all[the], minlength=len(rows))
    words = flat.filter(pa.array(kept))
    keys_, values_ = _abbreviations()
    which = pc.index_in(words, value_set=keys_)
    words = pc.if_else(pc.is_valid(which), pc.take(values_, which), words)
    offsets = pa.array(np.r_[0, np.cumsum(count)].astype(np.int32))
    key = pc.binary_join(pa.ListArray.from_arrays(offsets, words), " ")
    # sorted words: by row, then word (Python's order of str is Arrow's byte order for ASCII)
    row_of = np.repeat(np.arange(len(rows)), count)
    table = pa.table({"r": row_of, "w": words})
    table = table.take(pc.sort_indices(table, sort_keys=[("r", "ascending"), ("w", "ascending")]))
    sorted_words = table.column("w").combine_chunks()
    sorted_key = pc.binary_join(pa.ListArray.from_arrays(offsets, sorted_words), " ")
    # distinct words per name, one Python string per distinct word (millions of words, few distinct)
    encoded = pc.dictionary_encode(sorted_words)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    first = np.r_[True, (codes[1:] != codes[:-1]) | (row_of[1:] != row_of[:-1])] if len(codes) else \
        np.zeros(0, dtype=bool)
    vocabulary = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    distinct = vocabulary[codes[first]]
    word_counts = np.bincount(row_of[first], minlength=len(rows)).astype(np.int64)
    names = np.asarray([None, *legal_names], dtype=object)
    n = len(values)
    all_counts = np.zeros(n, dtype=np.int64)
    all_counts[rows] = word_counts
    read = Names(ok, _spread(n, rows, names[legal + 1]), _spread(n, rows, key), _spread(n, rows, sorted_key),
                 distinct.tolist(), all_counts)
    release_arrow_memory()
    return read
