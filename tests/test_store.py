from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pipeline.dedup import DedupRules, build_company, resolve
from pipeline.models import Company, Grade, Status
from pipeline.schema import metadata
from pipeline.store import Store
from tests.factories import lead

RULES = DedupRules()


def _company(name: str, url: str, **fields):
    c = build_company([lead(name, url=url, **fields)], None, RULES)
    c.grade, c.score = Grade.B, 3.0
    return c


def test_migrations_match_the_schema_module(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migrate_twice_is_harmless(store: Store) -> None:
    store.migrate()
    assert store.count_companies() == 0


def test_a_huge_name_loads_and_is_found_again(store: Store) -> None:
    """Index entries are bounded (PostgreSQL refuses ones over about 2,700 bytes): the name key is capped."""
    # words that do not repeat, so PostgreSQL cannot compress the entry below its limit
    name = "Harper Valve " + " ".join(f"阀{i * 7919 % 10007}x{i}" for i in range(600))
    first = _company(name, "b2b/huge", city="Houston")
    assert store.load([first]).inserted == 1
    again = [lead(name, url="other/huge", city="Houston")]
    candidates = store.find_candidates(again, RULES)
    assert [r.company_id for r in candidates.records] == [first.id]


def test_listings_with_quotes_backslashes_and_braces_are_found_again(store: Store) -> None:
    """Lookups send their values as one array literal on PostgreSQL: quoting must survive every character."""
    urls = ['http://127.0.0.1/b2b/a"b', "http://127.0.0.1/b2b/c\\d", "http://127.0.0.1/b2b/{e,f}",
            "http://127.0.0.1/b2b/NULL", "http://127.0.0.1/b2b/g h"]
    first = [_company(f"Firm {i}", url) for i, url in enumerate(urls)]
    assert store.load(first).inserted == len(urls)
    again = store.load([_company(f"Firm {i}", url) for i, url in enumerate(urls)])
    assert (again.inserted, again.updated, again.seen_sources) == (0, len(urls), len(urls))
    assert store.count_companies() == len(urls)


def test_a_key_whose_company_is_gone_finds_nothing(store: Store) -> None:
    """company_keys has no foreign key (migration 0003): a dangling key must be harmless."""
    from pipeline import schema

    kept = _company("Harper Valve", "b2b/kept", phones=["(212) 736-5001"], city="Houston")
    store.load([kept])
    with store.engine.begin() as conn:
        conn.execute(sa.insert(schema.company_keys), [{"key": "phone:+12127365001", "company_id": 999_999},
                                                      {"key": "nc:harper|US|houston", "company_id": 999_999}])
    probe = [lead("Harper Valve", url="other/1", phones=["212 736 5001"], city="Houston")]
    assert [r.company_id for r in store.find_candidates(probe, RULES).records] == [kept.id]


def test_load_is_idempotent(store: Store) -> None:
    companies = [_company("Harper Valve Inc", "b2b/1", website="harpervalve.com"),
                 _company("Ace Tools", "b2b/2", phones=["(212) 736-5001"])]
    first = store.load(companies)
    assert (first.inserted, first.updated, first.new_sources) == (2, 0, 2)
    assert all(c.id for c in companies)
    # the very same batch again, as a retried load would send it (ids unknown)
    again = [_company("Harper Valve Inc", "b2b/1", website="harpervalve.com"),
             _company("Ace Tools", "b2b/2", phones=["(212) 736-5001"])]
    second = store.load(again)
    assert (second.inserted, second.updated, second.new_sources, second.seen_sources) == (0, 2, 0, 2)
    assert [c.id for c in again] == [c.id for c in companies]
    assert store.count_companies() == 2
    assert store.count_sources() == 2


def test_failed_load_changes_nothing(store: Store) -> None:
    good = _company("Harper Valve Inc", "b2b/1")
    bad = _company("Ace Tools", "b2b/2")
    bad.name = None  # type: ignore[assignment]  # violates NOT NULL inside the transaction
    with pytest.raises(sa.exc.IntegrityError):
        store.load([good, bad])
    assert store.count_companies() == 0
    assert store.count_sources() == 0
    assert good.id is None, "ids are handed out only after the commit"


def test_candidates_come_from_indexed_keys(store: Store) -> None:
    store.load([_company("Harper Valve Inc", "b2b/1", website="harpervalve.com", city="Houston"),
                _company("Ace Tools", "b2b/2", phones=["(212) 736-5001"]),
                _company("Unrelated Mills", "b2b/3")])
    batch = [lead("HARPER VALVE", site="yp", url="yp/7", website="http://harpervalve.com"),
             lead("Ace Tool Co", site="yp", url="yp/8", phones=["212.736.5001"])]
    found = store.find_candidates(batch, RULES)
    stored = {c.name: c.id for c in store.get_companies(r.company_id for r in found.records)}
    assert sorted(stored) == ["Ace Tools", "Harper Valve Inc"]
    harper = next(r for r in found.records if r.company_id == stored["Harper Valve Inc"])
    assert "domain:harpervalve.com" in harper.keys and any(k.startswith("src:") for k in harper.keys)
    result = resolve(batch, found, RULES)
    assert result.new_companies == 0 and result.matched_existing == 2
    assert all(len(c.sources) == 2 for c in result.companies), "joined companies are read whole, old leads kept"


def test_unsent_is_per_recipient_and_skips_invalid(store: Store) -> None:
    a = _company("Harper Valve Inc", "b2b/1")
    b = _company("Ace Tools", "b2b/2")
    c = _company("Bad Lead Co", "b2b/3")
    c.status = Status.INVALID
    store.load([a, b, c])
    assert {x.name for x in store.unsent("alice", ["A", "B", "C"])} == {"Harper Valve Inc", "Ace Tools"}
    store.record_export("alice", "/tmp/x.csv", "csv", [a.id])
    assert [x.name for x in store.unsent("alice", ["A", "B", "C"])] == ["Ace Tools"]
    assert len(store.unsent("bob", ["A", "B", "C"])) == 2


def test_runs_are_recorded(store: Store) -> None:
    run_id = store.start_run("nightly")
    store.finish_run(run_id, "ok", {"leads": 3})
    [run] = store.runs()
    assert run["status"] == "ok" and run["stats"] == {"leads": 3}
    assert run["finished_at"] >= run["started_at"].replace(tzinfo=run["finished_at"].tzinfo)


def test_timestamps_round_trip_as_utc(store: Store) -> None:
    c = _company("Harper Valve Inc", "b2b/1", seen_at=datetime(2026, 5, 1, 12, tzinfo=UTC))
    store.load([c])
    [back] = store.get_companies([c.id])
    assert back.first_seen == datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert back.sources[0].name == "Harper Valve Inc"


def test_a_listing_keeps_its_identity_when_the_host_changes(store: Store) -> None:
    store.load([_company("Harper Valve Inc", "http://127.0.0.1:8801/company/harper-1.html")])
    moved = lead("Harper Valve Inc", url="https://127.0.0.1:9999/company/harper-1.html")
    candidates = store.find_candidates([moved], RULES)
    [record] = candidates.records
    result = resolve([moved], candidates, RULES)
    store.load(result.companies)
    assert store.count_companies() == 1
    assert store.count_sources() == 1
    [back] = store.get_companies([record.company_id])
    assert back.sources[0].url.startswith("https://127.0.0.1:9999/"), "the newest address is kept"


def test_the_same_merge_is_recorded_once(store: Store) -> None:
    def night():
        batch = [lead("Harper Valve Inc", url="b2b/1", phones=["(713) 482-1937"]),
                 lead("HARPER VALVE", site="yp", url="yp/1", phones=["713.482.1937"])]
        result = resolve(batch, store.find_candidates(batch, RULES), RULES)
        store.load(result.companies)

    night()
    night()
    with store.engine.connect() as conn:
        rules = conn.execute(sa.text("SELECT rule FROM match_evidence")).scalars().all()
    assert rules == ["same_phone"]
    assert store.count_companies() == 1


def test_new_companies_get_the_ids_of_their_own_rows(store: Store) -> None:
    """Bulk inserts hand out ids in batch order; each company must get its own row's id back."""
    store.load([_company("Old Mill Ltd", "b2b/0")])
    batch = [_company(f"Company {n} Ltd", f"b2b/{n}", phones=[f"(212) 736-{5000 + n}"]) for n in range(1, 40)]
    store.load(batch)
    assert len({c.id for c in batch}) == 39
    back = {c.id: c for c in store.get_companies(c.id for c in batch)}
    for company in batch:
        assert back[company.id].name == company.name
        assert [s.url for s in back[company.id].sources] == [s.url for s in company.sources]
    assert store.count_companies() == 40


def test_companies_read_back_are_valid_models(store: Store) -> None:
    """Rows are read without validation: what comes back must be what validation would give."""
    stored = _company("Harper Valve Inc", "b2b/1", phones=["(713) 482-1937"], website="harpervalve.com",
                      city="Houston", seen_at=datetime(2026, 5, 1, 12, tzinfo=UTC))
    stored.badges = ["Gold Supplier"]
    store.load([stored])
    [back] = store.get_companies([stored.id])
    assert Company.model_validate(back.model_dump()) == back
    assert back.model_dump(exclude={"sources", "evidence"}) == stored.model_dump(exclude={"sources", "evidence"})
    [(listed, _)] = store.exportable("alice", ["A", "B", "C"])
    assert isinstance(listed.grade, Grade) and isinstance(listed.status, Status) and listed.sources == []


def test_an_update_overwrites_every_golden_field(store: Store) -> None:
    """Known companies are updated in bulk (on PostgreSQL through a staging table): nothing may be lost."""
    stored = _company("Harper Valve Inc", "b2b/1", phones=["(713) 482-1937"], website="harpervalve.com",
                      city="Houston", seen_at=datetime(2026, 5, 1, 12, tzinfo=UTC))
    other = _company("Ace Tools", "b2b/2", city="Boston")
    store.load([stored, other])
    changed = stored.model_copy(update={
        "phones": ["+17134821937", "+17134821938"], "emails": ["sales@harpervalve.com"],
        "email": "sales@harpervalve.com",
        "badges": ["Gold Supplier", "Audited"], "website": None, "city": "Dallas", "grade": Grade.A, "score": 7.5,
        "last_seen": datetime(2026, 6, 1, 12, tzinfo=UTC), "main_products": ["ball valves", "阀门"],
    })
    assert store.load([changed]).updated == 1
    back = {c.id: c for c in store.get_companies([stored.id, other.id])}
    fields = {"sources", "evidence"}
    assert back[stored.id].model_dump(exclude=fields) == changed.model_dump(exclude=fields)
    assert back[other.id].model_dump(exclude=fields) == other.model_dump(exclude=fields), "others untouched"


def test_scores_of_the_file_leave_out_the_batch(store: Store) -> None:
    companies = [_company(f"Company {n} Ltd", f"b2b/{n}") for n in range(3)]
    for n, company in enumerate(companies):
        company.score = float(n)
    companies[2].grade = Grade.D  # D takes no rank
    store.load(companies)
    assert sorted(store.scores().tolist()) == [0.0, 1.0]
    assert store.scores(exclude=[companies[0].id]).tolist() == [1.0]
    assert store.dnc_matches(companies) == set()
    store.add_dnc([f"phone:{companies[1].phones[0]}"] if companies[1].phones else ["domain:none.example"], "asked")


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:5432/leads", "postgres://postgres@127.0.0.1/leads"])
def test_a_plain_postgresql_url_means_psycopg_3(url: str) -> None:
    """Users paste the URL their server prints; no connection is made here."""
    store = Store(url)
    assert store.engine.dialect.driver == "psycopg"
    assert store.safe_url.startswith("postgresql+psycopg://postgres@127.0.0.1")
    store.dispose()


def test_another_postgresql_driver_is_refused_with_the_url_to_write() -> None:
    from pipeline.store import StoreError

    # the asyncio flavour of the same driver builds a dialect (no other package needed) but not a sync store
    with pytest.raises(StoreError, match=r"write postgresql\+psycopg://"):
        Store("postgresql+psycopg_async://postgres@127.0.0.1:5432/leads")
    with pytest.raises(StoreError, match="psycopg2"):  # not installed: named in the error
        Store("postgresql+psycopg2://postgres@127.0.0.1:5432/leads")


def test_a_postcode_stored_before_its_format_was_known_is_still_the_same_place(store: Store) -> None:
    """Stores loaded before "1040GL" was written "1040 GL": the namesake across the street still matches."""
    old = _company("Brosil Verpakkingen B.V.", "b2b/1", city="Amsterdam", country="NL")
    old.postcode = "1040GL"  # as an older version of the pipeline stored it
    store.load([old])
    batch = [lead("Brosil Verpakkingen BV", site="yp", url="yp/7", city="Amsterdam", postcode="1040gl",
                  country="NL")]
    assert batch[0].postcode == "1040 GL"
    result = resolve(batch, store.find_candidates(batch, RULES), RULES)
    assert result.matched_existing == 1 and result.new_companies == 0


def test_a_city_under_another_name_is_the_same_place(store: Store) -> None:
    """München stored, Munich read (and back): found by name and city, with no key in common."""
    store.load([_company("Brightway Leuchten GmbH", "b2b/1", city="München", country="DE")])
    batch = [lead("Brightway Leuchten GmbH", site="yp", url="yp/7", city="Munich", country="DE")]
    result = resolve(batch, store.find_candidates(batch, RULES), RULES)
    assert result.matched_existing == 1 and result.new_companies == 0


def test_a_company_stored_before_its_city_alias_was_known_is_still_found(store: Store) -> None:
    """Keys written by an older version have only the city as written; newer ones its GeoNames name too.

    A lead in "München" looks a name word up under both, so it finds the company stored
    by an older version (only "munchen" keys) and the one stored since as "Munich".
    """
    store.load([_company("Brightway Leuchten GmbH", "b2b/1", city="München", country="DE")])
    keys = sa.table("company_keys", sa.column("key", sa.Text))
    with store.engine.begin() as conn:  # as an older version wrote them: no "munich" keys
        gone = conn.execute(sa.delete(keys).where(keys.c.key.like("nc:%|munich"))).rowcount
    assert gone > 0
    store.load([_company("Brightway Leuchten", "b2b/2", city="Munich", country="DE")])
    batch = [lead("Brightway Leuchten GmbH", site="yp", url="yp/7", city="München", country="DE")]
    found = store.find_candidates(batch, RULES)
    names = {c.name for c in store.get_companies(r.company_id for r in found.records)}
    assert names == {"Brightway Leuchten GmbH", "Brightway Leuchten"}


def test_migration_0004_gives_companies_stored_before_it_their_city_alias_keys(store: Store) -> None:
    """A store written before city aliases: upgraded, a lead writing "Munich" finds its "München" company."""
    from alembic import command
    from alembic.config import Config

    from pipeline.store import MIGRATIONS

    store.load([_company("Brightway Leuchten GmbH", "b2b/1", city="München", country="DE"),
                _company("Harper Valve Inc", "b2b/2", city="Houston", country="US")])
    keys = sa.table("company_keys", sa.column("key", sa.Text))
    with store.engine.begin() as conn:  # as an older version wrote them: no "munich" keys
        conn.execute(sa.delete(keys).where(keys.c.key.like("nc:%|munich")))
    before = _key_count(store)
    batch = [lead("Brightway Leuchten GmbH", site="yp", url="yp/7", city="Munich", country="DE")]
    assert not store.find_candidates(batch, RULES).records, "not found by name and city before the upgrade"

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.stamp(config, "0003")
        command.upgrade(config, "head")
    assert _key_count(store) == before + 2, "nc:brightway|DE|munich and nc:leuchten|DE|munich, nothing else"
    result = resolve(batch, store.find_candidates(batch, RULES), RULES)
    assert result.matched_existing == 1 and result.new_companies == 0
    with store.engine.begin() as conn:  # run again: nothing to add
        config.attributes["connection"] = conn
        command.stamp(config, "0003")
        command.upgrade(config, "head")
    assert _key_count(store) == before + 2


def _key_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM company_keys")).scalar_one())
