"""Shared fixtures: stores (SQLite always, PostgreSQL when it runs), the sandbox, Prefect.

Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from pipeline.store import Store
from tests.sandbox_fixtures import ground_truth, prefect_harness, project_config, sandbox  # noqa: F401

# LEADS_TEST_PG_URL names a database the tests may wipe (.ci/run creates one and
# drops it after); without it the tests create their own next to "postgres".
PG_TEST_URL = os.environ.get("LEADS_TEST_PG_URL")
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session, dropped at the end."""
    if PG_TEST_URL:
        probe = sa.create_engine(PG_TEST_URL)
        try:
            with probe.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"LEADS_TEST_PG_URL is set but PostgreSQL does not answer ({type(exc).__name__})")
        finally:
            probe.dispose()
        yield PG_TEST_URL
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "absent"
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {sa.engine.make_url(PG_ADMIN_URL).host}:"
                    f"{sa.engine.make_url(PG_ADMIN_URL).port} ({type(exc).__name__}); "
                    "start it (or set LEADS_TEST_PG_URL) to run the PostgreSQL store and flow tests")
    name = f"leads_test_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Each store test runs on SQLite and on PostgreSQL, from an empty schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'leads.db'}"
    url = request.getfixturevalue("pg_database")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated, empty store on each backend of ``db_url``."""
    s = Store(db_url)
    s.migrate()
    yield s
    s.dispose()
