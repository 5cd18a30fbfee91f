"""The pure admission rules against generated dates and schooling texts."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from dangvien.admissions.rules import age_problem, education_problem, vote_passes
from dangvien.core.rules import RuleBook, add_months

RULES = RuleBook(())  # the defaults of core.rules.RULE_KEYS
DAYS = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2030, 12, 31))


@given(birth=DAYS, months=st.integers(min_value=0, max_value=900))
def test_age_is_counted_in_whole_months(birth, months):
    on = add_months(birth, months)
    problem = age_problem(birth, on, RULES)
    if months < 216:
        assert problem is not None and problem[1] is False
    elif months <= 720:
        assert problem is None
    else:
        assert problem is not None and problem[1] is True


@given(grade=st.integers(min_value=0, max_value=12), spaces=st.sampled_from(["", " "]))
def test_schooling_below_lower_secondary_needs_an_exception(grade, spaces):
    problem = education_problem(f"{grade}{spaces}/{spaces}12", datetime.date(2025, 1, 1), RULES)
    assert (problem is None) == (grade >= 9)


def test_unreadable_schooling_is_asked_for():
    assert "Chưa ghi" in education_problem("", datetime.date(2025, 1, 1), RULES)
    assert "Chưa ghi" in education_problem("cấp 2", datetime.date(2025, 1, 1), RULES)


@given(total=st.integers(min_value=1, max_value=500), data=st.data())
def test_two_thirds_is_exact(total, data):
    votes = data.draw(st.integers(min_value=0, max_value=total))
    assert vote_passes(votes, total, datetime.date(2025, 1, 1), RULES) == (3 * votes >= 2 * total)
