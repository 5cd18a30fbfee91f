"""A secretary uploads a member's 3×4 photo: a real JPEG, PNG or WebP is kept and shown; anything
else, whatever the browser says it is, is refused; only those who manage the member may."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import MemberPhoto


def image(kind: str, size=(300, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, kind)
    return buffer.getvalue()


def upload(world, role, member, content: bytes, name="anh.png", content_type="image/png"):
    return world.client(role).post(
        f"/members/{member.pk}/photo/",
        {"photo": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


@pytest.mark.parametrize(("kind", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_photo_is_kept_shown_and_recorded(world, kind, mime):
    content = image(kind)
    # The browser's word is not what decides the type: the image is.
    page = upload(world, Role.SECRETARY, world.member, content, content_type="image/webp")

    assert "Đã cập nhật ảnh." in page.content.decode()
    shown = world.client(Role.SECRETARY).get(f"/members/{world.member.pk}/photo/")
    assert shown.status_code == 200 and shown["Content-Type"] == mime
    assert shown.content == content
    assert f'src="/members/{world.member.pk}/photo/"' in page.content.decode()
    entry = AuditEntry.unscoped.get(action="member.photo", target_id=world.member.pk)
    assert entry.actor == world.users[Role.SECRETARY]


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10,
        b"GIF89a" + b"\x00" * 40,
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(world, content):
    page = upload(world, Role.SECRETARY, world.member, content).content.decode()

    assert "Ảnh phải là tệp JPEG, PNG hoặc WebP." in page
    assert not MemberPhoto.objects.exists()
    assert not AuditEntry.unscoped.filter(action="member.photo").exists()


def test_a_photo_over_two_megabytes_is_refused(world):
    content = image("PNG") + b"\x00" * (2 * 1024 * 1024)

    page = upload(world, Role.SECRETARY, world.member, content).content.decode()

    assert "Ảnh không được lớn hơn 2 MB." in page
    assert not MemberPhoto.objects.exists()


def test_an_image_of_too_many_pixels_is_refused(world):
    content = image("PNG", size=(5000, 4000))  # compresses to a few kB

    page = upload(world, Role.SECRETARY, world.member, content).content.decode()

    assert "Ảnh quá lớn" in page
    assert not MemberPhoto.objects.exists()


def test_only_who_manages_the_member_uploads(world):
    assert upload(world, Role.SECRETARY, world.other_member, image("PNG")).status_code == 404
    assert upload(world, Role.SECRETARY, world.outside_member, image("PNG")).status_code == 404
    assert upload(world, Role.INSPECTOR, world.member, image("PNG")).status_code in (403, 404)
    assert upload(world, Role.MEMBER, world.member, image("PNG")).status_code in (403, 404)
    assert not MemberPhoto.objects.exists()


def test_a_refused_photo_is_said_at_the_top_of_the_record(world):
    response = upload(world, Role.SECRETARY, world.member, b"GIF89a" + b"\x00" * 40)
    page = response.content.decode()
    assert response.status_code == 400
    banner = page.index('id="refused-banner"')
    assert banner < page.index("<h1>Nguyễn Văn An</h1>")
    assert "Chưa lưu ảnh:</strong> Ảnh phải là tệp JPEG, PNG hoặc WebP." in page


def test_a_post_without_a_file_says_to_choose_one(world):
    response = world.client(Role.SECRETARY).post(f"/members/{world.member.pk}/photo/", {})
    assert response.status_code == 400
    assert "Chưa lưu ảnh:</strong> Hãy chọn tệp ảnh để tải lên." in response.content.decode()
    empty = upload(world, Role.SECRETARY, world.member, b"")
    assert empty.status_code == 400
    assert "Chưa lưu ảnh:</strong> Tệp ảnh rỗng (0 byte)." in empty.content.decode()
    assert not MemberPhoto.objects.exists()


def test_a_file_over_the_upload_limit_is_said_to_be_too_large(world, settings):
    """The upload handler drops a file over DANGVIEN_UPLOAD_MAX_MB as it arrives: the form gets
    no file, and says why instead of "choose a file"."""
    settings.UPLOAD_MAX_MB = 1
    response = upload(world, Role.SECRETARY, world.member, image("PNG") + b"\x00" * 2**21)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu ảnh:</strong> Tệp gửi lên quá lớn" in page
    assert "ảnh không được lớn hơn 2 MB" in page
    assert not MemberPhoto.objects.exists()
