"""Units of the downloader middlewares; their behaviour over HTTP is in test_faults.py."""

from __future__ import annotations

from email.utils import formatdate
from time import time

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from spiders.middlewares import BanDetectionMiddleware, EncodingMiddleware, retry_after_seconds


@pytest.mark.parametrize(
    ("header", "expected"),
    [(b"3", 3.0), ("120", 120.0), (b"99999", 300.0), (b"-5", 0.0), (None, None), (b"soon", None)],
)
def test_retry_after_seconds(header: bytes | str | None, expected: float | None) -> None:
    assert retry_after_seconds(header, cap=300) == expected


def test_retry_after_as_a_date() -> None:
    in_ten = formatdate(time() + 10, usegmt=True)
    assert 8 <= (retry_after_seconds(in_ten, cap=300) or 0) <= 10


def page(body: str, status: int = 200, charset: str = "utf-8", raw: bytes | None = None) -> HtmlResponse:
    return HtmlResponse("http://127.0.0.1/x", status=status, body=raw if raw is not None else body.encode(charset),
                        headers={"Content-Type": f"text/html; charset={charset}"})


@pytest.mark.parametrize(
    ("body", "status", "is_ban"),
    [
        ("<p>Please verify you are a human</p>", 200, True),
        ("<title>访问验证</title>", 200, True),
        ("<p>Forbidden</p>", 403, True),
        ("<form><div class='g-recaptcha'></div></form><p>Contact us</p>", 200, False),  # a form is no ban
        ("<h1>Acme Inc.</h1>", 200, False),
    ],
)
def test_ban_pages_are_recognised(body: str, status: int, is_ban: bool) -> None:
    mw = BanDetectionMiddleware(get_crawler())
    assert (mw.is_ban(page(body, status)) is not None) is is_ban


def test_encoding_middleware_repairs_a_lying_header() -> None:
    text = "<html><body>深圳市光明照明有限公司</body></html>"
    response = page("", charset="utf-8", raw=text.encode("gbk"))
    fixed = EncodingMiddleware(get_crawler()).process_response(Request(response.url), response)
    assert "深圳市光明照明有限公司" in fixed.text


@pytest.mark.parametrize(
    ("body", "cut"),
    [("<html><body>" + "x" * 500 + "</body></html>", False), ("<html><body>" + "x" * 500, True),
     ("<HTML><BODY>" + "x" * 500 + "</BODY></HTML>\n\n", False), ("x" * 500, False)],
)
def test_pages_cut_short_are_recognised(body: str, cut: bool) -> None:
    assert BanDetectionMiddleware.is_cut(page(body)) is cut
