"""Changing an organisation's kind or sector by a decision: a new state from the effective date,
the change on its timeline; refused where the tree's rules would break."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgEvent, OrgEventKind, OrgKind, OrgState, Sector
from dangvien.organizations.services import change_organization
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh

TODAY = timezone.localdate
DAYS = datetime.timedelta(days=1)


def submit(client, url: str, data: dict):
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {**data, "version": version})


def kinds_and_sectors(org) -> list[tuple]:
    states = OrgState.unscoped.filter(org=org)
    return sorted(
        ((s.valid_from, s.valid_until, s.kind, s.sector) for s in states),
        key=lambda row: (row[0] is not None, row[0] or ""),
    )


def test_the_page_changes_the_sector_from_the_decisions_date(world):
    client = world.client(Role.OFFICER)
    url = f"/orgs/{world.base.code}/change/"
    page = client.get(url).content.decode()
    assert "Thay đổi loại tổ chức, loại hình" in page and "«Sửa lỗi»" in page
    day = TODAY() - 30 * DAYS
    response = submit(
        client,
        url,
        {
            "kind": OrgKind.BASE_COMMITTEE,
            "sector": Sector.DON_VI_SU_NGHIEP,
            "effective_on": day.strftime("%d/%m/%Y"),
            "decision_number": "44-QĐ/ĐU",
        },
    )
    assert response.status_code == 302
    assert fresh(world.base).sector == Sector.DON_VI_SU_NGHIEP
    assert kinds_and_sectors(world.base) == [
        (None, day, OrgKind.BASE_COMMITTEE, ""),
        (day, None, OrgKind.BASE_COMMITTEE, Sector.DON_VI_SU_NGHIEP),
    ]
    event = OrgEvent.unscoped.get(org=world.base)
    assert (event.kind, event.decision_number) == (OrgEventKind.CHANGE, "44-QĐ/ĐU")
    assert_history_holds()
    page = client.get(f"/orgs/{world.base.code}/").content.decode()
    assert "Loại hình: Đơn vị sự nghiệp" in page
    timeline = " ".join(page.split('id="org-timeline"')[1].split("</table>")[0].split())
    assert "Loại hình:</span> Chưa ghi → Đơn vị sự nghiệp" in timeline


def test_a_base_branch_becomes_a_base_committee(world):
    base_branch = OrganizationFactory(
        code="P.U1.05", name="Chi bộ Trạm Y tế", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    changed = change_organization(
        world.users[Role.OFFICER],
        base_branch,
        kind=OrgKind.BASE_COMMITTEE,
        sector=Sector.DON_VI_SU_NGHIEP,
        decision=Decision(number="3-QĐ"),
    )
    assert changed.kind == OrgKind.BASE_COMMITTEE
    assert kinds_and_sectors(base_branch)[-1] == (
        TODAY(),
        None,
        OrgKind.BASE_COMMITTEE,
        Sector.DON_VI_SU_NGHIEP,
    )
    assert_history_holds()


@pytest.mark.parametrize(
    ("org", "kind", "message"),
    [
        ("base", OrgKind.BASE_BRANCH, "Tổ chức trực thuộc Chi bộ Tổ Toán: Chi bộ trực thuộc"),
        ("branch", OrgKind.PARTIAL_COMMITTEE, "còn đảng viên đang sinh hoạt"),
        ("branch", OrgKind.BASE_BRANCH, "Chi bộ cơ sở không thể trực thuộc Đảng bộ cơ sở"),
    ],
)
def test_a_change_that_breaks_the_tree_is_refused(world, org, kind, message):
    with pytest.raises(DomainError, match=message):
        change_organization(world.users[Role.OFFICER], getattr(world, org), kind=kind, sector="")
    assert not OrgEvent.unscoped.exists()
    assert_history_holds()


def test_nothing_changed_records_nothing_and_the_future_is_refused(world):
    officer = world.users[Role.OFFICER]
    change_organization(officer, world.base, kind=OrgKind.BASE_COMMITTEE, sector="")
    assert not OrgEvent.unscoped.exists()
    with pytest.raises(DomainError, match="Ngày hiệu lực không thể ở tương lai"):
        change_organization(
            officer,
            world.base,
            kind=OrgKind.BASE_COMMITTEE,
            sector=Sector.KHAC,
            decision=Decision(TODAY() + DAYS),
        )
    assert fresh(world.base).sector == ""


def test_outside_the_subtree_the_page_is_not_found(world):
    client = world.client(Role.OFFICER)
    url = f"/orgs/{world.outside_base.code}/change/"
    assert client.get(url).status_code == 404
    data = {"kind": OrgKind.BASE_COMMITTEE, "sector": Sector.KHAC}
    assert client.post(url, data).status_code == 404
    assert world.client(Role.SECRETARY).get(f"/orgs/{world.branch.code}/change/").status_code == (
        403
    )
    assert fresh(world.outside_base).sector == ""
