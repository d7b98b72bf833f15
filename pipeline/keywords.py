"""Keyword sets per product line and language, as marketers keep them.

``config/keywords.yaml`` maps each set to terms per language. A term is a
plain string (written by a person) or a mapping that also says where it came
from (human, glossary, machine) and whether someone reviewed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.configfile import load_model

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


class Origin(StrEnum):
    HUMAN = "human"
    GLOSSARY = "glossary"
    MACHINE = "machine"


class Review(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    origin: Origin = Origin.HUMAN
    review: Review = Review.ACCEPTED

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"term": value}
        return value

    @property
    def usable(self) -> bool:
        """Machine terms are crawled once accepted; rejected ones never."""
        return self.review != Review.REJECTED and (self.origin != Origin.MACHINE or self.review == Review.ACCEPTED)


class KeywordSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    enabled: bool = True
    terms: dict[str, list[Term]] = Field(description="language tag (en, de, pt-BR) -> terms")
    negative: list[str] = Field(default_factory=list, description="leads mentioning these are excluded")

    @field_validator("terms")
    @classmethod
    def _languages(cls, value: dict[str, list[Term]]) -> dict[str, list[Term]]:
        if not value or not any(value.values()):
            raise ValueError("a keyword set needs at least one term")
        for lang in value:
            if not LANGUAGE_TAG.match(lang):
                raise ValueError(f"{lang!r} is not a language tag like en, de or pt-BR")
        return value


class KeywordsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sets: dict[str, KeywordSet]


@dataclass(frozen=True)
class SearchTerm:
    """One term to search for, with the set and language it stands for."""

    keyword_set: str
    language: str
    term: str


def load_keywords(path: Path) -> KeywordsFile:
    return load_model(path, KeywordsFile)


def terms_for(keywords: KeywordsFile, languages: list[str], sets: list[str] | None = None) -> list[SearchTerm]:
    """Usable terms in the given languages, in file order, each term once."""
    found: list[SearchTerm] = []
    seen: set[tuple[str, str]] = set()
    for name, kset in keywords.sets.items():
        if not kset.enabled or (sets and name not in sets):
            continue
        for lang, terms in kset.terms.items():
            if not any(language_matches(lang, site_lang) for site_lang in languages):
                continue
            for term in terms:
                key = (term.term.casefold(), lang.split("-")[0])
                if term.usable and key not in seen:
                    seen.add(key)
                    found.append(SearchTerm(keyword_set=name, language=lang, term=term.term))
    return found


def language_matches(term_lang: str, site_lang: str) -> bool:
    """Does a term written in ``term_lang`` suit a site in ``site_lang``?

    A plain language fits all its regions and the reverse ("en" terms on an
    "en-US" site, "pt-BR" terms on a "pt" site), but regions do not cross:
    an "en-GB" term is not searched on an "en-US" site.
    """
    if term_lang == site_lang:
        return True
    t_base, _, t_region = term_lang.partition("-")
    s_base, _, s_region = site_lang.partition("-")
    return t_base == s_base and (not t_region or not s_region)


def negative_words(keywords: KeywordsFile) -> dict[str, list[str]]:
    """Per keyword set, its negative keywords folded for matching."""
    return {name: [w.casefold() for w in kset.negative if w.strip()] for name, kset in keywords.sets.items()}


def excluded_by(text: str, negatives: list[str]) -> str | None:
    """The negative keyword that ``text`` contains as a whole word or phrase, if any."""
    folded = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()) + " "
    for word in negatives:
        phrase = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in word).split()) + " "
        if phrase.strip() and phrase in folded:
            return word
    return None
