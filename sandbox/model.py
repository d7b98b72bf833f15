"""The sandbox's data model: canonical companies, their per-site listings, the world.

Why separate from ``world.py``: the generators import these types, and
``world.py`` imports the generators; keeping the types here avoids a cycle.
``sandbox.world`` re-exports them, which is where callers should import from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

SITES: tuple[str, ...] = (
    "tradeboard",
    "yellowpages",
    "chinab2b",
    "importers",
    "gelbeseiten",
    "pagesjaunes",
)
WEB = "web"  # the company websites, served by one HTTP forward proxy
SERVERS: tuple[str, ...] = (*SITES, WEB)  # everything start_sandbox can serve
SITE_LANGUAGES: dict[str, str] = {
    "tradeboard": "en",
    "yellowpages": "en",
    "chinab2b": "zh",
    "importers": "en",
    "gelbeseiten": "de",
    "pagesjaunes": "fr",
}


@dataclass(frozen=True)
class Company:
    """The true, canonical record of one company: what a perfect pipeline recovers."""

    id: str
    name: str  # canonical base name, without legal form
    legal_form: str
    country: str  # ISO 3166-1 alpha-2
    city: str
    region: str
    postcode: str
    street: str
    phone: str  # E.164, valid per phonenumbers
    fax: str | None
    mobile: str | None
    email: str
    website: str | None  # "http://www.<domain>/"
    domain: str | None  # the company's own domain, None when it has none
    contact_name: str
    contact_title: str
    business_type: str
    main_products: list[str]
    categories: list[str]
    year_founded: int
    employees: int | str  # head count or a band like "51-200"
    region_code: str = ""  # "TX" for Texas; province/state code where one exists
    sibling_id: str | None = None  # the near-name sibling, a DIFFERENT company
    role: str = "supplier"  # "supplier", or "buyer" for importers posting buying leads
    name_zh: str | None = None  # Chinese companies: hanzi name without legal form
    legal_form_zh: str | None = None  # "有限公司" or "股份有限公司"
    web_emails: tuple[str, ...] = ()  # e-mails only the company's own website shows
    personal_email: str | None = None  # the contact person's own address (website only)

    @property
    def full_name(self) -> str:
        """Canonical name with legal form, as on a registration certificate."""
        return f"{self.name} {self.legal_form}"

    @property
    def full_name_zh(self) -> str | None:
        """The registered Chinese name ("深圳市光明照明有限公司"), for Chinese companies."""
        return f"{self.name_zh}{self.legal_form_zh}" if self.name_zh else None

    @property
    def all_emails(self) -> list[str]:
        """Every address of the company: the directory one first, then website-only ones."""
        return list(dict.fromkeys([self.email, *self.web_emails]))


@dataclass(frozen=True)
class Listing:
    """One page about a company on one directory, as that directory renders it.

    Every optional field is None when the directory does not show it; renderers
    omit the element entirely in that case, as real sites do.
    """

    site: str
    number: int
    path: str
    company_id: str
    name: str
    phone: str | None
    mobile: str | None
    fax: str | None
    email: str | None
    website: str | None
    contact_name: str | None
    contact_title: str | None
    street: str | None
    city: str
    region: str | None
    postcode: str | None
    country: str
    country_name: str
    business_type: str | None
    main_products: list[str]
    categories: list[str]  # canonical category terms; search matches on these
    category_labels: list[str]  # categories as the site displays them
    year_founded: int | None
    employees: str | None
    rank: int  # search ordering key; lower comes first
    duplicate: bool = False  # True for a second, re-registered listing of a company
    language: str = "en"  # language of category_labels/main_products; search matches in it
    headline: str | None = None  # buying leads: the post's title
    quantity: str | None = None  # buying leads: quantity wanted
    posted_on: str | None = None  # buying leads: ISO date of the post
    badge: str | None = None  # membership badge ("Verified Buyer", "Gold Member")


@dataclass(frozen=True)
class World:
    """Everything the sandbox serves, plus the truth to score a crawl against."""

    seed: int
    companies: list[Company]
    listings: list[Listing] = field(default_factory=list)

    @cached_property
    def _company_index(self) -> dict[str, Company]:
        """Id lookup built once; the world never changes after generation."""
        return {c.id: c for c in self.companies}

    def company(self, company_id: str) -> Company:
        """Return the company with ``company_id`` (KeyError if unknown)."""
        return self._company_index[company_id]

    def site_listings(self, site: str) -> list[Listing]:
        """All listings of one site, in world order."""
        return [listing for listing in self.listings if listing.site == site]

    def listed_company_ids(self, site: str | None = None) -> set[str]:
        """Ids of companies with at least one listing (on ``site`` if given)."""
        return {x.company_id for x in self.listings if site is None or x.site == site}

    def only(self, sites: tuple[str, ...] | list[str] | set[str]) -> World:
        """The same world with only the listings of ``sites`` (companies are all kept).

        Why: a sandbox serving some of the directories must hand out a ground
        truth that promises only what it serves.
        """
        wanted = set(sites)
        if wanted >= {listing.site for listing in self.listings}:
            return self
        kept = [listing for listing in self.listings if listing.site in wanted]
        return World(seed=self.seed, companies=self.companies, listings=kept)
