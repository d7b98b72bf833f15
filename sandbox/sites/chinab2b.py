"""HTML for "中国B2B网" (chinab2b), a Chinese B2B directory (1688 / made-in-china.cn style).

Why a fixed contract: config/sites/chinab2b.yaml reads exactly these class
names and the Chinese row labels (联系人, 电话, ...); change them together.
The server encodes these pages in GBK and declares it in the header and in
``<meta charset="gbk">``, as Chinese directories still do.
"""

from __future__ import annotations

from sandbox.i18n import SEARCH_TERMS
from sandbox.model import Listing
from sandbox.sites.base import SiteSpec, captcha_page, document, esc, pager, query_href
from sandbox.vocab import CATEGORY_TERMS

NAME = "chinab2b"
PAGE_SIZE = 10
CHARSET = "gbk"
ROBOTS_TXT = "User-agent: *\nDisallow: /inquiry/\nDisallow: /member/\n"
SERVICE_PHONE = "400-826-1688"
SERVICE_EMAIL = "service@chinab2b.example"
SEARCH_PATH = "/search"
SEARCH_PARAM = "keywords"
PAGE_PARAM = "beginPage"

# Row labels of the contact table, in page order (the YAML selects on them).
CONTACT_LABELS: tuple[str, ...] = (
    "联系人",
    "职位",
    "电话",
    "手机",
    "传真",
    "邮箱",
    "网址",
    "地址",
    "城市",
    "省份",
    "邮编",
    "国家/地区",
)
FACT_LABELS: tuple[str, ...] = ("经营模式", "主营产品", "成立时间", "员工人数")


def _header() -> str:
    """Site header with the search box; the same on every page."""
    return (
        '<header class="site-header">\n'
        '<a class="logo" href="/">中国B2B网</a>\n'
        f'<form class="search-form" action="{SEARCH_PATH}" method="get">'
        f'<input type="text" name="{SEARCH_PARAM}" placeholder="搜索产品或供应商">'
        '<button type="submit">搜索</button></form>\n'
        '<nav><a href="/">首页</a> <a href="/member/login">会员登录</a> '
        '<a href="/member/join">免费注册</a></nav>\n'
        "</header>"
    )


def _footer() -> str:
    """Footer with the DIRECTORY's own hotline and e-mail, a trap for careless spiders."""
    return (
        '<footer class="site-footer">\n'
        f'<p class="service">客服热线：{SERVICE_PHONE}　邮箱：{SERVICE_EMAIL}</p>\n'
        "<p>中国B2B网（沙盒）版权所有</p>\n"
        "</footer>"
    )


def _page(title: str, main: str) -> str:
    """Header, main content and footer in one GBK-declared document."""
    body = f"{_header()}\n<main>\n{main}\n</main>\n{_footer()}"
    return document(f"{title} - 中国B2B网", body, lang="zh-CN", charset=CHARSET)


def _search_href(keyword: str, page: int) -> str:
    """A result page's URL; the keyword is UTF-8 percent-encoded, so the href is ASCII."""
    return query_href(SEARCH_PATH, **{SEARCH_PARAM: keyword, PAGE_PARAM: page})


def render_home() -> str:
    """Home page: one link per category search, in Chinese."""
    links = "\n".join(
        f'<li><a class="category" href="{esc(query_href(SEARCH_PATH, keywords=term))}">'
        f"{esc(term)}</a></li>"
        for term in (SEARCH_TERMS["zh"][t] for t in CATEGORY_TERMS)
    )
    return _page("找供应商", f'<h1>热门行业</h1>\n<ul class="categories">\n{links}\n</ul>')


def _item(listing: Listing) -> str:
    """One search result."""
    place = " ".join(p for p in (listing.region, listing.city) if p)
    model = (
        f' <span class="biz-model">{esc(listing.business_type)}</span>'
        if listing.business_type
        else ""
    )
    return (
        '<div class="company-item">\n'
        f'  <h2><a class="company-name" href="{esc(listing.path)}">{esc(listing.name)}</a></h2>\n'
        f'  <div class="item-meta"><span class="location">{esc(place)}</span>{model}</div>\n'
        f'  <div class="main-products">主营产品：{esc("、".join(listing.main_products))}</div>\n'
        f'  <a class="inquiry" href="/inquiry/{listing.number}">发送询价</a>\n'
        "</div>"
    )


def render_search(
    keyword: str, page: int, results: list[Listing], total: int, has_next: bool
) -> str:
    """A results page; ``no-results`` when the page is empty."""
    if not results:
        body = f'<p class="no-results">没有找到与“{esc(keyword)}”相关的供应商</p>'
    else:
        items = "\n".join(_item(listing) for listing in results)
        links = pager(lambda n: _search_href(keyword, n), page, has_next, ("上一页", "下一页"))
        body = (
            f'<p class="result-count">共找到 {total} 家供应商</p>\n'
            f'<div class="company-list">\n{items}\n</div>\n'
            f'<div class="pagination">{links}</div>'
        )
    return _page(f"{keyword}供应商", f"<h1>“{esc(keyword)}” 供应商</h1>\n{body}")


def _rows(listing: Listing) -> list[tuple[str, str]]:
    """(label, already-escaped HTML value) for every field the listing shows."""
    values: dict[str, str | None] = {
        "联系人": listing.contact_name,
        "职位": listing.contact_title,
        "电话": listing.phone,
        "手机": listing.mobile,
        "传真": listing.fax,
        "地址": listing.street,
        "城市": listing.city,
        "省份": listing.region,
        "邮编": listing.postcode,
        "国家/地区": listing.country_name,
    }
    html = {label: esc(value) for label, value in values.items() if value}
    if listing.email:
        html["邮箱"] = f'<a href="mailto:{esc(listing.email)}">{esc(listing.email)}</a>'
    if listing.website:
        html["网址"] = (
            f'<a href="{esc(listing.website)}" target="_blank">{esc(listing.website)}</a>'
        )
    return [(label, html[label]) for label in CONTACT_LABELS if label in html]


def _facts(listing: Listing) -> str:
    """The company-facts definition list."""
    facts = [
        ("经营模式", listing.business_type),
        ("主营产品", "、".join(listing.main_products)),
        ("成立时间", f"{listing.year_founded}年" if listing.year_founded else None),
        ("员工人数", listing.employees),
    ]
    return "\n".join(f"  <dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v)


def render_detail(listing: Listing, related: list[Listing]) -> str:
    """A company's page (``related`` is unused on this site)."""
    rows = "\n".join(
        f"  <tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in _rows(listing)
    )
    labels = "、".join(listing.category_labels)
    info = (
        '<div class="company-info">\n'
        f'<h1 class="company-title">{esc(listing.name)}</h1>\n'
        f'<p class="industry">所属行业：{esc(labels)}</p>\n'
        f'<table class="contact-table">\n{rows}\n</table>\n'
        f'<dl class="company-facts">\n{_facts(listing)}\n</dl>\n'
        f'<a class="inquiry" href="/inquiry/{listing.number}">发送询价</a>\n'
        "</div>"
    )
    return _page(listing.name, info)


def render_blocked(listing: Listing) -> str:
    """The inquiry form; robots.txt forbids crawling it."""
    return _page(
        "发送询价",
        f'<h1>联系 {esc(listing.name)}</h1>\n<form class="inquiry-form" method="post">'
        '<textarea name="content"></textarea><button type="submit">发送</button></form>',
    )


def render_not_found() -> str:
    """404 body."""
    return _page("页面不存在", "<h1>404 - 您访问的页面不存在</h1>")


def render_captcha() -> str:
    """The "访问验证" page that fault mode ``captcha`` answers with."""
    return captcha_page("zh-CN", "访问验证：请完成验证后继续访问", charset=CHARSET)


SPEC = SiteSpec(
    name=NAME,
    page_size=PAGE_SIZE,
    search_param=SEARCH_PARAM,
    robots_txt=ROBOTS_TXT,
    disallowed=("/inquiry/", "/member/"),
    blocked_prefix="/inquiry/",
    render_home=render_home,
    render_search=render_search,
    render_detail=render_detail,
    render_blocked=render_blocked,
    render_not_found=render_not_found,
    search_path=SEARCH_PATH,
    page_param=PAGE_PARAM,
    charset=CHARSET,
    language="zh",
    render_captcha=render_captcha,
)
