"""Flow `monthly-regrade`: re-score every company from its data and its contact history.

The plans re-tier monthly: interest shown to sales, contacts that went well
or failed, new sources, all move a company's score; everyone is ranked again
(20/40/40), grades that changed are kept in the history, and the moves
between tiers are reported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from pydantic import BaseModel, Field

from pipeline import grade as grade_mod
from pipeline.paths import config_dir
from pipeline.store import Store


class RegradeParams(BaseModel):
    db_url: str | None = None
    config_dir: str | None = None


class RegradeSummary(BaseModel):
    run_id: int
    companies: int
    changed: int
    grades: dict[str, int]
    moves: dict[str, int] = Field(description='"A->B" -> companies that moved so')


@flow(name="monthly-regrade")
def regrade(params: RegradeParams | None = None) -> RegradeSummary:
    params = params or RegradeParams()
    config = Path(params.config_dir) if params.config_dir else config_dir()
    rules = grade_mod.load_rules(config / "grading.yaml")
    store = Store(params.db_url)
    store.migrate()
    run_id = store.start_run("monthly-regrade")
    try:
        companies = [c for chunk in store.iter_companies() for c in chunk]
        before = {c.id: c.grade.value if c.grade else None for c in companies}
        histories = {cid: grade_mod.ContactHistory(positive=p, failed=f)
                     for cid, (p, f) in store.contact_history().items()}
        grade_mod.assign_grades(companies, [], rules, histories)
        changed = store.save_grades(companies, run_id)
    except BaseException as exc:
        store.finish_run(run_id, "failed", {"error": repr(exc)})
        store.dispose()
        raise
    moves = Counter(f"{before[c.id] or '-'}->{c.grade.value}" for c in companies
                    if c.grade and before[c.id] != c.grade.value)
    summary = RegradeSummary(run_id=run_id, companies=len(companies), changed=changed,
                             grades=dict(Counter(c.grade.value for c in companies if c.grade)),
                             moves=dict(sorted(moves.items())))
    store.finish_run(run_id, "ok", summary.model_dump(mode="json"))
    store.dispose()
    create_table_artifact([{"move": k, "companies": v} for k, v in summary.moves.items()] or
                          [{"move": "none", "companies": 0}], key="monthly-regrade-moves",
                          description=f"Re-grade of {len(companies)} companies: {changed} changed tier")
    get_run_logger().info("re-graded %d companies, %d changed tier", len(companies), changed)
    return summary
