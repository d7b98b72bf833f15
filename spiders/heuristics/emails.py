"""E-mail addresses in a page: mailto links, plain text, and the ways people hide them.

Sites write "sales [at] acme [dot] com", "sales(at)acme.com" or
"sales AT acme DOT com" to keep harvesters off, encode them as HTML entities
(the parser has already decoded those), or let Cloudflare encode them. All are
turned back into an address and checked with :func:`pipeline.normalize.normalize_email`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from pipeline.normalize import normalize_email

# Lengths are bounded (64-character local part, 63-character labels, 8 labels) and a local
# part starts at a boundary: a wall of letters then costs one pass, not one per letter.
_LOCAL_CHARS = "A-Za-z0-9!#$%&'*+/=?^_`{|}~.-"
_PLAIN = re.compile(
    rf"(?<![{_LOCAL_CHARS}])[{_LOCAL_CHARS}]{{1,64}}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.){{1,8}}"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

# "at" and "dot" written out: bracketed forms in any case, bare words only as " AT " / " DOT "
# or lower-case " at " together with " dot " (a sentence rarely says both around one word).
_AT = r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+AT\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punkt|point)\s*[\])}>]\s*|\s+DOT\s+|\.)"
_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_OBFUSCATED = re.compile(
    rf"(?<![\w.%+-])(?P<local>{_LOCAL}){_AT}(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,6}}{_DOT}"
    rf"(?P<tld>[A-Za-z]{{2,24}}))(?![\w-])"
)
_WORDY = re.compile(
    rf"(?<![\w.%+-])(?P<local>{_LOCAL})\s+at\s+(?P<domain>{_LABEL}(?:\s+dot\s+{_LABEL}){{1,6}})(?![\w-])",
)
_DOT_SPLIT = re.compile(_DOT + r"|\s+dot\s+")

# Addresses that are placeholders or file names, never a company's mailbox.
_PLACEHOLDER_DOMAINS = frozenset({
    "example.com", "example.org", "example.net", "domain.com", "yourdomain.com", "email.com",
    "company.com", "yourcompany.com", "mysite.com", "yoursite.com", "website.com", "address.com",
    "sentry.io", "wixpress.com", "sentry.wixpress.com",
})
_FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "css", "js", "ico", "pdf"})


@dataclass(frozen=True)
class FoundEmail:
    email: str
    method: str  # "mailto", "text" or "obfuscated"
    line: int


def email_from_mailto(href: str) -> str | None:
    """The address of a mailto: link ("mailto:Info%40Acme.com?subject=x" -> "info@acme.com")."""
    if not href.lower().startswith("mailto:"):
        return None
    address = unquote(href[7:]).split("?", 1)[0].split(",", 1)[0]
    return _keep(address)


def emails_in_lines(lines: list[str], credit: re.Pattern[str] | None = None) -> list[tuple[str, str, int]]:
    """(address, method, line) for every address in the lines; text after ``credit`` is not read."""
    found: list[tuple[str, str, int]] = []
    for index, line in enumerate(lines):
        if "@" not in line and not _MAYBE_OBFUSCATED.search(line):
            continue
        cut = credit.search(line) if credit else None
        for email, method in emails_in_text(line[:cut.start()] if cut else line):
            found.append((email, method, index))
    return found


_MAYBE_OBFUSCATED = re.compile(r"[\[({<]\s*at\s*[\])}>]|\sAT\s|\sat\s.*\sdot\s", re.IGNORECASE)


def emails_in_text(text: str) -> list[tuple[str, str]]:
    """(address, method) for every address written in the text, plain or obfuscated."""
    found: list[tuple[str, str]] = []
    for match in _PLAIN.finditer(text):
        email = _keep(match.group(0))
        if email:
            found.append((email, "text"))
    for pattern in (_OBFUSCATED, _WORDY):
        for match in pattern.finditer(text):
            if "@" in match.group(0) and "." in match.group("domain") and " " not in match.group(0):
                continue  # a plain address, found above
            domain = ".".join(part for part in _DOT_SPLIT.split(match.group("domain")) if part)
            email = _keep(f"{match.group('local')}@{domain}")
            if email and all(email != e for e, _ in found):
                found.append((email, "obfuscated"))
    return found


def decode_cloudflare(encoded: str) -> str | None:
    """An address protected by Cloudflare (``data-cfemail``): hex bytes XOR-ed with the first byte."""
    try:
        data = bytes.fromhex(encoded.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        address = bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _keep(address)


def _keep(address: str) -> str | None:
    email = normalize_email(address.strip().strip(".,;:()[]<>\"'"))
    if not email:
        return None
    domain = email.rsplit("@", 1)[1]
    if domain in _PLACEHOLDER_DOMAINS or domain.rsplit(".", 1)[-1] in _FILE_TLDS:
        return None
    return email
