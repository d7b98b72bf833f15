"""``leads dedup`` (pipeline.bulkdedup) makes the decisions the nightly resolve() makes.

One set of rules: the same rows, read as leads and resolved by
:func:`pipeline.dedup.resolve`, or read as columns by
:func:`pipeline.csvdedup.dedup_frame`, give identical clusters and identical
golden fields.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.noisy_companies import COLUMNS, generate
from pipeline.bulkdedup import listings, match_input, normalise
from pipeline.csvdedup import GOLDEN, dedup_frame, frame_to_leads, read_table, resolve_columns, write_csv
from pipeline.dedup import DedupRules, resolve
from pipeline.matching import _pairs_in_blocks, find_links
from pipeline.normalize import format_phone
from pipeline.tabular import read_csv

PATH = Path("generated.csv")


def generated(rows: int, seed: int) -> pd.DataFrame:
    return pd.DataFrame(generate(rows, seed), columns=list(COLUMNS)).drop(columns=["entity_id"])


def by_resolve(frame: pd.DataFrame, country: str | None = None) -> tuple[list[int], dict[str, list[str]]]:
    """Cluster per row (numbered by first row) and golden fields per row, the nightly way."""
    columns = resolve_columns(frame, {}, PATH)
    leads = frame_to_leads(frame, columns, PATH, country)
    result = resolve(leads, [], DedupRules())
    company_of: dict[str, int] = {}
    golden_of: dict[int, dict[str, str]] = {}
    for number, company in enumerate(result.companies):
        golden = {f: "" if getattr(company, f) is None else str(getattr(company, f)) for f in GOLDEN}
        golden["phone"] = format_phone(company.phone) or ""
        golden_of[number] = golden
        for lead in company.sources:   # rows that are one listing are one source
            company_of[lead.listing] = number
    per_row = [company_of[lead.listing] for lead in leads]
    first_seen: dict[int, int] = {}
    for c in per_row:
        first_seen.setdefault(c, len(first_seen) + 1)
    return [first_seen[c] for c in per_row], {f: [golden_of[c][f] for c in per_row] for f in GOLDEN}


@pytest.mark.parametrize(("rows", "seed", "parallel"), [(5000, 3, False), (3000, 5, True)])
def test_bulk_path_decides_like_resolve(rows: int, seed: int, parallel: bool) -> None:
    frame = generated(rows, seed)
    out, result = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=parallel)
    clusters, golden = by_resolve(frame)
    assert out["cluster_id"].tolist() == clusters
    assert result.clusters < rows, "the generated rows hold duplicates"
    for field in GOLDEN:
        assert out[f"golden_{field}"].tolist() == golden[field], field


def test_bulk_path_on_odd_rows() -> None:
    """Missing columns, empty and shouted names, two numbers in a cell, ids that are one listing."""
    frame = pd.DataFrame({
        "id": ["1", "2", "3", "4", "5", "6", "7", "8#a", "8#b"],
        "company": ["Harper Valve Inc.", " HARPER VALVE ", "\x00", "Acme GmbH", "ACME GMBH", "Acme",
                    "Orion Tools", "Zeta Lighting", "Zeta Lighting Co"],
        "tel": ["(713) 482-1937", "713.482.1937 / 713.482.1938", "", "0711 123456", "+49 711 123456", "",
                "12", "", ""],
        "e-mail": ["sales@harpervalve.com", "", "x@y", "", "info@acme.de", "info@acme.de", "", "", ""],
        "city": ["Houston", "HOUSTON\t", "", "Stuttgart", "", "Stuttgart", "Paris", "", ""],
        "country": ["US", "USA", "", "DE", "Deutschland", "", "FR", "", ""],
    })
    columns = resolve_columns(frame, {}, PATH)
    out, _ = dedup_frame(frame, columns, DedupRules(), PATH, "DE", parallel=False)
    clusters, golden = by_resolve(frame, "DE")
    assert out["cluster_id"].tolist() == clusters
    for field in GOLDEN:
        assert out[f"golden_{field}"].tolist() == golden[field], field
    assert out["cluster_id"].iloc[0] == out["cluster_id"].iloc[1], "one company, two spellings"
    assert out["cluster_id"].iloc[7] == out["cluster_id"].iloc[8], "ids that are the same listing"


def test_a_chain_sharing_a_website_stays_apart_but_one_company_does_not() -> None:
    """Branches share the chain's website; their phones and addresses differ. A company's
    listings share it too, with the same phone, or one switchboard's next line."""
    frame = pd.DataFrame({
        "name": ["Dunwood Bearings Inc.", "Dunwood Bearings - Minneapolis Inc", "Dunwood Bearings Inc",
                 "Dunwood Bearings"],
        "phone": ["(713) 637-0715", "(612) 344-8667", "713-637-0716", ""],
        "website": ["dunwoodbearings.com", "www.dunwoodbearings.com", "http://dunwoodbearings.com", ""],
        "street": ["8319 Maple Lane", "450 Ridge Court", "8319 Maple Ln", "8319 Maple Lane"],
        "city": ["Houston", "Minneapolis", "Houston", "Houston"],
        "country": ["US"] * 4,
    })
    out, _ = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=False)
    assert out["cluster_id"].tolist() == [1, 2, 1, 1]
    assert by_resolve(frame)[0] == [1, 2, 1, 1]


def test_branches_sharing_a_switchboard_in_two_places_stay_apart() -> None:
    """City and postcode both differ: a chain's branches, even through a listing with no address."""
    frame = pd.DataFrame({
        "name": ["Grandview Molding Inc.", "Grandview Molding Incorporated", "GRANDVIEW MOLDING", "Grandview Molding"],
        "phone": ["(312) 406-3667"] * 4,
        "website": ["grandviewmolding.com"] * 4,
        "city": ["Chicago", "Brooklyn", "Chicago", ""],
        "postcode": ["60637", "11254", "60638", ""],
        "country": ["US"] * 4,
    })
    out, _ = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=False)
    cluster = out["cluster_id"].tolist()
    assert cluster[0] == cluster[2] != cluster[1]
    assert by_resolve(frame)[0] == cluster
    moved, _ = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(keys_across_places=True), PATH,
                           parallel=False)
    assert moved["cluster_id"].nunique() == 1


def test_a_city_under_its_other_names_is_one_place() -> None:
    """München, Muenchen and Munich are one city (in Germany): one company by name and place, and a
    second postcode there is not a branch elsewhere; Munich, North Dakota is another place."""
    frame = pd.DataFrame({
        "name": ["Brightway Leuchten GmbH", "Brightway Leuchten", "BRIGHTWAY LEUCHTEN GMBH", "Brightway Leuchten",
                 "Isar Ventile GmbH", "Isar Ventile GmbH"],
        "phone": ["", "", "", "", "+49 89 4521 7730", "+49 89 4521 7730"],
        "street": ["", "", "", "", "Leopoldstraße 12", "Leopoldstr. 12"],
        "city": ["München", "Munich", "Muenchen", "Munich", "München", "Munich"],
        "postcode": ["", "", "", "", "80802", "80804"],
        "country": ["DE", "DE", "DE", "US", "DE", "DE"],
    })
    out, _ = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=False)
    assert out["cluster_id"].tolist() == [1, 1, 1, 2, 3, 3]
    assert by_resolve(frame)[0] == [1, 1, 1, 2, 3, 3]


def test_a_city_in_a_name_is_left_out_under_any_of_its_names() -> None:
    """Two firms named after München, there: their names are told apart by what is not the city,
    whichever way the city is written."""
    frame = pd.DataFrame({
        # "kessel" and "kassel" are 83% alike, too little; with "munchen" kept, 93%
        "name": ["München Kessel GmbH", "München Kassel GmbH", "München Leuchtenwerk GmbH", "Leuchtenwerk München"],
        "city": ["München", "Munich", "Munich", "München"],
        "country": ["DE"] * 4,
    })
    out, _ = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=False)
    assert out["cluster_id"].tolist() == [1, 2, 3, 3]
    assert by_resolve(frame)[0] == [1, 2, 3, 3]


def test_read_table_reads_like_read_csv(tmp_path: Path) -> None:
    samples = {
        "bom.csv": b"\xef\xbb\xbfa;b\n1;\xc3\xa9\n2;x\xff\n",
        "latin1.csv": "Firma,Ort\nM\u00fcller GmbH,K\u00f6ln\n".encode("latin-1"),
        "tab.csv": b"a\tb\n\"x,1\"\t2\n",
        "quoted.csv": b'a,b\n"multi\nline",2\n"q""uote",3\n',
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
        pd.testing.assert_frame_equal(read_table(tmp_path / name), read_csv(tmp_path / name))


def test_written_csv_is_guarded_and_reads_back(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["=HYPERLINK(1)", "Smith, Jones", 'He said "hi"', "line\nbreak", "-5", "ok"],
                          "cluster_id": [1, 2, 3, 4, 5, 6]})
    write_csv(frame, tmp_path / "out.csv")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["name"].tolist() == ["'=HYPERLINK(1)", "Smith, Jones", 'He said "hi"', "line\nbreak", "'-5", "ok"]
    assert back["cluster_id"].tolist() == ["1", "2", "3", "4", "5", "6"]



def test_two_processes_find_the_same_links() -> None:
    """A forked process deciding every other chunk changes nothing but the time taken."""
    frame = generated(4000, 9)
    columns = resolve_columns(frame, {}, PATH)
    rows = normalise(frame, columns, None, parallel=False)
    inp = match_input(rows, listings([str(i) for i in frame["record_id"]]))
    rules = DedupRules(max_block_size=60)
    one = find_links(inp, rules, evidence=False, processes=1)
    two = find_links(inp, rules, evidence=False, processes=2)
    assert len(one.i) > 100
    for name in ("i", "j", "rule", "score"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    assert one.scored == two.scored


def test_pair_chunks_shared_out_cover_every_pair_once() -> None:
    rng = np.random.default_rng(4)
    record, block = rng.integers(0, 500, 3000), rng.integers(0, 300, 3000)

    def pairs(**share: int) -> Counter[tuple[int, int]]:
        return Counter((a, b) for i, j, _ in _pairs_in_blocks(record, block, 40, chunk=50, **share)
                       for a, b in zip(i.tolist(), j.tolist(), strict=True))

    whole = pairs()
    assert sum(whole.values()) > 1000
    assert sum((pairs(share=3, part=p) for p in range(3)), Counter()) == whole


def test_progress_hears_each_stage_in_order() -> None:
    """``leads dedup`` names the stage it is in (a million rows take half a minute or more)."""
    frame = generated(300, 7)
    heard: list[str] = []
    out, result = dedup_frame(frame, resolve_columns(frame, {}, PATH), DedupRules(), PATH, parallel=False,
                              progress=heard.append)
    assert heard == ["normalising 300 rows", "finding duplicates",
                     f"choosing the golden record of {result.clusters:,} companies"]
    assert out["cluster_id"].nunique() == result.clusters
