"""Moving an organisation with its subtree: from the effective date every organisation of the
subtree has a new state with its new path (the states before keep the old ones), written in a
few statements whatever the subtree's size; an organisation ended before keeps its history."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind, OrgState
from dangvien.organizations.services import move_organization, rename_organization
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh, states_of

TODAY = timezone.localdate
DAYS = datetime.timedelta(days=1)


def submit(client, url: str, data: dict):
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {**data, "version": version})


@pytest.fixture
def second_base(world) -> Organization:
    return OrganizationFactory(
        code="P.U1.02",
        name="Đảng bộ Trường THCS Hòa Bình",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
    )


def test_the_page_moves_a_branch_from_the_decisions_date(world, second_base):
    client = world.client(Role.OFFICER)
    day = TODAY() - 20 * DAYS
    response = submit(
        client,
        f"/orgs/{world.branch.code}/move/",
        {
            "parent_code": second_base.code,
            "effective_on": day.strftime("%d/%m/%Y"),
            "decision_number": "30-QĐ/ĐU",
            "decision_body": "Ban Thường vụ Đảng ủy phường",
        },
    )
    assert response.status_code == 302
    branch = fresh(world.branch)
    assert states_of(branch) == [
        (None, day, "Chi bộ Tổ Toán", world.base.code),
        (day, None, "Chi bộ Tổ Toán", second_base.code),
    ]
    before, after = OrgState.unscoped.filter(org=branch).order_by("valid_until")
    if before.valid_until is None:  # NULL sorts first on SQLite, last on PostgreSQL
        before, after = after, before
    assert (before.path, after.path) == (world.branch.path, branch.path)
    event = OrgEvent.unscoped.get(org=branch)
    assert (event.kind, event.new_parent, event.deciding_body) == (
        OrgEventKind.MOVE,
        second_base,
        "Ban Thường vụ Đảng ủy phường",
    )
    assert after.event == event
    assert_history_holds()
    page = client.get(f"/orgs/{branch.code}/").content.decode()
    page = page.split('id="org-timeline"')[1].split("</table>")[0]
    assert (
        f'Tổ chức cấp trên:</span> <a href="/orgs/{world.base.code}/">{world.base.name}</a>'
        f' → <a href="/orgs/{second_base.code}/">{second_base.name}</a>'
    ) in page


def test_the_whole_subtree_moves_and_an_ended_branch_keeps_its_past(world):
    ended = OrganizationFactory(
        code="P.U1.01.09",
        name="Chi bộ Đã Giải Thể",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        ended_on=datetime.date(2020, 1, 1),
    )
    admin = world.users[Role.ADMIN]
    day = TODAY() - 5 * DAYS
    move_organization(admin, world.base, world.outside_upper, Decision(day, "1-QĐ/TU"))
    base, branch = fresh(world.base), fresh(world.branch)
    assert branch.path == f"{world.outside_upper.path}{base.pk}/{branch.pk}/"
    for org, old_path in ((world.branch, world.branch.path), (world.other_branch, None)):
        old, new = sorted(OrgState.unscoped.filter(org=org), key=lambda s: s.valid_until is None)
        assert (old.valid_until, new.valid_from, new.path) == (day, day, fresh(org).path)
        assert old.path == (old_path or world.other_branch.path)
        assert old.parent_id == new.parent_id == base.pk
    assert states_of(base)[-1][3] == world.outside_upper.code
    kept = OrgState.unscoped.get(org=ended)
    assert (kept.path, kept.valid_until) == (ended.path, datetime.date(2020, 1, 1))
    assert fresh(ended).path != ended.path  # today's tree carries it, its history does not
    assert_history_holds()
    page = world.client(Role.ADMIN).get(f"/orgs/{branch.code}/").content.decode()
    timeline = page.split('id="org-timeline"')[1].split("</table>")[0]
    assert "Chuyển" in timeline and f'cùng <a href="/orgs/{base.code}/">' in timeline
    upper = world.outside_upper
    assert f'Chuyển đến:</span> <a href="/orgs/{upper.code}/">{upper.name}</a>' in timeline


def test_a_subtree_moves_in_the_same_number_of_statements_whatever_its_size(world):
    admin = world.users[Role.ADMIN]
    lone = OrganizationFactory(
        code="P.U1.04", name="Chi bộ Nhỏ", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )

    def statements_to_move(org) -> int:
        with CaptureQueriesContext(connection) as queries:
            move_organization(admin, fresh(org), world.outside_upper)
        return len(queries)

    statements_to_move(world.base)  # the first write of a test reads what is then cached
    small = statements_to_move(lone)
    big = OrganizationFactory(
        code="P.U1.03", name="Đảng bộ Lớn", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )
    for number in range(25):
        OrganizationFactory(
            code=f"P.U1.03.{number:02d}",
            name=f"Chi bộ {number}",
            kind=OrgKind.SUB_BRANCH,
            parent=big,
        )
    assert statements_to_move(big) == small
    assert OrgState.unscoped.filter(org__parent=big, valid_from=TODAY()).count() == 25
    assert_history_holds()


def test_a_date_before_a_change_in_the_subtree_or_the_new_parent_is_refused(world):
    admin = world.users[Role.ADMIN]
    changed = TODAY() - 10 * DAYS
    rename_organization(admin, world.other_branch, "Chi bộ Tổ Văn – Sử", Decision(changed))
    message = f"Ngày hiệu lực không được trước ngày {changed:%d/%m/%Y} (lần thay đổi gần nhất)."
    with pytest.raises(DomainError, match=re.escape(message)):
        move_organization(admin, world.base, world.outside_upper, Decision(changed - DAYS))
    rename_organization(admin, world.outside_base, "Đảng bộ Mới Đổi Tên", Decision(changed))
    with pytest.raises(DomainError, match=re.escape(message)):
        move_organization(admin, world.branch, fresh(world.outside_base), Decision(changed - DAYS))
    assert fresh(world.base).parent == world.upper
    assert fresh(world.branch).parent == world.base
    move_organization(admin, world.base, world.outside_upper, Decision(changed))
    assert_history_holds()


def test_a_date_in_the_future_is_refused(world):
    with pytest.raises(DomainError, match="Ngày hiệu lực không thể ở tương lai"):
        move_organization(
            world.users[Role.ADMIN], world.base, world.outside_upper, Decision(TODAY() + DAYS)
        )
    assert fresh(world.base).parent == world.upper
    assert_history_holds()


def test_a_move_the_day_it_was_established_alters_that_days_state(world, second_base):
    officer = world.users[Role.OFFICER]
    Organization.unscoped.filter(pk=world.branch.pk).update(founded_on=TODAY())
    OrgState.unscoped.filter(org=world.branch).update(valid_from=TODAY())
    move_organization(officer, fresh(world.branch), second_base)
    assert states_of(world.branch) == [(TODAY(), None, "Chi bộ Tổ Toán", second_base.code)]
    assert_history_holds()


def test_an_officer_cannot_move_into_or_out_of_another_subtree(world):
    client = world.client(Role.OFFICER)
    outside = client.post(
        f"/orgs/{world.outside_branch.code}/move/", {"parent_code": world.base.code}
    )
    response = submit(
        client, f"/orgs/{world.branch.code}/move/", {"parent_code": world.outside_base.code}
    )
    assert response.status_code == 400 and outside.status_code == 404
    assert "Không tìm thấy tổ chức có mã này" in response.content.decode()
    assert not OrgEvent.unscoped.exists()
    assert_history_holds()
