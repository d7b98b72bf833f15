from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedup import (
    DedupRules,
    build_company,
    golden_fields,
    golden_of_one,
    pick_value,
    present_value,
    resolve,
)
from pipeline.models import Company, Lead
from tests.factories import lead

RULES = DedupRules(site_trust={"b2b": 0.7, "yp": 0.6})


def clusters(result) -> list[set[str]]:
    return sorted(({le.url for le in c.sources} for c in result.companies), key=lambda s: sorted(s))


def test_same_company_on_two_sites_is_one_company() -> None:
    a = lead("Harper Valve Inc.", site="b2b", url="b2b/1", phones=["+1 (713) 482-1937"],
             website="http://www.harpervalve.com", city="Houston")
    b = lead("HARPER VALVE", site="yp", url="yp/9", phones=["(713) 482-1937"], city="Houston")
    result = resolve([a, b], [], RULES)
    assert clusters(result) == [{"b2b/1", "yp/9"}]
    [company] = result.companies
    assert company.evidence[0].rule == "same_phone"
    assert "phone:+17134821937" in company.evidence[0].shared_keys


@pytest.mark.parametrize(
    ("left", "right", "rule"),
    [
        (dict(name="Brightway Lighting Co., Ltd.", website="brightway.cn"),
         dict(name="Brightway Lighting Company Limited", website="https://www.brightway.cn/"), "same_domain"),
        (dict(name="Ace Tools LLC", emails=["john@acetools.com"]),
         dict(name="Ace Tools", emails=["JOHN@acetools.com"]), "same_email"),
        (dict(name="Coastal Solar Inc", city="Tampa", postcode="33602"),
         dict(name="Coastal Solar Incorporated", city="TAMPA"), "similar_name_same_place"),
    ],
)
def test_match_rules(left: dict, right: dict, rule: str) -> None:
    result = resolve([lead(**left), lead(**right)], [], RULES)
    assert len(result.companies) == 1
    assert result.companies[0].evidence[0].rule == rule


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # near-name siblings in different cities, no shared key
        (dict(name="Summit Valve Inc", city="Houston", phones=["(713) 482-1937"]),
         dict(name="Summit Valves & Fittings LLC", city="Denver", phones=["(303) 555-0142"])),
        # same name, different countries
        (dict(name="Orion Tools Ltd", country="GB", website="oriontools.co.uk"),
         dict(name="Orion Tools Ltd", country="IN", website="oriontools.in")),
        # same name and city but different websites
        (dict(name="Apex Lighting", city="Miami", website="apexlighting.com"),
         dict(name="Apex Lighting", city="Miami", website="apex-lights.net")),
        # same city, same distinctive word, different trades
        (dict(name="Hangzhou Qiangsheng Solar Co., Ltd", city="Hangzhou", country="CN"),
         dict(name="Hangzhou Qiangsheng Lighting Co., Ltd", city="Hangzhou", country="CN")),
        # same city, same trade words, different distinctive word
        (dict(name="Hangzhou Lianfa Knitting & Weaving Co., Ltd", city="Hangzhou", country="CN"),
         dict(name="Hangzhou Meiling Knitting and Weaving Co., Ltd", city="Hangzhou", country="CN")),
        # namesakes in one city: the postcodes differ, so the city alone does not make them one place
        (dict(name="Ateliers Bernard Vaumard SA", city="Paris", postcode="75016", country="FR"),
         dict(name="Ateliers Bernard Vaumard", city="Paris", postcode="75008", street="86 rue de la République",
              country="FR")),
        # shared phone but unrelated names (a shared switchboard)
        (dict(name="Blue River Packaging", phones=["(713) 482-1937"]),
         dict(name="Keystone Auto Parts", phones=["(713) 482-1937"])),
    ],
)
def test_different_companies_stay_apart(left: dict, right: dict) -> None:
    result = resolve([lead(**left), lead(**right)], [], RULES)
    assert len(result.companies) == 2


def test_a_switchboard_number_does_not_chain_companies() -> None:
    names = ["Alpha Tools", "Alpha Tool Works", "Alpha Toolworks", "Alpha Tooling", "Alpha Tools Group",
             "Alpha Tool Supply"]
    leads = [lead(n, phones=["(212) 736-5000"], city=f"City{i}") for i, n in enumerate(names)]
    result = resolve(leads, [], RULES)
    # more distinct names than max_names_per_key share the number: it is not evidence
    assert len(result.companies) == len(names)


def test_same_listing_seen_again_is_one_source() -> None:
    first = lead("Harper Valve Inc", url="b2b/1", seen_at=datetime(2026, 1, 1, tzinfo=UTC))
    again = lead("Harper Valve Inc", url="b2b/1", seen_at=datetime(2026, 2, 1, tzinfo=UTC))
    [company] = resolve([first, again], [], RULES).companies
    assert len(company.sources) == 1
    assert company.sources[0].seen_at.month == 2


def test_batch_joins_a_stored_company_and_never_merges_two_stored_ones() -> None:
    stored_a = build_company([lead("Harper Valve Inc", url="b2b/1", website="harpervalve.com")], None, RULES)
    stored_a.id = 1
    stored_b = build_company([lead("Harper Valves", url="b2b/2", phones=["(713) 482-1937"])], None, RULES)
    stored_b.id = 2
    # this lead shares a domain with company 1 and a phone with company 2
    bridge = lead("Harper Valve", url="yp/5", website="www.harpervalve.com", phones=["713-482-1937"])
    result = resolve([bridge], [stored_a, stored_b], RULES)
    [company] = result.companies
    assert company.id == 1, "the strongest evidence (domain) decides"
    assert result.matched_existing == 1 and result.new_companies == 0
    assert {le.url for le in company.sources} == {"b2b/1", "yp/5"}
    assert any(ev.rule == "same_phone" for ev in result.refused_links)


def test_golden_record_survivorship() -> None:
    a = lead("HARPER VALVE", site="yp", phones=["(713) 482-1937"], city="Houston",
             seen_at=datetime(2026, 3, 1, tzinfo=UTC))
    b = lead("Harper Valve Inc.", site="b2b", phones=["+1 713 482 1937", "+1 713 482 1938"],
             emails=["info@harpervalve.com", "john.doe@harpervalve.com"], website="harpervalve.com",
             contact_name="John Doe", seen_at=datetime(2026, 1, 1, tzinfo=UTC))
    company: Company = build_company([a, b], None, RULES)
    assert company.name == "Harper Valve Inc.", "capitals lose to the company's own spelling"
    assert company.phone == "+17134821937", "the number most sources agree on"
    assert company.phones == ["+17134821937", "+17134821938"]
    assert company.email == "john.doe@harpervalve.com", "a person beats a role mailbox"
    assert company.contact_name == "John Doe"
    assert company.sites == ["b2b", "yp"]
    assert company.first_seen == datetime(2026, 1, 1, tzinfo=UTC)
    assert company.last_seen == datetime(2026, 3, 1, tzinfo=UTC)
    assert len(company.sources) == 2


def test_a_shared_key_cannot_chain_two_firms_with_their_own_domains() -> None:
    # B has no website: it matches A by phone and C by an agency's e-mail. Each
    # link alone passes the rules; together they would chain A's and C's
    # companies although their websites differ. The weaker link is refused.
    a = lead("Orion Lighting", url="a", website="orionlight.com", phones=["(212) 736-5001"])
    b = lead("Orion Lighting Inc", url="b", phones=["212-736-5001"], emails=["web@agency.com"])
    c = lead("Orion Lights Inc", url="c", website="orion-lights.net", emails=["web@agency.com"])
    result = resolve([a, b, c], [], RULES)
    assert clusters(result) == [{"a", "b"}, {"c"}]
    assert [ev.refused for ev in result.refused_links] == ["different website domains"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a misspelt generic word is still generic, not what tells the listings apart
        (dict(name="Triford Soolutions Inc.", phones=["(602) 336-7021"], city="Phoenix"),
         dict(name="Triford Solutions Inc.", phones=["+1 (602) 336-7021"], city="Phoenix")),
        # a misspelt city at the front of a Chinese name
        (dict(name="Hsanghai Rongde Import and Export Co.,Ltd", country="CN", city="Shanghai",
              phones=["(021) 46438478"]),
         dict(name="Shanghai Rongde Import & Export Co., Ltd.", country="CN", city="Shanghai",
              phones=["+86 21 46438478"])),
        # the switchboard's next line does not make two companies
        (dict(name="Quiron Machinebouw B.V.", country="NL", city="Amsterdam", postcode="1074 LJ",
              phones=["020 8686687"]),
         dict(name="Quiron Machinebouw BV", country="NL", city="Amsterdam", postcode="1074 LJ",
              phones=["0031 20 8686688"])),
    ],
)
def test_one_company_despite_slips(left: dict, right: dict) -> None:
    result = resolve([lead(**left), lead(**right)], [], RULES)
    assert len(result.companies) == 1


def test_branches_sharing_a_website_stay_apart() -> None:
    head = lead("Dunwood Bearings Inc.", website="dunwoodbearings.com", phones=["(713) 637-0715"],
                street="8319 Maple Lane", city="Houston")
    branch = lead("Dunwood Bearings - Minneapolis Inc", website="www.dunwoodbearings.com",
                  phones=["(612) 344-8667"], street="450 Ridge Court", city="Minneapolis")
    again = lead("DUNWOOD BEARINGS", website="http://dunwoodbearings.com/contact", phones=["(713) 637-0715"],
                 street="8319 Maple Ln", city="Houston")
    assert clusters(resolve([head, branch, again], [], RULES)) == [{head.url, again.url}, {branch.url}]


@pytest.mark.parametrize("shared", [
    dict(phones=["(713) 637-0715"]),                                     # a central switchboard
    dict(phones=["(713) 637-0715"], website="grandviewmolding.com"),     # and the chain's website
    dict(emails=["orders@grandviewmolding.com"]),                        # a central order desk
])
def test_branches_in_another_city_and_postcode_stay_apart_whatever_they_share(shared: dict) -> None:
    """A key shared by records in two places at once (city and postcode both differ) is a chain's."""
    head = lead("Grandview Molding Inc.", city="Houston", postcode="77034", street="9464 Ridge Parkway", **shared)
    branch = lead("Grandview Molding Incorporated", city="Chicago", postcode="60637", street="4119 Harbor Pkwy",
                  **shared)
    same_town = lead("GRANDVIEW MOLDING", city="Houston", postcode="77035", **shared)  # a postcode slip
    no_place = lead("Grandview Molding", **shared)                                   # nothing to say it is elsewhere
    result = resolve([head, branch, same_town, no_place], [], RULES)
    assert {branch.url} in clusters(result)
    assert {head.url, same_town.url} <= next(c for c in clusters(result) if head.url in c)
    assert "different places" in {ev.refused for ev in result.refused_links}
    # each side keeps the refusal, so `leads explain` can say why the two are apart
    for side in (head, branch):
        company = next(c for c in result.companies if side.url in {le.url for le in c.sources})
        assert any(ev.refused == "different places" for ev in company.evidence)
    # where companies move rather than open branches, the rule can be switched off
    moved = resolve([head, branch], [], DedupRules(keys_across_places=True))
    assert clusters(moved) == [{head.url, branch.url}]


def test_a_branch_across_town_stays_apart_but_a_postcode_slip_does_not() -> None:
    """Same city, another postcode: another street too is a branch; the same street is a slip."""
    keys = dict(phones=["(214) 708-3666"], website="www.stanfieldcables.net")
    head = lead("Stanfield Cables Corp.", street="7677 Center Drive, Suite 135", city="Dallas", postcode="75218",
                **keys)
    branch = lead("Stanfield Cables - Riverside Corp.", street="2300 3rd Place", city="Dallas", postcode="75256",
                  **keys)
    slip = lead("STANFIELD CABLES CORP", street="7677 Center Dr Ste 135", city="Dallas", postcode="75219", **keys)
    assert clusters(resolve([head, branch, slip], [], RULES)) == sorted([{head.url, slip.url}, {branch.url}],
                                                                        key=lambda c: sorted(c))


def test_a_listing_without_postcode_cannot_join_a_branch_across_town_to_the_head_office() -> None:
    head = lead("Holby Fasteners Corp.", phones=["(303) 742-8584"], street="8509 Commerce Avenue, Suite 178",
                city="Denver", postcode="80294")
    branch = lead("Holby Fasteners - Airport Corp.", phones=["(303) 742-8584"], street="2723 Hill Boulevard",
                  city="Denver", postcode="80270")
    unposted = lead("HOLBY FASTENERS AIRPORT CORP.", phones=["+1 303 742 8584"], street="2723 Hill Boulevard",
                    city="Denver")
    result = resolve([head, branch, unposted], [], RULES)
    assert {head.url} in clusters(result)
    assert {branch.url, unposted.url} in clusters(result)
    assert "different places" in {ev.refused for ev in result.refused_links}


@pytest.mark.parametrize(("country", "city", "one", "other"), [
    ("CZ", "Brno", "602 00", "60200"),        # a format the pipeline knows, typed both ways
    ("LV", "Riga", "LV-1050", "1050"),        # one it does not: compared by letters and digits
    ("PL", "Krakow", "30\u2013001", "30-001"),  # a typographic dash
])
def test_one_postcode_typed_two_ways_is_one_place(country: str, city: str, one: str, other: str) -> None:
    a = lead("Kovarna Dvorak", city=city, postcode=one, country=country)
    b = lead("KOVARNA DVORAK", city=city, postcode=other, country=country)
    assert len(resolve([a, b], [], RULES).companies) == 1


@pytest.mark.parametrize("placeholder", ["-", "N/A", "00000", "0"])
def test_a_placeholder_postcode_is_no_place(placeholder: str) -> None:
    a = lead("Holby Fasteners Corp.", phones=["(303) 742-8584"], city="Denver", postcode=placeholder)
    b = lead("Holby Fasteners Corp", phones=["303.742.8584"], city="Aurora", postcode="80012")
    assert a.postcode is None
    assert len(resolve([a, b], [], RULES).companies) == 1


def test_clusters_do_not_depend_on_the_order_of_the_records() -> None:
    keys = dict(phones=["(303) 742-8584"])
    a = lead("Holby Fasteners Corp.", city="Denver", postcode="80294", **keys)
    b = lead("Holby Fasteners Corp", city="Denver", postcode="80294", street="8509 Commerce Avenue", **keys)
    c = lead("Holby Fasteners - Airport Corp.", city="Denver", postcode="80270", street="2723 Hill Boulevard",
             **keys)
    assert clusters(resolve([a, b, c], [], RULES)) == clusters(resolve([b, a, c], [], RULES))
    assert {c.url} in clusters(resolve([a, b, c], [], RULES))


def test_a_word_too_common_to_block_blocks_within_a_city() -> None:
    """More than max_block_size companies share "valve": they are compared within their city."""
    rules = DedupRules(max_block_size=20)
    others = [lead(f"Company{i} Valve", city=f"Town{i % 3}") for i in range(30)]
    a = lead("Summithaven Valve Trading", city="Tampa", postcode="33602")
    b = lead("Summithven Valve Trading", city="Tampa", postcode="33602")   # the brand misspelt: only "valve" is shared
    result = resolve([*others, a, b], [], rules)
    assert {a.url, b.url} in clusters(result)


@pytest.mark.parametrize(
    ("chinese", "latin"),
    [
        # the brand transliterated: its pinyin is in the Latin name
        (dict(name="深圳市光明照明有限公司", city="深圳市", country="CN", phones=["0755-2861 2345"]),
         dict(name="Shenzhen Guangming Lighting Co., Ltd.", city="Shenzhen", country="CN",
              phones=["+86 755 2861 2345"])),
        # the brand translated (博威 is not "Brightway"): a shared phone in the same city decides
        (dict(name="温州市博威阀门有限公司", city="温州市", country="CN", phones=["0577-8863 8774"]),
         dict(name="Wenzhou Brightway Valve Co., Ltd.", city="Wenzhou", country="CN",
              phones=["+86-577-88638774"])),
    ],
)
def test_chinese_and_latin_listings_of_one_company_meet(chinese: dict, latin: dict) -> None:
    result = resolve([lead(**chinese), lead(**latin)], [], RULES)
    assert len(result.companies) == 1


def test_names_in_two_scripts_never_match_on_a_name_alone() -> None:
    result = resolve([lead("深圳市光明照明有限公司", city="深圳市", country="CN"),
                      lead("Shenzhen Guangming Lighting Co., Ltd.", city="Shenzhen", country="CN")], [], RULES)
    assert len(result.companies) == 2


def test_two_shared_identifiers_outweigh_different_names() -> None:
    a = lead("Summit Solar International", phones=["(918) 947-6679"], website="summit-solarenergy.com")
    b = lead("SSI Energy Corp.", phones=["918.947.6679"], website="www.summit-solarenergy.com")  # a trading name
    [company] = resolve([a, b], [], RULES).companies
    assert set(company.evidence[0].shared_keys) >= {"domain:summit-solarenergy.com", "phone:+19189476679"}


optional_text = st.one_of(st.none(), st.just(""), st.text(max_size=12))


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=20).filter(str.strip), legal_form=optional_text, website=optional_text,
       domain=optional_text, street=optional_text, city=optional_text, postcode=optional_text,
       country=optional_text, phones=st.lists(st.sampled_from(["+17134821937", "+17134821938", "+4930123456"]),
                                              max_size=4),
       emails=st.lists(st.sampled_from(["info@a.com", "jo@a.com", "x@b.de"]), max_size=3))
def test_one_source_golden_record_is_what_survivorship_would_choose(**fields: object) -> None:
    """The single-source shortcut of build_company gives what the general rules give one lead."""
    one = Lead(site="s", url="s/1", **fields)  # type: ignore[arg-type]
    general = golden_fields([one], lambda _lead: 0.5)
    assert golden_of_one(one) == general
    for attr in ("contact_name", "region", "business_type", "year_founded", "street"):
        assert present_value(getattr(one, attr)) == pick_value([getattr(one, attr)], [0.5], [one.seen_at])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Harper Valve Inc", "HARPER VALVE", "Harper Valve Co."]),
                          st.sampled_from(["b2b", "yp"]), st.integers(1, 3),
                          st.lists(st.sampled_from(["(713) 482-1937", "713.482.1938"]), max_size=2),
                          st.sampled_from([None, "", "Houston", "HOUSTON"]), st.sampled_from([None, 1998, 2004])),
                min_size=1, max_size=4),
       st.booleans())
def test_golden_records_are_valid_companies(rows: list[tuple], with_stored: bool) -> None:
    """build_company skips validation for speed: what it builds must pass it unchanged."""
    leads = [lead(name, site=site, url=f"{site}/{n}", phones=phones, city=city, year_founded=year,
                  seen_at=datetime(2026, 1, n, tzinfo=UTC)) for name, site, n, phones, city, year in rows]
    stored = build_company(leads[:1], None, RULES).model_copy(update={"id": 7}) if with_stored else None
    company = build_company(leads, stored, RULES)
    assert Company.model_validate(company.model_dump()) == company
    assert len(company.sources) == len({(le.site, le.url) for le in leads})


def test_pages_of_different_company_websites_are_different_listings() -> None:
    """Every company's home page is "/" on its own host: the host is part of a website listing."""
    harper = lead("Harper Valve Inc", site="website", url="http://www.harpervalve.com/", phones=["(713) 482-1937"])
    ace = lead("Ace Tools Co", site="website", url="http://acetools.com/", phones=["(212) 736-5001"])
    again = lead("Harper Valve Inc", site="website", url="https://harpervalve.com/?utm_source=x")
    assert harper.source_key != ace.source_key
    assert harper.source_key == again.source_key == ("website", "harpervalve.com/")
    assert clusters(resolve([harper, ace], [], RULES)) == [{ace.url}, {harper.url}]
    directory = lead("Harper Valve Inc", site="b2b", url="http://127.0.0.1:8801/company/harper-1.html")
    assert directory.listing == "/company/harper-1.html", "a directory's listings still leave the host out"
