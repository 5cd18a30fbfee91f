"""Finding an organisation as officers remember it: by a code it had before «Sửa mã» («mã
cũ: …» beside the result), on the tree page, in the list below an organisation and through
the API; an ended one is found too, marked, with what it became."""

import datetime
import importlib

from django.apps import apps

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import FormerCode, OrgEvent, OrgEventKind
from dangvien.organizations.services import change_org_code, dissolve_organization
from tests.conftest import OUTSIDE_MARK
from tests.organizations.history_checks import fresh

OLD, NEW = "P.U1.01.01", "P.U1.01.09"
ENDED = datetime.date(2025, 6, 30)


def change_code_on_the_page(client, old: str, new: str) -> None:
    version = client.get(f"/orgs/{old}/code/").context["form"]["version"].value()
    response = client.post(f"/orgs/{old}/code/", {"code": new, "version": version})
    assert response.status_code == 302


def results(client, query: str) -> str:
    page = client.get("/orgs/", {"q": query}).content.decode()
    return " ".join(page.split('id="search-results"')[1].split("</ul>")[0].split())


def test_the_search_finds_a_branch_by_its_old_code_and_says_so(world):
    officer = world.client(Role.OFFICER)
    change_code_on_the_page(officer, OLD, NEW)
    found = results(officer, OLD.lower())
    assert f'<a href="/orgs/{NEW}/">Chi bộ Tổ Toán</a>' in found
    assert f'{NEW} · <span class="former-code">mã cũ: {OLD}</span>' in found
    assert found.count("<li") == 1
    by_today = results(officer, "P.U1.01")  # today's code matches: no old one to mention
    assert f'<a href="/orgs/{NEW}/">' in by_today and "mã cũ" not in by_today
    by_name = results(officer, "to toan")
    assert f'<a href="/orgs/{NEW}/">' in by_name and "mã cũ" not in by_name
    page = officer.get(f"/orgs/{NEW}/").content.decode()
    assert f'<span class="muted" id="former-codes">(mã cũ: {OLD})</span>' in page


def test_the_list_below_a_committee_and_the_api_find_it_too(world):
    officer = world.client(Role.OFFICER)
    change_code_on_the_page(officer, OLD, NEW)
    below = officer.get(f"/orgs/{world.base.code}/below/", {"q": OLD}).content.decode()
    rows = below.split('id="orgs-below"')[1].split("</table>")[0]
    assert f"mã cũ: {OLD}" in rows and rows.count("<tr") == 2  # the heading and the branch
    data = officer.get("/api/v1/organizations/", {"q": OLD}).json()
    assert [(row["code"], row["former_code"]) for row in data["results"]] == [(NEW, OLD)]
    data = officer.get("/api/v1/organizations/", {"q": "to toan"}).json()
    assert [(row["code"], row["former_code"]) for row in data["results"]] == [(NEW, None)]


def test_an_old_code_is_found_only_inside_the_scope(world):
    change_org_code(world.users[Role.ADMIN], world.outside_branch, "P.X.99")
    outside_old = f"P.{OUTSIDE_MARK}.01.01"
    page = world.client(Role.OFFICER).get("/orgs/", {"q": outside_old}).content.decode()
    assert "Không tìm thấy tổ chức nào." in page and "P.X.99" not in page
    api = world.client(Role.OFFICER).get("/api/v1/organizations/", {"q": outside_old}).json()
    assert api["results"] == []
    assert "P.X.99" in results(world.client("outside_officer"), outside_old)


def test_a_code_taken_back_is_no_longer_a_former_one(world):
    admin = world.users[Role.ADMIN]
    change_org_code(admin, world.branch, NEW)
    change_org_code(admin, fresh(world.branch), OLD)
    assert list(FormerCode.unscoped.values_list("code", flat=True)) == [NEW]
    found = results(world.client(Role.OFFICER), NEW)
    assert f'{OLD} · <span class="former-code">mã cũ: {NEW}</span>' in found


def test_the_migration_fills_the_former_codes_from_the_history(world):
    """Codes changed before the table existed are read back from the audit entries."""
    admin = world.users[Role.ADMIN]
    change_org_code(admin, world.branch, NEW)
    change_org_code(admin, fresh(world.branch), "P.U1.01.10")
    change_org_code(admin, world.base, "P.U1.02")
    change_org_code(admin, fresh(world.base), "P.U1.01")  # taken back
    FormerCode.unscoped.all().delete()
    migration = importlib.import_module("dangvien.organizations.migrations.0004_former_codes")
    migration.former_codes_from_audit(apps, None)
    rows = FormerCode.unscoped.order_by("org_id", "code").values_list("org__code", "code")
    assert list(rows) == [("P.U1.01", "P.U1.02"), ("P.U1.01.10", OLD), ("P.U1.01.10", NEW)]
    found = results(world.client(Role.OFFICER), OLD)
    assert f"mã cũ: {OLD}" in found


def absorb_other_branch_into(world, receiving) -> None:
    """The other branch ended by absorption (its event as the absorbing service records it)."""
    officer = world.users[Role.ADMIN]
    left = Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng")
    end_membership(officer, world.other_member, Status.RESIGNED, left)
    dissolve_organization(officer, world.other_branch, Decision(ENDED, reason="Sáp nhập"))
    OrgEvent.unscoped.filter(org=world.other_branch).update(
        kind=OrgEventKind.ABSORB, receiving=receiving, decision_number="41-QĐ/ĐU"
    )


def test_an_ended_branch_is_found_with_its_end_and_what_it_became(world):
    absorb_other_branch_into(world, world.branch)
    found = results(world.client(Role.OFFICER), "to van")
    assert '<li class="ended">' in found
    assert '<span class="badge danger">đã kết thúc 30/06/2025</span>' in found
    assert f'đã sáp nhập vào <a href="/orgs/{world.branch.code}/">{world.branch.name}</a>' in found
    active = results(world.client(Role.OFFICER), "to toan")
    assert "đã kết thúc" not in active and "sáp nhập" not in active
    data = (
        world.client(Role.OFFICER)
        .get("/api/v1/organizations/", {"q": "to van", "include_ended": "1"})
        .json()
    )
    successor = {"name": world.branch.name, "code": world.branch.code, "kind": "sap_nhap"}
    assert [(row["ended_on"], row["successor"]) for row in data["results"]] == [
        ("2025-06-30", {**successor, "parts": []})
    ]
    detail = world.client(Role.OFFICER).get(f"/api/v1/organizations/{world.other_branch.code}/")
    assert detail.json()["successor"]["code"] == world.branch.code


def test_a_successor_outside_the_scope_is_named_without_a_link(world):
    absorb_other_branch_into(world, world.outside_branch)
    found = results(world.client(Role.OFFICER), "to van")
    assert f"đã sáp nhập vào {world.outside_branch.name}</span>" in found
    assert f'href="/orgs/{world.outside_branch.code}/"' not in found
    data = world.client(Role.OFFICER).get(f"/api/v1/organizations/{world.other_branch.code}/")
    assert data.json()["successor"] == {
        "name": world.outside_branch.name,
        "code": None,
        "kind": "sap_nhap",
        "parts": [],
    }
