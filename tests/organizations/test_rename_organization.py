"""Renaming by a decision: the new name holds from the effective date (today without one), the
old one before it; a date in the future or before the latest change is refused; a second change
the same day alters that day's state."""

import datetime
import re

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgEvent, OrgEventKind
from dangvien.organizations.services import rename_organization
from tests.organizations.history_checks import assert_history_holds, fresh, states_of

TODAY = timezone.localdate
DAYS = datetime.timedelta(days=1)


def submit(client, url: str, data: dict):
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {**data, "version": version})


def test_the_page_renames_from_the_decisions_date(world):
    client = world.client(Role.OFFICER)
    url = f"/orgs/{world.branch.code}/rename/"
    page = client.get(url).content.decode()
    assert "Đổi tên theo quyết định" in page and "«Sửa lỗi»" in page
    effective = TODAY() - 40 * DAYS
    response = submit(
        client,
        url,
        {
            "name": "Chi bộ Tổ Toán – Tin",
            "effective_on": effective.strftime("%d/%m/%Y"),
            "decision_number": "7-QĐ/ĐU",
            "decision_body": world.base.code,
        },
    )
    assert response.status_code == 302
    assert states_of(world.branch) == [
        (None, effective, "Chi bộ Tổ Toán", world.base.code),
        (effective, None, "Chi bộ Tổ Toán – Tin", world.base.code),
    ]
    event = OrgEvent.unscoped.get(org=world.branch)
    assert (event.kind, event.old_name, event.new_name, event.deciding_org) == (
        OrgEventKind.RENAME,
        "Chi bộ Tổ Toán",
        "Chi bộ Tổ Toán – Tin",
        world.base,
    )
    assert_history_holds()
    timeline = client.get(f"/orgs/{world.branch.code}/").content.decode()
    timeline = timeline.split('id="org-timeline"')[1].split("</table>")[0]
    assert effective.strftime("%d/%m/%Y") in timeline and "Đổi tên" in timeline
    assert "Chi bộ Tổ Toán → Chi bộ Tổ Toán – Tin" in timeline


def test_without_a_date_the_new_name_holds_from_today(world):
    renamed = rename_organization(world.users[Role.OFFICER], world.branch, "Chi bộ Toán")
    assert states_of(renamed)[-1][:3] == (TODAY(), None, "Chi bộ Toán")
    assert OrgEvent.unscoped.get(org=world.branch).effective_on == TODAY()
    assert_history_holds()


def test_two_renames_the_same_day_leave_one_state_for_that_day(world):
    officer = world.users[Role.OFFICER]
    day = TODAY() - 3 * DAYS
    rename_organization(officer, world.branch, "Tên Một", Decision(day, "1-QĐ"))
    rename_organization(officer, fresh(world.branch), "Tên Hai", Decision(day, "2-QĐ"))
    assert states_of(world.branch) == [
        (None, day, "Chi bộ Tổ Toán", world.base.code),
        (day, None, "Tên Hai", world.base.code),
    ]
    assert OrgEvent.unscoped.filter(org=world.branch).count() == 2
    assert_history_holds()


def test_a_date_before_the_latest_change_is_refused(world):
    officer = world.users[Role.OFFICER]
    latest = TODAY() - 10 * DAYS
    rename_organization(officer, world.branch, "Tên Mới", Decision(latest, "1-QĐ"))
    message = f"Ngày hiệu lực không được trước ngày {latest:%d/%m/%Y} (lần thay đổi gần nhất)."
    with pytest.raises(DomainError, match=re.escape(message)):
        rename_organization(officer, fresh(world.branch), "Tên Cũ Hơn", Decision(latest - DAYS))
    client = world.client(Role.OFFICER)
    earlier = (latest - DAYS).strftime("%d/%m/%Y")
    response = submit(
        client, f"/orgs/{world.branch.code}/rename/", {"name": "Khác", "effective_on": earlier}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert fresh(world.branch).name == "Tên Mới"
    assert_history_holds()


def test_a_date_in_the_future_is_refused(world):
    with pytest.raises(DomainError, match="Ngày hiệu lực không thể ở tương lai"):
        rename_organization(
            world.users[Role.OFFICER], world.branch, "Tên Sau", Decision(TODAY() + DAYS)
        )
    assert fresh(world.branch).name == "Chi bộ Tổ Toán"
    assert not OrgEvent.unscoped.exists()


def test_a_dissolved_organisation_is_not_renamed(world):
    from dangvien.organizations.models import Organization

    Organization.unscoped.filter(pk=world.other_branch.pk).update(ended_on=TODAY())
    with pytest.raises(DomainError, match="đã giải thể, không thể đổi tên"):
        rename_organization(world.users[Role.OFFICER], fresh(world.other_branch), "Tên Khác")


def test_outside_the_subtree_the_page_is_not_found(world):
    client = world.client(Role.OFFICER)
    url = f"/orgs/{world.outside_branch.code}/rename/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X"}).status_code == 404
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.branch.code}/rename/").status_code == (
        403
    )
    assert not OrgEvent.unscoped.exists()
