"""Grading: a score from weighted signals, then tiers by rank.

The consulting plan's rule: rank prospects, the top 20% are A, the next 40% B,
the rest C; D holds those with no usable contact channel, whatever their score.
Weights live in ``config/grading.yaml`` so marketers tune them without code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.configfile import load_model
from pipeline.models import Company, Grade
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
    region_priority: dict[str, float] = Field(default_factory=dict)
    strength: dict[str, float] = Field(default_factory=lambda: {
        "year_founded": 0.5, "employees": 0.5, "per_extra_source": 0.5,
    })
    max_extra_sources: int = Field(2, ge=0)
    tiers: Tiers = Field(default_factory=Tiers)


def load_rules(path: Path) -> GradingRules:
    return load_model(path, GradingRules) if path.exists() else GradingRules()


def signals(company: Company, rules: GradingRules) -> dict[str, float]:
    """Each signal that scored, with its weight: what ``leads explain`` shows."""
    found: dict[str, float] = {}
    c = rules.contact
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
        if is_there and c.get(name):
            found[f"contact.{name}"] = c[name]
    if company.business_type:
        text = company.business_type.casefold()
        hits = [w for kind, w in rules.business_type.items() if kind.casefold() in text]
        if hits:
            found["fit.business_type"] = max(hits)
    if company.country and company.country in rules.region_priority:
        found["region"] = rules.region_priority[company.country]
    s = rules.strength
    if company.year_founded and s.get("year_founded"):
        found["strength.year_founded"] = s["year_founded"]
    if company.employees and s.get("employees"):
        found["strength.employees"] = s["employees"]
    extra = min(max(len(company.sites) - 1, 0), rules.max_extra_sources)
    if extra and s.get("per_extra_source"):
        found["trust.extra_sources"] = extra * s["per_extra_source"]
    return found


def score(company: Company, rules: GradingRules) -> float:
    return round(sum(signals(company, rules).values()), 3)


def assign_grades(companies: Sequence[Company], reference: Sequence[float], rules: GradingRules) -> None:
    """Score ``companies`` and tier them by rank among themselves and ``reference``.

    ``reference`` holds the scores of graded companies not in this batch, so a
    night's leads are ranked against the whole file, not only against each
    other. Companies without a contact channel get D and take no rank.
    """
    ranked: list[tuple[float, int, int]] = [(s, 1, -1) for s in reference]
    for i, company in enumerate(companies):
        company.score = score(company, rules)
        if company.has_contact_channel():
            ranked.append((company.score, 0, i))
        else:
            company.grade = Grade.D
    # Highest score first; on ties batch members after stored ones, then batch order.
    ranked.sort(key=lambda item: (-item[0], item[1], item[2]))
    total = len(ranked)
    a_cut = round(total * rules.tiers.A)
    b_cut = round(total * (rules.tiers.A + rules.tiers.B))
    for position, (_, is_reference, index) in enumerate(ranked):
        if is_reference:
            continue
        companies[index].grade = Grade.A if position < a_cut else Grade.B if position < b_cut else Grade.C
