"""Exports in every format, feedback from sales, and the do-not-contact list, on both stores."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipeline.dedup import DedupRules, build_company
from pipeline.errors import InputError
from pipeline.export import ExportFilter, ExportFormat, export_leads
from pipeline.feedback import FeedbackEntry, check_moves, classify_reason, read_feedback
from pipeline.grade import GradingRules
from pipeline.models import Grade, Status
from pipeline.store import Store
from tests.factories import lead

TODAY = date(2026, 11, 27)


def load(store: Store, *specs: dict) -> list[int]:
    companies = []
    for i, spec in enumerate(specs):
        spec = dict(spec)
        grade = spec.pop("grade", "A")
        sets = spec.pop("sets", ["valves"])
        c = build_company([lead(url=f"b2b/{i}-{spec['name']}", keyword_set=sets[0], **spec)], None, DedupRules())
        c.grade, c.score = Grade(grade), 10.0 - i
        companies.append(c)
    store.load(companies)
    return [c.id for c in companies]


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


HARPER = dict(name="Harper Valve Inc.", phones=["(713) 482-1937"], website="harpervalve.com",
              emails=["jo.lee@harpervalve.com"], contact_name="Mr. Jo Lee", contact_title="Buyer", country="US")
MULLER = dict(name="Müller Armaturen GmbH", phones=["0711 123456"], country="DE", grade="B", sets=["solar"])
EVIL = dict(name="=HYPERLINK(\"http://evil\",\"x\")", phones=["(212) 736-5001"], country="US", grade="C")


def test_xlsx_has_a_frozen_filterable_header_and_only_text(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    load(store, HARPER, MULLER, EVIL)
    result = export_leads(store, "alice", tmp_path, ExportFormat.XLSX, today=TODAY)
    assert result.rows == 3 and result.path and result.path.suffix == ".xlsx"
    sheet = load_workbook(result.path).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = {r[header.index("company")]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Harper Valve Inc."]["phone"] == "+1 713-482-1937", "the + stays; no apostrophe in xlsx"
    assert rows["Müller Armaturen GmbH"]["phone"] == "+49 711 123456"
    company_cells = [row[header.index("company")] for row in sheet.iter_rows(min_row=2)]
    evil = next(c for c in company_cells if str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s", "written as text, never as a formula"
    assert rows["Harper Valve Inc."]["next_call"] == "2026-11-27"


def test_csv_guards_every_formula_cell(store: Store, tmp_path: Path) -> None:
    load(store, HARPER, EVIL)
    rows = read_csv_rows(export_leads(store, "alice", tmp_path, ExportFormat.CSV, today=TODAY).path)
    assert [r["company"][:2] for r in rows] == ["Ha", "'="]
    assert rows[0]["phone"] == "'+1 713-482-1937"


def test_crm_layouts(store: Store, tmp_path: Path) -> None:
    load(store, HARPER, MULLER)
    hub = read_csv_rows(export_leads(store, "hub", tmp_path, ExportFormat.HUBSPOT, today=TODAY).path)
    assert hub[0]["Company Domain Name"] == "harpervalve.com" and hub[0]["Name"] == "Harper Valve Inc."
    sf = read_csv_rows(export_leads(store, "sf", tmp_path, ExportFormat.SALESFORCE, today=TODAY).path)
    harper = next(r for r in sf if r["Company"] == "Harper Valve Inc.")
    assert (harper["First Name"], harper["Last Name"], harper["Rating"]) == ("Jo", "Lee", "Hot")
    assert harper["Lead Status"] == "Open - Not Contacted" and harper["Lead Source"] == "b2b"
    muller = next(r for r in sf if r["Company"].startswith("Müller"))
    assert muller["Last Name"] == "[not provided]", "Salesforce requires a last name"


def test_filters_and_per_recipient_news(store: Store, tmp_path: Path) -> None:
    load(store, HARPER, MULLER, EVIL)
    de = export_leads(store, "bob", tmp_path, filters=ExportFilter(countries=["de"]), today=TODAY)
    assert de.rows == 1
    solar = export_leads(store, "carol", tmp_path, filters=ExportFilter(sets=["solar"]), today=TODAY)
    assert solar.rows == 1
    ab = export_leads(store, "bob", tmp_path, filters=ExportFilter(grades=["A", "B"]), today=TODAY)
    assert ab.rows == 1, "Müller already went to bob"
    again = export_leads(store, "bob", tmp_path, filters=ExportFilter(grades=["A", "B"]), today=TODAY)
    assert again.rows == 0 and again.path is None


def test_changed_resends_what_changed(store: Store, tmp_path: Path) -> None:
    [harper_id, _] = load(store, HARPER, MULLER)
    assert export_leads(store, "alice", tmp_path, today=TODAY).rows == 2
    [harper] = store.get_companies([harper_id])
    harper.grade = Grade.B
    harper.phone = "+17134821999"
    store.load([harper])
    assert export_leads(store, "alice", tmp_path, today=TODAY).rows == 0
    changed = export_leads(store, "alice", tmp_path, filters=ExportFilter(changed=True), today=TODAY)
    assert (changed.rows, changed.changed) == (1, 1)
    assert export_leads(store, "alice", tmp_path, filters=ExportFilter(changed=True), today=TODAY).rows == 0


def write_feedback(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feedback.csv"
    path.write_text(text, encoding="utf-8")
    return path


def apply(store: Store, path: Path) -> dict[str, int]:
    rows = read_feedback(path)
    found, problems = store.resolve_refs([r.company_ref for r in rows])
    if problems:
        raise InputError("; ".join(problems))
    entries = [FeedbackEntry(found[r.company_ref], r) for r in rows]
    check_moves(entries, store.statuses([e.company_id for e in entries]), path)
    return store.apply_feedback(entries, path.name)


def test_feedback_moves_statuses_and_keeps_the_record(store: Store, tmp_path: Path) -> None:
    harper_id, muller_id, evil_id = load(store, HARPER, MULLER, EVIL)
    path = write_feedback(tmp_path, (
        "company_id,domain,status,reason,contact_date,way,note\n"
        f",harpervalve.com,intended,,2026-11-20,phone,wants a quote\n"
        f"{harper_id},,intended,,2026-11-25,visit,met the buyer\n"
        f"{muller_id},,invalid,Kein Bedarf,2026-11-21,phone,\n"
        f"{evil_id},,invalid,please do not contact us again,2026-11-22,email,\n"))
    counts = apply(store, path)
    assert counts == {"rows": 4, "logged": 4, "status_changes": 3, "do_not_contact": 1}
    statuses = store.statuses([harper_id, muller_id, evil_id])
    assert statuses == {harper_id: Status.INTENDED, muller_id: Status.INVALID, evil_id: Status.INVALID}
    [harper] = store.get_companies([harper_id])
    assert harper.last_contact_at == datetime(2026, 11, 25, tzinfo=UTC)
    assert harper.last_visit_at == datetime(2026, 11, 25, tzinfo=UTC)
    log = store.contact_log(muller_id)
    assert [(e["status_before"], e["status_after"], e["reason_category"]) for e in log] == \
        [("potential", "invalid", "no_need")]
    assert apply(store, path)["logged"] == 0, "importing the same file again adds nothing"
    assert {d["key"] for d in store.list_dnc()} == {"phone:+12127365001"}


def test_bad_feedback_changes_nothing(store: Store, tmp_path: Path) -> None:
    harper_id, muller_id = load(store, HARPER, MULLER)
    path = write_feedback(tmp_path, (
        "company_id,status,contact_date\n"
        f"{harper_id},intended,2026-11-20\n"
        "999,intended,2026-11-20\n"))
    with pytest.raises(InputError, match="unknown company id 999"):
        apply(store, path)
    assert store.statuses([harper_id]) == {harper_id: Status.POTENTIAL}
    assert store.contact_log(harper_id) == []
    with pytest.raises(InputError, match="row 2: .*unknown status 'maybe'"):
        read_feedback(write_feedback(tmp_path, f"company_id,status\n{harper_id},maybe\n"))
    with pytest.raises(InputError, match="unreadable date"):
        read_feedback(write_feedback(tmp_path, f"company_id,status,date\n{harper_id},invalid,next tuesday\n"))
    # invalid -> intended is not a move sales can make in one step
    apply(store, write_feedback(tmp_path, f"company_id,status,date\n{muller_id},invalid,2026-11-01\n"))
    with pytest.raises(InputError, match="cannot move from invalid to intended"):
        apply(store, write_feedback(tmp_path, f"company_id,status,date\n{muller_id},intended,2026-11-02\n"))


@pytest.mark.parametrize(
    ("reason", "category"),
    [("No answer, left voicemail", "no_reply"), ("wrong number", "unreachable"), ("价格太贵", "price"),
     ("Already has a supplier in Ningbo", "has_supplier"), ("kein Interesse", "no_need"),
     ("Bitte nicht kontaktieren", "do_not_contact"), ("went bankrupt", "closed"), ("weather", "other"),
     ("", None)],
)
def test_failure_reasons_are_classified(reason: str, category: str | None) -> None:
    assert classify_reason(reason) == category


def test_do_not_contact_is_never_exported_and_stays_invalid(store: Store, tmp_path: Path) -> None:
    harper_id, _ = load(store, HARPER, MULLER)
    store.add_dnc(["domain:harpervalve.com"], "asked by phone")
    assert store.statuses([harper_id]) == {harper_id: Status.INVALID}
    result = export_leads(store, "alice", tmp_path, filters=ExportFilter(grades=["A", "B", "C", "D"]), today=TODAY)
    assert result.rows == 1
    # the next crawl finds it again: it stays invalid
    again = build_company([lead(site="yp", url="yp/7", **{k: v for k, v in HARPER.items()})], None, DedupRules())
    assert store.dnc_matches([again]) == {0}


def test_contact_plan_uses_the_grade_rules(store: Store, tmp_path: Path) -> None:
    load(store, dict(HARPER, grade="C"))
    rules = GradingRules.model_validate({"cadence": {"A": {"call_every_days": 1, "visit_every_months": 1},
                                                     "B": {"call_every_days": 2, "visit_every_months": 1},
                                                     "C": {"call_every_days": 3, "visit_every_months": 5}}})
    rows = read_csv_rows(export_leads(store, "alice", tmp_path, rules=rules, today=TODAY).path)
    assert (rows[0]["next_call"], rows[0]["next_visit"]) == ("2026-11-27", "2027-04-27")
