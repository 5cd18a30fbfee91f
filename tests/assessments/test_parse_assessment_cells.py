"""The cells of an assessments file: years and grades, as people type them (property tests)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from dangvien.assessments.importing import _GRADES, parse_year
from dangvien.core.vntext import fold

THIS_YEAR = 2026
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@given(CELLS)
def test_a_year_cell_is_a_year_from_1930_to_this_year_or_a_message(value):
    year, message = parse_year(value, THIS_YEAR)
    if year is None:
        assert message
    else:
        assert message == ""
        assert 1930 <= year <= THIS_YEAR


@given(st.integers(min_value=1930, max_value=THIS_YEAR))
def test_every_year_in_range_is_accepted_as_number_or_text(year):
    assert parse_year(year, THIS_YEAR) == (year, "")
    assert parse_year(str(year), THIS_YEAR) == (year, "")


def test_dates_and_fractions_are_not_years():
    for value in (datetime.date(2024, 1, 1), 2024.5, "2024.0", "2 024", "²⁰²⁴", True, "-2024"):
        assert parse_year(value, THIS_YEAR)[0] is None, value


@given(st.sampled_from(sorted(_GRADES)), st.sampled_from([str.upper, str.title, str.lower]))
def test_grade_labels_match_ignoring_case_and_spacing(folded, case):
    assert _GRADES[fold("  " + case(folded).replace(" ", "   ") + " ")] == _GRADES[folded]
