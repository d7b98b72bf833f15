"""A named contact and their job title, only where the page says plainly who they are.

Guessing a person from any two capitalised words would fill the contact
field with "Free Design" and "Contact Us"; a salesperson calling a wrong name
is worse than calling none. So a person is taken only when labelled
("Contact: Jane Doe", "Ansprechpartner: Hans Weber"), or written with a job
title ("Patrick Hiller, CEO", a name line above a "Managing Director" line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Capt|Herr|Frau|Mme|Mlle|Sr|Sra)\.?\s+)"
_GIVEN = r"[A-Z][a-zà-öø-ÿ]+(?:-[A-Z][a-zà-öø-ÿ]+)?"
_INITIAL = r"(?:[A-Z]\.\s*)"
_FAMILY = r"(?:(?:van|von|de|der|den|da|di|du|la|le|del|dos|mc|o')\s+)?[A-Z][A-Za-zà-öø-ÿ'’-]+"
PERSON = rf"{_HONORIFIC}?(?:{_GIVEN}\s+{_INITIAL}?|{_INITIAL}{{1,2}}){_FAMILY}(?:\s+(?:Jr|Sr|II|III|IV)\.?)?"

_TITLE_WORDS = (
    r"president|vice[\s-]president|vp|ceo|cfo|coo|cto|cmo|cio|owner|co-?owner|founder|co-?founder|"
    r"partner|principal|director|manager|chairman|chairwoman|chair|chief\s+\w+(?:\s+officer)?|officer|"
    r"head\s+of\s+\w+|proprietor|broker|realtor|agent|consultant|engineer|superintendent|secretary|"
    r"treasurer|attorney|lawyer|solicitor|accountant|architect|designer|coordinator|representative|"
    r"administrator|supervisor|specialist|advisor|adviser|executive|geschäftsführer(?:in)?|inhaber(?:in)?|"
    r"leiter(?:in)?|vorstand|prokurist(?:in)?|gérant(?:e)?|directeur|directrice|pdg|président(?:e)?|"
    r"gerente|director(?:a)?|titolare|amministratore|responsabile|总经理|经理|董事长|总裁"
)
_TITLE_HEAD = (r"(?:(?:senior|sr\.?|junior|jr\.?|executive|assistant|associate|deputy|general|managing|"
               r"regional|national|international|area|district|sales|marketing|technical|export|"
               r"operations|office|account|project|product|purchasing|business|development|"
               r"independent|chief|vice|co-?)[\s-]+)*")
# Titles match in any case ("OWNER, PRINCIPAL", "project manager"); names only capitalised.
TITLE = rf"(?i:{_TITLE_HEAD}(?:{_TITLE_WORDS})(?:\s*(?:&|and|/|,)\s*{_TITLE_HEAD}(?:{_TITLE_WORDS}))*" \
        rf"(?:\s+(?:of|for)\s+[A-Z][\w&]*(?:\s+(?:&\s+)?[A-Z][\w&]*){{0,3}})?)"

_TITLE_RE = re.compile(rf"^{TITLE}$")
_NAME_COMMA_TITLE = re.compile(rf"(?P<person>{PERSON})\s*(?:,|\s[-–—|]\s|\()\s*(?P<title>{TITLE})\b")
# "Jeremy M. Shorts, a practicing Utah attorney", "Paul Wilkinson is a car accident lawyer"
_APPOSITION = re.compile(
    rf"(?P<person>{PERSON})(?:,\s*|\s+is\s+)(?:a|an|the|our)\s+(?:[\w-]+\s+){{0,4}}?(?P<title>{TITLE})\b"
)
_FOUNDED_BY = re.compile(rf"(?i:founded|owned|established|started)\s+(?:in\s+\d{{4}}\s+)?by\s+(?P<person>{PERSON})")
_TITLE_COLON_NAME = re.compile(rf"(?P<title>{TITLE})\s*[:\-–]\s*(?P<person>{PERSON})")
_LABELLED = re.compile(
    rf"(?i:contact(?:\s+person)?|your\s+contact|attn|attention|ansprechpartner(?:in)?|kontaktperson|"
    rf"personne\s+(?:de\s+)?contact|interlocuteur|persona\s+de\s+contacto|contacto|referente|"
    rf"联系人)\s*[:：]\s*(?P<person>{PERSON})"
)
_PERSON_RE = re.compile(rf"^(?:{PERSON})$")
_HAS_TITLE = re.compile(rf"(?i:\b(?:{_TITLE_WORDS}))")
_HAS_LABEL = re.compile(r"(?i:contact|attn|attention|ansprechpartner|kontaktperson|personne|interlocuteur|"
                        r"referente|founded|owned|established|started)|联系人")

# Capitalised words that start no person's name.
_NOT_NAMES = frozenset("""
contact us our the about home email e-mail phone fax tel call office address street road avenue
suite inc llc ltd corp company group services service team sales support customer info
information new free click read more learn view all rights reserved copyright privacy terms
north south east west united states kingdom america monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november
december welcome get request quote book shop online web site design marketing business
management customer client general main head vice chief senior president director manager
""".split())


@dataclass(frozen=True)
class Contact:
    name: str
    title: str | None
    line: int
    how: str  # "label" or "title"


def find_contacts(lines: list[str]) -> list[Contact]:
    """People with a label or a job title, in page order."""
    found: list[Contact] = []
    for index, line in enumerate(lines):
        if len(line) > 300:
            continue
        next_is_title = index + 1 < len(lines) and len(lines[index + 1]) <= 80 \
            and _HAS_TITLE.search(lines[index + 1]) is not None
        if not next_is_title and not _HAS_TITLE.search(line) and not _HAS_LABEL.search(line):
            continue  # the cheap test first: no title word and no label, no contact
        for match in _LABELLED.finditer(line):
            person = _person(match.group("person"))
            if person:
                title = _title_near(lines, index, line[match.end():])
                found.append(Contact(person, title, index, "label"))
        for match in _NAME_COMMA_TITLE.finditer(line):
            person = _person(match.group("person"))
            if person:
                found.append(Contact(person, _clean_title(match.group("title")), index, "title"))
        for match in _APPOSITION.finditer(line):
            person = _person(match.group("person"))
            if person:
                found.append(Contact(person, _clean_title(match.group("title")), index, "title"))
        for match in _FOUNDED_BY.finditer(line):
            person = _person(match.group("person"))
            if person:
                found.append(Contact(person, None, index, "title"))
        for match in _TITLE_COLON_NAME.finditer(line):
            person = _person(match.group("person"))
            if person and not _NAME_COMMA_TITLE.search(line):
                found.append(Contact(person, _clean_title(match.group("title")), index, "title"))
        if next_is_title and _PERSON_RE.match(line) and _TITLE_RE.match(lines[index + 1]):
            person = _person(line)
            if person:
                found.append(Contact(person, _clean_title(lines[index + 1]), index, "title"))
    return found


def best_contact(contacts: list[Contact]) -> Contact | None:
    """A labelled contact first, else the first person given a title."""
    labelled = [c for c in contacts if c.how == "label"]
    chosen = labelled or contacts
    return chosen[0] if chosen else None


def _person(text: str) -> str | None:
    words = text.split()
    bare = [w.strip(".,").lower() for w in words]
    if len(words) < 2 or len(words) > 5 or any(b in _NOT_NAMES for b in bare):
        return None
    return " ".join(words).strip(" ,")


def _clean_title(text: str) -> str:
    return " ".join(text.split()).strip(" ,.-–")


def _title_near(lines: list[str], index: int, after: str) -> str | None:
    head = after.strip(" ,-–|()")
    match = re.match(rf"{TITLE}\b", head)
    if match:
        return _clean_title(match.group(0))
    if index + 1 < len(lines) and _TITLE_RE.match(lines[index + 1]):
        return _clean_title(lines[index + 1])
    return None
