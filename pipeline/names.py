"""Company names: display form, legal form, and the key used for matching.

"Ningbo Brightway Lighting Co., Ltd.", "NINGBO BRIGHTWAY LIGHTING CO LTD" and
"Ningbo Brightway Lighting Company Limited" are one company written three ways.
The legal form is split off into its own field (sales still want it), and the
rest is folded into a key that compares equal across those spellings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Canonical legal form -> the token sequences that spell it once punctuation is
# gone. Longest sequences are tried first, so "gmbh co kg" wins over "kg".
LEGAL_FORMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "GmbH & Co. KG": (("gmbh", "and", "co", "kg"), ("gmbh", "co", "kg")),
    "GmbH & Co. KGaA": (("gmbh", "and", "co", "kgaa"), ("gmbh", "co", "kgaa")),
    "S.A. de C.V.": (("sa", "de", "cv"), ("s", "a", "de", "c", "v")),
    "S. de R.L.": (("s", "de", "rl"), ("s", "de", "r", "l")),
    "Sp. z o.o.": (("sp", "z", "oo"), ("sp", "z", "o", "o"), ("spzoo",)),
    "s.r.o.": (("sro",), ("s", "r", "o"), ("spol", "s", "ro"), ("spol", "s", "r", "o")),
    "Co., Ltd.": (("co", "ltd"), ("co", "limited"), ("company", "limited"), ("company", "ltd"),
                  ("ltd", "co")),
    "Pvt. Ltd.": (("pvt", "ltd"), ("private", "limited"), ("pvt", "limited")),
    "Pte. Ltd.": (("pte", "ltd"),),
    "Pty Ltd": (("pty", "ltd"),),
    "Sdn. Bhd.": (("sdn", "bhd"),),
    "Co., Inc.": (("co", "inc"), ("company", "inc")),
    "Ltd. Şti.": (("ltd", "sti"), ("ltd", "şti"), ("limited", "sirketi")),
    "Ltd": (("ltd",), ("limited",)),
    "Inc.": (("inc",), ("incorporated",)),
    "LLC": (("llc",), ("l", "l", "c"), ("limited", "liability", "company")),
    "PLLC": (("pllc",),),
    "LLP": (("llp",),),
    "LP": (("lp",),),
    "Corp.": (("corp",), ("corporation",)),
    "PLC": (("plc",),),
    "Co.": (("co",), ("company",)),
    "GmbH": (("gmbh",), ("gesmbh",), ("ges", "mbh")),
    "KGaA": (("kgaa",),),
    "AG": (("ag",),),
    "KG": (("kg",),),
    "OHG": (("ohg",),),
    "UG": (("ug",),),
    "e.K.": (("e", "k"),),
    "SARL": (("sarl",), ("s", "a", "r", "l")),
    "SAS": (("sas",), ("s", "a", "s")),
    "SA": (("sa",), ("s", "a")),
    "S.r.l.": (("srl",), ("s", "r", "l")),
    "S.p.A.": (("spa",), ("s", "p", "a")),
    "S.L.": (("sl",), ("s", "l")),
    "Lda": (("lda",),),
    "Ltda": (("ltda",),),
    "BV": (("bv",), ("b", "v")),
    "NV": (("nv",), ("n", "v")),
    "A.Ş.": (("a", "s"), ("as",)),
    "JSC": (("jsc",),),
    "K.K.": (("kk",), ("kabushiki", "kaisha")),
    "d.o.o.": (("doo",), ("d", "o", "o")),
    "Kft.": (("kft",),),
    "Zrt.": (("zrt",),),
    "Oy": (("oy",),),
    "Oyj": (("oyj",),),
    "AB": (("ab",),),
    "ApS": (("aps",),),
    "SNC": (("snc",),),
    "EURL": (("eurl",),),
    "SASU": (("sasu",),),
    "SPRL": (("sprl",),),
    "BVBA": (("bvba",),),
    "EIRELI": (("eireli",),),
    "Bhd.": (("bhd",), ("berhad",)),
    "Tbk": (("tbk",),),
}

# CJK legal forms are written without spaces, so they are cut from the raw string.
# A real name's key is a few words; a page that put its whole text in the name field must not make
# a key too long for the store's indexes (PostgreSQL refuses index entries over about 2,700 bytes).
NAME_KEY_MAX = 255

CJK_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "株式会社", "有限会社",
    "合同会社", "公司",
)

# Abbreviations expanded in the key so "Intl Mfg" meets "International Manufacturing".
ABBREVIATIONS = {
    "intl": "international", "int'l": "international", "mfg": "manufacturing",
    "mfrs": "manufacturers", "mfr": "manufacturer", "tech": "technology",
    "technologies": "technology", "ind": "industrial", "inds": "industries",
    "bros": "brothers", "svc": "services", "svcs": "services", "eng": "engineering",
    "engg": "engineering", "equip": "equipment", "elec": "electric", "mach": "machinery",
    "dept": "department", "assoc": "associates", "natl": "national", "amer": "american",
    "und": "and", "et": "and", "y": "and",
}

_LEGAL_SEQUENCES = sorted(
    ((seq, form) for form, seqs in LEGAL_FORMS.items() for seq in seqs),
    key=lambda item: -len(item[0]),
)


def _forms_by_length() -> tuple[tuple[int, dict[tuple[str, ...], str]], ...]:
    """_LEGAL_SEQUENCES as one lookup per length, longest first (the first spelling of a sequence wins)."""
    by_length: dict[int, dict[tuple[str, ...], str]] = {}
    for seq, form in _LEGAL_SEQUENCES:
        by_length.setdefault(len(seq), {}).setdefault(seq, form)
    return tuple(sorted(by_length.items(), reverse=True))


_FORMS_BY_LENGTH = _forms_by_length()
_TOKEN = re.compile(r"[^\W_]+|&|\+", re.UNICODE)
_ABBREVIATION_DOT = re.compile(r"(?<=\b\w)\.(?=\w\b)")


@dataclass(frozen=True)
class ParsedName:
    display: str
    legal_form: str | None
    key: str


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def clean_text(value: str | None) -> str | None:
    """NFC, ASCII for full-width Latin, collapsed whitespace, no control characters.

    Returns None when nothing is left, so empty strings never reach the store.
    """
    if value is None:
        return None
    text = str(value)
    # already clean (most values): printable ASCII, single spaces, nothing to trim
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text or None


def tokens(value: str) -> list[str]:
    """Matching tokens: NFKC (full-width to ASCII), case-folded, punctuation dropped.

    Dots inside abbreviations are removed first so "S.p.A." is "spa" and
    "L.L.C." is "llc", while "Co.,Ltd" still splits into "co" and "ltd".
    """
    text = value.lower() if value.isascii() else unicodedata.normalize("NFKC", value).casefold()
    if "." in text:
        text = _ABBREVIATION_DOT.sub("", text)  # s.p.a -> spa
    text = text.replace("'", "").replace("’", "")
    return ["and" if t in ("&", "+") else t for t in _TOKEN.findall(text)]


def _strip_cjk_form(text: str) -> tuple[str, str | None]:
    if text.isascii():
        return text, None
    stripped = text.rstrip(" .()（）")
    for form in CJK_LEGAL_FORMS:
        if stripped.endswith(form):
            return stripped[: -len(form)].rstrip(), form
    return text, None


def _strip_trailing_form(toks: list[str]) -> tuple[list[str], str | None]:
    for n, forms in _FORMS_BY_LENGTH:
        if len(toks) > n:
            form = forms.get(tuple(toks[-n:]))
            if form is not None:
                return toks[:-n], form
    return toks, None


def parse_name(raw: str) -> ParsedName:
    """Split a company name into display name, legal form and matching key.

    A legal form is removed once, only from the end, and never when nothing
    would be left ("Company" alone stays a name). Stripping only once keeps
    real words that look like forms ("Harper Spa Inc" keeps "spa").
    """
    display, legal_form, key_tokens = name_parts(raw)
    return ParsedName(display=display, legal_form=legal_form, key=" ".join(key_tokens)[:NAME_KEY_MAX].rstrip())


def name_parts(raw: str) -> tuple[str, str | None, list[str]]:
    """:func:`parse_name` with the key still as a list of words (display, legal form, key words)."""
    display = clean_text(raw) or ""
    base, cjk_form = _strip_cjk_form(display)
    toks, latin_form = _strip_trailing_form(tokens(base))
    legal_form = cjk_form or latin_form
    key_tokens = [ABBREVIATIONS.get(t, t) for t in toks]
    # A leading "the" carries no identity.
    if len(key_tokens) > 1 and key_tokens[0] == "the":
        key_tokens = key_tokens[1:]
    return display, legal_form, key_tokens


def display_without_form(display: str) -> str:
    """The name as written minus its trailing legal form, keeping the original case.

    Used when the golden record shows the legal form in its own column: the
    shortest run of leading words that still holds every kept token is the name.
    """
    base, cjk = _strip_cjk_form(display)
    if cjk:
        return base
    kept, form = _strip_trailing_form(tokens(display))
    if form is None:
        return display
    words = display.split()
    for i in range(1, len(words) + 1):
        if len(tokens(" ".join(words[:i]))) >= len(kept):
            return " ".join(words[:i]).rstrip(" ,.-&")
    return display
