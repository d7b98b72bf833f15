from collections import Counter

import pytest

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
