"""Generate the canonical companies of a world.

Why its own module: company generation has several passes (countries, names,
near-name siblings, contact details) that must run in a fixed order off one
``random.Random(seed)`` so the result is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sandbox.geo import CITIES, City, make_street
from sandbox.model import Company
from sandbox.phones import random_fax, random_landline, random_mobile
from sandbox.rng import weighted_choice
from sandbox.text import compact
from sandbox.vocab import (
    BUSINESS_TYPES,
    CATEGORIES,
    CATEGORY_BY_TERM,
    CN_TRADING_WORDS,
    EMPLOYEE_BANDS,
    FREE_MAIL,
    LEGAL_FORMS,
    MAILBOXES,
    NAME_ROOTS,
    PEOPLE,
    TLDS,
)

OTHER_COUNTRIES: tuple[str, ...] = ("DE", "IN", "TR", "IT", "VN")
SIBLING_SHARE = 0.05  # share of companies that are one half of a near-name pair
FREE_MAIL_SHARE = 0.03
NO_WEBSITE_SHARE = 0.10

_FOUNDED: dict[str, tuple[int, int]] = {
    "CN": (1993, 2021),
    "US": (1948, 2020),
    "DE": (1890, 2015),
    "IN": (1975, 2020),
    "TR": (1970, 2020),
    "IT": (1950, 2018),
    "VN": (1995, 2021),
}
_FAX_SHARE: dict[str, float] = {"CN": 0.85, "US": 0.5}
_MOBILE_SHARE: dict[str, float] = {"CN": 0.85, "US": 0.4}


@dataclass
class _Draft:
    """A company under construction; mutable so passes can fill it in order."""

    id: str
    country: str
    city: City
    district: str
    postcode: str
    categories: list[str]
    business_type: str
    legal_form: str
    root: str = ""
    industry: str = ""
    name: str = ""
    products: list[str] = field(default_factory=list)
    sibling_id: str | None = None


def _allocate_countries(rng: random.Random, n: int) -> list[str]:
    """Exact country shares (half CN, 40% US, rest spread), in shuffled order.

    Exact counts rather than independent draws keep the site sizes stable for
    any seed, so tests on counts never flake.
    """
    n_cn = round(n * 0.5)
    n_us = round(n * 0.4)
    rest = n - n_cn - n_us
    countries = (
        ["CN"] * n_cn
        + ["US"] * n_us
        + [OTHER_COUNTRIES[i % len(OTHER_COUNTRIES)] for i in range(rest)]
    )
    rng.shuffle(countries)
    return countries


def _pick_products(rng: random.Random, categories: list[str]) -> list[str]:
    """2-4 product phrases, at least one from every category of the company."""
    count = rng.randint(max(2, len(categories)), 4)
    chosen = [rng.choice(CATEGORY_BY_TERM[term].products) for term in categories]
    pool = [p for term in categories for p in CATEGORY_BY_TERM[term].products if p not in chosen]
    chosen += rng.sample(pool, count - len(chosen))
    return chosen


def _draft(rng: random.Random, index: int, country: str) -> _Draft:
    """Pick place, categories, type and legal form for one company."""
    city = rng.choice(CITIES[country])
    district, postcode = rng.choice(city.areas)
    business_type = weighted_choice(rng, list(BUSINESS_TYPES.get(country, BUSINESS_TYPES["OTHER"])))
    # Traders and distributors span categories; a pure manufacturer rarely does.
    two_p = 0.1 if business_type == "Manufacturer" else 0.45
    terms = [c.term for c in CATEGORIES]
    categories = rng.sample(terms, 2 if rng.random() < two_p else 1)
    draft = _Draft(
        id=f"C{index:04d}",
        country=country,
        city=city,
        district=district,
        postcode=postcode,
        categories=categories,
        business_type=business_type,
        legal_form=weighted_choice(rng, list(LEGAL_FORMS[country])),
    )
    draft.products = _pick_products(rng, categories)
    return draft


def _compose(country: str, city: City, root: str, industry: str) -> str:
    """Base name from root and industry word in the country's naming habit."""
    if country == "CN":
        return f"{city.name} {root} {industry}"
    return f"{root} {industry}"


def _industry_word(rng: random.Random, draft: _Draft) -> str:
    """Industry word for the name; Chinese traders often use a neutral one."""
    if draft.country == "CN" and "Trading" in draft.business_type and rng.random() < 0.3:
        return rng.choice(CN_TRADING_WORDS)
    return rng.choice(CATEGORY_BY_TERM[draft.categories[0]].industry_words[draft.country])


def _name_all(rng: random.Random, drafts: list[_Draft], used: set[str]) -> None:
    """Give every draft a unique canonical base name (case-insensitive).

    A root is also kept unique within a country and primary category, so
    same-industry lookalikes come only from the deliberate sibling pass and
    their share stays what the brief asks for.
    """
    used_roots: set[tuple[str, str, str]] = set()
    for draft in drafts:
        for attempt in range(300):
            draft.root = rng.choice(NAME_ROOTS[draft.country])
            draft.industry = _industry_word(rng, draft)
            name = _compose(draft.country, draft.city, draft.root, draft.industry)
            if attempt > 200:
                name = f"{name} {rng.choice(('Group', 'Works', 'Industries'))}"
            root_key = (draft.country, draft.categories[0], draft.root)
            if name.lower() not in used and (attempt > 100 or root_key not in used_roots):
                break
        draft.name = name
        used.add(name.lower())
        used_roots.add((draft.country, draft.categories[0], draft.root))


def _make_siblings(rng: random.Random, drafts: list[_Draft], used: set[str]) -> None:
    """Turn some pairs into near-name siblings: shared root, different companies.

    The second company of a pair takes the first one's root and categories but
    keeps its own city, so everything except the name looks unrelated; a
    deduplicator that merges on name similarity alone will be caught.
    """
    n_pairs = round(len(drafts) * SIBLING_SHARE / 2)
    candidates = [d for d in drafts if d.country in ("US", "CN")]
    rng.shuffle(candidates)
    taken: set[str] = set()
    pairs = 0
    for first in candidates:
        if pairs >= n_pairs:
            break
        if first.id in taken or first.industry in CN_TRADING_WORDS:
            continue
        for second in candidates:
            if second.id in taken or second.id == first.id or second.country != first.country:
                continue
            if second.city.name == first.city.name:
                continue
            words = CATEGORY_BY_TERM[first.categories[0]].industry_words[first.country]
            options = [w for w in words if w != first.industry]
            if first.country == "CN":
                options.append(first.industry)  # differs only by the city word
            industry = rng.choice(options)
            name = _compose(second.country, second.city, first.root, industry)
            if name.lower() in used:
                continue
            second.root, second.industry = first.root, industry
            second.categories = list(first.categories)
            second.products = _pick_products(rng, second.categories)
            used.discard(second.name.lower())
            used.add(name.lower())
            second.name = name
            first.sibling_id, second.sibling_id = second.id, first.id
            taken.update((first.id, second.id))
            pairs += 1
            break


def _contact(rng: random.Random, country: str) -> tuple[str, str]:
    """A contact person and job title from the country's name lists."""
    male, female, surnames, titles = PEOPLE[country]
    first = rng.choice(male if rng.random() < 0.6 else female)
    last = rng.choice(surnames)
    name = (
        f"{last} {first}"
        if country == "CN" and first in ("Wei", "Jun", "Mei", "Fang")
        else f"{first} {last}"
    )
    return name, rng.choice(titles)


def _domain(rng: random.Random, draft: _Draft, used: set[str]) -> str:
    """A unique, plausible company domain built from its name parts."""
    root = compact(draft.root)
    word = rng.choice(CATEGORY_BY_TERM[draft.categories[0]].domain_words)
    industry = compact(draft.industry)
    if draft.country == "CN":
        labels = [
            f"{draft.city.prefix}{root}",
            f"{root}{word}",
            f"{root}-{word}",
            f"{draft.city.prefix}-{root}",
            f"{root}{industry}",
        ]
    elif draft.country == "US":
        labels = [
            f"{root}{word}",
            f"{root}-{word}",
            f"{root}{industry}",
            f"{root}{word}{draft.city.region_code.lower()}",
        ]
    else:
        labels = [f"{root}{word}", f"{root}-{industry}", f"{root}{industry}"]
    label = rng.choice(labels)
    tld = weighted_choice(rng, list(TLDS[draft.country]))
    domain = f"{label}{tld}"
    suffix = 2
    while domain in used:
        domain = f"{label}{suffix}{tld}"
        suffix += 1
    used.add(domain)
    return domain


def _free_mail(rng: random.Random, draft: _Draft, contact: str) -> str:
    """A free-mail address, the way small suppliers without IT set one up."""
    provider = rng.choice(FREE_MAIL.get(draft.country, FREE_MAIL["OTHER"]))
    if provider == "qq.com":
        return f"{rng.randint(100000000, 2999999999)}@qq.com"
    if rng.random() < 0.5:
        return f"{compact(draft.root)}{compact(draft.industry)}{rng.randint(1, 99)}@{provider}"
    first, _, last = contact.partition(" ")
    return f"{compact(first)}.{compact(last)}{rng.randint(1, 999)}@{provider}"


def _employees(rng: random.Random) -> int | str:
    """Head count as an int or a band string, as directories mix both."""
    if rng.random() < 0.5:
        return rng.choice(EMPLOYEE_BANDS)
    return rng.choice((rng.randint(3, 50), rng.randint(20, 300), rng.randint(100, 2000)))


def _finish(rng: random.Random, draft: _Draft, used_domains: set[str]) -> Company:
    """Fill contact details and freeze a draft into a Company."""
    city = draft.city
    phone = random_landline(rng, city)
    fax = (
        random_fax(rng, city, phone) if rng.random() < _FAX_SHARE.get(draft.country, 0.6) else None
    )
    mobile = (
        random_mobile(rng, city) if rng.random() < _MOBILE_SHARE.get(draft.country, 0.6) else None
    )
    contact_name, contact_title = _contact(rng, draft.country)
    free_mail = rng.random() < FREE_MAIL_SHARE
    has_site = rng.random() >= NO_WEBSITE_SHARE
    domain: str | None = _domain(rng, draft, used_domains)
    if free_mail:
        email = _free_mail(rng, draft, contact_name)
    elif rng.random() < 0.25:
        email = f"{compact(contact_name.split(' ')[0])}@{domain}"
    else:
        email = f"{rng.choice(MAILBOXES[draft.country])}@{domain}"
    if free_mail and not has_site:
        domain = None
    low, high = _FOUNDED[draft.country]
    return Company(
        id=draft.id,
        name=draft.name,
        legal_form=draft.legal_form,
        country=draft.country,
        city=city.name,
        region=city.region,
        postcode=draft.postcode,
        street=make_street(rng, city, draft.district),
        phone=phone,
        fax=fax,
        mobile=mobile,
        email=email,
        website=f"http://www.{domain}/" if has_site and domain else None,
        domain=domain,
        contact_name=contact_name,
        contact_title=contact_title,
        business_type=draft.business_type,
        main_products=list(draft.products),
        categories=list(draft.categories),
        year_founded=rng.randint(low, high),
        employees=_employees(rng),
        region_code=city.region_code,
        sibling_id=draft.sibling_id,
    )


def make_companies(seed: int, n_companies: int) -> list[Company]:
    """Return ``n_companies`` canonical companies, fully determined by ``seed``."""
    if n_companies < 1:
        raise ValueError("n_companies must be at least 1")
    rng = random.Random(seed)
    countries = _allocate_countries(rng, n_companies)
    drafts = [_draft(rng, i + 1, country) for i, country in enumerate(countries)]
    used_names: set[str] = set()
    _name_all(rng, drafts, used_names)
    _make_siblings(rng, drafts, used_names)
    used_domains: set[str] = set()
    return [_finish(rng, draft, used_domains) for draft in drafts]
