"""Striking a probationary member off is confirmed on a page that says what changes, needs a
reason, and is annulled with a reason (the member probationary again, the review going on);
issue 12: every final action confirms and can be undone."""

import datetime

import pytest

from dangvien.admissions.models import RecognitionStep
from dangvien.admissions.probation import services
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, MemberEvent, Placement, Status
from tests.admissions.probation_steps import (
    decide,
    fresh,
    months_ago,
    probationary,
    record_step,
    text,
    today,
)

REASON = "Vi phạm tư cách đảng viên trong thời gian dự bị"


def url(member, action: str = "strike-off/") -> str:
    return f"/admissions/probation/{member.pk}/{action}"


@pytest.fixture
def voted(world):
    """A probationary member whose branch voted 5 of 6 to strike them off."""
    member = probationary(world, months_ago(13), full_name="Cao Văn Không Đạt")
    record_step(
        world.client(Role.SECRETARY), member, "strike_off_vote", today(), votes_for=5, votes_total=6
    )
    return member


def strike_off(client, member, **fields):
    return decide(client, member, today(), path="strike-off", number="77-QĐ/ĐU", **fields)


def test_the_review_links_to_a_confirmation_that_names_the_consequences(world, voted):
    client = world.client(Role.OFFICER)
    review = client.get(url(voted, "")).content.decode()
    assert 'id="strike-off-form"' not in review  # no inline decision any more
    assert f'href="{url(voted)}"' in review
    response = client.get(url(voted))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không công nhận đảng viên chính thức, xóa tên: Cao Văn Không Đạt" in page
    consequences = page.split('id="consequences"')[1].split("</ul>")[0]
    assert "bị xóa tên từ ngày ký quyết định" in consequences
    assert (
        f"không còn trong danh sách và số liệu đảng viên đang sinh hoạt của {world.branch.name}"
        in consequences
    )
    assert (
        f"Căn cứ: nghị quyết chi bộ đề nghị không công nhận ngày {text(today())} (5/6 tán thành)"
        in consequences
    )
    assert "hủy quyết định xóa tên (có lý do)" in consequences
    assert 'name="strike_off-reason"' in page and "Lý do không công nhận" in page
    assert fresh(voted).status == Status.PROBATIONARY


def test_a_decision_without_a_reason_is_refused_and_keeps_the_input(world, voted):
    response = strike_off(world.client(Role.OFFICER), voted)
    assert response.status_code == 400
    page = response.content.decode()
    banner = page.split('id="review-action"')[1].split("Khi xác nhận")[0]
    assert "Chưa xóa tên:" in banner and "Cần ghi lý do không công nhận, xóa tên." in banner
    assert 'value="77-QĐ/ĐU"' in page  # the decision typed stays
    assert fresh(voted).status == Status.PROBATIONARY
    assert not AuditEntry.unscoped.filter(action="probation.not_recognised").exists()


def test_the_decision_then_its_annulment_each_with_a_reason(world, voted):
    client = world.client(Role.OFFICER)
    page = strike_off(client, voted, reason=REASON).content.decode()
    assert "Đã ghi quyết định không công nhận chính thức, xóa tên Cao Văn Không Đạt" in page
    member = fresh(voted)
    assert (member.status, member.left_on) == (Status.REMOVED, today())
    assert AuditEntry.unscoped.get(action="probation.not_recognised").reason == REASON
    assert member.placements.get().end == today()

    review = client.get(url(member, "")).content.decode()
    assert f'href="{url(member, "strike-off/annul/")}"' in review
    confirm = client.get(url(member, "strike-off/annul/"))
    assert confirm.status_code == 200
    consequences = confirm.content.decode().split('id="consequences"')[1].split("</ul>")[0]
    assert f"là đảng viên dự bị của {world.branch.name} trở lại" in consequences
    assert f"ngày ra khỏi Đảng ({text(today())}) được xóa" in consequences
    assert f"Quyết định xóa tên số 77-QĐ/ĐU ngày {text(today())} được ghi là đã hủy" in (
        consequences
    )

    refused = client.post(url(member, "strike-off/annul/"), {"reason": ""})
    assert refused.status_code == 400
    assert "Cần ghi lý do hủy quyết định xóa tên." in refused.content.decode()
    assert fresh(member).status == Status.REMOVED

    why = "Cấp ủy rút lại quyết định: ghi nhầm đảng viên"
    done = client.post(url(member, "strike-off/annul/"), {"reason": why}, follow=True)
    assert "Đã hủy quyết định xóa tên: Cao Văn Không Đạt là đảng viên dự bị trở lại." in (
        done.content.decode()
    )
    member = fresh(member)
    assert (member.status, member.left_on) == (Status.PROBATIONARY, None)
    assert Placement.objects.get(member=member).end is None
    # The timeline keeps the strike-off, followed by its annulment.
    kinds = list(MemberEvent.objects.filter(member=member).order_by("id").values_list("kind"))
    assert kinds[-2:] == [(EventKind.REMOVED,), (EventKind.REINSTATED,)]
    assert AuditEntry.unscoped.get(action="member.reinstate", target_id=member.pk).reason == why
    kinds = set(RecognitionStep.objects.filter(member=member).values_list("kind", flat=True))
    assert kinds == {"strike_off_vote"}  # the branch's vote stays, the decision is annulled
    entry = AuditEntry.unscoped.get(action="probation.strike_off_annulled")
    assert entry.reason == why
    assert entry.changes["review_strike_off"] == [f"Số 77-QĐ/ĐU ngày {text(today())}", None]
    history = done.content.decode().split('id="review-history"')[1]
    assert "Hủy quyết định xóa tên đảng viên dự bị" in history and why in history
    # Back in the lists of probationary members, and the review goes on.
    listing = client.get("/admissions/probation/").content.decode()
    assert "Cao Văn Không Đạt" in listing
    assert f'href="{url(member)}"' in done.content.decode()


def test_an_annulment_is_refused_once_the_branch_is_dissolved(world, voted):
    officer = world.users[Role.OFFICER]
    strike_off(world.client(Role.OFFICER), voted, reason=REASON)
    type(world.branch).unscoped.filter(pk=world.branch.pk).update(
        ended_on=today() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError, match=f"{world.branch.name} đã giải thể"):
        services.annul_strike_off(officer, fresh(voted), reason="Nhầm")
    assert fresh(voted).status == Status.REMOVED


def test_a_member_who_left_otherwise_has_no_decision_to_annul(world):
    member = probationary(world, months_ago(13))
    type(member).unscoped.filter(pk=member.pk).update(status=Status.DECEASED, left_on=today())
    client = world.client(Role.OFFICER)
    response = client.post(url(member, "strike-off/annul/"), {"reason": "Nhầm"}, follow=True)
    assert "không có quyết định xóa tên để hủy" in response.content.decode()
    with pytest.raises(DomainError, match="không có quyết định xóa tên khi xét công nhận"):
        services.annul_strike_off(world.users[Role.OFFICER], fresh(member), reason="Nhầm")
    assert fresh(member).status == Status.DECEASED


def test_only_the_committee_strikes_off_or_annuls_within_its_scope(world, voted):
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        assert client.get(url(voted)).status_code == 403
        assert strike_off(client, voted, reason=REASON).status_code == 403
    strike_off(world.client(Role.OFFICER), voted, reason=REASON)
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        assert client.get(url(voted, "strike-off/annul/")).status_code == 403
        assert client.post(url(voted, "strike-off/annul/"), {"reason": "x"}).status_code == 403
    assert fresh(voted).status == Status.REMOVED
    outside = probationary(world, months_ago(13), branch=world.outside_branch)
    officer = world.client(Role.OFFICER)
    assert officer.get(url(outside)).status_code == 404
    assert officer.get(url(outside, "strike-off/annul/")).status_code == 404
    assert strike_off(officer, outside, reason=REASON).status_code == 404
    assert fresh(outside).status == Status.PROBATIONARY
