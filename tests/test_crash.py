"""SIGKILL in the middle of a load or an export: a rerun leaves the store as a clean run would.

The processes are real (`leads run`, `leads export`); ``LEADS_CRASH_AT`` makes
them kill themselves with SIGKILL at a named point, which is what a dead
machine looks like to the store: no rollback code, no ``finally``.
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.paths import PROJECT_ROOT
from pipeline.store import Store
from sandbox.server import Sandbox

pytestmark = pytest.mark.e2e


@dataclass
class Result:
    returncode: int
    output: str


def leads(args: list[str], env: dict[str, str], crash_at: str | None = None) -> Result:
    """Run the CLI in its own process group; afterwards kill what it left behind.

    Output goes to a file, not a pipe: Prefect's temporary API server is a
    child process that may outlive a killed parent and would hold a pipe open.
    """
    run_env = {**env, **({"LEADS_CRASH_AT": crash_at} if crash_at else {})}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=PROJECT_ROOT, env=run_env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=300)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        out.seek(0)
        return Result(code, out.read())


def snapshot(db_url: str) -> dict[str, object]:
    """What a clean run leaves, ignoring ids and times."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        companies = sorted(tuple(r) for r in conn.execute(sa.text(
            "SELECT name, phone, grade, status FROM companies")))
        sources = sorted(tuple(r) for r in conn.execute(sa.text("SELECT site, listing FROM sources")))
        exported = conn.execute(sa.text("SELECT count(*) FROM exported_companies")).scalar_one()
        exports = conn.execute(sa.text("SELECT count(*) FROM exports")).scalar_one()
    engine.dispose()
    return {"companies": companies, "sources": sources, "exported": exported, "exports": exports}


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **sandbox.env(), "PREFECT_HOME": str(tmp_path / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "LEADS_CONFIG_DIR": str(PROJECT_ROOT / "config")}


def run_args() -> list[str]:
    return ["run", "--site", "yellowpages", "--set", "valves"]


def test_killed_during_load_then_rerun_equals_a_clean_run(env: dict[str, str], tmp_path: Path) -> None:
    clean_db = f"sqlite:///{tmp_path / 'clean.db'}"
    clean = leads(run_args(), {**env, "LEADS_DB_URL": clean_db, "LEADS_DATA_DIR": str(tmp_path / "clean")})
    assert clean.returncode == 0, clean.output[-3000:]

    db = f"sqlite:///{tmp_path / 'crash.db'}"
    crash_env = {**env, "LEADS_DB_URL": db, "LEADS_DATA_DIR": str(tmp_path / "crash")}
    killed = leads(run_args(), crash_env, crash_at="load:companies-written")
    assert killed.returncode == -signal.SIGKILL
    store = Store(db)
    assert store.count_companies() == 0 and store.count_sources() == 0, "the half batch was rolled back"

    rerun = leads(run_args(), crash_env)
    assert rerun.returncode == 0, rerun.output[-3000:]
    assert snapshot(db) == snapshot(clean_db)
    assert [r["status"] for r in store.runs()] == ["ok", "crashed"], "the dead run is marked, not left running"
    store.dispose()


@pytest.mark.parametrize("point", ["export:writing", "export:file-written"])
def test_killed_during_export_records_nothing_it_did_not_deliver(point: str, env: dict[str, str],
                                                               tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    base = {**env, "LEADS_DB_URL": db, "LEADS_DATA_DIR": str(tmp_path / "data")}
    loaded = leads([*run_args(), "--no-export"], base)
    assert loaded.returncode == 0, loaded.output[-3000:]
    out = tmp_path / "exports"

    killed = leads(["export", "--recipient", "ann", "--out", str(out)], base, crash_at=point)

    assert killed.returncode == -signal.SIGKILL
    store = Store(db)
    assert store.exports() == [], "no export is recorded for a file that was not delivered"
    assert not [p for p in out.glob("*.csv")] or point == "export:file-written"
    again = leads(["export", "--recipient", "ann", "--out", str(out)], base)
    assert again.returncode == 0, again.output[-3000:]
    [record] = store.exports()
    with open(record["path"], encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == record["rows"] > 0, "every lead is in the file recorded"
    store.dispose()
