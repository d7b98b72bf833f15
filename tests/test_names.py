import pytest

from pipeline.names import NAME_KEY_MAX, clean_text, display_without_form, parse_name


@pytest.mark.parametrize(
    ("raw", "legal_form", "key"),
    [
        ("Ningbo Brightway Lighting Co., Ltd.", "Co., Ltd.", "ningbo brightway lighting"),
        ("NINGBO BRIGHTWAY LIGHTING CO LTD", "Co., Ltd.", "ningbo brightway lighting"),
        ("Ningbo Brightway Lighting Company Limited", "Co., Ltd.", "ningbo brightway lighting"),
        ("Ningbo Brightway Lighting Co.,Ltd", "Co., Ltd.", "ningbo brightway lighting"),
        ("Harper Valve Inc", "Inc.", "harper valve"),
        ("Harper Valve Incorporated", "Inc.", "harper valve"),
        ("Summit Group, L.L.C.", "LLC", "summit group"),
        ("Müller Maschinenbau GmbH & Co. KG", "GmbH & Co. KG", "müller maschinenbau"),
        ("Rossi Valvole S.p.A.", "S.p.A.", "rossi valvole"),
        ("Rossi Valvole SRL", "S.r.l.", "rossi valvole"),
        # central and northern Europe, Latin America, Asia
        ("Novák Strojírny s.r.o.", "s.r.o.", "novák strojírny"),
        ("Novák Strojírny, spol. s r.o.", "s.r.o.", "novák strojírny"),
        ("Kowalski Okna Sp. z o.o.", "Sp. z o.o.", "kowalski okna"),
        ("Grupo Industrial Norte S.A. de C.V.", "S.A. de C.V.", "grupo industrial norte"),
        ("Maderas del Sur S. de R.L.", "S. de R.L.", "maderas del sur"),
        ("Jadran Metal d.o.o.", "d.o.o.", "jadran metal"),
        ("Duna Gépgyár Kft.", "Kft.", "duna gépgyár"),
        ("Nordic Pumps Oy", "Oy", "nordic pumps"),
        ("Svenska Ventiler AB", "AB", "svenska ventiler"),
        ("Jensen Stål ApS", "ApS", "jensen stål"),
        ("Wagner Antriebe GmbH & Co. KGaA", "GmbH & Co. KGaA", "wagner antriebe"),
        ("Huber Holz Ges.m.b.H.", "GmbH", "huber holz"),
        ("Yamada Seiki Kabushiki Kaisha", "K.K.", "yamada seiki"),
        ("Tan Chong Industries Berhad", "Bhd.", "tan chong industries"),
        ("Harbor Supply Limited Liability Company", "LLC", "harbor supply"),
        ("Dupont Emballage SARL", "SARL", "dupont emballage"),
        ("Lopez Herramientas S.L.", "S.L.", "lopez herramientas"),
        ("Van Dijk Verpakking B.V.", "BV", "van dijk verpakking"),
        ("Tata Tools Pvt. Ltd.", "Pvt. Ltd.", "tata tools"),
        ("深圳市光明照明有限公司", "有限公司", "深圳市光明照明"),
        ("杭州华立股份有限公司", "股份有限公司", "杭州华立"),
        ("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "Co., Ltd.", "acme"),
        ("Intl Mfg Tech LLC", "LLC", "international manufacturing technology"),
        ("Smith & Sons Co.", "Co.", "smith and sons"),
        ("The Summit Company", "Co.", "summit"),
        ("Harper Spa Inc", "Inc.", "harper spa"),  # only one form is stripped
        ("Company", None, "company"),  # never strip a name to nothing
    ],
)
def test_parse_name(raw: str, legal_form: str | None, key: str) -> None:
    parsed = parse_name(raw)
    assert parsed.legal_form == legal_form
    assert parsed.key == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ningbo Brightway Lighting Co., Ltd.", "Ningbo Brightway Lighting"),
        ("Müller Maschinenbau GmbH & Co. KG", "Müller Maschinenbau"),
        ("Procter & Gamble", "Procter & Gamble"),
        ("深圳市光明照明有限公司", "深圳市光明照明"),
    ],
)
def test_display_without_form(raw: str, expected: str) -> None:
    assert display_without_form(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Acme\u00a0 Tools \n", "Acme Tools"),
        ("ＡＢＣ（深圳）", "ABC(深圳)"),  # full-width Latin and punctuation to ASCII
        ("Cafe\u0301", "Café"),  # NFC composes the accent
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


def test_a_page_of_text_in_the_name_field_gives_a_bounded_key() -> None:
    parsed = parse_name("Harper Valve " + "precision ball valves and fittings " * 200 + "Inc")
    assert parsed.key.startswith("harper valve precision ball valves")
    assert len(parsed.key) <= NAME_KEY_MAX
    assert parsed.key == parsed.key.strip()
