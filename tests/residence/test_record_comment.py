"""Recording the residence branch's comment on the member's page: the portal reference rule,
one comment a year, a correction on the version read, a withdrawal kept with its reason."""

import datetime

import pytest

from dangvien.core import versions
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.residence.models import Category, ResidenceComment
from tests.residence.worlds import YEAR, comment, introduce, school

FORM = {
    "year": str(YEAR),
    "result": "hoan_thanh",
    "commented_on": "10/12/2025",
    "received_on": "12/12/2025",
    "channel": "giay",
    "content": "Tham gia họp tổ dân phố đầy đủ.",
}


@pytest.fixture
def linked(world):
    school(world)
    introduce(world.users[Role.OFFICER], world.member)
    return world


def test_a_portal_comment_needs_its_reference_and_a_paper_one_has_none(linked):
    client = linked.client(Role.SECRETARY)
    url = f"/residence/member/{linked.member.pk}/comment/"
    response = client.post(url, {**FORM, "channel": "cong_dvc"})
    assert response.status_code == 400
    assert "ghi mã hồ sơ trên Cổng" in response.content.decode()
    response = client.post(url, {**FORM, "portal_reference": "G22.9"})
    assert response.status_code == 400
    assert "Mã hồ sơ chỉ ghi khi nhận xét qua Cổng" in response.content.decode()
    assert not ResidenceComment.unscoped.exists()

    response = client.post(url, {**FORM, "channel": "cong_dvc", "portal_reference": "G22.9"})
    assert response.status_code == 302
    saved = ResidenceComment.unscoped.get()
    assert (saved.year, saved.channel, saved.portal_reference) == (YEAR, "cong_dvc", "G22.9")
    assert saved.link.outside_name == "Chi bộ Tổ dân phố 5"
    assert AuditEntry.unscoped.filter(action="residence.comment").count() == 1


def test_one_comment_a_year_and_none_without_a_residence_branch(linked):
    officer = linked.users[Role.OFFICER]
    comment(officer, linked.member)
    with pytest.raises(DomainError, match="Đã có nhận xét năm 2025"):
        comment(officer, linked.member)
    with pytest.raises(DomainError, match="chưa được giới thiệu về chi bộ nơi cư trú"):
        comment(officer, linked.other_member)
    introduce(officer, linked.other_member, Category.NOT_INTRODUCED, reason="Nhiệm vụ đặc biệt")
    with pytest.raises(DomainError, match="miễn giới thiệu"):
        comment(officer, linked.other_member)
    with pytest.raises(DomainError, match="trước năm 2025"):
        comment(officer, linked.member, YEAR, on=datetime.date(YEAR - 1, 12, 1))


def test_a_correction_needs_a_reason_and_the_version_read(linked):
    officer = linked.users[Role.OFFICER]
    record = comment(officer, linked.member)
    client = linked.client(Role.OFFICER)
    url = f"/residence/comment/{record.pk}/correct/"
    token = versions.token(record)
    response = client.post(url, {**FORM, "version": token, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {**FORM, "version": token, "reason": "Ghi nhầm kết quả"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.result == "hoan_thanh" and record.version == 2
    entry = AuditEntry.unscoped.get(action="residence.comment_correct")
    assert entry.reason == "Ghi nhầm kết quả" and entry.changes["result"] == ["tot", "hoan_thanh"]
    # The page opened before that correction is refused, saying what changed.
    response = client.post(url, {**FORM, "result": "tot", "version": token, "reason": "Lại"})
    assert response.status_code == 400 and "sau khi bạn mở trang" in response.content.decode()


def test_a_withdrawn_comment_is_kept_and_the_year_is_missing_again(linked):
    officer = linked.users[Role.OFFICER]
    record = comment(officer, linked.member)
    client = linked.client(Role.OFFICER)
    url = f"/residence/comment/{record.pk}/withdraw/"
    assert client.post(url, {"version": versions.token(record), "reason": ""}).status_code == 400
    response = client.post(url, {"version": versions.token(record), "reason": "Gửi nhầm"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.annulled_at is not None and record.annul_reason == "Gửi nhầm"
    page = client.get(f"/members/{linked.member.pk}/").content.decode()
    assert "Đã thu hồi" in page and "Gửi nhầm" in page
    comment(officer, linked.member, result="chua_hoan_thanh")  # recorded again
    assert ResidenceComment.unscoped.filter(member=linked.member).count() == 2
