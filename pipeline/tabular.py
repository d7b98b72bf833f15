"""Reading users' CSV files: any common encoding, columns found by name, one clear error.

Sales and marketing bring CRM exports, purchased lists and customs records
written by Excel in whatever encoding their machine had; the columns are
named in many ways. A file that cannot be used stops with one message that
says which file and what is wrong, before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.textcodec import guess_decode


def decode_bytes(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) when valid, else the encoding the bytes most plausibly use."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: this is not a text file (it contains NUL bytes): "
                         "save it from Excel as \"CSV UTF-8\"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return guess_decode(data)[0]


def read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text ('' when empty), columns in file order, separator sniffed (, ; tab)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    text = decode_bytes(data, path)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _fold(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def map_columns(columns: list[str], aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str],
                required: set[str], path: Path) -> dict[str, str]:
    """field -> column of the file: explicit overrides first, then known aliases (case and punctuation ignored)."""
    by_fold = {_fold(c): c for c in columns}
    mapping: dict[str, str] = {}
    problems = []
    for field, column in overrides.items():
        if field not in aliases:
            problems.append(f"unknown field {field!r} in the column mapping (known: {', '.join(aliases)})")
        elif column not in columns:
            problems.append(f"{field}={column!r}: no such column (columns: {', '.join(columns)})")
        else:
            mapping[field] = column
    for field, names in aliases.items():
        if field in mapping:
            continue
        for name in (field, *names):
            if _fold(name) in by_fold:
                mapping[field] = by_fold[_fold(name)]
                break
    missing = sorted(required - set(mapping))
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}; the file has: {', '.join(columns)}; "
                        "map them with --map FIELD=COLUMN")
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems))
    return mapping


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["name=Company Name", "phone=Tel"]`` -> ``{"name": "Company Name", "phone": "Tel"}``."""
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InputError(f"--map {pair!r}: write FIELD=COLUMN, e.g. --map name='Company Name'")
        mapping[field.strip()] = column.strip()
    return mapping
