"""The example rows of every import template, built from the demo's own definitions, so that a
template downloaded from the demo and uploaded unchanged imports into it, whatever day the demo
was loaded: organisations placed under the demo ward, new members in its secretary's branch,
grades of the year before the demo's own assessments, quotas of the coming year."""

import datetime
from collections.abc import Callable

from dangvien.assessments.demo import PAST_YEARS, SECRETARY_BRANCH, WARD
from dangvien.assessments.grading import YearRules
from dangvien.assessments.importing import NOT_GRADED_LABEL
from dangvien.assessments.models import SHORT_LABELS, Grade
from dangvien.core.rules import add_months
from dangvien.members.demo import LONG_STANDING, TARGET, member_code
from dangvien.members.models import Gender
from dangvien.organizations import demo as organizations_demo
from dangvien.organizations.models import OrgKind, Sector

TERM_YEARS = 5  # a party congress term: 2020-2025, 2025-2030, …
TRANSFER_BRANCH = "SH.HB.02"  # the demo member's base branch (members.demo)


def _date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def graded_year(today: datetime.date) -> int:
    """The year before the demo's own assessments (no round, no grade): grades taken over
    from paper records."""
    return today.year - PAST_YEARS - 1


def _base_of(branch_code: str) -> str:
    return branch_code.rsplit(".", 1)[0]


def _orgs(today: datetime.date) -> list[list]:
    """A new base committee (a school) with two branches, and a new base branch (a residential
    quarter), under the demo ward, established in the last months; the school's branches leave
    the optional sector empty."""
    bases = next(below for (code, _name), below in organizations_demo.UPPER.items() if code == WARD)
    school, quarter = f"{WARD}.{len(bases) + 1:02d}", f"{WARD}.{len(bases) + 2:02d}"
    opened, quarter_opened = (_date(add_months(today.replace(day=1), -n)) for n in (3, 1))
    branch_kind = OrgKind.SUB_BRANCH.label
    return [
        [
            school,
            "Đảng bộ Trường Trung học cơ sở Hòa Bình",
            OrgKind.BASE_COMMITTEE.label,
            WARD,
            opened,
            Sector.DON_VI_SU_NGHIEP.label,
        ],
        [f"{school}.01", "Chi bộ Tổ Khoa học tự nhiên", branch_kind, school, opened, ""],
        [f"{school}.02", "Chi bộ Tổ Khoa học xã hội", branch_kind, school, opened, ""],
        [
            quarter,
            "Chi bộ Khu phố Cầu Mới",
            OrgKind.BASE_BRANCH.label,
            WARD,
            quarter_opened,
            Sector.PHUONG.label,
        ],
    ]


def _members(today: datetime.date) -> list[list]:
    """Two members new to the demo (codes far after its own): an official member and one admitted
    four months ago, still on probation."""
    admitted = add_months(today.replace(day=1), -4)
    return [
        [
            member_code(TARGET * 10 + 1),
            "Nguyễn Văn An",
            Gender.MALE.label,
            "15/04/1985",
            SECRETARY_BRANCH,
            "03/02/2010",
            "03/02/2011",
            "12345678",
            "042085012345",
            "Kinh",
            "Không",
            "Xã Cẩm Bình, tỉnh Hà Tĩnh",
            "Tổ 5, phường Hòa Bình",
            "12/12",
            "Đại học",
            "Trung cấp",
            "",
            "",
        ],
        [
            member_code(TARGET * 10 + 2),
            "Lê Thị Bình",
            Gender.FEMALE.label,
            "20/11/1999",
            SECRETARY_BRANCH,
            _date(admitted),
            "",
            "",
            "004199012346",
            "Tày",
            "Không",
            "Xã Hưng Đạo, tỉnh Cao Bằng",
            "Tổ 12, phường Hòa Bình",
            "12/12",
            "Thạc sĩ",
            "Sơ cấp",
            "",
            "",
        ],
    ]


def _assessments(today: datetime.date) -> list[list]:
    """The demo's long-standing members (members.demo), graded for a year before its own."""
    year = graded_year(today)
    outcomes = [Grade.GOOD.label, SHORT_LABELS[Grade.EXCELLENT], NOT_GRADED_LABEL]
    # A score out of 100 in the years graded by one (QĐ 366-QĐ/TW, from 2025).
    scores = [80, 92, None] if YearRules.of(year).scoring else [None] * 3
    return [
        [member_code(index), year, outcome, score]
        for index, outcome, score in zip(range(1, LONG_STANDING + 1), outcomes, scores, strict=True)
    ]


def _org_assessments(today: datetime.date) -> list[list]:
    """The demo secretary's branch and its base committee, for a year before the demo's own."""
    year = graded_year(today)
    scored = YearRules.of(year).scoring  # a score out of 100 from 2025 (QĐ 366-QĐ/TW)
    return [
        [_base_of(SECRETARY_BRANCH), year, Grade.GOOD.label, 82 if scored else None],
        [SECRETARY_BRANCH, year, SHORT_LABELS[Grade.EXCELLENT], 91 if scored else None],
    ]


def _targets(today: datetime.date) -> list[list]:
    """Quotas of the coming year (the demo has up to this year's) and a base committee's quota
    for the current term (the demo sets terms only above the base organisations)."""
    start = today.year - today.year % TERM_YEARS
    base = _base_of(SECRETARY_BRANCH)
    congress = min(datetime.date(start, 6, 15), today)  # the resolution giving the term's quota
    return [
        [WARD, today.year + 1, None, 18, 20, "", "", ""],
        [base, today.year + 1, None, 5, "", "", "", ""],
        [
            base,
            None,
            f"{start}-{start + TERM_YEARS}",
            22,
            25,
            "01-NQ/ĐH",
            _date(congress),
            "Đại hội Đảng bộ nhiệm kỳ " + f"{start}-{start + TERM_YEARS}",
        ],
    ]


def _transfers(today: datetime.date) -> list[list]:
    """The demo's long-standing members, last month: one moved for good to the demo member's
    base branch, one hosted there for a while, one gone to a party organisation outside."""
    day = _date(add_months(today.replace(day=1), -1))
    return [
        [member_code(1), day, "Chính thức", TRANSFER_BRANCH, "", "12-GGT/ĐU"],
        [member_code(2), day, "Tạm thời", TRANSFER_BRANCH, "", "13-GGT/ĐU"],
        [member_code(3), day, "", "", "Đảng bộ Công ty Cổ phần Sông Đà, tỉnh Hòa Bình", ""],
    ]


def _org_events(today: datetime.date) -> list[list]:
    """Today's decisions of the demo province: the ward's military command branch moves under
    the ward committee, a school is renamed after a merger of schools, and the military
    command's political department is absorbed into its staff department with its branches."""
    day, number, body = _date(today), "125-QĐ/TU", organizations_demo.PROVINCE[0]
    return [
        ["SH.QS.04", "Chuyển", WARD, "", "", day, number, body],
        [
            "SH.TP.04",
            "Đổi tên",
            "",
            "",
            "Chi bộ Trường Tiểu học và Trung học cơ sở Tân Phú",
            day,
            number,
            body,
        ],
        ["SH.QS.02", "Sáp nhập", "", "SH.QS.01", "", day, number, body],
    ]


def _disciplines(today: datetime.date) -> list[list]:
    """Last month: the province's committee reprimands one of the demo's long-standing
    members, and the ward committee warns the demo secretary's branch."""
    day = _date(add_months(today.replace(day=1), -1))
    return [
        [
            "45-QĐ/TU",
            member_code(1),
            "Khiển trách",
            day,
            organizations_demo.PROVINCE[0],
            "Không tham gia sinh hoạt chi bộ ba tháng liền không có lý do",
        ],
        ["46-QĐ/ĐU", SECRETARY_BRANCH, "Cảnh cáo", day, WARD, ""],
    ]


def _inspections(today: datetime.date) -> list[list]:
    """Two months ago: the ward's inspection committee inspects the demo secretary's branch on
    signs of violation and concludes last month; the province's committee supervises one of
    the demo's long-standing members by theme, not yet concluded."""
    day = _date(add_months(today.replace(day=1), -2))
    concluded = _date(add_months(today.replace(day=1), -1))
    return [
        [
            "12-QĐ/UBKT",
            day,
            "Kiểm tra",
            "Khi có dấu hiệu vi phạm",
            WARD,
            "Ủy ban kiểm tra",
            SECRETARY_BRANCH,
            "Việc thu, nộp đảng phí năm trước",
            "Có vi phạm, chưa đến mức kỷ luật",
            concluded,
        ],
        [
            "08-KH/ĐU",
            day,
            "Giám sát",
            "Chuyên đề",
            organizations_demo.PROVINCE[0],
            "Cấp ủy",
            member_code(1),
            "Việc thực hiện cam kết tu dưỡng, rèn luyện năm nay",
            "",
            "",
        ],
    ]


def _programme(today: datetime.date) -> list[list]:
    """The province's action programme of this year (the demo's is the ward's), after the
    seed example (Đồng Tháp 2022): computed targets by label and by slug, one tracked by hand."""
    province = organizations_demo.PROVINCE[0]
    return [
        [province, today.year, "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", ">", 90],
        [province, today.year, "tccsd_tot_tro_len", "≥", 95],
        [province, today.year, "Số đảng viên kết nạp", ">=", 350],
        [
            province,
            today.year,
            "Tỷ lệ tổ chức cơ sở đảng tổ chức quán triệt nghị quyết",
            "=",
            100,
        ],
        [province, today.year, "Số buổi sinh hoạt chuyên đề toàn đảng bộ", "≥", 12],
    ]


def _residence_comments(today: datetime.date) -> list[list]:
    """Two of the demo's working members introduced to their residence branch (residence.demo):
    the one still without last year's comment, on paper, and this year's of another, received
    today through the national public-service portal."""
    from dangvien.core.scope import unscoped
    from dangvien.residence.demo import demo_members

    with unscoped():
        members = demo_members(today)
    codes = [m.code for m in members] if len(members) == 5 else [member_code(1)] * 5
    last = today.year - 1
    return [
        [
            codes[4],
            last,
            "SH.HB.03",
            "Hoàn thành",
            _date(datetime.date(last, 12, 20)),
            "Giấy",
            "",
            "Tham gia họp khu phố chưa đều.",
            _date(datetime.date(last, 12, 22)),
        ],
        [
            codes[0],
            today.year,
            "SH.HB.02",
            "Hoàn thành tốt",
            _date(today),
            "Cổng dịch vụ công",
            "G22.113-000123",
            "Gương mẫu, tích cực tham gia công việc của khu phố.",
            "",
        ],
    ]


def _badges(today: datetime.date) -> list[list]:
    """Two of the demo's long-standing members given the 30-year badge at the last ceremony
    they had reached it by (badges.demo records other members' badges)."""
    from dangvien.badges.demo import example_members
    from dangvien.badges.planning import ceremonies

    due = [(m.code, years, day) for m, years, day in example_members(today)]
    if not due:  # not the demo's database: the shape of a row
        due = [(member_code(1), 30, ceremonies(today.year - 1)[0])]
    rows = []
    for number, (code, milestone, ceremony) in enumerate(due, start=1):
        rows.append(
            [
                code,
                milestone,
                f"{100 + number}-QĐ/TU",
                _date(ceremony - datetime.timedelta(days=20)),
                f"{milestone}-{900000 + number}",
                f"GCN-{900000 + number}",
                _date(ceremony),
                "",
            ]
        )
    return rows


def _committees(today: datetime.date) -> list[list]:
    """The province's committee elected at its congress last autumn (the demo records the
    ward's, the commune's and those below), its first members: a secretary, a deputy, the
    inspection committee's chair, approved by the Politburo."""
    province = organizations_demo.PROVINCE[0]
    congress = datetime.date(today.year - 1, 10, 15)
    term = f"{congress.year}-{congress.year + TERM_YEARS}"
    approved = _date(congress + datetime.timedelta(days=20))
    return [
        [
            province,
            term,
            member_code(1),
            "Cấp ủy",
            "Bí thư",
            _date(congress),
            approved,
            "120-QĐ/TW",
            "",
        ],
        [
            province,
            term,
            member_code(2),
            "Cấp ủy",
            "Phó bí thư",
            _date(congress),
            approved,
            "121-QĐ/TW",
            "",
        ],
        [
            province,
            term,
            member_code(3),
            "Ủy ban kiểm tra",
            "Chủ nhiệm ủy ban kiểm tra",
            _date(congress),
            "",
            "",
            "",
        ],
    ]


def _training(today: datetime.date) -> list[list]:
    """A political theory class of the ward last autumn (its second of the year: the demo has
    the first, training.demo) with two members of the demo secretary's school branch."""
    from dangvien.core.scope import unscoped
    from dangvien.members.models import ACTIVE_STATUSES, Member
    from dangvien.training.demo import SCHOOL_BRANCH

    with unscoped():
        codes = list(
            Member.unscoped.filter(branch__code=SCHOOL_BRANCH, status__in=ACTIVE_STATUSES)
            .order_by("code")
            .values_list("code", flat=True)[5:7]
        )
    codes = codes if len(codes) == 2 else [member_code(1), member_code(2)]
    year = today.year - 1
    course = [
        f"SC-K2-{year}",
        f"Lớp sơ cấp lý luận chính trị khóa II-{year}",
        "Lý luận chính trị sơ cấp",
        _date(datetime.date(year, 11, 3)),
        _date(datetime.date(year, 12, 12)),
    ]
    issued = _date(datetime.date(year, 12, 19))
    return [
        [*course, codes[0], "Khá", f"015/SC-{year}", issued, "SH.HB"],
        [*course, codes[1], "Giỏi", f"016/SC-{year}", issued, "SH.HB"],
    ]


def _awards(today: datetime.date) -> list[list]:
    """Last month: the province's standing committee commends one of the demo's long-standing
    members for five excellent years, and the ward for its admissions work of last year."""
    day = add_months(today.replace(day=1), -1)
    year = day.year - 1
    return [
        [
            member_code(1),
            "",
            "Bằng khen",
            "Cấp tỉnh",
            f"Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền ({year - 4}–{year})",
            f"{year - 4}-{year}",
            "150-QĐ/TU",
            _date(day),
            "Ban Thường vụ Tỉnh ủy Sơn Hà",
            "Năm năm liền hoàn thành xuất sắc nhiệm vụ",
        ],
        [
            "",
            WARD,
            "Giấy khen",
            "Cấp tỉnh",
            "Thành tích xuất sắc trong công tác phát triển đảng viên",
            str(year),
            "151-QĐ/TU",
            _date(day),
            "Ban Thường vụ Tỉnh ủy Sơn Hà",
            "",
        ],
    ]


def _dues_members(today: datetime.date) -> list[str]:
    """Codes of the demo's members with dues (dues.demo): the second (three months unpaid, this
    month not yet), the fourth (a pensioner, this month not yet) and the third and fifth."""
    from dangvien.core.scope import unscoped
    from dangvien.dues.demo import demo_members

    with unscoped():
        members = demo_members()
    return [m.code for m in members[:5]] if len(members) >= 5 else [member_code(1)] * 5


def _dues_payments(today: datetime.date) -> list[list]:
    """This month's dues of two demo members who have not paid it yet: one through the
    national public-service portal, one in cash."""
    codes = _dues_members(today)
    month = f"{today:%m/%Y}"
    return [
        [codes[1], month, 100000, "Cổng dịch vụ công", f"DVC-{today.year}-000451", _date(today)],
        [codes[3], month, 36000, "Tiền mặt", "", _date(today)],
    ]


def _dues_bases(today: datetime.date) -> list[list]:
    """A raise from this month, and a member who became a student this month."""
    codes = _dues_members(today)
    month = f"{today:%m/%Y}"
    return [
        [codes[2], month, "Hưởng lương, đóng BHXH bắt buộc", 12500000],
        [codes[4], month, "Học sinh, sinh viên", ""],
    ]


EXAMPLES: dict[str, Callable[[datetime.date], list[list]]] = {
    "orgs": _orgs,
    "members": _members,
    "assessments": _assessments,
    "org-assessments": _org_assessments,
    "targets": _targets,
    "org-events": _org_events,
    "transfers": _transfers,
    "disciplines": _disciplines,
    "inspections": _inspections,
    "programme": _programme,
    "residence-comments": _residence_comments,
    "badges": _badges,
    "committees": _committees,
    "training": _training,
    "awards": _awards,
    "dues-payments": _dues_payments,
    "dues-bases": _dues_bases,
}


def example_rows(kind: str, today: datetime.date) -> list[list]:
    """The example rows of the template of `kind` (a slug of core.importing.IMPORT_KINDS)."""
    return EXAMPLES[kind](today)


def demo_name() -> str:
    """The demo province the examples belong to, for the instructions sheet."""
    return organizations_demo.PROVINCE[1]
