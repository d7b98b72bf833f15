"""The match rules of :mod:`pipeline.dedup`, applied to many candidate pairs at once.

Records are columns (numpy arrays of codes and strings) and candidate pairs
are two integer arrays, so that blocking, scoring and the rules cost a few
vectorised passes instead of a Python call per pair: a night's few thousand
leads and a million-row CSV go through the same code. :func:`pipeline.dedup.resolve`
turns the links found here into evidence and companies; :mod:`pipeline.bulkdedup`
into the columns of ``leads dedup``.

The rules (README, "Deduplication"; thresholds in ``config/dedup.yaml``), for
a pair of records in the same block, strongest first:

=========================  =========================================================
``same_listing``           the same page of the same site
``same_domain``            same website domain, names >= ``name_with_domain``
``same_email``             same e-mail, names >= ``name_with_email``
``same_phone``             same phone, names >= ``name_with_phone``
``similar_name_same_place`` names >= ``name_with_place``, same postcode, street,
                           or city (unless the postcodes differ), no conflicting
                           phones or streets
=========================  =========================================================

Two identifiers shared (a phone and a website, a phone and an e-mail...) link
a pair whatever its names (the key rules' name thresholds do not apply). A
Chinese name is compared with a Latin one by :func:`cross_script_score`: the
share of the Latin name's distinctive words found in the Chinese name's pinyin;
and since a brand may be translated rather than transliterated, across scripts
a shared identifier in the same city or postcode is enough.

Different countries never match; different website domains only by
``same_domain`` (a stored company may know several). Phones and e-mails used
by more than ``max_names_per_key`` names are no evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from pipeline.configfile import load_model
from pipeline.script import has_cjk, pinyin_of

# Words too common in company names to make a useful block on their own.
GENERIC_NAME_TOKENS = frozenset({
    "and", "of", "the", "company", "group", "international", "industrial", "industries",
    "industry", "trading", "trade", "manufacturing", "manufacturer", "technology", "supply",
    "supplies", "products", "product", "import", "export", "enterprise", "enterprises",
    "global", "china", "usa", "america", "american", "new", "co", "services", "service",
    "systems", "solutions", "equipment", "imp", "exp", "factory", "works", "limited",
})


class DedupRules(BaseModel):
    """Thresholds of the match rules; the defaults work without labelled data."""

    model_config = ConfigDict(extra="forbid")

    name_with_domain: float = Field(50, ge=0, le=100, description="name score needed beside a shared website domain")
    name_with_email: float = Field(50, ge=0, le=100, description="name score needed beside a shared e-mail")
    name_with_phone: float = Field(60, ge=0, le=100, description="name score needed beside a shared phone")
    name_with_place: float = Field(90, ge=0, le=100, description="name score needed when only city or postcode agree")
    street_match: float = Field(90, ge=0, le=100, description="street score that counts as the same place")
    street_conflict: float = Field(50, ge=0, le=100, description="street score below which places differ")
    max_block_size: int = Field(200, ge=2, description="blocks larger than this are skipped as uninformative")
    max_names_per_key: int = Field(
        4, ge=1, description="a phone or e-mail shared by more distinct names is a switchboard or agency, not evidence"
    )
    keys_across_places: bool = Field(
        False, description="whether shared keys may join records in two places, another postcode and another "
                           "city or street (a chain's branches: no; a CRM full of companies that moved: yes)")
    site_trust: dict[str, float] = Field(default_factory=dict, description="site -> trust 0..1 for survivorship")
    default_trust: float = Field(0.5, ge=0, le=1)


def load_rules(path: Path) -> DedupRules:
    return load_model(path, DedupRules) if path.exists() else DedupRules()

RULES = ("same_listing", "same_domain", "same_email", "same_phone", "similar_name_same_place")
SAME_LISTING, SAME_DOMAIN, SAME_EMAIL, SAME_PHONE, SIMILAR_NAME_SAME_PLACE = range(5)
NO_MATCH = -1
# Links are applied in this order, and within a tier by name similarity, so
# when the cluster guard must refuse one of two links it refuses the weaker.
STRENGTH = np.array([0, 1, 2, 2, 3], dtype=np.int8)

# Key kinds, and what a pair sharing such a key learns (bits of a pair).
KIND_LISTING, KIND_DOMAIN, KIND_EMAIL, KIND_PHONE, KIND_LINE = range(5)
KIND_PREFIXES = {"src": KIND_LISTING, "domain": KIND_DOMAIN, "email": KIND_EMAIL, "phone": KIND_PHONE,
                 "line": KIND_LINE}
SHARES_LISTING, SHARES_DOMAIN, SHARES_EMAIL, SHARES_PHONE = 1, 2, 4, 8
COMMON_PHONE = 16  # a phone in common, even one too shared to be evidence: the phones do not conflict
NEAR_PHONE = 32    # numbers that differ in the last digit only: one switchboard's lines, no conflict either
_SHARE_BIT = np.array([SHARES_LISTING, SHARES_DOMAIN, SHARES_EMAIL, SHARES_PHONE, 0], dtype=np.uint8)
_CONTACT_BIT = np.array([0, 0, 0, COMMON_PHONE, NEAR_PHONE], dtype=np.uint8)


def phone_line(e164: str) -> str:
    """The line group of a number: all but its last digit ("+1713482193" for +17134821937 and ...38)."""
    return e164[:-1]

# Candidate pairs are scored in chunks of this many, so memory stays flat at any size.
CHUNK = 2_000_000


@dataclass
class MatchInput:
    """What the rules read of each record. Codes are ints, -1 where the value is missing.

    Names come three ways: the key per record (for distinctive words, made
    when a pair needs them), the sorted key (for the whole-name score), and
    each record's distinct words in long format (``word_record[k]`` has word
    ``words[word_code[k]]``: for frequent words and name blocks). Exact keys
    (listing, domain, e-mail, phone) are long format too: record
    ``key_record[k]`` has key ``key_code[k]``, of kind ``key_kind[key_code[k]]``.
    """

    name_key: np.ndarray                # object: "" when the name has no key
    name_code: np.ndarray               # codes of name_key
    sorted_name: np.ndarray             # object: the key's words, sorted
    word_record: np.ndarray
    word_code: np.ndarray
    words: Sequence[str]
    city: np.ndarray                    # codes of city keys
    city_words: Sequence[tuple[str, ...]]  # per city code: the words of the city key
    postcode: np.ndarray
    country: np.ndarray
    domain: np.ndarray
    street: np.ndarray                  # object: street keys, or streets when street_key is given
    stored: np.ndarray                  # bool: a stored company (two are never compared)
    key_record: np.ndarray
    key_code: np.ndarray
    key_kind: np.ndarray                # per key code
    key_names: Sequence[str] | None = None  # per key code, for evidence ("phone:+17134821937")
    street_key: Callable[[str | None], str | None] | None = None  # street -> key, applied when needed

    @property
    def size(self) -> int:
        return len(self.city)


def name_words(name_keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each name's distinct words in long format: (record, word code, words)."""
    distinct = [tuple(set(k.split())) for k in name_keys]
    lengths = np.fromiter((len(w) for w in distinct), dtype=np.int64, count=len(distinct))
    codes, words = pd.factorize(np.array([w for ws in distinct for w in ws], dtype=object))
    return np.repeat(np.arange(len(distinct), dtype=np.int64), lengths), codes.astype(np.int64), list(words)


@dataclass
class Links:
    """Accepted pairs in the order the cluster guard applies them, with what decided each."""

    i: np.ndarray
    j: np.ndarray
    rule: np.ndarray
    score: np.ndarray           # name score (0-100)
    street: np.ndarray          # street score, NaN when a street is missing
    same_city: np.ndarray
    same_postcode: np.ndarray
    compared: int               # distinct candidate pairs (-1 when not counted)
    ignored_keys: np.ndarray    # key codes too shared to be evidence
    scored: int                 # candidate pairs scored, a pair sharing two name words twice (cheap to count)
    streets: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None  # street scores of record pairs


def may_block(word: str) -> bool:
    """A word that may form a name block (within a country): two letters or more, not generic."""
    return len(word) > 1 and word not in GENERIC_NAME_TOKENS


def common_words(inp: MatchInput, share: float = 0.01, floor: int = 5) -> frozenset[str]:
    """Name words used by more than ``share`` of the records (and more than ``floor``)."""
    if len(inp.word_code) == 0:
        return frozenset()
    counts = np.bincount(inp.word_code, minlength=len(inp.words))
    limit = max(floor, share * inp.size)
    return frozenset(inp.words[c] for c in np.flatnonzero(counts > limit).tolist())


class Vocabulary:
    """Words, and their misspellings: a word of five letters or more one slip away counts as it.

    "Textilles", "Soolutions" and "Hsanghai" are the trade word, the generic
    word and the city misspelt; left in a name's distinctive words they would
    make one company's two listings look like two companies. A slip is one
    letter dropped, added, changed or moved (found by deleting one letter from
    each side: the symmetric-deletion test).
    """

    FUZZY_FROM = 5

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        self._deleted: set[str] = set()
        for word in self.words:
            if len(word) >= self.FUZZY_FROM:
                self._deleted.update(_deletions(word))
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if word in self.words:
            return True
        if not isinstance(word, str) or len(word) < self.FUZZY_FROM - 1 or not self._deleted:
            return False
        found = self._known.get(word)
        if found is None:
            found = word in self._deleted or any(
                d in self.words or d in self._deleted for d in _deletions(word) if len(d) >= self.FUZZY_FROM - 1)
            self._known[word] = found
        return found


def _deletions(word: str) -> set[str]:
    return {word[:k] + word[k + 1:] for k in range(len(word))}


def place_words(city_names: Sequence[object], codes: np.ndarray,
                written: Sequence[str | None]) -> list[tuple[str, ...]]:
    """Per city code, the words of the city's key and of each spelling the records wrote it in.

    A city is compared under its GeoNames name ("munich"), but a name says it as
    its firm writes it: "München Leuchten" in München is read without "munchen".
    ``codes`` and ``written`` go together: a city code and a folded spelling each.
    """
    words = [list(str(name).split()) for name in city_names]
    for code, spelling in zip(codes.tolist(), written, strict=True):
        if code >= 0 and spelling:
            words[code].extend(w for w in spelling.split() if w not in words[code])
    return [tuple(w) for w in words]


def distinctive_name(words: Sequence[str], place: Vocabulary | Sequence[str],
                     common: Vocabulary | frozenset[str]) -> str | None:
    """The words of a name that tell companies apart, sorted; None when it has none.

    "Hangzhou Lianfa Knitting & Weaving" and "Hangzhou Meiling Knitting &
    Weaving" look 90% alike letter by letter; without the city and the trade
    words only "lianfa" and "meiling" remain, and those differ. ``common``
    holds the generic words and those frequent in the batch; misspellings of
    them, or of the city, are left out too (see :class:`Vocabulary`).
    """
    kept = [t for t in words if t not in common and t not in place]
    return " ".join(sorted(kept)) if kept else None


def overshared(inp: MatchInput, rules: DedupRules) -> np.ndarray:
    """Codes of phones and e-mails used by more than ``max_names_per_key`` different names."""
    kinds = inp.key_kind[inp.key_code]
    personal = (kinds == KIND_PHONE) | (kinds == KIND_EMAIL)
    if not personal.any():
        return np.zeros(0, dtype=np.int64)
    keys = inp.key_code[personal].astype(np.int64)
    # only a key of more records than max_names_per_key can have that many names
    crowded = np.bincount(keys)[keys] > rules.max_names_per_key
    if not crowded.any():
        return np.zeros(0, dtype=np.int64)
    keys = keys[crowded]
    names = inp.name_code[inp.key_record[personal][crowded]].astype(np.int64)
    width = int(inp.name_code.max()) + 1
    key_of_pair = np.unique(keys * width + names) // width
    distinct, counts = np.unique(key_of_pair, return_counts=True)
    return distinct[counts > rules.max_names_per_key]


# -- candidate pairs ----------------------------------------------------------------------------

def _pairs_in_blocks(record: np.ndarray, block: np.ndarray, max_size: int, chunk: int = CHUNK,
                     share: int = 1, part: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every pair of members (i < j) of each block of 2..max_size members, with its block, in chunks.

    With ``share`` > 1, only the chunks ``k`` with ``k % share == part`` are made (for one of
    ``share`` processes).
    """
    if len(record) == 0:
        return
    k = -1
    order = np.lexsort((record, block))
    rec, blk = record[order], block[order]
    starts = np.flatnonzero(np.r_[True, blk[1:] != blk[:-1]])
    sizes = np.diff(np.r_[starts, len(blk)])
    keep = (sizes >= 2) & (sizes <= max_size)
    for size in np.unique(sizes[keep]):
        block_starts = starts[keep & (sizes == size)]
        upper_i, upper_j = np.triu_indices(int(size), 1)
        per_block = len(upper_i)
        step = max(1, chunk // per_block)
        for at in range(0, len(block_starts), step):
            k += 1
            if k % share != part:
                continue
            these = block_starts[at:at + step]
            members = rec[these[:, None] + np.arange(size)]
            yield (members[:, upper_i].ravel(), members[:, upper_j].ravel(),
                   np.repeat(blk[these], per_block))


def _big_blocks(record: np.ndarray, block: np.ndarray, max_size: int) -> dict[int, set[int]]:
    """record -> blocks it is in that are too big to pair up (their keys may still be shared)."""
    if len(block) == 0:
        return {}
    counts = np.bincount(block)
    big = counts[block] > max_size
    found: dict[int, set[int]] = {}
    for r, b in zip(record[big].tolist(), block[big].tolist(), strict=True):
        found.setdefault(r, set()).add(b)
    return found


def _encode(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    return i.astype(np.int64) * n + j.astype(np.int64)


@dataclass
class _KeyPairs:
    """Pairs that share at least one exact key (listing, domain, e-mail, phone), each once, with bits."""

    code: np.ndarray            # sorted pair codes i * n + j
    bits: np.ndarray


def _key_pairs(inp: MatchInput, rules: DedupRules, ignored: np.ndarray) -> tuple[_KeyPairs, dict[int, set[int]]]:
    n = inp.size
    n_keys = int(inp.key_code.max()) + 1 if len(inp.key_code) else 0
    bit_of_key = np.zeros(n_keys, dtype=np.uint8)
    if n_keys:
        bit_of_key = _SHARE_BIT[inp.key_kind.astype(np.int64)].copy()
        bit_of_key[ignored] = 0
        bit_of_key |= _CONTACT_BIT[inp.key_kind.astype(np.int64)]
    codes, bits = [], []
    for i, j, block in _pairs_in_blocks(inp.key_record, inp.key_code, rules.max_block_size):
        codes.append(_encode(i, j, n))
        bits.append(bit_of_key[block])
    big = _big_blocks(inp.key_record, inp.key_code, rules.max_block_size)
    if not codes:
        return _KeyPairs(np.zeros(0, np.int64), np.zeros(0, np.uint8)), big
    code = np.concatenate(codes)
    bit = np.concatenate(bits)
    order = np.argsort(code, kind="stable")
    code, bit = code[order], bit[order]
    first = np.r_[True, code[1:] != code[:-1]]
    starts = np.flatnonzero(first)
    return _KeyPairs(code[starts], np.bitwise_or.reduceat(bit, starts)), big


def _name_blocks(inp: MatchInput, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(record, block) for each name word that may block, per country.

    A word too common in a country to pair all its records ("valve" among a
    million US companies) blocks within each city and each postcode instead,
    so the work per record stays bounded as files grow.
    """
    blocking = np.fromiter((may_block(w) for w in inp.words), dtype=bool, count=len(inp.words))
    keep = blocking[inp.word_code] if len(inp.word_code) else np.zeros(0, dtype=bool)
    records, words = inp.word_record[keep], inp.word_code[keep]
    if len(records) == 0:
        return records, words
    country = inp.country.astype(np.int64)[records] + 1
    block = _codes_of_ints(words * (int(inp.country.max()) + 2) + country)
    big = np.bincount(block)[block] > max_size
    if not big.any():
        return records, block
    parts_r, parts_b = [records[~big]], [block[~big]]
    offset = int(block.max()) + 1
    for place in (inp.city, inp.postcode):
        codes = place.astype(np.int64)[records[big]]
        has = codes >= 0
        sub = _codes_of_ints(block[big][has] * (int(place.max()) + 1) + codes[has])
        parts_r.append(records[big][has])
        parts_b.append(sub + offset)
        offset += int(sub.max()) + 1 if len(sub) else 0
    return np.concatenate(parts_r), np.concatenate(parts_b)


def _codes_of_ints(values: np.ndarray) -> np.ndarray:
    _, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64)


# -- the rules ----------------------------------------------------------------------------------

def cross_script_score(cjk_name: str, latin_words: Sequence[str]) -> float:
    """How far a Latin name's distinctive words are spelt, in pinyin, inside a Chinese name.

    "深圳市光明照明" reads "shenzhenshiguangmingzhaoming"; "Shenzhen Guangming
    Lighting" has the distinctive word "guangming" in it: the brand agrees,
    and the trade words (照明, "lighting") are translated, not transliterated,
    so they are not expected: one distinctive word of four letters or more
    found is full agreement (the brand), else the share of the distinctive
    letters found. Names are only compared across scripts beside a shared
    phone, e-mail or website, never on a name alone.
    """
    words = [w for w in latin_words if len(w) >= 3 and w.isascii()]
    if not words:
        return 0.0
    reading = pinyin_of(cjk_name)
    found = [w for w in words if w in reading]
    if any(len(w) >= 4 for w in found):
        return 100.0
    return 100.0 * sum(len(w) for w in found) / sum(len(w) for w in words)


class _Scorer:
    """Name and street similarity of pairs; distinctive names are made when first needed."""

    def __init__(self, inp: MatchInput, common: frozenset[str], workers: int):
        self.inp = inp
        self.common = Vocabulary(GENERIC_NAME_TOKENS | common)
        self.places: dict[int, Vocabulary] = {}
        self.workers = workers
        self.sorted_name = np.asarray(inp.sorted_name, dtype=object)
        self._street = np.asarray(inp.street, dtype=object)
        if inp.street_key is None:
            self._street_known = np.ones(inp.size, dtype=bool)
            self._street_keys = self._street
        else:
            self._street_known = np.zeros(inp.size, dtype=bool)
            self._street_keys = np.empty(inp.size, dtype=object)
        # the codes decide() compares for every candidate pair, in the narrowest integers that hold them:
        # gathering tens of millions of pairs from arrays that stay in the cache is about three times faster
        self.city, self.postcode, self.country, self.domain = (
            _narrow(codes) for codes in (inp.city, inp.postcode, inp.country, inp.domain))
        self._distinctive = np.empty(inp.size, dtype=object)
        self._known = np.zeros(inp.size, dtype=bool)
        self.has_phone = np.zeros(inp.size, dtype=bool)
        self.has_phone[inp.key_record[inp.key_kind[inp.key_code] == KIND_PHONE]] = True
        self.has_cjk = np.fromiter((has_cjk(str(k or "")) for k in inp.name_key), dtype=bool, count=inp.size)

    def distinctive(self, records: np.ndarray) -> np.ndarray:
        todo = np.unique(records[~self._known[records]])
        if len(todo):
            inp = self.inp
            places = self.places
            for r in todo.tolist():
                city = int(inp.city[r])
                place = places.get(city)
                if place is None:
                    place = places[city] = Vocabulary(inp.city_words[city] if city >= 0 else ())
                self._distinctive[r] = distinctive_name(str(inp.name_key[r]).split(), place, self.common)
            self._known[todo] = True
        return self._distinctive[records]

    def ratio(self, a: np.ndarray, b: np.ndarray, cutoff: float | None = None) -> np.ndarray:
        if len(a) == 0:
            return np.zeros(0, dtype=np.float64)
        return process.cpdist(a, b, scorer=fuzz.ratio, dtype=np.float64, workers=self.workers,
                               score_cutoff=cutoff)

    def names(self, i: np.ndarray, j: np.ndarray, cutoff: float | None = None) -> np.ndarray:
        """``dedup.name_score``: the whole names' ratio, capped by that of their distinctive words.

        With ``cutoff``, scores below it come back as 0 (and are not worth the second ratio).
        A Chinese name against a Latin one is scored by :func:`cross_script_score`.
        """
        score = self._latin_names(i, j, cutoff)
        if self.has_cjk.any():
            mixed = np.flatnonzero(self.has_cjk[i] != self.has_cjk[j])
            if len(mixed):
                score[mixed] = [self.cross_script(int(a), int(b)) for a, b in zip(i[mixed], j[mixed], strict=True)]
                if cutoff:
                    score[mixed] = np.where(score[mixed] >= cutoff, score[mixed], 0)
        return score

    def cross_script(self, a: int, b: int) -> float:
        cjk, latin = (a, b) if self.has_cjk[a] else (b, a)
        words = self.distinctive(np.array([latin]))[0] or self.inp.name_key[latin] or ""
        return cross_script_score(str(self.inp.name_key[cjk]), str(words).split())

    def _latin_names(self, i: np.ndarray, j: np.ndarray, cutoff: float | None = None) -> np.ndarray:
        whole = self.ratio(self.sorted_name[i], self.sorted_name[j], cutoff)
        worth = whole > 0 if cutoff else np.ones(len(i), dtype=bool)
        idx = np.flatnonzero(worth)
        da, db = self.distinctive(i[idx]), self.distinctive(j[idx])
        both = np.fromiter((x is not None and y is not None for x, y in zip(da, db, strict=True)),
                           dtype=bool, count=len(idx))
        score = whole.copy()
        if both.any():
            sel = idx[both]
            words = self.ratio(da[both], db[both])
            score[sel] = np.minimum(whole[sel], words)
        return score

    def street_keys(self, records: np.ndarray) -> np.ndarray:
        todo = np.unique(records[~self._street_known[records]])
        if len(todo):
            key = self.inp.street_key
            assert key is not None
            self._street_keys[todo] = [key(s) for s in self._street[todo].tolist()]
            self._street_known[todo] = True
        return self._street_keys[records]

    def streets(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Street similarity; unknown (NaN) where a street is missing or the two are in different scripts."""
        a, b = self.street_keys(i), self.street_keys(j)
        both = np.fromiter((x is not None and y is not None and has_cjk(x) == has_cjk(y)
                            for x, y in zip(a, b, strict=True)), dtype=bool, count=len(i))
        out = np.full(len(i), np.nan)
        if both.any():
            out[both] = self.ratio(a[both], b[both])
        return out


@dataclass
class _Decided:
    i: np.ndarray
    j: np.ndarray
    rule: np.ndarray
    score: np.ndarray
    street: np.ndarray
    same_city: np.ndarray
    same_postcode: np.ndarray

    @staticmethod
    def empty() -> _Decided:
        z = np.zeros(0, dtype=np.int64)
        return _Decided(z, z, z.astype(np.int8), z.astype(float), z.astype(float), z.astype(bool), z.astype(bool))

    def take(self, mask: np.ndarray) -> _Decided:
        return _Decided(self.i[mask], self.j[mask], self.rule[mask], self.score[mask], self.street[mask],
                        self.same_city[mask], self.same_postcode[mask])

    @staticmethod
    def concat(parts: list[_Decided]) -> _Decided:
        if not parts:
            return _Decided.empty()
        return _Decided(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                          ("i", "j", "rule", "score", "street", "same_city", "same_postcode")))


def _narrow(codes: np.ndarray) -> np.ndarray:
    """Codes (-1 for none) in int16 or int32 when their values allow."""
    top = int(codes.max()) if len(codes) else 0
    for kind in (np.int16, np.int32):
        if top <= np.iinfo(kind).max:
            return codes.astype(kind)
    return codes


def _present_equal(codes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a = codes[i]
    return (a >= 0) & (a == codes[j])


def _conflict(codes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = codes[i], codes[j]
    return (a >= 0) & (b >= 0) & (a != b)


def decide(inp: MatchInput, scorer: _Scorer, rules: DedupRules, i: np.ndarray, j: np.ndarray,
           bits: np.ndarray, evidence: bool = True) -> _Decided:
    """The pairs a rule links, with the rule and what it read, as the table in the module docstring says.

    Pairs without a shared key can only match by ``similar_name_same_place``,
    which needs no phone or domain conflict: those cheap tests run first and
    names are scored only for the pairs left.
    """
    n = len(i)
    rule = np.full(n, NO_MATCH, dtype=np.int8)
    score = np.zeros(n)
    street = np.full(n, np.nan)
    same_city = _present_equal(scorer.city, i, j)
    same_post = _present_equal(scorer.postcode, i, j)

    listing = (bits & SHARES_LISTING) != 0
    keyed = (bits & (SHARES_DOMAIN | SHARES_EMAIL | SHARES_PHONE)) != 0
    open_ = ~listing & ~_conflict(scorer.country, i, j)
    domain_conflict = _conflict(scorer.domain, i, j)
    phone_conflict = scorer.has_phone[i] & scorer.has_phone[j] & ((bits & (COMMON_PHONE | NEAR_PHONE)) == 0)
    place_only = open_ & ~keyed & ~domain_conflict & ~phone_conflict

    full = np.flatnonzero(listing | (open_ & keyed))
    if len(full):
        score[full] = scorer.names(i[full], j[full])
    quick = np.flatnonzero(place_only)
    if len(quick):
        score[quick] = scorer.names(i[quick], j[quick], cutoff=rules.name_with_place)

    rule[listing] = SAME_LISTING
    k = open_ & keyed
    # A website or mailbox shared by records whose phones differ and whose addresses differ
    # (city, postcode or street) is a chain's (branches, franchises), not one company's
    # listings: those keys link only records that are not elsewhere.
    maybe_elsewhere = np.flatnonzero(k & phone_conflict & ((bits & (SHARES_DOMAIN | SHARES_EMAIL)) != 0))
    elsewhere = np.zeros(n, dtype=bool)
    if len(maybe_elsewhere):
        a, b = i[maybe_elsewhere], j[maybe_elsewhere]
        street[maybe_elsewhere] = scorer.streets(a, b)
        elsewhere[maybe_elsewhere] = ((street[maybe_elsewhere] < rules.street_conflict)
                                      | _conflict(scorer.city, a, b) | _conflict(scorer.postcode, a, b))
    # Two identifiers shared (phone and website, phone and e-mail...): one company, however the
    # names are written (scripts, typos, trading names).
    kinds = (((bits & SHARES_DOMAIN) != 0).astype(np.int8) + ((bits & SHARES_EMAIL) != 0)
             + ((bits & SHARES_PHONE) != 0))
    two_keys = kinds >= 2
    # Across scripts a brand may be translated ("Brightway" 博威): a shared phone in the same
    # city or postcode is enough there, since the names cannot be compared.
    cross_place = (scorer.has_cjk[i] != scorer.has_cjk[j]) & (same_city | same_post) & (kinds >= 1)
    for share, threshold, code in ((SHARES_DOMAIN, rules.name_with_domain, SAME_DOMAIN),
                                   (SHARES_EMAIL, rules.name_with_email, SAME_EMAIL),
                                   (SHARES_PHONE, rules.name_with_phone, SAME_PHONE)):
        hit = k & ((bits & share) != 0) & ((score >= threshold) | two_keys | cross_place)
        if code != SAME_PHONE:
            hit &= ~elsewhere
        rule[hit] = code
        k &= ~hit
        if code == SAME_DOMAIN:
            k &= ~domain_conflict  # different websites: only the domain rule could have linked them
    # a keyed pair no key rule took is judged like the others, on names and place
    place = ((k & ~phone_conflict) | place_only) & (score >= rules.name_with_place)
    idx = np.flatnonzero(place)
    if len(idx):
        todo = idx[np.isnan(street[idx])]
        street[todo] = scorer.streets(i[todo], j[todo])
        s = street[idx]
        # a city holds many postcodes: in one city, different postcodes are different places
        in_town = same_city[idx] & ~_conflict(scorer.postcode, i[idx], j[idx])
        ok = (in_town | same_post[idx] | (s >= rules.street_match)) & ~(s < rules.street_conflict)
        rule[idx[ok]] = SIMILAR_NAME_SAME_PLACE
    decided = rule != NO_MATCH
    if evidence:  # evidence records the street score of every accepted pair
        need = np.flatnonzero(decided & np.isnan(street))
        if len(need):
            street[need] = scorer.streets(i[need], j[need])
    return _Decided(i[decided], j[decided], rule[decided], score[decided], street[decided],
                    same_city[decided], same_post[decided])


# -- links ---------------------------------------------------------------------------------------

def find_links(inp: MatchInput, rules: DedupRules, *, workers: int = 1, count_pairs: bool = False,
               evidence: bool = True, processes: int = 1) -> Links:
    """Every accepted pair among the candidates (records sharing a key or a name word), strongest first.

    ``workers`` threads score names (rapidfuzz); with ``processes=2`` a forked
    process decides every other chunk of candidate pairs (for a command-line
    run only: forking a process that runs threads, as a flow does, is not
    safe); ``count_pairs`` counts the distinct candidate pairs, which costs a sort of all of them; without
    ``evidence`` the street score is known only for pairs the street decided.
    """
    n = inp.size
    ignored = overshared(inp, rules)
    if n < 2:
        none = _Decided.empty()
        return Links(none.i, none.j, none.rule, none.score, none.street, none.same_city, none.same_postcode,
                     compared=0, ignored_keys=ignored, scored=0)
    scorer = _Scorer(inp, common_words(inp), workers)
    stored = inp.stored
    keyed, big = _key_pairs(inp, rules, ignored)
    if big:
        keyed.bits = _with_big_keys(inp, keyed.code, keyed.bits, big, ignored)
    ki, kj = keyed.code // n, keyed.code % n
    open_pairs = ~(stored[ki] & stored[kj])
    scored = int(open_pairs.sum())
    # and pairs that share only name words: many, nearly all refused by the cheap tests in decide()
    records, blocks = _name_blocks(inp, rules.max_block_size)
    task = _PairTask(inp, scorer, rules, ki[open_pairs], kj[open_pairs], keyed.bits[open_pairs], records, blocks,
                     evidence, count_pairs)
    accepted, by_name, name_codes, name_scored = _pairs_in_two(task) if processes > 1 else task.run(1, 0)
    scored += name_scored
    names = _Decided.concat(by_name)
    # a pair found twice (two shared words) counts once; one that also shares a key was decided
    # above, knowing it
    _, first = np.unique(_encode(names.i, names.j, n), return_index=True)
    names = names.take(np.sort(first))
    names = names.take(~_member(_encode(names.i, names.j, n), keyed.code))
    if big:
        names = _redecide_big(inp, scorer, rules, names, big, ignored, evidence)
    links = _Decided.concat(accepted + [names])
    compared = -1
    if count_pairs:
        compared = len(np.unique(np.concatenate([keyed.code[open_pairs], *name_codes])))
    rounded = np.array([round(float(s), 1) for s in links.score], dtype=np.float64)
    links = links.take(np.lexsort((links.j, links.i, -rounded, STRENGTH[links.rule])))
    return Links(links.i, links.j, links.rule, links.score, links.street, links.same_city, links.same_postcode,
                 compared, ignored, scored, scorer.streets)


@dataclass
class _PairTask:
    """Deciding the candidate pairs chunk by chunk, so that a forked process can take a share."""

    inp: MatchInput
    scorer: _Scorer
    rules: DedupRules
    ki: np.ndarray          # pairs sharing a key, with the bits of what they share
    kj: np.ndarray
    bits: np.ndarray
    records: np.ndarray     # (record, block) of the name blocks
    blocks: np.ndarray
    evidence: bool
    count_pairs: bool

    def run(self, share: int, part: int) -> tuple[list[_Decided], list[_Decided], list[np.ndarray], int]:
        """decide() on the chunks ``k`` with ``k % share == part``: keyed pairs accepted, name-block
        pairs accepted, the name-block pair codes and how many of those were scored."""
        n, stored = self.inp.size, self.inp.stored
        keyed: list[_Decided] = []
        step = CHUNK if share == 1 else CHUNK // 4   # smaller chunks share out more evenly
        for k, at in enumerate(range(0, len(self.ki), step)):
            if k % share == part:
                keyed.append(decide(self.inp, self.scorer, self.rules, self.ki[at:at + step], self.kj[at:at + step],
                                    self.bits[at:at + step], self.evidence))
        decided: list[_Decided] = []
        codes: list[np.ndarray] = []
        scored = 0
        chunks = _pairs_in_blocks(self.records, self.blocks, self.rules.max_block_size, chunk=step,
                                  share=share, part=part)
        for i, j, _ in chunks:
            m = ~(stored[i] & stored[j])
            i, j = i[m], j[m]
            scored += len(i)
            if self.count_pairs:
                codes.append(_encode(i, j, n))
            decided.append(decide(self.inp, self.scorer, self.rules, i, j, np.zeros(len(i), dtype=np.uint8),
                                  self.evidence))
        return keyed, decided, codes, scored


_FORKED_TASK: _PairTask | None = None


def _forked_part() -> tuple[list[_Decided], list[_Decided], list[np.ndarray], int]:
    assert _FORKED_TASK is not None
    return _FORKED_TASK.run(2, 1)


def _pairs_in_two(task: _PairTask) -> tuple[list[_Decided], list[_Decided], list[np.ndarray], int]:
    """:meth:`_PairTask.run` in this process and a forked one, each on every other chunk.

    The forked process reads the parent's arrays without copying them and
    sends back only the pairs it accepted. The order of the pairs does not
    matter: find_links sorts them.
    """
    import multiprocessing

    global _FORKED_TASK
    _FORKED_TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.apply_async(_forked_part)
            mine = task.run(2, 0)
            theirs = pending.get()
    finally:
        _FORKED_TASK = None
    return mine[0] + theirs[0], mine[1] + theirs[1], mine[2] + theirs[2], mine[3] + theirs[3]


def _member(codes: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    if len(sorted_codes) == 0:
        return np.zeros(len(codes), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)
    return sorted_codes[pos] == codes


def _with_big_keys(inp: MatchInput, code: np.ndarray, bits: np.ndarray, big: dict[int, set[int]],
                   ignored: np.ndarray) -> np.ndarray:
    """Add the keys of too-big blocks (skipped when pairing) that candidate pairs share."""
    n = inp.size
    i, j = code // n, code % n
    has_big = np.zeros(n, dtype=bool)
    has_big[list(big)] = True
    both = np.flatnonzero(has_big[i] & has_big[j])
    bits = bits.copy()
    ignored_set = set(ignored.tolist())
    for p in both.tolist():
        bits[p] |= _shared_bits(inp, big[int(i[p])] & big[int(j[p])], ignored_set)
    return bits


def _shared_bits(inp: MatchInput, keys: set[int], ignored: set[int]) -> int:
    bits = 0
    for key in keys:
        kind = int(inp.key_kind[key])
        if key not in ignored:
            bits |= int(_SHARE_BIT[kind])
        bits |= int(_CONTACT_BIT[kind])
    return bits


def _redecide_big(inp: MatchInput, scorer: _Scorer, rules: DedupRules, names: _Decided,
                  big: dict[int, set[int]], ignored: np.ndarray, evidence: bool) -> _Decided:
    """Name-word pairs that share a key of a too-big block: decide again, knowing the key."""
    ignored_set = set(ignored.tolist())
    bits = np.array([_shared_bits(inp, big.get(a, set()) & big.get(b, set()), ignored_set)
                     for a, b in zip(names.i.tolist(), names.j.tolist(), strict=True)], dtype=np.uint8)
    redo = bits != 0
    if not redo.any():
        return names
    again = decide(inp, scorer, rules, names.i[redo], names.j[redo], bits[redo], evidence)
    return _Decided.concat([names.take(~redo), again])


# -- clusters ------------------------------------------------------------------------------------

PLACES_KEPT = 64  # places a cluster remembers for the guard (a company has a few; a chain's rest is alike)


@dataclass
class Places:
    """What :class:`ClusterGuard` reads to tell two places apart: per record its city and postcode
    codes (-1: none), and the street score of record pairs (NaN where a street is missing)."""

    city: list[int]
    postcode: list[int]
    street: list[object]        # as written (None: none); a cluster remembers each place once
    streets: Callable[[np.ndarray, np.ndarray], np.ndarray] | None
    street_conflict: float

    def apart(self, a: Iterable[int], b: Iterable[int]) -> bool:
        """Whether a record of one group and one of the other are in two places: their postcodes
        differ and so do their cities, or their streets (below ``street_conflict``)."""
        city, post = self.city, self.postcode
        ask_i: list[int] = []
        ask_j: list[int] = []
        for x in a:
            for y in b:
                if post[x] != post[y]:
                    if city[x] >= 0 and city[y] >= 0 and city[x] != city[y]:
                        return True
                    ask_i.append(x)
                    ask_j.append(y)
        if not ask_i or self.streets is None:
            return False
        scores = self.streets(np.array(ask_i, dtype=np.int64), np.array(ask_j, dtype=np.int64))
        return bool((scores < self.street_conflict).any())  # NaN (no street) is never below


def places_of(inp: MatchInput, rules: DedupRules, links: Links | None = None) -> Places | None:
    """The places :class:`ClusterGuard` keeps apart; None when keys may cross places."""
    if rules.keys_across_places:
        return None
    return Places(inp.city.tolist(), inp.postcode.tolist(), inp.street.tolist(),
                  links.streets if links is not None else None, rules.street_conflict)


class ClusterGuard:
    """Union-find with a guard against chaining unrelated companies.

    Links are applied strongest first. A link is refused when the two
    clusters it would join already contradict each other: each holds a
    stored company, or they have different website domains (unless the link
    itself is ``same_listing``), or different countries, or (given
    ``places``) records in two places: another postcode in another city or
    on another street, as a chain's branches have. So a switchboard number
    or an agency's e-mail shared by two firms cannot pull their clusters
    together once each cluster knows its own domain, and a listing that says
    nothing of its place cannot join two branches into one.

    Only clusters that took part in a link keep sets; the rest are read from
    the records' own values, so a million records cost a million ints.
    """

    def __init__(self, domains: Sequence[Hashable | None], countries: Sequence[Hashable | None],
                 companies: Sequence[Hashable | None], places: Places | None = None):
        """Per record its website domain, country and stored company (None: none); and their places."""
        self.parent = list(range(len(domains)))
        self._domain = domains
        self._country = countries
        self._company = companies
        self._place = places
        # per root of a cluster that took part in a link
        self.domains: dict[int, frozenset[Hashable]] = {}
        self.countries: dict[int, frozenset[Hashable]] = {}
        self.company: dict[int, Hashable | None] = {}
        # per root, its records with a postcode, one per (city, postcode, street), at most PLACES_KEPT
        self.places: dict[int, tuple[int, ...]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _domains(self, root: int) -> frozenset[Hashable]:
        found = self.domains.get(root)
        if found is None:
            domain = self._domain[root]
            found = frozenset() if domain is None else frozenset([domain])
        return found

    def _countries(self, root: int) -> frozenset[Hashable]:
        found = self.countries.get(root)
        if found is None:
            country = self._country[root]
            found = frozenset() if country is None else frozenset([country])
        return found

    def _places(self, root: int) -> tuple[int, ...]:
        found = self.places.get(root)
        if found is None:
            found = (root,) if self._place is not None and self._place.postcode[root] >= 0 else ()
        return found

    def _joined_places(self, a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
        assert self._place is not None
        city, post, street = self._place.city, self._place.postcode, self._place.street
        seen = {(city[r], post[r], street[r]) for r in a}
        out = list(a)
        for r in b:
            if len(out) >= PLACES_KEPT:
                break
            if (city[r], post[r], street[r]) not in seen:
                seen.add((city[r], post[r], street[r]))
                out.append(r)
        return tuple(out)

    def _company_of(self, root: int) -> Hashable | None:
        return self.company[root] if root in self.company else self._company[root]

    def conflict(self, ri: int, rj: int, rule: str) -> str | None:
        if self._company_of(ri) is not None and self._company_of(rj) is not None:
            return "two stored companies"
        if rule == "same_listing":
            return None
        di, dj = self._domains(ri), self._domains(rj)
        if di and dj and not di & dj:
            return "different website domains"
        ci, cj = self._countries(ri), self._countries(rj)
        if ci and cj and not ci & cj:
            return "different countries"
        if self._place is not None:
            pi, pj = self._places(ri), self._places(rj)
            if pi and pj and self._place.apart(pi, pj):
                return "different places"
        return None

    def union(self, i: int, j: int, rule: str = "same_listing") -> str | None:
        """Join the clusters of i and j; return why not when they must stay apart."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return None
        reason = self.conflict(ri, rj, rule)
        if reason:
            return reason
        self.parent[rj] = ri
        company = self._company_of(ri)
        self.company[ri] = company if company is not None else self._company_of(rj)
        self.domains[ri] = self._domains(ri) | self._domains(rj)
        self.countries[ri] = self._countries(ri) | self._countries(rj)
        if self._place is not None:
            self.places[ri] = self._joined_places(self._places(ri), self._places(rj))
        for table in (self.domains, self.countries, self.company, self.places):
            table.pop(rj, None)
        return None
