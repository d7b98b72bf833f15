"""The customer store: SQLAlchemy Core over SQLite (default) or PostgreSQL.

Writes are idempotent: a listing (site + URL) is one source row whatever the
number of runs that saw it, a company found again is updated in place, and a
whole night's load is one transaction, so a crash leaves the store as it was.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pydantic_core
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from rapidfuzz import fuzz, process
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from pipeline import schema as t
from pipeline.crashpoints import crash_point
from pipeline.dedup import (
    GENERIC_NAME_TOKENS,
    Candidates,
    DedupRules,
    Record,
    contact_keys,
    record_of_stored,
)
from pipeline.errors import StoreError
from pipeline.models import Company, Grade, Lead, Status
from pipeline.normalize import city_fold, city_key
from pipeline.paths import default_db_url
from pipeline.script import has_cjk

CHUNK = 500
WRITE_CHUNK = 10_000  # rows per executemany
LOOKUP_CHUNK = 5000  # ids or keys per lookup query (sent as one array or JSON parameter): bounds one answer
PAIR_CHUNK = 250_000  # name pairs scored at once
PLACE_KEY_PREFIXES = ("nc:", "np:")  # name word in a place: for finding candidates, not for matching
BATCH_LOCK_KEY = 0x1EAD5  # pg_advisory_lock key of the match-and-load critical section
MAX_COMPANIES_PER_KEY = 20  # beyond this a phone/e-mail/domain is shared, not identifying
MIGRATIONS = Path(__file__).parent / "migrations"


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class LoadResult:
    inserted: int
    updated: int
    new_sources: int
    seen_sources: int
    inserted_ids: set[int] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each part of the load


class _Clock:
    """Wall time between laps, for the parts of a long write that a benchmark reports."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


class Store:
    """One customer store, addressed by a SQLAlchemy URL (``LEADS_DB_URL``)."""

    def __init__(self, url: str | None = None):
        self.url = _with_driver(url or default_db_url())
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            # pydantic's JSON reader and writer (Rust) for the JSON columns: json.loads of a
            # company's seven lists was a third of a large export's time
            self.engine: Engine = sa.create_engine(self.url, json_serializer=_to_json,
                                                   json_deserializer=pydantic_core.from_json)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use store URL {self.safe_url}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name == "postgresql" and (self.engine.dialect.driver != "psycopg"
                                                           or self.engine.dialect.is_async):
            # bulk writes use psycopg 3's COPY; another driver would fail in the middle of a night
            raise StoreError(f"cannot use store URL {self.safe_url}: PostgreSQL is reached through psycopg 3, "
                             "write postgresql+psycopg://user@host:5432/database")
        self._staged = 0  # staging tables made for bulk writes (PostgreSQL), for unique names

    @property
    def safe_url(self) -> str:
        """The URL without its password, for logs and messages."""
        try:
            return sa.engine.make_url(self.url).render_as_string(hide_password=True)
        except sa.exc.ArgumentError:
            return "<invalid URL>"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates it on first use)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot reach the store at {self.safe_url}: {exc.orig}") from exc

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def batch_lock(self) -> Iterator[None]:
        """Hold the store's batch lock: one process at a time matches and loads a batch.

        Matching reads the store and loading writes it; two flows doing both at
        once could each decide a company is new and add it twice. PostgreSQL
        uses an advisory lock (released if the process dies); SQLite a lock
        file next to the database.
        """
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": BATCH_LOCK_KEY})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": BATCH_LOCK_KEY})
                    conn.commit()
        elif self.dialect == "sqlite" and self.url.startswith("sqlite:///") and ":memory:" not in self.url:
            import fcntl

            lock_path = Path(self.url.removeprefix("sqlite:///") + ".lock")
            with lock_path.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            yield

    # -- runs -------------------------------------------------------------

    def start_run(self, flow: str) -> int:
        """A run row; runs of this host whose process is gone are marked "crashed" first."""
        import os
        import socket

        host = socket.gethostname()
        with self.engine.begin() as conn:
            for run_id, stats in conn.execute(sa.select(t.runs.c.id, t.runs.c.stats)
                                              .where(t.runs.c.status == "running")).all():
                owner = (stats or {}).get("_process", {})
                if owner.get("host") == host and not _alive(int(owner.get("pid", 0))):
                    conn.execute(sa.update(t.runs).where(t.runs.c.id == run_id)
                                 .values(status="crashed", finished_at=datetime.now(UTC)))
            result = conn.execute(
                sa.insert(t.runs).values(flow=flow, started_at=datetime.now(UTC), status="running",
                                         stats={"_process": {"host": host, "pid": os.getpid()}})
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(t.runs).where(t.runs.c.id == run_id)
                .values(finished_at=datetime.now(UTC), status=status, stats=stats)
            )

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.runs).order_by(t.runs.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]

    # -- reading companies ------------------------------------------------

    def count_companies(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.companies)).scalar_one())

    def count_sources(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.sources)).scalar_one())

    def find_candidates(self, leads: Sequence[Lead], rules: DedupRules, words_per_lead: int = 2) -> Candidates:
        """Stored companies that share a listing, an exact key or a name word and place with ``leads``.

        Only indexed lookups: the store is never read whole. Of a lead's name
        words, the ``words_per_lead`` rarest in its place are used, and a word
        shared by more than ``rules.max_block_size`` stored companies never:
        each lead brings a bounded number of candidates however big the store.
        Candidates come back as match records (a company row and its keys);
        the few a lead joins are read whole later, through ``fetch``.
        """
        clock = _Clock()
        listing = sorted({lead.source_key for lead in leads})
        exact = sorted({k for lead in leads for k in contact_keys(lead)})
        per_lead = [place_name_keys(lead.name_key, lead.country, lead.city, lead.postcode) for lead in leads]
        tokens = sorted(set().union(*per_lead)) if per_lead else []
        ids: set[int] = set()
        with self.engine.connect() as conn:
            ids.update(self._source_owners(conn, listing).values())
            clock.lap("listings")
            # A phone, e-mail or website shared by many stored companies (a switchboard, a
            # chain's site) identifies none of them: matching ignores it, so it brings no candidates.
            for chunk in _chunks(exact, LOOKUP_CHUNK):
                keys = [key for key, in self._rows(
                    conn, sa.select(t.company_keys.c.key).where(self._among(t.company_keys.c.key, chunk))
                    .group_by(t.company_keys.c.key).having(sa.func.count() <= MAX_COMPANIES_PER_KEY)
                )]
                ids.update(company_id for company_id, in self._rows(
                    conn, sa.select(t.company_keys.c.company_id).where(self._among(t.company_keys.c.key, keys))
                ))
            clock.lap("contacts")
            sizes: dict[str, int] = {}
            for chunk in _chunks(tokens, LOOKUP_CHUNK):
                sizes.update((key, int(n)) for key, n in self._rows(
                    conn, sa.select(t.company_keys.c.key, sa.func.count())
                    .where(self._among(t.company_keys.c.key, chunk))
                    .group_by(t.company_keys.c.key)
                    .having(sa.func.count() <= rules.max_block_size)
                ))
            chosen = [_rarest_words(keys, sizes, words_per_lead) for keys in per_lead]
            clock.lap("block sizes")
            ids.update(self._alike_in_place(conn, leads, chosen, rules))
            clock.lap("names in place")
            records = self._match_records(conn, sorted(ids))
            clock.lap("records")
        return Candidates(records, self.get_companies, seconds=clock.laps)

    def _alike_in_place(self, conn: Connection, leads: Sequence[Lead], chosen: Sequence[Sequence[str]],
                        rules: DedupRules) -> set[int]:
        """Stored companies sharing a name word and a place with a lead whose name may pass the place rule.

        ``similar_name_same_place`` needs a name score of ``name_with_place``,
        and that score is never above the plain ratio of the two sorted names:
        a company below it in that ratio cannot match by name and place, so it
        is left out here instead of being read and compared. A Chinese name
        against a Latin one is scored otherwise, and always kept.
        """
        keys = sorted({k for keys_of_lead in chosen for k in keys_of_lead})
        code_of = {key: code for code, key in enumerate(keys)}
        key_codes: list[int] = []
        company_ids: list[int] = []
        for part in _chunks(keys, LOOKUP_CHUNK):
            rows = self._rows(conn, sa.select(t.company_keys.c.key, t.company_keys.c.company_id)
                              .where(self._among(t.company_keys.c.key, part)))
            key_codes.extend(code_of[key] for key, _ in rows)
            company_ids.extend(company_id for _, company_id in rows)
        if not company_ids:
            return set()
        # Each stored company once, in id order: ``theirs`` below are positions in ``ids``.
        ids, position = np.unique(np.asarray(company_ids, dtype=np.int64), return_inverse=True)
        # Members of each key, contiguous: block k is position[by_key[start[k]:start[k + 1]]].
        codes = np.asarray(key_codes, dtype=np.int64)
        by_key = np.argsort(codes, kind="stable")
        start = np.searchsorted(codes[by_key], np.arange(len(keys) + 1))
        pair_lead = np.fromiter((i for i, lead_chosen in enumerate(chosen) for _ in lead_chosen), dtype=np.int64)
        pair_code = np.fromiter((code_of[k] for lead_chosen in chosen for k in lead_chosen), dtype=np.int64)
        size = start[pair_code + 1] - start[pair_code]
        mine = np.repeat(pair_lead, size)
        first = np.repeat(start[pair_code] - np.concatenate(([0], np.cumsum(size)[:-1])), size)
        theirs = position[by_key[first + np.arange(len(mine))]]
        if not len(mine):
            return set()
        # Names come from the (id, name_key) index in id order, not from a random page of the table each.
        name_of: dict[int, str] = {}
        for part in _chunks(ids.tolist(), LOOKUP_CHUNK):
            name_of.update(self._rows(
                conn, sa.select(t.companies.c.id, t.companies.c.name_key).where(self._among(t.companies.c.id, part))))
        names = [name_of.get(company_id) or "" for company_id in ids.tolist()]
        lead_names = [lead.name_key or "" for lead in leads]
        lead_sorted = np.array([" ".join(sorted(n.split())) for n in lead_names] + [None], dtype=object)[:-1]
        stored_sorted = np.array([" ".join(sorted(n.split())) for n in names] + [None], dtype=object)[:-1]
        mixed = (np.fromiter(map(has_cjk, lead_names), dtype=bool, count=len(leads))[mine]
                 != np.fromiter(map(has_cjk, names), dtype=bool, count=len(names))[theirs])
        kept = set(ids[theirs[mixed]].tolist())
        mine, theirs = mine[~mixed], theirs[~mixed]
        for at in range(0, len(mine), PAIR_CHUNK):  # rapidfuzz copies every string it is given
            window = slice(at, at + PAIR_CHUNK)
            scores = process.cpdist(lead_sorted[mine[window]], stored_sorted[theirs[window]], scorer=fuzz.ratio,
                                    dtype=np.float32, score_cutoff=rules.name_with_place - 0.5, workers=-1)
            kept.update(ids[theirs[window][scores > 0]].tolist())
        return kept

    def _match_records(self, conn: Connection, ids: Sequence[int]) -> list[Record]:
        """Stored companies as matching reads them: the row's fields, the stored keys and listings."""
        keys: dict[int, set[str]] = defaultdict(set)
        records: list[Record] = []
        c = t.companies.c
        for chunk in _chunks(ids, LOOKUP_CHUNK):
            for company_id, key in self._rows(
                conn, sa.select(t.company_keys.c.company_id, t.company_keys.c.key)
                .where(self._among(t.company_keys.c.company_id, chunk))
            ):
                if not key.startswith(PLACE_KEY_PREFIXES):
                    keys[company_id].add(key)
            for company_id, site, listing in self._rows(
                conn, sa.select(t.sources.c.company_id, t.sources.c.site, t.sources.c.listing)
                .where(self._among(t.sources.c.company_id, chunk))
            ):
                keys[company_id].add(f"src:{site}|{listing}")
            records.extend(
                record_of_stored(company_id, name_key, keys.pop(company_id, set()), city, postcode, country, domain,
                                 street)
                for company_id, name_key, city, postcode, country, domain, street in self._rows(
                    conn, sa.select(c.id, c.name_key, c.city, c.postcode, c.country, c.domain, c.street)
                    .where(self._among(c.id, chunk)).order_by(c.id)
                )
            )
        return records

    def recent_listings(self, site: str, since: datetime) -> list[str]:
        """Listings of ``site`` seen at or after ``since``: the crawl need not fetch them again."""
        with self.engine.connect() as conn:
            return list(conn.execute(
                sa.select(t.sources.c.listing).where(t.sources.c.site == site)
                .where(t.sources.c.seen_at >= since).order_by(t.sources.c.listing)
            ).scalars())

    def touch_listings(self, site: str, listings: Sequence[str], when: datetime) -> int:
        """Mark listings met again in result pages as seen, and their companies too."""
        touched = 0
        with self.engine.begin() as conn:
            for chunk in _chunks(sorted(set(listings))):
                touched += conn.execute(
                    sa.update(t.sources).where(t.sources.c.site == site)
                    .where(t.sources.c.listing.in_(chunk)).values(seen_at=when)
                ).rowcount or 0
                owners = sa.select(t.sources.c.company_id).where(t.sources.c.site == site) \
                    .where(t.sources.c.listing.in_(chunk))
                conn.execute(sa.update(t.companies).where(t.companies.c.id.in_(owners))
                             .where(t.companies.c.last_seen < when).values(last_seen=when))
        return touched

    def get_companies(self, ids: Iterable[int]) -> list[Company]:
        with self.engine.connect() as conn:
            return self._companies(conn, sorted(set(ids)))

    def _companies(self, conn: Connection, ids: Sequence[int]) -> list[Company]:
        leads: dict[int, list[Lead]] = defaultdict(list)
        rows: list[Any] = []
        for chunk in _chunks(ids, LOOKUP_CHUNK):
            rows.extend(conn.execute(sa.select(t.companies).where(self._among(t.companies.c.id, chunk))))
            for company_id, lead in conn.execute(
                sa.select(t.sources.c.company_id, t.sources.c.lead)
                .where(self._among(t.sources.c.company_id, chunk)).order_by(t.sources.c.company_id, t.sources.c.id)
            ):
                leads[company_id].append(Lead.model_validate(lead))
        return [_company_from_row(row._mapping, leads[row.id]) for row in rows]

    def evidence_of(self, company_id: int) -> list[dict[str, Any]]:
        """Every merge recorded for a company, oldest first: what ``leads explain`` shows."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.match_evidence.c.run_id, t.match_evidence.c.evidence)
                .where(t.match_evidence.c.company_id == company_id).order_by(t.match_evidence.c.id)
            )
            return [{"run_id": run_id, **evidence} for run_id, evidence in rows]

    def scores(self, exclude: Iterable[int] = ()) -> np.ndarray:
        """Scores of graded companies that have a contact channel (the ranking reference), as an array."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.companies.c.id, t.companies.c.score)
                .where(t.companies.c.grade.in_([g.value for g in (Grade.A, Grade.B, Grade.C)]))
                .where(t.companies.c.score.is_not(None))
            ).all()
        if not rows:
            return np.zeros(0, dtype=np.float64)
        ids, scores = (np.array(column) for column in zip(*rows, strict=True))
        excluded = np.fromiter(set(exclude), dtype=np.int64)
        return scores.astype(np.float64)[~np.isin(ids, excluded)] if len(excluded) else scores.astype(np.float64)

    # -- writing companies -------------------------------------------------

    def load(self, companies: Sequence[Company], run_id: int | None = None) -> LoadResult:
        """Insert new companies, update known ones, upsert their sources and keys: one transaction.

        Idempotent: a "new" company whose listing is already stored (a retried
        load, or another process that got there first) updates that company
        instead of adding a second one. Ids are given to ``companies`` only
        after the commit, so a failed attempt leaves them as they were.
        Listings and keys are written in index order, so that a night's inserts
        into the indexes of a store of millions touch each page once.
        """
        clock = _Clock()
        all_sources = [le.source_key for c in companies for le in c.sources]
        with self.engine.begin() as conn:
            owner = self._source_owners(conn, all_sources)
            ids: list[int | None] = []
            for c in companies:
                stored = c.id
                if stored is None:
                    stored = next((owner[le.source_key] for le in c.sources if le.source_key in owner), None)
                ids.append(stored)
            new = [i for i, cid in enumerate(ids) if cid is None]
            old = [i for i, cid in enumerate(ids) if cid is not None]
            clock.lap("owners")
            inserted = self._insert_companies(
                conn, [_company_row(companies[i]) | {"created_run_id": run_id, "updated_run_id": run_id} for i in new])
            for i, company_id in zip(new, inserted, strict=True):
                ids[i] = company_id
            clock.lap("insert")
            crash_point("load:companies-written")
            previous = self._grades(conn, [ids[i] for i in old]) if old else {}
            self._update_by_id(conn, t.companies, [
                {"id": ids[i], **_company_row(companies[i]), "updated_run_id": run_id} for i in old])
            clock.lap("update")
            self._record_grades(conn, [(ids[i], companies[i], previous.get(ids[i])) for i in range(len(companies))],
                                run_id)
            clock.lap("companies")
            source_rows = sorted((
                {
                    "company_id": ids[i], "site": le.site, "listing": le.listing, "url": le.url,
                    "keyword_set": le.keyword_set,
                    "keyword": le.keyword, "language": le.language, "first_seen": _utc(le.seen_at),
                    "seen_at": _utc(le.seen_at), "run_id": run_id,
                    "lead": le.model_dump_json(exclude_defaults=True),
                }
                for i, c in enumerate(companies) for le in c.sources
            ), key=lambda row: (row["site"], row["listing"]))
            self._write(conn, t.sources, source_rows, conflict=("site", "listing"), json_text=("lead",),
                        update=("company_id", "url", "keyword_set", "keyword", "language", "seen_at", "run_id",
                                "lead"))
            clock.lap("sources")
            # in key order: random inserts into the key index of a big store cost three times as much
            # A new company's keys cannot be stored yet (its id is new): they skip the conflict check,
            # which on PostgreSQL means one COPY straight into the table instead of a staging table.
            for part, conflict in ((new, ()), (old, ("key", "company_id"))):
                key_rows = sorted({(k, ids[i]) for i in part for k in _stored_keys(companies[i])},
                                  key=itemgetter(0))
                self._write(conn, t.company_keys, [{"key": key, "company_id": cid} for key, cid in key_rows],
                            conflict=conflict)
            clock.lap("keys")
            # A listing seen again is not a merge; the same merge found again is stored once.
            evidence_rows = [
                {"company_id": ids[i], "run_id": run_id, "left_ref": ev.left, "right_ref": ev.right,
                 "rule": ev.rule, "evidence": ev.model_dump(mode="json")}
                for i, c in enumerate(companies) for ev in c.evidence if ev.rule != "same_listing"
            ]
            self._write(conn, t.match_evidence, evidence_rows, conflict=("company_id", "left_ref", "right_ref", "rule"))
            clock.lap("evidence")
        clock.lap("commit")
        for company, cid in zip(companies, ids, strict=True):
            company.id = cid
        seen = sum(1 for key in all_sources if key in owner)
        return LoadResult(inserted=len(new), updated=len(old), new_sources=len(all_sources) - seen,
                          seen_sources=seen, inserted_ids={ids[i] for i in new if ids[i] is not None},
                          seconds=clock.laps)

    def _grades(self, conn: Connection, ids: Sequence[int | None]) -> dict[int, str | None]:
        found: dict[int, str | None] = {}
        for chunk in _chunks(sorted({i for i in ids if i is not None}), LOOKUP_CHUNK):
            found.update((cid, grade) for cid, grade in conn.execute(
                sa.select(t.companies.c.id, t.companies.c.grade).where(self._among(t.companies.c.id, chunk))))
        return found

    def _record_grades(self, conn: Connection, items: Sequence[tuple[int | None, Company, str | None]],
                       run_id: int | None) -> int:
        """A history row for every company whose grade is new or changed."""
        now = datetime.now(UTC)
        rows = [{"company_id": cid, "run_id": run_id, "grade": c.grade.value, "previous_grade": before,
                 "score": c.score, "at": now}
                for cid, c, before in items if c.grade is not None and c.grade.value != before]
        self._write(conn, t.grade_history, rows)
        return len(rows)

    def iter_companies(self, chunk: int = 5000) -> Iterator[list[Company]]:
        """Every company without its sources, in id order, a chunk at a time (for re-grading)."""
        last = 0
        with self.engine.connect() as conn:
            while True:
                rows = conn.execute(sa.select(t.companies).where(t.companies.c.id > last)
                                    .order_by(t.companies.c.id).limit(chunk)).all()
                if not rows:
                    return
                last = rows[-1].id
                yield [_company_from_row(row._mapping, []) for row in rows]

    def save_grades(self, companies: Sequence[Company], run_id: int | None) -> int:
        """New scores and grades for stored companies, with history for the changes; one transaction."""
        with self.engine.begin() as conn:
            previous = self._grades(conn, [c.id for c in companies])
            for chunk in _chunks(list(companies), 1000):
                conn.execute(sa.update(t.companies).where(t.companies.c.id == sa.bindparam("b_id")),
                             [{"b_id": c.id, "grade": c.grade.value if c.grade else None, "score": c.score}
                              for c in chunk])
            return self._record_grades(conn, [(c.id, c, previous.get(c.id or -1)) for c in companies], run_id)

    def grade_history(self, company_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                sa.select(t.grade_history).where(t.grade_history.c.company_id == company_id)
                .order_by(t.grade_history.c.id))]

    def _source_owners(self, conn: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Which stored company each already-known listing belongs to.

        Looked up a site at a time (``site = ? AND listing IN (...)``): SQLite
        does not use the (site, listing) index for a list of pairs.
        """
        by_site: dict[str, set[str]] = defaultdict(set)
        for site, listing in keys:
            by_site[site].add(listing)
        owners: dict[tuple[str, str], int] = {}
        for site, listings in sorted(by_site.items()):
            for chunk in _chunks(sorted(listings), LOOKUP_CHUNK):
                for listing, cid in self._rows(
                    conn, sa.select(t.sources.c.listing, t.sources.c.company_id)
                    .where(t.sources.c.site == site).where(self._among(t.sources.c.listing, chunk))
                ):
                    owners[(site, listing)] = cid
        return owners

    def _insert_companies(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert company rows and return their ids, in order.

        PostgreSQL draws the ids from the table's sequence (safe with other
        writers) and the rows go in by COPY. SQLite can only return ids a row
        at a time (SQLAlchemy's "insertmanyvalues" cannot order its RETURNING
        rows there), which costs minutes at a million rows; but a SQLite
        transaction that has written holds the only write lock,
        and each new row id is one above the largest, so the first row's id
        is returned and the others are read back in id order after one
        executemany.
        """
        if not rows:
            return []
        if self.dialect == "postgresql":  # ids drawn from the sequence first, then one COPY
            ids = [int(i) for i in conn.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence('companies', 'id')) FROM generate_series(1, :n)"),
                {"n": len(rows)}).scalars()]
            self._write(conn, t.companies, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
            return ids
        first = int(conn.execute(sa.insert(t.companies).returning(t.companies.c.id), rows[0]).scalar_one())
        self._write(conn, t.companies, rows[1:])
        ids = [first, *conn.execute(sa.select(t.companies.c.id).where(t.companies.c.id > first)
                                    .order_by(t.companies.c.id)).scalars()]
        if len(ids) != len(rows):
            raise StoreError(f"inserted {len(rows)} companies but found {len(ids)} new rows: another writer?")
        return ids

    def _write(self, conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]], *,
               conflict: Sequence[str] = (), update: Sequence[str] = (), json_text: Sequence[str] = ()) -> None:
        """Insert ``rows`` (dicts with the same keys, in the same order) in bulk.

        On a ``conflict`` of those columns the row is skipped, or its ``update``
        columns are overwritten. ``json_text`` names JSON columns whose values
        are serialised already (pydantic's serialiser is several times faster
        than ``json.dumps`` of ``model_dump``). SQLite rows go to the driver's
        executemany as tuples, through the columns' own bind processors:
        SQLAlchemy's per-row parameter handling was half of a large load there.
        PostgreSQL rows go in by COPY (:meth:`_copy`).
        """
        if not rows:
            return
        columns = list(rows[0])
        if self.dialect == "sqlite":
            dialect = self.engine.dialect
            quote = dialect.identifier_preparer.quote
            processors = [None if name in json_text else table.c[name].type.bind_processor(dialect)
                          for name in columns]
            sql = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            if conflict:
                sql += f" ON CONFLICT ({', '.join(map(quote, conflict))}) DO "
                sql += ("UPDATE SET " + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
                        if update else "NOTHING")
            convert = [(i, f) for i, f in enumerate(processors) if f is not None]
            for chunk in _chunks(rows, WRITE_CHUNK):
                values = [list(row.values()) for row in chunk]
                for i, f in convert:
                    for value in values:
                        value[i] = f(value[i])
                conn.exec_driver_sql(sql, [tuple(v) for v in values])
            return
        if self.dialect == "postgresql":
            with self._driver_errors(f"COPY into {table.name}"):
                self._copy(conn, table, rows, conflict, update, json_text)
            return
        raise StoreError(f"unsupported database {self.dialect}: use SQLite or PostgreSQL")

    def _copy(self, conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]], conflict: Sequence[str],
              update: Sequence[str], json_text: Sequence[str]) -> None:
        """PostgreSQL's bulk path: COPY, through a staging table when rows may conflict.

        COPY takes no ON CONFLICT, so conflicting rows are copied into a
        temporary table of the same columns (dropped at commit) and moved with
        one INSERT ... SELECT ... ON CONFLICT. Ten times the rate of batched
        INSERTs on a store of a million companies.
        """
        from psycopg import sql  # identifiers composed by the driver: values only ever go through COPY

        columns = list(rows[0])
        names = sql.SQL(", ").join(map(sql.Identifier, columns))
        with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            target = self._staging(cursor, table, columns) if conflict else sql.Identifier(table.name)
            self._copy_into(cursor, target, table, rows, json_text)
            if conflict:
                keys = sql.SQL(", ").join(map(sql.Identifier, conflict))
                action = (sql.SQL("UPDATE SET ") + sql.SQL(", ").join(
                    sql.SQL("{} = excluded.{}").format(sql.Identifier(c), sql.Identifier(c)) for c in update)
                    if update else sql.SQL("NOTHING"))
                # one row per key: ON CONFLICT DO UPDATE may not touch a row twice in one statement
                if update:
                    query = sql.SQL("INSERT INTO {} ({}) SELECT DISTINCT ON ({}) {} FROM {} ORDER BY {} "
                                    "ON CONFLICT ({}) DO {}").format(sql.Identifier(table.name), names, keys, names,
                                                                     target, keys, keys, action)
                else:
                    query = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT ({}) DO {}").format(
                        sql.Identifier(table.name), names, names, target, keys, action)
                cursor.execute(query)

    def _update_by_id(self, conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
        """Overwrite the given columns of the rows with these ``id``s (every dict has "id" and the same keys).

        PostgreSQL: COPY into a staging table and one UPDATE ... FROM, instead
        of a statement per row (the night's 14,000 updates took 2 s that way).
        """
        if not rows:
            return
        if self.dialect != "postgresql":
            columns = [name for name in rows[0] if name != "id"]
            conn.execute(sa.update(table).where(table.c.id == sa.bindparam("b_id"))
                         .values({name: sa.bindparam(name) for name in columns}),
                         [{**{name: row[name] for name in columns}, "b_id": row["id"]} for row in rows])
            return
        from psycopg import sql

        columns = list(rows[0])
        with self._driver_errors(f"UPDATE {table.name}"), \
                conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            staged = self._staging(cursor, table, columns)
            self._copy_into(cursor, staged, table, rows, ())
            cursor.execute(sql.SQL("UPDATE {} AS t SET {} FROM {} AS s WHERE t.id = s.id").format(
                sql.Identifier(table.name),
                sql.SQL(", ").join(sql.SQL("{} = s.{}").format(sql.Identifier(c), sql.Identifier(c))
                                   for c in columns if c != "id"),
                staged))

    @contextmanager
    def _driver_errors(self, what: str) -> Iterator[None]:
        """The driver's errors raised as SQLAlchemy raises them elsewhere (callers catch ``DBAPIError``)."""
        driver_error = self.engine.dialect.loaded_dbapi.Error
        try:
            yield
        except driver_error as exc:
            raise sa.exc.DBAPIError.instance(what, None, exc, driver_error) from exc

    def _staging(self, cursor: Any, table: sa.Table, columns: Sequence[str]) -> Any:
        """A temporary table with ``columns`` of ``table``, dropped at commit."""
        from psycopg import sql

        self._staged += 1
        target = sql.Identifier(f"staging_{table.name}_{self._staged}")
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
            target, sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table.name)))
        return target

    @staticmethod
    def _copy_into(cursor: Any, target: Any, table: sa.Table, rows: Sequence[dict[str, Any]],
                   json_text: Sequence[str]) -> None:
        """COPY ``rows`` into ``target``; JSON columns serialised here unless named in ``json_text``."""
        from psycopg import sql

        columns = list(rows[0])
        as_json = [i for i, name in enumerate(columns)
                   if isinstance(table.c[name].type, sa.JSON) and name not in json_text]
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                target, sql.SQL(", ").join(map(sql.Identifier, columns)))) as copy:
            for row in rows:
                values = list(row.values())
                for i in as_json:
                    values[i] = _to_json(values[i])
                copy.write_row(values)

    def _rows(self, conn: Connection, query: sa.Select[Any]) -> list[Any]:
        """All rows of a bulk lookup, as tuples.

        On PostgreSQL the compiled query goes straight to the driver's cursor
        (in the connection's transaction): SQLAlchemy's result rows cost more
        than the server's answer for the night's million rows of ids and keys.
        Only for queries whose columns need no result processing (ints, text).
        """
        if self.dialect != "postgresql":
            return list(conn.execute(query).all())
        compiled = query.compile(dialect=self.engine.dialect)
        with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(str(compiled), compiled.params)
            return cursor.fetchall()

    def _among(self, column: sa.Column[Any], values: Sequence[Any]) -> sa.ColumnElement[bool]:
        """``column IN (values)``; on PostgreSQL ``column = ANY(array)``: one parameter instead of
        thousands (a night's lookups on PostgreSQL went from 9.5 s to 6.1 s with it).

        The array goes as one literal string, cast on the server: the driver
        adapts a list element by element in Python, which for the night's
        million ids cost more than the server took to answer.
        """
        if self.dialect == "postgresql":
            literal = sa.bindparam(None, _pg_array_literal(values), type_=sa.Text)
            return column == sa.any_(sa.cast(literal, postgresql.ARRAY(column.type)))
        # SQLite: one JSON parameter read by json_each (the index is still used for each value);
        # an IN list of thousands of parameters cost SQLAlchemy more to compile than SQLite to answer
        listed = sa.func.json_each(sa.bindparam(None, _to_json(list(values)), type_=sa.Text)).table_valued("value")
        return column.in_(sa.select(listed.c.value))

    def _insert(self, table: sa.Table) -> Any:
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        if self.dialect == "sqlite":
            return sqlite.insert(table)
        raise StoreError(f"unsupported database {self.dialect}: use SQLite or PostgreSQL")

    # -- feedback, contact log, do-not-contact ------------------------------

    def resolve_refs(self, refs: Sequence[str]) -> tuple[dict[str, int], list[str]]:
        """Company ids for feedback references (an id, or "domain:x"); and the unknown or ambiguous ones."""
        found: dict[str, int] = {}
        problems: list[str] = []
        ids = sorted({int(r) for r in refs if r.isdigit()})
        domains = sorted({r for r in refs if r.startswith("domain:")})
        with self.engine.connect() as conn:
            known: set[int] = set()
            for chunk in _chunks(ids):
                known.update(conn.execute(sa.select(t.companies.c.id).where(t.companies.c.id.in_(chunk))).scalars())
            owners: dict[str, set[int]] = defaultdict(set)
            for chunk in _chunks(domains):
                for key, cid in conn.execute(sa.select(t.company_keys.c.key, t.company_keys.c.company_id)
                                             .where(t.company_keys.c.key.in_(chunk))):
                    owners[key].add(cid)
        for ref in dict.fromkeys(refs):
            if ref.isdigit():
                if int(ref) in known:
                    found[ref] = int(ref)
                else:
                    problems.append(f"unknown company id {ref}")
            elif ref.startswith("domain:"):
                matches = owners.get(ref, set())
                if len(matches) == 1:
                    found[ref] = next(iter(matches))
                elif matches:
                    problems.append(f"{ref[7:]} belongs to several companies ({', '.join(map(str, sorted(matches)))}):"
                                    " use company_id")
                else:
                    problems.append(f"no company with domain {ref[7:]}")
            else:
                problems.append(f"cannot read company reference {ref!r}")
        return found, problems

    def statuses(self, ids: Sequence[int]) -> dict[int, Status]:
        with self.engine.connect() as conn:
            result: dict[int, Status] = {}
            for chunk in _chunks(sorted(set(ids))):
                result.update((cid, Status(st)) for cid, st in conn.execute(
                    sa.select(t.companies.c.id, t.companies.c.status).where(t.companies.c.id.in_(chunk))))
            return result

    def apply_feedback(self, entries: Sequence[Any], source: str) -> dict[str, int]:
        """Contact log rows, statuses, last contact and visit dates, do-not-contact: one transaction.

        ``entries`` are :class:`pipeline.feedback.FeedbackEntry`, already checked
        as a whole. Re-importing the same file adds nothing twice.
        """
        now = datetime.now(UTC)
        ordered = sorted(entries, key=lambda e: (e.company_id, e.row.contacted_at, e.row.line))
        counts = {"rows": len(ordered), "logged": 0, "status_changes": 0, "do_not_contact": 0}
        with self.engine.begin() as conn:
            current = {cid: Status(st) for cid, st in conn.execute(
                sa.select(t.companies.c.id, t.companies.c.status)
                .where(t.companies.c.id.in_(sorted({e.company_id for e in ordered}))))}
            final: dict[int, Status] = dict(current)
            last_contact: dict[int, datetime] = {}
            last_visit: dict[int, datetime] = {}
            dnc_companies: set[int] = set()
            for entry in ordered:
                row = entry.row
                before = final[entry.company_id]
                result = conn.execute(
                    self._insert(t.contact_log).values(
                        company_id=entry.company_id, contacted_at=row.contacted_at, way=row.way,
                        status_before=before.value, status_after=row.status.value,
                        reason_category=row.reason_category, reason=row.reason, note=row.note, source=source,
                        recorded_at=now,
                    ).on_conflict_do_nothing().returning(t.contact_log.c.id)
                )
                counts["logged"] += len(result.all())
                final[entry.company_id] = row.status
                cid = entry.company_id
                last_contact[cid] = max(row.contacted_at, last_contact.get(cid, row.contacted_at))
                if row.way == "visit":
                    last_visit[cid] = max(row.contacted_at, last_visit.get(cid, row.contacted_at))
                if row.reason_category == "do_not_contact":
                    dnc_companies.add(entry.company_id)
                    final[entry.company_id] = Status.INVALID
            for cid, status in final.items():
                values: dict[str, Any] = {"status": status.value}
                if status == Status.INVALID:
                    values["grade"] = "D"
                if cid in last_contact:
                    values["last_contact_at"] = sa.case(
                        (sa.or_(t.companies.c.last_contact_at.is_(None),
                                t.companies.c.last_contact_at < last_contact[cid]), last_contact[cid]),
                        else_=t.companies.c.last_contact_at)
                if cid in last_visit:
                    values["last_visit_at"] = sa.case(
                        (sa.or_(t.companies.c.last_visit_at.is_(None),
                                t.companies.c.last_visit_at < last_visit[cid]), last_visit[cid]),
                        else_=t.companies.c.last_visit_at)
                conn.execute(sa.update(t.companies).where(t.companies.c.id == cid).values(**values))
                counts["status_changes"] += int(status != current[cid])
            if dnc_companies:
                keys = conn.execute(
                    sa.select(t.company_keys.c.key).where(t.company_keys.c.company_id.in_(sorted(dnc_companies)))
                    .where(sa.or_(t.company_keys.c.key.like("domain:%"), t.company_keys.c.key.like("email:%"),
                                  t.company_keys.c.key.like("phone:%")))
                ).scalars().all()
                counts["do_not_contact"] = self._add_dnc(conn, keys, f"asked not to be contacted ({source})", now)
        return counts

    def add_dnc(self, keys: Sequence[str], reason: str) -> int:
        """Add do-not-contact entries; companies matching them become invalid (grade D) at once."""
        with self.engine.begin() as conn:
            return self._add_dnc(conn, keys, reason, datetime.now(UTC))

    def _add_dnc(self, conn: Connection, keys: Sequence[str], reason: str, now: datetime) -> int:
        added = 0
        for chunk in _chunks(sorted(set(keys))):
            added += len(conn.execute(self._insert(t.do_not_contact).values(
                [{"key": k, "reason": reason, "added_at": now} for k in chunk])
                .on_conflict_do_nothing().returning(t.do_not_contact.c.key)).all())
        conn.execute(sa.update(t.companies).where(t.companies.c.id.in_(_dnc_owners()))
                     .values(status=Status.INVALID.value, grade="D"))
        return added

    def remove_dnc(self, keys: Sequence[str]) -> int:
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(t.do_not_contact).where(t.do_not_contact.c.key.in_(list(keys)))).rowcount or 0

    def list_dnc(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.do_not_contact).order_by(t.do_not_contact.c.key))
            return [dict(r._mapping) for r in rows]

    def dnc_matches(self, companies: Sequence[Company]) -> set[int]:
        """Indexes of ``companies`` (not yet stored, or stored) that match the do-not-contact list."""
        with self.engine.connect() as conn:
            if conn.execute(sa.select(t.do_not_contact.c.key).limit(1)).first() is None:
                return set()  # nobody has asked not to be contacted: nothing to look up
        wanted: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(companies):
            for key in _dnc_candidate_keys(c):
                wanted[key].append(i)
        if not wanted:
            return set()
        hits: set[int] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(wanted), LOOKUP_CHUNK):
                for key in conn.execute(sa.select(t.do_not_contact.c.key)
                                        .where(t.do_not_contact.c.key.in_(chunk))).scalars():
                    hits.update(wanted[key])
        return hits

    def contact_history(self) -> dict[int, tuple[int, int]]:
        """Per company: (positive contacts, failed contacts) from the contact log."""
        positive = sa.func.sum(sa.case((t.contact_log.c.status_after.in_(["intended", "established"]), 1), else_=0))
        failed = sa.func.sum(sa.case((sa.or_(t.contact_log.c.status_after == "invalid",
                                             t.contact_log.c.reason_category.is_not(None)), 1), else_=0))
        with self.engine.connect() as conn:
            return {cid: (int(p or 0), int(f or 0)) for cid, p, f in conn.execute(
                sa.select(t.contact_log.c.company_id, positive, failed).group_by(t.contact_log.c.company_id))}

    def contact_log(self, company_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                sa.select(t.contact_log).where(t.contact_log.c.company_id == company_id)
                .order_by(t.contact_log.c.contacted_at, t.contact_log.c.id))]

    def enrichment_targets(self, ids: Iterable[int], limit: int = 5000) -> list[dict[str, Any]]:
        """Companies worth a visit to their own website: a website, but no e-mail or no named contact,
        and not visited before."""
        visited = sa.select(t.sources.c.company_id).where(t.sources.c.site == "website")
        wanted = sorted(set(ids))
        found: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = (sa.select(t.companies.c.id, t.companies.c.name, t.companies.c.website,
                                   t.companies.c.country)
                         .where(t.companies.c.id.in_(chunk)).where(t.companies.c.website.is_not(None))
                         .where(sa.or_(t.companies.c.email.is_(None), t.companies.c.contact_name.is_(None)))
                         .where(t.companies.c.id.not_in(visited)))
                found += [{"company_id": cid, "name": name, "website": web, "country": country}
                          for cid, name, web, country in conn.execute(query)]
                if len(found) >= limit:
                    break
        return found[:limit]

    # -- reporting -----------------------------------------------------------

    def breakdowns(self) -> dict[str, dict[str, int]]:
        """Companies by grade, status, country, source site and keyword set (SQL counts only)."""
        c, src = t.companies, t.sources
        with self.engine.connect() as conn:
            def counts(query: Any) -> dict[str, int]:
                return {str(k) if k is not None else "(none)": int(n) for k, n in conn.execute(query)}

            return {
                "grade": counts(sa.select(c.c.grade, sa.func.count()).group_by(c.c.grade).order_by(c.c.grade)),
                "status": counts(sa.select(c.c.status, sa.func.count()).group_by(c.c.status)),
                "country": counts(sa.select(c.c.country, sa.func.count()).group_by(c.c.country)
                                  .order_by(sa.func.count().desc()).limit(25)),
                "site": counts(sa.select(src.c.site, sa.func.count(sa.distinct(src.c.company_id)))
                               .group_by(src.c.site).order_by(src.c.site)),
                "keyword set": counts(sa.select(src.c.keyword_set, sa.func.count(sa.distinct(src.c.company_id)))
                                      .group_by(src.c.keyword_set).order_by(src.c.keyword_set)),
            }

    # -- exports -----------------------------------------------------------

    def exportable(self, recipient: str, grades: Sequence[str], countries: Sequence[str] = (),
                   include_sent: bool = False) -> list[tuple[Company, str | None]]:
        """Companies ``recipient`` may receive, best first, each with the fingerprint last sent (None: never).

        Invalid companies and those on the do-not-contact list never appear.
        """
        sent = sa.select(t.exported_companies.c.company_id, t.exported_companies.c.fingerprint).where(
            t.exported_companies.c.recipient == recipient).subquery()
        query = (
            sa.select(t.companies, sent.c.fingerprint, sent.c.company_id.label("sent_id"))
            .join(sent, sent.c.company_id == t.companies.c.id, isouter=True)
            .where(t.companies.c.id.not_in(_dnc_owners()))
            .where(t.companies.c.status != Status.INVALID.value)
            .where(t.companies.c.grade.in_(list(grades)))
            .order_by(t.companies.c.grade, t.companies.c.score.desc(), t.companies.c.id)
        )
        if countries:
            query = query.where(t.companies.c.country.in_([c.upper() for c in countries]))
        if not include_sent:
            query = query.where(sent.c.company_id.is_(None))
        with self.engine.connect() as conn:
            result = conn.execute(query)
            names = list(result.keys())
            rows = [dict(zip(names, row, strict=True)) for row in result.all()]  # plain dicts: read once each
        return [(_company_from_row(row, []), (row["fingerprint"] or "") if row["sent_id"] is not None else None)
                for row in rows]

    def unsent(self, recipient: str, grades: Sequence[str]) -> list[Company]:
        """Companies never exported to ``recipient``, best first."""
        return [c for c, _ in self.exportable(recipient, grades)]

    def sources_of(self, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
        result: dict[int, list[tuple[str, str]]] = defaultdict(list)
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids), LOOKUP_CHUNK):
                for cid, site, url in conn.execute(
                    sa.select(t.sources.c.company_id, t.sources.c.site, t.sources.c.url)
                    .where(self._among(t.sources.c.company_id, chunk)).order_by(t.sources.c.company_id, t.sources.c.id)
                ):
                    result[cid].append((site, url))
        return result

    def record_export(self, recipient: str, path: str, fmt: str, company_ids: Sequence[int],
                      run_id: int | None = None, fingerprints: dict[int, str] | None = None) -> int:
        """Remember that these companies went to ``recipient``. Call only once the file exists."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            export_id = int(conn.execute(
                sa.insert(t.exports).values(recipient=recipient, path=path, format=fmt,
                                            rows=len(company_ids), created_at=now, run_id=run_id)
            ).inserted_primary_key[0])  # type: ignore[index]
            rows = [{"recipient": recipient, "company_id": cid, "export_id": export_id, "exported_at": now,
                     "fingerprint": (fingerprints or {}).get(cid)} for cid in company_ids]
            self._write(conn, t.exported_companies, rows, conflict=("recipient", "company_id"),
                        update=("export_id", "exported_at", "fingerprint"))
            return export_id

    def exports(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(t.exports).order_by(t.exports.c.id))]


def _with_driver(url: str) -> str:
    """``postgresql://`` and ``postgres://`` as the psycopg 3 URL they mean (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _pg_array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal of ints or strings: ``{1,2}`` or ``{"a","b \\"c\\""}``."""
    items = list(values)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return "{" + ",".join(map(str, items)) + "}"
    return "{" + ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in items) + "}"


def _alive(pid: int) -> bool:
    import os

    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _to_json(value: Any) -> str:
    return pydantic_core.to_json(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL with NORMAL sync stays atomic and survives a crashed process; only a power cut
    # may lose the last commits. A 128 MB page cache keeps the key indexes of a store of
    # millions in memory while a night's batch is written.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


_GOLDEN_FIELDS = (
    "name", "name_key", "legal_form", "contact_name", "contact_title", "phone", "mobile", "fax",
    "email", "website", "domain", "street", "city", "region", "postcode", "country",
    "business_type", "main_products", "year_founded", "employees", "phones", "emails",
    "keyword_sets", "sites", "score", "first_seen", "last_seen", "badges", "certifications",
)
# Kept by the store, not by the crawl: a night's load never overwrites them.
_CONTACT_FIELDS = ("last_contact_at", "last_visit_at")


def _company_row(company: Company) -> dict[str, Any]:
    row = {name: getattr(company, name) for name in _GOLDEN_FIELDS}
    row["grade"] = company.grade.value if company.grade else None
    row["status"] = company.status.value
    row["first_seen"] = _utc(company.first_seen) or datetime.now(UTC)
    row["last_seen"] = _utc(company.last_seen) or datetime.now(UTC)
    return row


_LIST_FIELDS = ("main_products", "phones", "emails", "keyword_sets", "sites", "badges", "certifications")


def _company_from_row(row: Any, leads: list[Lead]) -> Company:
    data = {name: row[name] for name in _GOLDEN_FIELDS}
    for name in _LIST_FIELDS:
        data[name] = data[name] or []
    for name in ("first_seen", "last_seen"):
        data[name] = _utc(data[name])
    contact = {name: _utc(row[name]) for name in _CONTACT_FIELDS}
    return Company(id=row["id"], grade=row["grade"], status=row["status"], sources=leads, **data, **contact)


def _dnc_owners() -> Any:
    """Ids of companies that have a key on the do-not-contact list (a subquery)."""
    return sa.select(t.company_keys.c.company_id).where(
        t.company_keys.c.key.in_(sa.select(t.do_not_contact.c.key)))


def _dnc_candidate_keys(company: Company) -> set[str]:
    keys = {f"phone:{p}" for p in company.phones} | {f"email:{e}" for e in company.emails}
    if company.domain:
        keys.add(f"domain:{company.domain}")
    for lead in company.sources:
        keys |= contact_keys(lead)
    return keys


def place_name_keys(name_key: str | None, country: str | None, city: str | None, postcode: str | None) -> set[str]:
    """Name words tied to a place: "nc:word|country|city" and "np:word|postcode".

    Without a shared phone, e-mail or website, two records are one company only
    when their names are alike in the same city or postcode
    (``similar_name_same_place``), so a night's batch looks for stored
    companies that share a distinctive name word *and* a place: the blocks
    stay small in a store of millions, and no company the rules could match is
    missed.
    """
    # The city as written (folded) and under its GeoNames name ("München" and "munich"): a key
    # as written stays valid whatever the alias table learns, and the second meets "Munich".
    towns = {t for t in (city_fold(city), city_key(city, country)) if t}
    place = {w for t in towns for w in t.split()}  # "Ningbo" in the name of a Ningbo firm tells nothing
    words = [w for w in (name_key or "").split() if len(w) > 1 and w not in GENERIC_NAME_TOKENS
             and w not in place]
    keys: set[str] = set()
    for word in words:
        for town in towns:
            keys.add(f"nc:{word}|{country or '?'}|{town}")
        if postcode:
            keys.add(f"np:{word}|{postcode}")
    return keys


def _rarest_words(keys: Iterable[str], sizes: dict[str, int], words: int) -> list[str]:
    """The place keys of the ``words`` rarest name words, one key per word (its smaller block).

    A word's city key and postcode key mostly hold the same companies; two
    different words find a stored record that misspells one of them. A city
    key comes with the word's keys for the city's other name ("munchen" and
    "munich"): a company stored before the city's alias was known has only
    the first.
    """
    present = sorted((k for k in keys if k in sizes), key=lambda k: (sizes[k], k))
    chosen: list[str] = []
    taken: set[str] = set()
    for key in present:
        word = key[3:].split("|", 1)[0]
        if word not in taken:
            taken.add(word)
            chosen.append(key)
            if key.startswith("nc:"):
                chosen.extend(k for k in present if k != key and k.startswith(f"nc:{word}|"))
            if len(taken) == words:
                break
    return chosen


def _stored_keys(company: Company) -> set[str]:
    """The keys a later batch will look this company up by (listing keys live in ``sources``)."""
    keys: set[str] = set()
    for lead in company.sources:
        keys |= contact_keys(lead)
        keys |= place_name_keys(lead.name_key, lead.country, lead.city, lead.postcode)
    keys |= place_name_keys(company.name_key, company.country, company.city, company.postcode)
    return {k for k in keys if len(k) <= 300}
