"""Lists of leads for sales, in files that open in Excel or import into a CRM as they are.

"New" is per recipient: the leads that person has never received (and, with
``changed``, those whose grade or contact data changed since they got them).
A file is written under a temporary name and renamed only when complete; the
export is recorded in the store after that, so a crash never marks leads as
sent that nobody received.

Scraped text reaches sales' spreadsheets. In CSV, a cell starting with
=, +, -, @, tab or carriage return gets a leading apostrophe so no
spreadsheet runs it as a formula (phones too: "'+49 711 123456"); XLSX
cells are written as typed text, so nothing needs a prefix there and
phones read exactly as "+49 711 123456".
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from pipeline.crashpoints import crash_point
from pipeline.grade import GradingRules, contact_plan
from pipeline.models import Company, Grade, Status
from pipeline.normalize import format_phone
from pipeline.store import Store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_GRADES = (Grade.A.value, Grade.B.value, Grade.C.value)


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"


@dataclass
class ExportFilter:
    grades: Sequence[str] = DEFAULT_GRADES
    countries: Sequence[str] = ()
    sets: Sequence[str] = ()
    changed: bool = False


def safe_cell(value: object) -> str:
    """Text that a spreadsheet shows and never evaluates (OWASP CSV-injection advice)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def fingerprint(company: Company) -> str:
    """What sales were given of a company; a different fingerprint means "changed"."""
    parts = [company.grade.value if company.grade else "", company.status.value, company.name,
             company.contact_name or "", company.contact_title or "", company.phone or "", company.mobile or "",
             company.fax or "", company.email or "", company.website or "", company.street or "",
             company.city or "", company.postcode or "", company.country or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _split_name(full: str | None) -> tuple[str, str]:
    """First and last name from "Mr. John Smith" (titles dropped)."""
    words = [w for w in (full or "").split() if w.rstrip(".").casefold() not in {"mr", "mrs", "ms", "dr", "miss"}]
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


Row = dict[str, object]


def standard_row(company: Company, sources: Sequence[tuple[str, str]], rules: GradingRules, today: date) -> Row:
    plan = contact_plan(company, rules, today)
    return {
        "company_id": company.id, "grade": company.grade.value if company.grade else "",
        "score": company.score, "status": company.status.value,
        "next_call": _iso(plan.next_call), "next_visit": _iso(plan.next_visit),
        "company": company.name, "legal_form": company.legal_form, "contact_name": company.contact_name,
        "contact_title": company.contact_title, "phone": format_phone(company.phone),
        "mobile": format_phone(company.mobile), "fax": format_phone(company.fax), "email": company.email,
        "website": company.website, "street": company.street, "city": company.city, "region": company.region,
        "postcode": company.postcode, "country": company.country, "business_type": company.business_type,
        "main_products": "; ".join(company.main_products), "year_founded": company.year_founded,
        "employees": company.employees, "badges": "; ".join(company.badges),
        "keyword_sets": "; ".join(company.keyword_sets), "sources": " ".join(url for _, url in sources),
        "first_seen": company.first_seen.date().isoformat() if company.first_seen else "",
    }


def hubspot_row(company: Company, sources: Sequence[tuple[str, str]], rules: GradingRules, today: date) -> Row:
    """HubSpot company import: it matches existing companies by "Company Domain Name"."""
    plan = contact_plan(company, rules, today)
    return {
        "Company Domain Name": company.domain, "Name": company.name, "Phone Number": format_phone(company.phone),
        "Street Address": company.street, "City": company.city, "State/Region": company.region,
        "Postal Code": company.postcode, "Country/Region": company.country, "Website URL": company.website,
        "Description": "; ".join(company.main_products), "Type": "Prospect", "Lifecycle Stage": "lead",
        "Lead Grade": company.grade.value if company.grade else "", "Next Call": _iso(plan.next_call),
        "Contact Name": company.contact_name, "Contact Email": company.email,
        "Source URL": sources[0][1] if sources else "",
    }


SALESFORCE_STATUS = {Status.POTENTIAL: "Open - Not Contacted", Status.INTENDED: "Working - Contacted",
                     Status.ESTABLISHED: "Closed - Converted", Status.INVALID: "Closed - Not Converted"}
SALESFORCE_RATING = {"A": "Hot", "B": "Warm", "C": "Cold", "D": "Cold"}


def salesforce_row(company: Company, sources: Sequence[tuple[str, str]], rules: GradingRules, today: date) -> Row:
    """Salesforce lead import: Company and Last Name are required; Status, Rating, Fax, Lead Source taken."""
    first, last = _split_name(company.contact_name)
    return {
        "Company": company.name, "First Name": first, "Last Name": last or "[not provided]",
        "Title": company.contact_title, "Email": company.email, "Phone": format_phone(company.phone),
        "Mobile": format_phone(company.mobile), "Fax": format_phone(company.fax), "Website": company.website,
        "Street": company.street, "City": company.city, "State/Province": company.region,
        "Zip/Postal Code": company.postcode, "Country": company.country,
        "Lead Status": SALESFORCE_STATUS[company.status],
        "Rating": SALESFORCE_RATING.get(company.grade.value if company.grade else "D", "Cold"),
        "Lead Source": ", ".join(sorted({site for site, _ in sources})) or "Web",
        "Industry": ", ".join(company.keyword_sets), "Description": "; ".join(company.main_products),
    }


ROW_BUILDERS: dict[ExportFormat, Callable[[Company, Sequence[tuple[str, str]], GradingRules, date], Row]] = {
    ExportFormat.CSV: standard_row, ExportFormat.XLSX: standard_row,
    ExportFormat.HUBSPOT: hubspot_row, ExportFormat.SALESFORCE: salesforce_row,
}


def _temp_beside(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)


def write_csv_atomic(rows: Sequence[Row], path: Path, columns: Sequence[str] | None = None) -> Path:
    """UTF-8 with BOM (so Excel shows Chinese), every cell guarded, temp file then rename."""
    columns = list(columns or (rows[0].keys() if rows else []))
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([safe_cell(row.get(c)) for c in columns])
            handle.flush()
            crash_point("export:writing")
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


NUMERIC_COLUMNS = frozenset({"company_id", "score", "year_founded"})


def write_xlsx_atomic(rows: Sequence[Row], path: Path, columns: Sequence[str] | None = None) -> Path:
    """A workbook with a frozen, filterable header; text cells are typed text (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = list(columns or (rows[0].keys() if rows else []))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "leads"
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(columns, start=1):
            value = row.get(name)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=c)
            if name in NUMERIC_COLUMNS and isinstance(value, (int, float)):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{max(len(rows) + 1, 1)}"
    for c, name in enumerate(columns, start=1):
        width = max([len(name)] + [len(str(row.get(name) or "")) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    fd, tmp = _temp_beside(path)
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@dataclass
class ExportResult:
    recipient: str
    path: Path | None
    rows: int
    changed: int = 0
    company_ids: list[int] = field(default_factory=list)


def export_leads(store: Store, recipient: str, out_dir: Path, fmt: ExportFormat = ExportFormat.CSV,
                 filters: ExportFilter | None = None, rules: GradingRules | None = None,
                 today: date | None = None, run_id: int | None = None) -> ExportResult:
    """Write the leads ``recipient`` has not received (or that changed); nothing is written when none are."""
    filters = filters or ExportFilter()
    rules = rules or GradingRules()
    today = today or datetime.now(UTC).date()
    picked = store.exportable(recipient, filters.grades, filters.countries, filters.changed)
    selected = [(c, old) for c, old in picked
                if (not filters.sets or set(c.keyword_sets) & set(filters.sets))
                and (old is None or old != fingerprint(c))]
    if not selected:
        return ExportResult(recipient=recipient, path=None, rows=0)
    companies = [c for c, _ in selected]
    ids = [c.id for c in companies if c.id is not None]
    sources = store.sources_of(ids)
    build = ROW_BUILDERS[fmt]
    rows = [build(c, sources.get(c.id or -1, []), rules, today) for c in companies]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    suffix = "xlsx" if fmt == ExportFormat.XLSX else "csv"
    name = f"leads-{_slug(recipient)}-{stamp}.{suffix}" if fmt in (ExportFormat.CSV, ExportFormat.XLSX) \
        else f"leads-{_slug(recipient)}-{fmt.value}-{stamp}.csv"
    path = out_dir / name
    if fmt == ExportFormat.XLSX:
        write_xlsx_atomic(rows, path)
    else:
        write_csv_atomic(rows, path)
    crash_point("export:file-written")
    store.record_export(recipient, str(path), fmt.value, ids, run_id=run_id,
                        fingerprints={c.id: fingerprint(c) for c in companies if c.id is not None})
    return ExportResult(recipient=recipient, path=path, rows=len(rows),
                        changed=sum(1 for _, old in selected if old is not None), company_ids=ids)


def export_new(store: Store, recipient: str, out_dir: Path, grades: Sequence[str] = DEFAULT_GRADES,
               run_id: int | None = None) -> ExportResult:
    """The nightly export: new leads of the given grades, as CSV."""
    return export_leads(store, recipient, out_dir, ExportFormat.CSV, ExportFilter(grades=grades), run_id=run_id)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.lower()).strip("-") or "sales"
