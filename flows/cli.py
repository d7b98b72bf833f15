"""The `leads` command line: what marketers, sales and operations type.

Prefect and Scrapy are imported inside the commands that need them so that
``leads --help`` and config checks answer at once.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pipeline.errors import ConfigError, InputError, LeadsError
from pipeline.paths import config_dir, data_dir

app = typer.Typer(help="Find, clean, grade and export B2B leads.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
sites_app = typer.Typer(help="Check and try site definitions (config/sites/*.yaml).", no_args_is_help=True)
db_app = typer.Typer(help="The customer store.", no_args_is_help=True)
feedback_app = typer.Typer(help="What sales report back.", no_args_is_help=True)
dnc_app = typer.Typer(help="The do-not-contact list (domains, e-mails, phones).", no_args_is_help=True)
app.add_typer(sites_app, name="sites")
app.add_typer(db_app, name="db")
app.add_typer(feedback_app, name="feedback")
keywords_app = typer.Typer(help="Keyword sets per language (config/keywords.yaml).", no_args_is_help=True)
app.add_typer(dnc_app, name="dnc")
app.add_typer(keywords_app, name="keywords")

# soft_wrap: long paths in messages stay whole, so they can be copied.
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_FAILED_SITES = 1
EXIT_CONFIG = 2


def _prefect_defaults() -> None:
    """Offline, quiet, in-process Prefect unless the user configured a server."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_HOME", str(data_dir() / "prefect"))


def _fail(exc: LeadsError) -> typer.Exit:
    if isinstance(exc, ConfigError):
        err.print("[red]Configuration error[/red] (file:line: field: problem):")
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False, highlight=False)
        return typer.Exit(EXIT_CONFIG)
    err.print(f"[red]Error:[/red] {exc}", highlight=False)
    return typer.Exit(EXIT_CONFIG)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@app.command()
def demo(
    fresh: Annotated[bool, typer.Option(help="start from an empty demo store")] = False,
) -> None:
    """Serve the sandbox sites on 127.0.0.1, run the nightly flow against them, print the summary."""
    _prefect_defaults()
    from flows.demo import run_demo
    from flows.summary import render

    try:
        summary = run_demo(fresh=fresh)
    except LeadsError as exc:
        raise _fail(exc) from exc
    render(summary, console)
    if not summary.ok:
        raise typer.Exit(EXIT_FAILED_SITES)


@app.command()
def run(
    site: Annotated[str | None, typer.Option(help="comma-separated sites (default: every enabled site)")] = None,
    sets: Annotated[str | None, typer.Option("--set", help="comma-separated keyword sets")] = None,
    recipient: Annotated[str, typer.Option(help="who receives the export of new leads")] = "sales",
    max_pages: Annotated[int | None, typer.Option(help="result pages per search term")] = None,
    export: Annotated[bool, typer.Option(help="export new leads after loading")] = True,
    refetch: Annotated[bool, typer.Option(help="fetch detail pages even when seen within refresh_days")] = False,
    enrich: Annotated[bool, typer.Option(help="visit new companies' own websites for e-mails and contacts")] = False,
) -> None:
    """Run the nightly flow now. Exit status 1 when a site failed, 2 on bad configuration."""
    _prefect_defaults()
    from flows.nightly import NightlyParams, nightly
    from flows.summary import render

    params = NightlyParams(sites=_split(site), sets=_split(sets), recipient=recipient,
                           max_pages=max_pages, export=export, refetch=refetch, enrich=enrich)
    try:
        summary = nightly(params)
    except LeadsError as exc:
        raise _fail(exc) from exc
    render(summary, console)
    if not summary.ok:
        raise typer.Exit(EXIT_FAILED_SITES)


@app.command("export")
def export_cmd(
    new: Annotated[bool, typer.Option("--new", help="leads this recipient has not received (the default)")] = True,
    recipient: Annotated[str, typer.Option(help="who receives the file; 'new' is counted per recipient")] = "sales",
    grade: Annotated[str, typer.Option(help="comma-separated grades")] = "A,B,C",
    country: Annotated[str | None, typer.Option(help="comma-separated ISO country codes")] = None,
    set_: Annotated[str | None, typer.Option("--set", help="comma-separated keyword sets")] = None,
    format_: Annotated[str, typer.Option("--format", help="csv, xlsx, hubspot or salesforce")] = "csv",
    changed: Annotated[bool, typer.Option(help="also re-send leads whose grade or contact data changed")] = False,
    out: Annotated[Path | None, typer.Option(help="folder for the file (default: data/exports)")] = None,
) -> None:
    """Write the leads RECIPIENT has not received, ready for Excel or a CRM import."""
    from pipeline.export import ExportFilter, ExportFormat, export_leads
    from pipeline.grade import load_rules
    from pipeline.store import Store

    if not new:
        err.print("Exports are of leads not sent before (--new); add --changed to re-send changed ones.")
        raise typer.Exit(EXIT_CONFIG)
    grades = [g.upper() for g in _split(grade) or []]
    bad = [g for g in grades if g not in ("A", "B", "C", "D")]
    if bad:
        err.print(f"--grade: unknown grade(s) {', '.join(bad)}; use A, B, C, D")
        raise typer.Exit(EXIT_CONFIG)
    if format_ not in {f.value for f in ExportFormat}:
        err.print(f"--format: use csv, xlsx, hubspot or salesforce, not {format_!r}")
        raise typer.Exit(EXIT_CONFIG)
    try:
        store = Store()
        store.migrate()
        result = export_leads(store, recipient, out or data_dir() / "exports", ExportFormat(format_),
                              ExportFilter(grades=grades, countries=_split(country) or (), sets=_split(set_) or (),
                                           changed=changed),
                              rules=load_rules(config_dir() / "grading.yaml"))
    except LeadsError as exc:
        raise _fail(exc) from exc
    if result.path:
        extra = f" ({result.changed} changed since last sent)" if result.changed else ""
        console.print(f"Exported {result.rows} leads for {recipient}{extra} to {result.path}", highlight=False)
    else:
        console.print(f"No new leads for {recipient}.")


@feedback_app.command("import")
def feedback_import(
    file: Annotated[Path, typer.Argument(
        help="CSV from sales: company_id or domain, status, reason, contact_date, way, note")],
) -> None:
    """Apply sales' feedback: statuses, contact log, failure reasons, do-not-contact. All rows or none."""
    from pipeline.feedback import FeedbackEntry, check_moves, read_feedback
    from pipeline.store import Store

    try:
        rows = read_feedback(file)
        store = Store()
        store.migrate()
        found, problems = store.resolve_refs([r.company_ref for r in rows])
        if problems:
            raise InputError(f"{file}: nothing was applied; " + "; ".join(problems))
        entries = [FeedbackEntry(found[r.company_ref], r) for r in rows]
        check_moves(entries, store.statuses([e.company_id for e in entries]), file)
        counts = store.apply_feedback(entries, file.name)
    except LeadsError as exc:
        raise _fail(exc) from exc
    reasons = Counter(r.reason_category for r in rows if r.reason_category)
    console.print(f"{counts['rows']} rows: {counts['logged']} contacts logged, {counts['status_changes']} status "
                  f"changes, {counts['do_not_contact']} do-not-contact entries added", highlight=False)
    if reasons:
        console.print("failure reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()), highlight=False)


def _dnc_keys(domain: list[str] | None, email: list[str] | None, phone: list[str] | None,
              country: str | None) -> list[str]:
    from pipeline.normalize import normalize_email, normalize_phones, registered_domain

    keys = []
    for value in domain or []:
        d = registered_domain(value)
        if not d:
            raise InputError(f"--domain {value!r}: not a web domain")
        keys.append(f"domain:{d}")
    for value in email or []:
        e = normalize_email(value)
        if not e:
            raise InputError(f"--email {value!r}: not an e-mail address")
        keys.append(f"email:{e}")
    for value in phone or []:
        numbers = [r.e164 for r in normalize_phones(value, country) if r.e164]
        if not numbers:
            raise InputError(f"--phone {value!r}: not a phone number (add --country for national numbers)")
        keys += [f"phone:{n}" for n in numbers]
    return keys


@dnc_app.command("add")
def dnc_add(
    domain: Annotated[list[str] | None, typer.Option(help="web domain")] = None,
    email: Annotated[list[str] | None, typer.Option(help="e-mail address")] = None,
    phone: Annotated[list[str] | None, typer.Option(help="phone number")] = None,
    country: Annotated[str | None, typer.Option(help="country for national phone numbers")] = None,
    reason: Annotated[str, typer.Option(help="why (kept with the entry)")] = "asked not to be contacted",
) -> None:
    """Never export these again; matching companies become invalid now and after every crawl."""
    from pipeline.store import Store

    try:
        keys = _dnc_keys(domain, email, phone, country)
        if not keys:
            raise InputError("give at least one --domain, --email or --phone")
        store = Store()
        store.migrate()
        added = store.add_dnc(keys, reason)
    except LeadsError as exc:
        raise _fail(exc) from exc
    console.print(f"{added} entries added ({len(keys) - added} were already listed)", highlight=False)


@dnc_app.command("remove")
def dnc_remove(
    domain: Annotated[list[str] | None, typer.Option()] = None,
    email: Annotated[list[str] | None, typer.Option()] = None,
    phone: Annotated[list[str] | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Take entries off the list (companies stay invalid until sales move them back to potential)."""
    from pipeline.store import Store

    try:
        store = Store()
        store.migrate()
        removed = store.remove_dnc(_dnc_keys(domain, email, phone, country))
    except LeadsError as exc:
        raise _fail(exc) from exc
    console.print(f"{removed} entries removed")


@dnc_app.command("list")
def dnc_list() -> None:
    """Show the do-not-contact list."""
    from pipeline.store import Store

    store = Store()
    store.migrate()
    for entry in store.list_dnc():
        console.print(f"{entry['key']}\t{entry['added_at']:%Y-%m-%d}\t{entry['reason'] or ''}",
                      highlight=False, markup=False)


@app.command()
def regrade() -> None:
    """Re-score and re-tier every company now (the monthly flow), and show who moved."""
    _prefect_defaults()
    from flows.regrade import regrade as regrade_flow

    try:
        summary = regrade_flow()
    except LeadsError as exc:
        raise _fail(exc) from exc
    console.print(f"Re-graded {summary.companies} companies: {summary.changed} changed tier; now "
                  + ", ".join(f"{k} {v}" for k, v in sorted(summary.grades.items())), highlight=False)
    for move, count in summary.moves.items():
        console.print(f"  {move}: {count}", highlight=False)


@app.command()
def report(
    out: Annotated[Path | None, typer.Option(
        help="HTML file to write (default: data/reports/report-DATE.html)")] = None,
) -> None:
    """Write one self-contained HTML page: leads by grade, site, country, keyword set, trends, crawl health."""
    from datetime import UTC, datetime

    from pipeline.report import ReportData, render_html
    from pipeline.store import Store

    try:
        store = Store()
        store.migrate()
        now = datetime.now(UTC)
        data = ReportData(generated_at=now, store=store.safe_url, breakdowns=store.breakdowns(),
                          runs=store.runs(limit=60))
    except LeadsError as exc:
        raise _fail(exc) from exc
    path = out or data_dir() / "reports" / f"report-{now:%Y%m%d-%H%M%S}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(render_html(data), encoding="utf-8")
    tmp.replace(path)
    console.print(f"Report written to {path}", highlight=False)


@app.command()
def serve(
    timezone: Annotated[str | None, typer.Option(
        help="IANA time zone for every schedule (else prefect.yaml's)")] = None,
) -> None:
    """Run prefect.yaml's deployments (nightly crawl, monthly re-grade, weekly export) on their schedules, here."""
    _prefect_defaults()
    from flows.serving import serve as serve_deployments
    from pipeline.paths import home

    try:
        serve_deployments(home() / "prefect.yaml", timezone)
    except LeadsError as exc:
        raise _fail(exc) from exc


@app.command()
def runs(limit: Annotated[int, typer.Option(help="how many recent runs")] = 20) -> None:
    """Recent runs: flow, status, duration and what each found."""
    from pipeline.store import Store

    store = Store()
    store.migrate()
    for run in store.runs(limit=limit):
        stats = run["stats"] or {}
        took = (run["finished_at"] - run["started_at"]).total_seconds() if run["finished_at"] else None
        failed = [s["site"] for s in stats.get("sites", []) if not s.get("ok", True)]
        line = (f"{run['id']:>5}  {run['flow']:<16} {run['status']:<8} {run['started_at']:%Y-%m-%d %H:%M}  "
                f"{f'{took:.0f} s' if took is not None else 'running':>8}  "
                f"leads {stats.get('leads', '-')}, new {stats.get('new_companies', '-')}, "
                f"exported {stats.get('export_rows', '-')}")
        if failed:
            line += f", failed sites: {', '.join(failed)}"
        console.print(line, highlight=False, markup=False)


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV file (any common encoding; , ; or tab separated)")],
    source: Annotated[str, typer.Option(help="customs (shipment records) or list (a lead list)")],
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN when a column has an unusual name")] = None,
    country: Annotated[str | None, typer.Option(help="country of rows that name none (ISO code)")] = None,
) -> None:
    """Load customs records or a lead list into the store with the crawled leads (cleaned, deduplicated, graded)."""
    _prefect_defaults()
    from flows.importing import ImportParams, import_leads
    from pipeline.imports import ImportSource, read_leads
    from pipeline.tabular import parse_mapping

    if source not in {s.value for s in ImportSource}:
        err.print(f"--source: use customs or list, not {source!r}")
        raise typer.Exit(EXIT_CONFIG)
    try:
        params = ImportParams(path=str(file), source=ImportSource(source), columns=parse_mapping(map_ or []),
                              country=country)
        read_leads(file, params.source, params.columns, country)  # fail fast, before Prefect starts
        summary = import_leads(params)
    except LeadsError as exc:
        raise _fail(exc) from exc
    console.print(f"Imported {summary.rows} rows: {summary.companies} companies, {summary.new_companies} new, "
                  f"{summary.updated_companies} already known; grades {summary.grades}", highlight=False)


def _print_evidence(evidence: list[dict[str, Any]]) -> None:
    for number, ev in enumerate(evidence, 1):
        refused = f"\n     refused {ev['refused']}" if ev.get("refused") else ""
        console.print(f"  {number}. {ev['rule']} (run {ev['run_id']})\n"
                      f"     between {ev['left']}\n     and     {ev['right']}\n"
                      f"     shared  {', '.join(ev.get('shared_keys') or []) or '-'}\n"
                      f"     name score {ev.get('name_score')}, street score {ev.get('street_score') or '-'}, "
                      f"same city {'yes' if ev.get('city_match') else 'no'}, "
                      f"same postcode {'yes' if ev.get('postcode_match') else 'no'}{refused}",
                      highlight=False, markup=False)


@app.command()
def explain(company_id: Annotated[int, typer.Argument(help="the company_id column of an export")]) -> None:
    """Why a company looks as it does: its sources, each merge and each link refused, its grade's signals."""
    from rich.table import Table

    from pipeline.grade import load_rules, signals
    from pipeline.store import Store

    try:
        store = Store()
        store.migrate()
        found = store.get_companies([company_id])
        evidence = store.evidence_of(company_id)
        rules = load_rules(config_dir() / "grading.yaml")
    except LeadsError as exc:
        raise _fail(exc) from exc
    if not found:
        err.print(f"No company with id {company_id} in {store.safe_url}")
        raise typer.Exit(1)
    company = found[0]
    console.print(f"[bold]{company.name}[/bold] (company {company.id}), grade {company.grade or '-'}, "
                  f"score {company.score}, status {company.status.value}", highlight=False)
    facts = Table(show_header=False, box=None)
    for field in ("legal_form", "contact_name", "contact_title", "phone", "mobile", "fax", "email", "website",
                  "street", "city", "region", "postcode", "country", "business_type"):
        value = getattr(company, field)
        if value:
            facts.add_row(field, str(value))
    console.print(facts)
    sources = Table(title=f"{len(company.sources)} source(s)", title_justify="left")
    for col in ("site", "listing", "keyword", "seen"):
        sources.add_column(col, overflow="fold")
    for lead in company.sources:
        sources.add_row(lead.site, lead.listing, f"{lead.keyword_set or ''} / {lead.keyword or ''}",
                        lead.seen_at.date().isoformat())
    console.print(sources)
    merges = [ev for ev in evidence if not ev.get("refused")]
    apart = [ev for ev in evidence if ev.get("refused")]
    if merges:
        console.print("[bold]Why these sources are one company[/bold]")
        _print_evidence(merges)
    else:
        console.print("One source only: nothing was merged.")
    if apart:
        console.print("[bold]Links refused: kept as separate companies[/bold]")
        _print_evidence(apart)
    grading = Table(title="grade signals", title_justify="left")
    grading.add_column("signal")
    grading.add_column("weight", justify="right")
    for name, weight in signals(company, rules).items():
        grading.add_row(name, f"{weight:g}")
    console.print(grading)
    store.dispose()


@app.command()
def dedup(
    input_csv: Annotated[Path, typer.Argument(metavar="INPUT.csv", help="companies to deduplicate")],
    out: Annotated[Path, typer.Option(help="where to write the result (CSV, UTF-8 with BOM)")],
    map_: Annotated[list[str] | None, typer.Option("--map", help="FIELD=COLUMN for a column with another name")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML file of 'field: column' lines")] = None,
    country: Annotated[str | None, typer.Option(help="country of rows that name none (ISO code)")] = None,
) -> None:
    """Find the duplicates in any CSV of companies; every input column is kept, cluster_id and golden_* added.

    Columns are found by name (record_id, name, phone, email, website, street,
    city, postcode, country and common variants); only a company name is required.
    """
    import time

    from pipeline.csvdedup import dedup_frame, mapping_file, read_table, resolve_columns, write_csv
    from pipeline.dedup import load_rules
    from pipeline.tabular import parse_mapping

    started = time.monotonic()

    def stage(message: str) -> None:
        """Each stage on a terminal's stderr, nothing in a script's output. A line, not a spinner:
        a spinner's thread would be running when the work forks its second process."""
        if err.is_terminal:
            err.print(f"{time.monotonic() - started:5.1f} s  {message}", style="dim", markup=False, highlight=False)

    stage(f"reading {input_csv}")
    try:
        overrides = (mapping_file(mapping) if mapping else {}) | parse_mapping(map_ or [])
        frame = read_table(input_csv)
        columns = resolve_columns(frame, overrides, input_csv)
        result_frame, result = dedup_frame(frame, columns, load_rules(config_dir() / "dedup.yaml"), input_csv,
                                           country, progress=stage)
    except LeadsError as exc:
        raise _fail(exc) from exc
    stage(f"writing {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    write_csv(result_frame, tmp)
    tmp.replace(out)
    clusters = int(result_frame["cluster_id"].nunique())
    console.print(f"{len(frame)} rows -> {clusters} companies ({len(frame) - clusters} duplicates) in "
                  f"{time.monotonic() - started:.1f} s; written to {out}", highlight=False)


@keywords_app.command("translate")
def keywords_translate(
    set_: Annotated[str | None, typer.Option("--set", help="comma-separated keyword sets (default: all)")] = None,
    lang: Annotated[str | None, typer.Option(
        help="comma-separated languages to fill (default: en,zh,fr,de,it,pt,es)")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="write without asking")] = False,
) -> None:
    """Fill the languages a keyword set lacks (glossary, then machine translation), show the diff, then write."""
    from pipeline.keyword_edit import (
        apply_proposals,
        diff,
        dump_document,
        load_document,
        propose,
        write_document,
    )
    from pipeline.keywords import load_keywords
    from pipeline.translate import default_chain

    path = config_dir() / "keywords.yaml"
    try:
        keywords = load_keywords(path)
        chain = default_chain(data_dir() / "translations.json")
        proposals = propose(keywords, chain, _split(set_), _split(lang))
        chain.cache.save()
    except LeadsError as exc:
        raise _fail(exc) from exc
    if not proposals:
        console.print("Nothing to add: every set has terms in the requested languages "
                      "(or no backend knows a translation).")
        return
    document = load_document(path)
    before = dump_document(document)
    apply_proposals(document, proposals)
    console.print(diff(before, dump_document(document), path), highlight=False, markup=False)
    machine = sum(1 for p in proposals if p.origin.value == "machine")
    console.print(f"{len(proposals)} terms: {len(proposals) - machine} from the glossary (accepted), "
                  f"{machine} machine translations (pending review)", highlight=False)
    if not yes and not typer.confirm(f"Write {path}?", default=False):
        console.print("Nothing written.")
        raise typer.Exit(1)
    write_document(path, document)
    console.print("Written. Review machine translations with: leads keywords review", highlight=False)


@keywords_app.command("review")
def keywords_review(
    set_: Annotated[str | None, typer.Option("--set", help="comma-separated keyword sets")] = None,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="accept every pending term")] = False,
) -> None:
    """Go through the terms waiting for review: [a]ccept, [r]eject, [e]dit or [s]kip each."""
    from pipeline.keyword_edit import load_document, pending_terms, set_review, write_document
    from pipeline.keywords import Review, load_keywords

    path = config_dir() / "keywords.yaml"
    try:
        load_keywords(path)
    except LeadsError as exc:
        raise _fail(exc) from exc
    document = load_document(path)
    pending = pending_terms(document, _split(set_))
    if not pending:
        console.print("Nothing awaits review.")
        return
    changed = 0
    for item in pending:
        if accept_all:
            set_review(document, item, Review.ACCEPTED)
            changed += 1
            continue
        console.print(f"{item.keyword_set} [{item.language}] {item.term!r} ({item.origin})", highlight=False,
                      markup=False)
        answer = typer.prompt("  [a]ccept, [r]eject, [e]dit, [s]kip", default="s").strip().lower()[:1]
        if answer == "a":
            set_review(document, item, Review.ACCEPTED)
        elif answer == "r":
            set_review(document, item, Review.REJECTED)
        elif answer == "e":
            set_review(document, item, Review.ACCEPTED, typer.prompt("  corrected term", default=item.term))
        else:
            continue
        changed += 1
    if changed:
        write_document(path, document)
    console.print(f"{changed} of {len(pending)} terms reviewed.", highlight=False)


@app.command()
def plan(
    site: Annotated[str | None, typer.Option(help="comma-separated sites (default: every enabled site)")] = None,
    sets: Annotated[str | None, typer.Option("--set", help="comma-separated keyword sets")] = None,
    urls: Annotated[bool, typer.Option(help="show every search URL")] = True,
) -> None:
    """The crawl plan: for each site, which terms in which language give which search URLs, and the request budget."""
    from pipeline.keywords import load_keywords
    from spiders.plan import crawl_plan
    from spiders.sites import load_sites

    try:
        chosen = load_sites(config_dir(), _split(site), only_enabled=site is None)
        plans = crawl_plan(chosen, load_keywords(config_dir() / "keywords.yaml"), _split(sets))
    except LeadsError as exc:
        raise _fail(exc) from exc
    total = 0
    for p in plans:
        total += p.max_requests
        console.print(f"[bold]{p.site}[/bold] ({', '.join(p.languages)}): {len(p.searches)} searches, "
                      f"at most {p.max_requests} requests", highlight=False)
        if p.empty:
            console.print("  [yellow]no terms in this site's languages: it will not be crawled[/yellow]")
        for search in p.searches if urls else []:
            console.print(f"  {search.term.keyword_set:<20} {search.term.language:<6} {search.term.term:<28} "
                          f"{search.url}", highlight=False, markup=False)
    console.print(f"{len(plans)} sites, at most {total} requests in all", highlight=False)


EXTRACT_KEYS = ("name", "phones", "faxes", "emails", "website", "street", "city", "region", "postcode", "country",
                "contact_name", "contact_title")


@app.command()
def extract(
    pages: Annotated[list[Path], typer.Argument(metavar="PAGE.html...", help="saved pages to read")],
    site: Annotated[str | None, typer.Option(help="read them as pages of this site (its selectors and scope)")] = None,
    country: Annotated[str | None, typer.Option(help="default country for phone numbers (ISO code)")] = None,
    url: Annotated[str | None, typer.Option(help="the address the page was saved from")] = None,
) -> None:
    """Print what extraction finds on each page, as JSON Lines (one object per page).

    Keys: source, name, phones, faxes, emails, website, street, city, region,
    postcode, country, contact_name, contact_title (lists for the plural
    ones, null where nothing was found), and methods: which method found each.
    Values are as the page writes them (country as an ISO code); cleaning
    happens later in the pipeline.
    """
    import json

    from pipeline.countries import country_code
    from spiders.encoding import decode_html
    from spiders.page import extract_page, warm_up
    from spiders.sites import load_site, sites_dir

    try:
        site_config = load_site(sites_dir(config_dir()) / f"{site}.yaml") if site else None
    except LeadsError as exc:
        raise _fail(exc) from exc
    warm_up()
    for page in pages:
        try:
            html = decode_html(page.read_bytes(), None).text
        except OSError as exc:
            err.print(f"{page}: cannot read ({exc.strerror})")
            raise typer.Exit(EXIT_CONFIG) from exc
        found = extract_page(html, url=url, site=site_config, country=country)
        row: dict[str, object] = {"source": str(page)}
        for key in EXTRACT_KEYS:
            value = found.fields.get(key)
            if key == "phones":  # as the page writes them; the pipeline normalises later
                value = list(dict.fromkeys([*found.fields.get("phones", []), *found.fields.get("mobiles", [])]))
            elif key in ("faxes", "emails"):
                value = list(value or [])
            elif key == "country" and value:
                value = country_code(str(value)) or value
            row[key] = value if value not in ("", []) or key in ("phones", "faxes", "emails") else None
        row["methods"] = found.methods
        print(json.dumps(row, ensure_ascii=False))


@sites_app.command("check")
def sites_check() -> None:
    """Validate every site file and report every problem at once."""
    from spiders.sites import load_sites

    try:
        sites = load_sites(config_dir())
    except ConfigError as exc:
        raise _fail(exc) from exc
    for s in sites:
        state = "enabled" if s.enabled else "disabled"
        console.print(f"ok  {s.name:<16} {state:<9} {s.base_url}  languages={','.join(s.languages)}",
                      highlight=False)


@sites_app.command("try")
def sites_try(
    site: Annotated[str, typer.Argument(help="site name (a file in config/sites/)")],
    keyword: Annotated[str, typer.Option(help="search term to try")],
) -> None:
    """Fetch the first result page and one detail page of SITE, and show what was extracted."""
    import json
    import tempfile

    from flows.crawling import run_crawl
    from pipeline.models import Lead

    with tempfile.TemporaryDirectory() as tmp:
        try:
            outcome = run_crawl(site, Path(tmp), config_dir=config_dir(), max_pages=1, timeout=600,
                                extra_args=["--keywords", keyword, "--max-details", "1", "--cards"])
        except LeadsError as exc:
            raise _fail(exc) from exc
        leads = [Lead.model_validate(json.loads(line))
                 for line in outcome.items_path.read_text("utf-8").splitlines() if line.strip()]
        log_tail = outcome.log_path.read_text("utf-8").splitlines()[-5:] if outcome.log_path else []
    cards = [le for le in leads if set(le.field_sources.values()) == {"selector:listing"}]
    details = [le for le in leads if le not in cards]
    console.print(f"{site}: {outcome.requests} requests, {len(cards)} result cards, "
                  f"{len(details)} detail page(s)", highlight=False)
    for le in cards:
        shown = {k: v for k, v in le.model_dump(include=set(le.field_sources)).items() if v}
        console.print(f"  card: {shown}  <{le.url}>", highlight=False, markup=False)
    for le in details:
        console.print(f"detail page {le.url}:", highlight=False, markup=False)
        for field, method in le.field_sources.items():
            console.print(f"  {field:<14} {getattr(le, field)!r}  ({method})", highlight=False, markup=False)
    if not cards and not details:
        err.print("Nothing extracted: check the listing.item and detail selectors. Last log lines:")
        for line in log_tail:
            err.print(f"  {line}", markup=False, highlight=False)
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the store's schema (LEADS_DB_URL, default data/leads.db)."""
    from pipeline.store import Store

    try:
        store = Store()
        store.migrate()
    except LeadsError as exc:
        raise _fail(exc) from exc
    console.print(f"store at {store.safe_url} is up to date")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
