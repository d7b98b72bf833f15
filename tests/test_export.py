import csv
from pathlib import Path

import pytest

from pipeline.dedup import DedupRules, build_company
from pipeline.export import export_new, safe_cell, write_csv_atomic
from pipeline.models import Grade
from pipeline.store import Store
from tests.factories import lead


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+49 711 123456", "'+49 711 123456"),
     ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("Acme", "Acme"), (None, ""), (1999, "1999")],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def _load(store: Store, *names: str) -> None:
    companies = []
    for i, name in enumerate(names):
        c = build_company([lead(name, url=f"b2b/{i}", phones=["(713) 482-1937"], country="US")], None,
                          DedupRules())
        c.grade, c.score = Grade.A, 5.0 - i
        companies.append(c)
    store.load(companies)


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel shows Chinese"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_only_new_leads_once(store: Store, tmp_path: Path) -> None:
    _load(store, "宁波光明照明有限公司", "=cmd|' /C calc'!A0")
    first = export_new(store, "sales", tmp_path)
    assert first.rows == 2 and first.path is not None
    rows = read(first.path)
    assert rows[0]["company"] == "宁波光明照明有限公司"
    assert rows[1]["company"].startswith("'="), "formula injection is neutralised"
    assert rows[0]["phone"] == "'+1 713-482-1937"
    second = export_new(store, "sales", tmp_path)
    assert second.rows == 0 and second.path is None
    assert len(store.exports()) == 1


def test_failed_write_records_nothing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(store, "Harper Valve Inc")

    def broken(rows, path):  # the disk fills up halfway
        raise OSError("No space left on device")

    monkeypatch.setattr("pipeline.export.write_csv_atomic", broken)
    with pytest.raises(OSError):
        export_new(store, "sales", tmp_path)
    assert store.exports() == []
    assert len(store.unsent("sales", ["A", "B", "C"])) == 1


def test_atomic_write_leaves_no_partial_file(tmp_path: Path) -> None:
    class Boom:
        def __str__(self) -> str:  # the writer fails halfway through the file
            raise RuntimeError("boom")

    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        write_csv_atomic([{"company": "ok"}, {"company": Boom()}], target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
