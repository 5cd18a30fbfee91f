"""The flags page lists the members of the subtree on each ground with a link to open a case on
it; an application to leave runs through the branch's review and the decision (status
«Xin ra khỏi Đảng»), and a case is withdrawn with a reason (Điều lệ Đảng Điều 8)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.core import versions
from dangvien.core.roles import Role
from dangvien.dues.models import DuesPayment
from dangvien.dues.services import Basis, declare_basis
from dangvien.meetings.models import AbsenceYear
from dangvien.members.models import Member, Status
from dangvien.screening import flags
from dangvien.screening.models import Case, CaseStatus
from tests.assessments.history_data import grade_member
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NOT_COMPLETED = "khong_hoan_thanh"


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


@pytest.fixture
def flagged(world):
    """2025: the member absent 4 months and not completed two years running; the other member
    absent 2 months only; the outside member absent 5 months."""
    for member, org, months in (
        (world.member, world.branch, 4),
        (world.other_member, world.other_branch, 2),
        (world.outside_member, world.outside_branch, 5),
    ):
        AbsenceYear.objects.create(
            member=member, year=2025, organization=org, org_path=org.path, months=months
        )
    grade_member(world.member, 2024, NOT_COMPLETED)
    grade_member(world.member, 2025, NOT_COMPLETED)
    return world


def test_the_flags_name_each_ground_and_open_a_case_on_them(flagged):
    response = flagged.client(Role.OFFICER).get(
        reverse("screening:org", args=[flagged.upper.code]), {"year": 2025}
    )
    page = response.content.decode()
    assert response.status_code == 200
    row = page[page.index(f'id="flag-{flagged.member.code}"') :].split("</tr>")[0]
    assert "Vắng sinh hoạt không lý do 4 tháng" in row
    assert "Không hoàn thành nhiệm vụ năm 2024, 2025" in row
    assert "ground=ground_absence&amp;ground=ground_not_completed" in row
    assert f'id="flag-{flagged.other_member.code}"' not in page
    assert OUTSIDE_MARK not in page


def test_dues_unpaid_three_months_flag_the_member_on_the_dues_ground(flagged):
    """The other member declared a salary from January 2025 and paid only January to
    September: October to December unpaid, the third month raises the dues ground (Điều lệ
    Đảng Điều 8; the dues app counts the months)."""
    member = flagged.other_member
    declare_basis(
        None,
        member,
        Basis(from_month=datetime.date(2025, 1, 1), category="luong_bhxh", base_amount=8_000_000),
    )
    for month in range(1, 10):
        DuesPayment.unscoped.create(
            member=member,
            branch=flagged.other_branch,
            branch_path=flagged.other_branch.path,
            month=datetime.date(2025, month, 1),
            amount=80_000,
            channel="tien_mat",
            paid_on=datetime.date(2025, month, 10),
        )
    page = (
        flagged.client(Role.OFFICER)
        .get(reverse("screening:org", args=[flagged.upper.code]), {"year": 2025})
        .content.decode()
    )
    row = page[page.index(f'id="flag-{member.code}"') :].split("</tr>")[0]
    assert "3 tháng chưa đóng đảng phí" in row
    assert "ground=ground_dues" in row
    rows, _cut = flags.screening_flags(None, flagged.upper, 2025)
    assert {row.member.pk: row.grounds for row in rows}[member.pk] == ["ground_dues"]


def test_an_application_to_leave_is_reviewed_and_decided(world):
    MemberFactory(code="DV-TRONG-3", full_name="Phạm Văn Cường", branch=world.branch)
    MemberFactory(code="DV-TRONG-4", full_name="Hoàng Thị Dung", branch=world.branch)
    officer = world.client(Role.OFFICER)
    response = officer.post(
        reverse("screening:case-new", args=[world.member.pk]),
        {
            "kind": "xin_ra",
            "opened_on": _day(20),
            "application_on": _day(21),
            "facts": "Lý do sức khỏe, hoàn cảnh gia đình.",
            "warrants_expulsion": "khong",
        },
    )
    assert response.status_code == 302, response.content.decode()
    case = Case.unscoped.get(member=world.member)
    assert case.grounds == ["Xin ra khỏi Đảng"]
    version = versions.token(Case.unscoped.get(pk=case.pk))
    review = officer.post(
        reverse("screening:review", args=[case.pk]),
        {"version": version, "kind": "yeu_cau_kiem_diem", "on": _day(19)},
    )
    assert "không có bước tự kiểm điểm" in review.content.decode()
    vote = {"level": "chi_bo", "on": _day(15), "present": 3, "votes_for": 3, "votes_against": 0}
    vote["version"] = version
    assert officer.post(reverse("screening:vote", args=[case.pk]), vote).status_code == 302
    response = officer.post(
        reverse("screening:decide", args=[case.pk]),
        {
            "version": versions.token(Case.unscoped.get(pk=case.pk)),
            "decision_number": "20-QĐ/ĐU",
            "decided_on": _day(10),
            "deciding_org": world.base.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    member = Member.unscoped.get(pk=world.member.pk)
    assert member.status == Status.RESIGNED
    stats = officer.get(
        reverse("screening:exits", args=[world.base.code]),
        {"year": member.left_on.year},
    ).content.decode()
    assert "Xin ra khỏi Đảng</dt><dd>1<" in stats


def test_a_case_is_withdrawn_with_a_reason(world):
    officer = world.client(Role.OFFICER)
    officer.post(
        reverse("screening:case-new", args=[world.member.pk]),
        {
            "kind": "xoa_ten",
            "opened_on": _day(5),
            "grounds": ["ground_card"],
            "facts": "Tự ý trả thẻ đảng viên.",
            "warrants_expulsion": "khong",
        },
    )
    case = Case.unscoped.get(member=world.member)
    url = reverse("screening:withdraw", args=[case.pk])
    version = versions.token(case)
    assert officer.post(url, {"version": version, "reason": ""}).status_code == 400
    response = officer.post(url, {"version": version, "reason": "Đảng viên đã tiến bộ."})
    assert response.status_code == 302
    case = Case.unscoped.get(pk=case.pk)
    assert case.status == CaseStatus.WITHDRAWN and case.close_reason == "Đảng viên đã tiến bộ."
    assert Member.unscoped.get(pk=world.member.pk).status == Status.OFFICIAL
