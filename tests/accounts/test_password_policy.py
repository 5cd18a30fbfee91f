"""The password policy, in Vietnamese, wherever a password is chosen: the user's own change,
an account's creation, an administrator's reset. Each rule is tried on its own."""

import itertools

import pytest

from dangvien.accounts.models import User
from dangvien.core.roles import Role
from tests.factories import PASSWORD

# The weak passwords the probe of issue 11 had accepted, the demo's among them.
PROBE_PASSWORDS = ["demo@2026", "12345678", "matkhau123", "password1", "dangvien2026"]

RULES = [
    ("Cay-da-1", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
    ("peanutbutter", "Mật khẩu quá phổ biến"),  # Django's list
    ("anhyeuem2026", "Mật khẩu quá phổ biến"),  # the Vietnamese list, with a year
    ("@Hanoi12345!", "Mật khẩu quá phổ biến"),  # a place, decorated
    ("Mật khẩu 2026", "Mật khẩu quá phổ biến"),  # with diacritics and spaces
    ("20262027202820", "Mật khẩu không được chỉ gồm chữ số."),
]


def change(client, old, new):
    return client.post(
        "/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def create(client, world, username, password):
    return client.post(
        "/users/new/",
        {
            "username": username,
            "full_name": "Người Dùng Mới",
            "password": password,
            "role": Role.MEMBER,
            "organization_code": world.branch.code,
        },
    )


@pytest.mark.parametrize("weak", PROBE_PASSWORDS)
def test_the_probes_weak_passwords_are_refused_everywhere(world, weak):
    secretary = world.client(Role.SECRETARY)
    response = change(secretary, PASSWORD, weak)
    assert response.status_code == 200 and "Mật khẩu quá" in response.content.decode()
    assert User.objects.get(username="bithu").check_password(PASSWORD)

    response = create(world.client(Role.OFFICER), world, "moi2026", weak)
    assert response.status_code == 400 and "Mật khẩu quá" in response.content.decode()
    assert not User.objects.filter(username="moi2026").exists()


@pytest.mark.parametrize(("password", "message"), RULES)
def test_each_rule_refuses_on_its_own(world, password, message):
    response = change(world.client(Role.SECRETARY), PASSWORD, password)
    assert message in response.content.decode()
    assert User.objects.get(username="bithu").check_password(PASSWORD)


def test_a_password_like_the_account_is_refused_at_creation(world):
    response = world.client(Role.OFFICER).post(
        "/users/new/",
        {
            "username": "thuhang",
            "full_name": "Nguyễn Thu Hằng",
            "password": "nguyenthuhang7",
            "role": Role.MEMBER,
            "organization_code": world.branch.code,
        },
    )
    assert "Mật khẩu quá giống tên đăng nhập hoặc họ tên." in response.content.decode()
    assert not User.objects.filter(username="thuhang").exists()


def test_a_good_passphrase_passes_and_the_demo_password_is_one(world):
    from dangvien.accounts.demo import DEMO_PASSWORD

    assert create(world.client(Role.OFFICER), world, "moi2026", DEMO_PASSWORD).status_code == 302
    response = change(world.client(Role.SECRETARY), PASSWORD, "Song-Hong-chay-qua-2027")
    assert response.status_code == 302


def test_none_of_the_last_five_passwords_may_come_back(world):
    client = world.client(Role.SECRETARY)
    chain = [PASSWORD] + [f"Buoi-sang-so-{n}-tren-doi" for n in range(1, 6)]
    for old, new in itertools.pairwise(chain):
        assert change(client, old, new).status_code == 302
    # The last five are chain[1:]; each is refused, the current one included.
    for reused in chain[1:]:
        response = change(client, chain[-1], reused)
        assert "Không được dùng lại một trong 5 mật khẩu gần nhất." in response.content.decode()
    # The sixth back has left the history and may be chosen again.
    assert change(client, chain[-1], chain[0]).status_code == 302
    assert User.objects.get(username="bithu").password_history.count() == 5
