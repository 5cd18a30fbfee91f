"""The round's dashboard: progress per organisation below and who has not submitted yet."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.organizations.models import OrgKind
from dangvien.supplements import services
from tests.factories import MemberFactory, OrganizationFactory
from tests.supplements.conftest import proposal_of


@pytest.fixture
def progress_world(world, supplement_round):
    """Upper: base (branch 4 active + 1 resigned, other branch 2) and a base branch with 2."""
    officer = world.users[Role.OFFICER]
    base_branch = OrganizationFactory(
        code="P.U1.02", name="Chi bộ Khu phố Bến Đò", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    on_paper = MemberFactory(branch=world.branch, full_name="Bùi Văn Giấy")
    approved = MemberFactory(branch=world.branch, full_name="Cao Thị Duyệt")
    MemberFactory(branch=world.branch, full_name="Đinh Văn Chưa")
    MemberFactory(
        branch=world.branch,
        full_name="Hà Văn Đã Thôi",
        status=Status.RESIGNED,
        left_on=datetime.date(2020, 1, 1),
    )
    MemberFactory(branch=world.other_branch, full_name="Lý Thị Vắng")
    MemberFactory(branch=base_branch, full_name="Mai Văn Một")
    MemberFactory(branch=base_branch, full_name="Ngô Thị Hai")
    services.submit_proposal(world.users[Role.MEMBER], {"phone": "0912 000 000"})
    services.record_paper_submission(officer, supplement_round, on_paper)
    services.approve_proposal(
        officer, services.record_paper_submission(officer, supplement_round, approved)
    )
    rejected = services.record_paper_submission(officer, supplement_round, world.other_member)
    services.reject_proposal(officer, rejected, "Phiếu thiếu chữ ký")
    return world


def _figures(progress):
    return (progress.members, progress.submitted, progress.confirmed, progress.approved)


def test_progress_per_organisation_below(progress_world, supplement_round):
    world = progress_world
    client = world.client(Role.OFFICER)
    response = client.get(f"/supplements/{supplement_round.pk}/")
    assert _figures(response.context["total"]) == (8, 3, 2, 1)
    rows = {row.code: _figures(row) for row in response.context["rows"]}
    assert rows == {"P.U1.01": (6, 3, 2, 1), "P.U1.02": (2, 0, 0, 0)}
    page = response.content.decode()
    assert "(37,50%)" in page and "50%" in page and "0%" in page  # as the reports print shares

    drill = client.get(f"/supplements/{supplement_round.pk}/?org=P.U1.01")
    rows = {row.code: _figures(row) for row in drill.context["rows"]}
    assert rows == {"P.U1.01.01": (4, 3, 2, 1), "P.U1.01.02": (2, 0, 0, 0)}
    assert "75%" in drill.content.decode()
    # Drilling outside the round falls back to the round's organisation.
    outside = client.get(f"/supplements/{supplement_round.pk}/?org={world.outside_upper.code}")
    assert outside.context["org"] == world.upper


def test_members_who_have_not_submitted(progress_world, supplement_round):
    world = progress_world
    page = world.client(Role.OFFICER).get(f"/supplements/{supplement_round.pk}/")
    missing = page.content.decode().split("Đảng viên chưa nộp phiếu")[1]
    for name in ("Đinh Văn Chưa", "Lý Thị Vắng", "Mai Văn Một", "Ngô Thị Hai", "Trần Thị Bình"):
        assert name in missing
    for name in ("Nguyễn Văn An", "Bùi Văn Giấy", "Cao Thị Duyệt", "Hà Văn Đã Thôi"):
        assert name not in missing
    assert page.context["missing"].paginator.count == 5


def test_the_missing_list_is_paginated(world, supplement_round):
    for index in range(30):
        MemberFactory(branch=world.other_branch, full_name=f"Phan Văn Số {index:02d}")
    client = world.client(Role.OFFICER)
    first = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert "Trang 1/2 · 32 mục" in first and "?page=2" in first
    second = client.get(f"/supplements/{supplement_round.pk}/?page=2").content.decode()
    assert "Trang 2/2" in second


def test_counting_is_done_in_sql(world, supplement_round):
    """The dashboard costs the same number of queries for 3 members or 60."""
    officer = world.users[Role.OFFICER]
    services.record_paper_submission(officer, supplement_round, world.other_member)
    client = world.client(Role.OFFICER)
    url = f"/supplements/{supplement_round.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(60):
        member = MemberFactory(branch=world.other_branch, full_name=f"Võ Văn {index:02d}")
        if index % 2:
            services.record_paper_submission(officer, supplement_round, member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["total"].submitted == 31
    assert len(many) == len(few)


def test_the_inspector_reads_without_buttons(progress_world, supplement_round):
    client = progress_world.client(Role.INSPECTOR)
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert "Tiến độ theo tổ chức trực thuộc" in page
    assert "Đã nộp bản giấy" not in page and "Kết thúc đợt" not in page
    listing = client.get("/supplements/").content.decode()
    assert f"/supplements/{supplement_round.pk}/" in listing


def test_the_rounds_list_shows_progress(progress_world, supplement_round):
    response = progress_world.client(Role.OFFICER).get("/supplements/")
    listed = response.context["rounds"][0]
    assert (listed.members, listed.submitted) == (8, 3)
    assert "Mở đợt bổ sung" in response.content.decode()


def test_the_branch_sees_its_own_figures(progress_world, supplement_round):
    world = progress_world
    client = world.client(Role.SECRETARY)
    assert client.get(f"/supplements/{supplement_round.pk}/").status_code == 404
    response = client.get("/supplements/branch/")
    assert _figures(response.context["figures"]) == (4, 3, 2, 1)
    page = response.content.decode()
    assert "Đinh Văn Chưa" in page and "Lý Thị Vắng" not in page
    assert proposal_of(world.member).member.full_name in page  # awaiting confirmation
