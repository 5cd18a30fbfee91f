"""The tree as it stood on a date (organizations/dated.py), read back after renames, moves and
an end recorded through the services: the organisation's name, parent and path on each day,
its children then, and why it has no report on a day it did not exist."""

import datetime

from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations import dated
from dangvien.organizations.models import OrgEvent, OrgEventKind, OrgKind
from dangvien.organizations.services import (
    dissolve_organization,
    move_organization,
    rename_organization,
)
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import fresh

DAYS = datetime.timedelta(days=1)


def test_a_moved_and_renamed_branch_reads_as_it_stood_on_each_day(world):
    officer = world.users[Role.ADMIN]
    today = timezone.localdate()
    moved_on, renamed_on = today - 40 * DAYS, today - 10 * DAYS
    move_organization(officer, world.branch, world.outside_base, Decision(moved_on, "1-QĐ/TU"))
    branch = fresh(world.branch)
    rename_organization(officer, branch, "Chi bộ Tổ Toán – Tin", Decision(renamed_on, "2-QĐ"))
    branch = fresh(world.branch)

    before = dated.as_of(branch, moved_on - DAYS)
    assert (before.name, before.parent_id) == ("Chi bộ Tổ Toán", world.base.pk)
    assert before.path == f"{world.base.path}{branch.pk}/"
    between = dated.as_of(branch, renamed_on - DAYS)
    assert (between.name, between.parent_id) == ("Chi bộ Tổ Toán", world.outside_base.pk)
    assert between.path == branch.path
    after = dated.as_of(branch, today)
    assert (after.name, after.path) == ("Chi bộ Tổ Toán – Tin", branch.path)

    children = lambda org, day: [s.org.code for s in dated.children_on(org, day)]  # noqa: E731
    assert children(world.base, moved_on - DAYS) == ["P.U1.01.01", "P.U1.01.02"]
    assert children(world.base, moved_on) == ["P.U1.01.02"]
    assert world.branch.code in children(world.outside_base, moved_on)
    below = dated.states_below(world.upper.path, moved_on - DAYS).values_list("org_id", flat=True)
    assert branch.pk in set(below)
    below = dated.states_below(world.upper.path, moved_on).values_list("org_id", flat=True)
    assert branch.pk not in set(below)


def test_an_organisation_absent_on_a_day_says_when_it_began_or_ended(world):
    officer = world.users[Role.ADMIN]
    today = timezone.localdate()
    founded = today - 100 * DAYS
    new = OrganizationFactory(
        code="P.U1.09",
        name="Chi bộ Khu phố Mới",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=founded,
    )
    assert dated.as_of(new, founded - DAYS) is None
    assert dated.absence(new, founded - DAYS) == (
        f"Chi bộ Khu phố Mới được thành lập ngày {founded:%d/%m/%Y}, "
        f"sau ngày {founded - DAYS:%d/%m/%Y}."
    )
    assert dated.absence(new, founded) is None
    ended = today - 5 * DAYS
    dissolve_organization(
        officer, new, Decision(ended, "9-QĐ", reason="Sáp nhập vào khu phố bên cạnh")
    )
    assert dated.as_of(fresh(new), ended - DAYS).name == "Chi bộ Khu phố Mới"
    assert dated.absence(fresh(new), ended) == (
        f"Chi bộ Khu phố Mới đã kết thúc hoạt động từ ngày {ended:%d/%m/%Y}."
    )


def test_the_whole_party_exists_on_every_day(world):
    from dangvien.organizations.models import whole_party

    party = whole_party()
    assert dated.as_of(party, datetime.date(1990, 1, 1)).path == "/"
    assert dated.absence(party, datetime.date(1990, 1, 1)) is None
    assert [s.org.code for s in dated.children_on(party, timezone.localdate())] == ["P"]


def test_an_absorbed_organisation_names_what_received_it(world):
    """Sáp nhập: the report of a day after the end says where the organisation went."""
    officer = world.users[Role.ADMIN]
    ended = timezone.localdate() - 3 * DAYS
    gone = OrganizationFactory(
        code="P.U1.08", name="Chi bộ Thôn Cũ", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    dissolve_organization(officer, gone, Decision(ended, "12-QĐ", reason="Sáp nhập"))
    OrgEvent.unscoped.create(
        org=gone, kind=OrgEventKind.ABSORB, effective_on=ended, receiving=world.base
    )
    assert dated.absence(fresh(gone), ended) == (
        f"Chi bộ Thôn Cũ đã kết thúc hoạt động từ ngày {ended:%d/%m/%Y} "
        f"(đã sáp nhập vào {world.base.name}, mã {world.base.code})."
    )
    assert dated.successor_of(world.branch) is None
