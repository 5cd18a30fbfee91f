"""Establishing an organisation: its first state from the founding date, the decision kept as
its establishing event (the deciding body an organisation code or a text), its sector; no
founding date in the future."""

import datetime
import re

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind, Sector
from dangvien.organizations.services import create_organization, move_organization
from tests.organizations.history_checks import assert_history_holds, states_of


def test_the_page_establishes_a_branch_with_its_sector_date_and_decision(world):
    client = world.client(Role.OFFICER)
    form = client.get(f"/orgs/new/?parent={world.upper.code}").content.decode()
    assert 'name="sector"' in form and "Ngày thành lập" in form
    response = client.post(
        "/orgs/new/",
        {
            "parent_code": world.upper.code,
            "code": "P.U1.05",
            "name": "Chi bộ Công ty Bình Minh",
            "kind": OrgKind.BASE_BRANCH,
            "sector": Sector.DOANH_NGHIEP_TU_NHAN,
            "effective_on": "15/03/2024",
            "decision_number": "12-QĐ/ĐU",
            "decision_body": world.upper.code,
        },
    )
    assert response.status_code == 302
    org = Organization.unscoped.get(code="P.U1.05")
    assert org.sector == Sector.DOANH_NGHIEP_TU_NHAN
    event = OrgEvent.unscoped.get(org=org)
    assert (event.kind, event.effective_on, event.decision_number) == (
        OrgEventKind.ESTABLISH,
        datetime.date(2024, 3, 15),
        "12-QĐ/ĐU",
    )
    assert (event.deciding_org, event.new_parent) == (world.upper, world.upper)
    assert states_of(org) == [
        (datetime.date(2024, 3, 15), None, "Chi bộ Công ty Bình Minh", world.upper.code)
    ]
    assert org.states.get().event == event
    assert_history_holds()
    page = client.get("/orgs/P.U1.05/").content.decode()
    assert "Loại hình: Doanh nghiệp tư nhân" in page
    timeline = page.split('id="org-timeline"')[1].split("</table>")[0]
    assert "15/03/2024" in timeline and "Thành lập" in timeline
    assert f'Số 12-QĐ/ĐU, <a href="/orgs/{world.upper.code}/">{world.upper.name}</a>' in timeline


def test_without_a_founding_date_there_is_a_state_but_no_event(world):
    org = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.06",
        name="Chi bộ Trạm Y tế",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        decision=Decision(body="Đảng ủy phường"),
    )
    assert states_of(org) == [(None, None, "Chi bộ Trạm Y tế", world.upper.code)]
    assert not OrgEvent.unscoped.filter(org=org).exists()
    assert_history_holds()


def test_a_deciding_body_that_is_no_code_is_kept_as_text(world):
    org = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.07",
        name="Chi bộ Khu phố 7",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=datetime.date(2023, 1, 2),
        decision=Decision(number="5-QĐ", body="Ban Thường vụ Đảng ủy phường"),
    )
    event = OrgEvent.unscoped.get(org=org)
    assert (event.deciding_org, event.deciding_body) == (None, "Ban Thường vụ Đảng ủy phường")


def test_a_code_outside_the_officers_reach_is_kept_as_text(world):
    """An organisation the officer may not see is not looked up: its code stays text."""
    org = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.08",
        name="Chi bộ Khu phố 8",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=datetime.date(2023, 1, 2),
        decision=Decision(body=world.outside_upper.code),
    )
    event = OrgEvent.unscoped.get(org=org)
    assert (event.deciding_org, event.deciding_body) == (None, world.outside_upper.code)


def test_a_founding_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="Ngày thành lập không thể ở tương lai"):
        create_organization(
            world.users[Role.OFFICER],
            code="P.U1.09",
            name="Chi bộ Sắp Có",
            kind=OrgKind.BASE_BRANCH,
            parent=world.upper,
            founded_on=tomorrow,
        )
    assert not Organization.unscoped.filter(code="P.U1.09").exists()
    response = world.client(Role.OFFICER).post(
        "/orgs/new/",
        {
            "parent_code": world.upper.code,
            "code": "P.U1.09",
            "name": "Chi bộ Sắp Có",
            "kind": OrgKind.BASE_BRANCH,
            "effective_on": tomorrow.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 400
    assert "Ngày thành lập không thể ở tương lai." in response.content.decode()


def test_an_unknown_sector_is_refused(world):
    with pytest.raises(DomainError, match="Loại hình không hợp lệ"):
        create_organization(
            world.users[Role.OFFICER],
            code="P.U1.10",
            name="Chi bộ Lạ",
            kind=OrgKind.BASE_BRANCH,
            parent=world.upper,
            sector="khong_co",
        )


def establish_under(world, parent, founded_on, code="P.U1.11"):
    return create_organization(
        world.users[Role.ADMIN],
        code=code,
        name="Chi bộ Mới Lập",
        kind=OrgKind.SUB_BRANCH if parent.kind == OrgKind.BASE_COMMITTEE else OrgKind.BASE_BRANCH,
        parent=parent,
        founded_on=founded_on,
    )


def test_a_founding_date_before_the_parents_founding_is_refused(world):
    committee = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.07",
        name="Đảng bộ Công ty Mới",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
        founded_on=datetime.date(2025, 7, 1),
    )
    message = (
        "Ngày thành lập không được trước ngày 01/07/2025, khi tổ chức cấp trên Đảng bộ Công ty "
        "Mới được thành lập."
    )
    with pytest.raises(DomainError, match=re.escape(message)):
        establish_under(world, committee, datetime.date(2025, 6, 30))
    response = world.client(Role.OFFICER).post(
        "/orgs/new/",
        {
            "parent_code": committee.code,
            "code": "P.U1.07.01",
            "name": "Chi bộ Sớm",
            "kind": OrgKind.SUB_BRANCH,
            "effective_on": "30/06/2025",
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not committee.children.exists()
    establish_under(world, committee, datetime.date(2025, 7, 1))
    assert_history_holds()


def test_a_founding_date_before_the_parents_latest_change_is_refused(world):
    """The parent moved (or changed) since: the new organisation did not stand under it, at the
    path it now has, before that day."""
    moved_on = timezone.localdate() - datetime.timedelta(days=20)
    move_organization(world.users[Role.ADMIN], world.base, world.outside_upper, Decision(moved_on))
    message = (
        f"Ngày thành lập không được trước ngày {moved_on:%d/%m/%Y}, khi tổ chức cấp trên "
        f"{world.base.name} có thay đổi gần nhất (chuyển)."
    )
    day_before = moved_on - datetime.timedelta(days=1)
    with pytest.raises(DomainError, match=re.escape(message)):
        establish_under(world, Organization.unscoped.get(pk=world.base.pk), day_before)
    org = establish_under(world, Organization.unscoped.get(pk=world.base.pk), moved_on)
    assert states_of(org) == [(moved_on, None, "Chi bộ Mới Lập", world.base.code)]
    assert_history_holds()
