"""Found in review (issue 16): the residence records follow the member's transfers, and what the
base committee decides (an exempt category, ending a link, withdrawing a comment) is refused to
a branch secretary (HD 33-HD/BTCTW)."""

import datetime

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.errors import ScopeDenied
from dangvien.core.roles import Role
from dangvien.core.scope import visible
from dangvien.members.services import transfer_member
from dangvien.residence import services
from dangvien.residence.models import Category, ResidenceComment
from tests.residence.worlds import comment, introduce, school


def test_the_comment_follows_the_member_to_their_new_branch(world):
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member)
    recorded = comment(officer, world.member)
    secretary = world.users[Role.SECRETARY]  # the member's branch
    assert visible(secretary, ResidenceComment).filter(pk=recorded.pk).exists()
    moved = Decision(effective_on=datetime.date(2026, 3, 2), number="5-QĐ/ĐU", reason="Điều động")
    transfer_member(officer, world.member, world.other_branch, moved)
    assert not visible(secretary, ResidenceComment).filter(pk=recorded.pk).exists()
    assert visible(officer, ResidenceComment).filter(pk=recorded.pk).exists()


def test_a_branch_secretary_cannot_decide_what_the_base_committee_decides(world):
    school(world)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    with pytest.raises(ScopeDenied):
        introduce(secretary, world.member, Category.NO_YEARLY_COMMENT)
    link = introduce(secretary, world.member)  # the branch records the introduction itself
    recorded = comment(secretary, world.member)
    with pytest.raises(ScopeDenied):
        services.withdraw_comment(secretary, recorded, reason="Ghi nhầm")
    with pytest.raises(ScopeDenied):
        services.end_link(secretary, link, ended_on=datetime.date(2026, 1, 5), reason="Nghỉ hưu")
    services.withdraw_comment(officer, recorded, reason="Ghi nhầm")
    assert ResidenceComment.unscoped.get(pk=recorded.pk).annulled_at is not None
