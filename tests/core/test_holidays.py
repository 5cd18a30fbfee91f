"""The working-day calendar: loaded with Vietnam's holidays, edited by the administrator, and used
by deadlines counted in working days."""

import datetime

import pytest

from dangvien.core.models import AuditEntry, Holiday
from dangvien.core.roles import Role
from dangvien.core.workdays import deadline

pytestmark = pytest.mark.django_db


def test_the_calendar_holds_lunar_new_year_and_national_day():
    days = set(Holiday.objects.filter(day__year=2025).values_list("day", flat=True))
    assert datetime.date(2025, 1, 29) in days  # Mùng một Tết Ất Tỵ
    assert datetime.date(2025, 4, 7) in days  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert datetime.date(2025, 9, 2) in days


def test_thirty_working_days_skip_weekends_and_tet():
    # Decision on Monday 20/01/2025: Tết takes 27/01–31/01 (5 working days) off the count.
    assert deadline(datetime.date(2025, 1, 20), 30) == datetime.date(2025, 3, 10)
    # Without holidays in the way: 6 whole weeks.
    assert deadline(datetime.date(2025, 10, 6), 30) == datetime.date(2025, 11, 17)


def test_the_administrator_adds_and_removes_a_day_off(world):
    client = world.client(Role.ADMIN)
    response = client.post(
        "/rules/holidays/", {"day": "10/11/2025", "name": "Nghỉ bù theo thông báo"}, follow=True
    )
    assert "Nghỉ bù theo thông báo" in response.content.decode()
    added = Holiday.objects.get(day=datetime.date(2025, 11, 10))
    assert deadline(datetime.date(2025, 10, 6), 30) == datetime.date(2025, 11, 18)
    client.post(f"/rules/holidays/{added.pk}/remove/", {"reason": "Thông báo hủy nghỉ bù"})
    assert not Holiday.objects.filter(day=datetime.date(2025, 11, 10)).exists()
    assert list(
        AuditEntry.unscoped.filter(action__startswith="holiday.").values_list("action", flat=True)
    ) == ["holiday.remove", "holiday.add"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER])
def test_only_the_administrator_edits_the_calendar(world, role):
    client = world.client(role)
    before = Holiday.objects.count()
    assert client.get("/rules/holidays/").status_code == 403
    response = client.post("/rules/holidays/", {"day": "10/11/2025", "name": "Thử"})
    assert response.status_code == 403
    assert Holiday.objects.count() == before


def test_a_year_that_is_not_a_year_is_told_not_a_crash(world):
    response = world.client(Role.ADMIN).get("/rules/holidays/?year=abc")
    assert response.status_code == 200
    assert "“abc” không phải là một năm" in response.content.decode()


def test_a_refused_day_off_says_so_at_the_top_and_keeps_what_was_typed(world):
    day = Holiday.objects.filter(day__year=2025).first()
    response = world.client(Role.ADMIN).post(
        "/rules/holidays/",
        {"day": day.day.strftime("%d/%m/%Y"), "name": "Nghỉ trùng", "reason": "Thông báo 99"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in page and f"Ngày {day.day:%d/%m/%Y} đã là ngày nghỉ." in page
    assert 'value="Nghỉ trùng"' in page and 'value="Thông báo 99"' in page
    assert Holiday.objects.filter(day=day.day).count() == 1
