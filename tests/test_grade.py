from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grade import GradingRules, assign_grades, signals
from pipeline.models import Company, Grade

RULES = GradingRules()


def company(i: int, **fields) -> Company:
    return Company(name=f"Co {i}", name_key=f"co {i}", **fields)


def test_tiers_are_20_40_40_by_rank_and_d_without_contact() -> None:
    # 10 reachable companies with strictly decreasing scores, 2 unreachable ones
    companies = [company(i, phone="+17134820000", employees="10" if i < 9 else None,
                         contact_name="A" if i < 7 else None, website="x" if i < 4 else None,
                         fax="+1" if i < 2 else None, street="s" if i < 1 else None)
                 for i in range(10)]
    companies += [company(100, website="http://x.com"), company(101)]
    assign_grades(companies, [], RULES)
    grades = [c.grade for c in companies]
    assert grades[:2] == [Grade.A, Grade.A]
    assert grades[2:6] == [Grade.B] * 4
    assert grades[6:10] == [Grade.C] * 4
    assert grades[10:] == [Grade.D, Grade.D]
    assert all(c.score is not None for c in companies)


def test_batch_is_ranked_against_the_store() -> None:
    # the store already holds 8 companies scoring higher than anything in the batch
    batch = [company(i, phone="+17134820000") for i in range(2)]
    assign_grades(batch, [100.0] * 8, RULES)
    assert Counter(c.grade for c in batch) == Counter({Grade.C: 2})


def test_signals_explain_the_score() -> None:
    c = company(1, phone="+1", emails=["john@acme.com"], contact_name="John", business_type="Manufacturer",
                country="US", sites=["a", "b", "c", "d"])
    found = signals(c, GradingRules(region_priority={"US": 1.0}))
    assert found["contact.personal_email"] == 2.0
    assert found["fit.business_type"] == 2.0
    assert found["region"] == 1.0
    assert found["trust.extra_sources"] == 1.0  # capped at two extra sources
    assert "contact.role_email" not in found


def test_tier_shares_must_leave_room_for_c() -> None:
    with pytest.raises(ValueError, match="A \\+ B < 1"):
        GradingRules.model_validate({"tiers": {"A": 0.5, "B": 0.5}})


@pytest.mark.parametrize(
    ("grade", "last_call", "last_visit", "next_call", "next_visit"),
    [
        ("A", None, None, "2026-11-27", "2027-01-27"),
        ("B", "2026-11-25", "2026-10-01", "2026-12-02", "2027-01-01"),
        ("C", "2026-11-25", "2026-08-31", "2026-12-09", "2026-12-31"),
        ("C", "2026-01-01", None, "2026-11-27", "2027-03-27"),  # overdue: call today
    ],
)
def test_contact_plan_follows_the_cadence(grade, last_call, last_visit, next_call, next_visit) -> None:
    from datetime import UTC, date, datetime

    from pipeline.grade import contact_plan

    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None

    c = company(1, phone="+1", grade=Grade(grade), last_contact_at=at(last_call), last_visit_at=at(last_visit))
    plan = contact_plan(c, RULES, date(2026, 11, 27))
    assert (plan.next_call.isoformat(), plan.next_visit.isoformat()) == (next_call, next_visit)


def test_no_plan_for_d_invalid_or_customers() -> None:
    from datetime import date

    from pipeline.grade import contact_plan
    from pipeline.models import Status

    for c in (company(1, grade=Grade.D), company(2, grade=Grade.A, status=Status.INVALID),
              company(3, grade=Grade.A, status=Status.ESTABLISHED)):
        assert contact_plan(c, RULES, date(2026, 11, 27)).next_call is None


def test_intent_and_history_move_the_score() -> None:
    from pipeline.grade import ContactHistory, score
    from pipeline.models import Status

    base = company(1, phone="+1")
    keen = company(1, phone="+1", status=Status.INTENDED)
    assert score(keen, RULES) == score(base, RULES) + 3.0
    assert score(base, RULES, ContactHistory(positive=2, failed=1)) == score(base, RULES) + 1.5


def test_invalid_companies_are_d() -> None:
    from pipeline.models import Status

    companies = [company(1, phone="+1", status=Status.INVALID), company(2, phone="+1")]
    assign_grades(companies, [], RULES)
    assert companies[0].grade == Grade.D and companies[1].grade != Grade.D


def ranked_by_sorting(companies: list[Company], reference: list[float], rules: GradingRules) -> list[Grade | None]:
    """Grades the plain way: sort the file's scores and the batch's together, then cut the ranking."""
    ranked = [(s, 0, -1) for s in reference]
    ranked += [(c.score, 1, i) for i, c in enumerate(companies) if c.grade != Grade.D]
    ranked.sort(key=lambda item: (-item[0], item[1], item[2]))
    a_cut, b_cut = round(len(ranked) * rules.tiers.A), round(len(ranked) * (rules.tiers.A + rules.tiers.B))
    grades: list[Grade | None] = [c.grade for c in companies]
    for position, (_, in_batch, index) in enumerate(ranked):
        if in_batch:
            grades[index] = Grade.A if position < a_cut else Grade.B if position < b_cut else Grade.C
    return grades


# every score these companies can get (a phone, a contact name, a website, a size), so the file ties with them
SCORES = [0.0, 0.51, 1.01, 1.52, 2.01, 2.52, 3.02, 3.53, 4.02, 4.53, 5.03, 5.54]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()), max_size=40),
       st.lists(st.sampled_from(SCORES + [7.0]), max_size=60))
def test_ranking_against_the_file_equals_sorting_everything(fields: list[tuple[bool, ...]],
                                                            reference: list[float]) -> None:
    """Ties (many here) go to stored companies, then to batch order, exactly as one big sort would."""
    companies = [company(i, phone="+17134820000" if reachable else None, contact_name="A" if named else None,
                         website="x" if site else None, employees="10" if big else None)
                 for i, (reachable, named, site, big) in enumerate(fields)]
    assign_grades(companies, reference, RULES)
    assert [c.grade for c in companies] == ranked_by_sorting(companies, reference, RULES)
    assert {c.score for c in companies} <= set(SCORES), "the file must hold the batch's scores, or ties go untested"
