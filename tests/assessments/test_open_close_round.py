"""An officer opens the year's round on an organisation and closes (locks) it."""

from django.urls import reverse

from dangvien.assessments.models import Commitment, MemberAssessment, Round
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import ACTIVE_STATUSES, Member
from tests.assessments.workflow import (
    client_of,
    member_with_account,
    open_round,
    save_my_page,
    table_rows,
    this_year,
)

OPEN = "/assessments/new/"


def test_the_officer_opens_a_round(world):
    client = world.client(Role.OFFICER)
    response = client.post(OPEN, {"organization_code": world.upper.code, "year": this_year()})
    round_ = Round.unscoped.get()
    assert response.url == reverse("assessments:round", args=[round_.pk])
    assert (round_.organization, round_.year, round_.is_open) == (world.upper, this_year(), True)
    assert AuditEntry.unscoped.filter(action="assessment.round_open").count() == 1
    rounds = table_rows(client.get("/assessments/"), "rounds")
    assert rounds[1][:3] == [str(this_year()), world.upper.name, "Đang đánh giá"]


def test_an_overlapping_round_is_refused(world):
    open_round(world, org=world.base)
    client = world.client(Role.OFFICER)
    response = client.post(OPEN, {"organization_code": world.upper.code, "year": this_year()})
    assert f"Đã có đợt đánh giá năm {this_year()} cho {world.base.name}." in (
        response.content.decode()
    )
    response = client.post(OPEN, {"organization_code": world.branch.code, "year": this_year()})
    assert f"cho {world.base.name}." in response.content.decode()
    assert Round.unscoped.count() == 1


def test_a_future_year_is_refused(world):
    response = world.client(Role.OFFICER).post(
        OPEN, {"organization_code": world.upper.code, "year": this_year() + 1}
    )
    assert f"Năm đánh giá phải từ 1930 đến {this_year()}." in response.content.decode()
    assert not Round.unscoped.exists()


def test_an_organisation_outside_the_scope_is_refused(world):
    response = world.client(Role.OFFICER).post(
        OPEN, {"organization_code": world.outside_upper.code, "year": this_year()}
    )
    assert "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn." in (
        response.content.decode()
    )
    assert not Round.unscoped.exists()


def test_a_secretary_cannot_open_close_or_reopen(world):
    client = world.client(Role.SECRETARY)
    assert client.get(OPEN).status_code == 403
    round_ = open_round(world)
    for name in ("assessments:close", "assessments:reopen"):
        assert client.get(reverse(name, args=[round_.pk])).status_code == 403
        response = client.post(reverse(name, args=[round_.pk]), {"reason": "Thử"})
        assert response.status_code == 403
    assert Round.unscoped.get().is_open


def active_below(path: str):
    return Member.unscoped.filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)


def close_url(round_) -> str:
    return reverse("assessments:close", args=[round_.pk])


def reopen_url(round_) -> str:
    return reverse("assessments:reopen", args=[round_.pk])


def grade_everyone(round_) -> None:
    """Every member below the round's organisation gets a result (imported, as from paper)."""
    for member in active_below(round_.org_path):
        MemberAssessment.unscoped.create(
            member=member,
            year=round_.year,
            branch=member.branch,
            branch_path=member.branch_path,
            grade="tot",
            imported=True,
        )


def test_the_lock_asks_for_confirmation_and_says_what_it_changes(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)
    page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert f'href="{close_url(round_)}"' in page  # a link to the confirmation, not a button
    pending = active_below(world.upper.path).count()
    confirmation = client.get(close_url(round_)).content.decode()
    assert f"Còn {pending} đảng viên chưa có kết quả xếp loại" in confirmation
    assert "Đảng viên không nộp, không sửa được bản tự kiểm điểm" in confirmation
    assert "Đợt có thể được mở lại" in confirmation
    assert Round.unscoped.get().is_open


def test_a_round_with_members_ungraded_is_not_locked_without_a_reason(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)
    pending = active_below(world.upper.path).count()
    response = client.post(close_url(round_), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa khóa đợt:" in page and f"Còn {pending} đảng viên chưa có kết quả" in page
    assert Round.unscoped.get().is_open

    reason = "Hết thời hạn báo cáo; các chi bộ còn lại xếp loại bằng đính chính."
    response = client.post(close_url(round_), {"reason": reason}, follow=True)
    assert f"Đã khóa đợt đánh giá năm {this_year()}." in response.content.decode()
    round_.refresh_from_db()
    assert not round_.is_open and round_.closed_by == world.users[Role.OFFICER]
    entry = AuditEntry.unscoped.get(action="assessment.round_close")
    assert (entry.reason, entry.changes["pending"]) == (reason, [None, pending])
    assert ("Số đảng viên chưa có kết quả", None, pending) in entry.change_rows()
    again = client.post(close_url(round_), {"reason": reason}, follow=True)
    assert f"Đợt đánh giá năm {this_year()} đã khóa." in again.content.decode()
    assert AuditEntry.unscoped.filter(action="assessment.round_close").count() == 1


def test_a_round_with_every_member_graded_locks_without_a_reason(world):
    round_ = open_round(world)
    grade_everyone(round_)
    client = world.client(Role.OFFICER)
    assert "Mọi đảng viên trong đợt đã có kết quả" in client.get(close_url(round_)).content.decode()
    assert client.post(close_url(round_), {"reason": ""}).status_code == 302
    assert not Round.unscoped.get().is_open


def test_the_officer_reopens_a_locked_round_with_a_reason(world):
    round_ = open_round(world)
    grade_everyone(round_)
    client = world.client(Role.OFFICER)
    client.post(close_url(round_), {"reason": ""})
    page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert f'href="{reopen_url(round_)}"' in page and "Đã khóa" in page

    response = client.post(reopen_url(round_), {"reason": ""})
    assert response.status_code == 400
    assert "Hãy nêu lý do mở lại đợt đánh giá." in response.content.decode()
    assert not Round.unscoped.get().is_open

    reason = "Khóa nhầm: chi bộ Tổ Văn còn kiểm điểm bổ sung."
    response = client.post(reopen_url(round_), {"reason": reason}, follow=True)
    assert f"Đã mở lại đợt đánh giá năm {this_year()}." in response.content.decode()
    round_.refresh_from_db()
    assert round_.is_open and round_.closed_at is None and round_.closed_by is None
    assert AuditEntry.unscoped.get(action="assessment.round_reopen").reason == reason
    assert (
        MemberAssessment.unscoped.filter(grade="tot").count()
        == Member.unscoped.filter(branch_path__startswith=world.upper.path).count()
    )  # the results decided before stay


def test_the_commitment_no_longer_changes_after_the_lock(world):
    member = member_with_account(world.branch, "dangvien_camket")
    client = client_of(member.user)
    response = save_my_page(client, {"action": "commit", "level": "tot", "pledges": "Học tập"})
    assert response.status_code == 302
    round_ = open_round(world)
    world.client(Role.OFFICER).post(close_url(round_), {"reason": "Hết hạn"})

    page = client.get("/assessments/my/").content.decode()
    assert f"Đợt đánh giá năm {this_year()} của {world.upper.name} đã khóa" in page
    assert 'value="commit"' not in page
    response = save_my_page(client, {"action": "commit", "level": "xuat_sac", "pledges": "Khác"})
    assert "đăng ký, cam kết không sửa được nữa" in response.content.decode()
    assert Commitment.unscoped.get(member=member, year=this_year()).level == "tot"
