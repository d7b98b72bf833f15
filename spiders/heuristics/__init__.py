"""Text heuristics: what a page says about a company when it has no markup for it.

One module per kind of value, each a set of pure functions over the page's
lines (see :mod:`spiders.pagetext`), tested by tables in ``tests/test_heuristics.py``:

- :mod:`.emails` - mailto links, plain and obfuscated addresses, Cloudflare-encoded ones
- :mod:`.phones` - numbers via libphonenumber, phone / mobile / fax told apart by their label
- :mod:`.address` - postcode-anchored addresses (US, CA, AU, UK, postcode-first countries), towns
- :mod:`.company` - the company's name from title, og:site_name, logo, copyright, by agreement
- :mod:`.people` - a contact person and job title, only when plainly labelled
- :mod:`.country` - the page's country when nobody said (domain, address, language tag)
- :mod:`.gazetteer` - the closed lists the above rely on (states, provinces, postcode areas)
"""
