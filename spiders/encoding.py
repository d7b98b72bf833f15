"""Turning page bytes into text when the declared charset may be missing or wrong.

Chinese directories serve GBK, Taiwanese ones Big5, Japanese ones Shift_JIS,
old European sites Latin-1; some declare it in the header, some in a meta tag,
some nowhere, and some declare the wrong one. The rule, in order:

1. a byte-order mark decides;
2. bytes that are valid UTF-8 (and not plain ASCII) are UTF-8 whatever the
   declaration says: other encodings almost never produce valid UTF-8 by chance;
3. a declared encoding (header first, then meta) is used when the bytes decode
   strictly with it and the result does not look like mojibake;
4. otherwise :func:`pipeline.textcodec.guess_decode` decides (Windows-1252
   when the text reads as European, else charset-normalizer), never raising.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from pipeline.textcodec import guess_decode, looks_like_mojibake

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)

# What browsers actually use for these labels (WHATWG encoding standard).
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
    "iso8859-1": "cp1252", "l1": "cp1252",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "iso8859-15", "iso8859-2", "koi8-r", "mac-roman"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    how: str  # bom | utf-8 | header | meta | detected | fallback


def canonical(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page by the rules in the module docstring."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return Decoded(body.decode(name, "replace"), "utf-8" if name == "utf-8-sig" else name, "bom")
    if body.isascii():
        return Decoded(body.decode("ascii"), "utf-8", "utf-8")
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    for how, label in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        name = canonical(label)
        if not name or name == "utf-8":
            continue
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if name in _SINGLE_BYTE and looks_like_mojibake(text):
            continue
        return Decoded(text, name, how)
    text, name = guess_decode(body)
    return Decoded(text, canonical(name) or name, "detected")
