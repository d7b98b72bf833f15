from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.imports import ImportSource, read_leads
from pipeline.normalize import normalize_lead
from pipeline.tabular import map_columns, parse_mapping, read_csv

DATA = Path(__file__).parent / "data"


def test_customs_records_become_leads_with_provenance() -> None:
    leads = read_leads(DATA / "customs.csv", ImportSource.CUSTOMS)
    assert [le.name for le in leads] == ["Harper Valve Inc.", "Müller Armaturen GmbH", "Coastal Solar LLC"]
    harper = normalize_lead(leads[0])
    assert harper.country == "US" and harper.phones == ["+17134821937"]
    assert harper.business_type == "Importer"
    assert harper.main_products == ["Ball valves of stainless steel"]
    assert harper.extra == {"hs_code": "848180", "shipments": "12"}
    assert harper.site == "import-customs"
    assert harper.field_sources["name"] == "import:Buyer"
    assert normalize_lead(leads[1]).phones == ["+49711123456"], "the row's own country is the default region"


def test_the_same_rows_keep_their_ids_in_any_order(tmp_path: Path) -> None:
    lines = (DATA / "customs.csv").read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "customs.csv"
    shuffled.write_text("\n".join([lines[0], lines[3], lines[1], lines[2]]) + "\n", encoding="utf-8")
    first = {le.listing for le in read_leads(DATA / "customs.csv", ImportSource.CUSTOMS)}
    again = {le.listing for le in read_leads(shuffled, ImportSource.CUSTOMS)}
    assert first == again and len(first) == 3


def test_latin1_semicolon_list_with_mapping() -> None:
    leads = read_leads(DATA / "list-latin1.csv", ImportSource.LIST, parse_mapping(["name=Firma"]), "DE")
    assert leads[0].name == "Müller Armaturen GmbH"
    assert leads[0].city == "Stuttgart"
    assert normalize_lead(leads[0]).phones == ["+49711123456"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"Phone,Email\n123,a@b.com\n", r"missing column\(s\) name"),
        (b"\x00\x01\x02PK\x03\x04" * 100, "not a text file"),
    ],
)
def test_bad_files_get_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as exc:
        read_leads(path, ImportSource.LIST)
    assert str(path) in str(exc.value)


def test_blank_names_are_reported_by_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,phone\nAcme,1\n,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3: name: the company name is empty"):
        read_leads(path, ImportSource.LIST)


def test_mapping_errors() -> None:
    with pytest.raises(InputError, match="no such column"):
        map_columns(["a"], {"name": ()}, {"name": "Company"}, {"name"}, Path("x.csv"))
    with pytest.raises(InputError, match="write FIELD=COLUMN"):
        parse_mapping(["name"])
    assert list(read_csv(DATA / "customs.csv").columns)[:2] == ["Buyer", "Buyer Address"]
