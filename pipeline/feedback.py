"""Sales feedback: what happened with each lead, read from a CSV and checked as a whole.

Every row names a company (its id from an export, or its web domain), the
new status, and when and how it was contacted; failures say why, and the
reason is classified so the run report and the re-grade can count them. A
file with any bad row (unknown company, impossible status move, unreadable
date) is refused whole: nothing is half-applied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.errors import InputError
from pipeline.models import Status
from pipeline.normalize import registered_domain
from pipeline.status import can_move, parse_status
from pipeline.tabular import map_columns, read_csv

FEEDBACK_COLUMNS: dict[str, tuple[str, ...]] = {
    "company_id": ("id", "company id", "lead id", "account id"),
    "domain": ("website", "web", "url", "company domain name"),
    "status": ("new status", "lead status", "result", "状态"),
    "reason": ("failure reason", "why", "reason for failure", "原因"),
    "contact_date": ("date", "contacted", "contacted at", "contact date", "日期"),
    "way": ("channel", "how", "method", "contact method", "方式"),
    "note": ("notes", "comment", "comments", "remark", "备注"),
}
WAYS = {"phone": "phone", "call": "phone", "电话": "phone", "visit": "visit", "meeting": "visit",
        "拜访": "visit", "email": "email", "e-mail": "email", "mail": "email", "邮件": "email"}

# Failure reasons by category; the first category whose word appears wins.
REASON_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("do_not_contact", ("do not contact", "don't contact", "dont contact", "do not call", "don't call",
                        "unsubscribe", "remove us", "stop contacting", "请勿联系", "不要联系", "nicht kontaktieren",
                        "keine werbung", "ne pas contacter", "no contactar")),
    ("duplicate", ("duplicate", "same company", "重复", "dublette", "doublon")),
    ("closed", ("out of business", "closed down", "bankrupt", "no longer exists", "倒闭", "关闭", "insolvent")),
    ("unreachable", ("wrong number", "invalid number", "disconnected", "bounced", "bounce", "invalid email",
                     "unreachable", "空号", "号码错误", "nicht erreichbar", "injoignable", "numéro erroné")),
    ("no_reply", ("no answer", "no reply", "no response", "did not answer", "didn't answer", "voicemail",
                  "无人接听", "未回复", "keine antwort", "pas de réponse", "sin respuesta")),
    ("wrong_target", ("not a buyer", "wrong industry", "not our target", "not relevant", "wrong target",
                      "不是目标", "不相关", "falsche branche", "hors cible")),
    ("has_supplier", ("has a supplier", "has supplier", "existing supplier", "already buys", "competitor",
                      "已有供应商", "lieferant vorhanden", "déjà un fournisseur")),
    ("price", ("price", "too expensive", "cost", "价格", "太贵", "zu teuer", "trop cher", "caro")),
    ("no_need", ("no need", "not interested", "no demand", "no interest", "不需要", "没兴趣", "kein bedarf",
                 "kein interesse", "pas intéressé", "no interesado")),
]


def classify_reason(reason: str | None) -> str | None:
    if not reason or not reason.strip():
        return None
    text = reason.casefold()
    for category, words in REASON_WORDS:
        if any(word in text for word in words):
            return category
    return "other"


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%Y年%m月%d日")


def parse_date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class FeedbackRow:
    line: int
    company_ref: str
    status: Status
    contacted_at: datetime
    way: str | None
    reason: str | None
    reason_category: str | None
    note: str | None


@dataclass(frozen=True)
class FeedbackEntry:
    """A checked row with the company it is about."""

    company_id: int
    row: FeedbackRow


def read_feedback(path: Path, today: datetime | None = None) -> list[FeedbackRow]:
    """Rows of a feedback CSV, or InputError naming every bad row."""
    frame = read_csv(path)
    columns = map_columns(list(frame.columns), FEEDBACK_COLUMNS, {}, {"status"}, path)
    if "company_id" not in columns and "domain" not in columns:
        raise InputError(f"{path}: needs a company_id or a domain column to name each company")
    today = today or datetime.now(UTC)
    rows: list[FeedbackRow] = []
    problems: list[str] = []
    for line, record in enumerate(frame.to_dict(orient="records"), start=2):
        def cell(field: str, _record: dict = record) -> str:
            return str(_record[columns[field]]).strip() if field in columns else ""

        if not any(cell(f) for f in columns):
            continue
        ref = cell("company_id") or (f"domain:{registered_domain(cell('domain'))}" if cell("domain") else "")
        if not ref or ref == "domain:None":
            problems.append(f"row {line}: no company_id or usable domain")
            continue
        status = parse_status(cell("status"))
        if status is None:
            problems.append(f"row {line}: {columns['status']}: unknown status {cell('status')!r} "
                            "(use potential, intended, established or invalid)")
            continue
        when = parse_date(cell("contact_date")) if cell("contact_date") else today
        if when is None:
            problems.append(f"row {line}: {columns['contact_date']}: unreadable date {cell('contact_date')!r} "
                            "(write 2026-11-27)")
            continue
        way_text = cell("way").casefold()
        way = WAYS.get(way_text) if way_text else None
        if way_text and way is None:
            problems.append(f"row {line}: {columns['way']}: unknown way {cell('way')!r} (phone, visit or email)")
            continue
        reason = cell("reason") or None
        rows.append(FeedbackRow(line=line, company_ref=ref, status=status, contacted_at=when, way=way,
                                reason=reason, reason_category=classify_reason(reason), note=cell("note") or None))
    if problems:
        raise InputError(f"{path}: nothing was applied; " + "; ".join(problems))
    return rows


def check_moves(entries: list[FeedbackEntry], current: dict[int, Status], path: Path) -> None:
    """Each company's rows, in date order, must be allowed moves from its current status."""
    problems = []
    by_company: dict[int, list[FeedbackEntry]] = defaultdict(list)
    for entry in entries:
        by_company[entry.company_id].append(entry)
    for company_id, items in by_company.items():
        status = current[company_id]
        for entry in sorted(items, key=lambda e: (e.row.contacted_at, e.row.line)):
            if not can_move(status, entry.row.status):
                problems.append(f"row {entry.row.line}: company {company_id} cannot move from {status.value} "
                                f"to {entry.row.status.value}")
            status = entry.row.status
    if problems:
        raise InputError(f"{path}: nothing was applied; " + "; ".join(problems))


def dnc_key(kind: str, value: str) -> str:
    """A do-not-contact entry as a matching key ("domain:acme.com", "email:x@y", "phone:+1...")."""
    return f"{kind}:{value}"


