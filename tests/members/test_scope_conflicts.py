"""Conflicts across scopes are recorded for the officers who hold both records, and resolved
there: the officer who typed the value learns nothing, the province officer sees which records
collide, neither subtree's officer alone sees the conflict (issue 11)."""

import pytest
from django.test import Client

from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import ConflictKind, Member, ScopeConflict
from tests.admissions.test_admit_candidate import admit, voted
from tests.conftest import OUTSIDE_CITIZEN_ID, OUTSIDE_MARK
from tests.factories import user_with_role
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

LIST = "/members/conflicts/"
MENU = "Trùng hồ sơ ngoài phạm vi"
RECORD = {
    "code": "DV-MOI-1",
    "full_name": "Đinh Thị Hương",
    "gender": "Nữ",
    "birth_date": "12/05/1990",
    "admitted_on": "03/02/2015",
    "official_on": "03/02/2016",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def province_officer(world):
    return user_with_role(Role.OFFICER, world.province, "canbotinh")


def attempt_citizen_id(world, role=Role.OFFICER):
    data = {**RECORD, "branch_code": world.branch.code, "citizen_id": OUTSIDE_CITIZEN_ID}
    response = signed_in(world.users[role]).post("/members/new/", data)
    assert OUTSIDE_CONFLICT in response.content.decode()


def test_a_refused_form_is_recorded_for_the_officer_above_both(world, province_officer):
    attempt_citizen_id(world)
    conflict = ScopeConflict.unscoped.get()
    assert conflict.kind == ConflictKind.CITIZEN_ID
    assert conflict.existing_id == world.outside_member.pk
    assert conflict.existing_path == world.outside_branch.path
    assert conflict.attempted_path == world.branch.path
    assert conflict.common_path == world.province.path
    assert conflict.actor == world.users[Role.OFFICER]
    assert OUTSIDE_CITIZEN_ID not in conflict.value_hint  # the number itself is not kept
    assert conflict.value_hint.endswith(OUTSIDE_CITIZEN_ID[-3:])
    assert not conflict.is_resolved
    assert not Member.unscoped.filter(code="DV-MOI-1").exists()  # the refusal wrote nothing else

    attempt_citizen_id(world)  # the same attempt again counts, it is not a second conflict
    assert ScopeConflict.unscoped.get().attempts == 2

    page = signed_in(province_officer).get(LIST).content.decode()
    assert world.outside_member.full_name in page and "Đinh Thị Hương (mã DV-MOI-1)" in page
    assert world.outside_branch.name in page and world.branch.name in page
    assert f'href="/members/{world.outside_member.pk}/"' in page
    assert MENU in signed_in(province_officer).get("/").content.decode()


@pytest.mark.parametrize("who", [Role.OFFICER, Role.SECRETARY, "outside_officer"])
def test_an_officer_of_one_subtree_alone_does_not_see_it(world, who):
    attempt_citizen_id(world)
    conflict = ScopeConflict.unscoped.get()
    client = signed_in(world.users[who])
    assert MENU not in client.get("/").content.decode()
    listing = client.get(LIST)
    assert listing.status_code in {200, 403}
    assert "Đinh Thị Hương" not in listing.content.decode()
    if who != "outside_officer":
        assert OUTSIDE_MARK not in listing.content.decode()
    assert client.get(f"{LIST}{conflict.pk}/").status_code == 404
    response = client.post(f"{LIST}{conflict.pk}/", {"note": "Đã xử lý"})
    assert response.status_code == 404
    assert not ScopeConflict.unscoped.get().is_resolved


def test_the_administrator_sees_it(world):
    attempt_citizen_id(world, Role.SECRETARY)
    client = world.client(Role.ADMIN)
    assert MENU in client.get("/").content.decode()
    assert world.outside_member.full_name in client.get(LIST).content.decode()


def test_resolving_with_a_note(world, province_officer):
    attempt_citizen_id(world)
    conflict = ScopeConflict.unscoped.get()
    client = signed_in(province_officer)
    page = client.post(f"{LIST}{conflict.pk}/", {"note": "  "}).content.decode()
    assert "Cách đã xử lý" in page and not ScopeConflict.unscoped.get().is_resolved
    response = client.post(f"{LIST}{conflict.pk}/", {"note": "CCCD nhập nhầm, đã sửa."})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.is_resolved and conflict.resolved_by == province_officer
    assert conflict.resolution_note == "CCCD nhập nhầm, đã sửa."
    entry = AuditEntry.unscoped.get(action="conflict.resolve")
    assert entry.reason == "CCCD nhập nhầm, đã sửa." and entry.org_path == world.province.path
    assert "Đinh Thị Hương" not in client.get(LIST).content.decode()
    assert "CCCD nhập nhầm, đã sửa." in client.get(f"{LIST}?resolved=1").content.decode()
    assert MENU not in client.get("/").content.decode()
    again = client.post(f"{LIST}{conflict.pk}/", {"note": "Lần nữa"}).content.decode()
    assert "Lần nữa" not in ScopeConflict.unscoped.get().resolution_note
    assert "Xử lý trùng hồ sơ" in again


def test_a_refused_import_is_recorded_once_per_collision(world, province_officer, tmp_path):
    rows = []
    for code, citizen_id in ((world.outside_member.code, ""), ("DV-MOI-2", OUTSIDE_CITIZEN_ID)):
        row = dict.fromkeys(MEMBER_HEADERS, "")
        row.update(
            {
                "Mã đảng viên": code,
                "Họ và tên": "Phan Văn Nhập",
                "Giới tính": "Nam",
                "Ngày sinh": "15/04/1985",
                "Mã chi bộ": world.branch.code,
                "Ngày vào Đảng": "03/02/2010",
                "Số CCCD": citizen_id,
            }
        )
        rows.append([row[header] for header in MEMBER_HEADERS])
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows)
    client = world.client(Role.SECRETARY)
    with path.open("rb") as handle:
        preview = client.post("/imports/members/", {"file": handle})["Location"]
    client.get(preview)
    client.get(f"{preview}errors.xlsx")
    client.post(f"{preview}confirm/")
    conflicts = ScopeConflict.unscoped.order_by("kind")
    assert [c.kind for c in conflicts] == [ConflictKind.CITIZEN_ID, ConflictKind.MEMBER_CODE]
    assert [c.source.split(", ")[-1] for c in conflicts] == ["dòng 3", "dòng 2"]
    # one row per collision however often the file is checked (upload, preview, confirm)
    assert not Member.unscoped.filter(full_name="Phan Văn Nhập").exists()
    page = signed_in(province_officer).get(LIST).content.decode()
    assert page.count("Phan Văn Nhập") == 2


def test_an_admission_refused_inside_another_service_is_still_recorded(world, province_officer):
    """admit_candidate creates the member in its own transaction: the conflict raised inside
    is recorded once that outer transaction has rolled back."""
    candidate = voted(world)
    response = admit(world.client(Role.OFFICER), candidate, code=world.outside_member.code)
    assert OUTSIDE_CONFLICT in response.content.decode()
    assert OUTSIDE_MARK not in response.content.decode().replace(world.outside_member.code, "")
    conflict = ScopeConflict.unscoped.get()
    assert (conflict.kind, conflict.source) == (ConflictKind.MEMBER_CODE, "Kết nạp đảng viên")
