"""Deduplicate any CSV of companies: a CRM export, a bought list, a merged spreadsheet.

Each row is read as a lead, the rows are clustered with the same rules as the
nightly crawl, and the output keeps every input column and adds the cluster
and the golden record's fields, so a user can filter, sort and merge in
Excel or their CRM.

The work is done by :mod:`pipeline.bulkdedup`, which makes the decisions
:func:`pipeline.dedup.resolve` makes for the leads :func:`frame_to_leads`
builds, without building them: a million rows take seconds per stage.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.arrowcsv import read_text_table, text_column, write_text_csv
from pipeline.bulkdedup import GOLDEN, BulkResult, listings, normalise, quiet_collector, resolve_rows, row_times
from pipeline.dedup import DedupRules
from pipeline.errors import InputError
from pipeline.models import Lead
from pipeline.normalize import normalize_lead
from pipeline.tabular import map_columns, read_csv

# field -> accepted column names besides the field's own name
DEDUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "record_id": ("id", "record id", "recordid", "row id", "account id", "company id"),
    "name": ("company", "company name", "account name", "organization", "organisation", "firm"),
    "phone": ("telephone", "tel", "phone number", "phones"),
    "email": ("e-mail", "email address", "mail", "emails"),
    "website": ("web", "url", "domain", "homepage", "site"),
    "street": ("address", "street address", "address 1", "address1"),
    "city": ("town", "locality"),
    "postcode": ("zip", "zip code", "postal code", "post code", "plz"),
    "country": ("country code", "nation"),
}


def read_table(path: Path) -> pd.DataFrame:
    """:func:`pipeline.tabular.read_csv`, parsing a UTF-8 file's bytes directly.

    The general reader decodes the whole file into one string first, which
    at a million rows costs a second and doubles the memory; UTF-8 (the
    usual case, with or without BOM) goes straight to Arrow's parser here
    (:mod:`pipeline.arrowcsv`), or to pandas' when Arrow is not sure of the
    file, and any other file to the general reader, so all give the same frame.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return read_csv(path)  # it reports the error
    if not data.strip() or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return read_csv(path)
    bom = data.startswith(b"\xef\xbb\xbf")
    # what read_csv sniffs: the first 8192 characters (at most 4 bytes each)
    sample = data[3 if bom else 0:32768].decode("utf-8", errors="ignore")[:8192]
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    fast = read_text_table(data, sep)
    if fast is not None:
        return fast
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                            encoding="utf-8-sig" if bom else "utf-8",
                            encoding_errors="replace" if bom else "strict")
    except UnicodeDecodeError:
        return read_csv(path)  # not UTF-8: the general reader guesses the encoding
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from exc
    del data
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def record_ids(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> list[str]:
    """The rows' ids (their line numbers when the file has none); they must be unique."""
    ids = frame[columns["record_id"]] if "record_id" in columns else pd.Series(
        [str(i) for i in range(2, len(frame) + 2)], index=frame.index)
    duplicated = ids[ids.duplicated()]
    if len(duplicated):
        raise InputError(f"{path}: record ids must be unique; repeated: {', '.join(map(str, duplicated.head(5)))}")
    return [str(i) for i in ids.tolist()]


def frame_to_leads(frame: pd.DataFrame, columns: dict[str, str], path: Path,
                   default_country: str | None) -> list[Lead]:
    """The rows as normalised leads of site "csv", later rows newer (what ``resolve`` would take)."""
    ids = record_ids(frame, columns, path)
    seen = row_times(len(frame))
    leads = []
    get = {field: frame[col].tolist() for field, col in columns.items()}
    for row, record_id in enumerate(ids):
        def cell(field: str, _row: int = row) -> str:
            return str(get[field][_row]).strip() if field in get else ""
        name = cell("name") or "(no name)"
        leads.append(normalize_lead(Lead(
            name=name, phones=[cell("phone")] if cell("phone") else [],
            emails=[cell("email")] if cell("email") else [], website=cell("website") or None,
            street=cell("street") or None, city=cell("city") or None, postcode=cell("postcode") or None,
            country=cell("country") or default_country, site="csv", url=f"csv:/{record_id}", seen_at=seen[row],
        ), default_country=default_country))
    return leads


def dedup_frame(frame: pd.DataFrame, columns: dict[str, str], rules: DedupRules, path: Path,
                default_country: str | None = None, parallel: bool | None = None,
                progress: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, BulkResult]:
    """The input rows with ``cluster_id`` and ``golden_*`` columns added, in input order.

    Clusters are numbered in the order of their first rows. ``parallel``:
    normalise in two processes and score with two threads (default: for
    large files on a machine with more than one core). ``progress`` hears
    each stage as it starts: a million rows take half a minute or more.
    """
    ids = record_ids(frame, columns, path)
    if parallel is None:
        parallel = len(frame) >= 20_000 and len(os.sched_getaffinity(0)) > 1
    with quiet_collector():
        if progress:
            progress(f"normalising {len(frame):,} rows")
        rows = normalise(frame, columns, default_country, parallel)
        result = resolve_rows(rows, listings(ids), rules, workers=-1 if parallel else 1, progress=progress)
    out = frame.copy(deep=False)  # the input's columns are shared, not copied
    out["cluster_id"] = result.cluster
    for field in GOLDEN:  # Arrow text from the start: no Python string per row
        out[f"golden_{field}"] = pd.array(result.golden[field], dtype="str")
        result.golden[field] = out[f"golden_{field}"].array
    return out, result


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A guarded UTF-8 CSV with BOM (what Excel opens), written to ``path``.

    Cells are text as ``export.safe_cell`` makes it (a formula never runs),
    quoted as Python's csv module quotes them; the lines are built in Arrow
    (:mod:`pipeline.arrowcsv`), a slice of rows at a time.
    """
    write_text_csv(path, [str(c) for c in frame.columns],
                   [text_column(frame.iloc[:, k]) for k in range(frame.shape[1])])


def mapping_file(path: Path) -> dict[str, str]:
    """A small YAML or ``field: column`` file naming the columns of an unusual CSV."""
    from pipeline.configfile import read_yaml, to_plain

    data = to_plain(read_yaml(path))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(f"{path}: write one 'field: column name' per line (fields: {', '.join(DEDUP_COLUMNS)})")
    return {str(k): v for k, v in data.items()}


def resolve_columns(frame: pd.DataFrame, overrides: dict[str, str], path: Path) -> dict[str, str]:
    return map_columns(list(frame.columns), DEDUP_COLUMNS, overrides, {"name"}, path)


__all__ = ["DEDUP_COLUMNS", "GOLDEN", "dedup_frame", "frame_to_leads", "mapping_file", "read_table",
           "record_ids", "resolve_columns", "write_csv"]
