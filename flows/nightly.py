"""The nightly flow: crawl -> clean -> dedup -> grade -> load -> export.

Only the IO tasks retry (crawls, store, export). Each site is crawled in its
own process and a site that fails is reported, not fatal: the others go on.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, Field, ValidationError

from flows.crawling import CrawlOutcome, run_crawl, run_enrichment
from flows.summary import KeywordReport, RunSummary, SiteReport, markdown
from pipeline import dedup as dedup_mod
from pipeline import grade as grade_mod
from pipeline.batchgc import batch_gc
from pipeline.errors import LeadsError
from pipeline.export import DEFAULT_GRADES, ExportResult, export_new
from pipeline.keywords import excluded_by, load_keywords, negative_words
from pipeline.models import Company, Lead, Status
from pipeline.normalize import normalize_lead
from pipeline.paths import config_dir, data_dir
from pipeline.store import LoadResult, Store
from spiders.sites import SiteConfig, load_sites


class NightlyParams(BaseModel):
    """What a run covers; the defaults crawl every enabled site for every keyword set."""

    sites: list[str] | None = Field(None, description="site names (default: all enabled)")
    sets: list[str] | None = Field(None, description="keyword sets (default: all enabled)")
    recipient: str = Field("sales", description="who receives the new-lead export")
    export_grades: list[str] = Field(default_factory=lambda: list(DEFAULT_GRADES))
    max_pages: int | None = Field(None, ge=1, description="cap on result pages per search term")
    db_url: str | None = Field(None, description="store URL (default: LEADS_DB_URL or data/leads.db)")
    config_dir: str | None = None
    data_dir: str | None = None
    export: bool = True
    refetch: bool = Field(False, description="fetch every detail page, even those seen recently")
    enrich: bool = Field(False, description="visit new companies' own websites for e-mails and contacts")
    enrich_limit: int = Field(2000, ge=0, description="at most this many websites a night")


@dataclass
class CleanBatch:
    leads: list[Lead]
    invalid: Counter[str]


@task(retries=2, retry_delay_seconds=[10, 60], cache_policy=NO_CACHE, task_run_name="crawl-{site}")
def crawl_site(site: str, work_dir: Path, config: Path, sets: list[str] | None,
               max_pages: int | None, recent: list[str], jobs_dir: Path, crawls_at_once: int = 1) -> CrawlOutcome:
    crawl_id = f"{work_dir.name}-{site}"
    get_run_logger().info("crawling %s (%d listings fresh enough to skip; crawl id %s)", site, len(recent), crawl_id)
    # data/jobs/<site>: a crawl killed last night resumes tonight instead of starting over
    return run_crawl(site, work_dir, config_dir=config, sets=sets, max_pages=max_pages, recent=recent,
                     crawl_id=crawl_id, jobdir=jobs_dir / site, crawls_at_once=crawls_at_once)


@task(cache_policy=NO_CACHE)
def clean(outcomes: list[CrawlOutcome], sites: dict[str, SiteConfig | None],
          negatives: dict[str, list[str]] | None = None) -> CleanBatch:
    """Parse each crawl's JSON Lines into Leads and normalise them; bad lines are counted.

    A lead mentioning one of its keyword set's negative keywords (in its name,
    products or business type) is dropped and counted as such.
    """
    logger = get_run_logger()
    negatives = negatives or {}
    leads: list[Lead] = []
    invalid: Counter[str] = Counter()
    for outcome in outcomes:
        country = sites[outcome.site].country if sites.get(outcome.site) else None
        with outcome.items_path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    lead = Lead.model_validate(json.loads(line))
                except (json.JSONDecodeError, ValidationError) as exc:
                    invalid[f"not a valid lead ({outcome.site})"] += 1
                    logger.warning("%s line %d: not a valid lead (%s)", outcome.items_path, number,
                                   str(exc).splitlines()[0])
                    continue
                words = negatives.get(lead.keyword_set or "", [])
                text = " ".join([lead.name, lead.business_type or "", *lead.main_products])
                if words and (hit := excluded_by(text, words)):
                    invalid[f"negative keyword '{hit}' ({lead.keyword_set})"] += 1
                    continue
                leads.append(normalize_lead(lead, default_country=country))
    return CleanBatch(leads=leads, invalid=invalid)


@task(retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def dedup(leads: list[Lead], db_url: str, rules: dedup_mod.DedupRules) -> dedup_mod.DedupResult:
    store = Store(db_url)
    try:
        result = dedup_mod.resolve(leads, store.find_candidates(leads, rules), rules)
    finally:
        store.dispose()
    get_run_logger().info("%d leads -> %d companies (%d new, %d known); %d pairs compared",
                          len(leads), len(result.companies), result.new_companies,
                          result.matched_existing, result.pairs_compared)
    return result


@task(retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def grade(companies: list[Company], db_url: str, rules: grade_mod.GradingRules) -> list[Company]:
    store = Store(db_url)
    try:
        reference = store.scores(exclude=[c.id for c in companies if c.id is not None])
        # On the do-not-contact list: invalid (so D), whatever the crawl found again.
        for index in store.dnc_matches(companies):
            companies[index].status = Status.INVALID
    finally:
        store.dispose()
    grade_mod.assign_grades(companies, reference, rules)
    return companies


@task(retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def load(companies: list[Company], db_url: str, run_id: int) -> LoadResult:
    store = Store(db_url)
    try:
        return store.load(companies, run_id=run_id)
    finally:
        store.dispose()


@task(retries=1, retry_delay_seconds=[60], cache_policy=NO_CACHE)
def enrich_websites(targets: list[dict[str, object]], work_dir: Path) -> CrawlOutcome:
    get_run_logger().info("visiting %d company websites", len(targets))
    return run_enrichment(targets, work_dir)


@task(retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def export(db_url: str, recipient: str, out_dir: Path, grades: list[str], run_id: int) -> ExportResult:
    store = Store(db_url)
    try:
        return export_new(store, recipient, out_dir, grades, run_id=run_id)
    finally:
        store.dispose()


def keyword_report(leads: list[Lead], companies: list[Company], new_ids: set[int]) -> list[KeywordReport]:
    """Leads found and new companies per keyword set and language: which terms pay."""
    found: Counter[tuple[str, str, str]] = Counter(
        (lead.keyword_set or "-", lead.language or "-", lead.keyword or "-") for lead in leads)
    new: Counter[tuple[str, str, str]] = Counter()
    for company in companies:
        if company.id in new_ids and company.sources:
            first = min(company.sources, key=lambda le: le.seen_at)
            new[(first.keyword_set or "-", first.language or "-", first.keyword or "-")] += 1
    return [KeywordReport(keyword_set=k[0], language=k[1], term=k[2], leads=found[k], new_companies=new[k])
            for k in sorted(set(found) | set(new))]


def site_report(outcome: CrawlOutcome) -> SiteReport:
    """The crawl's stats as the run report shows them; a site that never answered is a failure."""
    s = outcome.stats
    report = SiteReport(
        site=outcome.site, requests=outcome.requests, responses=outcome.responses_by_status(),
        retries=int(s.get("retry/count", 0)), robots_forbidden=int(s.get("robotstxt/forbidden", 0)),
        leads=outcome.items, dropped=int(s.get("item_dropped_count", 0)),
        dropped_by_reason={k.removeprefix("leads/dropped/"): int(v) for k, v in s.items()
                           if k.startswith("leads/dropped/")},
        skipped=int(s.get("leads/skipped_recent", 0)), bans=int(s.get("leads/ban_pages", 0)),
        page_failures=outcome.failures, seconds=float(s.get("elapsed_time_seconds", 0.0)),
    )
    answered = int(s.get("downloader/response_count", 0))
    if outcome.requests and not answered:
        prefix = "downloader/exception_type_count/"
        errors = sorted(k.removeprefix(prefix).rsplit(".", 1)[-1] for k in s if k.startswith(prefix))
        report.ok = False
        why = ", ".join(errors) or "no error recorded"
        report.error = f"unreachable: no answer to {outcome.requests} requests ({why})"
    elif report.robots_forbidden and not report.leads:
        report.ok = False
        report.error = f"robots.txt forbids the pages we need ({report.robots_forbidden} requests refused)"
    return report


@flow(name="nightly", log_prints=False)
def nightly(params: NightlyParams | None = None) -> RunSummary:
    """Crawl every enabled site, clean, deduplicate, grade, load and export new leads."""
    params = params or NightlyParams()
    logger = get_run_logger()
    started = time.monotonic()
    config = Path(params.config_dir) if params.config_dir else config_dir()
    data = Path(params.data_dir) if params.data_dir else data_dir()
    db_url = params.db_url or Store().url
    sites = {s.name: s for s in load_sites(config, params.sites, only_enabled=params.sites is None)}
    dedup_rules = dedup_mod.load_rules(config / "dedup.yaml").model_copy(
        update={"site_trust": {name: s.trust for name, s in sites.items()}}
    )
    grading_rules = grade_mod.load_rules(config / "grading.yaml")
    keywords = load_keywords(config / "keywords.yaml")

    store = Store(db_url)
    store.migrate()
    run_id = store.start_run("nightly")
    summary = RunSummary(run_id=run_id)
    try:
        work = data / "runs" / f"{run_id:06d}"
        now = datetime.now(UTC)
        recent = {
            name: store.recent_listings(name, now - timedelta(days=site.crawl.refresh_days))
            if site.crawl.refresh_days and not params.refetch else []
            for name, site in sites.items()
        }
        futures = {name: crawl_site.submit(name, work, config, params.sets, params.max_pages, recent[name],
                                           data / "jobs", crawls_at_once=len(sites))
                   for name in sites}
        outcomes: list[CrawlOutcome] = []
        for name, future in futures.items():
            future.wait()
            if future.state.is_completed():
                outcome = future.result()
                outcomes.append(outcome)
                summary.sites.append(site_report(outcome))
            else:
                error = _error_of(future)
                logger.error("site %s failed: %s", name, error)
                summary.sites.append(SiteReport(site=name, ok=False, error=error))

        for outcome in outcomes:
            if outcome.skipped:
                store.touch_listings(outcome.site, outcome.skipped, now)
        with batch_gc():  # a night's batch is hundreds of thousands of models: collect less often
            batch = clean(outcomes, sites, negative_words(keywords))
            summary.leads = len(batch.leads)
            summary.invalid_leads = sum(batch.invalid.values())
            with store.batch_lock():  # another flow loading now would make this batch's matching stale
                resolved = dedup(batch.leads, db_url, dedup_rules)
                graded = grade(resolved.companies, db_url, grading_rules)
                loaded = load(graded, db_url, run_id)
            summary.companies = len(graded)
            summary.new_companies = loaded.inserted
            summary.merged_leads = max(len(batch.leads) - len(graded), 0)
            summary.updated_companies = loaded.updated
            summary.grades = dict(Counter(c.grade.value for c in graded if c.grade))
            summary.dropped = dict(batch.invalid)
            summary.by_keyword = keyword_report(batch.leads, graded, loaded.inserted_ids)
            if params.enrich:
                targets = store.enrichment_targets([c.id for c in graded if c.id is not None], params.enrich_limit)
                if targets:
                    outcome = enrich_websites(targets, work)
                    summary.sites.append(site_report(outcome))
                    found = clean([outcome], {"website": None}, {})
                    with store.batch_lock():
                        resolved = dedup(found.leads, db_url, dedup_rules)
                        regraded = grade(resolved.companies, db_url, grading_rules)
                        load(regraded, db_url, run_id)
                    summary.enriched = len({le.extra.get("enriches") for le in found.leads})
            if params.export:
                exported = export(db_url, params.recipient, data / "exports", params.export_grades, run_id)
                summary.export_path = str(exported.path) if exported.path else None
                summary.export_rows = exported.rows
        summary.store_total = store.count_companies()
        summary.ok = not summary.failed_sites
    except BaseException as exc:
        summary.ok = False
        store.finish_run(run_id, "failed", summary.model_dump(mode="json") | {"error": repr(exc)})
        store.dispose()
        raise
    summary.seconds = round(time.monotonic() - started, 1)
    store.finish_run(run_id, "ok" if summary.ok else "partial", summary.model_dump(mode="json"))
    store.dispose()
    create_markdown_artifact(markdown(summary), key="nightly-summary")
    create_table_artifact(summary.table_rows(), key="nightly-sites",
                          description=f"Run {run_id}: {summary.new_companies} new companies, "
                                      f"{summary.export_rows} exported, "
                                      f"{len(summary.failed_sites)} failed sites")
    return summary


def _error_of(future: object) -> str:
    try:
        future.result()  # type: ignore[attr-defined]
    except LeadsError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed: it lands in the run report
        return f"{type(exc).__name__}: {exc}"
    return "unknown failure"
