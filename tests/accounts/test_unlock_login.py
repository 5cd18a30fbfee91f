"""An administrator lifts a sign-in lockout early: the page and the message say exactly what is
lifted (the account's name, and the addresses its failures locked) and what stays locked."""

from django.conf import settings
from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import PASSWORD


def sign_in(username, password, address):
    return Client().post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(username, address, times):
    for _ in range(times):
        sign_in(username, "sai-mat-khau", address)


def test_the_address_locked_by_the_users_own_failures_under_another_spelling(world):
    """Typed "Bithu" twice then "bithu" three times: the name is not locked, the address is."""
    limit = settings.AXES_FAILURE_LIMIT
    fail("Bithu", "10.30.0.1", 2)
    fail("bithu", "10.30.0.1", limit - 2)
    assert sign_in("bithu", PASSWORD, "10.30.0.1").status_code == 429
    secretary = world.users[Role.SECRETARY]
    admin = world.client(Role.ADMIN)

    page = admin.get(f"/users/{secretary.pk}/").content.decode()
    assert "Tài khoản đang bị tạm khóa đăng nhập" not in page
    assert "Địa chỉ máy người dùng đã thử đang bị tạm khóa đăng nhập" in page
    assert f"10.30.0.1: {limit} lần nhập sai" in page
    assert "Gỡ tạm khóa của tài khoản này" in page

    response = admin.post(
        f"/users/{secretary.pk}/unlock/",
        {"reason": "Người dùng gọi điện báo nhập nhầm"},
        REMOTE_ADDR="10.30.9.9",
        follow=True,
    )
    page = response.content.decode()
    assert (
        f"Đã gỡ tạm khóa đăng nhập của bithu: xóa {limit} lần nhập sai bằng tên đăng nhập "
        "này; địa chỉ 10.30.0.1 hết bị khóa." in page
    )
    assert sign_in("bithu", PASSWORD, "10.30.0.1").status_code == 302
    entry = AuditEntry.unscoped.get(action="auth.unlock")
    assert entry.org_path == "" and entry.target_id == secretary.pk
    assert entry.reason == "Người dùng gọi điện báo nhập nhầm"
    assert entry.changes == {
        "failed_attempts": [limit, 0],
        "locked_addresses": ["10.30.0.1", ""],
        "ip_address": [None, "10.30.9.9"],
    }


def test_an_address_locked_by_other_names_stays_locked_and_the_message_says_so(world):
    """A colleague behind a shared address locked it; bithu, refused there, locked their own
    name from their own machine. Lifting bithu's lock must not wipe the colleague's count: the
    shared address stays locked, and the page and the message say so, with when it ends."""
    limit = settings.AXES_FAILURE_LIMIT
    fail("canbo", "10.31.0.1", limit)
    assert sign_in("bithu", PASSWORD, "10.31.0.1").status_code == 429  # refused, not counted
    fail("bithu", "10.31.0.2", limit)
    secretary = world.users[Role.SECRETARY]
    admin = world.client(Role.ADMIN)
    page = admin.get(f"/users/{secretary.pk}/").content.decode()
    assert f"sau {limit} lần nhập sai" in page
    assert f"10.31.0.1: {limit} lần nhập sai" in page
    assert f"10.31.0.2: {limit} lần nhập sai" in page

    response = admin.post(
        f"/users/{secretary.pk}/unlock/", {"reason": "Đã xác minh qua điện thoại"}, follow=True
    )
    page = response.content.decode()
    assert "địa chỉ 10.31.0.2 hết bị khóa. Địa chỉ 10.31.0.1 vẫn bị tạm khóa đến" in page
    assert "vì nhập sai bằng tên đăng nhập khác" in page
    assert "dangvien axes_reset_ip 10.31.0.1" in page
    assert sign_in("bithu", PASSWORD, "10.31.0.2").status_code == 302
    assert sign_in("bithu", PASSWORD, "10.31.0.1").status_code == 429
    # The colleague's own lock is theirs: untouched.
    assert sign_in("canbo", PASSWORD, "10.31.0.9").status_code == 429
    entry = AuditEntry.unscoped.get(action="auth.unlock")
    assert entry.changes["failed_attempts"] == [limit, 0]
    assert entry.changes["locked_addresses"] == ["10.31.0.1, 10.31.0.2", "10.31.0.1"]


def test_the_confirmation_says_what_is_lifted_and_needs_a_reason(world):
    """The page's button opens a confirmation naming the lock and its addresses; without a
    reason nothing is lifted (400, said at the top), with one it is, and the reason is kept."""
    limit = settings.AXES_FAILURE_LIMIT
    fail("bithu", "10.32.0.1", limit)
    secretary = world.users[Role.SECRETARY]
    admin = world.client(Role.ADMIN)
    assert (
        f'href="/users/{secretary.pk}/unlock/"'
        in admin.get(f"/users/{secretary.pk}/").content.decode()
    )

    page = admin.get(f"/users/{secretary.pk}/unlock/").content.decode()
    assert f"<h1>Gỡ tạm khóa đăng nhập: {secretary.display_name}" in page
    assert f"sau {limit} lần nhập sai" in page and "Tài khoản hết bị tạm khóa đăng nhập" in page
    assert f"Địa chỉ 10.32.0.1 ({limit} lần nhập sai, khóa đến" in page
    assert "Lý do gỡ khóa" in page

    refused = admin.post(f"/users/{secretary.pk}/unlock/", {"reason": "   "})
    assert refused.status_code == 400 and "Chưa lưu." in refused.content.decode()
    assert not AuditEntry.unscoped.filter(action="auth.unlock").exists()
    assert sign_in("bithu", PASSWORD, "10.32.0.2").status_code == 429

    done = admin.post(f"/users/{secretary.pk}/unlock/", {"reason": "Đã xác minh người dùng"})
    assert done.status_code == 302
    assert sign_in("bithu", PASSWORD, "10.32.0.2").status_code == 302
    assert AuditEntry.unscoped.get(action="auth.unlock").reason == "Đã xác minh người dùng"
