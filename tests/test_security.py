"""Scraped text is data, never code: SQL, spreadsheets, HTML; and no secrets in config files."""

from __future__ import annotations

import re

import sqlalchemy as sa

from pipeline.dedup import DedupRules, build_company
from pipeline.models import Grade
from pipeline.paths import PROJECT_ROOT
from pipeline.store import Store
from tests.factories import lead

HOSTILE = "Robert'); DROP TABLE companies; -- \" OR 1=1 <script>alert(1)</script>"


def test_hostile_text_is_stored_verbatim_through_bound_parameters(db_url: str) -> None:
    store = Store(db_url)
    store.migrate()
    company = build_company([lead(HOSTILE, url="b2b/x'; DELETE FROM sources; --", city=HOSTILE)], None,
                            DedupRules())
    company.grade = Grade.A
    store.load([company])
    [back] = store.get_companies([company.id])
    assert back.name == HOSTILE and back.city == HOSTILE
    assert back.sources[0].url == "b2b/x'; DELETE FROM sources; --"
    # the lookups by key take the same text as a value, not as SQL
    assert store.find_candidates([lead(HOSTILE, url="b2b/x'; DELETE FROM sources; --")], DedupRules())
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM companies")).scalar_one() == 1
    store.dispose()


def test_no_sql_is_built_from_strings() -> None:
    """Every statement goes through SQLAlchemy constructs or bound text(); no f-string SQL."""
    offenders = []
    for path in (PROJECT_ROOT / "pipeline").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            built = re.search(r"""(execute|text)\(\s*f["']""", line)
            formatted = re.search(r"""["'](SELECT|INSERT|UPDATE|DELETE)\b.*["']\s*%""", line)
            if built or formatted:
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    assert offenders == []


SECRET_KEYS = re.compile(r"(?i)^\s*[\w-]*(password|passwd|secret|api[_-]?key|token)[\w-]*\s*:\s*(.+)$")


def test_config_files_hold_no_credentials() -> None:
    """Secrets come from the environment (`${NAME}`), never written in a config file."""
    found = []
    for path in [*(PROJECT_ROOT / "config").rglob("*.yaml"), PROJECT_ROOT / "prefect.yaml"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = SECRET_KEYS.match(line)
            if match and not match.group(2).strip().startswith(("${", "'${", '"${')):
                found.append(f"{path.name}:{number}")
            if re.search(r"://[^/\s:@]+:[^/\s@]+@", line):  # user:password@host in a URL
                found.append(f"{path.name}:{number}")
    assert found == []
