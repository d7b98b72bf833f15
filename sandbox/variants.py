"""How a directory re-spells a company: names, websites, streets, regions, contacts.

Why: real directories never agree on a company's spelling. Each function takes a
listing's own ``random.Random`` so every listing varies independently but
reproducibly, and the canonical record stays untouched for the ground truth.
"""

from __future__ import annotations

import random
import re

from sandbox.geo import US_STATES
from sandbox.model import Company
from sandbox.rng import weighted_choice
from sandbox.vocab import PEOPLE

LEGAL_VARIANTS: dict[str, list[tuple[str, int]]] = {
    "Co., Ltd.": [
        ("Co., Ltd.", 40),
        ("Co.,Ltd", 15),
        ("CO LTD", 8),
        ("Company Limited", 10),
        ("Co., Limited", 7),
        ("Co. Ltd.", 8),
        ("", 12),
    ],
    "Inc.": [("Inc.", 45), (", Inc.", 15), ("Inc", 15), ("Incorporated", 8), ("", 17)],
    "LLC": [("LLC", 50), (", LLC", 10), ("L.L.C.", 12), ("Llc", 5), ("", 23)],
    "Corp.": [("Corp.", 45), ("Corp", 15), ("Corporation", 20), ("", 20)],
    "GmbH": [("GmbH", 80), ("Gmbh", 5), ("", 15)],
    "GmbH & Co. KG": [("GmbH & Co. KG", 60), ("GmbH & Co KG", 20), ("GmbH u. Co. KG", 5), ("", 15)],
    "AG": [("AG", 85), ("", 15)],
    "Pvt. Ltd.": [
        ("Pvt. Ltd.", 40),
        ("Pvt Ltd", 20),
        ("Private Limited", 20),
        ("(P) Ltd.", 5),
        ("", 15),
    ],
    "Ltd": [("Ltd", 50), ("Ltd.", 20), ("Limited", 20), ("", 10)],
    "Ltd. Şti.": [
        ("Ltd. Şti.", 40),
        ("San. ve Tic. Ltd. Şti.", 25),
        ("LTD. ŞTİ.", 10),
        ("Ltd. Sti.", 15),
        ("", 10),
    ],
    "A.Ş.": [("A.Ş.", 50), ("A.S.", 20), ("San. ve Tic. A.Ş.", 15), ("", 15)],
    "S.r.l.": [("S.r.l.", 50), ("Srl", 25), ("S.R.L.", 15), ("", 10)],
    "S.p.A.": [("S.p.A.", 55), ("SpA", 25), ("S.P.A.", 10), ("", 10)],
    "JSC": [("JSC", 50), ("Joint Stock Company", 25), ("J.S.C", 10), ("", 15)],
    "SARL": [("SARL", 60), ("S.A.R.L.", 20), ("Sarl", 5), ("", 15)],
    "SAS": [("SAS", 65), ("S.A.S.", 20), ("", 15)],
    "SA": [("SA", 70), ("S.A.", 20), ("", 10)],
    "PLC": [("PLC", 60), ("plc", 25), ("", 15)],
    "Pty Ltd": [("Pty Ltd", 60), ("Pty. Ltd.", 20), ("Pty Limited", 10), ("", 10)],
    "FZE": [("FZE", 70), ("F.Z.E.", 15), ("", 15)],
    "FZCO": [("FZCO", 70), ("FZ Co.", 15), ("", 15)],
    "Ltda.": [("Ltda.", 50), ("Ltda", 30), ("LTDA", 10), ("", 10)],
    "S.A.": [("S.A.", 60), ("S/A", 20), ("SA", 10), ("", 10)],
}

ABBREVIATIONS: dict[str, str] = {
    "International": "Intl",
    "Manufacturing": "Mfg",
    "Technology": "Tech",
    "Industrial": "Ind.",
    "Equipment": "Equip.",
}
_EXPANSIONS: dict[str, str] = {short: full for full, short in ABBREVIATIONS.items()}

_WEBSITE_FORMS: dict[str, list[tuple[str, int]]] = {
    "tradeboard": [
        ("http://www.{d}", 25),
        ("http://www.{d}/", 25),
        ("https://{d}/", 15),
        ("www.{d}", 20),
        ("https://www.{d}", 15),
    ],
    "yellowpages": [
        ("http://www.{d}", 35),
        ("https://www.{d}/", 25),
        ("https://{d}", 15),
        ("http://www.{d}/?utm_source=yellowpages&utm_medium=referral", 25),
    ],
    "chinab2b": [
        ("www.{d}", 40),
        ("http://www.{d}", 35),
        ("http://{d}", 10),
        ("https://www.{d}/", 15),
    ],
    "importers": [("http://www.{d}", 40), ("www.{d}", 30), ("https://www.{d}/", 30)],
    "gelbeseiten": [("http://www.{d}", 40), ("https://www.{d}/", 35), ("http://www.{d}/", 25)],
    "pagesjaunes": [("http://www.{d}", 45), ("https://www.{d}", 30), ("http://www.{d}/", 25)],
}

# (pattern, replacements) per country; each matching rule fires with _STREET_P.
_STREET_RULES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "US": [
        (r"\bSt$|\bSt(?=,)", ("Street", "St.")),
        (r"\bAve\b", ("Avenue", "Ave.")),
        (r"\bBlvd\b", ("Boulevard", "Blvd.")),
        (r"\bDr\b", ("Drive", "Dr.")),
        (r"\bRd\b", ("Road", "Rd.")),
        (r"\bPkwy\b", ("Parkway",)),
        (r"\bLn\b", ("Lane",)),
        (r"\bCt\b", ("Court",)),
        (r", Suite ", (" Ste ", ", Ste. ", " #", ", STE ")),
    ],
    "CN": [
        (r"^No\. (\d+) ", ("No.\\1 ", "\\1 ", "No. \\1, ")),
        (r" Road\b", (" Rd.", " Rd", " road")),
        (r" District$", (" Dist.", "", " district")),
    ],
    "DE": [(r"straße\b", ("str.", "strasse", "Str."))],
    "FR": [
        (r"^(\d+) rue ", ("\\1, rue ", "\\1 r. ", "\\1 Rue ")),
        (r"\bavenue\b", ("av.", "Avenue", "Av.")),
        (r"\bboulevard\b", ("bd", "Bd", "Boulevard")),
    ],
    "IN": [(r"^Plot No\. ", ("Plot ", "Plot no. ", "P. No. "))],
    "TR": [(r" Caddesi ", (" Cad. ", " Cd. ")), (r"No: ", ("No:", "No."))],
    "IT": [(r", (\d+)$", (" \\1", " n. \\1")), (r"^Via ", ("V. ", "via "))],
    "VN": [(r" Street,", (" St.,", " Str.,")), (r" District$", (" Dist.", ""))],
}
_STREET_P = 0.4


def legal_variant(rng: random.Random, legal_form: str) -> str:
    """One spelling of ``legal_form`` (possibly dropped, possibly with a comma)."""
    return weighted_choice(rng, LEGAL_VARIANTS.get(legal_form, [(legal_form, 1)]))


def _abbreviate(rng: random.Random, base: str, probability: float) -> str:
    """Abbreviate or expand known words ("International" <-> "Intl") at random."""
    out = []
    for word in base.split(" "):
        swap = ABBREVIATIONS.get(word) or _EXPANSIONS.get(word)
        out.append(swap if swap and rng.random() < probability else word)
    return " ".join(out)


def _ampersand(rng: random.Random, base: str, probability: float) -> str:
    """Swap "&" and "and" the way listings typed by different people do."""
    if " & " in base and rng.random() < probability:
        return base.replace(" & ", " and ")
    if " and " in base and rng.random() < probability:
        return base.replace(" and ", " & ")
    return base


def _typo(rng: random.Random, base: str) -> str:
    """Introduce a single-letter typo (swap, drop, double or replace) in one word."""
    words = base.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return base
    i = rng.choice(candidates)
    word = words[i]
    pos = rng.randint(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif kind == "drop":
        word = word[:pos] + word[pos + 1 :]
    elif kind == "double":
        word = word[:pos] + word[pos] + word[pos:]
    else:
        letters = [c for c in "aeioulnrst" if c != word[pos].lower()]
        word = word[:pos] + rng.choice(letters) + word[pos + 1 :]
    words[i] = word
    return " ".join(words)


def render_name(rng: random.Random, company: Company, site: str) -> str:
    """The company name as ``site`` shows it on one listing."""
    base = _abbreviate(rng, company.name, 0.35)
    base = _ampersand(rng, base, 0.3)
    if rng.random() < 0.02:
        base = _typo(rng, base)
    suffix = legal_variant(rng, company.legal_form)
    if not suffix:
        name = base
    elif suffix.startswith(","):
        name = base + suffix
    else:
        name = f"{base} {suffix}"
    if rng.random() < (0.15 if site == "yellowpages" else 0.04):
        name = name.upper()
    return name


def render_website(rng: random.Random, domain: str, site: str) -> str:
    """The website as ``site`` prints it: scheme, www and trailing slash vary."""
    return weighted_choice(rng, _WEBSITE_FORMS[site]).format(d=domain)


def render_street(rng: random.Random, street: str, country: str, upper_p: float = 0.0) -> str:
    """The street line with local abbreviations applied or expanded at random."""
    for pattern, replacements in _STREET_RULES.get(country, []):
        if re.search(pattern, street) and rng.random() < _STREET_P:
            street = re.sub(pattern, rng.choice(replacements), street, count=1)
    if rng.random() < upper_p:
        street = street.upper()
    return street


def render_region(rng: random.Random, company: Company) -> str:
    """Province/state as a B2B portal shows it ("Zhejiang Province", "Texas", "TX")."""
    if company.country == "CN" and company.region != company.city and rng.random() < 0.3:
        return f"{company.region} Province"
    if company.country == "US":
        return company.region_code if rng.random() < 0.3 else US_STATES[company.region_code]
    return company.region


def render_city(rng: random.Random, company: Company) -> str:
    """City as typed by the member ("Ningbo" or "Ningbo City")."""
    if company.country == "CN" and rng.random() < 0.15:
        return f"{company.city} City"
    return company.city


def render_contact(rng: random.Random, name: str, country: str) -> str:
    """Contact person, sometimes with the "Mr."/"Ms." portals like to add."""
    if rng.random() >= 0.3:
        return name
    male, female, _, _ = PEOPLE[country]
    for token in (name.split(" ")[0], name.split(" ")[-1]):
        if token in female:
            return f"Ms. {name}"
        if token in male:
            return f"Mr. {name}"
    return name
