"""`dangvien import training`: a course opened from the file with its learners' results, the
member's political theory raised on the command line with its history, the same file again
changing nothing, a row disagreeing with its course refused and nothing written."""

import csv
import io

from django.core.management import call_command

from dangvien.core.models import AuditEntry
from dangvien.members.models import Member
from dangvien.training.importing import COLUMNS
from dangvien.training.models import Course, Participant

HEADERS = [column.header for column in COLUMNS]
COURSE = ["TC-2025", "Lớp trung cấp LLCT khóa 12", "Lý luận chính trị trung cấp"]
DATES = ["03/03/2025", "28/11/2025"]


def _file(tmp_path, rows):
    path = tmp_path / "training.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return str(path)


def _import(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "training", path, *extra, stdout=out, stderr=err)
    except SystemExit as exit:  # a file with problems: nothing written
        assert exit.code == 1
    return out.getvalue() + err.getvalue()


def test_the_file_opens_the_course_and_raises_the_record(world, tmp_path):
    rows = [
        [*COURSE, *DATES, world.member.code, "Khá", "12/TC", "05/12/2025", world.base.code],
        [*COURSE, *DATES, world.other_member.code, "", "", "", world.base.code],
    ]
    path = _file(tmp_path, rows)
    assert "tạo mới 2, cập nhật 0, không thay đổi 0" in _import(path)
    course = Course.unscoped.get(code="TC-2025")
    assert (course.organization, course.status) == (world.base, "ket_thuc")
    learner = Participant.unscoped.get(course=course, member=world.member)
    assert (learner.result, learner.certificate_number) == ("kha", "12/TC")
    assert Member.unscoped.get(pk=world.member.pk).political_theory == "Trung cấp"
    entry = AuditEntry.unscoped.get(action="member.update", target_id=world.member.pk)
    assert entry.changes["political_theory"][1] == "Trung cấp" and entry.actor is None
    assert "tạo mới 0, cập nhật 0, không thay đổi 2" in _import(path)


def test_a_row_disagreeing_with_its_course_writes_nothing(world, tmp_path):
    rows = [
        [*COURSE, *DATES, world.member.code, "Khá", "", "", world.base.code],
        [COURSE[0], "Tên khác", COURSE[2], *DATES, world.other_member.code, "", "", "", ""],
        [*COURSE[:2], "Không phải loại", *DATES, world.other_member.code, "", "", "", ""],
    ]
    out = _import(_file(tmp_path, rows))
    assert "khóa TC-2025 khác với dòng 2" in out and "“Không phải loại” không phải" in out
    assert not Course.unscoped.exists()
