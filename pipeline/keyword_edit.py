"""Editing config/keywords.yaml without losing what marketers wrote in it.

Round-trip YAML (ruamel): comments, order and layout survive; new terms are
appended as one-line mappings that say where they came from. Human terms are
never replaced: translation only fills languages a set does not have yet.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipeline.keywords import KeywordsFile, Origin, Review
from pipeline.translate import TranslatorChain

# The languages of the source plans: English, Chinese and the five European ones.
DEFAULT_LANGUAGES = ("en", "zh", "fr", "de", "it", "pt", "es")


@dataclass(frozen=True)
class Proposal:
    keyword_set: str
    language: str
    term: str
    origin: Origin
    backend: str
    from_term: str
    from_language: str


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_document(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def dump_document(document: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    return buffer.getvalue()


def propose(keywords: KeywordsFile, chain: TranslatorChain, sets: list[str] | None = None,
            languages: list[str] | None = None) -> list[Proposal]:
    """Translations for the languages each set lacks, from its English (else any human) terms."""
    targets = list(languages or DEFAULT_LANGUAGES)
    proposals: list[Proposal] = []
    for name, kset in keywords.sets.items():
        if sets and name not in sets:
            continue
        present = {lang for lang, terms in kset.terms.items() if any(t.review != Review.REJECTED for t in terms)}
        sources = [(lang, t.term) for lang, terms in kset.terms.items() if lang.split("-")[0] == "en"
                   for t in terms if t.usable]
        if not sources:
            sources = [(lang, t.term) for lang, terms in kset.terms.items() for t in terms
                       if t.usable and t.origin == Origin.HUMAN]
        for target in targets:
            if target in present:
                continue
            seen: set[str] = set()
            for source_lang, term in sources:
                found = chain.translate(term, source_lang, target)
                if found and found.text.casefold() not in seen:
                    seen.add(found.text.casefold())
                    proposals.append(Proposal(name, target, found.text, found.origin, found.backend, term,
                                              source_lang))
    return proposals


def _flow_map(**values: str) -> CommentedMap:
    node = CommentedMap(values)
    node.fa.set_flow_style()
    return node


def apply_proposals(document: Any, proposals: list[Proposal]) -> None:
    """Add the proposed terms: glossary ones accepted, machine ones pending review."""
    for p in proposals:
        terms = document["sets"][p.keyword_set]["terms"]
        if p.language not in terms or terms[p.language] is None:
            seq = CommentedSeq()
            terms[p.language] = seq
        review = Review.ACCEPTED if p.origin == Origin.GLOSSARY else Review.PENDING
        terms[p.language].append(_flow_map(term=p.term, origin=p.origin.value, review=review.value))


def diff(before: str, after: str, path: Path) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=str(path), tofile=f"{path} (proposed)"))


@dataclass(frozen=True)
class PendingTerm:
    keyword_set: str
    language: str
    index: int
    term: str
    origin: str


def pending_terms(document: Any, sets: list[str] | None = None) -> list[PendingTerm]:
    found = []
    for name, kset in document["sets"].items():
        if sets and name not in sets:
            continue
        for lang, terms in (kset.get("terms") or {}).items():
            for index, term in enumerate(terms or []):
                if isinstance(term, dict) and term.get("review") == Review.PENDING.value:
                    found.append(PendingTerm(name, lang, index, str(term.get("term")), str(term.get("origin"))))
    return found


def set_review(document: Any, item: PendingTerm, review: Review, new_text: str | None = None) -> None:
    """Accept, reject or correct one term; a corrected term becomes the marketer's own (human, accepted)."""
    node = document["sets"][item.keyword_set]["terms"][item.language][item.index]
    if new_text is not None and new_text.strip() and new_text.strip() != node["term"]:
        node["term"] = new_text.strip()
        node["origin"] = Origin.HUMAN.value
        node["review"] = Review.ACCEPTED.value
        return
    node["review"] = review.value


def write_document(path: Path, document: Any) -> None:
    text = dump_document(document)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
