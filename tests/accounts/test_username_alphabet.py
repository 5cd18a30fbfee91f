"""Creating an account: the user name is typed from a sane alphabet (letters without
diacritics, digits, ".", "_", "-", "@"), no spaces, control, look-alike or bidirectional
characters, and fits its column; the form says so in Vietnamese and creates nothing."""

import pytest

from dangvien.accounts.models import User
from dangvien.core.roles import Role
from tests.accounts.test_password_policy import create

GOOD_PASSWORD = "Sông-Hồng chảy qua 3 tỉnh"


@pytest.mark.parametrize(
    "username",
    [
        "bí thư",  # a space and diacritics
        "bithu\u202e",  # a bidirectional override
        "bithu\x07",  # a control character
        "bіthu",  # a Cyrillic "і" that looks like a Latin "i"
        "bi/thu",
    ],
)
def test_a_username_outside_the_alphabet_is_refused(world, username):
    response = create(world.client(Role.OFFICER), world, username, GOOD_PASSWORD)
    assert response.status_code == 400
    assert "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ - @" in (
        response.content.decode()
    )
    assert not User.objects.filter(full_name="Người Dùng Mới").exists()


@pytest.mark.parametrize("username", ["bithu\x00", "a" * 151])
def test_a_nul_or_an_overlong_username_is_refused_by_the_form(world, username):
    response = create(world.client(Role.OFFICER), world, username, GOOD_PASSWORD)
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert not User.objects.filter(full_name="Người Dùng Mới").exists()


@pytest.mark.parametrize("username", ["nguyen.van_an-2", "an@phuong1"])
def test_a_username_within_the_alphabet_is_accepted(world, username):
    response = create(world.client(Role.OFFICER), world, username, GOOD_PASSWORD)
    assert response.status_code == 302
    assert User.objects.filter(username=username).exists()
