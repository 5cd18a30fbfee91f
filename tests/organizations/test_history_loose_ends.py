"""Loose ends of the organisations' history: a move carried to an organisation whose own state
began the same day shows on its timeline; a new organisation does not claim a place under its
parent from before the parent stood where it stands."""

import datetime
import io

from django.core.management import call_command

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import (
    create_organization,
    move_organization,
    rename_organization,
)
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh, states_of
from tests.spreadsheets import ORG_CONTRACT_HEADERS, write_xlsx

MOVED_ON = datetime.date(2025, 7, 1)


def timeline_of(client, org) -> str:
    page = client.get(f"/orgs/{org.code}/").content.decode()
    return " ".join(page.split('id="org-timeline"')[1].split("</table>")[0].split())


def test_a_move_of_the_parent_on_the_day_the_branch_was_renamed_shows_both(world):
    admin = world.users[Role.ADMIN]
    rename_organization(admin, world.branch, "Chi bộ Toán – Tin", Decision(MOVED_ON, "7-QĐ"))
    move_organization(admin, world.base, world.outside_upper, Decision(MOVED_ON, "8-QĐ/TU"))
    timeline = timeline_of(world.client(Role.ADMIN), fresh(world.branch))
    assert "Chi bộ Tổ Toán → Chi bộ Toán – Tin" in timeline
    assert "Số 8-QĐ/TU" in timeline
    assert f'cùng <a href="/orgs/{world.base.code}/">{world.base.name}</a>' in timeline
    assert_history_holds()


def test_a_branch_founded_on_the_day_its_committee_moved_shows_the_move(world):
    admin = world.users[Role.ADMIN]
    new = create_organization(
        admin,
        code="P.U1.01.05",
        name="Chi bộ Tổ Anh",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=MOVED_ON,
        decision=Decision(number="6-QĐ"),
    )
    move_organization(admin, world.base, world.outside_upper, Decision(MOVED_ON, "8-QĐ/TU"))
    timeline = timeline_of(world.client(Role.ADMIN), new)
    assert "Thành lập" in timeline and "Số 6-QĐ" in timeline
    assert "Số 8-QĐ/TU" in timeline
    assert f'cùng <a href="/orgs/{world.base.code}/">{world.base.name}</a>' in timeline
    assert_history_holds()


def test_a_branch_moved_in_after_the_committee_moved_that_day_shows_only_its_own_move(world):
    """The committee's move came first: it did not carry the branch, which was elsewhere."""
    admin = world.users[Role.ADMIN]
    rename_organization(admin, world.outside_branch, "Chi bộ Mới Đổi", Decision(MOVED_ON, "3-QĐ"))
    move_organization(admin, world.base, world.outside_upper, Decision(MOVED_ON, "8-QĐ/TU"))
    move_organization(
        admin, fresh(world.outside_branch), fresh(world.base), Decision(MOVED_ON, "9-QĐ/TU")
    )
    timeline = timeline_of(world.client(Role.ADMIN), fresh(world.outside_branch))
    assert "Số 3-QĐ" in timeline and "Số 9-QĐ/TU" in timeline
    assert "Số 8-QĐ/TU" not in timeline
    moved_with = timeline_of(world.client(Role.ADMIN), fresh(world.branch))
    assert "Số 8-QĐ/TU" in moved_with and "Số 9-QĐ/TU" not in moved_with
    assert_history_holds()


def test_the_form_asks_for_a_founding_date_under_a_committee_founded_on_a_date(world):
    """Left out, the date would make the branch older than its committee: asked for instead."""
    committee = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.02",
        name="Đảng bộ Công ty Sông Hồng",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
        founded_on=MOVED_ON,
    )
    client = world.client(Role.OFFICER)
    form = {
        "parent_code": committee.code,
        "code": "P.U1.02.01",
        "name": "Chi bộ Phân xưởng",
        "kind": OrgKind.SUB_BRANCH,
    }
    response = client.post("/orgs/new/", form)
    assert response.status_code == 400
    assert (
        "Ngày thành lập là bắt buộc và không được trước ngày 01/07/2025, khi tổ chức cấp trên "
        "Đảng bộ Công ty Sông Hồng được thành lập."
    ) in response.content.decode()
    assert not committee.children.exists()
    response = client.post("/orgs/new/", {**form, "effective_on": "01/07/2025"})
    assert response.status_code == 302
    assert states_of(committee.children.get()) == [
        (MOVED_ON, None, "Chi bộ Phân xưởng", committee.code)
    ]
    assert_history_holds()


def test_the_api_asks_for_it_under_a_committee_carried_by_a_move_above_it(world):
    """The ward moved to another province on 01/07/2025 and took the school with it: the school
    did not stand at today's path before, so a branch founded "always" would contradict it."""
    admin = world.users[Role.ADMIN]
    province = OrganizationFactory(code="Q", name="Đảng bộ tỉnh Mới", kind=OrgKind.PROVINCE)
    move_organization(admin, world.upper, province, Decision(MOVED_ON, "1-QĐ/TW"))
    client = world.client(Role.OFFICER)
    body = {
        "code": "P.U1.01.05",
        "name": "Chi bộ Tổ Sử",
        "kind": OrgKind.SUB_BRANCH,
        "parent_code": world.base.code,
    }
    response = client.post("/api/v1/organizations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ngày thành lập là bắt buộc và không được trước ngày 01/07/2025, khi tổ chức "
        f"cấp trên {world.base.name} có thay đổi gần nhất (chuyển).",
        "field": "effective_on",
    }
    body["effective_on"] = "2025-07-01"
    response = client.post("/api/v1/organizations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert_history_holds()


def test_without_a_date_under_a_parent_there_since_always_the_branch_is_too(world):
    response = world.client(Role.OFFICER).post(
        "/orgs/new/",
        {
            "parent_code": world.base.code,
            "code": "P.U1.01.06",
            "name": "Chi bộ Tổ Địa",
            "kind": OrgKind.SUB_BRANCH,
        },
    )
    assert response.status_code == 302
    assert states_of(fresh(world.base).children.get(code="P.U1.01.06")) == [
        (None, None, "Chi bộ Tổ Địa", world.base.code)
    ]
    assert_history_holds()


def test_without_a_date_under_a_renamed_parent_the_branch_is_too(world):
    """A rename leaves the parent's path: a branch there since always is consistent with it
    (formats.md: an empty founding date means "existed before any date")."""
    rename_organization(
        world.users[Role.ADMIN],
        world.base,
        "Đảng bộ Trường Tiểu học Hòa Bình mới",
        Decision(MOVED_ON, "9-QĐ"),
    )
    response = world.client(Role.OFFICER).post(
        "/orgs/new/",
        {
            "parent_code": world.base.code,
            "code": "P.U1.01.07",
            "name": "Chi bộ Tổ Sử",
            "kind": OrgKind.SUB_BRANCH,
        },
    )
    assert response.status_code == 302
    assert states_of(fresh(world.base).children.get(code="P.U1.01.07")) == [
        (None, None, "Chi bộ Tổ Sử", world.base.code)
    ]
    assert_history_holds()


def test_the_orgs_import_asks_for_it_row_by_row(world, tmp_path):
    """The committee is founded in the same file, or already stored with a founding date."""
    rows = [
        ["P.U1.03", "Đảng bộ Bệnh viện", "Đảng bộ cơ sở", world.upper.code, "01/07/2025", ""],
        ["P.U1.03.01", "Chi bộ Khoa Nội", "Chi bộ trực thuộc", "P.U1.03", "", ""],
    ]
    code, out = run_import(write_xlsx(tmp_path / "v1.xlsx", ORG_CONTRACT_HEADERS, rows))
    assert code == 1
    assert out.strip() == (
        'dòng 3, cột "Ngày thành lập": là bắt buộc và không được trước ngày 01/07/2025, khi tổ '
        "chức cấp trên Đảng bộ Bệnh viện được thành lập."
    )
    code, out = run_import(write_xlsx(tmp_path / "v2.xlsx", ORG_CONTRACT_HEADERS, rows[:1]))
    assert code == 0, out
    code, out = run_import(write_xlsx(tmp_path / "v3.xlsx", ORG_CONTRACT_HEADERS, rows))
    assert code == 1
    assert 'dòng 3, cột "Ngày thành lập": là bắt buộc và không được trước ngày 01/07/2025' in out
    rows[1][4] = "02/07/2025"
    code, out = run_import(write_xlsx(tmp_path / "v4.xlsx", ORG_CONTRACT_HEADERS, rows))
    assert code == 0, out
    assert_history_holds()


def run_import(path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import", "orgs", str(path), stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_a_founding_date_is_not_cleared_as_a_correction_under_a_dated_parent(world):
    """Clearing the date would carry the branch back since always: the same rule as leaving it
    out when establishing; under a parent there since always it may be cleared."""
    officer = world.users[Role.OFFICER]
    committee = create_organization(
        officer,
        code="P.U1.02",
        name="Đảng bộ Công ty Sông Hồng",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
        founded_on=MOVED_ON,
    )
    branch = create_organization(
        officer,
        code="P.U1.02.01",
        name="Chi bộ Phân xưởng",
        kind=OrgKind.SUB_BRANCH,
        parent=committee,
        founded_on=datetime.date(2025, 8, 1),
    )
    client = world.client(Role.OFFICER)
    url = f"/orgs/{branch.code}/correct/"
    version = client.get(url).context["form"]["version"].value()
    data = {"name": branch.name, "sector": "", "founded_on": "", "reason": "Không rõ ngày"}
    response = client.post(url, {**data, "version": version})
    assert response.status_code == 400
    assert (
        "Ngày thành lập là bắt buộc và không được trước ngày 01/07/2025, khi tổ chức cấp trên "
        "Đảng bộ Công ty Sông Hồng được thành lập."
    ) in response.content.decode()
    assert fresh(branch).founded_on == datetime.date(2025, 8, 1)
    url = f"/orgs/{committee.code}/correct/"
    version = client.get(url).context["form"]["version"].value()
    data = {"name": committee.name, "sector": "", "founded_on": "", "reason": "Không rõ ngày"}
    assert client.post(url, {**data, "version": version}).status_code == 302
    assert states_of(committee) == [(None, None, committee.name, world.upper.code)]
    assert_history_holds()


def test_an_absorption_of_the_committee_on_the_day_the_branch_was_renamed_shows_both(world):
    from dangvien.organizations.services.absorbing import absorb_organization

    admin = world.users[Role.ADMIN]
    receiving = OrganizationFactory(
        code="P.U1.02",
        name="Đảng bộ Trường Liên cấp",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
    )
    rename_organization(admin, world.branch, "Chi bộ Toán – Tin", Decision(MOVED_ON, "7-QĐ"))
    absorb_organization(
        admin, world.base, receiving, Decision(MOVED_ON, "9-QĐ/ĐU", reason="Sáp nhập hai trường")
    )
    timeline = timeline_of(world.client(Role.OFFICER), fresh(world.branch))
    assert "Chi bộ Tổ Toán → Chi bộ Toán – Tin" in timeline and "Số 9-QĐ/ĐU" in timeline
    assert f'Tổ chức tiếp nhận:</span> <a href="/orgs/P.U1.02/">{receiving.name}</a>' in timeline
    assert f'cùng <a href="/orgs/{world.base.code}/">{world.base.name}</a>' in timeline
    assert_history_holds()
