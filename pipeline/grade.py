"""Grading: a score from weighted signals, then tiers by rank, and a contact plan per tier.

The consulting plan's rule: rank prospects by intent and quality, the top 20%
are A, the next 40% B, the rest C; D holds those with no usable contact
channel, whatever their score. Each tier has a cadence (call weekly, visit
every two months...). Weights, shares and cadence live in
``config/grading.yaml`` so marketers tune them without code.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.configfile import load_model
from pipeline.models import Company, Grade, Status
from pipeline.normalize import is_role_email


class Tiers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    A: float = Field(0.2, gt=0, lt=1, description="share of ranked leads graded A")
    B: float = Field(0.4, gt=0, lt=1, description="share graded B; C takes the rest")

    @model_validator(mode="after")
    def _fits(self) -> Tiers:
        if self.A + self.B >= 1:
            raise ValueError("A and B together must leave room for C (A + B < 1)")
        return self


class Cadence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call_every_days: int = Field(ge=1)
    visit_every_months: int = Field(ge=1)


def _default_cadence() -> dict[str, Cadence]:
    # From the source plans: A and B weekly calls, C every two weeks; visits every 2/3/4 months.
    return {"A": Cadence(call_every_days=7, visit_every_months=2),
            "B": Cadence(call_every_days=7, visit_every_months=3),
            "C": Cadence(call_every_days=14, visit_every_months=4)}


class GradingRules(BaseModel):
    """Signal weights; a missing signal scores nothing."""

    model_config = ConfigDict(extra="forbid")

    contact: dict[str, float] = Field(default_factory=lambda: {
        "contact_name": 2.0, "phone": 2.0, "mobile": 1.0, "personal_email": 2.0,
        "role_email": 1.0, "website": 1.0, "fax": 0.5, "street": 0.5,
    })
    business_type: dict[str, float] = Field(default_factory=lambda: {
        "manufacturer": 2.0, "importer": 2.0, "trading company": 1.0, "distributor": 1.0,
        "wholesaler": 1.0,
    })
    keyword_sets: dict[str, float] = Field(default_factory=dict, description="keyword set -> weight of a match")
    products: dict[str, float] = Field(default_factory=dict, description="word in main products -> weight")
    region_priority: dict[str, float] = Field(default_factory=dict)
    strength: dict[str, float] = Field(default_factory=lambda: {
        "year_founded": 0.5, "employees": 0.5, "per_extra_source": 0.5, "badge": 1.0, "certification": 0.5,
    })
    max_extra_sources: int = Field(2, ge=0)
    intent: dict[str, float] = Field(default_factory=lambda: {
        "intended": 3.0, "per_positive_contact": 1.0, "per_failed_contact": -0.5,
    }, description="re-grading from contact history")
    tiers: Tiers = Field(default_factory=Tiers)
    cadence: dict[str, Cadence] = Field(default_factory=_default_cadence)

    @model_validator(mode="after")
    def _cadence_for_each_tier(self) -> GradingRules:
        missing = sorted({"A", "B", "C"} - set(self.cadence))
        if missing:
            raise ValueError(f"cadence needs tiers {', '.join(missing)}")
        return self


@dataclass(frozen=True)
class ContactHistory:
    positive: int = 0
    failed: int = 0


def load_rules(path: Path) -> GradingRules:
    return load_model(path, GradingRules) if path.exists() else GradingRules()


def _words(text: str) -> set[str]:
    return set(text.casefold().replace(",", " ").replace("/", " ").split())


def signals(company: Company, rules: GradingRules, history: ContactHistory | None = None) -> dict[str, float]:
    """Each signal that scored, with its weight: what ``leads explain`` shows."""
    found: dict[str, float] = {}
    present = {
        "contact_name": bool(company.contact_name),
        "phone": bool(company.phone),
        "mobile": bool(company.mobile),
        "personal_email": any(not is_role_email(e) for e in company.emails),
        "role_email": bool(company.emails) and all(is_role_email(e) for e in company.emails),
        "website": bool(company.website),
        "fax": bool(company.fax),
        "street": bool(company.street),
    }
    for name, is_there in present.items():
        if is_there and rules.contact.get(name):
            found[f"contact.{name}"] = rules.contact[name]
    if company.business_type:
        text = company.business_type.casefold()
        hits = [w for kind, w in rules.business_type.items() if kind.casefold() in text]
        if hits:
            found["fit.business_type"] = max(hits)
    set_hits = [rules.keyword_sets[s] for s in company.keyword_sets if s in rules.keyword_sets]
    if set_hits:
        found["fit.keyword_sets"] = max(set_hits)
    if rules.products and company.main_products:
        words = set().union(*(_words(p) for p in company.main_products))
        product_hits = [w for word, w in rules.products.items() if word.casefold() in words]
        if product_hits:
            found["fit.products"] = max(product_hits)
    if company.country and company.country in rules.region_priority:
        found["region"] = rules.region_priority[company.country]
    s = rules.strength
    if company.year_founded and s.get("year_founded"):
        found["strength.year_founded"] = s["year_founded"]
    if company.employees and s.get("employees"):
        found["strength.employees"] = s["employees"]
    if company.badges and s.get("badge"):
        found["strength.badges"] = s["badge"]
    if company.certifications and s.get("certification"):
        found["strength.certifications"] = s["certification"]
    extra = min(max(len(company.sites) - 1, 0), rules.max_extra_sources)
    if extra and s.get("per_extra_source"):
        found["trust.extra_sources"] = extra * s["per_extra_source"]
    i = rules.intent
    if company.status == Status.INTENDED and i.get("intended"):
        found["intent.intended"] = i["intended"]
    if history and history.positive and i.get("per_positive_contact"):
        found["intent.positive_contacts"] = history.positive * i["per_positive_contact"]
    if history and history.failed and i.get("per_failed_contact"):
        found["intent.failed_contacts"] = history.failed * i["per_failed_contact"]
    return found


_COMPLETENESS_FIELDS = ("contact_name", "contact_title", "phone", "mobile", "fax", "email", "website", "street",
                        "city", "region", "postcode", "country", "business_type", "year_founded", "employees")


def score(company: Company, rules: GradingRules, history: ContactHistory | None = None) -> float:
    """The sum of the signals' weights, plus a hundredth per filled field.

    Weights are coarse, so many companies would tie; between two equal on
    every signal, the one sales know more about ranks first.
    """
    filled = sum(1 for name in _COMPLETENESS_FIELDS if getattr(company, name))
    return round(sum(signals(company, rules, history).values()) + 0.01 * filled, 3)


def assign_grades(companies: Sequence[Company], reference: Sequence[float] | np.ndarray, rules: GradingRules,
                  histories: dict[int, ContactHistory] | None = None) -> None:
    """Score ``companies`` and tier them by rank among themselves and ``reference``.

    ``reference`` holds the scores of graded companies not in this batch, so a
    night's leads are ranked against the whole file, not only against each
    other. Companies without a contact channel, and invalid ones, get D and
    take no rank.
    """
    histories = histories or {}
    ranked: list[int] = []
    for i, company in enumerate(companies):
        company.score = score(company, rules, histories.get(company.id or -1))
        if company.has_contact_channel() and company.status != Status.INVALID:
            ranked.append(i)
        else:
            company.grade = Grade.D
    # Highest score first; on a tie a newcomer ranks after the stored company (it does
    # not push one that sales already have down a tier), then batch order. So a
    # company's place is the stored scores at or above its own plus the batch's
    # companies before it: no need to sort the whole file's scores together.
    stored = np.sort(np.asarray(reference, dtype=np.float64))
    scores = np.array([companies[i].score for i in ranked], dtype=np.float64)
    within = np.empty(len(ranked), dtype=np.int64)
    within[np.lexsort((np.arange(len(ranked)), -scores))] = np.arange(len(ranked))
    positions = len(stored) - np.searchsorted(stored, scores, side="left") + within
    total = len(stored) + len(ranked)
    a_cut = round(total * rules.tiers.A)
    b_cut = round(total * (rules.tiers.A + rules.tiers.B))
    for index, position in zip(ranked, positions.tolist(), strict=True):
        companies[index].grade = Grade.A if position < a_cut else Grade.B if position < b_cut else Grade.C


@dataclass(frozen=True)
class ContactPlan:
    next_call: date | None
    next_visit: date | None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contact_plan(company: Company, rules: GradingRules, today: date) -> ContactPlan:
    """Next call and visit from the tier's cadence, counted from the last contact.

    A lead never called is due for a call today; a first visit falls within
    one visit interval from today. D leads, invalid ones and customers
    already won get no plan from this table.
    """
    grade = company.grade.value if company.grade else None
    if grade not in rules.cadence or company.status in (Status.INVALID, Status.ESTABLISHED):
        return ContactPlan(None, None)
    cadence = rules.cadence[grade]
    call = (company.last_contact_at.date() + timedelta(days=cadence.call_every_days)
            if company.last_contact_at else today)
    visit = add_months(company.last_visit_at.date() if company.last_visit_at else today,
                       cadence.visit_every_months)
    return ContactPlan(next_call=max(call, today), next_visit=max(visit, today))


def as_date(moment: datetime | None) -> date | None:
    return moment.date() if moment else None
