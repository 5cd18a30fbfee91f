"""Two officers (or one double click) record the same step of a case: each page carries the
case's version, so the second submit is refused, naming the step recorded in between, and the
step is recorded once."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.screening.models import GROUNDS, Case, CaseStatus, CaseStep, StepKind
from tests.screening.test_strike_off import _open, _through_services, setting  # noqa: F401
from tests.stale import both_submit, opened_version, refused_as_stale

pytestmark = pytest.mark.django_db


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


@pytest.fixture
def two_officers(setting):  # noqa: F811
    world = setting  # three official members in the branch
    return world.client(Role.OFFICER), world.client(Role.ADMIN)


def test_a_review_step_submitted_from_two_pages_is_recorded_once(world, two_officers):
    first, second = two_officers
    case = _through_services(world)
    CaseStep.objects.filter(case=case).delete()  # the case as opened: no review yet
    url = reverse("screening:review", args=[case.pk])
    data = {"kind": "yeu_cau_kiem_diem", "on": _day(30), "note": "Lần 1"}
    page = both_submit(first, second, url, data, world.users[Role.OFFICER])
    assert "ghi bước xét xóa tên, xin ra khỏi đảng: Bước xét: — → Yêu cầu đảng viên" in page
    assert case.steps.filter(kind=StepKind.REVIEW_REQUESTED).count() == 1
    # A page submitted twice (a double click): the second submit is refused the same way.
    seen = opened_version(first, url)
    assert (
        first.post(url, {**data, "kind": "tu_choi_kiem_diem", "version": seen}).status_code == 302
    )
    refused_as_stale(
        first.post(url, {**data, "kind": "tu_choi_kiem_diem", "version": seen}),
        world.users[Role.OFFICER],
    )
    assert case.steps.filter(kind=StepKind.REVIEW_REFUSED).count() == 1
    # A page without the version (opened before versions) records nothing.
    response = first.post(url, data)
    assert response.status_code == 400 and "thiếu phiên bản hồ sơ" in response.content.decode()
    assert case.steps.filter(kind=StepKind.REVIEW_REQUESTED).count() == 1


def test_a_vote_submitted_twice_is_recorded_once(world, two_officers):
    first, second = two_officers
    case = _through_services(world)
    url = reverse("screening:vote", args=[case.pk])
    data = {"level": "chi_bo", "on": _day(30), "present": 1, "votes_for": 1, "votes_against": 0}
    page = both_submit(first, second, url, data, world.users[Role.OFFICER])
    assert "Biểu quyết (Chi bộ)" in page
    assert case.steps.filter(kind=StepKind.VOTE).count() == 1
    assert AuditEntry.unscoped.filter(action="screening.step", target_id=case.pk).count() == 2
    # Refused, the form carries the version now stored: saving again is a knowing choice.
    assert opened_version(second, url) in page


def test_a_complaint_and_its_answer_are_each_recorded_once(world, two_officers):
    first, second = two_officers
    case = _through_services(
        world, votes=("chi_bo", "dang_uy_co_so", "ban_thuong_vu"), decided=True
    )
    url = reverse("screening:complaint", args=[case.pk])
    data = {"on": _day(5), "content": "Đảng viên có lý do chính đáng."}
    page = both_submit(first, second, url, data, world.users[Role.OFFICER])
    assert "nhận khiếu nại về xóa tên" in page
    assert case.steps.filter(kind=StepKind.COMPLAINT).count() == 1

    url = reverse("screening:answer", args=[case.pk])
    data = {"on": _day(3), "content": "Giữ nguyên quyết định."}
    both_submit(second, first, url, data, world.users[Role.ADMIN])
    assert case.steps.filter(kind=StepKind.COMPLAINT_ANSWERED).count() == 1
    assert Case.unscoped.get(pk=case.pk).status == CaseStatus.DECIDED


def test_a_step_recorded_after_the_decision_page_was_opened_refuses_the_decision(
    world, two_officers
):
    first, second = two_officers
    case = _through_services(world, votes=("chi_bo", "dang_uy_co_so", "ban_thuong_vu"))
    decide = reverse("screening:decide", args=[case.pk])
    seen = opened_version(first, decide)
    withdraw = reverse("screening:withdraw", args=[case.pk])
    response = second.post(
        withdraw, {"version": opened_version(second, withdraw), "reason": "Tiến bộ."}
    )
    assert response.status_code == 302
    data = {"version": seen, "decision_number": "15-QĐ/HU", "decided_on": _day(10)}
    page = refused_as_stale(
        first.post(decide, {**data, "deciding_org": world.upper.pk}), world.users[Role.ADMIN]
    )
    assert "dừng xem xét hồ sơ" in page
    assert Case.unscoped.get(pk=case.pk).status == CaseStatus.WITHDRAWN


def test_a_case_opened_from_two_pages_is_opened_once(world, two_officers):
    first, second = two_officers
    assert _open(first, world.member).status_code == 302
    response = _open(second, world.member, grounds=["ground_dues"])
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f"đang có hồ sơ «Xóa tên» mở ngày {_day(40)}" in page
    assert world.users[Role.OFFICER].full_name in page and "không mở hồ sơ thứ hai" in page
    case = Case.unscoped.get(member=world.member)
    assert case.grounds == [GROUNDS["ground_absence"]]
