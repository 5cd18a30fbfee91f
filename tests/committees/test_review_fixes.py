"""Found in review (issue 16): a probationary member is not elected to a leading body (Điều lệ
Đảng Điều 5); a congress day cannot be in the future; correcting a term's start moves the end
of the term before it and of the seats it closed, so the history stays continuous."""

import datetime

import pytest

from dangvien.committees import services, terms
from dangvien.committees.models import Chosen, Post, Seat, Term
from dangvien.committees.services import SeatPlan
from dangvien.committees.terms import TermPlan
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.factories import MemberFactory
from tests.transfers.steps import ONE_DAY, today

OLD = datetime.date(2020, 5, 12)
NEW = datetime.date(2025, 5, 12)


def _seat(actor, term, member, on):
    plan = SeatPlan(body="cap_uy", post=Post.SECRETARY, chosen=Chosen.CONGRESS, elected_on=on)
    return services.add_seat(actor, term, member, plan)


def test_a_probationary_member_is_not_elected(world):
    officer = world.users[Role.OFFICER]
    term = terms.open_term(officer, world.branch, TermPlan("2025–2027", NEW))
    admitted = NEW - 100 * ONE_DAY
    probationary = MemberFactory(
        branch=world.branch, admitted_on=admitted, official_on=None, status=Status.PROBATIONARY
    )
    with pytest.raises(DomainError, match="đảng viên dự bị ngày 12/05/2025"):
        _seat(officer, term, probationary, NEW)
    assert not Seat.unscoped.filter(member=probationary).exists()


def test_a_congress_day_in_the_future_is_refused(world):
    with pytest.raises(DomainError, match="không ở tương lai"):
        terms.open_term(world.users[Role.OFFICER], world.branch, TermPlan("x", today() + ONE_DAY))
    assert not Term.unscoped.exists()


def test_correcting_a_start_moves_the_end_of_the_term_before(world):
    officer = world.users[Role.OFFICER]
    first = terms.open_term(officer, world.branch, TermPlan("2020–2025", OLD))
    held = _seat(officer, first, world.member, OLD)
    second = terms.open_term(officer, world.branch, TermPlan("2025–2027", NEW))
    assert Seat.unscoped.get(pk=held.pk).ended_on == NEW
    real = NEW - 2 * ONE_DAY  # the congress was held two days earlier
    plan = TermPlan("2025–2027", real)
    terms.correct_term(officer, second, plan, "Ngày đại hội ghi nhầm")
    assert Term.unscoped.get(pk=first.pk).ends_on == real
    assert Seat.unscoped.get(pk=held.pk).ended_on == real
    # The new secretary elected on the real day now fits without overlap.
    successor = MemberFactory(branch=world.branch)
    _seat(officer, Term.unscoped.get(pk=second.pk), successor, real)
    # A past term can be corrected between its neighbours (its label alone, here).
    terms.correct_term(officer, first, TermPlan("2020 – 2025", OLD), "Sửa cách ghi")
    assert Term.unscoped.get(pk=first.pk).label == "2020 – 2025"
