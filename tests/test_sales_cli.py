"""The sales-facing commands end to end on a real store: export, feedback, dnc, regrade, report, runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from pipeline.dedup import DedupRules, resolve
from pipeline.grade import GradingRules, assign_grades
from pipeline.models import Status
from pipeline.store import Store
from tests.factories import lead

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db_url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("LEADS_DB_URL", db_url)
    s = Store(db_url)
    s.migrate()
    batch = [lead(f"Company {i} Inc", url=f"b2b/{i}", phones=[f"(212) 736-50{i:02d}"], website=f"co{i}.com",
                  contact_name="Ann Lee" if i % 2 else None, country="US", keyword_set="valves")
             for i in range(10)]
    result = resolve(batch, [], DedupRules())
    assign_grades(result.companies, [], GradingRules())
    s.load(result.companies)
    yield s
    s.dispose()


def test_export_formats_from_the_command_line(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    first = runner.invoke(app, ["export", "--new", "--recipient", "ann", "--grade", "A,B", "--format", "xlsx",
                                "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "Exported 6 leads for ann" in first.output and ".xlsx" in first.output
    bad = runner.invoke(app, ["export", "--format", "pdf"])
    assert bad.exit_code == 2 and "--format" in bad.output
    sf = runner.invoke(app, ["export", "--recipient", "crm", "--format", "salesforce", "--out", str(out)])
    assert "Exported 10 leads for crm" in sf.output


def test_feedback_dnc_regrade_report_and_runs(store: Store, tmp_path: Path, prefect_harness: None) -> None:
    feedback = tmp_path / "fb.csv"
    feedback.write_text("domain,status,reason,date,way\nco1.com,intended,,2026-11-20,visit\n"
                        "co2.com,invalid,wrong number,2026-11-21,phone\n", encoding="utf-8")
    ok = runner.invoke(app, ["feedback", "import", str(feedback)])
    assert ok.exit_code == 0, ok.output
    assert "2 contacts logged, 2 status changes" in ok.output and "unreachable 1" in ok.output

    bad = tmp_path / "bad.csv"
    bad.write_text("domain,status\nco3.com,intended\nnowhere-co.com,invalid\n", encoding="utf-8")
    refused = runner.invoke(app, ["feedback", "import", str(bad)])
    assert refused.exit_code == 2 and "no company with domain nowhere-co.com" in refused.output
    [three] = [c for c in store.get_companies(range(1, 20)) if c.domain == "co3.com"]
    assert three.status == Status.POTENTIAL, "nothing half-applied"

    assert runner.invoke(app, ["dnc", "add", "--phone", "(212) 736-5004", "--country", "US"]).exit_code == 0
    listed = runner.invoke(app, ["dnc", "list"])
    assert "phone:+12127365004" in listed.output

    regraded = runner.invoke(app, ["regrade"])
    assert regraded.exit_code == 0, regraded.output
    assert "Re-graded 10 companies" in regraded.output
    [one] = [c for c in store.get_companies(range(1, 20)) if c.domain == "co1.com"]
    assert one.grade is not None and one.grade.value == "A", "interest shown to sales lifts the grade"
    assert [h["grade"] for h in store.grade_history(one.id)][-1] == "A"

    report = tmp_path / "r.html"
    made = runner.invoke(app, ["report", "--out", str(report)])
    assert made.exit_code == 0 and report.exists()
    assert "Companies by grade" in report.read_text(encoding="utf-8")

    runs = runner.invoke(app, ["runs"])
    assert "monthly-regrade" in runs.output and "ok" in runs.output
