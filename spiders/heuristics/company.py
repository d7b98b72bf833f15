"""The company's name on its own pages, from the places sites put it.

No single place is reliable: titles carry slogans ("Custom License Plates |
LeewardPro"), copyright lines carry the web designer's name, logos have
"logo" for alt text. So every place proposes candidates, and a candidate wins
by agreement: several places naming it, its resemblance to the site's domain
(leewardpro.com and "Leeward Productions"), a legal form, and how often the
page repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.names import ParsedName
from pipeline.names import parse_name as _parse_name


@lru_cache(maxsize=8192)
def parse_name(text: str) -> ParsedName:
    """:func:`pipeline.names.parse_name`, memoised: candidates repeat across a page's places."""
    return _parse_name(text)

# Prior belief in each place a name is taken from.
SOURCE_WEIGHT = {
    "og:site_name": 1.0,
    "domain": 0.6,
    "application-name": 0.8,
    "copyright": 0.8,
    "logo": 0.6,
    "welcome": 0.5,
    "domain-text": 0.4,
    "title": 0.5,
    "og:title": 0.3,
    "heading": 0.2,
}

# Words that are never a company's name on their own.
_GENERIC = frozenset("""
home homepage index welcome contact contacts us about company news blog search login log in sign
untitled document page default main menu site website web services products faq help support
careers jobs privacy policy terms conditions sitemap site map gallery portfolio testimonials
locations location directions map team our overview history mission shop store cart checkout
all rights reserved copyright logo header footer image click here read more learn more
""".split())
_LEADING = re.compile(
    r"^(?:welcome\s+to(?:\s+the)?|about(?:\s+us)?|contact(?:\s+us)?(?:\s+(?:by|at|for))?|"
    r"home(?:page)?|testimonials?|our\s+\w+)\s*[:,-]?\s+",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s+[|\-–—:»·•~/]+\s+|\s*[|»·•]\s*|\s*::\s*|\s+-\s*|\s*-\s+")
_YEAR = r"(?:19|20)\d\d"
_COPYRIGHT = re.compile(
    rf"(?:(?:©|\(c\)|&copy;|copyright\b)\s*)+(?:{_YEAR}(?:\s*[-–,]\s*(?:{_YEAR}|\d\d|present))?)?"
    rf"\s*[,.:]?\s*(?:by\s+)?(?P<name>[^\n|]{{2,120}})",
    re.IGNORECASE,
)
_COPYRIGHT_CUT = re.compile(
    rf"\s*(?:all\s+rights|\ball\s+right|\brights\s+reserved|\bpowered\s+by|\bdesign(?:ed)?\s+by|\bweb\s*site\s+by|"
    rf"\band\s+(?:its|their)\b|\band/or\b|\bunless\b|\bis\s+a\b|\bthe\s+(?:content|material)|"
    rf"\bsite\s+by|\bprivacy\b|\bterms\b|\bsitemap\b|\bsite\s+map\b|{_YEAR}|\s[-–—]\s|\.\s|\s*\|)",
    re.IGNORECASE,
)
_LEGAL_TAIL = re.compile(r"\b(?:inc|ltd|llc|llp|corp|co|plc|limited|gmbh|pty)\.?$", re.IGNORECASE)
_SQUASH = re.compile(r"[\W_]+")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(?:\.[a-z]{2,})+$", re.IGNORECASE)


@dataclass(frozen=True)
class NameCandidate:
    text: str
    source: str


@dataclass(frozen=True)
class ScoredName:
    name: str
    source: str  # the place the chosen spelling came from
    score: float


def squash(text: str) -> str:
    """Letters and digits only, lower-cased: "Leeward-Pro Inc." -> "leewardproinc"."""
    return _SQUASH.sub("", text.casefold())


_MARKS = re.compile(r"\s*(?:[™®℠©]|\((?i:tm|r|sm)\)|(?<=[a-z])(?:TM|SM)\b)\s*")
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2,}\b)")
# What sites append to their name in titles and site names: the page, not the company.
_PAGE_SUFFIX = re.compile(
    r"\s+(?:help\s*(?:center|centre|desk)|support(?:\s+center)?|blog|official\s+(?:web\s*)?site|"
    r"web\s*site|home\s*page|contact\s+(?:information|info|us|details)|customer\s+service|"
    r"online\s+store|online\s+shop|careers?|news(?:room)?)$",
    re.IGNORECASE,
)


_ABBREVIATION_END = re.compile(r"(?:\b(?:inc|ltd|co|corp|bros|intl|mfg|assoc|jr|sr)|\b\w\.\w)\.$", re.IGNORECASE)


def clean_candidate(text: str) -> str | None:
    """A candidate trimmed of slogans' leftovers, labels and surrounding punctuation; None if generic.

    Trade marks go ("Tropical Web Works℠"), words glued by markup are parted
    ("Chemical CompanyHelp Desk"), and what names the page rather than the
    company is cut from the end ("Perk Help Center").
    """
    text = _MARKS.sub(" ", " ".join(text.split())).strip(" -–—|:,;!?»«\"'“”")
    if text.endswith(".") and not _ABBREVIATION_END.search(text):
        text = text.rstrip(".")  # a sentence's full stop, not "Inc." or "S.A."
    if _GLUED.search(text) and " " in text:
        text = _GLUED.sub(" ", text)
    text = _LEADING.sub("", text).strip(" -–—|:,;!?\"'“”")
    text = re.sub(r"\s*\blogo\b\s*$", "", text, flags=re.IGNORECASE).strip(" -|:,")
    shorter = _PAGE_SUFFIX.sub("", text)
    while shorter != text and shorter:
        text, shorter = shorter, _PAGE_SUFFIX.sub("", shorter)
    if not text or len(text) > 80 or len(text.split()) > 8:
        return None
    if not any(ch.isalpha() for ch in text):
        return None
    if all(word.lower() in _GENERIC for word in re.findall(r"[\w']+", text)):
        return None
    return text


def title_candidates(title: str) -> list[str]:
    """Segments of a page title: "Contact Us | Coventry Building Society" -> ["Coventry Building Society"]."""
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) <= 1:
        parts = [title]
    return [c for c in (clean_candidate(p) for p in dict.fromkeys(parts)) if c]


_WELCOME = re.compile(r"^\s*welcome\s+to\s+(?P<name>[^.!,|:]{2,60}(?:,\s*(?:inc|llc|ltd)\.?)?)",
                      re.IGNORECASE)
_RESERVED = re.compile(r"^\s*(?P<name>[^|©]{2,80}?)[.,]?\s+all\s+rights\s+reserved", re.IGNORECASE)


def welcome_candidates(lines: Iterable[str]) -> list[str]:
    """"Welcome to The Paul Wilkinson Law Firm, LLC" -> the firm, from short lines only."""
    found: list[str] = []
    for line in lines:
        if len(line) <= 100 and line[:8].lower().lstrip().startswith("welcome"):
            match = _WELCOME.match(line)
            candidate = clean_candidate(match.group("name")) if match else None
            if candidate and candidate[0].isupper():
                found.append(candidate)
    return found


def copyright_candidates(lines: Iterable[str]) -> list[str]:
    """The holder named in copyright lines: "© 2014 Leeward Productions. All rights reserved."."""
    found: list[str] = []
    for line in lines:
        if "©" not in line and "opyright" not in line and "(c)" not in line.lower():
            reserved = _RESERVED.match(line) if len(line) <= 150 and "eserved" in line else None
            candidate = clean_candidate(_cut_copyright(reserved.group("name"))) if reserved else None
            if candidate and candidate[0].isupper():
                found.append(candidate)
            continue
        if len(line) > 250 and "©" not in line:
            continue  # "copyright" inside terms and conditions names no holder
        for match in _COPYRIGHT.finditer(line):
            name = _cut_copyright(match.group("name"))
            candidate = clean_candidate(name) if name else None
            if candidate and not (candidate[0].isupper() or candidate[0].isdigit() or _DOMAIN_LIKE.match(candidate)):
                candidate = None  # "© owner", "copyright laws": words, not a holder
            if candidate and not re.search(r"[{}$();=]", candidate):
                found.append(candidate)
    return found


def domain_candidates(lines: Iterable[str], domain_label: str | None) -> list[str]:
    """Phrases of the page that spell the site's domain: "Peak View Roofing" on peakviewroofing.com.

    A run of capitalised words whose letters make up the domain name ("H&S
    Solicitors" on handssolicitors.com), or whose initials do ("Associated
    Production Tools" on shop-apt.co.uk), plus a legal form right after it; a
    domain that shortens the last word counts too ("Leeward Productions" on
    leewardpro.com). When the page mostly writes the name on ("Callows Audio"
    on callows.com), the longer spelling is the one returned.
    """
    doms = domain_spellings(domain_label)
    if not doms:
        return []
    parts = {squash(p) for p in re.split(r"[-.]", domain_label or "") if len(squash(p)) >= 3}
    firsts = {p[0] for p in parts}
    spelled: list[tuple[str, str]] = []  # (phrase, the capitalised words written right after it)
    for line in lines:
        folded = squash(line)
        if "&" in line:
            folded += squash(line.replace("&", "and"))
        present = [d for d in doms if d[:3] in folded]
        if not present and not firsts:
            continue
        words = [(m.group(0), m.start(), m.end()) for m in _PHRASE_WORD.finditer(line)]
        texts = [w for w, _, _ in words]
        for i, first in enumerate(texts):
            if not (first[:1].isupper() or first[:1].isdigit() or _CAMEL.match(first)):
                continue
            end = next((e for e in (_spelled_end(texts, i, d) for d in present) if e), None) if present else None
            if end is None and first[:1].lower() in firsts:
                end = _initials_end(texts, i, parts)
            if end is not None:
                end = _with_legal_form(texts, i, end)
                phrase = " ".join(texts[i:end]).strip(".,- ")
                after = "" if parse_name(phrase).legal_form else _following(line, words, end)
                spelled.append((phrase, after))
    return _prefer_longer(spelled)


# Words domains wrap around a name: goabbeyroad.com, londonroofingco.com, acmeusa.com.
_DOMAIN_PREFIXES = ("the", "go", "my", "get", "try", "shop", "buy", "visit", "www", "team", "we", "hello")
_DOMAIN_SUFFIXES = ("inc", "llc", "ltd", "co", "corp", "usa", "us", "uk", "online", "web", "site", "hq",
                    "group", "global", "intl", "international", "direct", "store", "shop", "app")


def domain_spellings(domain_label: str | None) -> list[str]:
    """The domain name, and without a wrapping word: "goabbeyroad" -> ["goabbeyroad", "abbeyroad"]."""
    dom = squash(domain_label or "")
    if len(dom) < 3:
        return []
    found = [dom]
    for prefix in _DOMAIN_PREFIXES:
        if dom.startswith(prefix) and len(dom) - len(prefix) >= 4:
            found.append(dom[len(prefix):])
    for suffix in _DOMAIN_SUFFIXES:
        if dom.endswith(suffix) and len(dom) - len(suffix) >= 4:
            found.append(dom[: -len(suffix)])
    return found


_CAMEL = re.compile(r"^[a-z]{1,3}[A-Z]")  # ioSafe, eBay
_CONNECTOR_WORDS = frozenset({"and", "&", "of", "the", "for", "de", "du", "des", "la", "le", "by", "at", "in", "on"})


def looks_like_name(text: str, max_words: int = 7) -> bool:
    """Capitalised words (connectors aside), not too many: how names, not sentences, are written."""
    words = text.split()
    return 0 < len(words) <= max_words and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTOR_WORDS or _CAMEL.match(w) or not w[:1].isalpha()
        for w in words)


_PHRASE_WORD = re.compile(r"[^\s,;:|()\[\]\"“”!?]+")
_NOT_NAME_WORDS = frozenset("""
home contact about privacy terms all rights reserved copyright is are was the a an in on at for
to of by with from we our you your has have call email phone fax tel welcome login site
""".split())


def _variants(word: str) -> tuple[str, ...]:
    plain = squash(word)
    return (plain, squash(word.replace("&", "and"))) if "&" in word else (plain,)


def _spelled_end(words: list[str], start: int, dom: str) -> int | None:
    """End (exclusive) of the run of words from ``start`` whose letters spell ``dom``."""
    letters = ""
    for j in range(start, min(len(words), start + 6)):
        options = _variants(words[j])
        if not options[0]:
            return None
        for part in options:
            joined = letters + part
            if joined == dom:
                return j + 1
        extended = [letters + p for p in options if dom.startswith(letters + p)]
        if extended:
            letters = extended[-1]
            continue
        # the domain ends inside this word: an abbreviation when at least 2 letters of it are kept
        rest = dom[len(letters):]
        if j > start and len(rest) >= 2 and options[0].startswith(rest) and words[j][:1].isupper():
            return j + 1
        return None
    return None


def _initials_end(words: list[str], start: int, parts: set[str]) -> int | None:
    """End of a run of 2-5 capitalised words whose initials are a part of the domain ("apt")."""
    initials = ""
    for j in range(start, min(len(words), start + 5)):
        if not words[j][:1].isupper():
            return None
        initials += words[j][0].lower()
        if j > start and initials in parts:
            return j + 1
    return None


def _with_legal_form(words: list[str], start: int, end: int) -> int:
    for extra in (2, 1):
        if end + extra <= len(words) and not parse_name(" ".join(words[start:end])).legal_form \
                and parse_name(" ".join(words[start:end + extra])).legal_form:
            return end + extra
    return end


def _following(line: str, words: list[tuple[str, int, int]], end: int) -> str:
    """Capitalised words written straight after a phrase (same sentence, spaces only between)."""
    taken: list[str] = []
    previous_end = words[end - 1][2] if end else 0
    for word, start, stop in words[end:end + 5]:
        connector = word in ("&", "and", "of", "for")
        if line[previous_end:start].strip() or not (word[:1].isupper() or connector):
            break
        if word.lower() in _NOT_NAME_WORDS and not connector:
            break
        taken.append(word)
        previous_end = stop
        if word.endswith((".", ",")):
            break
    while taken and taken[-1] in ("&", "and", "of", "for"):
        taken.pop()
    return " ".join(taken).strip(".,-")


def _prefer_longer(spelled: list[tuple[str, str]]) -> list[str]:
    """Each phrase, or phrase + its usual continuation when the page writes that at least twice."""
    counts: dict[str, dict[str, int]] = {}
    for phrase, after in spelled:
        counts.setdefault(phrase, {}).setdefault(after, 0)
        counts[phrase][after] += 1
    out: list[str] = []
    for phrase, afters in counts.items():
        total = sum(afters.values())
        tail, seen = max(((a, n) for a, n in afters.items() if a), key=lambda x: x[1], default=("", 0))
        longer = f"{phrase} {tail}" if tail and seen >= 2 and seen * 3 >= total else None
        out.extend([longer or phrase] * total)
    return out


def _cut_copyright(text: str) -> str:
    """The holder's name up to the first "All rights", year, separator or sentence end.

    A legal form's own dot ("Acme Inc. All rights reserved") is not a sentence end.
    """
    text = text.strip()
    cut = _COPYRIGHT_CUT.search(text)
    while cut is not None and cut.group(0).startswith(".") and _LEGAL_TAIL.search(text[:cut.start()]):
        cut = _COPYRIGHT_CUT.search(text, cut.end())
    head = text[:cut.start()] if cut else text
    head = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", head.strip(), flags=re.IGNORECASE)
    trimmed = head.rstrip(" ,")
    head = head.rstrip(" ,.") + ("." if _LEGAL_TAIL.search(trimmed) and trimmed.endswith(".") else "")
    return head.strip()


def choose_name(candidates: list[NameCandidate], domain_label: str | None,
                body_text: str = "") -> ScoredName | None:
    """The best-supported candidate (see the module docstring for what counts)."""
    groups: dict[str, list[NameCandidate]] = {}
    for candidate in candidates:
        key = name_key(candidate.text)
        if key:
            groups.setdefault(key, []).append(candidate)
    if not groups:
        return None
    lowered = body_text.casefold()
    spellings = {max(members, key=lambda m: SOURCE_WEIGHT.get(m.source, 0.2)).text.casefold()
                 for members in groups.values()}
    best: ScoredName | None = None
    scored: list[tuple[ScoredName, str]] = []
    for key, members in groups.items():
        sources = {m.source for m in members}
        score = sum(SOURCE_WEIGHT.get(s, 0.2) for s in sources)
        spelling = max(members, key=lambda m: SOURCE_WEIGHT.get(m.source, 0.2)).text
        affinity = domain_affinity(spelling, domain_label)
        score += affinity
        if parse_name(spelling).legal_form:
            score += 0.3
            if affinity and "copyright" in sources:
                score += 0.5  # the legal entity holding the site's copyright, not its product's name
        if lowered:
            score += min(_mentions(lowered, spelling.casefold(), spellings), 5) * 0.08
        words = spelling.split()
        if len(words) > 5:
            score -= 0.15 * (len(words) - 5)
        lower_words = sum(1 for w in words if w[:1].islower() and w.lower() not in ("and", "of", "the", "&"))
        score -= 0.25 * lower_words
        this = ScoredName(name=spelling, score=score,
                          source=max(members, key=lambda m: SOURCE_WEIGHT.get(m.source, 0.2)).source)
        scored.append((this, key))
        if best is None or score > best.score:
            best = this
    return _fuller(best, scored, domain_label) if best else None


def _mentions(text: str, spelling: str, spellings: set[str]) -> int:
    """How often the page writes a name on its own: "SC Dental" inside "SC Dental Group" is not counted."""
    count = text.count(spelling)
    for longer in spellings:
        if longer != spelling and spelling in longer:
            count -= text.count(longer) * longer.count(spelling)
    return max(count, 0)


def _fuller(best: ScoredName, scored: list[tuple[ScoredName, str]], domain_label: str | None) -> ScoredName:
    """The full name the winner is a short form of: "Innux" -> "Innux Technologies Lda".

    A lead is a company, so when the page also writes the winner out with a
    legal form, or as the holder of its copyright ("Erin Clark" -> "Erin Clark
    Web Design & Graphics"), starting with it or spelling its initials, that is kept.
    """
    key = name_key(best.name)
    if parse_name(best.name).legal_form or not key:
        return best
    short = squash(best.name.replace("&", " "))
    fuller = [
        candidate for candidate, other in scored
        if other != key and (parse_name(candidate.name).legal_form or candidate.source == "copyright")
        and looks_like_name(candidate.name) and domain_affinity(candidate.name, domain_label)
        and (other.startswith(key) or _initials(candidate.name) in (key, short))
    ]
    return max(fuller, key=lambda c: c.score) if fuller else best


_FORM_WORDS = frozenset({"inc", "ltd", "llc", "llp", "co", "corp", "limited", "gmbh", "plc", "pty", "lda",
                         "sa", "ag", "bv", "srl", "company", "corporation", "incorporated"})


def _initials(name: str) -> str:
    """First letters of the name's words, legal form and "and/of/the" left out: "R.S. Pressman &
    Associates, Inc." -> "rspa"."""
    words = [w for w in re.findall(r"[^\W_]+", name.casefold()) if w not in ("and", "of", "the")]
    while len(words) > 1 and words[-1] in _FORM_WORDS:
        words.pop()
    return "".join(w[0] for w in words)


def name_key(text: str) -> str:
    """Spellings of one name meet: legal form dropped, case, spaces and punctuation ignored."""
    parsed = parse_name(text)
    return squash(parsed.key) if parsed.key else squash(text)


def domain_affinity(name: str, domain_label: str | None) -> float:
    """How much a name looks like the site's domain: "LeewardPro" ~ leewardpro.com.

    Exact (1.0), one a prefix of the other (0.7), initials (0.6), a long word
    of the name inside the domain (0.35).
    """
    if not domain_label:
        return 0.0
    dom = squash(domain_label)
    full = squash(name)
    key = name_key(name)
    if not full or len(dom) < 2:
        return 0.0
    first = name.split()[0].lower() if name.split() else ""
    if dom in (full, key):
        # "Go Abbey Road" on goabbeyroad.com: the call to action is not part of the name
        return 0.9 if first in _DOMAIN_PREFIXES and len(name.split()) > 1 else 1.0
    for variant in domain_spellings(domain_label)[1:]:
        if variant in (full, key):
            return 1.0 if dom.endswith(variant) else 0.9
    if len(key) >= 4 and (dom.startswith(key) or key.startswith(dom)):
        return 0.7
    if len(key) >= 2 and dom.startswith(key):
        return 0.5
    words = [w for w in re.findall(r"[^\W_]+", name.casefold())]
    initials = _initials(name)
    parts = {squash(p) for p in re.split(r"[-.]", domain_label)}
    if len(initials) >= 2 and (dom == initials or initials in parts
                               or dom.startswith(initials) and len(initials) >= 3):
        return 0.6
    if any(len(w) >= 4 and w in dom for w in words):
        return 0.35
    return 0.0


def domain_as_written(lines: Iterable[str], domain: str | None) -> list[str]:
    """The site's own domain written as a name ("BlueDogInk.com"), not inside an address or a URL.

    Online shops often go by their domain; written in the page's text, it is a candidate.
    """
    if not domain or "." not in domain:
        return []
    pattern = re.compile(rf"(?<![\w@/.-])(?:www\.)?({re.escape(domain)})(?![\w/-]|\.\w)", re.IGNORECASE)
    found: list[str] = []
    for line in lines:
        if domain[:4].lower() in line.lower():
            found.extend(m.group(1) for m in pattern.finditer(line))
    return found
