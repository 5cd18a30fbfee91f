"""`dangvien import disciplines FILE [--dry-run]` (formats.md): discipline decisions keyed by
Số quyết định and Mã đối tượng, all or nothing, through the same rules as a decision recorded by
hand: the forms each subject may receive (a probationary member only khiển trách or cảnh cáo),
the deciding organisation above the subject, and the effects (khai trừ ends the membership from
its day; the year's grade is capped)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvien.assessments.models import Grade, OrgAssessment
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.discipline.models import Discipline, DisciplineForm
from dangvien.members.models import Member, Status
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind
from tests.assessments.commands import run_import
from tests.assessments.test_discipline_cap import CAP_MESSAGE, _row
from tests.assessments.workflow import (
    assessment_of,
    branch_url,
    open_round,
    proposals_post,
    this_year,
)
from tests.factories import MemberFactory, OrganizationFactory
from tests.spreadsheets import write_csv, write_xlsx
from tests.transfers.steps import ONE_DAY, ddmmyyyy, members_on, today

HEADERS = [
    "Số quyết định",
    "Mã đối tượng",
    "Hình thức",
    "Ngày quyết định",
    "Mã tổ chức quyết định",
    "Nội dung vi phạm",
]


def _state() -> tuple:
    return (
        list(Discipline.unscoped.order_by("pk").values_list("form", "violation")),
        list(Member.unscoped.order_by("pk").values_list("status", "left_on")),
        AuditEntry.unscoped.count(),
    )


def test_import_records_the_decisions_and_an_expulsion_ends_the_membership(world, tmp_path):
    day = today() - ONE_DAY * 20
    expelled = MemberFactory(code="DV-KT-1", full_name="Phạm Văn Cường", branch=world.other_branch)
    rows = [
        ["12-QĐ/ĐU", world.member.code, "Khiển trách", ddmmyyyy(day), world.base.code, "Vắng"],
        ["13-QĐ/ĐU", expelled.code, "khai tru", ddmmyyyy(day), world.upper.code, "Tham nhũng"],
        ["14-QĐ/ĐU", world.branch.code, "Cảnh cáo", ddmmyyyy(day), world.base.code, ""],
    ]
    path = write_csv(tmp_path / "ky-luat.csv", HEADERS, rows)
    counted_before = members_on(world.upper, day - ONE_DAY)

    status, out, err = run_import("disciplines", path, "--dry-run")
    assert (status, err) == (0, ""), out + err
    assert "sẽ tạo mới 3" in out
    assert Discipline.unscoped.count() == 0
    assert Member.unscoped.get(pk=expelled.pk).status == Status.OFFICIAL

    status, out, err = run_import("disciplines", path)
    assert (status, err) == (0, "") and "tạo mới 3, cập nhật 0, không thay đổi 0" in out
    found = {d.decision_number: d for d in Discipline.unscoped.all()}
    assert (found["12-QĐ/ĐU"].member, found["12-QĐ/ĐU"].form) == (
        world.member,
        DisciplineForm.REPRIMAND,
    )
    assert (found["14-QĐ/ĐU"].organization, found["14-QĐ/ĐU"].form) == (
        world.branch,
        DisciplineForm.WARNING,
    )
    assert found["13-QĐ/ĐU"].complaint_until > day  # 30 working days after the decision
    gone = Member.unscoped.get(pk=expelled.pk)
    assert (gone.status, gone.left_on) == (Status.EXPELLED, day)
    # Out of the structure report from the decision's day, still counted the day before.
    assert members_on(world.upper, day - ONE_DAY) == counted_before
    assert members_on(world.upper, day) == counted_before - 1

    page = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/").content.decode()
    section = page.split('id="disciplines"')[1].split("</section>")[0]
    assert "12-QĐ/ĐU" in section and "Khiển trách" in section and world.base.name in section
    page = world.client(Role.OFFICER).get(f"/orgs/{world.branch.code}/").content.decode()
    section = page.split('id="disciplines"')[1].split("</section>")[0]
    assert "14-QĐ/ĐU" in section and "Cảnh cáo" in section

    before = _state()
    status, out, _ = run_import("disciplines", path)
    assert status == 0 and "tạo mới 0, cập nhật 0, không thay đổi 3" in out
    assert _state() == before

    rows[0][5] = "Vắng sinh hoạt ba tháng liền"  # a corrected violation is the one update
    status, out, _ = run_import("disciplines", write_xlsx(tmp_path / "b.xlsx", HEADERS, rows))
    assert status == 0 and "cập nhật 1" in out
    assert Discipline.unscoped.get(decision_number="12-QĐ/ĐU").violation == rows[0][5]
    entry = AuditEntry.unscoped.filter(action="discipline.import").latest("id")
    assert entry.changes == {"violation": ["Vắng", rows[0][5]]}

    rows[0][2] = "Cảnh cáo"  # another form under the same number is refused, not rewritten
    status, out, err = run_import("disciplines", write_csv(tmp_path / "c.csv", HEADERS, rows))
    assert status != 0 and "không có dữ liệu nào được ghi" in err
    assert 'dòng 2, cột "Số quyết định"' in out and "Khiển trách" in out
    assert Discipline.unscoped.get(decision_number="12-QĐ/ĐU").form == DisciplineForm.REPRIMAND


def test_expelling_a_probationary_member_is_an_error_naming_the_row(world, tmp_path):
    day = today() - ONE_DAY * 5
    probationary = MemberFactory(
        code="DV-DB-1",
        branch=world.branch,
        admitted_on=today() - ONE_DAY * 100,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    rows = [
        ["20-QĐ/ĐU", world.member.code, "Cảnh cáo", ddmmyyyy(day), world.base.code, ""],
        ["21-QĐ/ĐU", probationary.code, "Khai trừ", ddmmyyyy(day), world.base.code, ""],
        ["22-QĐ/ĐU", world.branch.code, "Cách chức", ddmmyyyy(day), world.base.code, ""],
        ["23-QĐ/ĐU", world.member.code, "Khiển trách", ddmmyyyy(day), world.other_branch.code, ""],
        ["24-QĐ/ĐU", world.member.code, "Phê bình", ddmmyyyy(day), world.base.code, ""],
        ["25-QĐ/ĐU", world.member.code, "Khai trừ", ddmmyyyy(day), world.branch.code, ""],
        ["26-QĐ/ĐU", world.base.code, "Cảnh cáo", ddmmyyyy(day), world.base.code, ""],
    ]
    status, out, _err = run_import("disciplines", write_csv(tmp_path / "loi.csv", HEADERS, rows))
    assert status != 0
    assert 'dòng 3, cột "Hình thức"' in out and "đảng viên dự bị" in out and "Khai trừ" in out
    assert 'dòng 4, cột "Hình thức"' in out and "Tổ chức đảng chỉ bị kỷ luật" in out
    assert 'dòng 5, cột "Mã tổ chức quyết định"' in out and "không có thẩm quyền" in out
    assert 'dòng 6, cột "Hình thức"' in out and "Phê bình" in out
    assert 'dòng 7, cột "Hình thức"' in out and "là chi bộ: chỉ quyết định khiển trách" in out
    assert 'dòng 8, cột "Mã tổ chức quyết định"' in out and "không phải cấp trên của" in out
    assert "dòng 2" not in out
    # All or nothing: the valid first row is not written either.
    assert Discipline.unscoped.count() == 0
    assert Member.unscoped.get(pk=probationary.pk).status == Status.PROBATIONARY


def test_an_officer_imports_only_decisions_on_subjects_in_their_scope(world):
    day = ddmmyyyy(today() - ONE_DAY)
    rows = [
        ["30-QĐ/ĐU", world.other_member.code, "Khiển trách", day, world.upper.code, ""],
        ["31-QĐ/ĐU", world.outside_member.code, "Khiển trách", day, world.province.code, ""],
    ]
    content = "\n".join(",".join(row) for row in [HEADERS, *rows]).encode()
    client = world.client(Role.OFFICER)
    response = client.post(
        "/imports/disciplines/", {"file": SimpleUploadedFile("ky-luat.csv", content)}
    )
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page = page or response.content.decode()
    assert f"không tìm thấy đảng viên hay tổ chức mã {world.outside_member.code}" in page
    assert world.outside_member.full_name not in page
    assert Discipline.unscoped.count() == 0


def _decided_this_year(tmp_path, number: str, code: str, form: str, body) -> None:
    """Import one decision of a few days ago, of this year (today in the first days of
    January)."""
    day = max(today() - ONE_DAY * 3, today().replace(month=1, day=1))
    rows = [[number, code, form, ddmmyyyy(day), body.code, ""]]
    assert run_import("disciplines", write_csv(tmp_path / "k.csv", HEADERS, rows))[0] == 0


def test_a_member_disciplined_in_the_year_cannot_be_proposed_above_the_cap(world, tmp_path):
    _decided_this_year(tmp_path, "40-QĐ/ĐU", world.member.code, "Khiển trách", world.base)
    open_round(world)
    client = world.client(Role.SECRETARY)
    row = _row(client.get(branch_url(world.branch)), world.member)
    assert re.search(rf'name="d-{world.member.pk}"[^>]*checked', row)  # marked on the page
    # The box «Bị kỷ luật trong năm» cleared: the decision on record caps the grade anyway.
    response = client.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": Grade.GOOD}})
    )
    assert CAP_MESSAGE in _row(response, world.member)
    assert assessment_of(world.member) is None
    post = proposals_post({world.member: {"grade": Grade.NOT_COMPLETED}})
    assert client.post(branch_url(world.branch), post).status_code == 302
    assert assessment_of(world.member).disciplined_in_year is True


def test_disbandment_ends_an_empty_organisation_and_refuses_one_with_members(world, tmp_path):
    day = today() - ONE_DAY * 2
    empty = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Bảo vệ", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    rows = [["50-QĐ/ĐU", empty.code, "Giải tán", ddmmyyyy(day), world.upper.code, "Mất đoàn kết"]]
    status, out, err = run_import("disciplines", write_csv(tmp_path / "a.csv", HEADERS, rows))
    assert (status, err) == (0, ""), out + err
    assert Organization.unscoped.get(pk=empty.pk).ended_on == day
    assert OrgEvent.unscoped.filter(org=empty, kind=OrgEventKind.DISBAND, effective_on=day).exists()

    rows = [["51-QĐ/ĐU", world.branch.code, "Giải tán", ddmmyyyy(day), world.upper.code, ""]]
    status, out, _err = run_import("disciplines", write_csv(tmp_path / "b.csv", HEADERS, rows))
    assert status != 0 and "dòng 2" in out
    assert Organization.unscoped.get(pk=world.branch.pk).ended_on is None
    assert not Discipline.unscoped.filter(organization=world.branch).exists()


def test_an_organisation_disciplined_in_the_year_cannot_be_graded_excellent(world, tmp_path):
    _decided_this_year(tmp_path, "70-QĐ/ĐU", world.branch.code, "Cảnh cáo", world.base)
    open_round(world)
    client = world.client(Role.OFFICER)
    url = reverse("assessments:orgs", args=[world.base.code, this_year()])
    page = client.get(url).content.decode()
    assert re.search(rf'name="x-{world.branch.pk}"[^>]*checked', page)  # marked on the page
    # The box cleared: the decision on record still forbids «Hoàn thành xuất sắc».
    data = {"row": [str(world.branch.pk)], "correction_reason": ""}
    data.update({f"o-{world.branch.pk}": Grade.EXCELLENT, f"t-{world.branch.pk}": ""})
    response = client.post(url, data)
    assert "không được xếp loại hoàn thành xuất sắc nhiệm vụ" in response.content.decode()
    assert not OrgAssessment.unscoped.filter(organization=world.branch).exists()
    # Disciplined itself (its leadership, as a collective): not completed at best (QĐ 132
    # Điều 12.4, QĐ 124).
    data[f"o-{world.branch.pk}"] = Grade.GOOD
    assert "tập thể lãnh đạo) bị kỷ luật trong năm" in client.post(url, data).content.decode()
    data[f"o-{world.branch.pk}"] = Grade.NOT_COMPLETED
    assert client.post(url, data).status_code == 302
    assert OrgAssessment.unscoped.get(organization=world.branch).discipline_in_year is True
