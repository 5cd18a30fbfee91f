"""Re-admission (kết nạp lại, QĐ 294-QĐ/TW §3.5) and party age (HD 01-HD/TW): a member who was
struck off comes back after 36 months with the provincial standing committee's consent, on full
probation again, once only; party age counts from the first admission less the days outside."""

import datetime

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Role
from dangvien.members import services
from dangvien.members.models import EventKind, Member, Placement, Readmission, Status
from dangvien.members.party_age import (
    gaps_from_events,
    milestone_date,
    party_age,
    reached_by,
)

LEFT_ON = datetime.date(2020, 10, 10)
BACK_ON = datetime.date(2024, 3, 1)
GAP = (BACK_ON - LEFT_ON).days


def url(member) -> str:
    return f"/members/{member.pk}/readmit/"


def fresh(member) -> Member:
    return Member.unscoped.get(pk=member.pk)


def leave(world, member, status=Status.REMOVED, on=LEFT_ON) -> Member:
    return services.end_membership(
        world.users[Role.OFFICER], member, status, Decision(on, "5-QĐ/ĐU", reason="Bỏ sinh hoạt")
    )


def form(**changes) -> dict:
    data = {
        "decided_on": BACK_ON.strftime("%d/%m/%Y"),
        "decision_number": "120-QĐ/ĐU",
        "decision_body": "Đảng ủy phường Hòa Bình",
        "consent_number": "45-CV/TU",
        "consent_on": "15/02/2024",
        "ceremony_on": "10/03/2024",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def removed(world) -> Member:
    """Trần Thị Bình, admitted 03/02/2010, struck off on 10/10/2020."""
    return leave(world, world.other_member)


def test_party_age_without_gap_is_counted_from_the_admission_decision(world):
    member = fresh(world.member)  # admitted 03/02/2010
    age = party_age(member, datetime.date(2026, 6, 15))
    assert age.parts == (16, 4, 12) and age.label == "16 năm 4 tháng 12 ngày"
    assert age.milestone_on(30) == datetime.date(2040, 2, 3)
    assert reached_by(datetime.date(2040, 2, 3), 30) == datetime.date(2010, 2, 3)
    # 29/02: the milestone of a leap day falls on 28/02, and is selected in SQL the same way
    assert milestone_date(datetime.date(1996, 2, 29), 0, 30) == datetime.date(2026, 2, 28)
    assert reached_by(datetime.date(2026, 2, 28), 30) == datetime.date(1996, 2, 29)


def test_gaps_follow_the_timeline():
    a, b, c = datetime.date(2000, 1, 1), datetime.date(2004, 1, 1), datetime.date(2005, 1, 1)
    # a leaving annulled (wrongly expelled and cleared): party age is continuous
    assert gaps_from_events([(EventKind.EXPELLED, a), (EventKind.REINSTATED, b)]) == ([], None)
    gaps, stopped = gaps_from_events([(EventKind.REMOVED, a), (EventKind.READMITTED, b)])
    assert [gap.days for gap in gaps] == [(b - a).days] and stopped is None
    # a re-admission annulled: outside since the leaving, the count stopped there
    gaps, stopped = gaps_from_events(
        [(EventKind.REMOVED, a), (EventKind.READMITTED, b), (EventKind.READMISSION_ANNULLED, b)]
    )
    assert gaps[0].end is None and stopped == a
    assert gaps_from_events([(EventKind.DECEASED, c)]) == ([], c)


def test_the_page_says_what_readmission_changes(world, removed):
    client = world.client(Role.OFFICER)
    record = client.get(f"/members/{removed.pk}/").content.decode()
    assert f'id="readmit-link" href="{url(removed)}"' in record
    assert "Xóa tên từ 10/10/2020" in record  # the gap shown under the timeline
    page = client.get(url(removed)).content.decode()
    assert "tức từ ngày 10/10/2023" in page and "36 tháng kể từ ngày ra khỏi Đảng" in page
    assert "chỉ được kết nạp lại một lần trong đời" in page
    assert "Tuổi đảng đã có đến khi ra khỏi Đảng: 10 năm 8 tháng 7 ngày" in page


def test_too_early_or_without_consent_nothing_changes(world, removed):
    client = world.client(Role.OFFICER)
    early = client.post(url(removed), form(decided_on="09/10/2023", consent_on="01/10/2023"))
    assert early.status_code == 400
    assert "sớm nhất được kết nạp lại từ 10/10/2023" in early.content.decode()
    missing = client.post(url(removed), form(consent_number=""))
    assert missing.status_code == 400
    # a record cleared in 2021: 60 months after it
    cleared = client.post(url(removed), form(record_cleared_on="01/06/2021"))
    assert "60 tháng kể từ ngày được xóa án tích" in cleared.content.decode()
    assert "sớm nhất được kết nạp lại từ 01/06/2026" in cleared.content.decode()
    abandoned = client.post(url(removed), form(abandoned_activity="on"))
    assert "tự bỏ sinh hoạt đảng thì không xem xét kết nạp lại" in abandoned.content.decode()
    assert fresh(removed).status == Status.REMOVED
    assert not Readmission.objects.exists()


def test_readmission_gives_a_new_probation_and_party_age_less_the_gap(world, removed):
    client = world.client(Role.OFFICER)
    response = client.post(url(removed), form(), follow=True)
    page = response.content.decode()
    assert "Đã ghi quyết định kết nạp lại Trần Thị Bình: đảng viên dự bị." in page
    member = fresh(removed)
    assert member.status == Status.PROBATIONARY and member.official_on is None
    assert (member.admitted_on, member.readmitted_on) == (datetime.date(2010, 2, 3), BACK_ON)
    assert member.party_age_gap_days == GAP and member.probation_start == datetime.date(2024, 3, 10)
    assert Placement.objects.filter(member=member, start=BACK_ON, end__isnull=True).exists()
    assert "Kết nạp lại vào Đảng" in page and "45-CV/TU" in page
    assert f"đến 01/03/2024 ({GAP} ngày)" in page
    age = party_age(member, datetime.date(2026, 6, 15))
    assert age.gap_days == GAP and age.counted_from == datetime.date(
        2010, 2, 3
    ) + datetime.timedelta(GAP)
    assert age.milestone_on(30) == datetime.date(2040, 2, 3) + datetime.timedelta(GAP)
    entry = AuditEntry.unscoped.get(action="member.readmit")
    assert entry.changes["party_age_gap_days"] == [0, GAP]


def test_once_only_in_a_lifetime(world, removed):
    client = world.client(Role.OFFICER)
    client.post(url(removed), form())
    leave(world, fresh(removed), on=datetime.date(2024, 6, 1))
    page = client.get(url(removed)).content.decode()
    assert "chỉ được kết nạp lại 1 lần trong đời" in page
    again = client.post(url(removed), form(decided_on="01/07/2027", consent_on="01/06/2027"))
    assert again.status_code == 400


def test_a_leaving_without_its_date_is_completed_before_readmission(world, removed):
    """The waiting time and the days outside count from the leaving: not from the admission."""
    Member.unscoped.filter(pk=removed.pk).update(left_on=None)
    client = world.client(Role.OFFICER)
    assert "chưa ghi ngày ra khỏi Đảng" in client.get(url(removed)).content.decode()
    assert client.post(url(removed), form()).status_code == 400
    assert fresh(removed).status == Status.REMOVED


def test_someone_who_applied_to_leave_needs_a_valid_reason(world):
    member = leave(world, world.other_member, Status.RESIGNED)
    client = world.client(Role.OFFICER)
    refused = client.post(url(member), form())
    assert "chỉ được xem xét kết nạp lại khi có lý do chính đáng" in refused.content.decode()
    reason = "Xin ra vì hoàn cảnh gia đình đặc biệt khó khăn, đã được xác minh."
    client.post(url(member), form(exception_reason=reason))
    assert fresh(member).status == Status.PROBATIONARY
    assert RuleException.unscoped.get(target_id=member.pk).reason.startswith(reason)


def test_an_annulled_readmission_restores_the_leaving(world, removed):
    client = world.client(Role.OFFICER)
    client.post(url(removed), form())
    readmission = Readmission.objects.get()
    annul_url = f"/members/{removed.pk}/readmit/{readmission.pk}/annul/"
    assert client.post(annul_url, {"reason": ""}).status_code == 400
    client.post(annul_url, {"reason": "Nhầm người được kết nạp lại."})
    member = fresh(removed)
    assert (member.status, member.left_on, member.official_on) == (
        Status.REMOVED,
        LEFT_ON,
        datetime.date(2011, 2, 3),
    )
    assert member.party_age_gap_days == 0 and member.readmitted_on is None
    assert not Placement.objects.filter(member=member, start=BACK_ON).exists()
    assert party_age(member).stopped_on == LEFT_ON
    record = client.get(f"/members/{member.pk}/").content.decode()
    assert "Hủy quyết định kết nạp lại" in record and "Nhầm người được kết nạp lại." in record


def test_outside_the_scope_the_page_is_refused(world):
    member = leave(world, world.other_member)
    assert world.client(Role.SECRETARY).get(url(member)).status_code in (403, 404)


def test_the_new_probation_runs_from_the_readmission_in_the_probation_lists(world):
    from django.utils import timezone

    from dangvien.admissions.probation.deadlines import ended_by
    from dangvien.core.rules import RuleBook, add_months

    today = timezone.localdate()
    member = leave(world, world.other_member, on=add_months(today, -60))
    back = add_months(today, -2)
    data = form(
        decided_on=back.strftime("%d/%m/%Y"),
        consent_on=back.strftime("%d/%m/%Y"),
        ceremony_on=None,
    )
    world.client(Role.OFFICER).post(url(member), data)
    member = fresh(member)
    assert member.probation_start == back and member.ceremony_on is None
    ended = Member.unscoped.filter(ended_by(today, RuleBook.load()), pk=member.pk)
    assert not ended.exists()  # not from the first admission of 2010
    assert Member.unscoped.filter(ended_by(add_months(back, 12), RuleBook.load()), pk=member.pk)
