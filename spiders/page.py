"""Everything a page says about one company, from the most to the least explicit source.

    extraction = extract_page(html, url, site=site_config, country="DE")
    extraction.fields   # {"name": "Acme GmbH", "phones": [...], "city": "Köln", ...}
    extraction.methods  # {"name": "jsonld", "phones": "jsonld", "city": "text", ...}

Order: (1) the site's selectors, when a site is given; (2) the fields passed in
``base_fields`` (what the result card showed); (3) schema.org JSON-LD, microdata
and RDFa; (4) text heuristics. A field found earlier is never overwritten;
list fields (phones, e-mails...) may be completed by later methods. The page
is parsed once and every stage reads the same tree.

A directory's detail page also carries the directory's own name, phone and
e-mail (header, footer, its own Organization markup). With a ``site``, those
are left out: markup entities that are the directory's (its domain's home
page, its title), e-mails at its domain, the numbers and addresses it lists
as its own (``site.own_contacts``), and text outside ``site.detail.scope``.

Nothing here raises on a page: a stage that fails is logged and skipped, and
what the other stages found is returned.

Methods recorded per field: ``selector`` (site file), ``base`` (passed in),
``jsonld`` / ``microdata`` / ``rdfa`` (schema.org), and for the text heuristics
``mailto``, ``tel`` (links), ``obfuscated`` (hidden e-mails), ``text`` (numbers,
addresses, people, e-mails as written), and for the name ``meta``
(og:site_name, application-name, og:title), ``title``, ``logo``, ``copyright``,
``welcome`` ("Welcome to ..."), ``domain`` (a phrase that spells the site's
domain), ``domain-text`` (the domain written as a name), ``heading``; ``url``
for a website taken from the page's own address.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipeline.countries import country_code
from pipeline.names import clean_text, parse_name
from pipeline.normalize import normalize_phones, registered_domain
from spiders.extract import elements, extract_fields
from spiders.heuristics.address import Address, find_addresses, find_mentioned_city, find_towns
from spiders.heuristics.company import (
    NameCandidate,
    choose_name,
    copyright_candidates,
    domain_affinity,
    domain_as_written,
    domain_candidates,
    name_key,
    title_candidates,
    welcome_candidates,
)
from spiders.heuristics.country import (
    DEFAULT_COUNTRIES,
    LANGUAGE_COUNTRIES,
    candidate_countries,
    country_from_lang,
    country_from_url,
    domain_label,
    domain_of,
    strong_country,
)
from spiders.heuristics.emails import decode_cloudflare, email_from_mailto, emails_in_lines
from spiders.heuristics.people import best_contact, find_contacts
from spiders.heuristics.phones import (
    CREDIT,
    FoundPhone,
    MatchCache,
    find_phones,
    phone_from_link,
    region_from_numbers,
)
from spiders.pagetext import PageText, element_text, page_text, parse_html
from spiders.schemaorg import Entity, extract_entities, has_markup
from spiders.sites import LEAD_FIELDS, LIST_FIELDS, SiteConfig

log = logging.getLogger(__name__)

# Hosts whose links are profiles, never a company's own website.
_NOT_WEBSITES = frozenset({
    "facebook.com", "twitter.com", "x.com", "linkedin.com", "instagram.com", "youtube.com",
    "pinterest.com", "google.com", "goo.gl", "youtu.be", "tiktok.com", "weibo.com", "wa.me",
    "whatsapp.com", "apple.com", "bing.com", "yelp.com", "tripadvisor.com", "vk.com",
})
_WEBSITE_LABEL = re.compile(r"\b(?:web\s*site|homepage|home\s*page|internet|www|url|webseite|site\s+web|sitio)\b",
                            re.IGNORECASE)


@dataclass
class PageExtraction:
    """Lead fields found on a page and, for each, the method that found it.

    ``country`` is the country the page was read as (the caller's, the site's,
    or inferred from domain, address or language): the default region its
    phone numbers were parsed with. It is a hint for normalisation, not a
    field: ``fields["country"]`` holds only a country the page states.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    country: str | None = None

    def offer(self, name: str, value: Any, method: str) -> None:
        """Keep ``value`` unless the field is already known; lists are completed instead."""
        if value is None or value == "" or value == []:
            return
        if name in LIST_FIELDS:
            values = value if isinstance(value, list) else [value]
            current = self.fields.setdefault(name, [])
            for item in values:
                if item and item not in current:
                    current.append(item)
            if not current:
                del self.fields[name]
            else:
                self.methods.setdefault(name, method)
        elif name not in self.fields:
            self.fields[name] = value
            self.methods[name] = method


def extract_page(html: str, url: str | None = None, site: SiteConfig | None = None,
                 country: str | None = None, base_fields: dict[str, Any] | None = None) -> PageExtraction:
    """Lead fields of the company a page is about (see the module docstring)."""
    result = PageExtraction()
    try:
        _extract(result, html, url, site, country, base_fields)
    except Exception:  # a page never takes the caller down
        log.warning("extraction stopped early on %s; keeping what was found", url, exc_info=True)
    return result


def _extract(result: PageExtraction, html: str, url: str | None, site: SiteConfig | None,
             country: str | None, base_fields: dict[str, Any] | None) -> None:
    text: str = html if isinstance(html, str) else (
        html.decode("utf-8", "replace") if isinstance(html, bytes) else "")
    root = parse_html(text)
    own = _OwnContacts.of(site, country)
    result.country = country_code(country) if country else (site.country if site else None)
    if site is not None and root is not None:
        _stage("selectors", _selectors, result, root, site)
    for name, value in (base_fields or {}).items():
        if name in LEAD_FIELDS:
            result.offer(name, value, "base")
    if root is None:
        return
    if has_markup(text):
        _stage("schema.org", _schema, result, root, text, url, own)
    _stage("heuristics", _heuristics, result, root, url, site, country, own)
    found_name = result.fields.get("name")
    if isinstance(found_name, str):
        result.offer("legal_form", parse_name(found_name).legal_form, result.methods.get("name", "text"))


def warm_up() -> None:
    """Load what the first pages would otherwise pay for: country names, phone metadata, regexes.

    Country-name lookup builds its index of translations once (~150 ms) and
    libphonenumber loads each region's metadata on first use; a spider calls
    this once at start so no page carries that cost.
    """
    country_code("Deutschland")
    for region in {*DEFAULT_COUNTRIES, *(c for cs in LANGUAGE_COUNTRIES.values() for c in cs)}:
        region_from_numbers(["Tel 0000 000 0000"], [region])
    extract_page("<html><head><title>Acme Inc | Home</title></head><body><p>© 2024 Acme Inc. "
                 "1 Main St, Austin, TX 78701. Tel: (512) 555-0100, Fax: 0845 519 7209</p></body></html>",
                 url="http://www.acme.com/")


def _stage(what: str, function: Any, *args: Any) -> None:
    try:
        function(*args)
    except Exception:  # one failing stage leaves the others' fields
        log.warning("%s extraction failed; the page keeps what the other stages found", what, exc_info=True)


# --- (1) site selectors ----------------------------------------------------------------------


def _scope_roots(root: Any, site: SiteConfig | None) -> list[Any] | None:
    """The lxml elements inside the site's detail scope, or None when the whole page counts.

    A scope that matches nothing gives no elements rather than the whole page:
    the rest of a directory's page is the directory's header and footer.
    """
    if site is None or site.detail.scope is None:
        return None
    return elements([root], site.detail.scope)


def _selectors(result: PageExtraction, root: Any, site: SiteConfig) -> None:
    node: Any = [root]
    if site.detail.scope is not None:
        node = elements(node, site.detail.scope) or node
    # the same reading as directory.extract_detail (label tables, then per-field selectors)
    labels = getattr(site.detail, "labels", None) or None
    rules: dict[str, Any] = {str(name): rule for name, rule in site.detail.fields.items()}
    fields = extract_fields(node, rules, labels) if labels else extract_fields(node, rules)
    for name, value in fields.items():
        result.offer(name, value, "selector")


# --- (2) schema.org --------------------------------------------------------------------------


def _schema(result: PageExtraction, root: Any, html: str, url: str | None, own: _OwnContacts) -> None:
    entities = [e for e in extract_entities(root, html) if not own.is_directory_entity(e, url)]
    if not entities:
        return
    primary = max(entities, key=lambda e: (len(e.fields), e.method == "jsonld"))
    key = name_key(primary.fields.get("name", "")) if primary.fields.get("name") else None
    same = [primary] + [e for e in entities if e is not primary
                        and (not e.fields.get("name") or name_key(e.fields["name"]) == key)]
    title = _page_title(root)
    for entity in same:
        for name, value in entity.fields.items():
            if name == "name" and _is_page_title(str(value), title):
                continue  # the page's title marked up as the company's name: the heuristics split it
            if name == "website" and own.domain and domain_of(str(value)) == own.domain:
                continue  # the listing's own address on the directory, not the company's site
            if name == "emails":
                value = [e for e in value if not own.is_own_email(e)]
            if name in ("phones", "faxes"):
                value = [p for p in value if not own.is_own_phone(p)]
            result.offer(name, value, entity.method)


def _page_title(root: Any) -> str:
    titles = root.xpath("//title")
    return " ".join(element_text(titles[0]).split()) if titles else ""


def _is_page_title(name: str, title: str) -> bool:
    return bool(title) and " ".join(name.split()) == title and bool(re.search(r"\s[-|–—:]\s", title))


# --- (3) text heuristics ---------------------------------------------------------------------


def _heuristics(result: PageExtraction, root: Any, url: str | None, site: SiteConfig | None,
                country: str | None, own: _OwnContacts) -> None:
    def missing(*fields: str) -> bool:
        # On a directory page the site's selectors are the authority: the text is
        # only searched for what they did not find (and that keeps crawls fast), or,
        # where the site says its profile lists every field it has, for what they cannot read.
        if site is None:
            return True
        if site.detail.text_search == "unread":
            return not all(result.fields.get(f) or f in site.detail.read_fields for f in fields)
        return not all(result.fields.get(f) for f in fields)

    wanted = {stage for stage, fields in _STAGE_FIELDS.items() if missing(*fields)}
    if not wanted:
        return
    page = page_text(root, _scope_roots(root, site))
    lines = page.lines
    page_url = url or page.base_href
    stated = country_code(country) if country else (site.country if site else None)
    stated = stated or _known_country(result)

    # Local businesses put their town in the title ("Plumber in Bridgeport, CT 06605"): the
    # title is read after the body, so an address in the body wins a tie.
    place_lines = lines + [page.title] if page.title and site is None else lines
    # Addresses fill the address fields and, when nothing states it, tell the country.
    addresses = find_addresses(place_lines, stated or _postcode_first_hint(page_url, page.lang)) \
        if "address" in wanted or stated is None else []
    # On a directory the URL is the directory's: the listed company's address says more.
    region = stated or strong_country(None if site else page_url, [a.country_code for a in addresses]) \
        or (country_from_url(page_url) if site else None)
    numbers: MatchCache = {}
    if region is None:
        # Nothing proves the country: the layout of the page's numbers tells it.
        region = region_from_numbers(lines, candidate_countries(page.lang), numbers) \
            or country_from_lang(page.lang)
    result.country = region

    if "emails" in wanted:
        _emails(result, page, own)
    if "phones" in wanted:
        _phones(result, page, region, own, candidate_countries(page.lang), numbers)
    if "address" in wanted:
        _address(result, addresses, place_lines, page.title, lines)
    if "contact" in wanted:
        _contact(result, lines)
    if "name" in wanted:
        _name(result, page, page_url, site)
    if "website" in wanted:
        _website(result, page, page_url, site, own)


# Which fields each text heuristic fills: on a directory page it runs only when one is missing.
_STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "emails": ("emails",), "phones": ("phones", "faxes"), "address": ("street", "city", "postcode"),
    "contact": ("contact_name",), "name": ("name",), "website": ("website",),
}


def _known_country(result: PageExtraction) -> str | None:
    return country_code(result.fields.get("country")) if result.fields.get("country") else None


def _postcode_first_hint(url: str | None, lang: str | None) -> str | None:
    """The country to allow "12345 Town" addresses for, before any address is read."""
    return country_from_url(url) or country_from_lang(lang)


def _emails(result: PageExtraction, page: PageText, own: _OwnContacts) -> None:
    found: list[tuple[str, str]] = []
    for link in page.links:
        email = email_from_mailto(link.href)
        line = page.lines[link.line] if 0 <= link.line < len(page.lines) else ""
        credit = CREDIT.search(line)
        if email and not (credit and line.find(link.text or "\0") > credit.start()):
            found.append((email, "mailto"))
    found.extend((email, method) for email, method, _ in emails_in_lines(page.lines, CREDIT))
    for encoded in page.cf_emails:
        email = decode_cloudflare(encoded)
        if email:
            found.append((email, "obfuscated"))
    for email, method in found:
        if not own.is_own_email(email):
            result.offer("emails", [email], method)


def _phones(result: PageExtraction, page: PageText, region: str | None, own: _OwnContacts,
            others: list[str], numbers: MatchCache) -> None:
    found: list[FoundPhone] = find_phones(page.lines, region, others, numbers)
    seen = {p.e164 for p in found}
    for link in page.links:
        if link.href.lower().startswith(("tel:", "callto:")):
            context = page.lines[link.line] if 0 <= link.line < len(page.lines) else ""
            phone = phone_from_link(link.href, link.text, context, region, link.line)
            if phone and phone.e164 not in seen:
                found.append(phone)
                seen.add(phone.e164)
    known = {_e164(v, region) for key in ("phones", "mobiles", "faxes") for v in result.fields.get(key, [])}
    fields = {"phone": "phones", "mobile": "mobiles", "fax": "faxes"}
    for phone in found:
        if phone.e164 in known or own.is_own_phone(phone.e164):
            continue
        known.add(phone.e164)
        result.offer(fields[phone.kind], [phone.raw], phone.method)


def _e164(value: str, region: str | None) -> str | None:
    results = normalize_phones(value, region)
    return results[0].e164 if results else None


def _address(result: PageExtraction, addresses: list[Address], lines: list[str], title: str,
             body: list[str]) -> None:
    best = addresses[0] if addresses else None
    if best is None or best.city is None:
        # no address, or a postcode without its town: the town the page names otherwise
        towns = find_towns(lines)
        town = towns[0] if towns else find_mentioned_city(body, title)
        if best is None:
            best = town
        elif town is not None:
            result.offer("city", town.city, "text")
    if best is None:
        return
    for name in ("street", "city", "region", "postcode", "country"):
        result.offer(name, getattr(best, name), "text")


def _contact(result: PageExtraction, lines: list[str]) -> None:
    contact = best_contact(find_contacts(lines))
    if contact and "contact_name" not in result.fields:
        result.offer("contact_name", contact.name, "text")
        result.offer("contact_title", contact.title, "text")


def _name(result: PageExtraction, page: PageText, url: str | None, site: SiteConfig | None) -> None:
    if "name" in result.fields:
        return
    candidates: list[NameCandidate] = []
    site_key = name_key(site.title) if site is not None and site.title else None
    if site is None:
        for meta in ("og:site_name", "application-name"):
            candidates.extend(NameCandidate(t, meta) for t in title_candidates(page.meta.get(meta, "")))
        candidates.extend(NameCandidate(t, "copyright") for t in copyright_candidates(page.lines))
        candidates.extend(NameCandidate(t, "welcome") for t in welcome_candidates(page.lines))
        candidates.extend(NameCandidate(t, "domain") for t in domain_candidates(
            [page.title, *page.lines], domain_label(url)))
        candidates.extend(NameCandidate(t, "domain-text") for t in domain_as_written(page.lines, domain_of(url)))
        logos = [NameCandidate(t, "logo") for image in page.images[:40]
                 if image.alt and ("logo" in image.hints or "logo" in image.alt.lower()
                                   or (image.links_home and image is page.images[0]))
                 for t in title_candidates(image.alt)]
        if len({name_key(c.text) for c in logos}) > 3:
            # a row of logos is the brands it sells or its partners', not its own
            logos = [c for c in logos if domain_affinity(c.text, domain_label(url))]
        candidates.extend(logos)
    candidates.extend(NameCandidate(t, "title") for t in title_candidates(page.title))
    if page.meta.get("og:title"):
        candidates.extend(NameCandidate(t, "og:title") for t in title_candidates(page.meta["og:title"]))
    for _, heading in page.headings[:3]:
        candidates.extend(NameCandidate(t, "heading") for t in title_candidates(heading))
    if site_key:
        candidates = [c for c in candidates if name_key(c.text) != site_key]
    label = domain_label(url) if site is None else None
    chosen = choose_name(candidates, label, page.text)
    if chosen is None:
        return
    method = {"og:site_name": "meta", "application-name": "meta", "og:title": "meta"}.get(chosen.source, chosen.source)
    result.offer("name", chosen.name, method)


def _website(result: PageExtraction, page: PageText, url: str | None, site: SiteConfig | None,
             own: _OwnContacts) -> None:
    if "website" in result.fields:
        return
    if site is None:
        if url and url.startswith(("http://", "https://")):
            parts = urlsplit(url)
            result.offer("website", f"{parts.scheme}://{parts.netloc}/", "url")
        return
    for link in page.links:
        href = urljoin(url or "", link.href) if url else link.href
        domain = domain_of(href)
        if not domain or domain == own.domain or domain in _NOT_WEBSITES or not href.startswith("http"):
            continue
        context = page.lines[link.line] if 0 <= link.line < len(page.lines) else ""
        if _WEBSITE_LABEL.search(context) or registered_domain(link.text or "") == domain:
            result.offer("website", href, "text")
            return


# --- the directory's own contacts ------------------------------------------------------------


@dataclass
class _OwnContacts:
    """What belongs to the directory itself: never taken for a listed company's."""

    domain: str | None = None
    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    region: str | None = None

    @classmethod
    def of(cls, site: SiteConfig | None, country: str | None) -> _OwnContacts:
        """The same for every page of a crawl, so made once per site and country."""
        if site is None:
            return cls()
        cached = _OWN_CONTACTS.get((id(site), country))
        if cached is not None and cached[0] is site:
            return cached[1]
        own = cls._of(site, country)
        if len(_OWN_CONTACTS) >= 64:
            _OWN_CONTACTS.clear()
        _OWN_CONTACTS[(id(site), country)] = (site, own)
        return own

    @classmethod
    def _of(cls, site: SiteConfig, country: str | None) -> _OwnContacts:
        region = country or site.country
        names = {name_key(n) for n in (site.title, site.name) if n}
        listed = getattr(site, "own_contacts", None)
        emails: set[str] = set()
        phones: set[str] = set()
        if listed is not None:
            get = listed.get if isinstance(listed, dict) else lambda k, d=None: getattr(listed, k, d)
            emails = {str(e).strip().lower() for e in get("emails", None) or []}
            phones = {p.e164 for raw in get("phones", None) or [] for p in normalize_phones(str(raw), region)
                      if p.e164}
            names |= {name_key(str(n)) for n in get("names", None) or []}
        return cls(domain=domain_of(str(site.base_url)), names=frozenset(n for n in names if n),
                   emails=frozenset(emails), phones=frozenset(phones), region=region)

    def is_own_email(self, email: str) -> bool:
        email = email.lower()
        if email in self.emails:
            return True
        return bool(self.domain) and domain_of(email.rsplit("@", 1)[-1]) == self.domain

    def is_own_phone(self, phone: str) -> bool:
        if not self.phones:
            return False
        if phone.startswith("+") and phone in self.phones:
            return True
        return any(p.e164 in self.phones for p in normalize_phones(phone, self.region) if p.e164)

    def is_directory_entity(self, entity: Entity, page_url: str | None) -> bool:
        """The directory's own Organization: its name, or an address on its domain other than this page."""
        name = entity.fields.get("name")
        if name and name_key(name) in self.names:
            return True
        if not self.domain:
            return False
        page = _strip_url(page_url) if page_url else None
        for url in entity.urls:
            absolute = urljoin(page_url or "", url)
            if domain_of(absolute) == self.domain and _strip_url(absolute) != page:
                return True
        return False


# (id of the site config, country) -> (that config, its contacts); the config is kept so an id
# reused by a later config cannot return another site's contacts.
_OWN_CONTACTS: dict[tuple[int, str | None], tuple[SiteConfig, _OwnContacts]] = {}


def _strip_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields with text cleaned (collapsed whitespace) and empty values dropped, for a Lead."""
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, list):
            values = [v for v in (clean_text(str(x)) for x in value) if v]
            if values:
                cleaned[name] = values
        elif isinstance(value, str):
            text = clean_text(value)
            if text:
                cleaned[name] = text
        elif value is not None:
            cleaned[name] = value
    return cleaned
