"""Filling the missing languages of a keyword set: glossary first, then machine translation.

Three backends behind one interface, tried in order:

1. the trade glossary shipped with the project (``pipeline/data/glossary.csv``),
   offline, written by people: its terms are marked ``glossary``;
2. Argos Translate, when it is installed with the language packages
   (``pip install argostranslate`` and its models): marked ``machine``;
3. an HTTP translation service speaking the LibreTranslate API, when
   ``LEADS_TRANSLATE_URL`` is set (``LEADS_TRANSLATE_API_KEY`` if it needs
   one): marked ``machine``.

Machine results wait for a person's review before they are crawled. Every
answer, including "no translation", is cached so nothing is asked twice.
"""

from __future__ import annotations

import csv
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pipeline.keywords import Origin

GLOSSARY = Path(__file__).parent / "data" / "glossary.csv"


@dataclass(frozen=True)
class Translation:
    text: str
    origin: Origin
    backend: str


class Translator(Protocol):
    name: str
    origin: Origin

    def translate(self, term: str, source: str, target: str) -> str | None: ...


def _base(lang: str) -> str:
    return lang.split("-")[0]


class GlossaryTranslator:
    """Look the term up in the glossary; regional columns (pt-BR, en-GB...) win where filled."""

    name = "glossary"
    origin = Origin.GLOSSARY

    def __init__(self, path: Path = GLOSSARY):
        self.rows = _glossary_rows(path)
        self.index: dict[tuple[str, str], dict[str, str]] = {}
        for row in self.rows:
            for lang, value in row.items():
                if lang != "category" and value:
                    self.index.setdefault((lang, value.casefold()), row)

    def translate(self, term: str, source: str, target: str) -> str | None:
        row = self.index.get((source, term.casefold())) or self.index.get((_base(source), term.casefold()))
        if row is None:
            return None
        return row.get(target) or row.get(_base(target)) or None


@lru_cache(maxsize=4)
def _glossary_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


class ArgosTranslator:
    """Argos Translate, offline, when the package and the language pair's model are installed."""

    name = "argos"
    origin = Origin.MACHINE

    def __init__(self) -> None:
        import argostranslate.translate  # noqa: F401  (ImportError means: not installed)

    def translate(self, term: str, source: str, target: str) -> str | None:
        import argostranslate.translate as argos

        languages = {lang.code: lang for lang in argos.get_installed_languages()}
        src, dst = languages.get(_base(source)), languages.get(_base(target))
        if src is None or dst is None:
            return None
        translation = src.get_translation(dst)
        if translation is None:
            return None
        return translation.translate(term).strip() or None


class HttpTranslator:
    """A LibreTranslate-compatible service: POST /translate {q, source, target, format}."""

    name = "http"
    origin = Origin.MACHINE

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 20.0):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, term: str, source: str, target: str) -> str | None:
        payload = {"q": term, "source": _base(source), "target": _base(target), "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(f"{self.url}/translate", data=json.dumps(payload).encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, OSError):
            return None
        text = answer.get("translatedText") if isinstance(answer, dict) else None
        return text.strip() if isinstance(text, str) and text.strip() else None


class TranslationCache:
    """Answers by (backend, source, target, term), in a JSON file; None answers too."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data: dict[str, str | None] = {}
        if path and path.exists():
            try:
                self.data = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, OSError):
                self.data = {}
        self.dirty = False

    @staticmethod
    def key(backend: str, term: str, source: str, target: str) -> str:
        return f"{backend}|{source}|{target}|{term.casefold()}"

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".part")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
            self.dirty = False


class TranslatorChain:
    """The backends in order; the first answer wins; every answer is cached."""

    def __init__(self, backends: list[Translator], cache: TranslationCache | None = None):
        self.backends = backends
        self.cache = cache or TranslationCache(None)
        self.asked: dict[str, int] = {}

    def translate(self, term: str, source: str, target: str) -> Translation | None:
        for backend in self.backends:
            key = TranslationCache.key(backend.name, term, source, target)
            if key in self.cache.data:
                text = self.cache.data[key]
            else:
                text = backend.translate(term, source, target)
                self.asked[backend.name] = self.asked.get(backend.name, 0) + 1
                if backend.origin == Origin.MACHINE:  # the glossary is cheaper to read than to cache
                    self.cache.data[key] = text
                    self.cache.dirty = True
            if text:
                return Translation(text=text, origin=backend.origin, backend=backend.name)
        return None


def default_chain(cache_path: Path | None = None) -> TranslatorChain:
    """Glossary, then Argos when installed, then the HTTP service when configured."""
    backends: list[Translator] = [GlossaryTranslator()]
    try:
        backends.append(ArgosTranslator())
    except ImportError:
        pass
    url = os.environ.get("LEADS_TRANSLATE_URL")
    if url:
        backends.append(HttpTranslator(url, os.environ.get("LEADS_TRANSLATE_API_KEY")))
    return TranslatorChain(backends, TranslationCache(cache_path))
