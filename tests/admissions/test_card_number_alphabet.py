"""Issuing a party card: an old-series number is exactly 8 ASCII digits (not full-width or other
scripts' digits); a chip-card number, whose format is not settled, is a code (letters without
diacritics, digits, ".", "-", "_"): no space, "/", control or bidirectional character."""

import pytest

from dangvien.admissions.models import PartyCard
from dangvien.core.roles import Role
from tests.admissions.test_cards import issue


@pytest.mark.parametrize(
    ("number", "series", "message"),
    [
        ("１２３４５６７８", "old", "Số thẻ mẫu cũ gồm đúng 8 chữ số."),
        ("١٢٣٤٥٦٧٨", "old", "Số thẻ mẫu cũ gồm đúng 8 chữ số."),
        ("VN 2025/1", "chip", "mã “VN 2025/1” không hợp lệ"),
        ("VN-2025\u202e1", "chip", "Số thẻ: chứa ký tự không được phép U+202E."),
    ],
)
def test_a_malformed_card_number_is_refused(world, number, series, message):
    page = issue(world.client(Role.OFFICER), world.member, number, series=series)
    assert message in page.content.decode()
    assert not PartyCard.objects.exists()
