"""Generic extraction against 323 real small-business pages marked by people.

    .venv/bin/python -m benchmarks.realpages [--dir DIR] [--show FIELD] [--no-url] [--strict] [--limit N]

Scores what ``leads extract`` prints (run once over every page, as a user
runs it; no site, the country inferred from the page) against
``/work/shared/realpages/webstruct_business/*.html`` and each page's
``N.json`` (see that folder's README: e-mails are marked on only 4 pages, a
page may name several companies, labels list every mention). Prints
precision, recall and F1 per field, and milliseconds per page measured by
calling :func:`spiders.page.extract_page` in this process.

The page's URL is taken from its ``<base href>`` (the address it was saved
from): a crawler always knows it. ``--no-url`` does not pass it, but
``extract_page`` still reads the page's own ``<base href>`` (as it would on
any page), so on this set the figures do not change.

How fields are scored
---------------------
Single-valued fields (name, street, city, state, postcode, country, person,
title): one prediction per page. It is a true positive when it equals *any*
of the page's marked values after folding (the labels list every mention and
spelling, so any of them is the company's); a prediction matching none is a
false positive, and also a false negative when the page has marks; a page
with marks and no prediction is a false negative. Precision = TP / pages
predicted, recall = TP / pages marked.

List fields (phones, faxes, emails): per value, micro-averaged over pages:
each distinct marked value found is a TP, each distinct predicted value not
marked a FP, each marked value not predicted a FN. Predicted phones are the
``phones`` and ``mobiles`` fields together (the labels do not tell mobiles apart).

Folding, per field:
- phones, faxes: digits only, an extension ("x 12", "ext. 3") and a "(0)" cut
  off, a leading 00, country code 1 (11-digit NANP) or 44, and a trunk 0 dropped; marks with
  fewer than 7 digits ("Ex: 2233") are extensions, not numbers, and ignored.
- name: ``pipeline.names.parse_name`` key (case, punctuation, legal form,
  leading "The" folded), spaces removed, a trailing web suffix (".com",
  ".co.uk") dropped: "BlueDogInk.com" = "Bluedogink". Where markup split one
  name into two marks in a row ("H &" + "S Solicitors", "Fundraising Skills ("
  + "UK) Ltd"), the two joined count as a spelling too (the same for city,
  street, person and title: "Newcastle upon" + "Tyne"). ``--strict`` turns this
  and the city aliases below off.
- city: ``pipeline.normalize.city_key`` (case, accents, "City" dropped); a US
  state code written into the mark is dropped ("Washington DC" = "Washington"),
  and "NYC" is New York.
- postcode: upper case without spaces; ZIP+4 compared as its 5-digit ZIP.
- state: US state / Canadian province to its code ("Texas" = "TX"), else case-folded.
- country: ISO code via ``pipeline.countries.country_code``.
- street: lower-case words with the usual abbreviations (street = st, suite = ste...);
  equal, or one a prefix of the other of at least two words (the labels split
  "1435 North McDowell Blvd." and "Suite 300" into two marks).
- person, title, emails: case and punctuation folded.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pipeline.countries import country_code
from pipeline.names import parse_name
from pipeline.normalize import city_key
from spiders.heuristics.gazetteer import ca_province, us_state
from spiders.page import extract_page, warm_up

DEFAULT_DIR = Path("/work/shared/realpages/webstruct_business")

# label key -> (extracted field(s), list field?)
FIELDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "name": (("name",), False),
    "phones": (("phones", "mobiles"), True),
    "faxes": (("faxes",), True),
    "emails": (("emails",), True),
    "street": (("street",), False),
    "city": (("city",), False),
    "state": (("region",), False),
    "postcode": (("postcode",), False),
    "country": (("country",), False),
    "person": (("contact_name",), False),
    "title": (("contact_title",), False),
}

_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d{1,5}\s*$", re.IGNORECASE)
_WEB_SUFFIX = re.compile(r"\.(?:com|net|org|us|biz|info|co\.uk|org\.uk|ca|com\.au|co)\.?$", re.IGNORECASE)
_STREET_ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr",
    "suite": "ste", "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy",
    "north": "n", "south": "s", "east": "e", "west": "w", "circle": "cir", "square": "sq",
}


def phone_key(value: str) -> str | None:
    digits = re.sub(r"\D", "", _EXTENSION.sub("", value.replace("(0)", "")))
    if len(digits) < 7:
        return None
    digits = digits.removeprefix("00")
    if digits.startswith("44") and len(digits) >= 11:
        digits = digits[2:]
    elif digits.startswith("1") and len(digits) == 11:
        digits = digits[1:]
    return digits.removeprefix("0")


def name_key(value: str) -> str | None:
    text = _WEB_SUFFIX.sub("", value.strip())
    key = re.sub(r"\W+", "", parse_name(text).key)
    return key or None


def postcode_key(value: str) -> str | None:
    text = re.sub(r"\s+", "", value.upper()).strip(".,")
    match = re.fullmatch(r"(\d{5})-?\d{4}", text)
    return (match.group(1) if match else text) or None


def state_key(value: str) -> str | None:
    return us_state(value) or ca_province(value) or (re.sub(r"\W+", " ", value.casefold()).strip() or None)


def country_key(value: str) -> str | None:
    return country_code(value.strip(" .")) or (value.casefold().strip() or None)


def words_key(value: str) -> str | None:
    return " ".join(re.findall(r"\w+", value.casefold())) or None


def street_key(value: str) -> str | None:
    words = [_STREET_ABBREVIATIONS.get(w, w) for w in re.findall(r"\w+", value.casefold())]
    return " ".join(words) or None


def street_match(predicted: str, marked: str) -> bool:
    p, m = predicted.split(), marked.split()
    if p == m:
        return True
    shorter = min(len(p), len(m))
    return shorter >= 2 and p[:shorter] == m[:shorter]


# Text fields where inline markup split one mention into two marks in a row.
_SPLIT_BY_MARKUP = frozenset({"name", "city", "street", "person", "title"})


def city_mark_key(value: str) -> str | None:
    """City folded; a state code written into the city mark is dropped ("Washington DC")."""
    if value.strip().upper() == "NYC":
        value = "New York"
    words = value.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]\.?[A-Z]\.?", words[-1]) and us_state(words[-1]):
        value = " ".join(words[:-1])
    return city_key(value)


KEYS: dict[str, Callable[[str], str | None]] = {
    "name": name_key, "phones": phone_key, "faxes": phone_key, "emails": lambda v: v.strip().lower() or None,
    "street": street_key, "city": city_mark_key, "state": state_key, "postcode": postcode_key,
    "country": country_key, "person": words_key, "title": words_key,
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(page: str, label: str, predicted: Any, marked: list[str], score: Score,
               strict: bool = False) -> None:
    """Add one page's outcome for one field to ``score`` (rules in the module docstring)."""
    key = city_key if strict and label == "city" else KEYS[label]
    gold = {k for k in (key(m) for m in marked if m) if k}
    if label in _SPLIT_BY_MARKUP and not strict:
        gold |= {k for k in (key(f"{a} {b}") for a, b in pairwise(marked)) if k}
    if FIELDS[label][1]:
        pred = {k for k in (key(str(v)) for v in predicted or []) if k}
        hit = pred & gold
        score.tp += len(hit)
        score.fp += len(pred - gold)
        score.fn += len(gold - pred)
        if pred != gold:
            score.misses.append((page, sorted(pred - gold), sorted(gold - pred)))
        return
    value = key(str(predicted)) if predicted else None
    if value is None:
        if gold:
            score.fn += 1
            score.misses.append((page, None, marked))
        return
    ok = any(street_match(value, g) for g in gold) if label == "street" else value in gold
    if ok:
        score.tp += 1
    else:
        score.fp += 1
        score.fn += 1 if gold else 0
        score.misses.append((page, predicted, marked))


def decode(data: bytes) -> str:
    """The page as text: UTF-8 when it is, else the charset it declares, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def base_url(html: str) -> str | None:
    match = re.search(r"<base\s[^>]*href=[\"']([^\"']+)", html[:5000], re.IGNORECASE)
    return match.group(1) if match else None


CLI_FIELDS = {"name": "name", "phones": "phones", "faxes": "faxes", "emails": "emails", "street": "street",
              "city": "city", "state": "region", "postcode": "postcode", "country": "country",
              "person": "contact_name", "title": "contact_title"}


def cli_predictions(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Run ``leads extract`` once over all pages; its JSON Lines by page name."""
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract", *map(str, paths)],
                          capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return {Path(row["source"]).stem: row for row in rows}


def run(folder: Path, use_url: bool = True, limit: int | None = None,
        strict: bool = False) -> tuple[dict[str, Score], list[float]]:
    pages = sorted(folder.glob("*.json"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    if limit:
        pages = pages[:limit]
    pages = [p for p in pages if p.with_suffix(".html").exists()]
    scores = {label: Score() for label in FIELDS}
    predictions = cli_predictions([p.with_suffix(".html") for p in pages]) if use_url else {}
    timings: list[float] = []
    for marks_path in pages:
        marks = json.loads(marks_path.read_text(encoding="utf-8"))
        html = decode(marks_path.with_suffix(".html").read_bytes())
        started = time.perf_counter()
        extraction = extract_page(html, url=base_url(html) if use_url else None)
        timings.append((time.perf_counter() - started) * 1000)
        row = predictions.get(marks_path.stem)
        for label, (names, is_list) in FIELDS.items():
            if row is not None:  # what `leads extract` printed
                predicted: Any = row.get(CLI_FIELDS[label]) or ([] if is_list else None)
            elif is_list:
                predicted = [v for n in names for v in extraction.fields.get(n, [])]
            else:
                predicted = extraction.fields.get(names[0])
            score_page(marks_path.stem, label, predicted, marks.get(label, []), scores[label], strict)
    return scores, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", choices=sorted(FIELDS), help="print the pages where this field was missed")
    parser.add_argument("--no-url", action="store_true",
                        help="do not pass the page's URL (its <base href> is still read by extract_page)")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--strict", action="store_true",
                        help="no joining of marks split by markup, no city aliases (NYC, Washington DC)")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"no such folder: {args.dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    warm_up()  # country index, phone metadata: loaded once per process, not per page
    warm = (time.perf_counter() - started) * 1000
    scores, timings = run(args.dir, use_url=not args.no_url, limit=args.limit, strict=args.strict)
    notes = [n for n, on in (("no URL", args.no_url), ("strict", args.strict)) if on]
    print(f"{len(timings)} pages from {args.dir}{' (' + ', '.join(notes) + ')' if notes else ''}\n")
    print(f"{'field':<10} {'prec':>6} {'recall':>7} {'F1':>6}   {'TP':>4} {'FP':>4} {'FN':>4}")
    for label, s in scores.items():
        print(f"{label:<10} {s.precision:>6.3f} {s.recall:>7.3f} {s.f1:>6.3f}   {s.tp:>4} {s.fp:>4} {s.fn:>4}")
    if timings:
        ordered = sorted(timings)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"\nms per page: median {statistics.median(timings):.1f}, p95 {p95:.1f}, "
              f"max {ordered[-1]:.1f}, total {sum(timings) / 1000:.2f} s (after a one-off warm-up of "
              f"{warm:.0f} ms)")
    if args.show:
        print(f"\nmisses for {args.show} (page: predicted / marked):")
        for page, predicted, marked in scores[args.show].misses:
            print(f"  {page}: {predicted!r} / {marked!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
