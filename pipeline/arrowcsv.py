"""Large CSV files of text read and written through Apache Arrow.

pandas' C parser makes a Python string of every cell: at a million rows of a
dozen columns that is four seconds and most of a gigabyte before any work
starts, and writing them back through Python costs as much again. Arrow
keeps each column's text in one buffer; ``leads dedup`` then makes Python
strings only of the distinct values it normalises (``bulkdedup._column``),
and the output's CSV lines are built by Arrow's string kernels and written
as they lie in memory.

Both ends keep the meaning of the slower path they replace:

- :func:`read_text_table` reads only what pandas would read the same way
  (every column as text, nothing taken for missing); any file it is not
  sure of (a ragged row, repeated or blank column names, a header that
  spans lines, lines ended by a carriage return alone, bytes that are not
  UTF-8) comes back as None for pandas' parser to read, or to report.
- :func:`write_text_csv` writes each cell as ``csv.writer`` writes
  ``export.safe_cell``'s text: a leading formula character guarded with a
  quote, a field holding a comma, quote or line break quoted
  (``tests/test_arrowcsv.py`` compares them).
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

# export.FORMULA_STARTS (not imported: pipeline.export brings the store and SQLAlchemy, half a second
# of every `leads dedup`; tests/test_arrowcsv.py checks they stay equal)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ROWS_PER_SLICE = 250_000
# Arrow parses blocks of this size in parallel; fewer, larger chunks make each later step cheaper
_BLOCK_BYTES = 8 << 20


def read_text_table(data: bytes, sep: str) -> pd.DataFrame | None:
    """A UTF-8 CSV's rows with every column as text, or None where pandas should read it instead."""
    names = _header(data, sep)
    if names is None:
        return None
    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(use_threads=True, block_size=_BLOCK_BYTES),
            # a line break inside a quoted cell needs the slower splitting; no quote, no such cell
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=b'"' in data),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                check_utf8=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if table.column_names != names:
        return None
    frame = table.to_pandas()
    frame.columns = [name.strip() for name in names]
    return frame


def _header(data: bytes, sep: str) -> list[str] | None:
    """The header's column names as Arrow will read them; None when the header is unusual."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    end = data.find(b"\n", start)
    line = data[start:end if end >= 0 else len(data)].removesuffix(b"\r")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.count('"') % 2 or "\r" in text:   # a quoted name broken over lines; lines ended by "\r" alone
        return None
    names = next(csv.reader([text], delimiter=sep), [])
    stripped = [n.strip() for n in names]
    if not names or not all(stripped) or len(set(stripped)) != len(stripped) or len(set(names)) != len(names):
        return None
    return names


def text_column(values: Any) -> pa.ChunkedArray:
    """A column's cells as Arrow text: missing cells empty, numbers as Python writes them."""
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.arrays.NumpyExtensionArray):  # a numpy column (the cluster numbers)
        values = values.to_numpy()
    if isinstance(values, pd.api.extensions.ExtensionArray) and hasattr(values, "__arrow_array__"):
        array = pa.chunked_array(values.__arrow_array__())
    elif isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        array = pa.chunked_array([pa.array(values)])
    elif isinstance(values, np.ndarray) and values.dtype.kind == "b":
        return pa.chunked_array([pa.array(np.where(values, "True", "False"), type=pa.large_string())])
    else:
        array = pa.chunked_array([pa.array(_python_texts(values), type=pa.large_string(), from_pandas=True)])
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    return array.fill_null("") if array.null_count else array


def _python_texts(values: Sequence[Any]) -> list[str | None]:
    """Cells of an object column as text (str() of anything else; None and NaN missing)."""
    out = values.tolist() if isinstance(values, np.ndarray | pd.api.extensions.ExtensionArray) else list(values)
    if all(type(v) is str for v in out):
        return out
    return [None if v is None or v != v else v if type(v) is str else str(v) for v in out]


def encode_cells(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """CSV fields of text cells: formula starts guarded as ``export.safe_cell`` does, quoted where needed.

    The cells to change are found in the column's bytes at once (the
    characters that matter are ASCII, which UTF-8 never uses inside another
    character); only those cells are taken out, rewritten by Arrow's string
    kernels and put back.
    """
    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([_encode_array(chunk) for chunk in column.chunks], type=column.type)
    return _encode_array(column)


def _encode_array(array: pa.Array) -> pa.Array:
    if not len(array):
        return array
    offsets, data = _layout(array)
    starts = offsets[:-1]
    present = offsets[1:] > starts
    formula = np.zeros(len(array), dtype=bool)
    formula[present] = _FORMULA_BYTE[data[starts[present]]]
    quoted = np.zeros(len(array), dtype=bool)
    special = np.flatnonzero(_QUOTED_BYTE[data[offsets[0]:offsets[-1]]]) + offsets[0]
    if len(special):
        quoted[np.searchsorted(offsets, special, side="right") - 1] = True
    change = formula | quoted
    if not change.any():
        return array
    cells = array.filter(change)
    text = array.type
    if formula.any():
        cells = pc.if_else(formula[change], pc.binary_join_element_wise(_text("'", text), cells, _text("", text)),
                           cells)
    if quoted.any():
        quote = _text('"', text)
        inner = pc.replace_substring(cells, '"', '""') if (data[special] == ord('"')).any() else cells
        cells = pc.if_else(quoted[change], pc.binary_join_element_wise(quote, inner, quote, _text("", text)), cells)
    return pc.replace_with_mask(array, pa.array(change), cells)


_FORMULA_BYTE = np.zeros(256, dtype=bool)
_FORMULA_BYTE[[ord(c) for c in FORMULA_STARTS]] = True
_QUOTED_BYTE = np.zeros(256, dtype=bool)
_QUOTED_BYTE[list(b'",\r\n')] = True


def _layout(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A text array's value offsets (one past the last too) and its bytes, as numpy views."""
    offsets_buffer, data = array.buffers()[1:3]
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if wide else np.int32)[
        array.offset:array.offset + len(array) + 1].astype(np.int64, copy=False)
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


def release_arrow_memory() -> None:
    """Give back to the system the memory Arrow's allocator keeps after a big computation.

    mimalloc holds on to freed pages for reuse: after a million names are
    split, some 400 MB stay in this process although nothing uses them, and
    ``leads dedup`` must stay under 3 GB at a million rows.
    """
    pa.default_memory_pool().release_unused()


def write_text_csv(path: Path, header: Sequence[str], columns: Sequence[pa.ChunkedArray]) -> None:
    """A UTF-8 CSV with BOM (what Excel opens) of text columns, a slice of rows at a time.

    Two threads build the slices' lines, in order, while this one writes
    them: Arrow's kernels and numpy's copies let go of the GIL, so the
    second core does half of the work.
    """
    rows = len(columns[0]) if columns else 0

    def lines(start: int) -> pa.Array:
        cells = [encode_cells(c.slice(start, _ROWS_PER_SLICE)) for c in columns]
        joined = pc.binary_join_element_wise(*cells, _COMMA) if len(cells) > 1 else cells[0]
        return pc.binary_join_element_wise(joined, _EMPTY, _NEWLINE)  # each line ends in "\n"

    with path.open("wb") as handle, ThreadPoolExecutor(2) as threads:
        handle.write(b"\xef\xbb\xbf")
        names = encode_cells(pa.array(list(header), type=pa.large_string())).to_pylist()
        handle.write((",".join(names) + "\n").encode("utf-8"))
        pending: deque[Future[pa.Array]] = deque()
        for start in range(0, rows, _ROWS_PER_SLICE):
            pending.append(threads.submit(lines, start))
            if len(pending) > 2:   # at most three slices in memory
                _write_values(handle, pending.popleft().result())
        while pending:
            _write_values(handle, pending.popleft().result())


def _text(value: str, like: pa.DataType) -> pa.Scalar:
    """A text literal of the string type of the arrays it joins (Arrow does not mix string and large_string)."""
    return pa.scalar(value, type=like)


_COMMA, _EMPTY, _NEWLINE = (_text(t, pa.large_string()) for t in (",", "", "\n"))


def _write_values(handle: IO[bytes], lines: pa.ChunkedArray | pa.Array) -> None:
    """The bytes of every value of a text array, one after the other, as Arrow holds them."""
    for chunk in lines.chunks if isinstance(lines, pa.ChunkedArray) else [lines]:
        if len(chunk):
            offsets, data = _layout(chunk)
            handle.write(memoryview(data)[offsets[0]:offsets[-1]])
