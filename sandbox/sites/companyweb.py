"""HTML of the company websites: home, about, contact (and Impressum / Mentions légales).

Why hand-written templates per language: enrichment spiders look for the
contact page by its link text (Contact us, Kontakt, Impressum, Nous contacter,
联系我们, Contatti, ...) and read e-mails that are often obfuscated; the pages
give them exactly that, from the plan in ``sandbox.web``.
"""

from __future__ import annotations

import random

from sandbox.geo import COUNTRY_NAMES
from sandbox.i18n import TITLES_ZH, product
from sandbox.listings_zh import chinese_contact, chinese_street
from sandbox.model import Company
from sandbox.phones import international_variant, national_variant
from sandbox.rng import derive_rng
from sandbox.sites.base import document, esc
from sandbox.web import CompanySite

# Words of the templates per language.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "phone": "Tel",
        "fax": "Fax",
        "mobile": "Mobile",
        "email": "E-mail",
        "address": "Address",
        "contact": "Contact person",
        "welcome": "Welcome to",
        "products": "Our products",
        "home": "Home",
        "since": "Founded in {year}.",
        "missing": "Page not found",
        "reach": "Get in touch with us",
    },
    "de": {
        "phone": "Telefon",
        "fax": "Fax",
        "mobile": "Mobil",
        "email": "E-Mail",
        "address": "Anschrift",
        "contact": "Ansprechpartner",
        "welcome": "Willkommen bei",
        "products": "Unsere Produkte",
        "home": "Startseite",
        "since": "Gegründet {year}.",
        "missing": "Seite nicht gefunden",
        "reach": "So erreichen Sie uns",
    },
    "fr": {
        "phone": "Téléphone",
        "fax": "Fax",
        "mobile": "Portable",
        "email": "E-mail",
        "address": "Adresse",
        "contact": "Interlocuteur",
        "welcome": "Bienvenue chez",
        "products": "Nos produits",
        "home": "Accueil",
        "since": "Fondée en {year}.",
        "missing": "Page introuvable",
        "reach": "Nous contacter",
    },
    "zh": {
        "phone": "电话",
        "fax": "传真",
        "mobile": "手机",
        "email": "邮箱",
        "address": "地址",
        "contact": "联系人",
        "welcome": "欢迎访问",
        "products": "主营产品",
        "home": "首页",
        "since": "公司成立于{year}年。",
        "missing": "页面不存在",
        "reach": "联系方式",
    },
    "it": {
        "phone": "Telefono",
        "fax": "Fax",
        "mobile": "Cellulare",
        "email": "E-mail",
        "address": "Indirizzo",
        "contact": "Referente",
        "welcome": "Benvenuti da",
        "products": "I nostri prodotti",
        "home": "Home",
        "since": "Fondata nel {year}.",
        "missing": "Pagina non trovata",
        "reach": "Contatti",
    },
    "es": {
        "phone": "Teléfono",
        "fax": "Fax",
        "mobile": "Móvil",
        "email": "Correo",
        "address": "Dirección",
        "contact": "Contacto",
        "welcome": "Bienvenidos a",
        "products": "Nuestros productos",
        "home": "Inicio",
        "since": "Fundada en {year}.",
        "missing": "Página no encontrada",
        "reach": "Contacto",
    },
    "pt": {
        "phone": "Telefone",
        "fax": "Fax",
        "mobile": "Celular",
        "email": "E-mail",
        "address": "Endereço",
        "contact": "Contato",
        "welcome": "Bem-vindo à",
        "products": "Nossos produtos",
        "home": "Início",
        "since": "Fundada em {year}.",
        "missing": "Página não encontrada",
        "reach": "Fale conosco",
    },
    "tr": {
        "phone": "Telefon",
        "fax": "Faks",
        "mobile": "Cep",
        "email": "E-posta",
        "address": "Adres",
        "contact": "Yetkili",
        "welcome": "Hoş geldiniz:",
        "products": "Ürünlerimiz",
        "home": "Ana Sayfa",
        "since": "{year} yılında kuruldu.",
        "missing": "Sayfa bulunamadı",
        "reach": "Bize ulaşın",
    },
}


def show_email(email: str, style: str) -> str:
    """An address as HTML in one of the obfuscation styles of ``sandbox.web.EMAIL_STYLES``."""
    local, _, domain = email.partition("@")
    if style == "brackets":
        return esc(f"{local} [at] {domain.replace('.', ' [dot] ')}")
    if style == "paren":
        return esc(f"{local}(at){domain}")
    if style == "words":
        return esc(f"{local} AT {domain.replace('.', ' DOT ')}")
    if style == "entities":
        encoded = "".join(f"&#{ord(ch)};" for ch in email)
        mailto = "".join(f"&#{ord(ch)};" for ch in "mailto:") + encoded
        return f'<a href="{mailto}">{encoded}</a>'
    return f'<a href="mailto:{esc(email)}">{esc(email)}</a>'


class _Facts:
    """What a company's pages print, formatted once per company (phones vary by site)."""

    def __init__(self, seed: int, site: CompanySite, company: Company) -> None:
        rng = derive_rng(seed, "web", company.id, "format")
        zh = site.language == "zh"
        self.name = (company.full_name_zh or company.full_name) if zh else company.full_name
        self.phone = self._phone(rng, company.phone, company.country, site.language)
        self.fax = company.fax and self._phone(rng, company.fax, company.country, site.language)
        self.mobile = company.mobile and self._phone(
            rng, company.mobile, company.country, site.language
        )
        if zh:
            self.contact = chinese_contact(rng, company.contact_name)
            self.title = TITLES_ZH.get(company.contact_title, company.contact_title)
            self.address = [chinese_street(company, with_city=True), company.postcode, "中国"]
        else:
            self.contact, self.title = company.contact_name, company.contact_title
            place = f"{company.postcode} {company.city}".strip()
            if company.country in ("US", "GB", "AU", "IN", "BR"):
                place = f"{company.city}, {company.region_code} {company.postcode}".strip()
            self.address = [company.street, place, COUNTRY_NAMES[company.country]]
        language = site.language if site.language in ("zh", "de", "fr") else "en"
        self.products = [product(p, language) for p in company.main_products]

    @staticmethod
    def _phone(rng: random.Random, e164: str, country: str, language: str) -> str:
        """Local format on a site in the local language, international otherwise."""
        local = {"CN": "zh", "DE": "de", "FR": "fr", "US": "en"}.get(country)
        if local == language:
            return national_variant(rng, e164, country)
        return international_variant(rng, e164)


def _nav(site: CompanySite, text: dict[str, str], about_text: str) -> str:
    """The menu every page shares; the contact link text is what spiders look for."""
    links = [
        f'<a href="/">{esc(text["home"])}</a>',
        f'<a href="{esc(site.about_path)}">{esc(about_text)}</a>',
        f'<a class="nav-contact" href="{esc(site.contact_path)}">{esc(site.contact_text)}</a>',
    ]
    return f'<nav class="main-nav">{" | ".join(links)}</nav>'


def _emails_on(site: CompanySite, path: str) -> list[str]:
    """The e-mail HTML of every address a contact block on ``path`` lists."""
    return [show_email(e.email, e.style) for e in site.emails if path in e.pages]


def _footer(site: CompanySite, facts: _Facts, text: dict[str, str]) -> str:
    """Footer: the name, sometimes phone and e-mail, and the legal page link."""
    bits = [f"<strong>{esc(facts.name)}</strong>"]
    if site.phone_on_home:
        bits.append(f'{esc(text["phone"])}: <span class="tel">{esc(facts.phone)}</span>')
    bits += [show_email(e.email, e.style) for e in site.emails if e.in_footer]
    if site.legal_path and site.legal_text:
        bits.append(f'<a href="{esc(site.legal_path)}">{esc(site.legal_text)}</a>')
    return f'<footer class="site-footer"><p>{" &middot; ".join(bits)}</p></footer>'


def _contact_block(site: CompanySite, facts: _Facts, text: dict[str, str], path: str) -> str:
    """Address, person, phones and e-mails, as contact and legal pages show them."""
    lines = [f'<p class="address">{"<br>".join(esc(a) for a in facts.address if a)}</p>']
    person = f"{facts.contact}, {facts.title}" if facts.title else facts.contact
    lines.append(f'<p class="person">{esc(text["contact"])}: {esc(person)}</p>')
    lines.append(f'<p>{esc(text["phone"])}: <span class="tel">{esc(facts.phone)}</span></p>')
    if facts.fax:
        lines.append(f"<p>{esc(text['fax'])}: {esc(facts.fax)}</p>")
    if facts.mobile and site.mobile_on_contact and path == site.contact_path:
        lines.append(f"<p>{esc(text['mobile'])}: {esc(facts.mobile)}</p>")
    for email in _emails_on(site, path):
        lines.append(f'<p class="email">{esc(text["email"])}: {email}</p>')
    return "\n".join(lines)


def _legal(
    rng: random.Random, site: CompanySite, company: Company, facts: _Facts, text: dict[str, str]
) -> str:
    """Impressum (de) or Mentions légales (fr): the legal identity and its contacts."""
    block = _contact_block(site, facts, text, site.legal_path or "")
    if site.language == "de":
        return (
            "<h1>Impressum</h1>\n<p>Angaben gemäß § 5 TMG</p>\n"
            f"<p>{esc(company.full_name)}</p>\n{block}\n"
            f"<p>Geschäftsführer: {esc(company.contact_name)}</p>\n"
            f"<p>Registergericht: Amtsgericht {esc(company.city)}, "
            f"HRB {rng.randint(10000, 99999)}</p>\n"
            f"<p>USt-IdNr.: DE{rng.randint(100000000, 999999999)}</p>"
        )
    return (
        "<h1>Mentions légales</h1>\n"
        f"<p>Raison sociale : {esc(company.full_name)}</p>\n{block}\n"
        f"<p>SIRET : {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)} "
        f"{rng.randint(10000, 99999)}</p>\n"
        f"<p>Directeur de la publication : {esc(company.contact_name)}</p>\n"
        "<p>Hébergeur : Sandbox Hosting</p>"
    )


def render_site(seed: int, site: CompanySite, company: Company) -> dict[str, str]:
    """Every page of one company website, by path."""
    text = TEXT[site.language]
    facts = _Facts(seed, site, company)
    about_text = {
        "en": "About Us",
        "de": "Über uns",
        "fr": "À propos",
        "zh": "关于我们",
        "it": "Chi siamo",
        "es": "Nosotros",
        "pt": "Sobre nós",
        "tr": "Hakkımızda",
    }[site.language]
    nav = _nav(site, text, about_text)
    footer = _footer(site, facts, text)

    def page(title: str, main: str) -> str:
        body = f'<header class="top">{nav}</header>\n<main>\n{main}\n</main>\n{footer}'
        return document(f"{title} - {facts.name}", body, lang=site.language)

    products = "\n".join(f"<li>{esc(p)}</li>" for p in facts.products)
    pages = {
        "/": page(
            text["home"],
            f"<h1>{esc(text['welcome'])} {esc(facts.name)}</h1>\n"
            f'<h2>{esc(text["products"])}</h2>\n<ul class="products">\n{products}\n</ul>\n'
            f'<p><a href="{esc(site.contact_path)}">{esc(text["reach"])}</a></p>',
        ),
        site.about_path: page(
            about_text,
            f"<h1>{esc(about_text)}</h1>\n<p>{esc(facts.name)}. "
            f"{esc(text['since'].format(year=company.year_founded))}</p>",
        ),
        site.contact_path: page(
            site.contact_text,
            f"<h1>{esc(site.contact_text)}</h1>\n<h2>{esc(facts.name)}</h2>\n"
            f"{_contact_block(site, facts, text, site.contact_path)}",
        ),
    }
    if site.legal_path and site.legal_text:
        legal_rng = derive_rng(seed, "web", company.id, "legal")
        pages[site.legal_path] = page(
            site.legal_text, _legal(legal_rng, site, company, facts, text)
        )
    return pages


def render_not_found(site: CompanySite) -> str:
    """404 page of a company website."""
    text = TEXT[site.language]
    return document(text["missing"], f"<h1>404 - {esc(text['missing'])}</h1>", lang=site.language)
