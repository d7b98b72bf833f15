"""websitevec reads many website fields at once exactly as website_and_domain reads them one by one."""

from __future__ import annotations

import random

import pytest

from pipeline.normalize import website_and_domain
from pipeline.websitevec import read_many

ODD = [
    "www.acme.com", "acme.co.uk", "https://shop.acme.co.uk/contact?x=1#top", "HTTP://WWW.ACME.DE/Impressum",
    "http://acme.com//x", "acme.com/redirect?u=http://other.org", "a.b.c.d.e.f.g.acme.com.br",
    "www.gov.uk", "co.uk", "uk", "acme", "192.168.1.10", "10.0.0.1/admin", "acme.ck", "www.acme.ck",
    "www.ck", "foo.bar.kawasaki.jp", "city.kawasaki.jp", "acme.com.", "acme.com:8080/x", "user@acme.com",
    "x@y.com/path", "xn--mller-kva.de", "www.xn--mller-kva.de", "acme.XN--P1AI", "ACME.COM",
    "acme\u212a.com", "acme .com", " acme.com", "acme.com ", "ftp://acme.com", "//acme.com", "/acme.com",
    "https://", "http://acme", "acme.unknowntld", "sub.acme.unknowntld", "acme.com/ü", "acme.com/a b",
    "acme-.com", "-acme.com", "a..com", "www.bl.uk", "s3.amazonaws.com", "acme.blogspot.com",
    "acme.github.io", "https://acme.com?q=1", "acme.com#frag", "HTTPS://acme.com", "hTtP://Acme.Com/X",
    "www.acme.co.jp", "www.acme.pvt.k12.ma.us", "", "www.acme.com/@x",
]


def _same(fields: list[str]) -> int:
    read = read_many(fields)
    for k, text in enumerate(fields):
        if read.answered[k]:
            assert (read.website[k], read.domain[k]) == website_and_domain(text), text
        else:
            assert read.website[k] is None and read.domain[k] is None
    return int(read.answered.sum())


def test_odd_fields_read_as_one_by_one() -> None:
    answered = _same(ODD)
    assert answered > 20


@pytest.mark.parametrize("field", ["acme.com:8080/x", "user@acme.com", "xn--mller-kva.de", "acme\u212a.com",
                                   " acme.com", "www.acme.ck", "acme.com.", "//acme.com"])
def test_fields_it_is_not_sure_of_are_left_to_the_one_by_one_path(field: str) -> None:
    assert not read_many([field]).answered.any()


def test_generated_websites() -> None:
    rng = random.Random(5)
    tlds = ["com", "de", "co.uk", "com.cn", "fr", "it", "com.br", "net", "org", "io", "jp", "co.jp", "ac.uk",
            "gov.cn", "edu", "ck", "kawasaki.jp", "bd", "us", "ma.us", "k12.ma.us", "nz", "co.nz", "zz"]
    fields = []
    for _ in range(5000):
        labels = ["".join(rng.choice("abcdefghij-0") for _ in range(rng.randrange(1, 8)))
                  for _ in range(rng.randrange(0, 4))]
        host = ".".join([*labels, rng.choice(tlds)])
        fields.append(rng.choice(["", "http://", "https://", "HTTP://", "www."]) + host
                      + rng.choice(["", "/", "/contact", "?a=b", "#x", "/a/b.html"]))
    assert _same(fields) > 3000
