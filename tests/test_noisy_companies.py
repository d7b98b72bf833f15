"""The scale benchmark's data: deterministic, a tenth duplicates, phones that parse."""

from __future__ import annotations

from collections import Counter

from benchmarks.noisy_companies import COLUMNS, generate
from pipeline.countries import country_code
from pipeline.normalize import normalize_phones


def test_same_seed_same_rows_and_a_tenth_duplicates() -> None:
    rows = generate(4000, seed=3)
    assert rows == generate(4000, seed=3)
    assert rows != generate(4000, seed=4)
    assert all(len(r) == len(COLUMNS) for r in rows)
    entities = Counter(r[-1] for r in rows)
    assert abs((len(rows) - len(entities)) / len(rows) - 0.10) < 0.005
    assert [r[0] for r in rows] == [str(i) for i in range(1, 4001)]


def test_phones_are_valid_in_their_country() -> None:
    rows = generate(3000, seed=5)
    phones = [(r[2], country_code(r[8])) for r in rows if r[2] and country_code(r[8])]
    valid = sum(bool(normalize_phones(p, c)) and normalize_phones(p, c)[0].e164 is not None for p, c in phones)
    assert valid / len(phones) > 0.98
    assert len({c for _, c in phones}) >= 8, "many countries"
