"""How the Chinese directory (chinab2b) writes a Chinese company: all in hanzi.

Why its own module: a Chinese-language listing shares almost nothing with the
English one except the numbers; the name, contact, address, business type and
products are rebuilt from the canonical company through the tables in
``sandbox.i18n``, so the same company reads very differently on tradeboard and
on chinab2b, as it does on made-in-china.com and its Chinese sister site.
"""

from __future__ import annotations

import random
import re
from functools import partial

from sandbox.i18n import (
    BUSINESS_TYPES_ZH,
    CITIES_ZH,
    DISTRICTS_ZH,
    GIVEN_NAMES_ZH,
    PROVINCES_ZH,
    ROADS_ZH,
    SURNAMES_ZH,
    TITLES_ZH,
    category_labels,
    product,
)
from sandbox.model import Company, Listing
from sandbox.phones import cn_national_variant
from sandbox.variants import render_website
from sandbox.vocab import PEOPLE

SITE = "chinab2b"
_STREET = re.compile(r"^(?:Building (\d+), )?No\. (\d+) (\w+) Road, (.+) District$")


def _maybe(rng: random.Random, absent_p: float, value: str | None) -> str | None:
    """``value`` unless None or dropped with probability ``absent_p``."""
    return None if value is None or rng.random() < absent_p else value


def chinese_name(rng: random.Random, company: Company) -> str:
    """The registered hanzi name, sometimes without the "市" after the city."""
    name = company.full_name_zh or company.name
    if rng.random() < 0.2:
        name = name.replace("市", "", 1)
    return name


def chinese_street(company: Company, with_city: bool) -> str:
    """The canonical street line in Chinese ("鄞州区兴业路123号5幢")."""
    found = _STREET.match(company.street)
    if found is None:  # not a generated Chinese street; keep it as it is
        return company.street
    building, number, road, district = found.groups()
    line = f"{DISTRICTS_ZH.get(district, district)}{ROADS_ZH.get(road, road + '路')}{number}号"
    if building:
        line += f"{building}幢"
    if with_city:
        province = PROVINCES_ZH.get(company.region, "")
        city = f"{CITIES_ZH[company.city]}市"
        line = (city if province == city else province + city) + line
    return line


def chinese_contact(rng: random.Random, contact: str) -> str:
    """ "王伟" for a Chinese given name, "王先生"/"王女士" or the English name otherwise."""
    first, _, last = contact.partition(" ")
    if first in SURNAMES_ZH and last in GIVEN_NAMES_ZH:
        return SURNAMES_ZH[first] + GIVEN_NAMES_ZH[last]
    surname = SURNAMES_ZH.get(last)
    if surname is None or rng.random() < 0.35:
        return contact
    male, _female, _, _ = PEOPLE["CN"]
    return surname + ("先生" if first in male else "女士")


def chinese_employees(employees: int | str) -> str:
    """Head count as Chinese sites print it ("51-200人")."""
    return f"{employees}人"


def render_chinab2b(rng: random.Random, c: Company, number: int, rank: int) -> Listing:
    """Render ``c`` as one chinab2b company page."""
    national = partial(cn_national_variant, rng)
    with_city = rng.random() < 0.3
    city = CITIES_ZH[c.city] + ("市" if rng.random() < 0.6 else "")
    province = PROVINCES_ZH.get(c.region, c.region)
    if rng.random() < 0.3:
        province = province.rstrip("省")
    return Listing(
        site=SITE,
        number=number,
        path=f"/gongsi/{number}.html",
        company_id=c.id,
        name=chinese_name(rng, c),
        phone=_maybe(rng, 0.03, c.phone and national(c.phone)),
        mobile=_maybe(rng, 0.10, c.mobile and national(c.mobile)),
        fax=_maybe(rng, 0.35, c.fax and national(c.fax)),
        email=_maybe(rng, 0.20, c.email),
        website=_maybe(rng, 0.25, c.website and c.domain and render_website(rng, c.domain, SITE)),
        contact_name=_maybe(rng, 0.05, chinese_contact(rng, c.contact_name)),
        contact_title=_maybe(rng, 0.30, TITLES_ZH.get(c.contact_title, c.contact_title)),
        street=_maybe(rng, 0.10, chinese_street(c, with_city)),
        city=city,
        region=_maybe(rng, 0.10, province),
        postcode=_maybe(rng, 0.20, c.postcode),
        country=c.country,
        country_name="中国",
        business_type=_maybe(rng, 0.05, BUSINESS_TYPES_ZH.get(c.business_type)),
        main_products=[product(p, "zh") for p in c.main_products],
        categories=list(c.categories),
        category_labels=category_labels(c.categories, "zh"),
        year_founded=None if rng.random() < 0.15 else c.year_founded,
        employees=_maybe(rng, 0.20, chinese_employees(c.employees)),
        rank=rank,
        language="zh",
    )
