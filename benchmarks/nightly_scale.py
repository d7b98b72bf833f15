"""The nightly load at team scale: 100,000 fresh records into a store of 1,000,000 companies.

    .venv/bin/python -m benchmarks.nightly_scale --store sqlite|postgresql [--existing 1000000] [--fresh 100000]

Records come from :mod:`benchmarks.noisy_companies` (legal-form variants,
typos, phone formats, missing fields, look-alike companies). The store is
built once, by a child process, with one golden record per company of the
first part of the data and kept (``data/bench/``, or the PostgreSQL database
``leads_bench_<n>``), with the night's batch beside it (the next records:
some re-sightings of stored companies, mostly new ones, some of them twice).
Each run copies the store and puts the batch through the steps the nightly
flow runs after crawling: normalise, find candidates in the store, match,
grade, load, export. Each step's wall time and the process's peak memory
(RSS; the store was built by another process, so it is the night's alone)
are printed; the target is at most 60 s and 2 GB in all.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks.noisy_companies import COLUMNS, generate
from pipeline.batchgc import batch_gc
from pipeline.dedup import DedupResult, DedupRules, build_company, resolve
from pipeline.export import export_new
from pipeline.grade import GradingRules, assign_grades
from pipeline.models import Grade, Lead, Status
from pipeline.normalize import normalize_lead
from pipeline.paths import data_dir
from pipeline.store import LoadResult, Store

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FIELD = {name: i for i, name in enumerate(COLUMNS)}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lead_of(row: list[str], site: str) -> Lead:
    value = row.__getitem__
    return Lead(
        name=value(FIELD["name"]) or "(no name)",
        phones=[value(FIELD["phone"])] if value(FIELD["phone"]) else [],
        emails=[value(FIELD["email"])] if value(FIELD["email"]) else [],
        website=value(FIELD["website"]) or None, street=value(FIELD["street"]) or None,
        city=value(FIELD["city"]) or None, postcode=value(FIELD["postcode"]) or None,
        country=value(FIELD["country"]) or None, site=site, url=f"/{site}/{value(FIELD['record_id'])}",
        seen_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


@dataclass
class Data:
    existing: list[list[str]]  # one row per stored company
    fresh: list[list[str]]  # the night's batch
    known_entities: set[str]


def split(existing: int, fresh: int, seed: int) -> Data:
    """The first rows give the stored companies (first row of each entity); the next ones the batch."""
    rows = generate(int((existing + fresh) * 1.12), seed=seed)
    entity = FIELD["entity_id"]
    stored: dict[str, list[str]] = {}
    cut = len(rows)
    for index, row in enumerate(rows):
        if len(stored) >= existing:
            cut = index
            break
        stored.setdefault(row[entity], row)
    batch = rows[cut:cut + fresh]
    return Data(existing=list(stored.values()), fresh=batch, known_entities=set(stored))


@dataclass
class Batch:
    """The night's records, and the truth about them: how many are new companies, how many stored ones."""

    rows: list[list[str]]
    new_entities: int
    known_entities: int

    @staticmethod
    def path(existing: int, fresh: int, seed: int) -> Path:
        return data_dir() / "bench" / f"nightly-batch-{existing}-{fresh}-seed{seed}.csv"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            handle.write(json.dumps({"new": self.new_entities, "known": self.known_entities}) + "\n")
            csv.writer(handle).writerows(self.rows)

    @classmethod
    def load(cls, path: Path) -> Batch:
        with path.open(newline="", encoding="utf-8") as handle:
            truth = json.loads(handle.readline())
            return cls(list(csv.reader(handle)), truth["new"], truth["known"])


def chunks(items: list[list[str]], size: int) -> Iterator[list[list[str]]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def build_store(store: Store, data: Data) -> None:
    """One golden record per stored company, loaded the way nights load them."""
    rules, grading = DedupRules(), GradingRules()
    started = time.perf_counter()
    for number, part in enumerate(chunks(data.existing, 50_000)):
        companies = [build_company([normalize_lead(lead_of(row, "stored"))], None, rules) for row in part]
        assign_grades(companies, [], grading)
        store.load(companies)
        # sales already have these: the night's export is of the new ones only
        store.record_export("bench", "(built)", "csv", [c.id for c in companies if c.id is not None])
        print(f"  store: {min((number + 1) * 50_000, len(data.existing))} companies, "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


def store_url(kind: str, existing: int, seed: int) -> str:
    if kind == "sqlite":
        path = data_dir() / "bench" / f"nightly-store-{existing}-seed{seed}.db"
        return f"sqlite:///{path}"
    name = f"leads_bench_{existing}_seed{seed}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def is_built(kind: str, existing: int, fresh: int, seed: int) -> bool:
    store = Store(store_url(kind, existing, seed))
    try:
        store.migrate()
        count = store.count_companies()
    finally:
        store.dispose()
    if count and count != existing:
        raise SystemExit(f"{store.safe_url} holds a different store: remove it first")
    return count == existing and Batch.path(existing, fresh, seed).exists()


def build(kind: str, existing: int, fresh: int, seed: int) -> None:
    """Generate the data, build the store (if not built yet) and save the night's batch beside it."""
    started = time.perf_counter()
    data = split(existing, fresh, seed)
    print(f"generated {len(data.existing)} stored companies and a batch of {len(data.fresh)} in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    store = Store(store_url(kind, existing, seed))
    store.migrate()
    if not store.count_companies():
        print(f"building the store of {len(data.existing)} companies at {store.safe_url} (once)", file=sys.stderr)
        build_store(store, data)
    if kind == "postgresql":  # what autovacuum does after a bulk load on a server that runs it: planner
        # statistics, and the visibility map that lets lookups answer from an index alone
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    store.dispose()
    entities = {row[FIELD["entity_id"]] for row in data.fresh}
    Batch(data.fresh, len(entities - data.known_entities), len(entities & data.known_entities)).save(
        Batch.path(existing, fresh, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--fresh", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.store, args.existing, args.fresh, args.seed)
        return
    if not is_built(args.store, args.existing, args.fresh, args.seed):
        subprocess.run([sys.executable, "-m", "benchmarks.nightly_scale", "--build-only", *sys.argv[1:]],
                       check=True)
    batch = Batch.load(Batch.path(args.existing, args.fresh, args.seed))
    store = clone(args.store, store_url(args.store, args.existing, args.seed), args.existing, args.seed)
    gc.collect()

    with batch_gc():  # as the nightly flow does
        steps, found, result, loaded, total = night(store, batch)

    print(f"\n{args.store}: {len(batch.rows)} fresh records into {args.existing} companies")
    print(f"{'step':<28} {'seconds':>8} {'peak RSS MB':>12}")
    for name, seconds, mb in steps:
        print(f"{name:<28} {seconds:>8.1f} {mb:>12.0f}")
    print(f"{'total':<28} {total:>8.1f} {peak_mb():>12.0f}")
    print("find by part (s): " + ", ".join(f"{part} {sec:.1f}" for part, sec in found.items()))
    print("load by part (s): " + ", ".join(f"{part} {sec:.1f}" for part, sec in loaded.seconds.items()))
    print(f"\nnew companies {loaded.inserted} (truth: {batch.new_entities} new entities), "
          f"updated {loaded.updated} (truth: {batch.known_entities} stored ones seen again), "
          f"store now {store.count_companies()}")
    grades = sum(1 for c in result.companies if c.grade == Grade.A)
    print(f"graded {len(result.companies)} companies ({grades} A)")
    store.dispose()
    drop_clone(args.store, store.url)


def night(store: Store, batch: Batch) -> tuple[list[tuple[str, float, float]], dict[str, float], DedupResult,
                                              LoadResult, float]:
    """The steps of a night after the crawl, each timed, with the process's peak memory after it."""
    steps: list[tuple[str, float, float]] = []

    def step(name: str, began: float) -> None:
        steps.append((name, time.perf_counter() - began, peak_mb()))

    begin = t = time.perf_counter()
    leads = [normalize_lead(lead_of(row, "night")) for row in batch.rows]
    step("normalise", t)
    rules = DedupRules()
    with store.batch_lock():
        t = time.perf_counter()
        candidates = store.find_candidates(leads, rules)
        step(f"find candidates ({len(candidates)})", t)
        t = time.perf_counter()
        result = resolve(leads, candidates, rules)
        found = candidates.seconds
        del candidates
        step("match", t)
        t = time.perf_counter()
        reference = store.scores(exclude=[c.id for c in result.companies if c.id is not None])
        for index in store.dnc_matches(result.companies):
            result.companies[index].status = Status.INVALID
        assign_grades(result.companies, reference, GradingRules())
        del reference
        step("grade", t)
        t = time.perf_counter()
        loaded = store.load(result.companies)
        step("load", t)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        exported = export_new(store, "bench", Path(tmp))
        step(f"export ({exported.rows} rows)", t)
    return steps, found, result, loaded, time.perf_counter() - begin


def clone(kind: str, url: str, existing: int, seed: int) -> Store:
    """A throw-away copy of the built store, so every run loads into the same 1,000,000."""
    if kind == "sqlite":
        import shutil

        source = Path(url.removeprefix("sqlite:///"))
        target = source.with_name(f"run-{source.name}")
        # a WAL left by an earlier run would be replayed onto the fresh copy
        drop_clone(kind, f"sqlite:///{target}")
        shutil.copyfile(source, target)
        return Store(f"sqlite:///{target}")
    name = f"leads_bench_{existing}_seed{seed}"
    copy = f"{name}_run"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
        # FILE_COPY: the default (WAL_LOG) writes the whole copy through the WAL, and the checkpoint that
        # flushes it would run during the night being timed
        conn.execute(sa.text(f'CREATE DATABASE "{copy}" TEMPLATE "{name}" STRATEGY = FILE_COPY'))
        conn.execute(sa.text("CHECKPOINT"))
    admin.dispose()
    return Store(PG_ADMIN.rsplit("/", 1)[0] + f"/{copy}")


def drop_clone(kind: str, url: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
