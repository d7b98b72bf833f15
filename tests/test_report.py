from datetime import UTC, datetime

from pipeline.report import ReportData, render_html


def test_report_escapes_scraped_text_and_has_no_scripts() -> None:
    evil = "<script>alert(1)</script>"
    data = ReportData(
        generated_at=datetime(2026, 11, 27, tzinfo=UTC), store="sqlite:///x.db",
        breakdowns={"grade": {"A": 2, "B": 4, "C": 4, "D": 1}, "site": {evil: 3}, "country": {"US": 5},
                    "keyword set": {"valves": 3}, "status": {"potential": 11}},
        runs=[{"id": 2, "flow": "nightly", "stats": {"new_companies": 3, "export_rows": 2,
                                                       "sites": [{"site": evil, "ok": False, "error": evil}]}},
              {"id": 1, "flow": "nightly", "stats": {"new_companies": 8, "export_rows": 8, "sites": []}}],
    )
    html = render_html(data)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Companies by grade" in html and html.count("<svg") >= 5
    assert "FAILED" in html and "11 companies" in html
