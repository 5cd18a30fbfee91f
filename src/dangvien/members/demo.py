"""Demo members: about 2,000 plausible, invented people spread over the demo branches."""

import datetime
import random

from dangvien.accounts.demo import MEMBER_ACCOUNT_NAME
from dangvien.core.rules import add_months
from dangvien.core.scope import unscoped
from dangvien.members.importing import _write_history
from dangvien.members.models import (
    QUALIFICATIONS,
    THEORY_LEVELS,
    Gender,
    Member,
    Placement,
    Status,
)
from dangvien.organizations.models import BRANCH_KINDS, Organization

FAMILY = (
    ["Nguyễn"] * 38
    + ["Trần"] * 11
    + ["Lê"] * 10
    + ["Phạm"] * 7
    + ["Hoàng"] * 4
    + [
        "Huỳnh",
        "Phan",
        "Phan",
        "Vũ",
        "Vũ",
        "Võ",
        "Võ",
        "Đặng",
        "Đặng",
        "Bùi",
        "Bùi",
        "Đỗ",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Trịnh",
        "Mai",
        "Đào",
        "Lương",
        "Tạ",
        "Cao",
        "Hà",
    ]
)
MIDDLE_MALE = [
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Thanh",
    "Công",
    "Xuân",
    "Ngọc",
    "Anh",
    "Tiến",
    "Quang",
    "Trọng",
    "Mạnh",
    "Hoàng",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Ngọc",
    "Thanh",
    "Hồng",
    "Minh",
    "Phương",
    "Kim",
    "Bích",
    "Thùy",
    "Mai",
    "Khánh",
]
GIVEN_MALE = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Lâm",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tú",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
]
GIVEN_FEMALE = [
    "An",
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thủy",
    "Trang",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Yến",
]
ETHNICITIES = (
    ["Kinh"] * 86 + ["Tày"] * 4 + ["Mường"] * 3 + ["Thái"] * 3 + ["Nùng", "Khmer", "Hoa", "H'Mông"]
)
RELIGIONS = ["Không"] * 92 + ["Phật giáo"] * 5 + ["Công giáo"] * 3
PROVINCES = [
    "Hà Tĩnh",
    "Nghệ An",
    "Thanh Hóa",
    "Nam Định",
    "Thái Bình",
    "Hải Dương",
    "Quảng Ninh",
    "Hà Nội",
    "Quảng Nam",
    "Bình Định",
    "Cao Bằng",
    "Lạng Sơn",
]
TARGET = 2000
# The first members are long-standing: admitted before 2000 and still active, so the grades
# template (site.import_examples) grades them for a year before the demo's own assessments.
LONG_STANDING = 3
LONG_STANDING_ADMITTED_BY = datetime.date(1999, 12, 31)


def member_code(index: int) -> str:
    """The demo's member codes: SH000001, SH000002, …"""
    return f"SH{index:06d}"


def _person(rng: random.Random, index: int, branch: Organization, today: datetime.date):
    gender = Gender.MALE if rng.random() < 0.56 else Gender.FEMALE
    male = gender == Gender.MALE
    name = " ".join(
        [
            rng.choice(FAMILY),
            rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE),
            rng.choice(GIVEN_MALE if male else GIVEN_FEMALE),
        ]
    )
    long_standing = index <= LONG_STANDING
    born = (1955, 1975) if long_standing else (1948, 2005)
    birth = datetime.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
    earliest = add_months(birth, 12 * 18 + 1)
    latest = min(add_months(birth, 12 * 45), today - datetime.timedelta(days=30))
    if long_standing:
        latest = min(latest, LONG_STANDING_ADMITTED_BY)
    if earliest > latest:
        earliest = latest = today - datetime.timedelta(days=30)
    admitted = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
    official_due = add_months(admitted, 12)
    official = official_due if official_due <= today else None
    degree = rng.choices(QUALIFICATIONS, weights=[3, 10, 8, 55, 20, 4])[0]
    theory = rng.choices(["", *THEORY_LEVELS], weights=[25, 45, 22, 6, 2])[0]
    member = Member(
        code=member_code(index),
        full_name=name,
        gender=gender,
        birth_date=birth,
        birthplace=rng.choice(PROVINCES),
        place_of_origin=rng.choice(PROVINCES),
        ethnicity=rng.choice(ETHNICITIES),
        religion=rng.choice(RELIGIONS),
        citizen_id=f"0{rng.randint(1, 96):02d}{int(male) if birth.year < 2000 else 2 + int(male)}"
        f"{birth.year % 100:02d}{index:06d}",
        admitted_on=admitted,
        official_on=official,
        card_number=f"{rng.randint(10, 99)}{index:06d}" if official else None,
        card_issued_on=add_months(official, 3)
        if official and add_months(official, 3) <= today
        else None,
        branch_id=branch.pk,
        branch_path=branch.path,
        status=Status.OFFICIAL if official else Status.PROBATIONARY,
        general_education="12/12",
        qualification=degree,
        political_theory=theory,
        residence=f"Tổ {rng.randint(1, 30)}, {rng.choice(['phường Hòa Bình', 'xã Tân Phú'])}",
        workplace=branch.name.replace("Chi bộ ", ""),
        occupation=rng.choice(
            [
                "Công chức",
                "Viên chức",
                "Giáo viên",
                "Bác sĩ",
                "Sĩ quan",
                "Công nhân",
                "Nông dân",
                "Hưu trí",
                "Kỹ sư",
            ]
        ),
    )
    if not long_standing and rng.random() < 0.03:
        member.status, member.left_on = (
            rng.choice([(Status.DECEASED, None), (Status.RESIGNED, None), (Status.REMOVED, None)])[
                0
            ],
            max(admitted, today - datetime.timedelta(days=rng.randint(30, 2000))),
        )
    elif official and birth.year < 1950 and rng.random() < 0.5:
        member.exempt_since = max(official, today - datetime.timedelta(days=rng.randint(30, 900)))
    member.refresh_keys()
    return member


def load(rng: random.Random, today: datetime.date) -> dict[str, Member]:
    """Create the demo members; returns the record the demo member account is linked to."""
    with unscoped():
        branches = list(Organization.objects.filter(kind__in=BRANCH_KINDS).order_by("code"))
    weights = [rng.randint(8, 90) for _ in branches]
    scale = TARGET / sum(weights)
    members, index = [], 0
    for branch, weight in zip(branches, weights, strict=True):
        for _ in range(max(3, round(weight * scale))):
            index += 1
            members.append(_person(rng, index, branch, today))
    own_branch = next(branch for branch in branches if branch.code == "SH.HB.02")
    own_record = next(  # the demo member account's record: an official member, a woman's name
        m
        for m in members
        if m.branch_id == own_branch.pk
        and m.status == Status.OFFICIAL
        and m.gender == Gender.FEMALE
    )
    own_record.full_name = MEMBER_ACCOUNT_NAME
    own_record.refresh_keys()
    Member.unscoped.bulk_create(members, batch_size=1000)
    if any(member.pk is None for member in members):
        ids = dict(Member.unscoped.values_list("code", "pk"))
        for member in members:
            member.pk = ids[member.code]
    history = ("pk", "code", "full_name", "branch_id", "branch_path", "admitted_on", "official_on")
    rows = [{name: getattr(member, name) for name in history} for member in members]
    _write_history(rows, None, "Dữ liệu mẫu")
    for member in members:
        if member.left_on:
            Placement.objects.filter(member_id=member.pk).update(end=member.left_on)
    return {"own_record": own_record}
