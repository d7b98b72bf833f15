"""Deduplicate any CSV of companies: a CRM export, a bought list, a merged spreadsheet.

Each row becomes a Lead, the rows are clustered with the same rules as the
nightly crawl, and the output keeps every input column and adds the cluster
and the golden record's fields, so a user can filter, sort and merge in
Excel or their CRM.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.dedup import DedupResult, DedupRules, resolve
from pipeline.errors import InputError
from pipeline.models import Lead
from pipeline.normalize import format_phone, normalize_lead
from pipeline.tabular import map_columns

# field -> accepted column names besides the field's own name
DEDUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "record_id": ("id", "record id", "recordid", "row id", "account id", "company id"),
    "name": ("company", "company name", "account name", "organization", "organisation", "firm"),
    "phone": ("telephone", "tel", "phone number", "phones"),
    "email": ("e-mail", "email address", "mail", "emails"),
    "website": ("web", "url", "domain", "homepage", "site"),
    "street": ("address", "street address", "address 1", "address1"),
    "city": ("town", "locality"),
    "postcode": ("zip", "zip code", "postal code", "post code", "plz"),
    "country": ("country code", "nation"),
}
GOLDEN = ("name", "legal_form", "phone", "email", "website", "street", "city", "postcode", "country")


def frame_to_leads(frame: pd.DataFrame, columns: dict[str, str], path: Path,
                   default_country: str | None) -> list[Lead]:
    ids = frame[columns["record_id"]] if "record_id" in columns else pd.Series(
        [str(i) for i in range(2, len(frame) + 2)], index=frame.index)
    duplicated = ids[ids.duplicated()]
    if len(duplicated):
        raise InputError(f"{path}: record ids must be unique; repeated: {', '.join(duplicated.head(5))}")
    leads = []
    get = {field: frame[col].tolist() for field, col in columns.items()}
    for row, record_id in enumerate(ids.tolist()):
        def cell(field: str, _row: int = row) -> str:
            return str(get[field][_row]).strip() if field in get else ""
        name = cell("name") or "(no name)"
        leads.append(normalize_lead(Lead(
            name=name, phones=[cell("phone")] if cell("phone") else [],
            emails=[cell("email")] if cell("email") else [], website=cell("website") or None,
            street=cell("street") or None, city=cell("city") or None, postcode=cell("postcode") or None,
            country=cell("country") or default_country, site="csv", url=f"csv:/{record_id}",
        ), default_country=default_country))
    return leads


def dedup_frame(frame: pd.DataFrame, columns: dict[str, str], rules: DedupRules, path: Path,
                default_country: str | None = None) -> tuple[pd.DataFrame, DedupResult]:
    """The input rows with ``cluster_id`` and ``golden_*`` columns added, in input order."""
    leads = frame_to_leads(frame, columns, path, default_country)
    result = resolve(leads, [], rules)
    cluster_of: dict[str, int] = {}
    golden_of: dict[int, dict[str, str]] = {}
    order = sorted(range(len(result.companies)),
                   key=lambda c: min(int(le.url.rsplit("/", 1)[1]) if le.url.rsplit("/", 1)[1].isdigit() else 0
                                     for le in result.companies[c].sources))
    for number, index in enumerate(order, 1):
        company = result.companies[index]
        golden = {f"golden_{f}": "" if getattr(company, f) is None else str(getattr(company, f)) for f in GOLDEN}
        golden["golden_phone"] = format_phone(company.phone) or ""
        golden_of[number] = golden
        for lead in company.sources:
            cluster_of[lead.url] = number
    out = frame.copy()
    urls = [le.url for le in leads]
    out["cluster_id"] = [cluster_of[u] for u in urls]
    for field in GOLDEN:
        out[f"golden_{field}"] = [golden_of[cluster_of[u]][f"golden_{field}"] for u in urls]
    return out, result


def mapping_file(path: Path) -> dict[str, str]:
    """A small YAML or ``field: column`` file naming the columns of an unusual CSV."""
    from pipeline.configfile import read_yaml, to_plain

    data = to_plain(read_yaml(path))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(f"{path}: write one 'field: column name' per line (fields: {', '.join(DEDUP_COLUMNS)})")
    return {str(k): v for k, v in data.items()}


def resolve_columns(frame: pd.DataFrame, overrides: dict[str, str], path: Path) -> dict[str, str]:
    return map_columns(list(frame.columns), DEDUP_COLUMNS, overrides, {"name"}, path)
