"""The excellent cap is a share of the members graded good, rounded as the rule set in force says
(QĐ 124-QĐ/TW Điều 12; domain-rules.md §4): down by default, up when the rule set rounds up. The
page states the cap and the save enforces it, without a browser."""

import pytest

from dangvien.assessments.models import Grade, MemberAssessment
from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from tests.assessments.workflow import base_url, decisions_post, open_round, propose
from tests.factories import MemberFactory


def round_up(enabled: bool) -> None:
    for rule_set in RuleSet.objects.all():
        rule_set.values = {**rule_set.values, "excellent_cap_round_up": int(enabled)}
        rule_set.save(update_fields=["values"])


def decide(world, excellent: int, good: int):
    """The base committee's page and its save of `excellent` excellent and `good` good."""
    open_round(world)
    members = MemberFactory.create_batch(excellent + good, branch=world.branch)
    grades = [Grade.EXCELLENT] * excellent + [Grade.GOOD] * good
    rows = dict(zip(members, grades, strict=True))
    propose(world, {member: {"grade": grade} for member, grade in rows.items()})
    client = world.client(Role.OFFICER)
    page = client.get(base_url(world.base)).content.decode()
    cap = int(page.split("<strong data-cap>")[1].split("<")[0])
    return cap, client.post(base_url(world.base), decisions_post(rows))


@pytest.mark.parametrize(
    ("good", "rounds_up", "cap"),
    [
        (4, False, 0),  # 20% of 4 is 0.8
        (4, True, 1),
        (5, False, 1),  # exactly 1: no rounding either way
        (5, True, 1),
        (7, False, 1),  # 1.4
        (7, True, 2),
        (10, False, 2),
        (10, True, 2),
    ],
)
def test_the_cap_is_rounded_as_the_rule_set_says(world, good, rounds_up, cap):
    round_up(rounds_up)
    shown, response = decide(world, excellent=cap, good=good)
    assert shown == cap
    assert response.status_code == 302  # exactly the cap needs no reason
    assert MemberAssessment.unscoped.filter(grade=Grade.EXCELLENT).count() == cap


@pytest.mark.parametrize(("good", "rounds_up", "cap"), [(4, False, 0), (7, False, 1), (7, True, 2)])
def test_one_more_than_the_cap_is_refused_without_a_reason(world, good, rounds_up, cap):
    round_up(rounds_up)
    shown, response = decide(world, excellent=cap + 1, good=good)
    assert shown == cap
    assert response.status_code == 400  # refused
    assert f"{cap + 1} đảng viên xuất sắc vượt giới hạn {cap}" in response.content.decode()
    assert not MemberAssessment.unscoped.exclude(grade="").exists()
