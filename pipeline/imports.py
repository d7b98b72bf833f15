"""Leads that do not come from a crawl: customs shipment records and bought or kept lists.

Each row becomes a Lead with its provenance (the source kind, the file, a
stable id of the row), so imported companies are cleaned, deduplicated and
graded with the crawled ones. The row id is a hash of the row's content:
importing the same file again, in any order, adds nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import InputError
from pipeline.models import Lead
from pipeline.tabular import map_columns, read_csv


class ImportSource(StrEnum):
    CUSTOMS = "customs"
    LIST = "list"


# Column names as CRMs, Excel users and list vendors write them (en, de, fr, es, it, pt, zh).
COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("company", "company name", "companyname", "organization", "organisation", "account",
             "account name", "firm", "business name", "firma", "firmenname", "unternehmen", "société",
             "societe", "raison sociale", "empresa", "azienda", "ragione sociale", "公司", "公司名称"),
    "contact_name": ("contact", "contact person", "person", "full name", "decision maker",
                     "ansprechpartner", "interlocuteur", "contacto", "referente", "联系人"),
    "contact_title": ("title", "job title", "position", "role", "funktion", "fonction", "cargo", "职位"),
    "phones": ("phone", "telephone", "tel", "phone number", "direct phone", "telefon", "téléphone",
               "teléfono", "telefono", "telefone", "电话"),
    "mobiles": ("mobile", "cell", "cell phone", "mobile phone", "handy", "mobil", "portable", "móvil",
                "cellulare", "celular", "手机"),
    "faxes": ("fax", "fax number", "telefax", "télécopie", "传真"),
    "emails": ("email", "e-mail", "mail", "email address", "courriel", "correo", "邮箱"),
    "website": ("web", "url", "homepage", "site", "domain", "webseite", "site web", "sitio web", "网址"),
    "street": ("address", "street address", "address 1", "address1", "address line 1", "straße",
               "strasse", "adresse", "dirección", "direccion", "indirizzo", "endereço", "地址"),
    "city": ("town", "locality", "ort", "stadt", "ville", "ciudad", "città", "citta", "cidade", "城市"),
    "region": ("state", "province", "county", "state/province", "bundesland", "région", "provincia",
               "estado", "省份"),
    "postcode": ("zip", "zip code", "postal code", "postcode", "post code", "plz", "postleitzahl",
                 "code postal", "código postal", "cap", "cep", "邮编"),
    "country": ("country name", "nation", "land", "pays", "país", "paese", "国家"),
    "business_type": ("type", "company type", "business type"),
    "main_products": ("products", "main products", "product"),
}
CUSTOMS_ALIASES: dict[str, tuple[str, ...]] = {
    **COMMON_ALIASES,
    "name": ("buyer", "importer", "consignee", "buyer name", "importer name", *COMMON_ALIASES["name"]),
    "street": ("buyer address", "importer address", "consignee address", *COMMON_ALIASES["street"]),
    "country": ("buyer country", "importer country", "destination country", *COMMON_ALIASES["country"]),
    "main_products": ("product description", "goods description", "description", "commodity",
                      *COMMON_ALIASES["main_products"]),
    "hs_code": ("hs", "hs code", "hscode", "tariff code", "hts code"),
    "shipments": ("shipment count", "shipments", "number of shipments", "shipment"),
}
LIST_FIELDS = {"phones", "mobiles", "faxes", "emails", "main_products"}


def row_id(values: dict[str, str]) -> str:
    digest = hashlib.sha1("\x1f".join(f"{k}={values[k]}" for k in sorted(values)).encode("utf-8"))
    return digest.hexdigest()[:16]


def read_leads(path: Path, source: ImportSource, overrides: dict[str, str] | None = None,
               default_country: str | None = None) -> list[Lead]:
    """Leads from a CSV file. Raises InputError (file, row, field) before returning anything."""
    frame = read_csv(path)
    aliases = CUSTOMS_ALIASES if source == ImportSource.CUSTOMS else COMMON_ALIASES
    columns = map_columns(list(frame.columns), aliases, overrides or {}, {"name"}, path)
    now = datetime.now(UTC)
    leads: list[Lead] = []
    problems: list[str] = []
    for number, row in enumerate(frame.to_dict(orient="records"), start=2):  # row 1 is the header
        values = {field: str(row[column]).strip() for field, column in columns.items()}
        if not any(values.values()):
            continue
        data: dict[str, object] = {}
        extra: dict[str, str] = {}
        for field, value in values.items():
            if not value:
                continue
            if field in ("hs_code", "shipments"):
                extra[field] = value
            elif field in LIST_FIELDS:
                data[field] = [value]
            else:
                data[field] = value
        if "name" not in data:
            problems.append(f"row {number}: {columns['name']}: the company name is empty")
            continue
        if source == ImportSource.CUSTOMS:
            data.setdefault("business_type", "Importer")
        data.setdefault("country", default_country)
        try:
            leads.append(Lead(
                **data, extra=extra, site=f"import-{source.value}",
                url=f"import://{source.value}/{path.name}?row={row_id(values)}",
                keyword=None, keyword_set=None, language=None, seen_at=now,
                field_sources={k: f"import:{columns[k]}" for k in data if k in columns},
            ))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            problems.append(f"row {number}: {columns.get(field, field)}: {err['msg']}")
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise InputError(f"{path}: {shown}")
    return leads
