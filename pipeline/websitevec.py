"""Many website fields at once: the usual ones read in Arrow, as ``website_and_domain`` reads them.

A big CSV holds hundreds of thousands of distinct websites; reading each
with tldextract costs some 15 µs of Python. A field of the usual shape
("www.acme.co.uk", "https://acme.com/contact") has its host right at the
start, and its registered domain is the longest public suffix among the
host's last labels plus the label before it: Arrow cuts the last one to six
labels of every host at once and looks them up in the public suffix list's
rules (the same list tldextract ships, ICANN section, as the one-by-one path
reads it). Hosts under a wildcard rule ("*.ck"), punycode, ports, user names,
anything not plain ASCII are left to ``website_and_domain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.arrowcsv import release_arrow_memory

# lower-case letters only after a case-insensitive test: (?i) in RE2 folds the Kelvin sign into k
_PLAIN = r"^(?i)(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][!-?A-~]*)?$"
_PUNYCODE = r"(?i)(?:^|[./])xn--"
_SCHEME = r"^(?i)https?://"
_SECURE = r"^(?i)https://"
_MOST_LABELS = 6


@dataclass(frozen=True)
class _Suffixes:
    """The public suffix rules as dotted paths written backwards ("ku.oc" for co.uk)."""

    nodes_backwards: pa.Array   # every path of the rule tree ("uk", "co.uk"), rules or not
    rules_backwards: pa.Array   # the paths that are rules
    wild_backwards: pa.Array    # the paths under which "*" is a rule
    deepest: int                # the most labels a path has


@lru_cache(maxsize=1)
def _suffixes() -> _Suffixes:
    from pipeline.normalize import _EXTRACTOR

    root = _EXTRACTOR._get_tld_extractor().tlds_excl_private_trie
    nodes: list[str] = []
    rules: list[str] = []
    wild: list[str] = []
    deepest = 0
    todo: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        name = ".".join(reversed(path))
        if path:
            nodes.append(name)
            deepest = max(deepest, len(path))
            if node.end:
                rules.append(name)
        if "*" in node.matches:
            wild.append(name)
        for label, child in node.matches.items():
            if label != "*" and not label.startswith("!"):
                todo.append((child, (*path, label)))

    def back(names: list[str]) -> pa.Array:
        return pa.array([name[::-1] for name in names], type=pa.string())

    return _Suffixes(back(nodes), back(rules), back(wild), deepest)


@dataclass
class Websites:
    answered: np.ndarray
    website: list[str | None]
    domain: list[str | None]


def read_many(texts: Sequence[str]) -> Websites:
    """Per field, ``website_and_domain(text)`` where the field has the usual shape (``answered``)."""
    n = len(texts)
    text = pa.array(texts, type=pa.string())
    suffixes = _suffixes()
    ok = (pc.string_is_ascii(text).to_numpy(zero_copy_only=False)
          & pc.match_substring_regex(text, _PLAIN).to_numpy(zero_copy_only=False)
          & ~pc.match_substring_regex(text, _PUNYCODE).to_numpy(zero_copy_only=False))
    rows = np.flatnonzero(ok)
    mine = text.take(pa.array(rows))
    scheme = pc.match_substring_regex(mine, _SCHEME).to_numpy(zero_copy_only=False)
    secure = pc.match_substring_regex(mine, _SECURE).to_numpy(zero_copy_only=False)
    rest = pc.if_else(pa.array(secure), pc.utf8_slice_codeunits(mine, 8),
                      pc.if_else(pa.array(scheme), pc.utf8_slice_codeunits(mine, 7), mine))
    host = pc.utf8_lower(pc.list_element(pc.split_pattern_regex(rest, "[/?#]", max_splits=1), 0))
    # the host backwards, in labels: its last m labels are the first m of these, joined and turned round
    backwards = pc.split_pattern(pc.utf8_reverse(host), ".")
    labels = pc.list_value_length(backwards).to_numpy(zero_copy_only=False).astype(np.int64)
    most = min(_MOST_LABELS, suffixes.deepest + 1)
    # the walk from the right along the rule tree: how far it goes, the longest rule on the way
    tail: list[pa.Array] = []
    reach = np.zeros(len(rows), dtype=np.int64)
    longest = np.zeros(len(rows), dtype=np.int64)
    going = np.ones(len(rows), dtype=bool)
    for m in range(1, most + 1):
        present = labels >= m
        last = pc.binary_join(pc.list_slice(backwards, 0, m), ".")   # backwards too
        tail.append(last)
        node = going & present & pc.is_in(last, value_set=suffixes.nodes_backwards).fill_null(False).to_numpy(
            zero_copy_only=False)
        rule = node & pc.is_in(last, value_set=suffixes.rules_backwards).fill_null(False).to_numpy(zero_copy_only=False)
        reach[node] = m
        longest[rule] = m
        going &= node
    # a walk that stopped (labels left) at a node with a wildcard rule: tldextract's own case
    stopped_at = np.where(reach > 0, reach, 0)
    wild = np.zeros(len(rows), dtype=bool)
    for m in range(0, most):
        at = (stopped_at == m) & (labels > m)
        if not at.any():
            continue
        if m == 0:
            wild[at] = "" in set(suffixes.wild_backwards.to_pylist())
        else:
            wild[at] = pc.is_in(tail[m - 1].filter(pa.array(at)), value_set=suffixes.wild_backwards).fill_null(
                False).to_numpy(zero_copy_only=False)
    # a walk that went as deep as the list lets us look: it might go deeper
    deep = going & (labels > most)
    unsure = wild | deep
    ok[rows[unsure]] = False
    domain = np.full(len(rows), None, dtype=object)
    for m in range(1, most):
        at = ~unsure & (longest == m) & (labels > m)
        if at.any():
            domain[at] = pc.utf8_reverse(tail[m].filter(pa.array(at))).to_numpy(zero_copy_only=False)
    # a host that is all suffix, or holds none: no domain, and so no website
    website = np.full(len(rows), None, dtype=object)
    has = np.array([d is not None for d in domain.tolist()], dtype=bool)
    written = np.asarray(mine.to_numpy(zero_copy_only=False), dtype=object)
    website[has & scheme] = written[has & scheme]
    plain = has & ~scheme
    if plain.any():
        website[plain] = pc.binary_join_element_wise("http://", mine.filter(pa.array(plain)), "").to_numpy(
            zero_copy_only=False)
    out_site = np.full(n, None, dtype=object)
    out_domain = np.full(n, None, dtype=object)
    keep = ~unsure
    out_site[rows[keep]] = website[keep]
    out_domain[rows[keep]] = domain[keep]
    read = Websites(ok, out_site.tolist(), out_domain.tolist())
    release_arrow_memory()
    return read
