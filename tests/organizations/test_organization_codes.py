"""Organisation codes come from a URL-safe alphabet on every path (form, import, API); a code
stored before with a "/" no longer breaks the tree or the member pages, and can be corrected."""

import pytest

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import OrganizationFactory
from tests.spreadsheets import ORG_HEADERS, write_csv


@pytest.mark.parametrize("code", ["P.U1/02", "P.U1 02", "P.U1.\u202e02", ".."])
def test_the_form_refuses_a_code_outside_the_alphabet(world, code):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/orgs/new/",
        {
            "parent_code": world.upper.code,
            "code": code,
            "name": "Chi bộ Mới",
            "kind": "chi_bo_co_so",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "không hợp lệ" in page or "ký tự không được phép" in page
    assert not Organization.unscoped.filter(name="Chi bộ Mới").exists()


def test_the_api_refuses_a_code_with_a_slash(world):
    response = world.client(Role.OFFICER).post(
        "/api/v1/organizations/",
        {"code": "P.U1/02", "name": "Chi bộ Mới", "kind": "chi_bo_co_so", "parent_code": "P.U1"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "code"
    assert not Organization.unscoped.filter(code="P.U1/02").exists()


def test_the_import_refuses_a_code_with_a_slash_at_the_preview(world, tmp_path):
    client = world.client(Role.OFFICER)
    rows = [["P.U1/02", "Chi bộ Mới", "Chi bộ cơ sở", "P.U1"]]
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADERS, rows)
    with path.open("rb") as handle:
        preview = client.post("/imports/orgs/", {"file": handle})["Location"]
    page = client.get(preview).content.decode()
    assert "Tệp hợp lệ" not in page
    assert "<tr><td>2</td><td>Mã tổ chức</td><td>mã “P.U1/02” không hợp lệ" in page


def test_an_old_code_with_a_slash_still_works_and_can_be_corrected(world):
    bad = OrganizationFactory(
        code="P.U1/03", name="Chi bộ Cũ", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    client = world.client(Role.OFFICER)
    assert client.get("/orgs/").status_code == 200
    assert client.get("/members/", {"org": bad.code}).status_code == 200
    detail = client.get("/orgs/P.U1%252F03/")
    assert detail.status_code == 200 and "Chi bộ Cũ" in detail.content.decode()
    assert client.get(f"/orgs/{world.upper.code}/").status_code == 200
    form = client.get("/orgs/P.U1%252F03/code/").context["form"]
    data = {"code": "P.U1.03", "version": form["version"].value()}
    response = client.post("/orgs/P.U1%252F03/code/", data)
    assert response.status_code == 302 and response["Location"] == "/orgs/P.U1.03/"
    bad.refresh_from_db()
    assert bad.code == "P.U1.03"
    entry = AuditEntry.unscoped.get(action="org.change_code")
    assert entry.changes == {"code": ["P.U1/03", "P.U1.03"]}
    assert client.get("/orgs/P.U1.03/").status_code == 200
