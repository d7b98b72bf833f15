"""Ground truth: which listing (site + path) is which company, and how to find it.

Why JSON Lines: evaluation scripts stream it, diff it and grep it; one record
per listing keeps duplicates and cross-site listings explicit.

Two files:

- listings (``write_ground_truth``): one record per listing,
  ``{"site", "path", "company_id", "search_terms"}``; ``search_terms`` are
  the terms of the site's language (config/keywords.yaml) that find it. With
  ``faults=`` the records also carry ``"unrecoverable"``: null, or why no
  client can fetch the page ("redirect_loop", "down").
- companies (``write_company_truth``): one record per company with its full
  contact set (every e-mail including website-only and personal ones, phones
  in E.164, address, contact person, Chinese name) and, for companies with a
  website, what each page of the company web shows: scores enrichment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sandbox.faults import Faults, bucket
from sandbox.model import Company, World
from sandbox.search import terms_for
from sandbox.web import CompanySite, plan_site


def unrecoverable_listings(
    world: World, faults: Faults | Mapping[str, Faults] | None
) -> Iterator[tuple[str, str]]:
    """(site, path) of listings that can never be fetched under ``faults``."""
    for listing, reason in _reasons(world, faults):
        if reason:
            yield listing.site, listing.path


def _reasons(world: World, faults: Faults | Mapping[str, Faults] | None) -> Iterator[Any]:
    """(listing, reason or None) for every listing."""
    for listing in world.listings:
        f = faults if isinstance(faults, Faults) else (faults or {}).get(listing.site)
        reason = None
        if f is not None and f.down:
            reason = "down"
        elif f is not None and bucket(f, listing.site, listing.path) == "redirect_loop":
            reason = "redirect_loop"
        yield listing, reason


def truth_records(
    world: World, faults: Faults | Mapping[str, Faults] | None = None
) -> list[dict[str, Any]]:
    """One record per listing, in world order (``unrecoverable`` only when faults are given)."""
    records = []
    for listing, reason in _reasons(world, faults):
        record: dict[str, Any] = {
            "site": listing.site,
            "path": listing.path,
            "company_id": listing.company_id,
            "search_terms": terms_for(listing),
        }
        if faults is not None:
            record["unrecoverable"] = reason
        records.append(record)
    return records


def _web_record(site: CompanySite) -> dict[str, Any]:
    """What a company's website shows, page by page."""
    return {
        "hosts": list(site.hosts),
        "language": site.language,
        "pages": list(site.paths),
        "contact_path": site.contact_path,
        "contact_link_text": site.contact_text,
        "legal_path": site.legal_path,
        "emails": [
            {
                "email": e.email,
                "shown_as": e.style,
                "pages": list(e.pages),
                "in_footer": e.in_footer,
            }
            for e in site.emails
        ],
        "mobile_shown": site.mobile_on_contact,
    }


def company_record(world: World, company: Company) -> dict[str, Any]:
    """The full truth about one company."""
    site = plan_site(world.seed, company)
    return {
        "company_id": company.id,
        "role": company.role,
        "name": company.name,
        "full_name": company.full_name,
        "legal_form": company.legal_form,
        "name_zh": company.full_name_zh,
        "country": company.country,
        "region": company.region,
        "city": company.city,
        "postcode": company.postcode,
        "street": company.street,
        "phones": [company.phone],
        "mobiles": [company.mobile] if company.mobile else [],
        "faxes": [company.fax] if company.fax else [],
        "emails": company.all_emails,
        "directory_email": company.email,
        "personal_email": company.personal_email,
        "website": company.website,
        "domain": company.domain,
        "contact_name": company.contact_name,
        "contact_title": company.contact_title,
        "business_type": company.business_type,
        "categories": list(company.categories),
        "main_products": list(company.main_products),
        "year_founded": company.year_founded,
        "employees": company.employees,
        "sibling_id": company.sibling_id,
        "listings": [[x.site, x.path] for x in world.listings if x.company_id == company.id],
        "web": _web_record(site) if site else None,
    }


def company_records(world: World) -> list[dict[str, Any]]:
    """One record per company, in world order."""
    return [company_record(world, company) for company in world.companies]


def _write(records: Iterable[dict[str, Any]], path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(record, ensure_ascii=False) for record in records)
    target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target


def write_ground_truth(
    world: World, path: str | Path, faults: Faults | Mapping[str, Faults] | None = None
) -> Path:
    """Write the world's listing ground truth as JSON Lines to ``path`` (parents created)."""
    return _write(truth_records(world, faults), path)


def write_company_truth(world: World, path: str | Path) -> Path:
    """Write one JSON Lines record per company (the enrichment truth) to ``path``."""
    return _write(company_records(world), path)


def load_ground_truth(path: str | Path) -> list[dict[str, Any]]:
    """Read a file written by ``write_ground_truth`` or ``write_company_truth``."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
