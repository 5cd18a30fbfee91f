"""A member registers the year's commitment on their own page; the branch sees who has not."""

from django.urls import reverse

from dangvien.assessments.models import Commitment, Grade
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.assessments.workflow import (
    client_of,
    member_with_account,
    save_my_page,
    table_rows,
    this_year,
)
from tests.factories import MemberFactory

MY = "/assessments/my/"


def commitments_url(org, year=None):
    return reverse("assessments:commitments", args=[org.code, year or this_year()])


def test_member_registers_then_updates_the_commitment(world):
    client = world.client(Role.MEMBER)
    page = client.get(MY).content.decode()
    assert f"Bạn chưa đăng ký mức phấn đấu năm {this_year()}" in page

    response = save_my_page(
        client, {"action": "commit", "level": Grade.GOOD, "pledges": "Học tập Nghị quyết đầy đủ."}
    )
    assert response.status_code == 302
    commitment = Commitment.unscoped.get(member=world.member, year=this_year())
    assert (commitment.level, commitment.pledges) == (Grade.GOOD, "Học tập Nghị quyết đầy đủ.")
    assert commitment.registered_by == world.users[Role.MEMBER]

    save_my_page(client, {"action": "commit", "level": Grade.EXCELLENT, "pledges": "Phấn đấu hơn."})
    assert Commitment.unscoped.filter(member=world.member).count() == 1
    assert Commitment.unscoped.get(member=world.member).level == Grade.EXCELLENT
    page = client.get(MY).content.decode()
    assert "Bạn đã đăng ký <strong>Hoàn thành xuất sắc nhiệm vụ</strong>" in page
    entry = AuditEntry.unscoped.filter(action="assessment.commit").latest("id")
    assert entry.changes == {f"commitment_{this_year()}": ["Tốt", "Xuất sắc"]}


def test_a_level_must_be_chosen(world):
    response = world.client(Role.MEMBER).post(MY, {"action": "commit", "level": ""})
    assert response.status_code == 400  # refused
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not Commitment.unscoped.exists()


def test_a_member_who_left_cannot_register(world):
    left = member_with_account(world.branch, "daroi", status=Status.RESIGNED)
    response = save_my_page(client_of(left.user), {"action": "commit", "level": Grade.GOOD})
    assert response.status_code == 400  # refused
    assert f"{left.full_name} không còn là đảng viên." in response.content.decode()
    assert not Commitment.unscoped.exists()
    assert "không còn ở trạng thái đảng viên" in client_of(left.user).get(MY).content.decode()


def test_an_account_without_a_member_record_sees_a_note(world):
    page = world.client(Role.OFFICER).get(MY).content.decode()
    assert "không gắn với hồ sơ đảng viên" in page


def test_the_branch_sees_who_has_not_registered(world):
    save_my_page(world.client(Role.MEMBER), {"action": "commit", "level": Grade.GOOD})
    late = MemberFactory(branch=world.branch, full_name="Phạm Văn Chậm")
    page = world.client(Role.SECRETARY).get(commitments_url(world.branch)).content.decode()
    missing = page.split('id="without-commitment"')[1]
    assert late.full_name in missing
    assert world.member.full_name not in missing
    assert world.other_member.full_name not in page  # another branch, outside the secretary


def test_the_officer_sees_it_per_branch(world):
    save_my_page(world.client(Role.MEMBER), {"action": "commit", "level": Grade.GOOD})
    response = world.client(Role.OFFICER).get(commitments_url(world.base))
    assert table_rows(response, "commitment-progress")[1:] == [
        ["Chi bộ Tổ Toán", "1", "1", "0"],
        ["Chi bộ Tổ Văn", "1", "0", "1"],
    ]
    missing = table_rows(response, "without-commitment")
    assert missing[1:] == [
        ["Chi bộ Tổ Văn"],
        [world.other_member.full_name, "DV-TRONG-2", "Chưa có tài khoản"],
    ]


def test_the_list_is_paginated(world):
    MemberFactory.create_batch(60, branch=world.branch)
    url = commitments_url(world.branch)
    first = world.client(Role.SECRETARY).get(url).content.decode()
    assert "Trang 1/2" in first
    response = world.client(Role.SECRETARY).get(url + "?page=2")
    names = [row for row in table_rows(response, "without-commitment")[1:] if len(row) > 1]
    assert len(names) == 61 - 50


def test_the_history_names_the_commitment_of_its_year_once(world):
    """«Đăng ký đầu năm năm 2026» (issue 12): the year is said once."""
    from dangvien.core.models import AuditEntry

    entry = AuditEntry(target_type="members.member", changes={"commitment_2026": [None, "Tốt"]})
    assert entry.change_rows() == [("Đăng ký, cam kết năm 2026", None, "Tốt")]
