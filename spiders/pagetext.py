"""One parse of a page, and the text a reader sees, split into the lines a browser would show.

Every extractor (site selectors, schema.org, text heuristics) works from the
same lxml tree, parsed once here. The heuristics read *lines*, not raw text:
an address or a "Fax:" label is laid out in blocks and ``<br>`` breaks, and
matching across those breaks ("Springfield" at the end of one block and a
phone number at the start of the next) is where naive text extraction goes
wrong. Script, style and forms' option lists are not text a visitor reads, so they
are left out. Elements hidden by an inline style are kept: they are the
closed tabs and accordions of "Our offices" pages, shown on a click.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

# Elements whose start and end break the line (a browser's block boxes).
BLOCK_TAGS = frozenset("""
address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main
menu nav ol p pre section summary table tbody tfoot thead tr ul
""".split())
CELL_TAGS = frozenset({"td", "th"})
# Elements whose content no visitor reads as text
# (embed, object and iframe are not in it: libxml2 leaves them open when unclosed in the
# source, and the rest of the page then sits inside them.)
SKIP_TAGS = frozenset("""
script style noscript template head select option textarea svg math datalist wa-color wa-title
""".split())

_SPACE = re.compile(r"\s+")
# Characters lxml refuses in text (XML 1.0 forbids most C0 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    line: int  # index into PageText.lines of the line holding the link's text


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    hints: str  # id, class and src of the image and its link, lower-cased: "logo" is looked for here
    links_home: bool  # inside a link to the site's front page


@dataclass
class PageText:
    """What the heuristics read: visible lines, links, images, and the head's title and meta tags."""

    lines: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # name/property (lower-cased) -> first content
    lang: str | None = None
    base_href: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)  # (line index, text) of h1-h3
    cf_emails: list[str] = field(default_factory=list)  # Cloudflare-protected addresses, encoded

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse_html(html: str | bytes | None) -> Any | None:
    """The lxml root of a page, or None when nothing parseable is there.

    Bytes go to lxml with a UTF-8 guess; text is re-encoded so an XML
    declaration naming another encoding does not make lxml refuse a str.
    Control characters are removed first: lxml rejects them outright.
    """
    if not html:
        return None
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", html)
    if not text.strip():
        return None
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=_parser())
    except (etree.LxmlError, ValueError):
        return None
    return root


_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    """This thread's HTML parser: making one costs about as much as parsing a small page.

    Plain etree elements: lxml.html's element classes cost a lookup on every access.
    lxml asks for one parser per thread.
    """
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(encoding="utf-8", recover=True, remove_comments=True,
                                                     remove_pis=True)
    return parser


def element_text(element: Any) -> str:
    """All text inside an element, as lxml.html's ``text_content`` gives it (works on plain etree)."""
    try:
        return "".join(t for t in element.itertext() if isinstance(t, str))
    except (ValueError, TypeError):
        return ""


def page_text(root: Any | None, scope: Iterable[Any] | None = None) -> PageText:
    """Lines, links and images of the page (or only of the ``scope`` elements), plus its head.

    The head (title, meta, lang, base) is always read from the whole
    document; the body only from ``scope`` when one is given.
    """
    page = PageText()
    if root is None:
        return page
    _read_head(root, page)
    nodes = list(scope) if scope is not None else [_body(root)]
    walker = _Walker(page)
    for node in nodes:
        if node is not None and isinstance(getattr(node, "tag", None), str):
            walker.walk(node)
    walker.flush()
    return page


def _body(root: Any) -> Any:
    bodies = root.xpath("//body") if hasattr(root, "xpath") else []
    return bodies[0] if bodies else root


def _read_head(root: Any, page: PageText) -> None:
    try:
        titles = root.xpath("//title")
        if titles:
            page.title = _SPACE.sub(" ", element_text(titles[0])).strip()
        for meta in root.xpath("//meta[@content]"):
            key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
            if key and key not in page.meta:
                page.meta[key] = _SPACE.sub(" ", meta.get("content") or "").strip()
        html_el = root if root.tag == "html" else next(iter(root.xpath("//html")), None)
        if html_el is not None:
            page.lang = (html_el.get("lang") or html_el.get("xml:lang")
                         or html_el.get("{http://www.w3.org/XML/1998/namespace}lang"))
        base = root.xpath("//base/@href")
        page.base_href = str(base[0]).strip() if base else None
    except (etree.LxmlError, ValueError, TypeError):
        return


class _Walker:
    """Iterative walk (deep junk pages would overflow recursion) that lays text out in lines."""

    def __init__(self, page: PageText) -> None:
        self.page = page
        self.parts: list[str] = []

    def flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.parts)).strip(" |")
        self.parts = []
        if line:
            self.page.lines.append(line.strip())

    def _add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def walk(self, node: Any) -> None:
        # (element, closing?, is the walk's top node: its tail is its parent's text, not ours)
        stack: list[tuple[Any, bool, bool]] = [(node, False, True)]
        while stack:
            el, closing, top = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else None
            if closing:
                self._close(el, tag, top)
                continue
            if tag is None:
                if not top:
                    self._add(el.tail)
                continue
            tag = tag.lower()
            if tag in SKIP_TAGS:
                self._cf_email(el)
                if not top:
                    self._add(el.tail)
                continue
            self._open(el, tag)
            stack.append((el, True, top))
            stack.extend((child, False, False) for child in reversed(el))

    def _open(self, el: Any, tag: str) -> None:
        if tag in BLOCK_TAGS or tag == "br":
            self.flush()
        if tag in ("h1", "h2", "h3"):
            text = _SPACE.sub(" ", element_text(el)).strip()
            if text:
                self.page.headings.append((len(self.page.lines), text))
        elif tag == "img":
            self._image(el)
        self._cf_email(el)
        self._add(el.text)

    def _close(self, el: Any, tag: str | None, top: bool) -> None:
        tag = (tag or "").lower()
        if tag == "a":
            href = (el.get("href") or "").strip()
            if href:
                text = _SPACE.sub(" ", element_text(el)).strip()
                self.page.links.append(Link(href=href, text=text, line=len(self.page.lines)))
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.parts.append(CELL_SEPARATOR)
        if not top:
            self._add(el.tail)

    def _image(self, el: Any) -> None:
        alt = _SPACE.sub(" ", el.get("alt") or el.get("title") or "").strip()
        link = next(iter(el.iterancestors("a")), None)
        href = (link.get("href") or "").strip() if link is not None else ""
        near = [el, *list(el.iterancestors())[:3]]
        hints = " ".join(filter(None, [el.get("src"), *(n.get("id") for n in near),
                                       *(n.get("class") for n in near)])).lower()
        links_home = bool(link is not None and re.match(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?(?:[?#].*)?$", href))
        self.page.images.append(Image(src=el.get("src") or "", alt=alt, hints=hints, links_home=links_home))

    def _cf_email(self, el: Any) -> None:
        encoded = el.get("data-cfemail")
        if encoded:
            self.page.cf_emails.append(encoded)
        href = el.get("href") or ""
        if "/cdn-cgi/l/email-protection#" in href:
            self.page.cf_emails.append(href.rsplit("#", 1)[1])


