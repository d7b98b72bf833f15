"""The typed records passed between spiders, pipeline, store and export.

A :class:`Lead` is one sighting of a company on one page, with its provenance.
A :class:`Company` is the golden record the store keeps: the best value of each
field chosen from all its leads, which are kept alongside it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.urls import listing_key, website_listing_key

COMPANY_WEB = "website"  # the site name of leads read from companies' own websites


def utcnow() -> datetime:
    return datetime.now(UTC)


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Status(StrEnum):
    POTENTIAL = "potential"
    INTENDED = "intended"
    ESTABLISHED = "established"
    INVALID = "invalid"


class Lead(BaseModel):
    """One company as one page showed it, plus where and how it was found.

    Spiders fill the fields as written; :func:`pipeline.normalize.normalize_lead`
    returns a copy with canonical values (E.164 phones, registered domain,
    ISO country) and the matching keys filled in.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    # -- the company as written
    name: str
    legal_form: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    phones: list[str] = Field(default_factory=list)
    mobiles: list[str] = Field(default_factory=list)
    faxes: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    website: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    business_type: str | None = None
    main_products: list[str] = Field(default_factory=list)
    year_founded: int | None = None
    employees: str | None = None
    badges: list[str] = Field(default_factory=list, description="membership and verification badges")
    certifications: list[str] = Field(default_factory=list)

    # -- provenance
    site: str
    url: str
    keyword: str | None = None
    keyword_set: str | None = None
    language: str | None = None
    seen_at: datetime = Field(default_factory=utcnow)
    field_sources: dict[str, str] = Field(
        default_factory=dict, description="field -> extraction method that found it"
    )
    extra: dict[str, str] = Field(
        default_factory=dict, description="source-specific facts (HS code, shipments, badges)"
    )

    # -- filled by normalisation
    name_key: str | None = None
    domain: str | None = None
    invalid_phones: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("a lead needs a company name")
        return value

    @property
    def listing(self) -> str:
        """The listing's address within its site: path and query, without host or fragment.

        The company web (site "website", the enrichment pass) is every
        company's own site, so there the host is part of the address: each
        company's home page is its own listing.
        """
        if self.site == COMPANY_WEB:
            return website_listing_key(self.url)
        return listing_key(self.url)

    @property
    def source_key(self) -> tuple[str, str]:
        """A listing is identified by its site and its address there: seen again, it is the same lead.

        The host is left out so a directory that moves to https or a new host
        (or the sandbox on another port) keeps its listings.
        """
        return (self.site, self.listing)

    def has_contact_channel(self) -> bool:
        return bool(self.phones or self.mobiles or self.emails)


class MatchEvidence(BaseModel):
    """Why two records were judged the same company: the keys they share and the scores."""

    left: str
    right: str
    rule: str
    shared_keys: list[str] = Field(default_factory=list)
    name_score: float | None = None
    city_match: bool | None = None
    postcode_match: bool | None = None
    street_score: float | None = None
    refused: str | None = Field(None, description="why the link was not applied (clusters contradict)")


class Company(BaseModel):
    """The golden record of one company, with every lead that contributed to it."""

    id: int | None = None
    name: str
    name_key: str
    legal_form: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    phone: str | None = None
    mobile: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None
    domain: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    business_type: str | None = None
    main_products: list[str] = Field(default_factory=list)
    year_founded: int | None = None
    employees: str | None = None
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    keyword_sets: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    badges: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_contact_at: datetime | None = None
    last_visit_at: datetime | None = None

    score: float | None = None
    grade: Grade | None = None
    status: Status = Status.POTENTIAL

    sources: list[Lead] = Field(default_factory=list)
    evidence: list[MatchEvidence] = Field(default_factory=list)  # merges, then links refused (their reason set)

    def has_contact_channel(self) -> bool:
        return bool(self.phone or self.mobile or self.email)
