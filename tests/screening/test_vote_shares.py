"""The vote shares come from the rule set in force on the vote's day, the probationary
member's ([C], Quy định 24-QĐ/TW §8.1) apart from the official member's ([U], configurable)."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import Family
from dangvien.members.models import Member
from dangvien.screening import services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _branch_vote(world, member, votes_for: int):
    admin = world.users[Role.ADMIN]
    case = services.open_case(
        admin,
        member,
        kind="xoa_ten",
        opened_on=_ago(20),
        grounds={"ground_political"},
        facts="Không đủ tiêu chuẩn chính trị.",
        warrants_expulsion=False,
    )
    services.record_review_step(admin, case, kind="da_kiem_diem", on=_ago(15))
    return services.record_vote(
        admin,
        case,
        level="chi_bo",
        on=_ago(10),
        body_size=None,
        present=4,
        votes_for=votes_for,
        votes_against=0,
    )


def test_an_official_members_share_is_configurable(world):
    for index in range(3):
        MemberFactory(
            code=f"DV-TRONG-{index + 3}", full_name=f"Đảng viên {index}", branch=world.branch
        )
    # Official members: three quarters of the branch, instead of two thirds.
    for rule_set in RuleSet.objects.filter(family=Family.CHARTER):
        rule_set.values = {**rule_set.values, "strike_off_official_branch_numerator": 3}
        rule_set.values["strike_off_official_branch_denominator"] = 4
        rule_set.save()
    step = _branch_vote(world, world.member, 3)  # 3 of 4 official members: 3/4 reached
    assert step.passed and step.body_size == 4 and step.threshold == "từ 3/4 của 4"

    probationary = MemberFactory(code="DV-DUBI", full_name="Đinh Văn Dự", branch=world.branch)
    Member.unscoped.filter(pk=probationary.pk).update(official_on=None, status="probationary")
    step = _branch_vote(world, Member.unscoped.get(pk=probationary.pk), 3)
    assert step.threshold == "từ 2/3 của 4" and step.passed
    step = _branch_vote(world, Member.unscoped.get(code="DV-TRONG-3"), 2)
    assert not step.passed  # 2 of 4 official members: short of 3/4
