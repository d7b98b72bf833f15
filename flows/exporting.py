"""Flow `export-new-leads`: a scheduled list of new leads for one recipient."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from pydantic import BaseModel, Field

from pipeline.export import ExportFilter, ExportFormat, export_leads
from pipeline.grade import load_rules
from pipeline.paths import config_dir, data_dir
from pipeline.store import Store


class ExportParams(BaseModel):
    recipient: str = "sales"
    format: ExportFormat = ExportFormat.XLSX
    grades: list[str] = Field(default_factory=lambda: ["A", "B", "C"])
    countries: list[str] = Field(default_factory=list)
    sets: list[str] = Field(default_factory=list)
    changed: bool = False
    out_dir: str | None = None
    db_url: str | None = None


@flow(name="export-new-leads", retries=1, retry_delay_seconds=60)
def export_flow(params: ExportParams | None = None) -> dict[str, object]:
    params = params or ExportParams()
    store = Store(params.db_url)
    store.migrate()
    try:
        result = export_leads(
            store, params.recipient, Path(params.out_dir) if params.out_dir else data_dir() / "exports",
            params.format, ExportFilter(grades=params.grades, countries=params.countries, sets=params.sets,
                                        changed=params.changed),
            rules=load_rules(config_dir() / "grading.yaml"))
    finally:
        store.dispose()
    get_run_logger().info("%d leads for %s -> %s", result.rows, params.recipient, result.path)
    create_markdown_artifact(f"**{result.rows}** leads for {params.recipient}: `{result.path or 'nothing new'}`",
                             key="export-new-leads")
    return {"rows": result.rows, "path": str(result.path) if result.path else None}
