"""Removing a day off is confirmed on a page naming the deadlines in working days it moves (the
ceremony after an admission decision, the recognition review after probation, with how many
waiting files each), takes a required reason kept in the history, and is undone by adding the
day again, with the notice it rests on."""

import datetime

import pytest

from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Candidate, Stage
from dangvien.core.models import AuditEntry, Holiday
from dangvien.core.roles import Role
from dangvien.core.workdays import deadline
from dangvien.members.models import Gender, Status
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 11, 12)  # a Wednesday, no public holiday
SATURDAY = datetime.date(2025, 11, 15)
REASON = "Thông báo số 12/TB-VPCP: ngày 12/11 đi làm bình thường"


def day_off(day: datetime.date, name: str = "Nghỉ bù") -> Holiday:
    assert not Holiday.objects.filter(day=day).exists()
    return Holiday.objects.create(day=day, name=name)


def candidate(world, name: str, decided: datetime.date, *, ceremony: bool = False) -> Candidate:
    found = Candidate.unscoped.create(
        organization=world.branch,
        full_name=name,
        gender=Gender.FEMALE,
        birth_date=datetime.date(2000, 1, 1),
        selected_on=datetime.date(2024, 1, 1),
        stage=Stage.ADMITTED,
    )
    AdmissionStep.objects.create(candidate=found, kind=AdmissionStepKind.DECISION, done_on=decided)
    if ceremony:
        AdmissionStep.objects.create(
            candidate=found, kind=AdmissionStepKind.CEREMONY, done_on=decided
        )
    return found


def probationary(world, ceremony_on: datetime.date):
    return MemberFactory(
        branch=world.branch,
        status=Status.PROBATIONARY,
        admitted_on=ceremony_on,
        ceremony_on=ceremony_on,
        official_on=None,
    )


def remove_url(holiday: Holiday) -> str:
    return f"/rules/holidays/{holiday.pk}/remove/"


@pytest.fixture
def waiting(world):
    """Files whose working-day deadline runs over DAY, and files whose deadline does not."""
    candidate(world, "Chờ Lễ Kết Nạp", datetime.date(2025, 10, 20))  # deadline in December
    candidate(world, "Đã Làm Lễ", datetime.date(2025, 10, 21), ceremony=True)
    candidate(world, "Hạn Đã Qua", datetime.date(2025, 8, 1))  # deadline in September
    probationary(world, datetime.date(2024, 10, 27))  # probation ends 27/10/2025
    probationary(world, datetime.date(2024, 11, 20))  # probation ends after DAY
    probationary(world, datetime.date(2024, 5, 6))  # review deadline in June 2025


def test_the_page_names_the_deadlines_that_move(world, waiting):
    holiday = day_off(DAY)
    client = world.client(Role.ADMIN)
    calendar = client.get("/rules/holidays/?year=2025").content.decode()
    assert f'href="{remove_url(holiday)}"' in calendar  # a link to the confirmation
    assert f'action="{remove_url(holiday)}"' not in calendar

    response = client.get(remove_url(holiday))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Bỏ ngày nghỉ 12/11/2025: Nghỉ bù</h1>" in page
    assert "Ngày 12/11/2025 (thứ Tư, «Nghỉ bù») ra khỏi lịch nghỉ: là ngày làm việc" in page
    assert (
        "Hạn tổ chức lễ kết nạp sớm lên một ngày làm việc với 1 quần chúng đã có quyết định "
        "kết nạp, chưa tổ chức lễ kết nạp (quyết định kết nạp ký từ " in page
    )
    assert (
        "Hạn xét công nhận đảng viên chính thức sớm lên một ngày làm việc với 1 đảng viên dự bị "
        "chưa được công nhận chính thức (hết thời gian dự bị từ " in page
    )
    assert "đến 11/11/2025)." in page
    assert 'Lý do <span class="required"' in page
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_the_count_is_the_files_whose_deadline_actually_moves(world, waiting):
    """The candidate counted is the one whose 30 working days cross the day, and only while
    the day is off: the deadline is one working day earlier after the removal."""
    holiday = day_off(DAY)
    with_day_off = deadline(datetime.date(2025, 10, 20), 30)
    assert deadline(datetime.date(2025, 8, 1), 30) < DAY < with_day_off
    response = world.client(Role.ADMIN).post(remove_url(holiday), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == "/rules/holidays/?year=2025"
    after = deadline(datetime.date(2025, 10, 20), 30)
    assert after < with_day_off
    assert (with_day_off - after).days in (1, 3)  # the working day before (over a weekend: 3)


def test_without_a_reason_nothing_is_removed(world):
    holiday = day_off(DAY)
    response = world.client(Role.ADMIN).post(remove_url(holiday), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa bỏ ngày nghỉ: Cần ghi lý do bỏ ngày nghỉ" in page
    assert "Hạn tổ chức lễ kết nạp" in page  # the consequences stay on the page
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert not AuditEntry.unscoped.filter(action="holiday.remove").exists()


def test_the_reason_is_kept_and_the_day_can_be_added_again(world):
    holiday = day_off(DAY)
    client = world.client(Role.ADMIN)
    assert client.post(remove_url(holiday), {"reason": REASON}).status_code == 302
    assert not Holiday.objects.filter(day=DAY).exists()
    removed = AuditEntry.unscoped.get(action="holiday.remove")
    assert removed.reason == REASON and removed.actor == world.users[Role.ADMIN]
    assert removed.changes == {"day": ["12/11/2025", None], "name": ["Nghỉ bù", None]}

    # Undone: the day is added again, with the notice it rests on.
    response = client.post(
        "/rules/holidays/",
        {"day": "12/11/2025", "name": "Nghỉ bù", "reason": "Bỏ nhầm, thông báo vẫn giữ nguyên"},
    )
    assert response.status_code == 302
    assert Holiday.objects.filter(day=DAY).exists()
    added = AuditEntry.unscoped.get(action="holiday.add")
    assert added.reason == "Bỏ nhầm, thông báo vẫn giữ nguyên"


def test_a_weekend_day_off_moves_nothing(world, waiting):
    holiday = day_off(SATURDAY, "Nghỉ lễ trùng cuối tuần")
    page = world.client(Role.ADMIN).get(remove_url(holiday)).content.decode()
    assert "vẫn không phải ngày làm việc (cuối tuần): không thời hạn nào thay đổi." in page
    assert "Hạn tổ chức lễ kết nạp" not in page


def test_removing_twice_is_told(world):
    holiday = day_off(DAY)
    client = world.client(Role.ADMIN)
    client.post(remove_url(holiday), {"reason": REASON})
    assert client.get(remove_url(holiday)).status_code == 404
    assert AuditEntry.unscoped.filter(action="holiday.remove").count() == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER])
def test_only_the_administrator_removes_a_day_off(world, role):
    holiday = day_off(DAY)
    client = world.client(role)
    assert client.get(remove_url(holiday)).status_code == 403
    assert client.post(remove_url(holiday), {"reason": REASON}).status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()
