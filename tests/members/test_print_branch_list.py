"""Printing a branch's member register (danh sách đảng viên, Mẫu 7-HSĐV) as a PDF."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.factories import MemberFactory
from tests.members.test_print_record import pdf_pages, pdf_text


def list_url(org) -> str:
    return f"/members/branch/{org.code}/list.pdf"


def test_secretary_prints_the_branch_list_in_vietnamese_order(world):
    for name in ("Hoàng Văn Đức", "Phạm Thị Ân", "Trần Văn Dũng", "Lê Thị Ánh"):
        MemberFactory(full_name=name, branch=world.branch)
    MemberFactory(full_name="Vũ Văn Bảo", branch=world.branch, status=Status.REMOVED)
    response = world.client(Role.SECRETARY).get(list_url(world.branch))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'inline; filename="danh-sach-dang-vien-P.U1.01.01.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "DANH SÁCH ĐẢNG VIÊN" in text and "Mẫu 7-HSĐV" in text
    assert world.branch.name in text
    assert f"Tính đến ngày {timezone.localdate():%d/%m/%Y}" in text
    assert "15/04/1985" in text  # dates of birth, dd/mm/yyyy
    expected = ["Nguyễn Văn An", "Lê Thị Ánh", "Phạm Thị Ân", "Trần Văn Dũng", "Hoàng Văn Đức"]
    positions = [text.index(name) for name in expected]
    assert positions == sorted(positions)
    assert "Vũ Văn Bảo" not in text  # struck off: no longer active
    assert "Trần Thị Bình" not in text  # active in the other branch
    assert "Tổng số: 5 đảng viên (chính thức: 5, dự bị: 0)" in text


def test_probationary_members_are_marked(world):
    MemberFactory(
        full_name="Đinh Thị Hương",
        branch=world.branch,
        status=Status.PROBATIONARY,
        admitted_on=datetime.date(2025, 9, 2),
        official_on=None,
    )
    text = pdf_text(world.client(Role.OFFICER).get(list_url(world.branch)).content)
    assert "Đinh Thị Hương" in text and "Dự bị" in text
    assert "(chính thức: 1, dự bị: 1)" in text


def test_table_header_repeats_on_every_page(world):
    for number in range(45):
        MemberFactory(full_name=f"Nguyễn Thị Hoa {number:02d}", branch=world.branch)
    pages = pdf_pages(world.client(Role.SECRETARY).get(list_url(world.branch)).content)
    assert len(pages) >= 2
    for page in pages:
        assert "Họ và tên đang dùng" in page and "Ngày vào Đảng" in page


def test_list_as_it_stood_on_a_past_date(world):
    MemberFactory(
        full_name="Bùi Văn Cường",
        branch=world.branch,
        admitted_on=datetime.date(2015, 1, 5),
        official_on=datetime.date(2016, 1, 5),
    )
    client = world.client(Role.SECRETARY)
    text = pdf_text(client.get(list_url(world.branch), {"as_of": "01/06/2012"}).content)
    assert "Tính đến ngày 01/06/2012" in text
    assert "Nguyễn Văn An" in text and "Bùi Văn Cường" not in text
    assert client.get(list_url(world.branch), {"as_of": "31/02/2012"}).status_code == 400


@pytest.mark.parametrize(
    ("role", "org"),
    [
        (Role.OFFICER, "outside_branch"),
        (Role.SECRETARY, "other_branch"),
        (Role.OFFICER, "base"),  # not a branch: no register to print
        (Role.MEMBER, "branch"),  # the member role has no view capability on the tree
    ],
)
def test_list_outside_scope_or_of_a_non_branch_is_not_found(world, role, org):
    response = world.client(role).get(list_url(getattr(world, org)))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_anonymous_visitor_is_sent_to_login(world):
    response = world.client(None).get(list_url(world.branch))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
