"""The exit statistics count each exit in the subtree that held the member on its day: a later
return and move elsewhere leaves a past figure as it was; a permanent transfer counts as leaving
the subtree it left, not the one above both branches."""

import datetime
import io

import pytest
from django.urls import reverse

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Member, Status
from dangvien.members.services import end_membership, restore_membership, transfer_member
from dangvien.screening.statistics import exit_statistics
from tests.factories import MemberFactory
from tests.transfers.steps import arrive, issue, latest, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _counts(org) -> dict[str, int]:
    return dict(exit_statistics(org, today() - 200 * DAY, today()).by_form)


def test_past_exits_stay_where_they_happened(world):
    admin = world.users[Role.ADMIN]
    died = MemberFactory(code="DV-TRONG-5", full_name="Vũ Văn Em", branch=world.branch)
    end_membership(admin, died, Status.DECEASED, Decision(today() - 100 * DAY, reason="Từ trần"))
    moved = world.other_member
    end_membership(admin, moved, Status.REMOVED, Decision(today() - 90 * DAY, "1-QĐ", "", "Xóa"))
    restore_membership(
        admin,
        Member.unscoped.get(pk=moved.pk),
        Decision(today() - 60 * DAY, reason="Quyết định xóa tên bị hủy bỏ"),
    )
    transfer_member(
        admin,
        Member.unscoped.get(pk=moved.pk),
        world.branch,
        Decision(today() - 30 * DAY, reason="Chuyển"),
    )

    assert _counts(world.branch)["Từ trần"] == 1
    assert _counts(world.branch)["Xóa tên"] == 0  # removed while in the other branch
    assert _counts(world.other_branch)["Xóa tên"] == 1
    assert _counts(world.base)["Xóa tên"] == 1 and _counts(world.base)["Từ trần"] == 1
    assert _counts(world.outside_base)["Từ trần"] == 0

    page = world.client(Role.OFFICER).get(
        reverse("screening:exits", args=[world.base.code]),
        {"year": (today() - 100 * DAY).year, "from_month": 1, "to_month": 12},
    )
    assert page.status_code == 200


def test_a_transfer_out_counts_for_the_subtree_it_left(world):
    admin, letter_on = world.client(Role.ADMIN), today() - 20 * DAY
    response = issue(
        admin,
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302, response.content.decode()
    assert arrive(admin, latest(world.member), today() - 3 * DAY).status_code == 302
    assert _counts(world.upper)["Chuyển sinh hoạt đảng ra khỏi đảng bộ"] == 1
    assert _counts(world.province)["Chuyển sinh hoạt đảng ra khỏi đảng bộ"] == 0


def test_a_past_year_is_not_rewritten_by_a_later_move_and_transfer(world):
    """The 2025 figures of the ward read the tree as it stood at the period's end: its base
    organisation moved to another ward and a member transferred out afterwards change
    nothing, on the page and in the workbook."""
    from openpyxl import load_workbook

    from dangvien.organizations.services import move_organization
    from tests.organizations.history_checks import fresh

    admin = world.users[Role.ADMIN]
    died = MemberFactory(code="DV-TRONG-6", full_name="Vũ Văn Giáp", branch=world.branch)
    end_membership(
        admin, died, Status.DECEASED, Decision(datetime.date(2025, 5, 4), reason="Từ trần")
    )
    end_membership(
        admin,
        Member.unscoped.get(pk=world.other_member.pk),
        Status.REMOVED,
        Decision(datetime.date(2025, 9, 1), "2-QĐ", "", "Xóa tên"),
    )
    restore_membership(
        admin,
        Member.unscoped.get(pk=world.other_member.pk),
        Decision(datetime.date(2025, 11, 1), reason="Quyết định xóa tên bị hủy bỏ"),
    )
    client = world.client(Role.ADMIN)
    period = {"year": 2025, "from_month": 1, "to_month": 12}

    def figures(org) -> tuple[list, list]:
        response = client.get(reverse("screening:exits", args=[org.code]), period)
        assert response.status_code == 200
        download = client.get(
            reverse("screening:exits", args=[org.code]), {**period, "format": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(download.content)).active
        return response.context["report"].by_form, list(sheet.iter_rows(values_only=True))

    orgs = (world.upper, world.base, world.outside_upper)
    before = {org.code: figures(org) for org in orgs}
    assert dict(before[world.upper.code][0])["Từ trần"] == 1
    assert dict(before[world.upper.code][0])["Xóa tên"] == 1
    assert dict(before[world.outside_upper.code][0])["Từ trần"] == 0

    move_organization(admin, fresh(world.base), world.outside_upper, Decision(today(), "5-QĐ"))
    transfer_member(
        admin,
        Member.unscoped.get(pk=world.other_member.pk),
        world.outside_branch,
        Decision(today(), reason="Chuyển công tác"),
    )
    after = {org.code: figures(fresh(org)) for org in orgs}
    assert after == before
    # Today the base organisation is below the other ward.
    assert fresh(world.branch).path.startswith(fresh(world.outside_upper).path)
