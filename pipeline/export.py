"""Lists of new leads for sales, written so Excel opens them as they are.

A file is written under a temporary name and renamed only when complete; the
export is recorded in the store after that, so a crash never marks leads as
sent that nobody received.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.models import Company, Grade
from pipeline.normalize import format_phone
from pipeline.store import Store

COLUMNS = (
    "company_id", "grade", "score", "status", "company", "legal_form", "contact_name",
    "contact_title", "phone", "mobile", "fax", "email", "website", "street", "city", "region",
    "postcode", "country", "business_type", "main_products", "year_founded", "employees",
    "keyword_sets", "sources", "first_seen",
)
PHONE_COLUMNS = frozenset({"phone", "mobile", "fax"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_GRADES = (Grade.A.value, Grade.B.value, Grade.C.value)


def safe_cell(value: object) -> str:
    """Text that a spreadsheet shows and never evaluates.

    Scraped text reaches sales' spreadsheets: a cell starting with =, +, -, @,
    tab or carriage return would run as a formula, so it gets a leading
    apostrophe (the OWASP CSV-injection advice).
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def phone_cell(e164: str | None) -> str:
    """A phone in international form ("+1 713-482-1937"), guarded like any other cell.

    The plus matters to whoever dials, so the number is never reduced to
    digits; the guard keeps a spreadsheet from reading it as a formula.
    """
    return safe_cell(format_phone(e164))


def company_row(company: Company, sources: Sequence[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, object] = {
        "company_id": company.id,
        "grade": company.grade.value if company.grade else "",
        "score": company.score,
        "status": company.status.value,
        "company": company.name,
        "legal_form": company.legal_form,
        "contact_name": company.contact_name,
        "contact_title": company.contact_title,
        "email": company.email,
        "website": company.website,
        "street": company.street,
        "city": company.city,
        "region": company.region,
        "postcode": company.postcode,
        "country": company.country,
        "business_type": company.business_type,
        "main_products": "; ".join(company.main_products),
        "year_founded": company.year_founded,
        "employees": company.employees,
        "keyword_sets": "; ".join(company.keyword_sets),
        "sources": " ".join(url for _, url in sources),
        "first_seen": company.first_seen.date().isoformat() if company.first_seen else "",
    }
    row = {name: safe_cell(values.get(name)) for name in COLUMNS if name not in PHONE_COLUMNS}
    row["phone"] = phone_cell(company.phone)
    row["mobile"] = phone_cell(company.mobile)
    row["fax"] = phone_cell(company.fax)
    return {name: row[name] for name in COLUMNS}


def write_csv_atomic(rows: Sequence[dict[str, str]], path: Path) -> Path:
    """UTF-8 with BOM (so Excel shows Chinese), written to a temp file then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
            handle.flush()
            os.fsync(handle.fileno())
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


def export_new(store: Store, recipient: str, out_dir: Path, grades: Sequence[str] = DEFAULT_GRADES,
               run_id: int | None = None) -> ExportResult:
    """Write the companies ``recipient`` has never received; nothing is written when none are new."""
    companies = store.unsent(recipient, grades)
    if not companies:
        return ExportResult(recipient=recipient, path=None, rows=0)
    ids = [c.id for c in companies if c.id is not None]
    sources = store.sources_of(ids)
    rows = [company_row(c, sources.get(c.id or -1, [])) for c in companies]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    path = write_csv_atomic(rows, out_dir / f"leads-{_slug(recipient)}-{stamp}.csv")
    store.record_export(recipient, str(path), "csv", ids, run_id=run_id)
    return ExportResult(recipient=recipient, path=path, rows=len(rows))


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.lower()).strip("-") or "sales"
