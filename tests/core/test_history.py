""" "What changed in my subtree this month": the history page, scoped like everything else."""

import datetime

from django.utils import timezone

from dangvien.accounts.roles import Role
from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.members.services import exempt_member, update_member


def test_officer_sees_changes_in_the_subtree_only(world):
    officer = world.users[Role.OFFICER]
    update_member(officer, world.member, {"phone": "0912345678"}, reason="Cập nhật số điện thoại")
    outside_officer = world.users["outside_officer"]
    exempt_member(outside_officer, world.outside_member, Decision(datetime.date(2024, 5, 1)))
    page = world.client(Role.OFFICER).get("/history/").content.decode()
    assert "Sửa hồ sơ đảng viên" in page and "0912345678" in page and "Điện thoại" in page
    assert "Miễn công tác và sinh hoạt đảng" not in page
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
