"""The customer store: SQLAlchemy Core over SQLite (default) or PostgreSQL.

Writes are idempotent: a listing (site + URL) is one source row whatever the
number of runs that saw it, a company found again is updated in place, and a
whole night's load is one transaction, so a crash leaves the store as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from pipeline import schema as t
from pipeline.dedup import DedupRules, lead_keys, name_blocks
from pipeline.errors import StoreError
from pipeline.models import Company, Grade, Lead, Status
from pipeline.paths import default_db_url

CHUNK = 500
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


class Store:
    """One customer store, addressed by a SQLAlchemy URL (``LEADS_DB_URL``)."""

    def __init__(self, url: str | None = None):
        self.url = url or default_db_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = sa.create_engine(self.url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use store URL {self.safe_url}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

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

    # -- runs -------------------------------------------------------------

    def start_run(self, flow: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                sa.insert(t.runs).values(flow=flow, started_at=datetime.now(UTC), status="running",
                                         stats={})
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

    def find_candidates(self, leads: Sequence[Lead], rules: DedupRules) -> list[Company]:
        """Stored companies that share a listing, an exact key or a name block with ``leads``.

        Only indexed lookups: the store is never read whole. Name-token blocks
        that hold more companies than ``rules.max_block_size`` are skipped, as
        in :func:`pipeline.dedup.candidate_pairs`.
        """
        listing = sorted({lead.source_key for lead in leads})
        exact = sorted({k for lead in leads for k in lead_keys(lead) if not k.startswith("src:")})
        tokens = sorted({k for lead in leads for k in name_blocks(lead.name_key or "", lead.country)})
        ids: set[int] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(listing):
                ids.update(conn.execute(
                    sa.select(t.sources.c.company_id)
                    .where(sa.tuple_(t.sources.c.site, t.sources.c.listing).in_(list(chunk)))
                ).scalars())
            for chunk in _chunks(exact):
                ids.update(conn.execute(
                    sa.select(t.company_keys.c.company_id).where(t.company_keys.c.key.in_(chunk))
                ).scalars())
            for chunk in _chunks(tokens):
                small = conn.execute(
                    sa.select(t.company_keys.c.key)
                    .where(t.company_keys.c.key.in_(chunk))
                    .group_by(t.company_keys.c.key)
                    .having(sa.func.count() <= rules.max_block_size)
                ).scalars().all()
                for part in _chunks(list(small)):
                    ids.update(conn.execute(
                        sa.select(t.company_keys.c.company_id).where(t.company_keys.c.key.in_(part))
                    ).scalars())
            return self._companies(conn, sorted(ids))

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
        for chunk in _chunks(ids):
            rows.extend(conn.execute(sa.select(t.companies).where(t.companies.c.id.in_(chunk))))
            for company_id, lead in conn.execute(
                sa.select(t.sources.c.company_id, t.sources.c.lead)
                .where(t.sources.c.company_id.in_(chunk)).order_by(t.sources.c.id)
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

    def scores(self, exclude: Iterable[int] = ()) -> list[float]:
        """Scores of graded companies that have a contact channel (the ranking reference)."""
        excluded = set(exclude)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.companies.c.id, t.companies.c.score)
                .where(t.companies.c.grade.in_([g.value for g in (Grade.A, Grade.B, Grade.C)]))
                .where(t.companies.c.score.is_not(None))
            )
            return [float(score) for cid, score in rows if cid not in excluded]

    # -- writing companies -------------------------------------------------

    def load(self, companies: Sequence[Company], run_id: int | None = None) -> LoadResult:
        """Insert new companies, update known ones, upsert their sources and keys: one transaction.

        Idempotent: a "new" company whose listing is already stored (a retried
        load, or another process that got there first) updates that company
        instead of adding a second one. Ids are given to ``companies`` only
        after the commit, so a failed attempt leaves them as they were.
        """
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
            if new:
                result = conn.execute(
                    sa.insert(t.companies).returning(t.companies.c.id, sort_by_parameter_order=True),
                    [_company_row(companies[i]) | {"created_run_id": run_id, "updated_run_id": run_id}
                     for i in new],
                )
                for i, row in zip(new, result.all(), strict=True):
                    ids[i] = int(row[0])
            if old:
                conn.execute(
                    sa.update(t.companies).where(t.companies.c.id == sa.bindparam("b_id")),
                    [_company_row(companies[i]) | {"b_id": ids[i], "updated_run_id": run_id} for i in old],
                )
            source_rows = [
                {
                    "company_id": ids[i], "site": le.site, "listing": le.listing, "url": le.url,
                    "keyword_set": le.keyword_set,
                    "keyword": le.keyword, "language": le.language, "first_seen": _utc(le.seen_at),
                    "seen_at": _utc(le.seen_at), "run_id": run_id, "lead": le.model_dump(mode="json"),
                }
                for i, c in enumerate(companies) for le in c.sources
            ]
            for chunk in _chunks(source_rows, 1000):
                stmt = self._insert(t.sources).values(list(chunk))
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["site", "listing"],
                    set_={name: stmt.excluded[name] for name in
                          ("company_id", "url", "keyword_set", "keyword", "language", "seen_at", "run_id",
                           "lead")},
                ))
            key_rows = [{"key": k, "company_id": ids[i]} for i, c in enumerate(companies) for k in _stored_keys(c)]
            for chunk in _chunks(key_rows, 1000):
                conn.execute(self._insert(t.company_keys).values(list(chunk)).on_conflict_do_nothing())
            # A listing seen again is not a merge; the same merge found again is stored once.
            evidence_rows = [
                {"company_id": ids[i], "run_id": run_id, "left_ref": ev.left, "right_ref": ev.right,
                 "rule": ev.rule, "evidence": ev.model_dump(mode="json")}
                for i, c in enumerate(companies) for ev in c.evidence if ev.rule != "same_listing"
            ]
            for chunk in _chunks(evidence_rows, 1000):
                conn.execute(self._insert(t.match_evidence).values(list(chunk)).on_conflict_do_nothing())
        for company, cid in zip(companies, ids, strict=True):
            company.id = cid
        seen = sum(1 for key in all_sources if key in owner)
        return LoadResult(inserted=len(new), updated=len(old), new_sources=len(all_sources) - seen,
                          seen_sources=seen)

    def _source_owners(self, conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Which stored company each already-known listing belongs to."""
        owners: dict[tuple[str, str], int] = {}
        for chunk in _chunks(sorted(set(keys))):
            for site, listing, cid in conn.execute(
                sa.select(t.sources.c.site, t.sources.c.listing, t.sources.c.company_id)
                .where(sa.tuple_(t.sources.c.site, t.sources.c.listing).in_(list(chunk)))
            ):
                owners[(site, listing)] = cid
        return owners

    def _insert(self, table: sa.Table) -> Any:
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        if self.dialect == "sqlite":
            return sqlite.insert(table)
        raise StoreError(f"unsupported database {self.dialect}: use SQLite or PostgreSQL")

    # -- exports -----------------------------------------------------------

    def unsent(self, recipient: str, grades: Sequence[str]) -> list[Company]:
        """Companies never exported to ``recipient``, best first, invalid ones never."""
        sent = sa.select(t.exported_companies.c.company_id).where(
            t.exported_companies.c.recipient == recipient
        )
        query = (
            sa.select(t.companies)
            .where(t.companies.c.id.not_in(sent))
            .where(t.companies.c.status != Status.INVALID.value)
            .where(t.companies.c.grade.in_(list(grades)))
            .order_by(t.companies.c.grade, t.companies.c.score.desc(), t.companies.c.id)
        )
        with self.engine.connect() as conn:
            return [_company_from_row(row._mapping, []) for row in conn.execute(query)]

    def sources_of(self, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
        result: dict[int, list[tuple[str, str]]] = defaultdict(list)
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids)):
                for cid, site, url in conn.execute(
                    sa.select(t.sources.c.company_id, t.sources.c.site, t.sources.c.url)
                    .where(t.sources.c.company_id.in_(chunk)).order_by(t.sources.c.id)
                ):
                    result[cid].append((site, url))
        return result

    def record_export(self, recipient: str, path: str, fmt: str, company_ids: Sequence[int],
                      run_id: int | None = None) -> int:
        """Remember that these companies went to ``recipient``. Call only once the file exists."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            export_id = int(conn.execute(
                sa.insert(t.exports).values(recipient=recipient, path=path, format=fmt,
                                            rows=len(company_ids), created_at=now, run_id=run_id)
            ).inserted_primary_key[0])  # type: ignore[index]
            rows = [{"recipient": recipient, "company_id": cid, "export_id": export_id, "exported_at": now}
                    for cid in company_ids]
            for chunk in _chunks(rows, 1000):
                conn.execute(self._insert(t.exported_companies).values(list(chunk)).on_conflict_do_nothing())
            return export_id

    def exports(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(t.exports).order_by(t.exports.c.id))]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_GOLDEN_FIELDS = (
    "name", "name_key", "legal_form", "contact_name", "contact_title", "phone", "mobile", "fax",
    "email", "website", "domain", "street", "city", "region", "postcode", "country",
    "business_type", "main_products", "year_founded", "employees", "phones", "emails",
    "keyword_sets", "sites", "score", "first_seen", "last_seen",
)


def _company_row(company: Company) -> dict[str, Any]:
    row = {name: getattr(company, name) for name in _GOLDEN_FIELDS}
    row["grade"] = company.grade.value if company.grade else None
    row["status"] = company.status.value
    row["first_seen"] = _utc(company.first_seen) or datetime.now(UTC)
    row["last_seen"] = _utc(company.last_seen) or datetime.now(UTC)
    return row


def _company_from_row(row: Any, leads: list[Lead]) -> Company:
    data = {name: row[name] for name in _GOLDEN_FIELDS}
    data["first_seen"] = _utc(data["first_seen"])
    data["last_seen"] = _utc(data["last_seen"])
    return Company(id=row["id"], grade=row["grade"], status=row["status"], sources=leads, **data)


def _stored_keys(company: Company) -> set[str]:
    """The keys a later batch will look this company up by (listing keys live in ``sources``)."""
    keys: set[str] = set()
    for lead in company.sources:
        keys |= {k for k in lead_keys(lead) if not k.startswith("src:")}
        keys |= name_blocks(lead.name_key or "", lead.country)
    keys |= name_blocks(company.name_key, company.country)
    return {k for k in keys if len(k) <= 300}
