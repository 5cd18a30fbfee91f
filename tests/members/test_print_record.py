"""Printing a member's record (phiếu đảng viên) as a PDF: content, photo, timeline and scope."""

import datetime
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from dangvien.core.roles import Role
from dangvien.members.models import EventKind, MemberEvent, MemberPhoto
from tests.tools import require_program


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so that wrapped cells read as one phrase."""
    result = subprocess.run(
        [require_program("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def pdf_image_count(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        listing = subprocess.run(
            [require_program("pdfimages"), "-list", str(path)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return len(listing.splitlines()) - 2  # two header lines


def record_url(member) -> str:
    return f"/members/{member.pk}/record.pdf"


def test_secretary_prints_a_record_of_the_branch(world):
    member = world.member
    member.record_number = "123456HN"
    member.card_number = "12345678"
    member.place_of_origin = "Xã Đắk Hà, tỉnh Quảng Ngãi"
    member.save()
    response = world.client(Role.SECRETARY).get(record_url(member))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="phieu-dang-vien-DV-TRONG-1.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "PHIẾU ĐẢNG VIÊN" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Nguyễn Văn An" in text and "NGUYỄN VĂN AN" in text
    for org in (world.province, world.upper, world.base, world.branch):
        assert org.name in text
    assert "15/04/1985" in text  # date of birth, dd/mm/yyyy
    assert "03/02/2010" in text and "03/02/2011" in text  # admitted, official
    assert "Xã Đắk Hà, tỉnh Quảng Ngãi" in text
    squeezed = "".join(text.split())  # one character per box
    assert "123456" in squeezed and "HN" in squeezed and "12345678" in squeezed
    assert "Ngày in" in text


def test_the_timeline_is_printed(world):
    MemberEvent.objects.create(
        member=world.member,
        kind=EventKind.ADMITTED,
        on=datetime.date(2010, 2, 3),
        decision_number="125-QĐ/ĐU",
        decision_body="Đảng ủy Trường Tiểu học Hòa Bình",
        to_branch=world.branch,
    )
    MemberEvent.objects.create(
        member=world.member,
        kind=EventKind.EXEMPTED,
        on=datetime.date(2024, 1, 2),
        reason="Tuổi cao, sức khỏe yếu",
    )
    response = world.client(Role.OFFICER).get(record_url(world.member))
    text = pdf_text(response.content)
    assert "Quá trình hoạt động trong Đảng" in text
    assert "Kết nạp vào Đảng" in text and "125-QĐ/ĐU" in text
    assert "02/01/2024" in text and "Tuổi cao, sức khỏe yếu" in text
    assert text.index("Kết nạp vào Đảng") < text.index("Miễn công tác và sinh hoạt đảng")


def test_photo_is_embedded_when_present(world):
    without = world.client(Role.SECRETARY).get(record_url(world.member)).content
    assert pdf_image_count(without) == 0
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 40, 40)).save(buffer, "PNG")
    MemberPhoto.objects.create(
        member=world.member, content=buffer.getvalue(), content_type="image/png"
    )
    with_photo = world.client(Role.SECRETARY).get(record_url(world.member)).content
    assert pdf_image_count(with_photo) == 1


def test_member_prints_own_record(world):
    response = world.client(Role.MEMBER).get(record_url(world.member))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.OFFICER, "outside_member"),
        (Role.SECRETARY, "other_member"),  # same officer subtree, another branch
        (Role.MEMBER, "other_member"),  # a member sees only their own record
    ],
)
def test_record_outside_scope_is_not_found(world, role, target):
    response = world.client(role).get(record_url(getattr(world, target)))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_anonymous_visitor_is_sent_to_login(world):
    response = world.client(None).get(record_url(world.member))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
