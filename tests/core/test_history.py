""" "What changed in my subtree this month": the history page, scoped like everything else."""

import datetime

from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.services import exempt_member, update_member


def test_officer_sees_changes_in_the_subtree_only(world):
    officer = world.users[Role.OFFICER]
    update_member(officer, world.member, {"phone": "0912345678"}, reason="Cập nhật số điện thoại")
    outside_officer = world.users["outside_officer"]
    exempt_member(outside_officer, world.outside_member, Decision(datetime.date(2024, 5, 1)))
    page = world.client(Role.OFFICER).get("/history/").content.decode()
    table = page.split('id="result-count"')[1]  # the changes, below the filters' choices
    assert "Sửa hồ sơ đảng viên" in table and "0912345678" in table and "Điện thoại" in table
    assert "Miễn công tác và sinh hoạt đảng" not in table
    assert world.outside_member.full_name not in page
    inspector_page = world.client(Role.INSPECTOR).get("/history/").content.decode()
    assert "0912345678" in inspector_page


def test_period_filter(world):
    officer = world.users[Role.OFFICER]
    update_member(officer, world.member, {"phone": "0900000001"})
    AuditEntry.unscoped.filter(action="member.update").update(
        at=timezone.now() - datetime.timedelta(days=40)
    )
    client = world.client(Role.OFFICER)
    assert "0900000001" not in client.get("/history/").content.decode()
    assert "0900000001" in client.get("/history/", {"days": "92"}).content.decode()


def test_sign_ins_and_reads_are_not_changes(world):
    """Sign-ins and reads belong to the access review (/history/access/), not the change
    history: they would push the changes out of its page."""
    admin = world.client(Role.ADMIN)  # signs in through the login signal: an auth.login entry
    admin.get(f"/members/{world.member.pk}/")  # a read: member.view
    assert AuditEntry.unscoped.filter(action__in=["auth.login", "member.view"]).count() >= 2
    page = admin.get("/history/").content.decode()
    assert "Đăng nhập" not in page and "Xem hồ sơ đảng viên" not in page
    org_page = admin.get(f"/orgs/{world.branch.code}/").content.decode()
    assert "Đăng nhập" not in org_page


def test_the_history_pages_and_filters_by_person_record_and_kind(world):
    """6,559 changes were shown as the newest 500 with no notice (issue 12): now every change
    is reachable, 50 a page, and found by who made it, on which record, of which kind."""
    officer = world.users[Role.OFFICER]
    for number in range(120):
        update_member(officer, world.member, {"phone": f"09{number:08d}"})
    update_member(world.users[Role.ADMIN], world.other_member, {"phone": "0987654321"})
    client = world.client(Role.OFFICER)
    first = client.get("/history/").content.decode()
    assert "121 thay đổi" in first and "trang 1/3" in first
    assert 'aria-current="page">1<' in first and "page=3" in first
    last = client.get("/history/", {"page": "3"}).content.decode()
    assert "0900000000" in last  # the oldest change, beyond the first 100

    by_record = client.get("/history/", {"record": world.other_member.full_name}).content.decode()
    assert "1 thay đổi" in by_record and "0987654321" in by_record
    by_person = client.get("/history/", {"person": officer.username}).content.decode()
    assert "120 thay đổi" in by_person
    by_kind = client.get("/history/", {"action": "member.create"}).content.decode()
    assert "0 thay đổi" in by_kind
    refused = client.get("/history/", {"action": "auth.login"})
    assert refused.status_code == 400 and "Loại thay đổi không hợp lệ." in refused.content.decode()
