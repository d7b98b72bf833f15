"""Site definitions: one YAML file per directory under ``config/sites/``.

A new directory is a new file and nothing else. Each file is validated into
:class:`SiteConfig`; mistakes are reported with the file, the line and the
field, and ``leads sites check`` reports every mistake of every file at once.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import quote, quote_plus

from parsel import Selector
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pipeline.configfile import load_model
from pipeline.countries import country_code
from pipeline.errors import ConfigError, ConfigProblem
from pipeline.keywords import LANGUAGE_TAG

# Lead fields a selector may fill, and whether they hold several values.
SCALAR_FIELDS = frozenset({
    "name", "legal_form", "contact_name", "contact_title", "website", "street", "city",
    "region", "postcode", "country", "business_type", "year_founded", "employees",
})
LIST_FIELDS = frozenset({"phones", "mobiles", "faxes", "emails", "main_products", "badges", "certifications"})
LEAD_FIELDS = SCALAR_FIELDS | LIST_FIELDS
LeadField = Literal[
    "name", "legal_form", "contact_name", "contact_title", "website", "street", "city", "region",
    "postcode", "country", "business_type", "year_founded", "employees",
    "phones", "mobiles", "faxes", "emails", "main_products", "badges", "certifications",
]
assert set(get_args(LeadField)) == LEAD_FIELDS


class FieldRule(BaseModel):
    """How to read one field: a CSS or XPath selector, then optional clean-up.

    A plain string in YAML is shorthand for ``{css: ...}``, or ``{xpath: ...}``
    when it starts with "/", "." or "(". Inside a detail ``scope``, XPath
    must start with "./" (or ".//") to stay inside it.
    """

    model_config = ConfigDict(extra="forbid")

    css: str | None = None
    xpath: str | None = None
    regex: str | None = Field(None, description="keep the first group (or the whole match)")
    split: str | None = Field(None, description="split the text into several values on these characters")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            is_xpath = value.lstrip().startswith(("/", ".", "("))
            return {"xpath": value} if is_xpath else {"css": value}
        return value

    @model_validator(mode="after")
    def _one_selector(self) -> FieldRule:
        if bool(self.css) == bool(self.xpath):
            raise ValueError("give exactly one of css or xpath")
        try:
            probe = Selector(text="<html></html>")
            probe.css(self.css) if self.css else probe.xpath(self.xpath or "")
        except Exception as exc:  # parsel raises several types for bad expressions
            raise ValueError(f"invalid selector: {exc}") from exc
        if self.regex:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"invalid regex: {exc}") from exc
        return self


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delay: float = Field(2.0, ge=0, description="seconds between requests to this site")
    concurrency: int = Field(1, ge=1, le=32, description="requests in flight to this site")
    autothrottle: bool = True
    obey_robots: bool = True


DEFAULT_BAN_MARKERS = (
    "verify you are a human", "are you a robot", "unusual traffic from your computer",
    "access to this page has been denied", "请输入验证码", "访问验证", "人机验证",
)


class Crawl(BaseModel):
    """How the spider treats pages it has seen and pages that are not what they seem."""

    model_config = ConfigDict(extra="forbid")

    refresh_days: float = Field(
        30, ge=0, description="detail pages seen within this many days are not fetched again (0: always)"
    )
    strip_params: list[str] = Field(
        default_factory=list, description="query parameters that do not change the page (besides utm_*, session ids)"
    )
    ban_markers: list[str] = Field(
        default_factory=list, description="text that marks a captcha or ban page (added to the built-in ones)"
    )
    max_ban_retries: int = Field(2, ge=0, description="retries of a page answered with a ban page")

    @property
    def all_ban_markers(self) -> tuple[str, ...]:
        return tuple(m.casefold() for m in (*DEFAULT_BAN_MARKERS, *self.ban_markers))


class Search(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(description="search URL template with {keyword} and optionally {page}")
    first_page: int = Field(1, ge=0)
    max_pages: int = Field(20, ge=1, description="stop paginating a search after this many pages")
    results_per_page: int = Field(20, ge=1, description="companies per result page (for the crawl plan's estimate)")

    @field_validator("url")
    @classmethod
    def _template(cls, value: str) -> str:
        if "{keyword}" not in value:
            raise ValueError("the search URL template needs a {keyword} placeholder")
        unknown = set(re.findall(r"\{(\w*)\}", value)) - {"keyword", "page"}
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}: only {{keyword}} and {{page}}")
        if not value.startswith(("http://", "https://", "/")):
            raise ValueError("must be an absolute URL or a path starting with /")
        return value


class Listing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: FieldRule = Field(description="one element per company on a result page")
    detail_link: FieldRule | None = Field(None, description="link to the company's detail page, inside an item")
    next_page: FieldRule | None = Field(None, description="link to the next result page")
    fields: dict[LeadField, FieldRule] = Field(default_factory=dict, description="fields read from the result card")


class LabelTable(BaseModel):
    """Label/value pairs ("Telephone: ..."), the way most directories lay out a profile.

    One pass over the rows reads every labelled field, which is several times
    cheaper than one selector per field, and survives reordered rows.
    """

    model_config = ConfigDict(extra="forbid")

    rows: FieldRule = Field(description="one match per label/value pair")
    label: FieldRule = Field(description="the label inside a row (XPath ./th, or . for the row itself)")
    value: FieldRule = Field(description="the value inside a row (./td, following-sibling::dd[1])")
    fields: dict[str, LeadField] = Field(description="label text -> field; case, spaces and a final colon ignored")

    @cached_property
    def lookup(self) -> dict[str, str]:
        return {normalise_label(k): v for k, v in self.fields.items()}


def normalise_label(text: str) -> str:
    return " ".join(text.casefold().replace("：", ":").rstrip(": ").split())


class Detail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: FieldRule | None = Field(
        None, description="the part of the page about the company (skips headers and footers)")
    labels: list[LabelTable] = Field(default_factory=list, description="label/value tables read in one pass each")
    fields: dict[LeadField, FieldRule] = Field(default_factory=dict)
    text_search: Literal["missing", "unread"] = Field(
        "missing", description="what the page text is searched for after the selectors: every field they did "
        "not find (missing), or only fields no selector or label reads (unread: a profile that lists "
        "every field it has, where an absent row means the company has none)")

    @cached_property
    def read_fields(self) -> frozenset[str]:
        """The lead fields some selector or label of this page reads."""
        return frozenset(self.fields) | {f for table in self.labels for f in table.fields.values()}


class OwnContacts(BaseModel):
    """The directory's own switchboard, mailboxes and names: never taken for a company's."""

    model_config = ConfigDict(extra="forbid")

    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)


class SiteConfig(BaseModel):
    """Everything the directory spider needs to know about one site."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="the file name without .yaml; not written in the file")
    title: str | None = None
    enabled: bool = True
    base_url: HttpUrl
    languages: list[str] = Field(min_length=1)
    country: str | None = Field(None, description="default country of the companies listed (ISO code or name)")
    search: Search
    listing: Listing
    detail: Detail = Field(default_factory=Detail)
    politeness: Politeness = Field(default_factory=Politeness)
    crawl: Crawl = Field(default_factory=Crawl)
    own_contacts: OwnContacts = Field(default_factory=OwnContacts)
    trust: float = Field(0.5, ge=0, le=1, description="how far its data is believed when sources disagree")

    @model_validator(mode="before")
    @classmethod
    def _name_from_file(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dict) and info.context and "name" in info.context:
            if "name" in value:
                raise ValueError("do not set name: the file name is the site's name")
            value = {**value, "name": info.context["name"]}
        return value

    @field_validator("languages")
    @classmethod
    def _language_tags(cls, value: list[str]) -> list[str]:
        for lang in value:
            if not LANGUAGE_TAG.match(lang):
                raise ValueError(f"{lang!r} is not a language tag like en, de or pt-BR")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = country_code(value)
        if code is None:
            raise ValueError(f"unknown country {value!r}: use an ISO code like US or DE")
        return code

    def search_url(self, keyword: str, page: int) -> str:
        """The template filled in: a keyword in the path is %-encoded, in the query "+"-encoded."""
        template = self.search.url
        in_path = template.find("{keyword}") < (template.find("?") if "?" in template else len(template))
        encoded = quote(keyword, safe="") if in_path else quote_plus(keyword)
        url = template.replace("{keyword}", encoded).replace("{page}", str(page))
        if url.startswith("/"):
            url = str(self.base_url).rstrip("/") + url
        return url

    @property
    def paginates_by_template(self) -> bool:
        return "{page}" in self.search.url and self.listing.next_page is None


def sites_dir(config_dir: Path) -> Path:
    return config_dir / "sites"


def load_site(path: Path) -> SiteConfig:
    """Validate one site file; the site's name is its file name."""
    return load_model(path, SiteConfig, context={"name": path.stem})


def load_sites(config_dir: Path, names: list[str] | None = None, only_enabled: bool = False) -> list[SiteConfig]:
    """Every site file, validated; all problems of all files raised together."""
    folder = sites_dir(config_dir)
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if names:
        known = {p.stem: p for p in paths}
        missing = [n for n in names if n not in known]
        if missing:
            raise ConfigError([ConfigProblem(str(folder), None, "site",
                                             f"no site named {n!r} (files: {', '.join(sorted(known)) or 'none'})")
                               for n in missing])
        paths = [known[n] for n in names]
    problems: list[ConfigProblem] = []
    sites: list[SiteConfig] = []
    for path in paths:
        try:
            site = load_site(path)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if not only_enabled or site.enabled:
            sites.append(site)
    if problems:
        raise ConfigError(problems)
    return sites
