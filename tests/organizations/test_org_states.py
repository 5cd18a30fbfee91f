"""The rule of the organisations' history (organizations.history.check_states): each
organisation's states follow one another from its founding without gap or overlap, the last
ends on its end, and the current one equals today's row. Each way of breaking it is caught."""

import datetime

import pytest

from dangvien.organizations.history import check_states
from dangvien.organizations.models import Organization, OrgKind, OrgState
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 1)


def test_every_organisation_inserted_has_its_first_state(world):
    ended = OrganizationFactory(
        code="P.U1.01.09",
        name="Chi bộ Cũ",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=DAY,
        ended_on=datetime.date(2024, 1, 1),
    )
    assert check_states() == []
    state = OrgState.unscoped.get(org=ended)
    assert (state.valid_from, state.valid_until, state.path) == (DAY, ended.ended_on, ended.path)
    assert OrgState.unscoped.count() == Organization.unscoped.count()


def test_a_state_out_of_step_with_the_row_is_caught(world):
    Organization.unscoped.filter(pk=world.branch.pk).update(name="Tên chỉ đổi ở bảng tổ chức")
    assert check_states() == [
        f"P.U1.01.01 (id {world.branch.pk}): trạng thái hiện tại: name = 'Chi bộ Tổ Toán', "
        "tổ chức: 'Tên chỉ đổi ở bảng tổ chức'"
    ]
    assert check_states([world.other_branch.pk]) == []


@pytest.mark.parametrize(
    ("states", "problem"),
    [
        ([(None, DAY), (datetime.date(2021, 1, 1), None)], "không liền nhau"),  # a gap
        ([(None, datetime.date(2022, 1, 1)), (DAY, None)], "không liền nhau"),  # an overlap
        ([(None, DAY), (None, None)], "không liền nhau"),  # two without a start
        ([(None, DAY)], "trạng thái cuối kết thúc 2020-05-01, giải thể None"),
        ([], "không có trạng thái nào"),
    ],
)
def test_gaps_overlaps_and_missing_states_are_caught(world, states, problem):
    branch = world.branch
    OrgState.unscoped.filter(org=branch).delete()
    for valid_from, valid_until in states:
        OrgState.unscoped.create(
            org=branch,
            valid_from=valid_from,
            valid_until=valid_until,
            parent=branch.parent,
            name=branch.name,
            kind=branch.kind,
            path=branch.path,
            depth=branch.depth,
        )
    [found] = check_states()
    assert found.startswith("P.U1.01.01") and problem in found


def test_a_founding_date_without_its_state_is_caught(world):
    Organization.unscoped.filter(pk=world.branch.pk).update(founded_on=DAY)
    [found] = check_states()
    assert "trạng thái đầu bắt đầu None, thành lập 2020-05-01" in found
