"""The pure admission rules against generated dates and schooling texts."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien.admissions.rules import (
    age_problem,
    education_problem,
    twelve_year_grade,
    vote_passes,
)
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


@pytest.mark.parametrize(
    ("text", "grade"),
    [("6/10", 7), ("7/10", 9), ("10/10", 12), ("4/10", 5), ("8/12", 8), ("9/12", 9), ("9", 9)],
)
def test_schooling_reads_as_a_twelve_year_grade(text, grade):
    """The old 10-year system's levels end at 4, 7 and 10 (12-year: 5, 9, 12)."""
    assert twelve_year_grade(text) == grade


@pytest.mark.parametrize("text", ["11/10", "9/9", "0/12", "13/12"])
def test_schooling_of_no_known_system_is_asked_for_again(text):
    assert "Chưa ghi rõ" in education_problem(text, datetime.date(2025, 1, 1), RULES)


def test_unreadable_schooling_is_asked_for():
    assert "Chưa ghi" in education_problem("", datetime.date(2025, 1, 1), RULES)
    assert "Chưa ghi" in education_problem("cấp 2", datetime.date(2025, 1, 1), RULES)


@given(total=st.integers(min_value=1, max_value=500), data=st.data())
def test_two_thirds_is_exact(total, data):
    votes = data.draw(st.integers(min_value=0, max_value=total))
    assert vote_passes(votes, total, datetime.date(2025, 1, 1), RULES) == (3 * votes >= 2 * total)
