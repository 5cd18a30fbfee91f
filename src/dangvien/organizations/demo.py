"""Demo data: a fictional province, Đảng bộ tỉnh Sơn Hà, with 5 upper-level committees, 20 base
organisations and about 60 branches. Names and codes are invented."""

import datetime
import random

from dangvien.organizations.models import Organization, OrgKind
from dangvien.organizations.services import insert

PROVINCE = ("SH", "Đảng bộ tỉnh Sơn Hà")

# upper-level committee → base organisations: (name, kind, [sub-branches] or partial committees)
UPPER = {
    ("SH.HB", "Đảng bộ phường Hòa Bình"): [
        (
            "Đảng bộ Trường Trung học phổ thông Hòa Bình",
            ["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Văn phòng"],
        ),
        ("Chi bộ Khu phố Đông Hải", None),
        ("Chi bộ Khu phố Bến Đò", None),
        (
            "Đảng bộ Bệnh viện Đa khoa Sơn Hà",
            {
                "Khối Nội": ["Khoa Nội tổng hợp", "Khoa Nhi"],
                "Khối Ngoại": ["Khoa Ngoại", "Khoa Sản"],
                None: ["Phòng Kế hoạch – Tài chính"],
            },
        ),
    ],
    ("SH.TP", "Đảng bộ xã Tân Phú"): [
        ("Chi bộ Thôn Đồng Tâm", None),
        ("Chi bộ Thôn Ấp Bắc", None),
        (
            "Đảng bộ Hợp tác xã Nông nghiệp Tân Phú",
            ["Đội sản xuất số 1", "Đội sản xuất số 2", "Văn phòng"],
        ),
        ("Chi bộ Trường Tiểu học Tân Phú", None),
    ],
    ("SH.CQD", "Đảng bộ Các cơ quan Đảng tỉnh"): [
        (
            "Đảng bộ Văn phòng Tỉnh ủy",
            [
                "Phòng Tổng hợp",
                "Phòng Hành chính – Lưu trữ",
                "Phòng Quản trị – Tài vụ",
                "Nhà khách Tỉnh ủy",
            ],
        ),
        ("Chi bộ Ban Tổ chức Tỉnh ủy", None),
        ("Chi bộ Ủy ban Kiểm tra Tỉnh ủy", None),
        ("Đảng bộ Báo Sơn Hà", ["Ban Thời sự", "Ban Điện tử", "Ban Trị sự"]),
    ],
    ("SH.UB", "Đảng bộ Ủy ban nhân dân tỉnh"): [
        (
            "Đảng bộ Sở Giáo dục và Đào tạo",
            ["Văn phòng Sở", "Phòng Giáo dục trung học", "Phòng Khảo thí"],
        ),
        ("Đảng bộ Sở Tài chính", ["Văn phòng Sở", "Phòng Ngân sách", "Phòng Tin học"]),
        ("Chi bộ Sở Tư pháp", None),
        ("Đảng bộ Sở Y tế", ["Văn phòng Sở", "Phòng Nghiệp vụ Y", "Trung tâm Kiểm soát bệnh tật"]),
    ],
    ("SH.QS", "Đảng bộ Quân sự tỉnh"): [
        ("Đảng bộ Phòng Tham mưu", ["Ban Tác chiến", "Ban Thông tin", "Ban Quân lực"]),
        ("Đảng bộ Phòng Chính trị", ["Ban Tuyên huấn", "Ban Cán bộ", "Ban Tổ chức"]),
        (
            "Đảng bộ Trung đoàn 812",
            {
                "Tiểu đoàn 1": ["Đại đội 1", "Đại đội 2", "Đại đội 3"],
                "Tiểu đoàn 2": ["Đại đội 5", "Đại đội 6"],
                None: ["Đại đội Trinh sát", "Đại đội Công binh"],
            },
        ),
        ("Chi bộ Ban Chỉ huy Quân sự phường Hòa Bình", None),
    ],
}


def _founded(rng: random.Random) -> datetime.date:
    return datetime.date(rng.randint(1976, 2015), rng.randint(1, 12), rng.randint(1, 28))


def _add(code, name, kind, parent, rng) -> Organization:
    return insert(Organization(code=code, name=name, kind=kind, founded_on=_founded(rng)), parent)


def _add_branches(parent: Organization, names: list[str], rng) -> None:
    for index, name in enumerate(names, start=1):
        _add(f"{parent.code}.{index:02d}", f"Chi bộ {name}", OrgKind.SUB_BRANCH, parent, rng)


def load(rng: random.Random) -> dict[str, Organization]:
    """Create the demo tree; returns the organisations the demo accounts are bound to."""
    province = _add(*PROVINCE, OrgKind.PROVINCE, None, rng)
    for (upper_code, upper_name), bases in UPPER.items():
        upper = _add(upper_code, upper_name, OrgKind.UPPER, province, rng)
        for index, (name, below) in enumerate(bases, start=1):
            code = f"{upper_code}.{index:02d}"
            if below is None:
                _add(code, name, OrgKind.BASE_BRANCH, upper, rng)
                continue
            base = _add(code, name, OrgKind.BASE_COMMITTEE, upper, rng)
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
