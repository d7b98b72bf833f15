import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_leads_dedup_on_a_crm_export(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["dedup", str(DATA / "crm.csv"), "--out", str(out), "--country", "US"])
    assert result.exit_code == 0, result.output
    assert "6 rows -> 4 companies (2 duplicates)" in result.output
    assert "normalising" not in result.output, "stages are shown on a terminal only, not in a script's output"
    rows = read(out)
    assert list(rows[0])[:7] == ["Account ID", "Account Name", "Telephone", "E-mail", "Web", "City", "Notes"]
    cluster = {r["Account ID"]: r["cluster_id"] for r in rows}
    assert cluster["A1"] == cluster["A2"] == cluster["A6"]
    assert len({cluster["A1"], cluster["A3"], cluster["A4"], cluster["A5"]}) == 4
    harper = next(r for r in rows if r["Account ID"] == "A2")
    assert harper["golden_name"] in ("Harper Valve Inc.", "Harper Valve Company"), "not the shouted spelling"
    assert "harpervalve.com" in harper["golden_website"]
    assert harper["golden_phone"] == "'+1 713-482-1937", "guarded like every exported cell"
    assert harper["Notes"] == "duplicate from trade show", "input columns are kept as they were"
    evil = next(r for r in rows if r["Account ID"] == "A5")
    assert evil["Account Name"].startswith("'="), "formulas never run in the output"


def test_mapping_file_and_missing_columns(tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Firm Title;Tel\nAcme GmbH;0711 123456\nACME GMBH;+49 711 123456\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("name: Firm Title\nphone: Tel\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    ok = runner.invoke(app, ["dedup", str(source), "--out", str(out), "--mapping", str(mapping), "--country", "DE"])
    assert ok.exit_code == 0, ok.output
    assert {r["cluster_id"] for r in read(out)} == {"1"}
    bad = runner.invoke(app, ["dedup", str(source), "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2
    assert "missing column(s) name" in bad.output and "Firm Title" in bad.output
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("content", [b"", b"\x00\x00PK\x03\x04binary" * 20])
def test_unreadable_input_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    result = runner.invoke(app, ["dedup", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert str(source) in result.output
