"""An officer opens the year's supplement round for a subtree."""

import datetime

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import move_organization
from dangvien.supplements.models import SupplementRound
from tests.factories import OrganizationFactory
from tests.supplements.conftest import today


def _form(org, year=None, deadline=None):
    year = year or today().year
    deadline = deadline or today() + datetime.timedelta(days=20)
    return {"organization_code": org.code, "year": year, "deadline": deadline.strftime("%d/%m/%Y")}


def test_officer_opens_a_round_for_the_subtree(world):
    client = world.client(Role.OFFICER)
    assert "Mở đợt bổ sung" in client.get("/supplements/new/").content.decode()
    response = client.post("/supplements/new/", _form(world.upper))
    opened = SupplementRound.unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supplements/{opened.pk}/"
    assert (opened.organization, opened.org_path, opened.year) == (
        world.upper,
        world.upper.path,
        today().year,
    )
    assert opened.opened_by == world.users[Role.OFFICER] and opened.is_open
    entry = AuditEntry.unscoped.get(action="supplement.open")
    assert entry.org_path == world.upper.path and entry.changes["year"] == [None, today().year]
    page = client.get(response["Location"]).content.decode()
    assert f"Bổ sung hồ sơ năm {today().year} – {world.upper.name}" in page
    assert "Mở đợt bổ sung hồ sơ" in client.get("/history/").content.decode()


def test_one_round_per_organisation_and_year(world, supplement_round):
    response = world.client(Role.OFFICER).post("/supplements/new/", _form(world.upper))
    assert f"{world.upper.name} đã có đợt bổ sung hồ sơ năm {today().year}." in (
        response.content.decode()
    )
    assert SupplementRound.unscoped.count() == 1


def test_a_round_above_already_covers_the_organisations_below(world, supplement_round):
    response = world.client(Role.OFFICER).post("/supplements/new/", _form(world.base))
    assert "đang mở và đã bao gồm" in response.content.decode()
    assert SupplementRound.unscoped.count() == 1


def test_a_round_above_waits_for_an_open_round_below(world):
    client = world.client(Role.OFFICER)
    client.post("/supplements/new/", _form(world.base))
    response = client.post("/supplements/new/", _form(world.upper))
    assert "hãy kết thúc đợt đó trước" in response.content.decode()
    # Another year is another round.
    next_year = client.post("/supplements/new/", _form(world.upper, year=today().year + 1))
    assert next_year.status_code == 302
    assert SupplementRound.unscoped.count() == 2


def test_deadline_and_year_are_checked(world):
    client = world.client(Role.OFFICER)
    past = client.post(
        "/supplements/new/", _form(world.upper, deadline=today() - datetime.timedelta(days=1))
    )
    assert "Hạn nộp không thể ở quá khứ." in past.content.decode()
    future = client.post("/supplements/new/", _form(world.upper, year=today().year + 5))
    assert f"Năm {today().year + 5} không hợp lệ" in future.content.decode()
    assert not SupplementRound.unscoped.exists()


def test_an_organisation_outside_the_scope_is_refused(world):
    response = world.client(Role.OFFICER).post("/supplements/new/", _form(world.outside_upper))
    assert "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn." in (
        response.content.decode()
    )
    assert not SupplementRound.unscoped.exists()


def test_a_secretary_opens_a_round_for_their_branch_only(world):
    client = world.client(Role.SECRETARY)
    refused = client.post("/supplements/new/", _form(world.upper))
    assert refused.status_code == 400 and "Chưa lưu." in refused.content.decode()
    assert not SupplementRound.unscoped.exists()
    assert client.post("/supplements/new/", _form(world.branch)).status_code == 302
    assert SupplementRound.unscoped.get().organization == world.branch


def test_read_only_roles_cannot_open_a_round(world):
    for role in (Role.INSPECTOR, Role.MEMBER):
        response = world.client(role).post("/supplements/new/", _form(world.upper))
        assert response.status_code == 403
    assert not SupplementRound.unscoped.exists()


def test_a_round_follows_its_organisation_when_it_moves(world):
    admin = world.users[Role.ADMIN]
    world.client(Role.OFFICER).post("/supplements/new/", _form(world.base))
    new_upper = OrganizationFactory(
        code="P.U2", name="Đảng bộ xã Mới", kind=OrgKind.UPPER, parent=world.province
    )
    moved = move_organization(admin, world.base, new_upper)
    supplement_round = SupplementRound.unscoped.get()
    assert supplement_round.org_path == moved.path
    # The officer of the old subtree no longer sees it.
    assert world.client(Role.OFFICER).get(f"/supplements/{supplement_round.pk}/").status_code == 404
