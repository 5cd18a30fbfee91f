"""The import templates (issue 12): each one, downloaded from the demo and uploaded unchanged,
imports every example row into the demo, in the web UI and on the command line; the
«Hướng dẫn» sheet lists every value a choice column takes, and each value listed imports."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from dangvien.accounts.demo import DEMO_PASSWORD
from dangvien.admissions.models import AdmissionTarget
from dangvien.assessments.importing import NOT_GRADED_LABEL
from dangvien.assessments.models import GRADES, SHORT_LABELS, MemberAssessment, OrgAssessment
from dangvien.awards.models import Award
from dangvien.badges.models import Badge
from dangvien.committees.models import Seat
from dangvien.core import uploads
from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.discipline.models import Discipline
from dangvien.dues.models import DuesBasis, DuesPayment
from dangvien.inspections.models import Inspection
from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender, Member, Status
from dangvien.organizations.models import Organization, OrgEvent, OrgKind, Sector
from dangvien.programmes.models import Indicator, ProgrammeTarget
from dangvien.residence.models import ResidenceComment
from dangvien.training.models import CourseKind, Participant
from dangvien.training.models import Result as TrainingResult
from dangvien.transfers.models import Transfer

DEMO_OFFICER = "tinhuy"  # the province officer of the demo (accounts.demo)
GRADE_OF = {grade.label: grade.value for grade in GRADES} | {
    label: grade.value for grade, label in SHORT_LABELS.items()
}
ALL_GRADES = [
    *(f"{grade.label} (hoặc «{SHORT_LABELS[grade]}»)" for grade in GRADES),
    NOT_GRADED_LABEL,
]
# Every column of a fixed list of values, and the list in full, in its order.
CHOICES = {
    ("orgs", "Loại tổ chức"): [kind.label for kind in OrgKind],
    ("orgs", "Loại hình"): [sector.label for sector in Sector],
    ("members", "Giới tính"): [label for _value, label in Gender.choices],
    ("members", "Chuyên môn"): QUALIFICATIONS,
    ("members", "Lý luận chính trị"): THEORY_LEVELS,
    ("assessments", "Xếp loại"): ALL_GRADES,
    ("org-assessments", "Xếp loại"): ALL_GRADES,
    ("org-events", "Sự kiện"): ["Chuyển", "Đổi tên", "Sáp nhập", "Giải thể", "Giải tán"],
    ("transfers", "Loại"): ["Chính thức", "Tạm thời"],
    ("disciplines", "Hình thức"): ["Khiển trách", "Cảnh cáo", "Cách chức", "Khai trừ", "Giải tán"],
    ("inspections", "Hoạt động"): ["Kiểm tra", "Giám sát"],
    ("inspections", "Hình thức"): [
        "Thường xuyên",
        "Chuyên đề",
        "Khi có dấu hiệu vi phạm",
        "Chấp hành",
        "Thực hiện nhiệm vụ kiểm tra, giám sát",
        "Thi hành kỷ luật",
        "Tài chính đảng",
    ],
    ("inspections", "Cơ quan tiến hành"): ["Cấp ủy", "Ủy ban kiểm tra", "Chi bộ"],
    ("programme", "So sánh"): [">", "≥ (hoặc «>=»)", "=", "≤ (hoặc «<=»)", "<"],
    ("training", "Loại"): [kind.label for kind in CourseKind],
    ("training", "Kết quả"): [result.label for result in TrainingResult],
    ("residence-comments", "Kết quả"): ["Hoàn thành tốt", "Hoàn thành", "Chưa hoàn thành"],
    ("residence-comments", "Hình thức"): [
        "Giấy",
        "Cổng Dịch vụ công quốc gia (hoặc «Cổng dịch vụ công»)",
    ],
    ("awards", "Cấp khen"): [
        "Cấp ủy cơ sở",
        "Cấp trên trực tiếp cơ sở (hoặc «Cấp huyện, khối (cấp trên trực tiếp cơ sở)»)",
        "Cấp tỉnh",
        "Trung ương",
    ],
    ("committees", "Cơ quan"): ["Cấp ủy", "Ban thường vụ", "Ủy ban kiểm tra"],
    ("dues-payments", "Hình thức"): [
        "Tiền mặt",
        "Cổng Dịch vụ công quốc gia (hoặc «Cổng dịch vụ công»)",
    ],
    ("dues-bases", "Đối tượng"): [
        "Hưởng lương, đóng BHXH bắt buộc",
        "Hưởng trợ cấp ốm đau, thai sản",
        "Hưởng lương hưu",
        "Học sinh, sinh viên",
        "Đối tượng khác (không hưởng lương)",
        "Được miễn đóng đảng phí",
    ],
    ("committees", "Chức vụ"): [
        "Bí thư",
        "Phó bí thư",
        "Ủy viên ban thường vụ",
        "Cấp ủy viên",
        "Chủ nhiệm ủy ban kiểm tra",
        "Phó chủ nhiệm ủy ban kiểm tra",
        "Ủy viên ủy ban kiểm tra",
    ],
    ("inspections", "Kết luận"): [
        "Chưa kết luận",
        "Không vi phạm",
        "Có vi phạm, chưa đến mức kỷ luật",
        "Có vi phạm, phải kỷ luật",
    ],
}


def _day(text: str) -> datetime.date | None:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"])[1]


def _table(content: bytes, extension: str) -> list[dict[str, str]]:
    """The rows of a downloaded template as an officer's spreadsheet program shows them."""
    if extension == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _summary(rows: list) -> str:
    return f"tạo mới {len(rows)}, cập nhật 0, không thay đổi 0"


def _assert_orgs(rows):
    for row in rows:
        org = Organization.unscoped.select_related("parent").get(code=row["Mã tổ chức"])
        assert org.name == row["Tên tổ chức"]
        assert org.get_kind_display() == row["Loại tổ chức"]
        assert org.parent.code == row["Mã tổ chức cấp trên"]
        assert org.founded_on == _day(row["Ngày thành lập"])
        assert (org.get_sector_display() if org.sector else "") == row["Loại hình"]


def _assert_members(rows):
    for row in rows:
        member = Member.unscoped.select_related("branch").get(code=row["Mã đảng viên"])
        official_on = _day(row["Ngày chính thức"])
        assert (member.full_name, member.gender, member.branch.code) == (
            row["Họ và tên"],
            row["Giới tính"],
            row["Mã chi bộ"],
        )
        assert (member.birth_date, member.admitted_on, member.official_on) == (
            _day(row["Ngày sinh"]),
            _day(row["Ngày vào Đảng"]),
            official_on,
        )
        assert member.status == (Status.OFFICIAL if official_on else Status.PROBATIONARY)
        assert (member.card_number or "", member.citizen_id or "") == (
            row["Số thẻ đảng viên"],
            row["Số CCCD"],
        )
        texts = (
            member.ethnicity,
            member.religion,
            member.place_of_origin,
            member.residence,
            member.general_education,
            member.qualification,
            member.political_theory,
        )
        assert texts == (
            row["Dân tộc"],
            row["Tôn giáo"],
            row["Quê quán"],
            row["Nơi cư trú"],
            row["Giáo dục phổ thông"],
            row["Chuyên môn"],
            row["Lý luận chính trị"],
        )


def _assert_outcome(assessment, label: str) -> None:
    if label == NOT_GRADED_LABEL:
        assert assessment.grade == "" and assessment.not_graded
    else:
        assert (assessment.grade, assessment.not_graded) == (GRADE_OF[label], "")


def _assert_assessments(rows):
    for row in rows:
        found = MemberAssessment.unscoped.get(member__code=row["Mã đảng viên"], year=row["Năm"])
        _assert_outcome(found, row["Xếp loại"])


def _assert_org_assessments(rows):
    for row in rows:
        found = OrgAssessment.unscoped.get(organization__code=row["Mã tổ chức"], year=row["Năm"])
        _assert_outcome(found, row["Xếp loại"])


def _assert_targets(rows):
    for row in rows:
        term = [int(year) for year in row["Nhiệm kỳ"].split("-")] if row["Nhiệm kỳ"] else [None] * 2
        target = AdmissionTarget.unscoped.get(
            organization__code=row["Mã tổ chức"],
            year=int(row["Năm"]) if row["Năm"] else None,
            term_start=term[0],
            term_end=term[1],
        )
        assert target.quota == int(row["Chỉ tiêu kết nạp"])
        stretch = row["Chỉ tiêu phấn đấu"]
        assert target.stretch_quota == (int(stretch) if stretch else None)
        assert (target.decision_number, target.decision_body) == (
            row["Số văn bản"],
            row["Cơ quan ban hành"],
        )
        assert target.decision_on == _day(row["Ngày văn bản"])


def _assert_org_events(rows):
    for row in rows:
        event = OrgEvent.unscoped.select_related("org__parent", "receiving").get(
            org__code=row["Mã tổ chức"], effective_on=_day(row["Ngày hiệu lực"])
        )
        assert (event.get_kind_display(), event.decision_number) == (
            row["Sự kiện"],
            row["Số quyết định"],
        )
        org = event.org
        if row["Sự kiện"] == "Chuyển":
            assert org.parent.code == row["Mã tổ chức cấp trên mới"]
        if row["Sự kiện"] == "Đổi tên":
            assert org.name == row["Tên mới"]
        if row["Sự kiện"] == "Sáp nhập":
            assert (event.receiving.code, org.ended_on) == (
                row["Mã tổ chức tiếp nhận"],
                event.effective_on,
            )


def _assert_transfers(rows):
    for row in rows:
        transfer = Transfer.unscoped.select_related("to_branch").get(
            member__code=row["Mã đảng viên"], arrived_on=_day(row["Ngày chuyển"])
        )
        assert transfer.get_kind_display() == (row["Loại"] or "Chính thức")
        assert (transfer.to_branch.code if transfer.to_branch else "") == row[
            "Mã chi bộ chuyển đến"
        ]
        assert transfer.outside_destination == row["Nơi chuyển đến"]
        assert transfer.letter_number == row["Số giấy giới thiệu"]


def _assert_disciplines(rows):
    for row in rows:
        subject = Member.unscoped.filter(code=row["Mã đối tượng"]).first()
        found = Discipline.unscoped.get(
            decision_number=row["Số quyết định"],
            **({"member": subject} if subject else {"organization__code": row["Mã đối tượng"]}),
        )
        assert found.get_form_display() == row["Hình thức"]
        assert found.decided_on == _day(row["Ngày quyết định"])
        assert found.deciding_org.code == row["Mã tổ chức quyết định"]
        assert found.violation == row["Nội dung vi phạm"]


def _assert_inspections(rows):
    for row in rows:
        subject = Member.unscoped.filter(code=row["Mã đối tượng"]).first()
        found = Inspection.unscoped.get(
            decision_number=row["Số quyết định"],
            **({"member": subject} if subject else {"organization__code": row["Mã đối tượng"]}),
        )
        assert found.decided_on == _day(row["Ngày quyết định"])
        assert (found.get_activity_display(), found.get_form_display()) == (
            row["Hoạt động"],
            row["Hình thức"],
        )
        assert (found.body.code, found.get_conducted_by_display()) == (
            row["Mã chủ thể"],
            row["Cơ quan tiến hành"],
        )
        assert found.content == row["Nội dung"]
        assert found.get_conclusion_display() == (row["Kết luận"] or "Chưa kết luận")
        assert found.concluded_on == _day(row["Ngày kết luận"])


def _assert_programme(rows):
    comparators = {">=": "≥", "<=": "≤"}
    for row in rows:
        found = ProgrammeTarget.unscoped.select_related("programme__owner").get(
            programme__owner__code=row["Mã tổ chức"],
            programme__year=int(row["Năm / Nhiệm kỳ"]),
            label__in=[
                row["Chỉ tiêu"],
                *(c.label for c in Indicator if c.value == row["Chỉ tiêu"]),
            ],
        )
        typed = row["So sánh"].removeprefix("'")  # how the template keeps "=" as text
        assert found.comparator == comparators.get(typed, typed)
        assert found.value == Decimal(row["Giá trị"])


def _assert_residence_comments(rows):
    for row in rows:
        found = ResidenceComment.unscoped.select_related("link__residence_org").get(
            member__code=row["Mã đảng viên"], year=int(row["Năm"]), annulled_at__isnull=True
        )
        assert found.link.residence_org.code == row["Chi bộ nơi cư trú"]
        assert found.get_result_display() == row["Kết quả"]
        assert found.commented_on == _day(row["Ngày nhận xét"])
        assert found.received_on == _day(row["Ngày nhận"] or row["Ngày nhận xét"])
        assert found.channel == ("cong_dvc" if row["Mã hồ sơ trên Cổng"] else "giay")
        assert (found.portal_reference, found.content) == (
            row["Mã hồ sơ trên Cổng"],
            row["Nội dung"],
        )


def _assert_badges(rows):
    for row in rows:
        found = Badge.unscoped.get(
            member__code=row["Mã đảng viên"], milestone=int(row["Mốc (năm)"]), annulled_at=None
        )
        assert (found.stage, found.posthumous) == ("awarded", row["Truy tặng"] == "Có")
        assert (found.decision_number, found.badge_number, found.certificate_number) == (
            row["Số quyết định"],
            row["Số huy hiệu"],
            row["Số giấy chứng nhận"],
        )
        assert (found.decision_on, found.awarded_on) == (
            _day(row["Ngày quyết định"]),
            _day(row["Ngày trao"]),
        )


def _assert_committees(rows):
    for row in rows:
        found = Seat.unscoped.select_related("term", "organization", "member").get(
            organization__code=row["Mã tổ chức"],
            member__code=row["Mã đảng viên"],
            elected_on=_day(row["Ngày bầu"]),
        )
        assert found.term.label == row["Nhiệm kỳ"]
        assert (found.get_body_display(), found.get_post_display()) == (
            row["Cơ quan"],
            row["Chức vụ"],
        )
        assert found.approved_on == _day(row["Ngày chuẩn y"])
        assert found.approval_number == row["Số quyết định chuẩn y"]
        assert found.ended_on == _day(row["Ngày thôi"])


def _assert_training(rows):
    for row in rows:
        found = Participant.unscoped.select_related("course__organization", "member").get(
            course__code=row["Mã khóa"], member__code=row["Mã đảng viên"]
        )
        assert (found.course.name, found.course.get_kind_display()) == (
            row["Tên khóa"],
            row["Loại"],
        )
        assert found.course.organization.code == row["Mã tổ chức"]
        assert (found.course.starts_on, found.course.ends_on) == (
            _day(row["Từ ngày"]),
            _day(row["Đến ngày"]),
        )
        assert found.get_result_display() == row["Kết quả"]
        assert found.certificate_number == row["Số chứng chỉ"]
        assert found.certificate_on == _day(row["Ngày cấp"])
        assert found.member.political_theory  # raised to «Sơ cấp» at least


def _assert_awards(rows):
    for row in rows:
        subject = (
            {"member__code": row["Mã đảng viên"]}
            if row["Mã đảng viên"]
            else {"organization__code": row["Mã tổ chức"]}
        )
        found = Award.unscoped.get(
            decision_number=row["Số quyết định"], annulled_at__isnull=True, **subject
        )
        assert (found.form_label, found.get_level_display()) == (row["Hình thức"], row["Cấp khen"])
        assert found.title == row["Danh hiệu/nội dung"]
        first, _, last = row["Năm"].partition("-")
        assert (found.year_from, found.year_to) == (int(first), int(last or first))
        assert found.decided_on == _day(row["Ngày quyết định"])
        assert (found.deciding_body, found.reason) == (row["Cơ quan quyết định"], row["Lý do"])


def _month(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%m/%Y").date()


def _assert_dues_payments(rows):
    for row in rows:
        found = DuesPayment.unscoped.get(
            member__code=row["Mã đảng viên"], month=_month(row["Tháng"]), annulled_at__isnull=True
        )
        assert found.amount == int(row["Số tiền"])
        assert found.channel == ("cong_dvc" if row["Mã giao dịch"] else "tien_mat")
        assert found.reference == row["Mã giao dịch"]
        assert found.paid_on == _day(row["Ngày nộp"])
        assert found.branch_path == found.member.branch_path


def _assert_dues_bases(rows):
    for row in rows:
        found = DuesBasis.unscoped.get(
            member__code=row["Mã đảng viên"],
            from_month=_month(row["Từ tháng"]),
            annulled_at__isnull=True,
        )
        assert found.get_category_display() == row["Đối tượng"]
        assert found.base_amount == int(row["Mức căn cứ"] or 0)


IMPORTED = {
    "orgs": _assert_orgs,
    "members": _assert_members,
    "assessments": _assert_assessments,
    "org-assessments": _assert_org_assessments,
    "targets": _assert_targets,
    "org-events": _assert_org_events,
    "transfers": _assert_transfers,
    "disciplines": _assert_disciplines,
    "inspections": _assert_inspections,
    "programme": _assert_programme,
    "residence-comments": _assert_residence_comments,
    "badges": _assert_badges,
    "committees": _assert_committees,
    "training": _assert_training,
    "awards": _assert_awards,
    "dues-payments": _assert_dues_payments,
    "dues-bases": _assert_dues_bases,
}


@pytest.fixture
def demo(demo_data) -> Client:
    """The demo data as `dangvien demo` loads it, and its province officer signed in."""
    client = Client()
    assert client.login(username=DEMO_OFFICER, password=DEMO_PASSWORD)
    return client


def _download(client: Client, kind: str, extension: str):
    response = client.get(f"/templates/{kind}.{extension}")
    assert response.status_code == 200, (kind, extension)
    rows = _table(response.content, extension)
    assert rows, f"the template of {kind} has no example row"
    return _filename(response), response.content, rows


def test_every_template_downloaded_from_the_demo_imports_unchanged_in_the_web_ui(demo):
    assert set(IMPORTED) == set(IMPORT_KINDS)  # a kind added to the product is tested here
    for kind, import_kind in IMPORT_KINDS.items():
        for extension in ("xlsx", "csv"):
            with transaction.atomic():  # each template against the demo as loaded
                name, content, rows = _download(demo, kind, extension)
                response = demo.post(
                    f"/imports/{kind}/", {"file": SimpleUploadedFile(name, content)}
                )
                assert response.status_code == 302, (kind, extension)
                preview_url = response["Location"]
                report = uploads.saved_report(ImportUpload.objects.get(kind=kind))
                problems = [str(problem) for problem in [*report.problems, *report.warnings]]
                assert problems == [], (kind, extension)  # nothing refused, nothing warned of
                assert [(row.row, row.action) for row in report.planned] == [
                    (number, "create") for number in range(2, len(rows) + 2)
                ], (kind, extension)
                page = demo.get(preview_url).content.decode()
                assert "không có dữ liệu nào được ghi" not in page and "Cảnh báo" not in page
                assert f"tạo mới {len(rows)}</strong>, <strong>cập nhật 0</strong>" in page

                page = demo.post(f"{preview_url}confirm/", follow=True).content.decode()
                assert f"Đã nhập {import_kind.label}: {_summary(rows)}." in page, (kind, page)
                upload = ImportUpload.objects.get(kind=kind)
                assert upload.status == ImportUpload.Status.IMPORTED
                IMPORTED[kind](rows)
                transaction.set_rollback(True)


def test_every_template_imports_unchanged_on_the_command_line(demo, tmp_path):
    for kind, import_kind in IMPORT_KINDS.items():
        for extension in ("xlsx", "csv"):
            with transaction.atomic():
                name, content, rows = _download(demo, kind, extension)
                path = tmp_path / extension / name
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(content)
                out, err = io.StringIO(), io.StringIO()
                call_command("import", kind, str(path), stdout=out, stderr=err)
                assert out.getvalue() == f"Đã nhập {import_kind.label}: {_summary(rows)}.\n"
                assert err.getvalue() == "", (kind, extension)
                IMPORTED[kind](rows)
                transaction.set_rollback(True)


def _guide(client: Client, kind: str) -> dict[str, str]:
    """The «Hướng dẫn» sheet of the xlsx template: column → what it takes."""
    workbook = load_workbook(io.BytesIO(client.get(f"/templates/{kind}.xlsx").content))
    rows = list(workbook["Hướng dẫn"].iter_rows(values_only=True))
    assert f"mỗi dòng sau là một {IMPORT_KINDS[kind].label}." in rows[1][0]
    header = rows.index(("Cột", "Bắt buộc", "Giá trị"))
    return {column: text for column, _required, text in rows[header + 1 :]}


def _listed(text: str) -> list[str]:
    """The values of «Một trong: A; B (hoặc «b»); C.», each as written."""
    assert text.startswith("Một trong: ") and text.endswith("."), text
    return text.removeprefix("Một trong: ").removesuffix(".").split("; ")


def _accepted_forms(listed: list[str]) -> list[str]:
    """Each value listed and its short form: «A (hoặc «a»)» gives A and a."""
    forms = []
    for value in listed:
        match = re.fullmatch(r"(.+) \(hoặc «(.+)»\)", value)
        forms.extend(match.groups() if match else [value])
    return forms


def test_the_instructions_list_every_allowed_value_in_full(world):
    client = world.client(Role.OFFICER)
    for kind in IMPORT_KINDS:
        guide = _guide(client, kind)
        choice_columns = {column for column, text in guide.items() if text.startswith("Một trong")}
        assert choice_columns == {column for (of, column) in CHOICES if of == kind}, kind
        for column in choice_columns:
            assert _listed(guide[column]) == CHOICES[kind, column], (kind, column)


def _dry_run(kind: str, path) -> str:
    out = io.StringIO()
    call_command("import", kind, str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _write(path, headers: list[str], rows: list[list]):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([headers, *rows])
    return path


def test_every_value_the_instructions_list_is_accepted(world, tmp_path):
    """Read from the sheet, not from the code: each value an officer copies from it imports."""
    client = world.client(Role.OFFICER)
    places = {  # (code, parent's code): a valid place for each kind (formats.md)
        OrgKind.PROVINCE.label: ("Q", ""),
        OrgKind.UPPER.label: ("Q.1", "Q"),
        OrgKind.BASE_COMMITTEE.label: ("Q.1.01", "Q.1"),
        OrgKind.BASE_BRANCH.label: ("Q.1.02", "Q.1"),
        OrgKind.PARTIAL_COMMITTEE.label: ("Q.1.01.51", "Q.1.01"),
        OrgKind.SUB_BRANCH.label: ("Q.1.01.51.01", "Q.1.01.51"),
    }
    kinds = _listed(_guide(client, "orgs")["Loại tổ chức"])
    rows = [[places[kind][0], f"Tổ chức {kind}", kind, places[kind][1]] for kind in kinds]
    headers = [column.header for column in IMPORT_KINDS["orgs"].columns]
    assert "sẽ tạo mới 6," in _dry_run("orgs", _write(tmp_path / "orgs.csv", headers, rows))

    guide = _guide(client, "members")
    genders, degrees, theory = (
        _listed(guide[column]) for column in ("Giới tính", "Chuyên môn", "Lý luận chính trị")
    )
    headers = [column.header for column in IMPORT_KINDS["members"].columns]
    rows = [
        [
            f"DV-MOI-{n}",
            f"Người Thứ {n}",
            genders[n % len(genders)],
            "01/02/1980",
            world.branch.code,
            "03/04/2005",
            "03/04/2006",
            "",
            "",
            "Kinh",
            "Không",
            "",
            "",
            "12/12",
            degree,
            theory[n % len(theory)],
        ]
        for n, degree in enumerate(degrees)
    ]
    assert len(rows) >= max(len(genders), len(theory))
    assert "sẽ tạo mới 6," in _dry_run("members", _write(tmp_path / "m.csv", headers, rows))

    for kind, code in (("assessments", world.member.code), ("org-assessments", world.branch.code)):
        grades = _accepted_forms(_listed(_guide(client, kind)["Xếp loại"]))
        headers = [column.header for column in IMPORT_KINDS[kind].columns]
        rows = [[code, 2011 + n, grade] for n, grade in enumerate(grades)]  # admitted 2010
        assert f"sẽ tạo mới {len(grades)}," in _dry_run(
            kind, _write(tmp_path / f"{kind}.csv", headers, rows)
        )
