"""Real encoded bytes, declared in the header, in a meta tag, wrongly, or not at all."""

from __future__ import annotations

import pytest

from spiders.encoding import decode_html

ZH = "深圳市光明照明有限公司 联系人：王先生 电话：0755-12345678 地址：广东省深圳市宝安区西乡街道"
TW = "台北市光明照明有限公司 聯絡人：王先生 電話：02-12345678 地址：台北市信義區松仁路"
JA = "株式会社山田製作所 お問い合わせ：東京都千代田区丸の内 電話 03-1234-5678"
DE = "Müller Maschinenbau GmbH, Königstraße 12, 70173 Stuttgart, Telefon 0711 123456"
FR = "Société Générale d'Éclairage SARL, 12 rue de la Paix, 75002 Paris, Téléphone"


def page(text: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>x</title></head><body><p>{text}</p></body></html>"


CASES = [
    # (text, python codec for the bytes, header charset, meta charset)
    (ZH, "gbk", "gbk", None),
    (ZH, "gbk", None, "gb2312"),
    (ZH, "gb18030", None, None),
    (TW, "big5", "big5", None),
    (TW, "big5", None, None),
    (JA, "shift_jis", None, "shift_jis"),
    (JA, "shift_jis", None, None),
    (DE, "latin-1", "iso-8859-1", None),
    (FR, "latin-1", None, "iso-8859-1"),
    (DE, "utf-8", None, None),
    (ZH, "utf-8", "utf-8", None),
    # lies: the declaration is wrong
    (ZH, "utf-8", "iso-8859-1", None),
    (ZH, "gbk", "utf-8", None),
    (ZH, "gbk", "iso-8859-1", "iso-8859-1"),
    (DE, "utf-8", "iso-8859-1", "utf-8"),
]


@pytest.mark.parametrize(("text", "codec", "header", "meta"), CASES)
def test_pages_decode_to_the_original_text(text: str, codec: str, header: str | None, meta: str | None) -> None:
    body = page(text, meta).encode(codec)
    content_type = f"text/html; charset={header}" if header else "text/html"
    decoded = decode_html(body, content_type)
    assert text in decoded.text, (decoded.encoding, decoded.how)


def test_bom_wins() -> None:
    body = "\ufeff".encode() + page(ZH).encode("utf-8")
    assert ZH in decode_html(body, "text/html; charset=gbk").text


@pytest.mark.parametrize("junk", [b"", b"\x00\xff\xfe\x80" * 50, bytes(range(256)) * 4])
def test_never_raises(junk: bytes) -> None:
    assert isinstance(decode_html(junk, "text/html; charset=nonsense").text, str)
