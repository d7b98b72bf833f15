"""`import-leads` under Prefect's harness: idempotent, and imported rows join known companies."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.importing import ImportParams, import_leads
from pipeline.imports import ImportSource
from pipeline.store import Store

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.e2e


def test_import_twice_then_a_list_that_overlaps(prefect_harness: None, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'leads.db'}"
    params = ImportParams(path=str(DATA / "customs.csv"), source=ImportSource.CUSTOMS, db_url=db_url)

    first = import_leads(params)
    again = import_leads(params)

    assert (first.rows, first.new_companies) == (3, 3)
    assert (again.new_companies, again.updated_companies) == (0, 3)
    store = Store(db_url)
    assert store.count_companies() == 3 and store.count_sources() == 3

    crm = tmp_path / "crm.csv"
    crm.write_text("Company Name,Telephone,City\nHARPER VALVE,713.482.1937,Houston\nNew Buyer Ltd,,London\n",
                   encoding="utf-8")
    listed = import_leads(ImportParams(path=str(crm), source=ImportSource.LIST, db_url=db_url, country="US"))

    assert (listed.new_companies, listed.updated_companies) == (1, 1)
    harper = next(c for c in store.get_companies(range(1, 10)) if c.name_key == "harper valve")
    assert harper.sites == ["import-customs", "import-list"]
    assert harper.grade is not None
    store.dispose()
