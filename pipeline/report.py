"""One self-contained HTML page a manager opens without Python: leads and crawl health.

Charts are inline SVG drawn here (no scripts, no network), and every piece of
text that came from a crawled page or a config file is escaped: the report
must never run what a directory page put in a company name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

BAR_COLORS = {"A": "#1b7f3b", "B": "#4f8fd6", "C": "#e0a526", "D": "#9e9e9e"}


@dataclass
class ReportData:
    generated_at: datetime
    store: str
    breakdowns: dict[str, dict[str, int]]
    runs: list[dict[str, Any]] = field(default_factory=list)


def bar_chart(title: str, counts: dict[str, int], colors: dict[str, str] | None = None) -> str:
    """Horizontal bars, largest first unless the keys are grades."""
    if not counts:
        return f"<section><h3>{escape(title)}</h3><p>No data yet.</p></section>"
    items = list(counts.items())
    if set(counts) - set(BAR_COLORS):
        items.sort(key=lambda kv: -kv[1])
    top = max(v for _, v in items) or 1
    row_h, label_w, bar_w = 22, 170, 380
    height = row_h * len(items) + 10
    rows = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        width = max(1, round(bar_w * value / top))
        color = (colors or {}).get(label, "#4f8fd6")
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 6}" fill="{color}"/>'
            f'<text x="{label_w + width + 5}" y="{y + 15}">{value}</text>'
        )
    svg = (f'<svg role="img" aria-label="{escape(title)}" width="{label_w + bar_w + 70}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">{"".join(rows)}</svg>')
    return f"<section><h3>{escape(title)}</h3>{svg}</section>"


def trend_chart(runs: list[dict[str, Any]]) -> str:
    """New companies and exported leads per nightly run, oldest to newest."""
    nightly = [r for r in reversed(runs) if r.get("flow") == "nightly"]
    if not nightly:
        return "<section><h3>Trend over runs</h3><p>No nightly runs yet.</p></section>"
    new = [int((r.get("stats") or {}).get("new_companies", 0)) for r in nightly]
    exported = [int((r.get("stats") or {}).get("export_rows", 0)) for r in nightly]
    top = max(new + exported + [1])
    w, h, pad = 560, 180, 30
    step = (w - 2 * pad) / max(len(nightly) - 1, 1)

    def points(values: list[int]) -> str:
        return " ".join(f"{pad + i * step:.1f},{h - pad - (h - 2 * pad) * v / top:.1f}" for i, v in enumerate(values))

    labels = "".join(
        f'<text x="{pad + i * step:.1f}" y="{h - 8}" text-anchor="middle">{int(r["id"])}</text>'
        for i, r in enumerate(nightly) if len(nightly) <= 20 or i % max(len(nightly) // 10, 1) == 0)
    return (
        "<section><h3>Trend over runs</h3>"
        f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">'
        f'<polyline fill="none" stroke="#1b7f3b" stroke-width="2" points="{points(new)}"/>'
        f'<polyline fill="none" stroke="#e0a526" stroke-width="2" points="{points(exported)}"/>'
        f'<text x="{pad}" y="14" fill="#1b7f3b">new companies</text>'
        f'<text x="{pad + 120}" y="14" fill="#e0a526">exported leads</text>{labels}</svg>'
        "<p class=\"note\">x axis: run number</p></section>"
    )


def crawl_health(runs: list[dict[str, Any]]) -> str:
    """Per site, its recent nightly runs: requests, leads, failures, status."""
    rows = []
    for run in [r for r in runs if r.get("flow") == "nightly"][:10]:
        for site in (run.get("stats") or {}).get("sites", []):
            ok = site.get("ok", True)
            status = "ok" if ok else f"FAILED: {site.get('error') or ''}"
            rows.append(
                f"<tr class=\"{'ok' if ok else 'bad'}\"><td>{int(run['id'])}</td>"
                f"<td>{escape(str(site.get('site')))}</td>"
                f"<td>{int(site.get('requests', 0))}</td><td>{int(site.get('leads', 0))}</td>"
                f"<td>{int(site.get('skipped', 0))}</td><td>{int(site.get('retries', 0))}</td>"
                f"<td>{int(site.get('bans', 0))}</td><td>{int(site.get('page_failures', 0))}</td>"
                f"<td>{escape(status)}</td></tr>")
    if not rows:
        return "<section><h3>Crawl health</h3><p>No crawls yet.</p></section>"
    head = "".join(f"<th>{h}</th>" for h in ("run", "site", "requests", "leads", "skipped", "retries", "bans",
                                            "failed pages", "status"))
    return f"<section><h3>Crawl health per site</h3><table><tr>{head}</tr>{''.join(rows)}</table></section>"


def render_html(data: ReportData) -> str:
    b = data.breakdowns
    total = sum(b.get("grade", {}).values())
    body = "".join([
        bar_chart("Companies by grade", b.get("grade", {}), BAR_COLORS),
        bar_chart("Companies by status", b.get("status", {})),
        bar_chart("Companies by source site", b.get("site", {})),
        bar_chart("Companies by country (top 25)", b.get("country", {})),
        bar_chart("Companies by keyword set", b.get("keyword set", {})),
        trend_chart(data.runs),
        crawl_health(data.runs),
    ])
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<title>Lead pipeline report</title><style>"
        "body{font-family:sans-serif;margin:2em;color:#222}section{margin-bottom:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
        "tr.bad td{background:#fde8e8}.note{color:#777;font-size:12px}</style></head><body>"
        f"<h1>Lead pipeline report</h1><p>{total} companies in {escape(data.store)}; generated "
        f"{escape(data.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}.</p>{body}</body></html>"
    )
