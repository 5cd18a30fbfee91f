"""Entering and correcting a member record: the rules hold, every change is in the history."""

import datetime

import pytest

from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Role
from dangvien.members.models import Member, Status

RECORD = {
    "code": "DV-MOI-1",
    "full_name": "Đinh Thị Hương",
    "gender": "Nữ",
    "birth_date": "12/05/1990",
    "admitted_on": "03/02/2015",
    "official_on": "03/02/2016",
    "ethnicity": "Mường",
    "religion": "Không",
    "qualification": "Đại học",
}


def create(world, **changes):
    data = {**RECORD, "branch_code": world.branch.code, **changes}
    return world.client(Role.SECRETARY).post("/members/new/", data)


def test_secretary_enters_a_record(world):
    response = create(world)
    member = Member.unscoped.get(code="DV-MOI-1")
    assert response["Location"] == f"/members/{member.pk}/"
    assert member.status == Status.OFFICIAL
    assert member.branch_path == world.branch.path
    page = world.client(Role.SECRETARY).get(f"/members/{member.pk}/").content.decode()
    assert "Kết nạp vào Đảng" in page and "03/02/2015" in page
    assert "Công nhận đảng viên chính thức" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"admitted_on": "01/01/2008"}, "Vào Đảng khi chưa đủ 18 tuổi"),
        ({"official_on": "01/06/2015"}, "Ngày chính thức trước khi hết 12 tháng dự bị"),
        ({"official_on": "01/01/2014"}, "Ngày chính thức trước ngày vào Đảng"),
        ({"citizen_id": "12345"}, "Số CCCD phải gồm đúng 12 chữ số"),
        ({"birth_date": "31/02/1990"}, "Nhập một ngày hợp lệ."),
        (
            {
                "admitted_on": (datetime.date.today() + datetime.timedelta(days=3)).strftime(
                    "%d/%m/%Y"
                ),
                "official_on": "",
            },
            "Ngày vào Đảng không thể ở tương lai",
        ),
        # a member of the secretary's branch is named; one outside it is not (issue 11)
        ({"code": "DV-TRONG-1"}, "Mã đảng viên DV-TRONG-1 đã thuộc về một đảng viên khác"),
        ({"code": "DV-TRONG-2"}, "Mã đảng viên trùng với một hồ sơ ngoài phạm vi quản lý"),
    ],
)
def test_rules_refuse_bad_records(world, changes, message):
    response = create(world, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Member.unscoped.filter(full_name="Đinh Thị Hương").exists()


def test_admission_over_sixty_needs_a_recorded_exception(world):
    old = {"birth_date": "01/01/1950", "admitted_on": "01/06/2012", "official_on": "01/06/2013"}
    response = create(world, **old)
    assert "cần văn bản đồng ý của ban thường vụ tỉnh ủy" in response.content.decode()
    create(world, **old, exception_reason="Công văn 15-CV/TU đồng ý kết nạp")
    member = Member.unscoped.get(code="DV-MOI-1")
    exception = RuleException.unscoped.get(target_id=member.pk)
    assert exception.rule_key == "admission_max_age_months"
    assert "15-CV/TU" in exception.reason
    assert exception.actor == world.users[Role.SECRETARY]


def test_a_branch_outside_scope_is_refused(world):
    response = create(world, branch_code=world.other_branch.code)
    assert "Không tìm thấy chi bộ có mã này trong phạm vi quản lý" in response.content.decode()


def test_correction_keeps_old_and_new_values(world):
    client = world.client(Role.SECRETARY)
    url = f"/members/{world.member.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        birth_date="15/04/1985",
        admitted_on="03/02/2010",
        official_on="03/02/2011",
        residence="Tổ 5, phường Hòa Bình",
        reason="Bổ sung theo phiếu năm 2025",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    entry = AuditEntry.unscoped.get(action="member.update")
    assert entry.changes == {"residence": ["", "Tổ 5, phường Hòa Bình"]}
    assert entry.reason == "Bổ sung theo phiếu năm 2025"
    page = client.get(f"/members/{world.member.pk}/").content.decode()
    assert "Tổ 5, phường Hòa Bình" in page and "Nơi cư trú" in page


def test_member_sees_own_record_only(world):
    client = world.client(Role.MEMBER)
    response = client.get("/members/me/")
    assert response["Location"] == f"/members/{world.member.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn An" in page and "Sửa hồ sơ" not in page
    assert client.get(f"/members/{world.other_member.pk}/").status_code == 404
    assert client.get(f"/members/{world.member.pk}/edit/").status_code == 403  # read-only


def test_an_empty_choice_reads_in_vietnamese(world):
    """«Học hàm: ---------» (issue 12): the form's empty choice says it is empty."""
    page = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/edit/").content.decode()
    assert "---------" not in page
    title = page.split('name="academic_title"')[1].split("</select>")[0]
    assert '<option value="" selected>— chưa có —</option>' in title
