"""No text the app writes into a spreadsheet can run as a formula when an officer opens it: text
beginning with =, +, -, @, a tab or a carriage return (OWASP's list for CSV injection) gets a
leading apostrophe, in every export, whatever record the text came from."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.assessments.models import MemberAssessment
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.core.workbooks import escape_formula
from dangvien.members.models import Member, Status
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.worlds import grade

HOSTILE = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("text", HOSTILE)
def test_every_dangerous_start_gets_an_apostrophe(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "", "1-2", "a=b", "'=1"])
def test_ordinary_text_and_numbers_are_kept(text):
    assert escape_formula(text) == text
    assert escape_formula(-5) == -5


@pytest.fixture
def hostile_world(world):
    """A branch and members whose free text starts with every dangerous character, admitted and
    graded in last year so that every report lists them. The app now refuses control characters
    on input, so the texts are written as data from before that check would be: straight into
    the tables."""
    year = timezone.localdate().year - 1
    branch = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Sử", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    Organization.unscoped.filter(pk=branch.pk).update(name="-Chi bộ Tổ Sử")
    for number, text in enumerate(HOSTILE):
        member = MemberFactory(
            code=f"DV-HOSTILE-{number}",
            branch=branch if number % 2 else world.branch,
            admitted_on=datetime.date(year, 3, 1 + number),
            official_on=None,
            status=Status.PROBATIONARY,
        )
        texts = ("occupation", "workplace", "residence", "party_position", "ethnicity", "religion")
        Member.unscoped.filter(pk=member.pk).update(
            full_name=f"{text} Họ Tên", **dict.fromkeys(texts, text)
        )
        assessment = grade(member, year, not_graded="other")
        MemberAssessment.unscoped.filter(pk=assessment.pk).update(not_graded_note=text)
    return world, year


def _dangerous(cells) -> list:
    return [cell for cell in cells if isinstance(cell, str) and cell.startswith(DANGEROUS_START)]


def _workbook_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def _body(response) -> bytes:
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_member_exports_escape_every_column(hostile_world):
    world, _year = hostile_world
    client = world.client(Role.OFFICER)
    text = _body(client.get("/members/export.csv", {"all_columns": "1"})).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert any(cell == "'\t=1+2 Họ Tên" for cell in cells)
    assert _dangerous(cells) == []
    cells = _workbook_cells(_body(client.get("/members/export.xlsx", {"all_columns": "1"})))
    assert "'@SUM(A1) Họ Tên" in cells
    assert _dangerous(cells) == []


@pytest.mark.parametrize("report", ["structure", "quality", "admissions"])
def test_report_workbooks_escape_every_text(hostile_world, report):
    world, year = hostile_world
    response = world.client(Role.OFFICER).get(
        reverse(f"reports:{report}-xlsx"), {"org": "P.U1", "year": str(year)}
    )
    cells = _workbook_cells(_body(response))
    escaped = {"'" + text for text in [*HOSTILE, "-Chi bộ Tổ Sử"]}
    assert escaped & set(cells)  # the hostile texts are in the report, escaped
    assert _dangerous(cells) == []


def test_the_error_workbook_of_an_import_escapes_the_uploaded_cells(world):
    header = "Mã tổ chức,Tên tổ chức,Loại tổ chức,Mã cấp trên\r\n"
    rows = "".join(f'X{n},"{text}",không có loại này,P.U1\r\n' for n, text in enumerate(HOSTILE))
    client = world.client(Role.OFFICER)
    upload = io.BytesIO((header + rows).encode("utf-8"))
    upload.name = "to-chuc.csv"
    response = client.post(reverse("core:import-upload", args=["orgs"]), {"file": upload})
    assert response.status_code == 302
    pk = ImportUpload.objects.get().pk
    cells = _workbook_cells(_body(client.get(reverse("core:import-errors", args=["orgs", pk]))))
    assert "'+1+2" in cells
    assert _dangerous(cells) == []
