"""`dangvien import members`: a legacy record breaking the rules of its own date (admitted under
age, recognised before the end of the probation) is imported when its row gives the exception's
reason, and the exception is recorded; without one the row is refused saying how (issue 16)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvien.core.models import RuleException
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.members.services import update_member
from tests.assessments.commands import run_import
from tests.members.test_import_members import row
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [*MEMBER_HEADERS, "Lý do ngoại lệ", "Văn bản cho phép"]
# Admitted at 17 in 1968, recognised after 6 months: two rules of the rule set of 1968 broken.
WARTIME = {"birth": "01/05/1951", "admitted": "19/05/1968", "official": "19/11/1968"}
REASON = "Kết nạp trong chiến đấu theo chỉ thị của Khu ủy"


def exceptions() -> dict[str, tuple[str, str]]:
    return {
        e.rule_key: (e.reason, e.decision_number)
        for e in RuleException.unscoped.filter(target_type="members.member")
    }


def test_a_legacy_row_without_a_reason_is_refused_saying_how_to_record_the_exception(
    world, tmp_path
):
    path = write_xlsx(tmp_path / "cu.xlsx", HEADERS, [[*row("L1", **WARTIME), "", ""]])
    status, out, _err = run_import("members", path)
    assert status == 1
    assert 'dòng 2, cột "Ngày vào Đảng": vào Đảng khi chưa đủ 18 tuổi' in out
    assert "ngày chính thức trước khi hết 12 tháng dự bị" in out
    assert out.count("ghi lý do ở cột «Lý do ngoại lệ»") == 2
    assert not Member.unscoped.filter(code="L1").exists()


def test_a_legacy_row_with_its_reason_is_imported_once_with_its_exceptions(world, tmp_path):
    rows = [[*row("L1", **WARTIME), REASON, "15-CT/KU"], [*row("N1"), "", ""]]
    path = write_xlsx(tmp_path / "cu.xlsx", HEADERS, rows)
    status, out, err = run_import("members", path)
    assert status == 0, out
    assert "tạo mới 2" in out
    assert err.count("ghi nhận ngoại lệ") == 2  # said beside the counts
    member = Member.unscoped.get(code="L1")
    assert str(member.official_on) == "1968-11-19"
    assert exceptions() == {
        "admission_min_age_months": (
            f"{REASON} (vào Đảng khi chưa đủ 18 tuổi (ngày sinh 01/05/1951).)",
            "15-CT/KU",
        ),
        "probation_months": (
            f"{REASON} (ngày chính thức trước khi hết 12 tháng dự bị (sớm nhất 19/05/1969).)",
            "15-CT/KU",
        ),
    }
    assert set(RuleException.unscoped.values_list("target_id", flat=True)) == {member.pk}
    assert RuleException.unscoped.first().org_path == member.branch_path

    status, out, _err = run_import("members", path)
    assert (status, "không thay đổi 2" in out) == (0, True)
    assert RuleException.unscoped.count() == 2  # not recorded again

    # The record's later corrections do not ask again for the exceptions kept.
    update_member(world.users[Role.OFFICER], member, {"citizen_id": "001051000123"})
    assert Member.unscoped.get(code="L1").citizen_id == "001051000123"


def test_a_row_within_the_rules_of_its_date_needs_no_exception(world, tmp_path):
    path = write_xlsx(tmp_path / "dung.xlsx", HEADERS, [[*row("N1"), REASON, ""]])
    status, _out, err = run_import("members", path)
    assert status == 0
    assert "không cần ghi ngoại lệ" in err
    assert not RuleException.unscoped.exists()


def test_the_upload_records_the_exception_as_the_officer(world, tmp_path):
    client = world.client(Role.OFFICER)
    upload = reverse("core:import-upload", kwargs={"kind": "members"})
    path = write_xlsx(tmp_path / "cu.xlsx", HEADERS, [[*row("L1", **WARTIME), REASON, ""]])
    response = client.post(
        upload, {"file": SimpleUploadedFile(path.name, path.read_bytes())}, follow=True
    )
    assert "ghi nhận ngoại lệ: vào Đảng khi chưa đủ 18 tuổi" in response.content.decode()
    confirm = reverse(
        "core:import-confirm", kwargs={"kind": "members", "pk": response.context["upload"].pk}
    )
    client.post(confirm, follow=True)
    actors = set(RuleException.unscoped.values_list("actor", flat=True))
    assert actors == {world.users[Role.OFFICER].pk}
