"""The history page's period (?days=): a value that is not a number of days from 1 to 3660
answers 400 with the reason in Vietnamese, instead of silently showing the default month."""

import pytest

from dangvien.core.roles import Role


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        ("abc", "Số ngày: “abc” không phải là một số."),
        ("²", "Số ngày: “²” không phải là một số."),
        ("99999999999999999999999", "không phải là một số"),
        ("0", "Số ngày phải là số từ 1 đến 3660."),
        ("-5", "Số ngày phải là số từ 1 đến 3660."),
        ("3661", "Số ngày phải là số từ 1 đến 3660."),
    ],
)
def test_a_bad_period_is_a_400_in_vietnamese(world, days, reason):
    client = world.client(Role.OFFICER)
    client.raise_request_exception = False
    response = client.get("/history/", {"days": days})
    assert response.status_code == 400
    assert reason in response.content.decode()


@pytest.mark.parametrize("days", ["", "7", "3660"])
def test_a_good_or_missing_period_shows_the_page(world, days):
    assert world.client(Role.OFFICER).get("/history/", {"days": days}).status_code == 200
