"""Reading lead fields out of a page with a site's selectors.

Pure functions over parsel selectors, so the spider, ``leads sites try`` and
the tests share one implementation. Every value records the method that found
it (here always "selector"; schema.org and text heuristics add their own).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector, SelectorList

from spiders.sites import LIST_FIELDS, FieldRule

_SPACE = re.compile(r"\s+")


def _text(node: Selector) -> str:
    """Attribute and text nodes as they are; elements as all their text, spaced."""
    if isinstance(node.root, str):
        value = node.root
    else:
        value = " ".join(node.xpath(".//text()").getall())
    return _SPACE.sub(" ", value).strip()


def run_rule(node: Selector | SelectorList, rule: FieldRule) -> SelectorList:
    return node.css(rule.css) if rule.css else node.xpath(rule.xpath or "")


def select(node: Selector | SelectorList, rule: FieldRule) -> list[str]:
    """All non-empty values a rule yields, after its regex and split."""
    values: list[str] = []
    for match in run_rule(node, rule):
        text = _text(match)
        if rule.regex:
            found = re.search(rule.regex, text)
            if not found:
                continue
            text = (found.group(1) if found.groups() else found.group(0)).strip()
        parts = re.split("[" + re.escape(rule.split) + "]", text) if rule.split else [text]
        values.extend(p.strip() for p in parts if p.strip())
    return values


def extract_fields(node: Selector | SelectorList, rules: dict[str, FieldRule]) -> dict[str, Any]:
    """Field values from one page or card: lists for plural fields, the first value otherwise."""
    fields: dict[str, Any] = {}
    for name, rule in rules.items():
        values = select(node, rule)
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
