"""`dangvien import committees`: a file of seats opens the terms it names and records each seat
through the services; the same file again changes nothing; a row the services refuse, or an
organisation outside the officer's scope, leaves the whole file unwritten."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from dangvien.committees import selectors
from dangvien.committees.importing import COLUMNS, import_committees
from dangvien.committees.models import Seat, Term
from dangvien.core import uploads
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role

HEADERS = [column.header for column in COLUMNS if column.in_template]


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS, *rows])
    return out.getvalue().encode()


def _rows(world):
    return [
        [world.base.code, "2020-2025", world.member.code, "Cấp ủy", "Bí thư", "10/05/2020",
         "30/05/2020", "15-QĐ/ĐU", "01/03/2023"],
        [world.base.code, "2020-2025", world.other_member.code, "Cấp ủy", "bí thư", "01/03/2023",
         "", "", ""],
        [world.base.code, "2020-2025", world.member.code, "Ủy ban kiểm tra",
         "Chủ nhiệm ủy ban kiểm tra", "10/05/2020", "", "", ""],
        [world.branch.code, "2022-2025", world.member.code, "Cấp ủy", "Phó bí thư",
         "12/06/2022", "", "", ""],
    ]  # fmt: skip


def test_a_file_opens_the_terms_and_records_the_seats_once(world, tmp_path):
    path = tmp_path / "cap-uy.csv"
    path.write_bytes(_csv(_rows(world)))
    out = io.StringIO()
    call_command("import", "committees", str(path), stdout=out, stderr=io.StringIO())
    assert (
        out.getvalue()
        == "Đã nhập cấp ủy, chức vụ theo nhiệm kỳ: tạo mới 4, cập nhật 0, không thay đổi 0.\n"
    )
    term = Term.unscoped.get(organization=world.base)
    assert term.label == "2020-2025" and term.congress_on.isoformat() == "2020-05-10"
    first = Seat.unscoped.get(member=world.member, post="bi_thu")
    assert first.ended_on.isoformat() == "2023-03-01" and first.approval_number == "15-QĐ/ĐU"
    # The successor from the day the first secretary left.
    day = first.ended_on
    assert selectors.heads_on([world.base.pk], day) == {world.base.pk: world.other_member.pk}

    out = io.StringIO()
    call_command("import", "committees", str(path), stdout=out, stderr=io.StringIO())
    assert "tạo mới 0, cập nhật 0, không thay đổi 4" in out.getvalue()
    assert Seat.unscoped.count() == 4


def test_a_refused_row_or_an_organisation_out_of_scope_writes_nothing(world):
    rows = _rows(world)
    # Two secretaries on the same days: the services refuse the second, so nothing is kept.
    rows[1][5] = "01/03/2022"
    report = import_committees(_csv(rows), "a.csv")
    assert not report.written and Term.unscoped.count() == 0 and Seat.unscoped.count() == 0
    assert any("một bí thư" in problem.message for problem in report.problems)

    # On the web, an officer of another subtree: the organisations are not found.
    client = world.client("outside_officer")
    upload = SimpleUploadedFile("b.csv", _csv(_rows(world)))
    assert client.post("/imports/committees/", {"file": upload}).status_code == 302
    report = uploads.saved_report(ImportUpload.objects.get(kind="committees"))
    assert {problem.column for problem in report.problems} == {"Mã tổ chức"}
    assert Term.unscoped.count() == 0
    # The officer of the subtree imports it.
    officer = world.client(Role.OFFICER)
    assert import_committees(_csv(_rows(world)), "c.csv", actor=world.users[Role.OFFICER]).written
    assert officer.get(f"/committees/org/{world.base.code}/").status_code == 200
