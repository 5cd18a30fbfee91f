"""Every importer writes all or nothing: a database failure injected midway through the write,
after rows of the file are already written, leaves the database exactly as it was, and the user
is told in Vietnamese, without a traceback (command line and web)."""

import re

import pytest
from django.db import OperationalError, connection
from django.db.models import Sum

from dangvien.admissions.models import AdmissionTarget
from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.roles import Role
from dangvien.members import importing as member_importing
from dangvien.members.models import Member, MemberEvent, Placement
from dangvien.organizations.models import Organization
from dangvien.reports.models import DirtyUnit, UnitVersion
from tests.assessments.commands import run_import
from tests.members.test_import_members import row as member_row
from tests.spreadsheets import (
    ASSESSMENT_HEADERS,
    MEMBER_HEADERS,
    ORG_ASSESSMENT_HEADERS,
    ORG_HEADERS,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

NOT_WRITTEN = "không có dữ liệu nào được ghi"
TABLES = [
    Organization,
    Member,
    Placement,
    MemberEvent,
    MemberAssessment,
    OrgAssessment,
    AdmissionTarget,
    AuditEntry,
    DirtyUnit,
]


def snapshot() -> dict:
    """Row counts of every table an import writes, the unit versions, and the names."""
    state = {model.__name__: model._base_manager.count() for model in TABLES}
    state["versions"] = UnitVersion.objects.aggregate(n=Sum("version"))["n"]
    state["names"] = sorted(Organization.unscoped.values_list("code", "name"))
    state["members"] = sorted(Member.unscoped.values_list("code", "full_name"))
    return state


class AuditFault:
    """A database that fails on the `fail_at`-th statement writing the audit trail, counting the
    statements that wrote the file's own rows before it (through Django's cursor)."""

    AUDIT = AuditEntry._meta.db_table

    def __init__(self, fail_at: int = 1):
        self.fail_at, self.audits, self.writes_before = fail_at, 0, 0

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip().split(" ", 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "COPY"):
            if re.search(rf'\b"?{self.AUDIT}"?\b', sql):
                self.audits += 1
                if self.audits >= self.fail_at:
                    raise OperationalError("disk I/O error (injected)")
            else:
                self.writes_before += 1
        return execute(sql, params, many, context)


def import_with_fault(kind: str, path, fault: AuditFault) -> tuple[int, str, str]:
    with connection.execute_wrapper(fault):
        return run_import(kind, path)


def assert_refused_and_untouched(result, before: dict) -> None:
    status, out, err = result
    assert status == 1
    assert NOT_WRITTEN in err and "Traceback" not in err + out
    assert "Đã nhập" not in out
    assert snapshot() == before


def test_organisations_midway(world, tmp_path):
    rows = [
        ["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"],
        ["P.U1.09.01", "Chi bộ Mới", "Chi bộ trực thuộc", "P.U1.09"],
        [world.branch.code, "Chi bộ Tổ Toán đổi tên", "Chi bộ trực thuộc", world.base.code],
    ]
    path = write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, rows)
    before = snapshot()
    fault = AuditFault(fail_at=2)  # one organisation and its history are written, then it fails
    result = import_with_fault("orgs", path, fault)
    assert fault.writes_before >= 1 and fault.audits == 2
    assert_refused_and_untouched(result, before)
    assert run_import("orgs", path)[0] == 0  # the same file, once the database is well again


class MemberAuditFault:
    """The members' bulk writer failing on the audit entries, after the members, their
    placements and events are written (COPY on PostgreSQL, which no cursor wrapper sees)."""

    def __init__(self, monkeypatch):
        self.written: list[tuple[str, int]] = []
        self.real = member_importing.insert_rows
        monkeypatch.setattr(member_importing, "insert_rows", self)

    def __call__(self, model, attnames, rows):
        if model is AuditEntry:
            raise OperationalError("disk I/O error (injected)")
        rows = list(rows)
        self.written.append((model.__name__, len(rows)))
        self.real(model, attnames, rows)


def test_members_midway(world, tmp_path, monkeypatch):
    fault = MemberAuditFault(monkeypatch)
    rows = [member_row(f"N{i}") for i in range(1, 4)]
    path = write_xlsx(tmp_path / "members.xlsx", MEMBER_HEADERS, rows)
    before = snapshot()
    result = run_import("members", path)
    assert fault.written == [("Placement", 3), ("MemberEvent", 6)]  # after the members
    assert_refused_and_untouched(result, before)


def test_member_grades_midway(world, tmp_path):
    rows = [
        [world.member.code, 2024, "Hoàn thành xuất sắc nhiệm vụ"],
        [world.other_member.code, 2024, "tốt"],
        [world.member.code, 2023, "Hoàn thành"],
    ]
    path = write_xlsx(tmp_path / "grades.xlsx", ASSESSMENT_HEADERS, rows)
    before = snapshot()
    fault = AuditFault()
    result = import_with_fault("assessments", path, fault)
    assert fault.writes_before >= 1
    assert_refused_and_untouched(result, before)


def test_organisation_grades_midway(world, tmp_path):
    rows = [
        [world.base.code, 2024, "Hoàn thành tốt nhiệm vụ"],
        [world.branch.code, 2024, "xuat sac"],
        [world.upper.code, 2023, "Hoàn thành"],
    ]
    path = write_xlsx(tmp_path / "org-grades.xlsx", ORG_ASSESSMENT_HEADERS, rows)
    before = snapshot()
    fault = AuditFault()
    result = import_with_fault("org-assessments", path, fault)
    assert fault.writes_before >= 1
    assert_refused_and_untouched(result, before)


def test_admission_quotas_midway(world, tmp_path):
    AdmissionTarget.unscoped.create(
        organization=world.base, org_path=world.base.path, year=2024, quota=100
    )
    rows = [
        [world.base.code, 2024, None, 240],  # an update
        [world.upper.code, None, "2020-2025", 500],
        [world.branch.code, 2025, None, 3],
    ]
    path = write_xlsx(
        tmp_path / "targets.xlsx", ["Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"], rows
    )
    before = snapshot()
    fault = AuditFault()
    result = import_with_fault("targets", path, fault)
    assert fault.writes_before >= 2  # the created quotas and the updated one
    assert_refused_and_untouched(result, before)
    assert AdmissionTarget.unscoped.get(organization=world.base).quota == 100


def test_web_confirmation_midway_shows_the_reason_and_keeps_the_upload(
    world, tmp_path, monkeypatch
):
    client = world.client(Role.OFFICER)
    rows = [member_row(f"W{i}") for i in range(1, 4)]
    path = write_xlsx(tmp_path / "members.xlsx", MEMBER_HEADERS, rows)
    with path.open("rb") as handle:
        preview_url = client.post("/imports/members/", {"file": handle})["Location"]
    before = snapshot()
    fault = MemberAuditFault(monkeypatch)
    response = client.post(f"{preview_url}confirm/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and fault.written
    assert "Cơ sở dữ liệu đang bận với một thao tác ghi khác" in page
    assert NOT_WRITTEN in page and "Đã nhập" not in page
    assert snapshot() == before
    assert ImportUpload.objects.get().status != ImportUpload.Status.IMPORTED
