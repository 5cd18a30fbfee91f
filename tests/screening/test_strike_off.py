"""Striking a member off through the pages: the case on its ground, the self-review refused three
times, the votes of each level (a vote short of its share is kept and does not pass), the
decision that removes the member and takes back the card, the timeline, the exit statistics, a
complaint, the annulment that brings the member back (Điều lệ Đảng Điều 8; domain-rules §2.9)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.badges.models import Badge
from dangvien.badges.services import record_awarded
from dangvien.core import versions
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, Member, Status
from dangvien.screening import services
from dangvien.screening.models import Case, CaseStatus
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


@pytest.fixture
def setting(world):
    """The member with a card, in a branch of three official members."""
    Member.unscoped.filter(pk=world.member.pk).update(card_number="12345678")
    MemberFactory(code="DV-TRONG-3", full_name="Phạm Văn Cường", branch=world.branch)
    MemberFactory(code="DV-TRONG-4", full_name="Hoàng Thị Dung", branch=world.branch)
    return world


def _open(client, member, **extra):
    data = {
        "kind": "xoa_ten",
        "opened_on": _day(40),
        "grounds": ["ground_absence"],
        "facts": "Vắng sinh hoạt không lý do các tháng 2, 3, 4.",
        "warrants_expulsion": "khong",
        **extra,
    }
    return client.post(reverse("screening:case-new", args=[member.pk]), data)


def _version(client, url: str) -> str:
    """The version token of the case as the step's page hands it out (its hidden field)."""
    return re.search(r'name="version" value="([^"]*)"', client.get(url).content.decode())[1]


def _vote(client, case, level, days_ago, votes_for, body_size=""):
    url = reverse("screening:vote", args=[case.pk])
    data = {
        "version": _version(client, url),
        "level": level,
        "on": _day(days_ago),
        "body_size": body_size,
        "present": body_size or 3,
        "votes_for": votes_for,
        "votes_against": 0,
    }
    return client.post(url, data)


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _through_services(world, *, votes: tuple[str, ...] = (), decided: bool = False) -> Case:
    """A case of the member built by the services as the pages would: opened, the self-review
    held, the votes of `votes` passed, decided by the ward's committee."""
    admin = world.users[Role.ADMIN]
    case = services.open_case(
        admin,
        world.member,
        kind="xoa_ten",
        opened_on=_ago(40),
        grounds={"ground_absence"},
        facts="Vắng sinh hoạt không lý do.",
        warrants_expulsion=False,
    )
    services.record_review_step(admin, case, kind="da_kiem_diem", on=_ago(35))
    sizes = {"chi_bo": None, "dang_uy_co_so": 9, "ban_thuong_vu": 10}
    for index, level in enumerate(votes):
        size = sizes[level] or 3
        services.record_vote(
            admin,
            case,
            level=level,
            on=_ago(30 - index),
            body_size=sizes[level],
            present=size,
            votes_for=size,
            votes_against=0,
        )
    if decided:
        services.decide_case(
            admin, case, number="15-QĐ/HU", decided_on=_ago(10), deciding_org=world.upper
        )
    return Case.unscoped.get(pk=case.pk)


def _decide(client, case, upper):
    return client.post(
        reverse("screening:decide", args=[case.pk]),
        {
            "version": versions.token(Case.unscoped.get(pk=case.pk)),
            "decision_number": "15-QĐ/HU",
            "decided_on": _day(10),
            "deciding_org": upper.pk,
        },
    )


def test_the_branch_votes_after_the_self_review_or_three_refusals(setting):
    officer = setting.client(Role.OFFICER)
    response = _open(officer, setting.member)
    case = Case.unscoped.get(member=setting.member)
    assert response["Location"] == reverse("screening:case", args=[case.pk])
    response = _vote(officer, case, "chi_bo", 30, 3)
    assert response.status_code == 400
    assert "Chưa có bản tự kiểm điểm" in response.content.decode()
    review = reverse("screening:review", args=[case.pk])
    for index, kind in enumerate(["yeu_cau_kiem_diem", "tu_choi_kiem_diem"] * 3):
        response = officer.post(
            review,
            {
                "version": _version(officer, review),
                "kind": kind,
                "on": _day(38 - index),
                "note": f"Lần {index // 2 + 1}",
            },
        )
        assert response.status_code == 302, response.content.decode()
    response = officer.post(
        review,
        {
            "version": _version(officer, review),
            "kind": "yeu_cau_kiem_diem",
            "on": _day(30),
            "note": "Lần 4",
        },
    )
    assert "Đã yêu cầu đủ 3 lần" in response.content.decode()
    assert _vote(officer, case, "chi_bo", 25, 2).status_code == 302
    assert case.steps.get(kind="bieu_quyet").passed


def test_a_vote_short_of_its_share_is_kept_and_does_not_pass(setting):
    world = setting
    officer = world.client(Role.OFFICER)
    case = _through_services(world)
    # One of three official members is short of 2/3: kept, not passed, no decision.
    assert _vote(officer, case, "chi_bo", 25, 1).status_code == 302
    page = officer.get(reverse("screening:case", args=[case.pk])).content.decode()
    assert "không đạt" in page
    response = officer.get(reverse("screening:decide", args=[case.pk]))
    assert "Chưa có biểu quyết đạt tỷ lệ của chi bộ" in response.content.decode()
    assert _vote(officer, case, "chi_bo", 24, 2).status_code == 302
    assert _vote(officer, case, "dang_uy_co_so", 20, 6, body_size=9).status_code == 302
    # The standing committee needs more than half: 5 of 10 is not enough.
    assert _vote(officer, case, "ban_thuong_vu", 15, 5, body_size=10).status_code == 302
    steps = list(case.steps.filter(kind="bieu_quyet").values_list("level", "passed"))
    assert steps == [
        ("chi_bo", False),
        ("chi_bo", True),
        ("dang_uy_co_so", True),
        ("ban_thuong_vu", False),
    ]
    refused = _decide(officer, case, world.upper)
    assert refused.status_code == 400
    assert "ban thường vụ" in refused.content.decode()
    assert Member.unscoped.get(pk=world.member.pk).status == Status.OFFICIAL


def test_the_decision_removes_the_member_and_takes_back_the_card(setting):
    world = setting
    officer = world.client(Role.OFFICER)
    case = _through_services(world, votes=("chi_bo", "dang_uy_co_so", "ban_thuong_vu"))
    # A 30-year badge awarded long ago: the decision marks it to be returned (HD 01-HD/TW §18).
    Member.unscoped.filter(pk=world.member.pk).update(admitted_on=datetime.date(1990, 1, 10))
    badge = record_awarded(
        None,
        Member.unscoped.get(pk=world.member.pk),
        milestone=30,
        decision_number="88-QĐ/TU",
        decision_on=datetime.date(2020, 1, 20),
        badge_number="300123",
        certificate_number="GCN-300123",
        awarded_on=datetime.date(2020, 2, 3),
    )
    page = officer.get(reverse("screening:decide", args=[case.pk])).content.decode()
    assert "Thẻ đảng viên số 12345678 bị thu hồi" in page
    assert "Huy hiệu 30 năm tuổi Đảng số 300123 phải thu hồi" in page
    response = _decide(officer, case, world.upper)
    assert response.status_code == 302, response.content.decode()

    member = Member.unscoped.get(pk=world.member.pk)
    decided = _ago(10)
    assert Badge.unscoped.get(pk=badge.pk).recover_due_on == decided
    case_page = officer.get(reverse("screening:case", args=[case.pk])).content.decode()
    assert "Huy hiệu 30 năm số 300123" in case_page.split('id="badge-note"')[1].split("</dd>")[0]
    assert member.status == Status.REMOVED and member.left_on == decided
    assert member.card_number is None
    kinds = list(member.events.values_list("kind", flat=True))
    assert EventKind.REMOVED in kinds and EventKind.CARD_ENDED in kinds
    case = Case.unscoped.get(pk=case.pk)
    assert case.status == CaseStatus.DECIDED and case.complaint_until > decided

    detail = officer.get(reverse("members:detail", args=[member.pk])).content.decode()
    timeline = detail.split('id="timeline"')[1].split("</ol>")[0]
    assert "Xóa tên" in timeline and "15-QĐ/HU" in timeline
    case_page = officer.get(reverse("screening:case", args=[case.pk])).content.decode()
    assert f"đến hết ngày {case.complaint_until:%d/%m/%Y}" in case_page

    # The exit statistics count it under its form and its ground.
    url = reverse("screening:exits", args=[world.upper.code])
    body = officer.get(url, {"year": decided.year}).content.decode()
    assert 'id="exits-total">1<' in body
    assert "(a) Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng</dt><dd>1<" in body
    xlsx = officer.get(url, {"year": decided.year, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_complaint_reopens_the_case_and_annulling_it_brings_the_member_back(setting):
    world = setting
    officer = world.client(Role.OFFICER)
    case = _through_services(
        world, votes=("chi_bo", "dang_uy_co_so", "ban_thuong_vu"), decided=True
    )
    url = reverse("screening:complaint", args=[case.pk])
    response = officer.post(
        url,
        {
            "version": _version(officer, url),
            "on": _day(5),
            "content": "Đảng viên cho rằng có lý do chính đáng.",
        },
    )
    assert response.status_code == 302
    assert Case.unscoped.get(pk=case.pk).status == CaseStatus.COMPLAINED
    response = officer.post(
        reverse("screening:annul", args=[case.pk]),
        {"version": versions.token(Case.unscoped.get(pk=case.pk)), "reason": "Cấp trên hủy."},
    )
    assert response.status_code == 302, response.content.decode()
    member = Member.unscoped.get(pk=world.member.pk)
    assert member.status == Status.OFFICIAL and member.left_on is None
    stats = officer.get(
        reverse("screening:exits", args=[world.upper.code]), {"year": _ago(10).year}
    ).content.decode()
    assert 'id="exits-total">0<' in stats


def test_an_official_member_to_be_expelled_is_not_struck_off(setting):
    officer = setting.client(Role.OFFICER)
    response = _open(officer, setting.member, warrants_expulsion="co")
    assert response.status_code == 400
    assert "phải xử lý kỷ luật khai trừ" in response.content.decode()
    assert not Case.unscoped.exists()


def test_the_member_page_shows_the_case_to_officers_only(setting):
    officer = setting.client(Role.OFFICER)
    _open(officer, setting.member)
    url = reverse("members:detail", args=[setting.member.pk])
    assert 'id="screening-case"' in officer.get(url).content.decode()
    inspector = setting.client(Role.INSPECTOR).get(url).content.decode()
    assert 'id="screening-case"' not in inspector
