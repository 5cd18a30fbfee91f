"""A collision with a record outside the user's scope counts once per attempt (one upload of a
file, one form sent), however often the upload is previewed or confirmed; recording it and
listing the conflicts cost the same few queries whatever their number (issue 11)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.roles import Role
from dangvien.members.models import ConflictKind, Member, ScopeConflict
from dangvien.organizations.models import Organization
from tests.conftest import OUTSIDE_CITIZEN_ID
from tests.factories import MemberFactory, OrganizationFactory, user_with_role
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

LIST = "/members/conflicts/"


def member_row(world, code: str, citizen_id: str) -> list:
    row = dict.fromkeys(MEMBER_HEADERS, "")
    row.update(
        {
            "Mã đảng viên": code,
            "Họ và tên": f"Phan Văn {code}",
            "Giới tính": "Nam",
            "Ngày sinh": "15/04/1985",
            "Mã chi bộ": world.branch.code,
            "Ngày vào Đảng": "03/02/2010",
            "Số CCCD": citizen_id,
        }
    )
    return [row[header] for header in MEMBER_HEADERS]


def upload(client, path) -> str:
    with path.open("rb") as handle:
        return client.post("/imports/members/", {"file": handle})["Location"]


def test_previewed_twice_and_confirmed_counts_one_attempt(world, tmp_path):
    path = write_xlsx(
        tmp_path / "dv.xlsx", MEMBER_HEADERS, [member_row(world, "DV-MOI-1", OUTSIDE_CITIZEN_ID)]
    )
    client = world.client(Role.SECRETARY)
    preview = upload(client, path)
    for _ in range(2):
        assert OUTSIDE_CONFLICT in client.get(preview).content.decode()
    client.get(f"{preview}errors.xlsx")
    page = client.post(f"{preview}confirm/", follow=True).content.decode()
    conflict = ScopeConflict.unscoped.get()
    assert (conflict.kind, conflict.attempts) == (ConflictKind.CITIZEN_ID, 1)
    assert "Tệp có lỗi, không có dữ liệu nào được ghi. Hãy sửa tệp rồi tải lên lại." in page
    assert not Member.unscoped.filter(code="DV-MOI-1").exists()

    upload(client, path)  # the same file uploaded again: a second attempt
    assert ScopeConflict.unscoped.get().attempts == 2


def test_a_collision_appearing_at_the_confirmation_counts_once(world, tmp_path):
    """Not seen at the preview, so recorded by the confirmation, once however often it is sent."""
    citizen_id = "079099000999"
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, [member_row(world, "M1", citizen_id)])
    client = world.client(Role.SECRETARY)
    preview = upload(client, path)
    assert "Tệp hợp lệ" in client.get(preview).content.decode()
    # Meanwhile, a member outside the secretary's scope is given the same citizen ID.
    MemberFactory(branch=world.outside_branch, citizen_id=citizen_id)
    for _ in range(2):
        page = client.post(f"{preview}confirm/", follow=True).content.decode()
        assert "Tệp có lỗi, không có dữ liệu nào được ghi." in page
        assert OUTSIDE_CONFLICT in page
    assert ScopeConflict.unscoped.get().attempts == 1
    assert not Member.unscoped.filter(code="M1").exists()


def _upload_queries(world, tmp_path, count: int) -> int:
    """Queries of uploading a file whose `count` rows each collide with an outside member."""
    rows = []
    for number in range(count):
        citizen_id = f"0790991{count:02d}{number:03d}"
        MemberFactory(branch=world.outside_branch, citizen_id=citizen_id)
        rows.append(member_row(world, f"N{count}-{number}", citizen_id))
    path = write_xlsx(tmp_path / f"dv{count}.xlsx", MEMBER_HEADERS, rows)
    client = world.client(Role.SECRETARY)
    before = ScopeConflict.unscoped.count()
    with CaptureQueriesContext(connection) as queries, path.open("rb") as handle:
        client.post("/imports/members/", {"file": handle})
    assert ScopeConflict.unscoped.count() == before + count
    return len(queries)


def test_recording_collisions_costs_the_same_queries_for_3_or_40(world, tmp_path):
    few = _upload_queries(world, tmp_path, 3)
    many = _upload_queries(world, tmp_path, 40)
    assert many == few


def test_counting_repeated_collisions_costs_the_same_queries(world, tmp_path):
    """The second upload finds the open conflicts and counts one more attempt on each."""
    rows = []
    for number in range(30):
        citizen_id = f"079098000{number:03d}"
        MemberFactory(branch=world.outside_branch, citizen_id=citizen_id)
        rows.append(member_row(world, f"R{number}", citizen_id))
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows)
    client = world.client(Role.SECRETARY)
    upload(client, path)
    with CaptureQueriesContext(connection) as first:
        upload(client, path)
    small = write_xlsx(tmp_path / "small.xlsx", MEMBER_HEADERS, rows[:2])
    with CaptureQueriesContext(connection) as second:
        upload(client, small)
    assert len(first) == len(second)
    attempts = dict(ScopeConflict.unscoped.values_list("value_hint", "attempts"))
    assert sorted(attempts.values()) == [2] * 28 + [3] * 2


def _outside_org_conflicts(world, count: int) -> None:
    for number in range(count):
        org = OrganizationFactory(
            code=f"P.X{count}.{number}", name=f"Chi bộ xa {number}", parent=world.outside_base
        )
        ScopeConflict.unscoped.create(
            kind=ConflictKind.ORG_CODE,
            value_hint=org.code,
            value_digest=f"{count}-{number}",
            existing_type="organizations.organization",
            existing_id=org.pk,
            existing_label=org.name,
            existing_path=org.path,
            attempted_path=world.base.path,
            common_path=world.province.path,
            source="Thành lập tổ chức đảng",
            actor=world.users[Role.OFFICER],
            last_seen_at=timezone.now(),
        )


@pytest.fixture
def province_client(world) -> Client:
    client = Client()
    client.force_login(user_with_role(Role.OFFICER, world.province, "canbotinh"))
    return client


def _page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST).content.decode()
    return len(queries), page


def test_the_conflicts_page_costs_the_same_queries_for_2_or_20_organisations(
    world, province_client
):
    _outside_org_conflicts(world, 2)
    province_client.get(LIST)  # the session and the menu's cache, once
    few, _page = _page_queries(province_client)
    _outside_org_conflicts(world, 18)
    many, page = _page_queries(province_client)
    assert many == few
    for org in Organization.unscoped.filter(code__startswith="P.X18."):
        assert f'href="/orgs/{org.code}/"' in page
