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


def test_a_file_contradicting_the_course_in_the_system_is_refused(world, tmp_path):
    rows = [[*COURSE, *DATES, world.member.code, "Khá", "12/TC", "05/12/2025", world.base.code]]
    assert "tạo mới 1" in _import(_file(tmp_path, rows))
    # The same code with other dates: the course is not changed, the learner not added to it.
    other_dates = ["03/03/2025", "30/11/2025"]
    rows = [[*COURSE, *other_dates, world.other_member.code, "", "", "", world.base.code]]
    out = _import(_file(tmp_path, rows))
    assert "khóa TC-2025 đã có trong hệ thống với đến ngày 28/11/2025 (tệp ghi 30/11/2025)" in out
    course = Course.unscoped.get(code="TC-2025")
    assert course.ends_on.isoformat() == "2025-11-28"
    assert not Participant.unscoped.filter(member=world.other_member).exists()


def test_the_same_course_under_another_code_is_not_opened_twice(world, tmp_path):
    rows = [[*COURSE, *DATES, world.member.code, "Khá", "", "", world.base.code]]
    _import(_file(tmp_path, rows))
    rows = [
        ["TC-2025-B", *COURSE[1:], *DATES, world.other_member.code, "", "", "", world.base.code]
    ]
    out = _import(_file(tmp_path, rows))
    assert "khóa TC-2025 đã có trong hệ thống cùng tên, loại và thời gian" in out
    assert "ghi mã TC-2025 thay cho TC-2025-B" in out
    assert list(Course.unscoped.values_list("code", flat=True)) == ["TC-2025"]


def test_a_result_recorded_is_not_overwritten_by_the_file(world, tmp_path):
    rows = [[*COURSE, *DATES, world.member.code, "Khá", "12/TC", "05/12/2025", world.base.code]]
    _import(_file(tmp_path, rows))
    rows = [
        [*COURSE, *DATES, world.member.code, "Giỏi", "12/TC", "05/12/2025", world.base.code],
        [*COURSE, *DATES, world.other_member.code, "Khá", "", "", world.base.code],
    ]
    out = _import(_file(tmp_path, rows))
    assert "Nguyễn Văn An đã có kết quả «Khá», chứng chỉ số 12/TC, khác với tệp" in out
    learner = Participant.unscoped.get(member=world.member)
    assert learner.result == "kha"
    assert not Participant.unscoped.filter(member=world.other_member).exists()  # all or nothing
    # A dry run says the same before anything is written.
    assert "đã có kết quả «Khá»" in _import(_file(tmp_path, rows), "--dry-run")
