"""Guessing the encoding of text that does not declare one (CSV files, undeclared pages).

Western files are most often Windows-1252 (Excel's "CSV" on a European
machine); CJK files are GBK, Big5 or Shift_JIS. Windows-1252 is tried first
and kept only when the result reads like European text (accented letters
between plain ones, not long runs of them, which is what CJK bytes read as
Latin look like); otherwise charset-normalizer decides.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

_HIGH = re.compile(r"[\u0080-\u024f\u2000-\u206f\u20ac\u2122]+")


def looks_like_mojibake(text: str) -> bool:
    """Runs of Latin-1 letters where CJK text was read as a single-byte encoding."""
    runs = [m.group(0) for m in _HIGH.finditer(text)]
    total = sum(len(r) for r in runs)
    if any(len(r) >= 4 for r in runs):
        return True
    return total >= 8 and sum(len(r) for r in runs if len(r) >= 3) > 0.4 * total


def _reads_as_western(text: str) -> bool:
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return True
    letters = sum(ch.isalpha() for ch in high)
    return letters >= 0.8 * len(high) and not looks_like_mojibake(text)


def guess_decode(data: bytes) -> tuple[str, str]:
    """(text, codec) for bytes that are not valid UTF-8; never raises."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_western(text):
        return text, "cp1252"
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("cp1252", "replace"), "cp1252"
