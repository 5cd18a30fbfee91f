"""The demo's resolution study and action programme, so the ward's pages are filled: Resolution
21-NQ/TW studied by the ward's base organisations by 30/06 of last year (all but one did), and
the ward committee's action programme of last year (the demo's last graded year) after the seed
example (Đồng Tháp 2022: "trên 90% đảng viên, 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ
trở lên", "100% tổ chức cơ sở đảng … quán triệt"), with a target tracked by hand, its 6-month
review and its year-end review. The import templates' example is the province's programme of
this year (site.import_examples), which must import into the demo as new rows."""

import datetime

from dangvien.accounts.models import User
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BASE_KINDS, Organization, OrgState
from dangvien.programmes import reviews, services, study
from dangvien.programmes.models import DocumentKind, ReviewKind, SessionMode
from dangvien.reports.membership import as_it_stood, members_on

WARD = "SH.HB"
TARGETS = [
    ("dang_vien_tot_tro_len", ">", 90),
    ("tccsd_tot_tro_len", "≥", 95),
    ("ket_nap", "≥", 20),
    ("tccsd_moi_dn_tu_nhan", "≥", 1),
    ("tccsd_quan_triet", "=", 100),
    ("Tỷ lệ chi bộ sinh hoạt chuyên đề ít nhất mỗi quý một lần", "=", 100),
]


def _study(admin, ward: Organization, year: int) -> None:
    document = study.record_document(
        admin,
        kind=DocumentKind.RESOLUTION,
        number="21-NQ/TW",
        title=(
            "Về tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ "
            "đảng viên trong giai đoạn mới"
        ),
        issued_on=datetime.date(2022, 6, 16),
        issuing_body="Ban Chấp hành Trung ương Đảng khóa XIII",
    )
    deadline = datetime.date(year, 6, 30)
    plan = study.adopt_plan(admin, ward, document, deadline=deadline, number="15-KH/ĐU")
    bases = OrgState.unscoped.filter(
        holding_on(deadline), path__startswith=ward.path, kind__in=BASE_KINDS
    ).select_related("org")
    bases = sorted(bases, key=lambda state: state.org.code)
    for index, state in enumerate(bases[:-1]):  # the last one has not held it
        day = datetime.date(year, 5, 6 + index)
        count = members_on(as_it_stood(state.org, day), day).count()
        present = max(count - index % 3, 0)
        mode = SessionMode.ONLINE if index % 4 == 3 else SessionMode.IN_PERSON
        study.record_session(admin, plan, state.org, study.Session(day, mode, present))


def _programme(admin, ward: Organization, year: int) -> None:
    programme = services.create_programme(
        admin,
        ward,
        year=year,
        title=f"Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ phường năm {year}",
        number="20-CTr/ĐU",
        adopted_on=datetime.date(year, 1, 15),
    )
    for text, comparator, value in TARGETS:
        found, _ = services.set_target(
            admin, programme, services.TargetInput(text, comparator, value)
        )
    services.record_result(
        admin,
        found,
        actual=75,
        result_on=datetime.date(year, 6, 30),
        evidence="Báo cáo sơ kết 6 tháng của các chi bộ: 6/8 chi bộ đã sinh hoạt chuyên đề.",
    )
    reviews.record_review(
        admin,
        programme,
        kind=ReviewKind.MID_YEAR,
        year=year,
        reviewed_on=datetime.date(year, 7, 10),
        note="Sơ kết 6 tháng đầu năm.",
    )
    services.record_result(
        admin,
        found,
        actual=87.5,
        result_on=datetime.date(year, 12, 15),
        evidence="Báo cáo tổng kết năm của các chi bộ: 7/8 chi bộ sinh hoạt chuyên đề đủ 4 quý.",
    )
    reviews.record_review(
        admin,
        programme,
        kind=ReviewKind.YEAR_END,
        year=year,
        reviewed_on=datetime.date(year, 12, 22),
        note="Tổng kết năm.",
    )


def load(today: datetime.date) -> None:
    admin = User.objects.get(username="admin")
    ward = Organization.unscoped.filter(code=WARD).first()
    if ward is None:
        return
    year = today.year - 1
    _study(admin, ward, year)
    _programme(admin, ward, year)
