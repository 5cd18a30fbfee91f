"""The administrator names a day off or a rule set: a NUL, control or bidirectional-override
character is refused by the service with the field named (the forms refuse NUL and an overlong
name themselves), the same on SQLite and PostgreSQL, and nothing is stored."""

import pytest

from dangvien.core.models import Holiday, RuleSet
from dangvien.core.roles import Role
from tests.core.test_rule_sets import NEW_SET


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Nghỉ bù\u202e", "chứa ký tự không được phép U+202E"),
        ("Nghỉ\x07 bù", "chứa ký tự không được phép U+0007"),
    ],
)
def test_a_day_off_with_a_forbidden_character_is_refused(world, name, message):
    client = world.client(Role.ADMIN)
    page = client.post("/rules/holidays/", {"day": "10/11/2025", "name": name}).content.decode()
    assert message in page
    assert not Holiday.objects.filter(name__startswith="Nghỉ").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "QĐ\u2067 thử"}, "chứa ký tự không được phép U+2067"),
        ({"note": "ghi\x1b chú"}, "chứa ký tự không được phép U+001B"),
    ],
)
def test_a_rule_set_with_a_forbidden_character_is_refused(world, changes, message):
    count = RuleSet.objects.count()
    response = world.client(Role.ADMIN).post("/rules/new/", {**NEW_SET, **changes})
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert message in response.content.decode()
    assert RuleSet.objects.count() == count
