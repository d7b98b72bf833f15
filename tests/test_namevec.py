"""namevec reads many names at once exactly as name_parts reads them one by one."""

from __future__ import annotations

import random

from pipeline.names import LEGAL_FORMS, name_parts
from pipeline.namevec import read_many

ODD = [
    "Ningbo Brightway Lighting Co., Ltd.", "NINGBO BRIGHTWAY LIGHTING CO LTD", "Harper Spa Inc", "Company",
    "The Acme Group", "The", "the the", "Acme S.p.A.", "A.B. Smith & Sons", "Kuipers Staalbouw N.V.",
    "Intl Mfg Tech Ltd", "Acme GmbH & Co. KG", "Acme GmbH and Co KG", "Acme+Partners", "O'Brien's Pumps Ltd",
    "Acme s.a. de c.v.", "X.Y.Z. Corp.", "Acme_Tools Ltd", "Acme  Tools", " Acme", "Acme ", "!!!", "123 Ltd",
    "Acme Ltd Ltd", "Ltd", "Co. Ltd", "Acme (Pvt) Ltd", "Acme L.L.C.", "Müller GmbH", "宁波有限公司", "Acme\tTools",
    "ACME-TOOLS Sp. z o.o.", "Acme e.K.", "Acme Tech. Co.,Ltd", "Acme Inds Inc", "Acme Bros.", "Acme y Cia SA",
    "Acme.com Inc", "A.Smith Ltd", "a.b.c", "Acme & & Co", "Acme Co., Inc.", "Acme Corporation Limited",
]


def _same(values: list[str]) -> int:
    read = read_many(values)
    at = 0
    for k, raw in enumerate(values):
        if not read.answered[k]:
            continue
        display, legal, parts = name_parts(raw)
        assert display == raw
        assert read.legal[k] == legal, raw
        assert read.key[k] == " ".join(parts), raw
        assert read.sorted_key[k] == " ".join(sorted(parts)), raw
        count = int(read.word_counts[k])
        assert sorted(read.words[at:at + count]) == sorted(set(parts)), raw
        at += count
    assert at == len(read.words)
    return int(read.answered.sum())


def test_odd_names_read_as_name_parts_reads_them() -> None:
    answered = _same(ODD)
    assert answered >= len(ODD) - 8
    read = read_many(["Müller GmbH", "宁波有限公司", " Acme", "Acme  Tools", "Acme_Tools Ltd", "Acme\tTools"])
    assert not read.answered.any()


def test_generated_names() -> None:
    rng = random.Random(11)
    words = ["acme", "Harper", "VALVE", "Tech", "intl", "the", "Lighting", "&", "+", "S.A.", "co.", "Ltd.", "and",
             "o'neil", "B.V.", "spa", "x", "1st", "Mfg.", "Co.,Ltd", "(HK)", "-", "e.K."]
    forms = [" ".join(seq) for seqs in LEGAL_FORMS.values() for seq in seqs]
    values = []
    for _ in range(4000):
        name = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 6)))
        if rng.random() < 0.5:
            name += " " + rng.choice(forms)
        values.append(name)
    assert _same(values) > 3000
