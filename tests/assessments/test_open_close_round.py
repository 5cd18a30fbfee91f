"""An officer opens the year's round on an organisation and closes (locks) it."""

from django.urls import reverse

from dangvien.accounts.roles import Role
from dangvien.assessments.models import Round
from dangvien.core.models import AuditEntry
from tests.assessments.workflow import open_round, table_rows, this_year

OPEN = "/assessments/new/"


def test_the_officer_opens_a_round(world):
    client = world.client(Role.OFFICER)
    response = client.post(OPEN, {"organization_code": world.upper.code, "year": this_year()})
    round_ = Round.unscoped.get()
    assert response.url == reverse("assessments:round", args=[round_.pk])
    assert (round_.organization, round_.year, round_.is_open) == (world.upper, this_year(), True)
    assert AuditEntry.unscoped.filter(action="assessment.round_open").count() == 1
    rounds = table_rows(client.get("/assessments/"), "rounds")
    assert rounds[1][:3] == [str(this_year()), world.upper.name, "Đang đánh giá"]


def test_an_overlapping_round_is_refused(world):
    open_round(world, org=world.base)
    client = world.client(Role.OFFICER)
    response = client.post(OPEN, {"organization_code": world.upper.code, "year": this_year()})
    assert f"Đã có đợt đánh giá năm {this_year()} cho {world.base.name}." in (
        response.content.decode()
    )
    response = client.post(OPEN, {"organization_code": world.branch.code, "year": this_year()})
    assert f"cho {world.base.name}." in response.content.decode()
    assert Round.unscoped.count() == 1


def test_a_future_year_is_refused(world):
    response = world.client(Role.OFFICER).post(
        OPEN, {"organization_code": world.upper.code, "year": this_year() + 1}
    )
    assert f"Năm đánh giá phải từ 1930 đến {this_year()}." in response.content.decode()
    assert not Round.unscoped.exists()


def test_an_organisation_outside_the_scope_is_refused(world):
    response = world.client(Role.OFFICER).post(
        OPEN, {"organization_code": world.outside_upper.code, "year": this_year()}
    )
    assert "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn." in (
        response.content.decode()
    )
    assert not Round.unscoped.exists()


def test_a_secretary_cannot_open_or_close(world):
    client = world.client(Role.SECRETARY)
    assert client.get(OPEN).status_code == 403
    round_ = open_round(world)
    response = client.post(reverse("assessments:close", args=[round_.pk]))
    assert response.status_code == 403
    assert Round.unscoped.get().is_open


def test_the_officer_closes_the_round(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)
    url = reverse("assessments:close", args=[round_.pk])
    response = client.post(url, follow=True)
    assert f"Đã khóa đợt đánh giá năm {this_year()}." in response.content.decode()
    round_.refresh_from_db()
    assert not round_.is_open and round_.closed_by == world.users[Role.OFFICER]
    assert "Khóa đợt đánh giá</button>" not in response.content.decode()
    again = client.post(url, follow=True)
    assert "Đợt đánh giá đã khóa." in again.content.decode()
    assert AuditEntry.unscoped.filter(action="assessment.round_close").count() == 1
