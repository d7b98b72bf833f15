"""The `leads` command line: help for every command, clear errors for bad config."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["demo"], ["run"], ["export"], ["sites", "check"], ["db", "upgrade"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_sites_check_lists_good_sites(monkeypatch: pytest.MonkeyPatch, project_config: Path) -> None:
    monkeypatch.setenv("LEADS_CONFIG_DIR", str(project_config))
    result = runner.invoke(app, ["sites", "check"])
    assert result.exit_code == 0, result.output
    assert "tradeboard" in result.output and "yellowpages" in result.output


def test_sites_check_reports_every_problem(monkeypatch: pytest.MonkeyPatch, project_config: Path) -> None:
    monkeypatch.setenv("LEADS_CONFIG_DIR", str(project_config))
    sites = project_config / "sites"
    (sites / "a.yaml").write_text("base_url: http://127.0.0.1\nlanguages: [en]\nsearch: {url: /s}\n"
                                  "listing: {item: div}\n", encoding="utf-8")
    (sites / "b.yaml").write_text("languages: [en\n", encoding="utf-8")
    result = runner.invoke(app, ["sites", "check"])
    assert result.exit_code == 2
    assert "a.yaml:3: search.url:" in result.output and "{keyword}" in result.output
    assert "b.yaml:" in result.output and "(syntax)" in result.output


def test_export_writes_nothing_for_an_empty_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEADS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["export", "--new", "--recipient", "alice", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert "No new leads for alice" in result.output
    assert not (tmp_path / "x").exists()


def test_export_rejects_unknown_grades() -> None:
    result = runner.invoke(app, ["export", "--grade", "A,Z"])
    assert result.exit_code == 2
    assert "unknown grade(s) Z" in result.output


def test_sites_try_shows_cards_and_one_detail_page(sandbox, monkeypatch: pytest.MonkeyPatch,
                                                   project_config: Path) -> None:
    monkeypatch.setenv("LEADS_CONFIG_DIR", str(project_config))
    result = runner.invoke(app, ["sites", "try", "yellowpages", "--keyword", "industrial valves"])
    assert result.exit_code == 0, result.output
    assert "1 detail page(s)" in result.output
    assert result.output.count("  card: ") >= 10
    assert "phones" in result.output and "(selector)" in result.output


def test_explain_shows_sources_evidence_and_signals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipeline.dedup import DedupRules, resolve
    from pipeline.grade import GradingRules, assign_grades
    from pipeline.store import Store
    from tests.factories import lead

    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    store = Store(db_url)
    store.migrate()
    batch = [lead("Harper Valve Inc.", site="b2b", url="/company/harper-1.html", phones=["(713) 482-1937"]),
             lead("HARPER VALVE", site="yp", url="/biz/harper-9", phones=["713.482.1937"], contact_name="Jo Lee")]
    result = resolve(batch, [], DedupRules())
    assign_grades(result.companies, [], GradingRules())
    store.load(result.companies)
    monkeypatch.setenv("LEADS_DB_URL", db_url)
    out = runner.invoke(app, ["explain", str(result.companies[0].id)])
    assert out.exit_code == 0, out.output
    for text in ("Harper Valve Inc.", "/company/harper-1.html", "/biz/harper-9", "same_phone",
                 "phone:+17134821937", "contact.contact_name"):
        assert text in out.output
    missing = runner.invoke(app, ["explain", "999"])
    assert missing.exit_code == 1 and "No company with id 999" in missing.output


def test_explain_tells_why_a_branch_was_kept_apart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipeline.dedup import DedupRules, resolve
    from pipeline.store import Store
    from tests.factories import lead

    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    store = Store(db_url)
    store.migrate()
    keys = dict(phones=["(312) 406-3667"], website="grandviewmolding.com")
    batch = [lead("Grandview Molding Inc.", city="Chicago", postcode="60637", **keys),
             lead("Grandview Molding Incorporated", city="Brooklyn", postcode="11254", **keys)]
    result = resolve(batch, [], DedupRules())
    store.load(result.companies)
    monkeypatch.setenv("LEADS_DB_URL", db_url)
    assert len(result.companies) == 2
    for company in result.companies:
        out = runner.invoke(app, ["explain", str(company.id)])
        assert out.exit_code == 0, out.output
        assert "One source only: nothing was merged." in out.output
        assert "Links refused: kept as separate companies" in out.output
        assert "refused different places" in out.output
        assert "domain:grandviewmolding.com" in out.output


def test_extract_prints_one_json_object_per_page() -> None:
    import json

    samples = Path(__file__).parent / "samples" / "pages"
    pages = [samples / "company_us.html", samples / "company_de.html"]
    result = runner.invoke(app, ["extract", *map(str, pages)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in rows] == [str(p) for p in pages]
    keys = {"source", "name", "phones", "faxes", "emails", "website", "street", "city", "region", "postcode",
            "country", "contact_name", "contact_title", "methods"}
    for row, page in zip(rows, pages, strict=True):
        assert set(row) == keys
        assert isinstance(row["phones"], list) and isinstance(row["emails"], list)
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        assert row["name"] == expected["fields"]["name"]
        assert row["methods"]["name"] == expected["methods"]["name"]
