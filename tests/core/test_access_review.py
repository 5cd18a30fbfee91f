"""Administrators and inspectors review reads and sign-ins by person and period (paged, and
as a file whose export is itself recorded); inspectors only within their subtree."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dangvien.core.audit import record_read
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.conftest import OUTSIDE_MARK

URL = "/history/access/"


def auth_event(user, action="auth.login", days_ago=0):
    entry = AuditEntry.unscoped.create(
        actor=user if action != "auth.login_failed" else None,
        action=action,
        target_type="accounts.user",
        target_id=user.pk,
        target_label=user.username,
        org_path="",
    )
    if days_ago:
        AuditEntry.unscoped.filter(pk=entry.pk).update(
            at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    return entry


def view_of(actor, member, days_ago=0):
    entry = record_read(actor, "member.view", org_path=member.branch_path, target=member)
    if days_ago:
        AuditEntry.unscoped.filter(pk=entry.pk).update(
            at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    return entry


def day(days_ago: int) -> str:
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SECRETARY, Role.MEMBER])
def test_other_roles_are_refused(world, role):
    client = world.client(role)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403
    assert "Nhật ký truy cập" not in client.get("/").content.decode()


def test_menu_link_for_administrators_and_inspectors(world):
    for role in (Role.ADMIN, Role.INSPECTOR):
        assert 'href="/history/access/"' in world.client(role).get("/").content.decode()


def test_filters_by_person_as_actor_or_as_the_account_concerned(world):
    officer, secretary = world.users[Role.OFFICER], world.users[Role.SECRETARY]
    view_of(officer, world.member)
    view_of(secretary, world.other_member)
    auth_event(secretary, "auth.login_failed")
    page = world.client(Role.ADMIN).get(URL, {"person": officer.username}).content.decode()
    assert world.member.full_name in page and world.other_member.full_name not in page
    assert "Đăng nhập không thành công" not in page
    page = world.client(Role.ADMIN).get(URL, {"person": secretary.username}).content.decode()
    assert world.other_member.full_name in page and world.member.full_name not in page
    assert "Đăng nhập không thành công" in page  # the account concerned, no actor


def test_filters_by_period(world):
    officer = world.users[Role.OFFICER]
    view_of(officer, world.member, days_ago=40)
    view_of(officer, world.other_member, days_ago=2)
    client = world.client(Role.ADMIN)
    page = client.get(URL).content.decode()  # by default the last 31 days
    assert world.other_member.full_name in page and world.member.full_name not in page
    page = client.get(URL, {"from": day(45), "to": day(35)}).content.decode()
    assert world.member.full_name in page and world.other_member.full_name not in page


@pytest.mark.parametrize(
    "query",
    [{"from": "31/02/2026"}, {"from": "hôm qua"}, {"from": day(1), "to": day(5)}, {"kind": "x"}],
)
def test_a_bad_filter_is_a_400_in_vietnamese(world, query):
    response = world.client(Role.ADMIN).get(URL, query)
    assert response.status_code == 400
    assert (
        "ngày" in response.content.decode().lower() or "không hợp lệ" in response.content.decode()
    )


def test_pages_of_fifty(world):
    officer = world.users[Role.OFFICER]
    AuditEntry.unscoped.bulk_create(
        AuditEntry(
            actor=officer,
            action="member.view",
            target_type="members.member",
            target_id=world.member.pk,
            target_label=f"Hồ sơ số {number:03d}",
            org_path=world.member.branch_path,
        )
        for number in range(120)
    )
    client = world.client(Role.ADMIN)
    query = {"kind": "reads"}
    first = client.get(URL, query).content.decode()
    assert first.count("Hồ sơ số ") == 50 and "120 mục" in first and "trang 1/3" in first
    assert "page=2" in first
    last = client.get(URL, {**query, "page": "3"}).content.decode()
    assert last.count("Hồ sơ số ") == 20
    beyond = client.get(URL, {**query, "page": "99"}).content.decode()
    assert beyond.count("Hồ sơ số ") == 20  # the last page


def test_inspector_sees_only_their_subtree(world):
    outside_officer = world.users["outside_officer"]
    secretary = world.users[Role.SECRETARY]
    view_of(outside_officer, world.outside_member)
    view_of(secretary, world.member)
    auth_event(outside_officer, "auth.lockout")
    auth_event(secretary, "auth.password_change")
    page = world.client(Role.INSPECTOR).get(URL).content.decode()
    assert world.member.full_name in page and "Đổi mật khẩu" in page
    assert OUTSIDE_MARK not in page and "Tạm khóa đăng nhập" not in page
    admin_page = world.client(Role.ADMIN).get(URL).content.decode()
    assert OUTSIDE_MARK in admin_page and "Tạm khóa đăng nhập" in admin_page


def test_export_of_the_review_is_itself_recorded(world):
    officer, inspector = world.users[Role.OFFICER], world.users[Role.INSPECTOR]
    view_of(officer, world.member)
    view_of(officer, world.other_member)
    view_of(world.users["outside_officer"], world.outside_member)
    response = world.client(Role.INSPECTOR).get(URL + "export.csv", {"kind": "reads"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Thời điểm", "Tài khoản", "Họ và tên", "Thao tác"]
    assert len(rows) == 3 and OUTSIDE_MARK not in text
    (entry,) = AuditEntry.unscoped.filter(action="access.export")
    assert entry.actor == inspector and entry.changes["rows"] == 2
    assert entry.changes["format"] == "csv" and entry.changes["filters"]["kind"] == "reads"
    assert entry.org_path == world.upper.path
    response = world.client(Role.ADMIN).get(URL + "export.xlsx", {"kind": "reads"})
    assert response.status_code == 200
    assert AuditEntry.unscoped.filter(action="access.export").count() == 2
    page = world.client(Role.ADMIN).get(URL).content.decode()
    assert "Xuất nhật ký truy cập" in page
