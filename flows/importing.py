"""Flow `import-leads`: customs records and lead lists join the crawled leads.

The rows go through the same clean -> dedup -> grade -> load tasks as a
night's crawl, so a buyer found in customs data and on a directory is one
company with both sources.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger
from pydantic import BaseModel, Field

from flows.nightly import dedup, grade, load
from pipeline import dedup as dedup_mod
from pipeline import grade as grade_mod
from pipeline.imports import ImportSource, read_leads
from pipeline.normalize import normalize_lead
from pipeline.paths import config_dir
from pipeline.store import Store


class ImportParams(BaseModel):
    path: str
    source: ImportSource
    columns: dict[str, str] = Field(default_factory=dict, description="field -> column name overrides")
    country: str | None = Field(None, description="country of rows that do not name one")
    db_url: str | None = None
    config_dir: str | None = None


class ImportSummary(BaseModel):
    run_id: int
    rows: int
    companies: int
    new_companies: int
    updated_companies: int
    grades: dict[str, int]


@flow(name="import-leads")
def import_leads(params: ImportParams) -> ImportSummary:
    """Read, clean, deduplicate against the store, grade and load one CSV file."""
    logger = get_run_logger()
    config = Path(params.config_dir) if params.config_dir else config_dir()
    leads = read_leads(Path(params.path), params.source, params.columns, params.country)
    clean = [normalize_lead(lead) for lead in leads]
    db_url = params.db_url or Store().url
    store = Store(db_url)
    store.migrate()
    run_id = store.start_run("import-leads")
    try:
        rules = dedup_mod.load_rules(config / "dedup.yaml")
        with store.batch_lock():
            resolved = dedup(clean, db_url, rules)
            graded = grade(resolved.companies, db_url, grade_mod.load_rules(config / "grading.yaml"))
            loaded = load(graded, db_url, run_id)
    except BaseException as exc:
        store.finish_run(run_id, "failed", {"file": params.path, "error": repr(exc)})
        store.dispose()
        raise
    summary = ImportSummary(run_id=run_id, rows=len(leads), companies=len(graded), new_companies=loaded.inserted,
                            updated_companies=loaded.updated,
                            grades=dict(Counter(c.grade.value for c in graded if c.grade)))
    store.finish_run(run_id, "ok", summary.model_dump(mode="json") | {"file": params.path})
    store.dispose()
    logger.info("imported %d rows from %s: %d new companies, %d updated", len(leads), params.path,
                loaded.inserted, loaded.updated)
    return summary
