"""A leaving recorded by mistake (or annulled since) is undone with a reason: the status before
comes back, the date of leaving is cleared, the member is active in the same branch again, and
the history keeps both the leaving and its undoing."""

import datetime

import pytest
from django.utils import timezone

from dangvien.admissions.models import RecognitionStep, RecognitionStepKind
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members import services
from dangvien.members.models import Member, MemberEvent, Placement, Status
from dangvien.members.selectors import branch_on
from dangvien.organizations.services import dissolve_organization
from dangvien.reports.structure import members_on

LEFT_ON = datetime.date(2024, 10, 10)
YEAR_END = datetime.date(2025, 12, 31)  # between the leaving and today


def reinstate_url(member) -> str:
    return f"/members/{member.pk}/reinstate/"


def fresh(member) -> Member:
    return Member.unscoped.get(pk=member.pk)


@pytest.fixture
def deceased(world) -> Member:
    """Trần Thị Bình, recorded as deceased on 10/10/2024: the wrong person."""
    return services.end_membership(
        world.users[Role.OFFICER],
        world.other_member,
        Status.DECEASED,
        Decision(LEFT_ON, "12-TB", reason="Giấy báo tử"),
    )


def test_the_record_links_to_a_page_that_says_what_comes_back(world, deceased):
    client = world.client(Role.OFFICER)
    record = client.get(f"/members/{deceased.pk}/").content.decode()
    assert f'id="reinstate-link" href="{reinstate_url(deceased)}"' in record

    response = client.get(reinstate_url(deceased))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trần Thị Bình trở lại «Chính thức», sinh hoạt tại Chi bộ Tổ Văn" in page
    assert "tình trạng «Từ trần» ngày 10/10/2024 được xóa khỏi hồ sơ" in page
    assert "Trở lại từ chính ngày 10/10/2024" in page and "như chưa từng gián đoạn" in page
    assert "báo cáo của những ngày trước ngày đó giữ nguyên như đã lập" in page
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page  # returns today unless told
    assert "Không hủy được" not in page
    assert fresh(deceased).status == Status.DECEASED


def test_without_a_reason_nothing_changes_and_the_input_is_kept(world, deceased):
    response = world.client(Role.OFFICER).post(
        reinstate_url(deceased), {"effective_on": "10/10/2024", "decision_number": "3-QĐ"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa hủy việc ra khỏi Đảng:" in page and 'value="3-QĐ"' in page
    member = fresh(deceased)
    assert (member.status, member.left_on) == (Status.DECEASED, LEFT_ON)
    assert not AuditEntry.unscoped.filter(action="member.reinstate").exists()


def test_returning_on_the_day_of_leaving_is_as_if_the_member_never_left(world, deceased):
    client = world.client(Role.OFFICER)
    reason = "Ghi nhầm người: giấy báo tử là của đảng viên khác."
    response = client.post(
        reinstate_url(deceased), {"effective_on": "10/10/2024", "reason": reason}, follow=True
    )
    page = response.content.decode()
    assert "Đã hủy việc ra khỏi Đảng: Trần Thị Bình trở lại sinh hoạt đảng." in page
    member = fresh(deceased)
    assert (member.status, member.left_on) == (Status.OFFICIAL, None)
    placement = Placement.objects.get(member=member)  # the same one, resumed
    assert (placement.branch, placement.end) == (world.other_branch, None)
    assert member in members_on(world.other_branch, YEAR_END)
    assert branch_on(member, LEFT_ON) == world.other_branch

    entry = AuditEntry.unscoped.get(action="member.reinstate")
    assert entry.reason == reason and entry.actor == world.users[Role.OFFICER]
    assert entry.changes == {"status": ["Từ trần", "Chính thức"], "left_on": ["10/10/2024", None]}
    assert MemberEvent.objects.get(member=member, kind="reinstated").reason == reason
    assert MemberEvent.objects.filter(member=member, kind="deceased").exists()  # kept
    assert "Hủy việc ra khỏi Đảng, trở lại sinh hoạt đảng" in page  # the timeline
    assert "Ra khỏi Đảng, từ trần" in page and "Hủy việc ra khỏi Đảng" in page  # the history
    listing = client.get("/members/", {"q": "binh"}).content.decode()
    assert "Trần Thị Bình" in listing.split('id="members"')[1]


def test_returning_later_keeps_what_the_reports_of_the_days_between_showed(world, deceased):
    today = timezone.localdate()
    assert deceased not in members_on(world.other_branch, YEAR_END)
    response = world.client(Role.OFFICER).post(
        reinstate_url(deceased),
        {"effective_on": f"{today:%d/%m/%Y}", "reason": "Quyết định khai trừ bị hủy bỏ."},
    )
    assert response.status_code == 302
    member = fresh(deceased)
    assert (member.status, member.left_on) == (Status.OFFICIAL, None)
    before, after = Placement.objects.filter(member=member).order_by("start")
    assert (before.end, after.start, after.end) == (
        LEFT_ON - datetime.timedelta(days=1),
        today,
        None,
    )
    assert member in members_on(world.other_branch, LEFT_ON - datetime.timedelta(days=1))
    assert member not in members_on(world.other_branch, LEFT_ON)
    assert member not in members_on(world.other_branch, YEAR_END)
    assert member in members_on(world.other_branch, today)
    assert AuditEntry.unscoped.get(action="member.reinstate").effective_on == today


@pytest.mark.parametrize(
    ("returned_on", "message"),
    [
        ("09/10/2024", "Ngày trở lại sinh hoạt không thể trước ngày ra khỏi Đảng (10/10/2024)."),
        ("tomorrow", "Ngày không thể ở tương lai."),
    ],
)
def test_a_return_date_outside_the_leaving_and_today_is_refused(
    world, deceased, returned_on, message
):
    if returned_on == "tomorrow":
        returned_on = f"{timezone.localdate() + datetime.timedelta(days=1):%d/%m/%Y}"
    response = world.client(Role.OFFICER).post(
        reinstate_url(deceased), {"effective_on": returned_on, "reason": "Ghi nhầm"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(deceased).status == Status.DECEASED


def test_a_dissolved_branch_is_restored_first(world, deceased):
    dissolve_organization(
        world.users[Role.OFFICER],
        world.other_branch,
        Decision(datetime.date(2025, 1, 1), reason="Sáp nhập"),
    )
    client = world.client(Role.OFFICER)
    page = client.get(reinstate_url(deceased)).content.decode()
    refusal = "Chi bộ Tổ Văn đã giải thể từ 01/01/2025: hãy khôi phục chi bộ"
    assert "Không hủy được:" in page and refusal in page
    response = client.post(reinstate_url(deceased), {"effective_on": "10/10/2024", "reason": "X"})
    assert response.status_code == 400 and refusal in response.content.decode()
    assert fresh(deceased).status == Status.DECEASED


def test_a_strike_off_at_the_end_of_probation_is_undone_on_the_probation_page(world, deceased):
    RecognitionStep.objects.create(
        member=deceased, kind=RecognitionStepKind.STRIKE_OFF, done_on=LEFT_ON
    )
    with pytest.raises(DomainError, match="trang «Xét công nhận chính thức»"):
        services.reinstate_member(
            world.users[Role.OFFICER], deceased, Decision(LEFT_ON, reason="Ghi nhầm")
        )
    assert fresh(deceased).status == Status.DECEASED


def test_an_active_member_has_nothing_to_undo(world):
    response = world.client(Role.OFFICER).get(reinstate_url(world.member), follow=True)
    assert "Nguyễn Văn An đang sinh hoạt đảng." in response.content.decode()
    with pytest.raises(DomainError, match="không có việc ra khỏi Đảng nào để hủy"):
        services.reinstate_member(
            world.users[Role.OFFICER], world.member, Decision(LEFT_ON, reason="Thử")
        )


def test_only_who_manages_the_member_may_undo(world, deceased):
    data = {"effective_on": "10/10/2024", "reason": "Thử"}
    assert world.client(Role.SECRETARY).get(reinstate_url(deceased)).status_code == 404
    assert world.client(Role.SECRETARY).post(reinstate_url(deceased), data).status_code == 404
    assert world.client(Role.INSPECTOR).get(reinstate_url(deceased)).status_code == 403
    assert world.client(Role.INSPECTOR).post(reinstate_url(deceased), data).status_code == 403
    outside = world.client("outside_officer")
    assert outside.post(reinstate_url(deceased), data).status_code == 404
    assert fresh(deceased).status == Status.DECEASED
