"""The company web: which company has which pages, in which language, showing which e-mails how.

Why a plan separate from the HTML: the ground truth must say which addresses a
company's website shows, on which page and how obfuscated, without rendering
anything; the proxy server renders from the same plan, so the two can never
disagree. Everything derives from (seed, company id).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sandbox.model import Company, World
from sandbox.rng import derive_rng, weighted_choice

# How an address is written on the page (see sandbox.sites.companyweb.show_email).
EMAIL_STYLES: tuple[tuple[str, int], ...] = (
    ("plain", 45),  # <a href="mailto:sales@x.com">sales@x.com</a>
    ("brackets", 15),  # sales [at] x [dot] com
    ("paren", 12),  # sales(at)x.com
    ("entities", 15),  # &#115;&#97;... in text and mailto href: a parser sees it plainly
    ("words", 8),  # sales AT x DOT com
)
HOME_EMAIL_SHARE = 0.5  # sites that also show the main address in the home-page footer
HOME_PHONE_SHARE = 0.6


@dataclass(frozen=True)
class Language:
    """Paths and link texts of company sites written in one language."""

    code: str
    about: tuple[str, str]  # (path, link text)
    contacts: tuple[tuple[str, str], ...]  # (path, link text) options for the contact page
    legal: tuple[str, str] | None = None  # Impressum / Mentions légales: (path, link text)


LANGUAGES: dict[str, Language] = {
    "en": Language(
        "en",
        ("/about.html", "About Us"),
        (
            ("/contact.html", "Contact"),
            ("/contact-us.html", "Contact us"),
            ("/contact/", "Contact Us"),
        ),
    ),
    "de": Language(
        "de",
        ("/ueber-uns.html", "Über uns"),
        (("/kontakt.html", "Kontakt"),),
        ("/impressum.html", "Impressum"),
    ),
    "fr": Language(
        "fr",
        ("/a-propos.html", "À propos"),
        (("/contact.html", "Nous contacter"), ("/nous-contacter.html", "Nous contacter")),
        ("/mentions-legales.html", "Mentions légales"),
    ),
    "zh": Language(
        "zh",
        ("/about.html", "关于我们"),
        (("/lianxi.html", "联系我们"), ("/contact.html", "联系我们")),
    ),
    "it": Language("it", ("/chi-siamo.html", "Chi siamo"), (("/contatti.html", "Contatti"),)),
    "es": Language("es", ("/nosotros.html", "Nosotros"), (("/contacto.html", "Contacto"),)),
    "pt": Language("pt", ("/sobre.html", "Sobre nós"), (("/contato.html", "Contato"),)),
    "tr": Language("tr", ("/hakkimizda.html", "Hakkımızda"), (("/iletisim.html", "İletişim"),)),
}


@dataclass(frozen=True)
class EmailOnSite:
    """One address on a company website: how it is written and on which pages."""

    email: str
    style: str
    pages: tuple[str, ...]
    in_footer: bool = False  # in the footer of every page, not only on the contact page


@dataclass(frozen=True)
class CompanySite:
    """The small website of one company, as the proxy serves it."""

    company_id: str
    domain: str
    language: str
    about_path: str
    contact_path: str
    contact_text: str
    legal_path: str | None
    legal_text: str | None
    emails: tuple[EmailOnSite, ...]
    phone_on_home: bool
    mobile_on_contact: bool

    @property
    def host(self) -> str:
        """The canonical host, "www." + domain (the bare domain is served too)."""
        return f"www.{self.domain}"

    @property
    def hosts(self) -> tuple[str, str]:
        """Both names the site answers to."""
        return (self.host, self.domain)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every page of the site, home first."""
        pages = ["/", self.about_path, self.contact_path]
        if self.legal_path:
            pages.append(self.legal_path)
        return tuple(pages)

    @property
    def robots_txt(self) -> str:
        """The site's robots.txt: only its back office is off limits."""
        return "User-agent: *\nDisallow: /admin/\n"


def site_language(rng: random.Random, company: Company) -> str:
    """The language a company writes its website in."""
    by_country = {"DE": "de", "FR": "fr", "IT": "it", "BR": "pt"}
    if company.country == "CN":
        return "zh" if rng.random() < 0.45 else "en"
    if company.country == "TR":
        return "tr" if rng.random() < 0.5 else "en"
    return by_country.get(company.country, "en")


def plan_site(seed: int, company: Company) -> CompanySite | None:
    """The website of ``company``, or None when it has none."""
    if not company.website or not company.domain:
        return None
    rng = derive_rng(seed, "web", company.id)
    language = LANGUAGES[site_language(rng, company)]
    contact_path, contact_text = rng.choice(language.contacts)
    legal_path, legal_text = language.legal or (None, None)
    every_page = ["/", language.about[0], contact_path] + ([legal_path] if legal_path else [])
    emails: list[EmailOnSite] = []
    for index, email in enumerate(company.all_emails):
        # The main address may be in the footer (so on every page); the others, and
        # the contact person's own address, are only on the contact page.
        in_footer = index == 0 and rng.random() < HOME_EMAIL_SHARE
        if in_footer:
            pages = every_page
        else:
            pages = [contact_path] + ([legal_path] if index == 0 and legal_path else [])
        style = weighted_choice(rng, list(EMAIL_STYLES))
        emails.append(EmailOnSite(email, style, tuple(pages), in_footer))
    return CompanySite(
        company_id=company.id,
        domain=company.domain,
        language=language.code,
        about_path=language.about[0],
        contact_path=contact_path,
        contact_text=contact_text,
        legal_path=legal_path,
        legal_text=legal_text,
        emails=tuple(emails),
        phone_on_home=rng.random() < HOME_PHONE_SHARE,
        mobile_on_contact=company.mobile is not None and rng.random() < 0.5,
    )


def company_sites(world: World) -> dict[str, CompanySite]:
    """Every company website of the world, by company id."""
    sites = {}
    for company in world.companies:
        site = plan_site(world.seed, company)
        if site is not None:
            sites[company.id] = site
    return sites
