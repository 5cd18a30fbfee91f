"""Establish, rename, move and dissolve organisations through the pages officers use."""

import datetime

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import Organization, OrgKind


def fresh(org: Organization) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


def submit(client, url: str, data: dict):
    """Open the form page, then send it with the version it carries (as a browser does)."""
    version = client.get(url).context["form"]["version"].value()
    return client.post(url, {**data, "version": version})


def test_officer_establishes_a_branch_with_its_decision(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/orgs/new/",
        {
            "parent_code": world.base.code,
            "code": "P.U1.01.03",
            "name": "Chi bộ  Tổ Ngoại   ngữ",
            "kind": OrgKind.SUB_BRANCH,
            "effective_on": "15/03/2024",
            "decision_number": "12-QĐ/ĐU",
            "decision_body": "Đảng ủy phường Hòa Bình",
        },
    )
    assert response.status_code == 302
    with unscoped():
        created = Organization.objects.get(code="P.U1.01.03")
    assert created.name == "Chi bộ Tổ Ngoại ngữ"
    assert created.path == f"{world.base.path}{created.pk}/"
    assert created.founded_on.isoformat() == "2024-03-15"
    page = client.get(f"/orgs/{created.code}/").content.decode()
    assert "Thành lập tổ chức" in page and "Số 12-QĐ/ĐU ngày 15/03/2024" in page
    assert world.users[Role.OFFICER].full_name in page


@pytest.mark.parametrize(
    ("parent", "kind", "message"),
    [
        ("upper", OrgKind.SUB_BRANCH, "Chi bộ trực thuộc không thể trực thuộc"),
        ("branch", OrgKind.SUB_BRANCH, "không thể trực thuộc Chi bộ trực thuộc"),
        ("base", OrgKind.UPPER, "không thể trực thuộc Đảng bộ cơ sở"),
    ],
)
def test_placement_rules_are_enforced(world, parent, kind, message):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/orgs/new/",
        {"parent_code": getattr(world, parent).code, "code": "NEW", "name": "Mới", "kind": kind},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Organization.unscoped.filter(code="NEW").exists()


def test_duplicate_code_is_refused(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/orgs/new/",
        {
            "parent_code": world.base.code,
            "code": world.branch.code,
            "name": "Trùng",
            "kind": OrgKind.SUB_BRANCH,
        },
    )
    assert f"Mã tổ chức {world.branch.code} đã được dùng." in response.content.decode()


def test_only_an_administrator_creates_a_top_level_organisation(world):
    response = world.client(Role.OFFICER).post(
        "/orgs/new/", {"code": "TOP", "name": "Tỉnh mới", "kind": OrgKind.PROVINCE}
    )
    assert "Chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất." in response.content.decode()
    world.client(Role.ADMIN).post(
        "/orgs/new/", {"code": "TOP", "name": "Tỉnh mới", "kind": OrgKind.PROVINCE}
    )
    assert Organization.unscoped.get(code="TOP").depth == 0


def test_rename_keeps_the_old_name_in_history(world):
    client = world.client(Role.OFFICER)
    submit(
        client,
        f"/orgs/{world.branch.code}/rename/",
        {"name": "Chi bộ Tổ Toán – Tin", "decision_number": "7-QĐ"},
    )
    assert fresh(world.branch).name == "Chi bộ Tổ Toán – Tin"
    entry = AuditEntry.unscoped.get(action="org.rename")
    assert entry.changes == {"name": ["Chi bộ Tổ Toán", "Chi bộ Tổ Toán – Tin"]}
    assert entry.actor == world.users[Role.OFFICER]
    page = client.get(f"/orgs/{world.branch.code}/").content.decode()
    assert "Chi bộ Tổ Toán → Chi bộ Tổ Toán – Tin" in page


def test_move_takes_the_whole_subtree(world):
    admin = world.client(Role.ADMIN)
    response = submit(
        admin, f"/orgs/{world.base.code}/move/", {"parent_code": world.outside_upper.code}
    )
    assert response.status_code == 302
    base, branch = fresh(world.base), fresh(world.branch)
    assert base.parent == world.outside_upper
    assert base.path == f"{world.outside_upper.path}{base.pk}/"
    assert branch.path == f"{base.path}{branch.pk}/"
    assert branch.depth == 3
    # The officer of the old parent no longer sees the moved subtree.
    assert world.client(Role.OFFICER).get(f"/orgs/{branch.code}/").status_code == 404


def test_cannot_move_into_own_subtree(world):
    response = submit(
        world.client(Role.ADMIN),
        f"/orgs/{world.upper.code}/move/",
        {"parent_code": world.base.code},
    )
    assert "Không thể chuyển một tổ chức vào chính nó" in response.content.decode()


def test_dissolve_needs_children_ended_first_and_keeps_history(world):
    client = world.client(Role.OFFICER)
    reason = {"effective_on": "30/06/2025", "reason": "Sáp nhập theo Nghị quyết 12"}
    response = submit(client, f"/orgs/{world.base.code}/dissolve/", reason)
    assert response.status_code == 400
    assert "còn 2 tổ chức trực thuộc đang hoạt động: hãy" in response.content.decode()
    response = submit(client, f"/orgs/{world.branch.code}/dissolve/", reason)
    assert response.status_code == 400
    assert "còn 1 đảng viên đang sinh hoạt: hãy" in response.content.decode()
    officer = world.users[Role.OFFICER]
    for member in (world.member, world.other_member):
        end_membership(
            officer, member, Status.DECEASED, Decision(datetime.date(2025, 6, 1), reason="Mất")
        )
    for branch in (world.branch, world.other_branch):
        response = submit(
            client, f"/orgs/{branch.code}/dissolve/", {**reason, "decision_number": "99-QĐ"}
        )
        assert response.status_code == 302
    submit(client, f"/orgs/{world.base.code}/dissolve/", reason)
    assert fresh(world.base).ended_on.isoformat() == "2025-06-30"
    assert Organization.unscoped.filter(pk=world.branch.pk).exists()
    page = client.get(f"/orgs/{world.branch.code}/").content.decode()
    assert "Đã giải thể 30/06/2025" in page and "99-QĐ" in page
    assert "Sáp nhập theo Nghị quyết 12" in page
    upper_page = client.get(f"/orgs/{world.upper.code}/").content.decode()
    assert world.base.name not in upper_page
    assert world.base.name in client.get(f"/orgs/{world.upper.code}/?ended=1").content.decode()


def test_dissolution_date_cannot_precede_founding(world):
    Organization.unscoped.filter(pk=world.branch.pk).update(founded_on="2020-01-01")
    response = submit(
        world.client(Role.OFFICER),
        f"/orgs/{world.branch.code}/dissolve/",
        {"effective_on": "31/12/2019", "reason": "Sáp nhập"},
    )
    assert response.status_code == 400
    assert "Ngày giải thể không thể trước ngày thành lập." in response.content.decode()


def test_secretary_and_inspector_cannot_restructure(world):
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        # they read the branch: told the page is not theirs (outside their scope it is a 404)
        assert client.get(f"/orgs/{world.branch.code}/rename/").status_code == 403
        assert client.post(f"/orgs/{world.branch.code}/rename/", {"name": "X"}).status_code == 403
    assert fresh(world.branch).name == "Chi bộ Tổ Toán"


def test_tree_page_lists_subtree_in_vietnamese_order_and_search_ignores_diacritics(world):
    client = world.client(Role.OFFICER)
    page = client.get("/orgs/").content.decode()
    assert page.index("Chi bộ Tổ Toán") < page.index("Chi bộ Tổ Văn")
    results = client.get("/orgs/", {"q": "hoa binh"}).content.decode()
    assert "Đảng bộ Trường Tiểu học Hòa Bình" in results.split('id="search-results"')[1]


def test_organisation_page_counts_the_subtree(world):
    page = world.client(Role.OFFICER).get(f"/orgs/{world.upper.code}/").content.decode()
    # one base committee with two sub-branches and two members below the ward, each count a
    # link to its list
    code = world.base.code
    assert (
        f'<td class="num"><a href="/orgs/{code}/below/">2</a></td>'
        f'<td class="num"><a href="/orgs/{code}/below/?kind=branches">2</a></td>'
        f'<td class="num"><a href="/members/?org={code}">2</a></td>'
    ) in page
