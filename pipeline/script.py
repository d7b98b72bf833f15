"""Chinese text read in Latin letters, so Chinese and English listings of one company meet."""

from __future__ import annotations

import functools
import re

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str | None) -> bool:
    # most names are ASCII: isascii() answers those without the regex
    return text is not None and not text.isascii() and CJK.search(text) is not None


@functools.lru_cache(maxsize=65536)
def pinyin_of(text: str) -> str:
    """The text in pinyin without tones or spaces ("宁波" -> "ningbo"); Latin letters kept as they are."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).casefold().replace(" ", "")
