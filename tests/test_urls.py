import pytest

from pipeline.urls import canonical_url, listing_key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://X.com/s?b=2&a=1", "http://x.com/s?a=1&b=2"),
        ("http://x.com/s?a=1&utm_source=yp&utm_medium=ref", "http://x.com/s?a=1"),
        ("http://x.com/p;jsessionid=ABC123?id=4", "http://x.com/p?id=4"),
        ("http://x.com/p?PHPSESSID=9&id=4#top", "http://x.com/p?id=4"),
        ("http://x.com", "http://x.com/"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_site_specific_parameters_can_be_stripped() -> None:
    assert canonical_url("http://x.com/p?id=4&trk=abc", strip=["trk"]) == "http://x.com/p?id=4"


def test_listing_key_ignores_host_and_noise() -> None:
    a = listing_key("http://127.0.0.1:8801/company/x.html?utm_source=a")
    b = listing_key("https://www.tradeboard.com/company/x.html")
    assert a == b == "/company/x.html"
