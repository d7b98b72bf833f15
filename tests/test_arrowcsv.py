"""Arrow's CSV path reads what pandas reads, hands pandas what it cannot be sure of, and writes csv.writer's bytes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import arrowcsv
from pipeline.arrowcsv import encode_cells, read_text_table, text_column, write_text_csv
from pipeline.export import FORMULA_STARTS, safe_cell


def pandas_text(data: bytes, sep: str = ",") -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                        encoding="utf-8-sig")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


@pytest.mark.parametrize("data, sep", [
    (b"id,name,zip\n1,Acme,007\n2,,NA\n3, spaced ,null\n", ","),
    (b"\xef\xbb\xbfid;name\n1;M\xc3\xbcller GmbH\n2;\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8\n", ";"),
    (b'id,name\n1,"Smith, Jones"\n2,"line\nbreak"\n3,"say ""hi"""\n', ","),
    (b"id\tname \n1\tx\n\n2\ty\n", "\t"),
    (b"id,name\r\n1,a\r\n2,b\r\n", ","),
])
def test_reads_every_cell_as_pandas_reads_it(data: bytes, sep: str) -> None:
    fast = read_text_table(data, sep)
    assert fast is not None
    expected = pandas_text(data, sep)
    assert list(fast.columns) == list(expected.columns)
    for column in expected.columns:
        assert fast[column].tolist() == expected[column].tolist(), column


@pytest.mark.parametrize("data", [
    b"id,name\n1,a,extra\n",            # a ragged row: pandas decides (and reports)
    b"id,id\n1,2\n",                    # repeated names: pandas renames them
    b"id,\n1,2\n",                      # a blank name
    b'id,"na\nme"\n1,2\n',              # a header broken over lines
    b"id,name\n1,M\xfcller\n",          # not UTF-8: the general reader guesses the encoding
    b"id,name\r1,a\r2,b\r",              # lines ended by a carriage return alone
])
def test_files_it_is_not_sure_of_are_left_to_pandas(data: bytes) -> None:
    assert read_text_table(data, ",") is None


def csv_module_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in [header, *rows]:
        writer.writerow([safe_cell(v) for v in row])
    # csv.writer quotes a row of one empty cell as '""'; the Arrow writer leaves it empty
    text = "\n".join('' if line == '""' else line for line in out.getvalue().split("\n"))
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def test_written_bytes_are_the_csv_module_s_across_chunks_and_slices(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arrowcsv, "_ROWS_PER_SLICE", 3)  # slices that cut through chunks
    names = ["=SUM(A1)", "Smith, Jones", 'He said "hi"', "plain", "", "-5", "@home", "a\r\nb", "Ünïcødé, 有限公司",
             "\tTab", "+49 30 1234", "ok"]
    chunked = pa.chunked_array([names[:5], names[5:6], names[6:]], type=pa.large_string())
    ids = np.arange(len(names))
    path = tmp_path / "out.csv"
    write_text_csv(path, ["name", "id", "=bad header"], [chunked, text_column(ids), text_column(pd.Series(names))])
    rows = [[n, str(i), n] for i, n in zip(ids.tolist(), names, strict=True)]
    assert path.read_bytes() == csv_module_bytes(["name", "id", "=bad header"], rows)


def test_encoding_leaves_a_column_without_special_cells_as_it_is() -> None:
    column = pa.array(["alpha", "beta", ""], type=pa.large_string())
    assert encode_cells(column) is column


def test_text_columns_of_every_kind() -> None:
    assert text_column(np.array([1, 22, -3])).to_pylist() == ["1", "22", "-3"]
    assert text_column(pd.Series([7, 8])).to_pylist() == ["7", "8"]
    assert text_column(np.array([True, False])).to_pylist() == ["True", "False"]
    assert text_column(pd.Series(["a", None, np.nan, 4.5], dtype=object)).to_pylist() == ["a", "", "", "4.5"]
    assert text_column(pd.Series(["x", None], dtype="str")).to_pylist() == ["x", ""]
    assert text_column(["plain", "list"]).to_pylist() == ["plain", "list"]


def test_the_guard_is_export_s_guard() -> None:
    assert arrowcsv.FORMULA_STARTS == FORMULA_STARTS


@given(st.lists(st.text(alphabet=st.sampled_from(list('ab,"\n\r\t=+-@ é')), max_size=6), min_size=1, max_size=30))
@settings(max_examples=300, deadline=None)
def test_encoded_cells_are_what_the_csv_module_writes_of_guarded_cells(values: list[str]) -> None:
    """The column-at-once encoder gives, cell for cell, csv.writer's quoting of export.safe_cell."""
    def one(cell: str) -> str:
        out = io.StringIO()
        csv.writer(out).writerow([cell])  # its default line end "\r\n" makes it quote \r and \n
        return out.getvalue().removesuffix("\r\n")

    expected = [one(safe_cell(v)) for v in values]
    # csv.writer quotes an empty only row as '""'; a cell in a row of several is written empty
    encoded = encode_cells(pa.array(list(values), type=pa.large_string())).to_pylist()
    assert encoded == [("" if e == '""' else e) for e in expected]
