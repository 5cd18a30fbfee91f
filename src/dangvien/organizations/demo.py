"""Demo data: a fictional province, Đảng bộ tỉnh Sơn Hà, with 5 upper-level committees, 20 base
organisations and about 60 branches, each with a founding date, and the base organisations and
upper-level committees with the sector of the unit they lead. Names and codes are invented.

Every organisation is founded no earlier than its parent and before the demo's first member was
admitted, so a report on a past date (reports/structure.py, reports/quality.py) finds every
member, placement and grade of the demo in a branch that existed then."""

import datetime
import random

from dangvien.organizations.models import Organization, OrgKind, Sector
from dangvien.organizations.services import insert

PROVINCE = ("SH", "Đảng bộ tỉnh Sơn Hà")

# upper-level committee → base organisations: (name, sector, [sub-branches] or partial
# committees, None for a base branch)
UPPER = {
    ("SH.HB", "Đảng bộ phường Hòa Bình"): [
        (
            "Đảng bộ Trường Trung học phổ thông Hòa Bình",
            Sector.DON_VI_SU_NGHIEP,
            ["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Văn phòng"],
        ),
        ("Chi bộ Khu phố Đông Hải", Sector.PHUONG, None),
        ("Chi bộ Khu phố Bến Đò", Sector.PHUONG, None),
        (
            "Đảng bộ Bệnh viện Đa khoa Sơn Hà",
            Sector.DON_VI_SU_NGHIEP,
            {
                "Khối Nội": ["Khoa Nội tổng hợp", "Khoa Nhi"],
                "Khối Ngoại": ["Khoa Ngoại", "Khoa Sản"],
                None: ["Phòng Kế hoạch – Tài chính"],
            },
        ),
    ],
    ("SH.TP", "Đảng bộ xã Tân Phú"): [
        ("Chi bộ Thôn Đồng Tâm", Sector.XA, None),
        ("Chi bộ Thôn Ấp Bắc", Sector.XA, None),
        (
            "Đảng bộ Hợp tác xã Nông nghiệp Tân Phú",
            Sector.KHAC,
            ["Đội sản xuất số 1", "Đội sản xuất số 2", "Văn phòng"],
        ),
        ("Chi bộ Trường Tiểu học Tân Phú", Sector.DON_VI_SU_NGHIEP, None),
    ],
    ("SH.CQD", "Đảng bộ Các cơ quan Đảng tỉnh"): [
        (
            "Đảng bộ Văn phòng Tỉnh ủy",
            Sector.CO_QUAN_DANG,
            [
                "Phòng Tổng hợp",
                "Phòng Hành chính – Lưu trữ",
                "Phòng Quản trị – Tài vụ",
                "Nhà khách Tỉnh ủy",
            ],
        ),
        ("Chi bộ Ban Tổ chức Tỉnh ủy", Sector.CO_QUAN_DANG, None),
        ("Chi bộ Ủy ban Kiểm tra Tỉnh ủy", Sector.CO_QUAN_DANG, None),
        (
            "Đảng bộ Báo Sơn Hà",
            Sector.DON_VI_SU_NGHIEP,
            ["Ban Thời sự", "Ban Điện tử", "Ban Trị sự"],
        ),
    ],
    ("SH.UB", "Đảng bộ Ủy ban nhân dân tỉnh"): [
        (
            "Đảng bộ Sở Giáo dục và Đào tạo",
            Sector.CO_QUAN_NHA_NUOC,
            ["Văn phòng Sở", "Phòng Giáo dục trung học", "Phòng Khảo thí"],
        ),
        (
            "Đảng bộ Sở Tài chính",
            Sector.CO_QUAN_NHA_NUOC,
            ["Văn phòng Sở", "Phòng Ngân sách", "Phòng Tin học"],
        ),
        ("Chi bộ Sở Tư pháp", Sector.CO_QUAN_NHA_NUOC, None),
        (
            "Đảng bộ Sở Y tế",
            Sector.CO_QUAN_NHA_NUOC,
            ["Văn phòng Sở", "Phòng Nghiệp vụ Y", "Trung tâm Kiểm soát bệnh tật"],
        ),
    ],
    ("SH.QS", "Đảng bộ Quân sự tỉnh"): [
        (
            "Đảng bộ Phòng Tham mưu",
            Sector.QUAN_DOI,
            ["Ban Tác chiến", "Ban Thông tin", "Ban Quân lực"],
        ),
        (
            "Đảng bộ Phòng Chính trị",
            Sector.QUAN_DOI,
            ["Ban Tuyên huấn", "Ban Cán bộ", "Ban Tổ chức"],
        ),
        (
            "Đảng bộ Trung đoàn 812",
            Sector.QUAN_DOI,
            {
                "Tiểu đoàn 1": ["Đại đội 1", "Đại đội 2", "Đại đội 3"],
                "Tiểu đoàn 2": ["Đại đội 5", "Đại đội 6"],
                None: ["Đại đội Trinh sát", "Đại đội Công binh"],
            },
        ),
        ("Chi bộ Ban Chỉ huy Quân sự phường Hòa Bình", Sector.QUAN_DOI, None),
    ],
}


# The units the upper-level committees lead.
UPPER_SECTORS = {
    "SH.HB": Sector.PHUONG,
    "SH.TP": Sector.XA,
    "SH.CQD": Sector.CO_QUAN_DANG,
    "SH.UB": Sector.CO_QUAN_NHA_NUOC,
    "SH.QS": Sector.QUAN_DOI,
}


# The founding of the Party, before which the province cannot be founded.
PARTY_FOUNDED = datetime.date(1930, 2, 3)
# The earliest admission of a demo member (members.demo: born 1948 or later, admitted at 18 years
# and a month at the earliest): every organisation is founded before it.
FIRST_ADMISSION = datetime.date(1966, 2, 1)
# How many founding days `_founded` chooses among (40 × 12 × 28: three draws).
FOUNDING_STEPS = 40 * 12 * 28


def _founded(rng: random.Random, parent: Organization | None) -> datetime.date:
    """A day from the parent's founding (the Party's for the province) to the eve of the first
    admission. Three draws of 40, 12 and 28 values, as the demo has always made, so that the
    draws of the members that follow stay the same."""
    start = parent.founded_on if parent else PARTY_FOUNDED
    step = (rng.randrange(40) * 12 + rng.randrange(12)) * 28 + rng.randrange(28)
    return start + datetime.timedelta(days=step * (FIRST_ADMISSION - start).days // FOUNDING_STEPS)


def _add(code, name, kind, parent, rng, sector: str = "") -> Organization:
    founded_on = _founded(rng, parent)
    org = Organization(code=code, name=name, kind=kind, sector=sector, founded_on=founded_on)
    return insert(org, parent)


def _add_branches(parent: Organization, names: list[str], rng) -> None:
    for index, name in enumerate(names, start=1):
        _add(f"{parent.code}.{index:02d}", f"Chi bộ {name}", OrgKind.SUB_BRANCH, parent, rng)


def load(rng: random.Random) -> dict[str, Organization]:
    """Create the demo tree; returns the organisations the demo accounts are bound to."""
    province = _add(*PROVINCE, OrgKind.PROVINCE, None, rng)
    for (upper_code, upper_name), bases in UPPER.items():
        upper = _add(
            upper_code, upper_name, OrgKind.UPPER, province, rng, UPPER_SECTORS[upper_code]
        )
        for index, (name, sector, below) in enumerate(bases, start=1):
            code = f"{upper_code}.{index:02d}"
            if below is None:
                _add(code, name, OrgKind.BASE_BRANCH, upper, rng, sector)
                continue
            base = _add(code, name, OrgKind.BASE_COMMITTEE, upper, rng, sector)
            if isinstance(below, list):
                _add_branches(base, below, rng)
                continue
            partial_index = 50
            for partial_name, branches in below.items():
                if partial_name is None:
                    _add_branches(base, branches, rng)
                    continue
                partial_index += 1
                partial = _add(
                    f"{code}.{partial_index}",
                    f"Đảng bộ bộ phận {partial_name}",
                    OrgKind.PARTIAL_COMMITTEE,
                    base,
                    rng,
                )
                _add_branches(partial, branches, rng)
    by_code = {org.code: org for org in Organization.unscoped.all()}
    return {
        "province": province,
        "ward": by_code["SH.HB"],
        "commune": by_code["SH.TP"],
        "branch": by_code["SH.HB.01.01"],
        "base_branch": by_code["SH.HB.02"],
    }
