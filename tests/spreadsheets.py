"""Helpers writing spreadsheets for import tests, the way users produce them."""

import csv
from pathlib import Path

from openpyxl import Workbook

ORG_HEADERS = ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên"]
# Every column of formats.md's `orgs`, in its order: the template's header row.
ORG_CONTRACT_HEADERS = [*ORG_HEADERS, "Ngày thành lập", "Loại hình"]


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def org_tree_rows(uppers: int = 10, bases: int = 9, branches: int = 10) -> list[list]:
    """A valid province: 1 + uppers + uppers*bases + uppers*bases*branches organisations."""
    rows = [["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", ""]]
    for u in range(1, uppers + 1):
        upper = f"T.{u:02d}"
        rows.append([upper, f"Đảng bộ xã Số {u}", "Đảng bộ cấp trên trực tiếp cơ sở", "T"])
        for b in range(1, bases + 1):
            base = f"{upper}.{b:02d}"
            rows.append([base, f"Đảng bộ Trường Số {u}-{b}", "Đảng bộ cơ sở", upper])
            for c in range(1, branches + 1):
                rows.append([f"{base}.{c:02d}", f"Chi bộ Tổ {c}", "Chi bộ trực thuộc", base])
    return rows


MEMBER_HEADERS = [
    "Mã đảng viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Mã chi bộ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Nơi cư trú",
    "Giáo dục phổ thông",
    "Chuyên môn",
    "Lý luận chính trị",
]
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
_MIDDLE = {"Nam": ["Văn", "Hữu", "Đức", "Minh", "Quốc"], "Nữ": ["Thị", "Ngọc", "Thu", "Kim"]}
_GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long"]
# (value, weight); "" is a cell left empty
_ETHNICITIES = [("Kinh", 80), ("Tày", 4), ("Thái", 3), ("Mường", 3), ("Khmer", 3), ("Hoa", 2),
                ("Nùng", 2), ("H'Mông", 1), ("Ê Đê", 1), ("", 1)]  # fmt: skip
_RELIGIONS = [("Không", 80), ("Phật giáo", 8), ("Công giáo", 6), ("Tin Lành", 2),
              ("Cao Đài", 1), ("Hòa Hảo", 1), ("", 2)]  # fmt: skip
_QUALIFICATIONS = [("Sơ cấp", 3), ("Trung cấp", 12), ("Cao đẳng", 10), ("Đại học", 55),
                   ("Thạc sĩ", 12), ("Tiến sĩ", 3), ("", 5)]  # fmt: skip
_THEORY = [("Sơ cấp", 40), ("Trung cấp", 30), ("Cao cấp", 10), ("Cử nhân", 3), ("", 17)]


def member_rows(branch_codes: list[str], count: int, today, seed: int = 2026) -> list[list]:
    """`count` valid member rows (MEMBER_HEADERS), spread over every branch, all dated on or
    before `today`; dates are dd/mm/yyyy text, every fourth row real date cells."""
    import datetime
    import random

    rng = random.Random(seed)

    def pick(weighted):
        return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]

    rows = []
    for n in range(count):
        gender = "Nam" if rng.random() < 0.6 else "Nữ"
        birth = today - datetime.timedelta(days=rng.randint(19 * 366, 90 * 365))
        earliest = birth + datetime.timedelta(days=18 * 366 + 31)  # past the 18th birthday
        latest = min(today, birth + datetime.timedelta(days=45 * 365))
        admitted = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
        # recognised after the 12 months of probation, when that time is over
        official = datetime.date(admitted.year + 1, admitted.month, min(admitted.day, 28))
        official += datetime.timedelta(days=rng.randint(3, 90))
        if official > today or rng.random() < 0.05:
            official = None

        def cell(day, n=n):
            if day is None:
                return ""
            return day if n % 4 == 0 else day.strftime("%d/%m/%Y")

        rows.append(
            [
                f"DV{n + 1:06d}",
                f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[gender])} {rng.choice(_GIVEN)}",
                gender,
                cell(birth),
                branch_codes[n % len(branch_codes)],
                cell(admitted),
                cell(official),
                f"{n + 1:08d}" if n % 2 else "",
                f"0{n + 1:011d}" if n % 3 == 0 else "",
                pick(_ETHNICITIES),
                pick(_RELIGIONS),
                "Hà Tĩnh",
                "Phường Hòa Bình",
                "12/12",
                pick(_QUALIFICATIONS),
                pick(_THEORY),
            ]
        )
    return rows


ASSESSMENT_HEADERS = ["Mã đảng viên", "Năm", "Xếp loại"]
ORG_ASSESSMENT_HEADERS = ["Mã tổ chức", "Năm", "Xếp loại"]


def grade_rows(codes: list[str], year: int, counts: dict[str, int], seed: int = 2026) -> list[list]:
    """One assessments row per member code: exactly `counts[label]` rows of each grade label,
    shuffled over the members (the labels are written as they are given)."""
    import random

    labels = [label for label, count in counts.items() for _ in range(count)]
    assert len(labels) == len(codes), "one grade per member"
    random.Random(seed).shuffle(labels)
    return [[code, year, label] for code, label in zip(codes, labels, strict=True)]
