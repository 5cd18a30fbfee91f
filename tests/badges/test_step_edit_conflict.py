"""Two officers (or a double click) record a step of one badge: each step's page carries the
badge's version, so the second submit is refused, naming the step recorded in between, and
nothing is recorded twice: an undo goes back one stage only, a lost badge is reissued once."""

import datetime

import pytest

from dangvien.badges.models import Badge, BadgeStep, Stage, StepKind
from dangvien.badges.services import record_awarded
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import MemberFactory
from tests.stale import opened_version, refused_as_stale


@pytest.fixture
def awarded(world):
    member = MemberFactory(
        code="HH-30",
        full_name="Phạm Văn Ba Mươi",
        branch=world.branch,
        admitted_on=datetime.date(1990, 5, 10),
        official_on=datetime.date(1991, 5, 10),
    )
    return record_awarded(
        None,
        member,
        milestone=30,
        decision_number="88-QĐ/TU",
        decision_on=datetime.date(2020, 4, 20),
        badge_number="30-000123",
        certificate_number="GCN-5521",
        awarded_on=datetime.date(2020, 5, 19),
    )


def _opened(client, badge, action: str) -> tuple[str, str]:
    url = f"/badges/{badge.pk}/{action}/"
    return url, opened_version(client, url)


def test_an_undo_submitted_from_two_pages_goes_back_one_stage(world, awarded):
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    url, seen_first = _opened(first, awarded, "undo")
    _url, seen_second = _opened(second, awarded, "undo")

    response = first.post(url, {"version": seen_first, "reason": "Ghi nhầm ngày trao"})
    assert response.status_code == 302
    page = refused_as_stale(
        second.post(url, {"version": seen_second, "reason": "Ghi nhầm ngày trao"}),
        world.users[Role.OFFICER],
    )
    assert "hủy bước ghi nhầm" in page.lower()
    badge = Badge.unscoped.get(pk=awarded.pk)
    assert (badge.stage, badge.badge_number) == (Stage.NUMBERED, "30-000123")
    assert BadgeStep.objects.filter(badge=badge, kind=StepKind.UNDO).count() == 1
    # The same page submitted again (a double click) is refused too.
    refused_as_stale(
        first.post(url, {"version": seen_first, "reason": "Lại"}), world.users[Role.OFFICER]
    )
    assert Badge.unscoped.get(pk=awarded.pk).stage == Stage.NUMBERED
    # A post without the version (a page opened before versions) changes nothing.
    response = first.post(url, {"reason": "Lại"})
    assert response.status_code == 400 and "thiếu phiên bản" in response.content.decode()
    assert AuditEntry.unscoped.filter(action="badge.undo").count() == 1


def test_a_lost_badge_reissued_from_two_pages_gets_one_new_number(world, awarded):
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    url, seen_first = _opened(first, awarded, "reissue")
    _url, seen_second = _opened(second, awarded, "reissue")
    data = {"on": "01/06/2026", "reason": "Mất khi chuyển nhà"}

    assert (
        second.post(url, {**data, "version": seen_second, "badge_number": "30-000999"})["Location"]
        == f"/badges/{awarded.pk}/"
    )
    page = refused_as_stale(
        first.post(url, {**data, "version": seen_first, "badge_number": "30-000777"}),
        world.users[Role.ADMIN],
    )
    assert "30-000123 → 30-000999" in page  # what changed, named
    badge = Badge.unscoped.get(pk=awarded.pk)
    assert badge.badge_number == "30-000999"
    assert [s.detail for s in BadgeStep.objects.filter(badge=badge, kind=StepKind.REISSUE)] == [
        "Số cũ 30-000123 → 30-000999"
    ]
    # Refused, the page now carries the version stored: reissuing again is a knowing choice.
    again = {**data, "version": _opened(first, awarded, "reissue")[1], "badge_number": "30-000777"}
    assert first.post(url, again).status_code == 302
    assert Badge.unscoped.get(pk=awarded.pk).badge_number == "30-000777"


def test_a_recovery_is_recorded_once(world, awarded):
    from dangvien.core.decisions import Decision
    from dangvien.members import services as member_services
    from dangvien.members.models import Status

    member_services.end_membership(
        world.users[Role.OFFICER],
        awarded.member,
        Status.REMOVED,
        Decision(datetime.date(2026, 6, 1), "9-QĐ", reason="Bỏ sinh hoạt 3 tháng"),
    )
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    url, seen_first = _opened(first, awarded, "recover")
    _url, seen_second = _opened(second, awarded, "recover")
    assert first.post(url, {"version": seen_first, "on": "05/06/2026"}).status_code == 302
    refused_as_stale(
        second.post(url, {"version": seen_second, "on": "06/06/2026"}), world.users[Role.OFFICER]
    )
    badge = Badge.unscoped.get(pk=awarded.pk)
    assert badge.recovered_on == datetime.date(2026, 6, 5)
    assert BadgeStep.objects.filter(badge=badge, kind=StepKind.RECOVER).count() == 1
