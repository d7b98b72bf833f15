"""What a nightly run did, in one typed record: the report operations read."""

from __future__ import annotations

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table


class SiteReport(BaseModel):
    site: str
    ok: bool = True
    error: str | None = None
    requests: int = 0
    responses: dict[str, int] = Field(default_factory=dict)
    retries: int = 0
    robots_forbidden: int = 0
    leads: int = 0
    dropped: int = 0
    dropped_by_reason: dict[str, int] = Field(default_factory=dict)
    skipped: int = 0
    bans: int = 0
    page_failures: int = 0
    seconds: float = 0.0


class KeywordReport(BaseModel):
    keyword_set: str
    language: str
    term: str
    leads: int = 0
    new_companies: int = 0


class RunSummary(BaseModel):
    run_id: int
    ok: bool = True
    sites: list[SiteReport] = Field(default_factory=list)
    leads: int = 0
    invalid_leads: int = 0
    companies: int = 0
    new_companies: int = 0
    updated_companies: int = 0
    merged_leads: int = Field(0, description="leads that joined another lead's company")
    enriched: int = Field(0, description="companies whose own website added data")
    grades: dict[str, int] = Field(default_factory=dict)
    dropped: dict[str, int] = Field(default_factory=dict, description="leads dropped in cleaning, by reason")
    by_keyword: list[KeywordReport] = Field(default_factory=list)
    store_total: int = 0
    export_path: str | None = None
    export_rows: int = 0
    seconds: float = 0.0

    @property
    def failed_sites(self) -> list[SiteReport]:
        return [s for s in self.sites if not s.ok]

    def table_rows(self) -> list[dict[str, object]]:
        """One row per site for the Prefect table artifact."""
        return [
            {"site": s.site, "status": "ok" if s.ok else f"FAILED: {s.error}", "requests": s.requests,
             "leads": s.leads, "skipped (seen recently)": s.skipped, "dropped": s.dropped,
             "retries": s.retries, "ban pages": s.bans,
             "page failures": s.page_failures, "seconds": round(s.seconds, 1)}
            for s in self.sites
        ]


def render(summary: RunSummary, console: Console | None = None) -> None:
    """The summary table the demo and `leads run` print (fits 80 columns)."""
    console = console or Console()
    sites = Table(title=f"Run {summary.run_id}: sites (skip = seen recently, fail = pages lost)",
                  title_justify="left")
    sites.add_column("site", no_wrap=True)
    for col in ("pages", "leads", "skip", "drop", "retry", "bans", "fail", "sec"):
        sites.add_column(col, justify="right", no_wrap=True)
    for s in summary.sites:
        name = s.site if s.ok else f"[red]{s.site} FAILED[/red]"
        sites.add_row(name, str(s.requests), str(s.leads), str(s.skipped), str(s.dropped), str(s.retries),
                      str(s.bans), str(s.page_failures), f"{s.seconds:.0f}")
    console.print(sites)
    for s in summary.failed_sites:
        console.print(f"[red]{s.site}[/red]: {s.error}", highlight=False, soft_wrap=True)

    totals = Table(title="Companies", title_justify="left", show_header=False)
    totals.add_column("what", no_wrap=True)
    totals.add_column("count", justify="right", no_wrap=True)
    totals.add_row("leads found (all sites)", str(summary.leads))
    totals.add_row("leads dropped in cleaning", str(summary.invalid_leads))
    totals.add_row("companies after dedup", str(summary.companies))
    totals.add_row("  new to the store", str(summary.new_companies))
    totals.add_row("  already known (updated)", str(summary.updated_companies))
    totals.add_row("  leads merged into another", str(summary.merged_leads))
    if summary.enriched:
        totals.add_row("  enriched from their website", str(summary.enriched))
    for grade in ("A", "B", "C", "D"):
        totals.add_row(f"  grade {grade}", str(summary.grades.get(grade, 0)))
    totals.add_row("companies in the store", str(summary.store_total))
    totals.add_row("failed sites", str(len(summary.failed_sites)))
    console.print(totals)
    if summary.by_keyword:
        terms = Table(title="Keywords: what each term found", title_justify="left")
        for col in ("set", "lang", "term", "leads", "new"):
            terms.add_column(col, justify="right" if col in ("leads", "new") else "left", overflow="fold")
        for k in summary.by_keyword:
            terms.add_row(k.keyword_set, k.language, k.term, str(k.leads), str(k.new_companies))
        console.print(terms)
    for reason, count in summary.dropped.items():
        console.print(f"dropped: {count} ({reason})", highlight=False, markup=False)
    for s in summary.sites:
        for reason, count in s.dropped_by_reason.items():
            console.print(f"dropped by {s.site}: {count} ({reason})", highlight=False, markup=False)
    if summary.export_path:
        console.print(f"Exported {summary.export_rows} new leads to {summary.export_path}",
                      highlight=False, soft_wrap=True)
    else:
        console.print("No new leads to export.")


def markdown(summary: RunSummary) -> str:
    """The run in a few lines, for the Prefect UI."""
    failed = ", ".join(f"{s.site} ({s.error})" for s in summary.failed_sites) or "none"
    grades = ", ".join(f"{g} {summary.grades.get(g, 0)}" for g in "ABCD")
    return (f"### Run {summary.run_id}: {'ok' if summary.ok else 'with failures'}\n\n"
            f"- leads found: {summary.leads} (dropped in cleaning: {summary.invalid_leads})\n"
            f"- companies: {summary.companies} ({summary.new_companies} new, {summary.updated_companies} updated, "
            f"{summary.merged_leads} leads merged)\n- grades: {grades}\n"
            f"- exported: {summary.export_rows} to `{summary.export_path or '-'}`\n- failed sites: {failed}\n"
            f"- took {summary.seconds:.0f} s\n")
