"""No oracle across scopes (issue 11): a value that collides with a record outside the user's
scope is refused with one message that says neither whose record nor which code.

Every path an officer or a secretary can type a unique value into is tried with the outside
member's citizen ID, card number and code and the outside branch's code: the answer carries
OUTSIDE_CONFLICT and, once what the user typed is taken out, nothing of the outside records
(OUTSIDE_MARK, their codes, numbers, names). A collision inside the scope still names the record.
"""

import pytest
from django.test import Client

from dangvien.admissions.models import Candidate, PartyCard
from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.organizations.models import Organization, OrgKind
from tests.conftest import OUTSIDE_CARD_NUMBER, OUTSIDE_CITIZEN_ID, OUTSIDE_MARK
from tests.spreadsheets import MEMBER_HEADERS, ORG_HEADERS, write_xlsx
from tests.test_scope_walk import _body

ROLES = [Role.OFFICER, Role.SECRETARY]
RECORD = {
    "full_name": "Đinh Thị Hương",
    "gender": "Nữ",
    "birth_date": "12/05/1990",
    "admitted_on": "03/02/2015",
    "official_on": "03/02/2016",
}
# The outside member's unique values, by the form field they are typed into.
COLLISIONS = {
    "citizen_id": OUTSIDE_CITIZEN_ID,
    "card_number": OUTSIDE_CARD_NUMBER,
    "code": f"DV-{OUTSIDE_MARK}",
}


def secrets(world) -> list[str]:
    """Whatever identifies an outside record; none may reach an inside user."""
    outside = world.outside_member
    orgs = (world.outside_upper, world.outside_base, world.outside_branch)
    return [
        OUTSIDE_MARK,
        outside.code,
        outside.full_name,
        OUTSIDE_CITIZEN_ID,
        OUTSIDE_CARD_NUMBER,
        *(org.code for org in orgs),
        *(org.name for org in orgs),
    ]


def assert_no_oracle(world, text: str, typed: list[str]) -> None:
    """The neutral message is there; nothing outside is, once the user's own input is removed
    (a form shows back what was typed, an error workbook is the user's own file)."""
    assert OUTSIDE_CONFLICT in text
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, "")
    leaked = [secret for secret in secrets(world) if secret in text]
    assert not leaked, f"the answer reveals {leaked}"


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", sorted(COLLISIONS))
def test_member_create_form(world, role, field):
    value = COLLISIONS[field]
    data = {**RECORD, "code": "DV-MOI-1", "branch_code": world.branch.code, field: value}
    response = signed_in(world, role).post("/members/new/", data)
    assert response.status_code == 400  # refused, said on the form
    assert_no_oracle(world, response.content.decode(), [value])
    assert not Member.unscoped.filter(full_name="Đinh Thị Hương").exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", ["citizen_id", "card_number"])
def test_member_edit_form(world, role, field):
    client = signed_in(world, role)
    url = f"/members/{world.member.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(RECORD, full_name=world.member.full_name, birth_date="15/04/1985")
    data.update(admitted_on="03/02/2010", official_on="03/02/2011")
    data[field] = COLLISIONS[field]
    response = client.post(url, data)
    assert response.status_code == 400  # refused, said on the form
    assert_no_oracle(world, response.content.decode(), [COLLISIONS[field]])
    assert getattr(Member.unscoped.get(pk=world.member.pk), field) is None


def member_row(world, **values) -> list:
    row = dict.fromkeys(MEMBER_HEADERS, "")
    row.update(
        {
            "Mã đảng viên": "DV-MOI-9",
            "Họ và tên": "Phan Văn Nhập",
            "Giới tính": "Nam",
            "Ngày sinh": "15/04/1985",
            "Mã chi bộ": world.branch.code,
            "Ngày vào Đảng": "03/02/2010",
            "Ngày chính thức": "03/02/2011",
        }
    )
    row.update(values)
    return [row[header] for header in MEMBER_HEADERS]


def upload(client, kind: str, path) -> str:
    with path.open("rb") as handle:
        response = client.post(f"/imports/{kind}/", {"file": handle})
    assert response.status_code == 302, response.content.decode()[:300]
    return response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_member_import_preview_and_error_workbook(world, role, tmp_path):
    rows = [
        member_row(world, **{"Mã đảng viên": "DV-MOI-1", "Số CCCD": OUTSIDE_CITIZEN_ID}),
        member_row(world, **{"Mã đảng viên": "DV-MOI-2", "Số thẻ đảng viên": OUTSIDE_CARD_NUMBER}),
        member_row(world, **{"Mã đảng viên": world.outside_member.code}),
    ]
    client = signed_in(world, role)
    preview = upload(client, "members", write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows))
    typed = [str(cell) for row in rows for cell in row if cell]
    page = client.get(preview).content.decode()
    assert "Tệp có 3 lỗi" in page
    assert page.count(OUTSIDE_CONFLICT) == 3
    assert_no_oracle(world, page, typed)
    workbook = client.get(f"{preview}errors.xlsx")
    assert workbook.status_code == 200
    assert_no_oracle(world, _body(workbook), typed + MEMBER_HEADERS)
    client.post(f"{preview}confirm/")
    assert not Member.unscoped.filter(code__startswith="DV-MOI").exists()


@pytest.mark.parametrize("role", ROLES)
def test_candidate_form(world, role):
    data = {
        "branch_code": world.branch.code,
        "selected_on": "01/06/2026",
        "full_name": "Lò Thị Mai",
        "gender": "Nữ",
        "birth_date": "12/03/2001",
        "citizen_id": OUTSIDE_CITIZEN_ID,
        "general_education": "12/12",
    }
    response = signed_in(world, role).post("/admissions/candidates/new/", data)
    assert response.status_code == 400  # refused, said on the form
    assert_no_oracle(world, response.content.decode(), [OUTSIDE_CITIZEN_ID, data["selected_on"]])
    assert not Candidate.unscoped.exists()


def test_card_issue(world):
    response = signed_in(world, Role.OFFICER).post(
        f"/admissions/cards/{world.member.pk}/issue/",
        {"number": OUTSIDE_CARD_NUMBER, "series": "old", "issued_on": "01/06/2026"},
        follow=True,
    )
    assert_no_oracle(world, response.content.decode(), [OUTSIDE_CARD_NUMBER])
    assert not PartyCard.objects.filter(member=world.member).exists()


def test_org_create_form(world):
    code = world.outside_branch.code
    data = {
        "parent_code": world.base.code,
        "code": code,
        "name": "Chi bộ Mới",
        "kind": "chi_bo_truc_thuoc",
    }
    response = signed_in(world, Role.OFFICER).post("/orgs/new/", data)
    assert response.status_code == 400  # refused, said on the form
    assert_no_oracle(world, response.content.decode(), [code])
    assert not Organization.unscoped.filter(name="Chi bộ Mới").exists()


def test_org_api(world):
    code = world.outside_branch.code
    data = {
        "parent_code": world.base.code,
        "code": code,
        "name": "Chi bộ Mới",
        "kind": "chi_bo_truc_thuoc",
    }
    response = signed_in(world, Role.OFFICER).post("/api/v1/organizations/", data)
    assert response.status_code == 400
    assert response.json() == {"detail": f"Mã tổ chức {OUTSIDE_CONFLICT}", "field": "code"}
    assert not Organization.unscoped.filter(name="Chi bộ Mới").exists()


@pytest.mark.parametrize("unchanged", [False, True])
def test_org_import(world, tmp_path, unchanged):
    """Even a row equal to the outside organisation must not answer "không đổi"."""
    outside = world.outside_branch
    name = outside.name if unchanged else "Chi bộ Mới"
    parent = world.outside_base.code if unchanged else world.base.code
    rows = [[outside.code, name, "Chi bộ trực thuộc", parent]]
    client = signed_in(world, Role.OFFICER)
    preview = upload(client, "orgs", write_xlsx(tmp_path / "tc.xlsx", ORG_HEADERS, rows))
    typed = [cell for row in rows for cell in row]
    page = client.get(preview).content.decode()
    assert "không đổi" not in page
    assert_no_oracle(world, page, typed)
    assert_no_oracle(world, _body(client.get(f"{preview}errors.xlsx")), typed + ORG_HEADERS)


def test_inside_collisions_still_name_the_record(world):
    """A record the user sees is their own data: the answer says which one."""
    world.other_member.citizen_id = "001085000222"
    world.other_member.save()
    data = {**RECORD, "code": "DV-MOI-1", "branch_code": world.branch.code}
    page = (
        signed_in(world, Role.OFFICER)
        .post("/members/new/", {**data, "citizen_id": "001085000222"})
        .content.decode()
    )
    assert "Số CCCD 001085000222 đã thuộc về một đảng viên khác." in page
    assert "Trần Thị Bình (mã DV-TRONG-2)" in page
    response = signed_in(world, Role.OFFICER).post(
        "/orgs/new/",
        {
            "parent_code": world.base.code,
            "code": world.branch.code,
            "name": "Trùng",
            "kind": OrgKind.SUB_BRANCH,
        },
    )
    assert f"Đó là mã của {world.branch.name}." in response.content.decode()
