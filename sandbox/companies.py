"""Generate the canonical companies of a world.

Why its own module: company generation has several passes (countries, names,
near-name siblings, contact details) that must run in a fixed order off one
``random.Random(seed)`` so the result is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sandbox.geo import CITIES, City, make_street
from sandbox.i18n import BRANDS_ZH, CITIES_ZH, INDUSTRY_ZH, LEGAL_FORMS_ZH
from sandbox.model import Company
from sandbox.phones import random_fax, random_landline, random_mobile
from sandbox.rng import weighted_choice
from sandbox.text import compact
from sandbox.vocab import (
    BUSINESS_TYPES,
    BUYER_COUNTRIES,
    BUYER_MAILBOXES,
    BUYER_ROOTS,
    BUYER_TITLES,
    BUYER_TYPES,
    BUYER_WORDS,
    CATEGORIES,
    CATEGORY_BY_TERM,
    CN_TRADING_WORDS,
    EMPLOYEE_BANDS,
    EXTRA_MAILBOXES,
    FREE_MAIL,
    LEGAL_FORMS,
    MAILBOXES,
    NAME_ROOTS,
    PEOPLE,
    TLDS,
)

OTHER_COUNTRIES: tuple[str, ...] = ("IN", "TR", "IT", "VN")
BUYER = "BUYER"  # pseudo-country in the share table: importers from BUYER_COUNTRIES
# Exact shares of the world ("OTHER" is spread over OTHER_COUNTRIES in turn). The US
# share is what it was with two sites, so tradeboard and yellowpages keep their size.
COUNTRY_SHARES: tuple[tuple[str, float], ...] = (
    ("CN", 0.34),
    ("US", 0.40),
    ("DE", 0.10),
    ("FR", 0.10),
    (BUYER, 0.04),
    ("OTHER", 0.02),
)
SIBLING_SHARE = 0.05  # share of companies that are one half of a near-name pair
FREE_MAIL_SHARE = 0.03
NO_WEBSITE_SHARE = 0.10
EXTRA_MAILBOX_SHARE = 0.35  # companies whose website shows a second role mailbox
PERSONAL_EMAIL_SHARE = 0.15  # ... and the contact person's own address
UNIQUE_ROOT_COUNTRIES = frozenset({"DE", "FR"})  # enough roots for one company each
_NAME_SUFFIX_ZH = {"Group": "集团", "Works": "实业", "Industries": "工业"}

_FOUNDED: dict[str, tuple[int, int]] = {
    "CN": (1993, 2021),
    "US": (1948, 2020),
    "DE": (1890, 2015),
    "IN": (1975, 2020),
    "TR": (1970, 2020),
    "IT": (1950, 2018),
    "VN": (1995, 2021),
    "FR": (1925, 2018),
    "GB": (1900, 2019),
    "AU": (1950, 2020),
    "AE": (1985, 2021),
    "BR": (1960, 2020),
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
    suffix: str = ""  # "Group"/"Works"/"Industries" when a name needed one to be unique
    products: list[str] = field(default_factory=list)
    sibling_id: str | None = None
    role: str = "supplier"


def _apportion(n: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split ``n`` by ``shares`` with exact counts (largest remainder), in share order."""
    total = sum(share for _, share in shares)
    quotas = [(key, n * share / total) for key, share in shares]
    counts = {key: int(quota) for key, quota in quotas}
    by_remainder = sorted(quotas, key=lambda kq: kq[1] - int(kq[1]), reverse=True)
    for key, _ in by_remainder[: n - sum(counts.values())]:
        counts[key] += 1
    return [(key, counts[key]) for key, _ in shares]


def _allocate_countries(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Exact (country, role) shares, in shuffled order.

    Exact counts rather than independent draws keep the site sizes stable for
    any seed, so tests on counts never flake. Buyers get their countries from
    BUYER_COUNTRIES, apportioned the same way.
    """
    slots: list[tuple[str, str]] = []
    for key, count in _apportion(n, list(COUNTRY_SHARES)):
        if key == "OTHER":
            slots += [(OTHER_COUNTRIES[i % len(OTHER_COUNTRIES)], "supplier") for i in range(count)]
        elif key == BUYER:
            weights = [(c, float(w)) for c, w in BUYER_COUNTRIES]
            for country, k in _apportion(count, weights):
                slots += [(country, "buyer")] * k
        else:
            slots += [(key, "supplier")] * count
    rng.shuffle(slots)
    return slots


def _pick_products(rng: random.Random, categories: list[str]) -> list[str]:
    """2-4 product phrases, at least one from every category of the company."""
    count = rng.randint(max(2, len(categories)), 4)
    chosen = [rng.choice(CATEGORY_BY_TERM[term].products) for term in categories]
    pool = [p for term in categories for p in CATEGORY_BY_TERM[term].products if p not in chosen]
    chosen += rng.sample(pool, count - len(chosen))
    return chosen


def _draft(rng: random.Random, index: int, country: str, role: str) -> _Draft:
    """Pick place, categories, type and legal form for one company."""
    city = rng.choice(CITIES[country])
    district, postcode = rng.choice(city.areas)
    types = BUYER_TYPES if role == "buyer" else BUSINESS_TYPES.get(country, BUSINESS_TYPES["OTHER"])
    business_type = weighted_choice(rng, list(types))
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
        role=role,
    )
    draft.products = _pick_products(rng, categories)
    return draft


def _compose(country: str, city: City, root: str, industry: str, role: str = "supplier") -> str:
    """Base name from root and industry word in the country's naming habit."""
    if country == "CN":
        return f"{city.name} {root} {industry}"
    if role == "buyer" and country == "BR":
        return f"{industry} {root}"  # "Importadora Paulista"
    return f"{root} {industry}"


def _buyer_key(country: str) -> str:
    """Which BUYER_ROOTS / BUYER_WORDS table a buyer of ``country`` draws from."""
    return country if country in ("DE", "FR", "BR") else "EN"


def _roots(draft: _Draft) -> tuple[str, ...]:
    """Name roots a draft may take: buyers outside DE/FR have their own."""
    if draft.role == "buyer" and draft.country not in UNIQUE_ROOT_COUNTRIES:
        return BUYER_ROOTS.get(draft.country, BUYER_ROOTS["EN"])
    return NAME_ROOTS[draft.country]


def _industry_word(rng: random.Random, draft: _Draft) -> str:
    """Industry word for the name; Chinese traders often use a neutral one."""
    if draft.role == "buyer":
        return rng.choice(BUYER_WORDS[_buyer_key(draft.country)])
    if draft.country == "CN" and "Trading" in draft.business_type and rng.random() < 0.3:
        return rng.choice(CN_TRADING_WORDS)
    return rng.choice(CATEGORY_BY_TERM[draft.categories[0]].industry_words[draft.country])


def _root_key(draft: _Draft) -> tuple[str, ...]:
    """The scope a root is unique in: the country for DE/FR, else country and category."""
    if draft.country in UNIQUE_ROOT_COUNTRIES:
        return (draft.country, draft.root)
    if draft.role == "buyer":
        return ("buyer", draft.country, draft.root)
    return (draft.country, draft.categories[0], draft.root)


def _name_all(rng: random.Random, drafts: list[_Draft], used: set[str]) -> None:
    """Give every draft a unique canonical base name (case-insensitive).

    A root is also kept unique within a country and primary category, so
    same-industry lookalikes come only from the deliberate sibling pass and
    their share stays what the brief asks for.
    """
    used_roots: set[tuple[str, ...]] = set()
    for draft in drafts:
        for attempt in range(300):
            draft.root = rng.choice(_roots(draft))
            draft.industry = _industry_word(rng, draft)
            name = _compose(draft.country, draft.city, draft.root, draft.industry, draft.role)
            draft.suffix = ""
            if attempt > 200:
                draft.suffix = rng.choice(("Group", "Works", "Industries"))
                name = f"{name} {draft.suffix}"
            if name.lower() not in used and (attempt > 100 or _root_key(draft) not in used_roots):
                break
        draft.name = name
        used.add(name.lower())
        used_roots.add(_root_key(draft))


def _make_siblings(rng: random.Random, drafts: list[_Draft], used: set[str]) -> None:
    """Turn some pairs into near-name siblings: shared root, different companies.

    The second company of a pair takes the first one's root and categories but
    keeps its own city, so everything except the name looks unrelated; a
    deduplicator that merges on name similarity alone will be caught.
    """
    n_pairs = round(len(drafts) * SIBLING_SHARE / 2)
    candidates = [d for d in drafts if d.country in ("US", "CN") and d.role == "supplier"]
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
            if second.city.name == first.city.name or first.suffix or second.suffix:
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


def _contact(rng: random.Random, country: str, role: str = "supplier") -> tuple[str, str]:
    """A contact person and job title from the country's name lists."""
    male, female, surnames, titles = PEOPLE[country]
    if role == "buyer":
        titles = BUYER_TITLES.get(country, BUYER_TITLES["OTHER"])
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
    if draft.role == "buyer":
        labels = [f"{root}{industry}", f"{root}-{industry}", f"{root}{word}{industry}"]
    elif draft.country == "CN":
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


def _mailbox(rng: random.Random, draft: _Draft) -> str:
    """The role mailbox directories show ("sales", "einkauf")."""
    if draft.role == "buyer":
        return rng.choice(BUYER_MAILBOXES.get(draft.country, BUYER_MAILBOXES["OTHER"]))
    return rng.choice(MAILBOXES[draft.country])


def _personal_email(rng: random.Random, contact: str, domain: str) -> str:
    """The contact person's own address in one of the usual shapes."""
    first, _, last = contact.partition(" ")
    first, last = compact(first), compact(last)
    shapes = (f"{first}.{last}", f"{first[0]}.{last}", f"{first[0]}{last}", f"{last}.{first}")
    return f"{rng.choice(shapes)}@{domain}"


def _web_emails(
    rng: random.Random, draft: _Draft, email: str, contact: str, domain: str | None
) -> tuple[tuple[str, ...], str | None]:
    """Addresses only the company's own website shows: another mailbox, the contact's own.

    Drawn for every company (so the stream stays aligned) but kept only for
    companies with a website of their own.
    """
    extra_p, personal_p = rng.random(), rng.random()
    box = rng.choice(EXTRA_MAILBOXES.get(draft.country, EXTRA_MAILBOXES["OTHER"]))
    personal = _personal_email(rng, contact, domain or "example.invalid")
    if domain is None:
        return (), None
    extras: list[str] = []
    if extra_p < EXTRA_MAILBOX_SHARE and f"{box}@{domain}" != email:
        extras.append(f"{box}@{domain}")
    chosen: str | None = None
    if personal_p < PERSONAL_EMAIL_SHARE and personal != email:
        chosen = personal
        extras.append(personal)
    return tuple(extras), chosen


def _chinese_name(rng: random.Random, draft: _Draft) -> tuple[str | None, str | None]:
    """Hanzi name and legal form of a Chinese company, from the parts of its English name."""
    if draft.country != "CN":
        return None, None
    city = CITIES_ZH[draft.city.name]
    brand = BRANDS_ZH[draft.root][0]
    suffix = _NAME_SUFFIX_ZH.get(draft.suffix, "")
    legal = weighted_choice(rng, list(LEGAL_FORMS_ZH))
    return f"{city}市{brand}{INDUSTRY_ZH[draft.industry]}{suffix}", legal


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
    contact_name, contact_title = _contact(rng, draft.country, draft.role)
    free_mail = rng.random() < FREE_MAIL_SHARE
    has_site = rng.random() >= NO_WEBSITE_SHARE
    domain: str | None = _domain(rng, draft, used_domains)
    if free_mail:
        email = _free_mail(rng, draft, contact_name)
    elif rng.random() < 0.25:
        email = f"{compact(contact_name.split(' ')[0])}@{domain}"
    else:
        email = f"{_mailbox(rng, draft)}@{domain}"
    if free_mail and not has_site:
        domain = None
    low, high = _FOUNDED[draft.country]
    year_founded = rng.randint(low, high)
    employees = _employees(rng)
    street = make_street(rng, city, draft.district)
    site_domain = domain if has_site else None
    web_emails, personal = _web_emails(rng, draft, email, contact_name, site_domain)
    name_zh, legal_zh = _chinese_name(rng, draft)
    return Company(
        id=draft.id,
        name=draft.name,
        legal_form=draft.legal_form,
        country=draft.country,
        city=city.name,
        region=city.region,
        postcode=draft.postcode,
        street=street,
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
        year_founded=year_founded,
        employees=employees,
        region_code=city.region_code,
        sibling_id=draft.sibling_id,
        role=draft.role,
        name_zh=name_zh,
        legal_form_zh=legal_zh,
        web_emails=web_emails,
        personal_email=personal,
    )


def make_companies(seed: int, n_companies: int) -> list[Company]:
    """Return ``n_companies`` canonical companies, fully determined by ``seed``."""
    if n_companies < 1:
        raise ValueError("n_companies must be at least 1")
    rng = random.Random(seed)
    slots = _allocate_countries(rng, n_companies)
    drafts = [_draft(rng, i + 1, country, role) for i, (country, role) in enumerate(slots)]
    used_names: set[str] = set()
    _name_all(rng, drafts, used_names)
    _make_siblings(rng, drafts, used_names)
    used_domains: set[str] = set()
    return [_finish(rng, draft, used_domains) for draft in drafts]
