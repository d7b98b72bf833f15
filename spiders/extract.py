"""Reading lead fields out of a page with a site's selectors.

Pure functions over parsel selectors, so the spider, ``leads sites try`` and
the tests share one implementation. Every value records the method that found
it (here always "selector"; schema.org and text heuristics add their own).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

from spiders.sites import LIST_FIELDS, FieldRule, LabelTable, normalise_label

_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
_CSS = HTMLTranslator()


# Steps that label tables use on every row ("./th", ".", "following-sibling::dd[1]", CSS "td"):
# walked in Python they cost a fifth of an XPath evaluation, which sets up a context each time.
_CHILD = re.compile(r"\./([a-z][a-z0-9]*)")
_NEXT_SIBLING = re.compile(r"\./following-sibling::([a-z][a-z0-9]*)\[1\]")
_SELF_OR_DESCENDANT = re.compile(r"descendant-or-self::([a-z][a-z0-9]*)")


def _self(node: Any) -> list[Any]:
    return [node]


def _step(xpath: str) -> Any | None:
    """The same elements as the XPath, in the same order, for the few shapes above; else None."""
    if xpath == ".":
        return _self
    if found := _CHILD.fullmatch(xpath):
        tag = found.group(1)
        return lambda node: list(node.iterchildren(tag))
    if found := _NEXT_SIBLING.fullmatch(xpath):
        tag = found.group(1)
        return lambda node: next(([s] for s in node.itersiblings(tag)), [])
    if found := _SELF_OR_DESCENDANT.fullmatch(xpath):
        tag = found.group(1)
        return lambda node: list(node.iter(tag))
    return None


@lru_cache(maxsize=4096)
def _compiled(expression: str, is_css: bool) -> Any:
    """A rule compiled once: parsel would translate and compile it again for every page.

    Callable on an lxml element, giving what ``etree.XPath`` would.
    """
    xpath = _CSS.css_to_xpath(expression) if is_css else expression
    return _step(xpath) or etree.XPath(xpath, namespaces=_NAMESPACES, smart_strings=False)


def _text(node: Any) -> str:
    """Attribute and text results as they are; elements as all their text, spaced."""
    if isinstance(node, etree._Element):
        if not len(node) and isinstance(node.tag, str):  # a leaf: its own text is all its text
            return " ".join((node.text or "").split())
        return " ".join(" ".join(node.itertext()).split())
    return " ".join(str(node).split())


def run_rule(node: Selector | SelectorList, rule: FieldRule) -> SelectorList:
    return node.css(rule.css) if rule.css else node.xpath(rule.xpath or "")


# What rules run on: a parsel selector, a list of them, or lxml elements (a page's scope).
Nodes = Selector | SelectorList | list[Any]


def _results(node: Nodes, rule: FieldRule) -> list[Any]:
    compiled = _compiled(rule.css or rule.xpath or "", bool(rule.css))
    roots = [node.root] if isinstance(node, Selector) else [getattr(n, "root", n) for n in node]
    found: list[Any] = []
    for root in roots:
        if isinstance(root, etree._Element):
            result = compiled(root)
            found.extend(result if isinstance(result, list) else [result])
    return found


def elements(node: Nodes, rule: FieldRule) -> list[Any]:
    """The lxml elements a rule matches, its text and attribute results left out."""
    return [found for found in _results(node, rule) if isinstance(found, etree._Element)]


def select(node: Nodes, rule: FieldRule) -> list[str]:
    """All non-empty values a rule yields, after its regex and split."""
    values: list[str] = []
    for match in _results(node, rule):
        values.extend(_clean(match, rule))
    return values


def _clean(value: Any, rule: FieldRule, split: bool = True) -> list[str]:
    text = _text(value)
    if rule.regex:
        found = re.search(rule.regex, text)
        if not found:
            return []
        text = (found.group(1) if found.groups() else found.group(0)).strip()
    if not (rule.split and split):
        text = text.strip()
        return [text] if text else []
    return [p.strip() for p in _splitter(rule.split).split(text) if p.strip()]


@lru_cache(maxsize=256)
def _splitter(characters: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(characters) + "]")


# A site's labels repeat on every page ("Telephone:", "Fax:"): normalised once each.
_label_key = lru_cache(maxsize=4096)(normalise_label)


def read_label_tables(node: Nodes, tables: list[LabelTable]) -> dict[str, list[str]]:
    """Values of every labelled row the tables know, by field, in page order."""
    found: dict[str, list[str]] = {}
    for table in tables:
        lookup = table.lookup
        label_xpath = _compiled(table.label.css or table.label.xpath or "", bool(table.label.css))
        value_xpath = _compiled(table.value.css or table.value.xpath or "", bool(table.value.css))
        for row in _results(node, table.rows):
            if not isinstance(row, etree._Element):
                continue
            labels = label_xpath(row)
            if not labels:
                continue
            field = lookup.get(_label_key(_text(labels[0])))
            if field is None:
                continue
            for value in value_xpath(row):
                found.setdefault(field, []).extend(_clean(value, table.value, split=field in LIST_FIELDS))
    return found


def extract_fields(node: Nodes, rules: dict[str, FieldRule],
                   tables: list[LabelTable] | None = None) -> dict[str, Any]:
    """Field values from one page or card: lists for plural fields, the first value otherwise.

    Label tables are read first; a field with its own selector overrides them.
    """
    collected: dict[str, list[str]] = read_label_tables(node, tables) if tables else {}
    for name, rule in rules.items():
        values = select(node, rule)
        if values:
            collected[name] = values
    fields: dict[str, Any] = {}
    for name, values in collected.items():
        if not values:
            continue
        if name in LIST_FIELDS:
            fields[name] = list(dict.fromkeys(values))
        elif name == "year_founded":
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", values[0])
            if year:
                fields[name] = int(year.group(1))
        else:
            fields[name] = values[0]
    return fields
