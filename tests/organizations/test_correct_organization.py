"""Correcting a mistake (a typo in the name, a wrong sector or founding date) without a
decision: the current state corrected in place, no event, the reason in the history."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgEvent, OrgEventKind, OrgKind, OrgState, Sector
from dangvien.organizations.services import (
    change_organization,
    correct_organization,
    create_organization,
    rename_organization,
)
from tests.organizations.history_checks import assert_history_holds, fresh, states_of

TODAY = timezone.localdate
DAYS = datetime.timedelta(days=1)
FOUNDED = datetime.date(2015, 9, 2)


def submit(client, url: str, data: dict):
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {**data, "version": version})


def correct(world, org, **values):
    current = {"name": org.name, "sector": org.sector, "founded_on": org.founded_on}
    return correct_organization(
        world.users[Role.OFFICER], fresh(org), **{**current, "reason": "Gõ sai", **values}
    )


def test_the_page_corrects_the_current_state_in_place(world):
    client = world.client(Role.OFFICER)
    url = f"/orgs/{world.branch.code}/correct/"
    page = client.get(url).content.decode()
    assert "Sửa lỗi" in page and "kể cả trong báo cáo của những ngày trước" in page
    response = submit(
        client,
        url,
        {
            "name": "Chi bộ Tổ Toán – Tin",
            "sector": Sector.DON_VI_SU_NGHIEP,
            "founded_on": FOUNDED.strftime("%d/%m/%Y"),
            "reason": "Gõ thiếu chữ khi nhập",
        },
    )
    assert response.status_code == 302
    branch = fresh(world.branch)
    assert (branch.name, branch.sector, branch.founded_on) == (
        "Chi bộ Tổ Toán – Tin",
        Sector.DON_VI_SU_NGHIEP,
        FOUNDED,
    )
    assert states_of(branch) == [(FOUNDED, None, "Chi bộ Tổ Toán – Tin", world.base.code)]
    assert not OrgEvent.unscoped.exists()
    entry = AuditEntry.unscoped.get(action="org.correct")
    assert entry.reason == "Gõ thiếu chữ khi nhập"
    assert entry.changes["name"] == ["Chi bộ Tổ Toán", "Chi bộ Tổ Toán – Tin"]
    assert_history_holds()
    page = client.get(f"/orgs/{branch.code}/").content.decode()
    assert "Sửa lỗi thông tin tổ chức" in page


def test_a_correction_after_a_rename_leaves_the_earlier_name(world):
    day = TODAY() - 7 * DAYS
    rename_organization(world.users[Role.OFFICER], world.branch, "Chi bộ Toan", Decision(day))
    correct(world, fresh(world.branch), name="Chi bộ Toán")
    assert states_of(world.branch) == [
        (None, day, "Chi bộ Tổ Toán", world.base.code),
        (day, None, "Chi bộ Toán", world.base.code),
    ]
    assert_history_holds()


def test_the_reason_is_required(world):
    with pytest.raises(DomainError, match="Hãy ghi lý do sửa lỗi"):
        correct(world, world.branch, name="Tên Khác", reason=" ")
    response = submit(
        world.client(Role.OFFICER),
        f"/orgs/{world.branch.code}/correct/",
        {"name": "Tên Khác", "reason": ""},
    )
    assert response.status_code == 400
    assert fresh(world.branch).name == "Chi bộ Tổ Toán"


def test_the_founding_date_moves_the_first_state_and_the_establishing(world):
    org = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.05",
        name="Chi bộ Khu phố 5",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=datetime.date(2016, 1, 1),
    )
    correct(world, org, founded_on=FOUNDED)
    assert states_of(org)[0][0] == FOUNDED
    assert OrgEvent.unscoped.get(org=org, kind=OrgEventKind.ESTABLISH).effective_on == FOUNDED
    assert_history_holds()


def test_a_founding_date_after_the_first_change_or_in_the_future_is_refused(world):
    day = TODAY() - 7 * DAYS
    rename_organization(world.users[Role.OFFICER], world.branch, "Tên Mới", Decision(day))
    with pytest.raises(DomainError, match=f"phải trước lần thay đổi đầu tiên ngày {day:%d/%m/%Y}"):
        correct(world, world.branch, founded_on=day)
    with pytest.raises(DomainError, match="Ngày thành lập không thể ở tương lai"):
        correct(world, world.branch, founded_on=TODAY() + DAYS)
    assert fresh(world.branch).founded_on is None
    assert_history_holds()


def test_a_dissolved_organisation_is_corrected_in_its_last_state(world):
    from dangvien.organizations.models import Organization, OrgState

    ended_on = datetime.date(2024, 1, 1)
    Organization.unscoped.filter(pk=world.other_branch.pk).update(ended_on=ended_on)
    OrgState.unscoped.filter(org=world.other_branch).update(valid_until=ended_on)
    page = world.client(Role.OFFICER).get(f"/orgs/{world.other_branch.code}/").content.decode()
    assert 'id="correct-link"' in page
    correct(world, world.other_branch, name="Chi bộ Tổ Ngữ văn")
    assert states_of(world.other_branch) == [(None, ended_on, "Chi bộ Tổ Ngữ văn", world.base.code)]
    with pytest.raises(DomainError, match="không thể sau ngày giải thể"):
        correct(world, world.other_branch, founded_on=datetime.date(2024, 1, 2))
    assert_history_holds()


def test_a_founding_date_is_not_corrected_to_before_the_parents_founding_or_change(world):
    officer = world.users[Role.OFFICER]
    committee = create_organization(
        officer,
        code="P.U1.07",
        name="Đảng bộ Công ty Mới",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
        founded_on=datetime.date(2025, 7, 1),
    )
    renamed_on = datetime.date(2025, 9, 1)
    rename_organization(officer, committee, "Đảng bộ Công ty Mới Hơn", Decision(renamed_on))
    branch = create_organization(
        officer,
        code="P.U1.07.01",
        name="Chi bộ Phân xưởng",
        kind=OrgKind.SUB_BRANCH,
        parent=fresh(committee),
        founded_on=datetime.date(2025, 10, 1),
    )
    with pytest.raises(DomainError, match="không được trước ngày 01/07/2025, khi tổ chức cấp"):
        correct(world, branch, founded_on=datetime.date(2025, 6, 30))
    refusal = "không được trước ngày 01/09/2025, khi tổ chức cấp trên Đảng bộ Công ty Mới Hơn có"
    with pytest.raises(DomainError, match=refusal):
        correct(world, branch, founded_on=datetime.date(2025, 8, 31))
    correct(world, branch, founded_on=renamed_on)
    assert states_of(branch)[0][0] == renamed_on
    assert_history_holds()


def test_a_typo_is_corrected_in_every_state_that_carried_it(world):
    """The sector changed by a decision (two states, one name): a typo in the name was a typo
    in both; a sector corrected is corrected back to the change that set it."""
    officer = world.users[Role.OFFICER]
    day = TODAY() - 7 * DAYS
    change_organization(
        officer, world.branch, kind=OrgKind.SUB_BRANCH, sector=Sector.XA, decision=Decision(day)
    )
    correct(world, fresh(world.branch), name="Chi bộ Tổ Toán – Tin", sector=Sector.PHUONG)
    states = OrgState.unscoped.filter(org=world.branch).order_by(
        F("valid_from").asc(nulls_first=True)
    )
    assert [(s.valid_from, s.name, s.sector) for s in states] == [
        (None, "Chi bộ Tổ Toán – Tin", ""),
        (day, "Chi bộ Tổ Toán – Tin", Sector.PHUONG),
    ]
    assert_history_holds()
