"""Deterministic benchmark data: an organisation tree and N members with plausible names.

    generate.py files --members 7251 --format xlsx     # bench/out/orgs-7251.xlsx, members-7251.xlsx
    generate.py postgres --members 300000              # the 300k data set, loaded with COPY
    generate.py postgres --members 6000000 --provinces 34   # the whole Party, 34 provinces

The tree is one province, upper-level committees (about one per 8,000 members), base
organisations of the usual kinds (communes with hamlet branches, towns, schools, agencies,
enterprises, hospitals and corporations with partial committees) and branches, about one per 30
members, generated until that many branches exist. Members are spread over the branches (8 to 52
each), with names from the demo's lists, dates that satisfy the admission rules, about 4.5%
probationary, 3% left (only in the database set: a file cannot import them) and the elderly
exempted. The same seed gives the same data; dates are relative to REFERENCE_DAY, not today.

The PostgreSQL set goes into a database of its own (default
postgres://postgres@127.0.0.1:5432/dangvien_bench, or DANGVIEN_BENCH_DATABASE_URL): dropped,
created, migrated with `dangvien migrate`, then filled with COPY (psycopg 3 `cursor.copy`), with
every derived column computed the way the application computes it (path, depth, sort keys,
diacritic-free names, branch_path), then each member's placement and the grades of the five
years before REFERENCE_DAY for members and organisations (the quality report's data).
"""

import argparse
import csv
import datetime
import io
import random
import re
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import benchlib

REFERENCE_DAY = datetime.date(2026, 6, 30)
# About 250,000 branches and 60,000 base organisations for the whole Party's 6 million members.
MEMBERS_PER_BRANCH = 24
MEMBERS_PER_UPPER = 8000
DEFAULT_SEED = 20240203
PROVINCE_CODE, PROVINCE_NAME = "BG", "Đảng bộ tỉnh Bến Giang"  # the one-province data set
PASSWORD = "bench-password-1"
PARTY_FOUNDED = datetime.date(1930, 2, 3)  # no organisation is founded before
# The earliest admission (`person`: born in 1940 or later, admitted at 18 years and a month at the
# earliest): every organisation is founded before it, and after its parent.
FIRST_ADMISSION = datetime.date(1958, 2, 1)
FOUNDING_STEPS = 61 * 12 * 28  # how many founding days `Tree.founded` chooses among

# The 34 provincial-level party committees after the 2025 merger: (code, name, weight). The
# weights only shape the synthetic data set (bigger cities hold more members).
PROVINCES_34 = [
    ("HN", "Đảng bộ thành phố Hà Nội", 40),
    ("HCM", "Đảng bộ Thành phố Hồ Chí Minh", 36),
    ("HP", "Đảng bộ thành phố Hải Phòng", 18),
    ("DN", "Đảng bộ thành phố Đà Nẵng", 12),
    ("CT", "Đảng bộ thành phố Cần Thơ", 12),
    ("HUE", "Đảng bộ thành phố Huế", 6),
    ("TH", "Đảng bộ tỉnh Thanh Hóa", 20),
    ("NA", "Đảng bộ tỉnh Nghệ An", 20),
    ("HT", "Đảng bộ tỉnh Hà Tĩnh", 9),
    ("QTR", "Đảng bộ tỉnh Quảng Trị", 9),
    ("QNG", "Đảng bộ tỉnh Quảng Ngãi", 9),
    ("GL", "Đảng bộ tỉnh Gia Lai", 10),
    ("KH", "Đảng bộ tỉnh Khánh Hòa", 8),
    ("LD", "Đảng bộ tỉnh Lâm Đồng", 10),
    ("DL", "Đảng bộ tỉnh Đắk Lắk", 9),
    ("DNA", "Đảng bộ tỉnh Đồng Nai", 11),
    ("TN", "Đảng bộ tỉnh Tây Ninh", 8),
    ("VL", "Đảng bộ tỉnh Vĩnh Long", 9),
    ("DT", "Đảng bộ tỉnh Đồng Tháp", 8),
    ("CM", "Đảng bộ tỉnh Cà Mau", 6),
    ("AG", "Đảng bộ tỉnh An Giang", 9),
    ("QN", "Đảng bộ tỉnh Quảng Ninh", 7),
    ("LS", "Đảng bộ tỉnh Lạng Sơn", 5),
    ("CB", "Đảng bộ tỉnh Cao Bằng", 4),
    ("TQ", "Đảng bộ tỉnh Tuyên Quang", 7),
    ("LC", "Đảng bộ tỉnh Lào Cai", 7),
    ("TNG", "Đảng bộ tỉnh Thái Nguyên", 8),
    ("PT", "Đảng bộ tỉnh Phú Thọ", 14),
    ("BN", "Đảng bộ tỉnh Bắc Ninh", 12),
    ("HY", "Đảng bộ tỉnh Hưng Yên", 12),
    ("NB", "Đảng bộ tỉnh Ninh Bình", 13),
    ("SL", "Đảng bộ tỉnh Sơn La", 5),
    ("DB", "Đảng bộ tỉnh Điện Biên", 3),
    ("LCH", "Đảng bộ tỉnh Lai Châu", 2),
]

PLACE_WORDS = [
    "An",
    "Bình",
    "Phú",
    "Hòa",
    "Tân",
    "Long",
    "Mỹ",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Xuân",
    "Thuận",
    "Phước",
    "Hưng",
    "Quảng",
    "Cẩm",
    "Đại",
    "Vĩnh",
    "Gia",
    "Lạc",
    "Sơn",
    "Thủy",
    "Trung",
    "Hải",
    "Kim",
    "Định",
    "Hiệp",
    "Thành",
    "Yên",
    "Lộc",
    "Thạnh",
    "Khánh",
    "Phong",
    "Hương",
    "Đức",
    "Tiến",
    "Minh",
]
SCHOOLS = ["Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông"]
AGENCIES = [
    "Phòng Tài chính – Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tư pháp",
    "Phòng Tài nguyên và Môi trường",
    "Chi cục Thuế khu vực",
    "Kho bạc Nhà nước",
    "Trung tâm Y tế",
    "Ban Quản lý dự án",
    "Viện Kiểm sát nhân dân",
    "Tòa án nhân dân",
]
DEPARTMENTS = ["Ủy ban nhân dân", "Huyện ủy", "Công an", "Ban Chỉ huy Quân sự"]
# The sector of the units above that are not state agencies (co_quan_nha_nuoc).
UNIT_SECTORS = {
    "Trung tâm Y tế": "don_vi_su_nghiep",
    "Ban Quản lý dự án": "don_vi_su_nghiep",
    "Huyện ủy": "co_quan_dang",
    "Công an": "cong_an",
    "Ban Chỉ huy Quân sự": "quan_doi",
}
WARDS = ["Khối Nội", "Khối Ngoại", "Khối Cận lâm sàng", "Khối Hành chính"]
OCCUPATIONS = [
    "Công chức",
    "Viên chức",
    "Giáo viên",
    "Bác sĩ",
    "Công nhân",
    "Nông dân",
    "Hưu trí",
    "Kỹ sư",
    "Kinh doanh",
    "Sĩ quan",
]
LEFT = [("deceased", 45), ("removed", 30), ("resigned", 20), ("expelled", 5)]
EDUCATION = ["12/12"] * 8 + ["9/12", "10/10"]
LANGUAGES = ["", "", "Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Anh A2", "Tiếng Pháp B1"]
IT_SKILLS = ["", "Cơ bản", "Cơ bản", "Ứng dụng CNTT nâng cao"]
STATE_POSITIONS = ["Trưởng thôn", "Phó Chủ tịch UBND xã", "Trưởng phòng", "Phó Giám đốc"]
MASS_POSITIONS = ["Bí thư Chi đoàn", "Chủ tịch Hội Cựu chiến binh", "Chủ tịch Công đoàn"]


@dataclass
class Org:
    id: int
    code: str
    name: str
    kind: str
    parent: "Org | None"
    path: str
    depth: int
    founded_on: datetime.date
    sector: str = ""  # the unit a base organisation leads (organizations.models.Sector)

    @property
    def parent_code(self) -> str:
        return self.parent.code if self.parent else ""


class Tree:
    """Organisations in insertion order (parents first), with ids and paths already assigned."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.orgs: list[Org] = []
        self.branches: list[Org] = []
        # (province, its members, its branches)
        self.provinces: list[tuple[Org, int, list[Org]]] = []

    def add(self, code: str, name: str, kind: str, parent: Org | None, sector: str = "") -> Org:
        org_id = len(self.orgs) + 1
        org = Org(
            id=org_id,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            path=f"{parent.path if parent else '/'}{org_id}/",
            depth=parent.depth + 1 if parent else 0,
            founded_on=self.founded(parent),
            sector=sector,
        )
        self.orgs.append(org)
        if kind in ("chi_bo_co_so", "chi_bo_truc_thuoc"):
            self.branches.append(org)
        return org

    def founded(self, parent: Org | None) -> datetime.date:
        """A day from the parent's founding (the Party's for a province) to the eve of the
        first admission, so that no member, placement or grade predates its branch. Three draws
        of 61, 12 and 28 values, as the generator has always made: the same seed, the same tree."""
        start = parent.founded_on if parent else PARTY_FOUNDED
        step = (self.rng.randrange(61) * 12 + self.rng.randrange(12)) * 28 + self.rng.randrange(28)
        days = (FIRST_ADMISSION - start).days
        return start + datetime.timedelta(days=step * days // FOUNDING_STEPS)

    def place(self) -> str:
        first, second = self.rng.sample(PLACE_WORDS, 2)
        return f"{first} {second}"


def _sub_branches(tree: Tree, parent: Org, count: int, pattern: str) -> None:
    for number in range(1, count + 1):
        name = pattern.format(n=number, place=tree.place())
        tree.add(f"{parent.code}.{number:02d}", name, "chi_bo_truc_thuoc", parent)


def _base(tree: Tree, upper: Org, number: int) -> None:
    """One base organisation of a kind drawn with realistic weights, with the sector of the unit
    it leads (no extra draw: the same seed gives the same tree), and its branches."""
    rng, code = tree.rng, f"{upper.code}.{number:03d}"
    place = tree.place()
    roll = rng.randrange(100)
    if roll < 28:
        org = tree.add(code, f"Đảng bộ xã {place}", "dang_bo_co_so", upper, "xa")
        _sub_branches(tree, org, rng.randint(4, 12), "Chi bộ Thôn {place}")
    elif roll < 32:
        org = tree.add(code, f"Đảng bộ thị trấn {place}", "dang_bo_co_so", upper, "phuong")
        _sub_branches(tree, org, rng.randint(4, 10), "Chi bộ Tổ dân phố số {n}")
    elif roll < 40:
        name = f"Đảng bộ Công ty Cổ phần {place}"
        org = tree.add(code, name, "dang_bo_co_so", upper, "doanh_nghiep_tu_nhan")
        _sub_branches(tree, org, rng.randint(3, 8), "Chi bộ Phân xưởng {n}")
    elif roll < 45:
        hospital = roll < 43
        name = f"Đảng bộ Bệnh viện Đa khoa {place}" if hospital else f"Đảng bộ Tổng công ty {place}"
        sector = "don_vi_su_nghiep" if hospital else "doanh_nghiep_nha_nuoc"
        org = tree.add(code, name, "dang_bo_co_so", upper, sector)
        for part in range(1, rng.randint(2, 4) + 1):
            part_name = WARDS[part - 1] if hospital else f"Xí nghiệp số {part}"
            partial = tree.add(
                f"{code}.B{part}", f"Đảng bộ bộ phận {part_name}", "dang_bo_bo_phan", org
            )
            pattern = "Chi bộ Khoa số {n}" if hospital else "Chi bộ Đội sản xuất số {n}"
            _sub_branches(tree, partial, rng.randint(2, 5), pattern)
    elif roll < 72:
        school = rng.choice(SCHOOLS)
        name = f"Chi bộ Trường {school} {place}"
        tree.add(code, name, "chi_bo_co_so", upper, "don_vi_su_nghiep")
    elif roll < 92:
        agency = rng.choice(AGENCIES)
        sector = UNIT_SECTORS.get(agency, "co_quan_nha_nuoc")
        tree.add(code, f"Chi bộ {agency} {place}", "chi_bo_co_so", upper, sector)
    else:
        department = rng.choice(DEPARTMENTS)
        sector = UNIT_SECTORS.get(department, "co_quan_nha_nuoc")
        org = tree.add(code, f"Đảng bộ Cơ quan {department}", "dang_bo_co_so", upper, sector)
        _sub_branches(tree, org, rng.randint(3, 6), "Chi bộ Phòng số {n}")


def build_tree(members: int, seed: int, provinces: int = 1) -> Tree:
    """Provinces (BG alone, or the first `provinces` of PROVINCES_34), each with its upper
    committees, base organisations and branches, about MEMBERS_PER_BRANCH members a branch."""
    tree = Tree(random.Random(seed))
    if provinces == 1:
        chosen = [(PROVINCE_CODE, PROVINCE_NAME, 1)]
    elif 1 < provinces <= len(PROVINCES_34):
        chosen = PROVINCES_34[:provinces]
    else:
        raise SystemExit(f"--provinces: 1 to {len(PROVINCES_34)}")
    shares = split(members, [weight for _, _, weight in chosen])
    for (code, name, _), share in zip(chosen, shares, strict=True):
        _province(tree, code, name, share)
    return tree


def _province(tree: Tree, code: str, name: str, members: int) -> None:
    """One province with its upper committees and base organisations, for `members` members."""
    rng = tree.rng
    province = tree.add(code, name, "dang_bo_tinh", None)
    first_branch = len(tree.branches)
    upper_count = max(1, round(members / MEMBERS_PER_UPPER))
    special = ["Đảng bộ Khối Cơ quan và Doanh nghiệp", "Đảng bộ Quân sự"]
    uppers = []
    for number in range(1, upper_count + 1):
        if upper_count > 4 and number <= len(special):
            upper_name = special[number - 1]
        else:
            kind = "thành phố" if number == 3 else "thị xã" if number % 7 == 0 else "huyện"
            upper_name = f"Đảng bộ {kind} {tree.place()}"
        uppers.append(
            tree.add(f"{code}.{number:02d}", upper_name, "dang_bo_cap_tren_co_so", province)
        )
    weights = [rng.randint(5, 20) for _ in uppers]
    wanted = max(1, round(members / MEMBERS_PER_BRANCH))
    numbers = dict.fromkeys(range(len(uppers)), 0)
    while len(tree.branches) - first_branch < wanted:
        which = rng.choices(range(len(uppers)), weights=weights)[0]
        numbers[which] += 1
        _base(tree, uppers[which], numbers[which])
    tree.provinces.append((province, members, tree.branches[first_branch:]))


def split(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, rounded so that the parts add up exactly."""
    scale = total / sum(weights)
    parts, running, placed = [], 0, 0
    for weight in weights:
        running += weight
        upto = round(running * scale)
        parts.append(upto - placed)
        placed = upto
    return parts


def allocate(branches: list[Org], members: int, rng: random.Random) -> list[int]:
    """Members per branch: weights 8..40 scaled to exactly `members` in total."""
    return split(members, [rng.randint(8, 40) for _ in branches])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from dangvien.core.rules import add_months

    return add_months(day, months)


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def person(
    rng: random.Random,
    index: int,
    branch: Org,
    seat: int,
    allow_left: bool,
    home: tuple[str, int, int],
) -> dict:
    """One member's record as model field values (seat: position in the branch, 0 = secretary;
    home: the province's code, its number and the member's number within it)."""
    from dangvien.members import demo

    today = REFERENCE_DAY
    male = rng.random() < 0.56
    name = " ".join(
        (
            rng.choice(demo.FAMILY),
            rng.choice(demo.MIDDLE_MALE if male else demo.MIDDLE_FEMALE),
            rng.choice(demo.GIVEN_MALE if male else demo.GIVEN_FEMALE),
        )
    )
    if rng.random() < 0.045:  # admitted within the last year: still probationary
        admitted = today - datetime.timedelta(days=rng.randint(20, 360))
        birth = _day_between(
            rng, _add_months(admitted, -12 * 40), _add_months(admitted, -12 * 18 - 1)
        )
        official = None
    else:
        birth = _day_between(rng, datetime.date(1940, 1, 1), _add_months(today, -12 * 19 - 2))
        latest = min(_add_months(birth, 12 * 45), _add_months(today, -13))
        admitted = _day_between(rng, _add_months(birth, 12 * 18 + 1), latest)
        official = min(_add_months(admitted, 12 + rng.choice([0, 0, 0, 1, 2])), today)
    values = {
        "code": f"{home[0]}{index:07d}",
        "full_name": name,
        "gender": "Nam" if male else "Nữ",
        "birth_date": birth,
        "birthplace": rng.choice(demo.PROVINCES),
        "place_of_origin": rng.choice(demo.PROVINCES),
        "ethnicity": rng.choice(demo.ETHNICITIES),
        "religion": rng.choice(demo.RELIGIONS),
        "citizen_id": f"{home[1]:03d}{(0 if birth.year < 2000 else 2) + (not male)}"
        f"{birth.year % 100:02d}{home[2]:06d}",
        "phone": f"09{rng.randint(0, 99_999_999):08d}",
        "admitted_on": admitted,
        "official_on": official,
        "card_number": f"{rng.randint(10, 99)}{index:06d}" if official else None,
        "card_issued_on": None,
        "status": "official" if official else "probationary",
        "left_on": None,
        "exempt_since": None,
        "occupation": rng.choice(OCCUPATIONS),
        "workplace": branch.name.removeprefix("Chi bộ "),
        "residence": f"Tổ {rng.randint(1, 30)}, "
        f"xã {rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}",
        "general_education": rng.choice(EDUCATION),
        "qualification": rng.choices(demo.QUALIFICATIONS, weights=[3, 10, 8, 55, 20, 4])[0],
        "political_theory": rng.choices(["", *demo.THEORY_LEVELS], weights=[25, 45, 22, 6, 2])[0],
        "foreign_language": rng.choice(LANGUAGES),
        "it_skill": rng.choice(IT_SKILLS),
        "party_position": ["Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên", "Chi ủy viên"][seat]
        if seat < 4
        else "",
        "state_position": rng.choice(STATE_POSITIONS) if rng.random() < 0.05 else "",
        "mass_org_position": rng.choice(MASS_POSITIONS) if rng.random() < 0.08 else "",
        "record_number": f"{index:08d}",
    }
    if official:
        issued = _add_months(official, rng.randint(2, 8))
        values["card_issued_on"] = issued if issued <= today else None
    if allow_left and rng.random() < 0.03:
        status = rng.choices([s for s, _ in LEFT], weights=[w for _, w in LEFT])[0]
        values["status"] = status
        values["left_on"] = _day_between(rng, official or admitted, today)
    elif official and birth <= _add_months(today, -12 * 75) and rng.random() < 0.6:
        values["exempt_since"] = max(official, _add_months(birth, 12 * 75))
    return values


def people(tree: Tree, members: int, seed: int, allow_left: bool) -> Iterator[tuple[Org, dict]]:
    rng = random.Random(seed + 1)
    index = 0
    for number, (province, share, branches) in enumerate(tree.provinces, start=1):
        local = 0
        for branch, count in zip(branches, allocate(branches, share, rng), strict=True):
            for seat in range(count):
                index += 1
                local += 1
                home = (province.code, number, local)
                yield branch, person(rng, index, branch, seat, allow_left, home)


# ---------------------------------------------------------------------------- files for import

ORG_HEADERS = ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên", "Loại hình"]
MEMBER_FIELDS = [
    ("Mã đảng viên", "code"),
    ("Họ và tên", "full_name"),
    ("Giới tính", "gender"),
    ("Ngày sinh", "birth_date"),
    ("Mã chi bộ", None),
    ("Ngày vào Đảng", "admitted_on"),
    ("Ngày chính thức", "official_on"),
    ("Số thẻ đảng viên", "card_number"),
    ("Số CCCD", "citizen_id"),
    ("Dân tộc", "ethnicity"),
    ("Tôn giáo", "religion"),
    ("Quê quán", "place_of_origin"),
    ("Nơi cư trú", "residence"),
    ("Giáo dục phổ thông", "general_education"),
    ("Chuyên môn", "qualification"),
    ("Lý luận chính trị", "political_theory"),
]


def _write(path, headers: list[str], rows: Iterator[list]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(
                    [v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for v in row]
                )
        return
    from openpyxl import Workbook

    # Like a workbook saved by a spreadsheet program: the sheet's dimension recorded (a normal,
    # not write-only, workbook; it spares the reader a second pass over the sheet), text in
    # shared strings, dates as real date cells shown as dd/mm/yyyy.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_with_shared_strings(buffer.getvalue()))


_INLINE_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>',
    re.DOTALL,
)
_SHARED_STRINGS_TYPE = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_SHARED_STRINGS_REL = (
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def _with_shared_strings(content: bytes) -> bytes:
    """The workbook with its text in a shared-strings table, as Excel and LibreOffice save it.

    openpyxl writes every text cell inline, which readers parse about 1.5 times slower than
    the shared strings of a workbook saved by a spreadsheet program."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        number = strings.setdefault(match.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2) or b"", number)

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = _INLINE_CELL.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>'
                    % _SHARED_STRINGS_TYPE,
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="%s" Target="sharedStrings.xml"/>'
                    b"</Relationships>" % _SHARED_STRINGS_REL,
                )
            target.writestr(item, data)
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), items),
        )
    return out.getvalue()


def write_files(members: int, fmt: str, seed: int = DEFAULT_SEED):
    """bench/out/orgs-N.<fmt> and members-N.<fmt> in the formats.md layout."""
    from dangvien.organizations.models import OrgKind, Sector

    benchlib.OUT.mkdir(parents=True, exist_ok=True)
    tree = build_tree(members, seed)
    orgs_path = benchlib.OUT / f"orgs-{members}.{fmt}"
    members_path = benchlib.OUT / f"members-{members}.{fmt}"
    _write(
        orgs_path,
        ORG_HEADERS,
        (
            [
                o.code,
                o.name,
                OrgKind(o.kind).label,
                o.parent_code,
                Sector(o.sector).label if o.sector else "",
            ]
            for o in tree.orgs
        ),
    )
    _write(
        members_path,
        [header for header, _ in MEMBER_FIELDS],
        (
            [branch.code if key is None else (values[key] or "") for _, key in MEMBER_FIELDS]
            for branch, values in people(tree, members, seed, allow_left=False)
        ),
    )
    return orgs_path, members_path


# -------------------------------------------------------------------------- PostgreSQL with COPY


def _recreate_database(url: str) -> None:
    import psycopg

    name = benchlib.db_name(benchlib.check_bench_url(url))
    with psycopg.connect(benchlib.maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _copy(cursor, model, rows: Iterator[dict]) -> int:
    """COPY rows (dicts by attname) into the model's table; unset columns get field defaults."""
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
            )
            count += 1
    return count


def dataset_marker(url: str) -> dict | None:
    """What the benchmark database holds ({"members": N, "seed": S, "provinces": P}), or None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT members, seed, provinces FROM bench_dataset "
                "ORDER BY created_at DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return None
    return {"members": row[0], "seed": row[1], "provinces": row[2]} if row else None


# Tables filled in bulk: their foreign keys, unique constraints and plain indexes are dropped
# while they load and built again afterwards, which is several times faster than maintaining
# them row by row (primary keys and check constraints stay).
BULK_TABLES = (
    "organizations_organization",
    "organizations_orgstate",
    "members_member",
    "members_placement",
    "assessments_memberassessment",
    "assessments_orgassessment",
)


def _drop_secondary(cursor) -> list[str]:
    """Drop BULK_TABLES' foreign keys, unique constraints and plain indexes; return the
    statements that build them again (indexes, then unique constraints, then foreign keys)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') "
        "ORDER BY contype, conname",
        [list(BULK_TABLES)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid) ORDER BY 1",
        [list(BULK_TABLES)],
    )
    indexes = cursor.fetchall()
    for table, name, _kind, _definition in constraints:  # foreign keys first
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    restore = [definition for _name, definition in indexes]
    for kind in ("u", "f"):
        restore += [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, contype, definition in constraints
            if contype == kind
        ]
    return restore


def _restore_secondary(url: str, statements: list[str]) -> None:
    """Run the index statements on two connections at once (a GIN index builds on one core),
    then the constraints, which need the indexes, in order."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    def run(batch: list[str]) -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("SET maintenance_work_mem = '1GB'")
            for statement in batch:
                connection.execute(statement)

    indexes = [s for s in statements if s.startswith("CREATE")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, [indexes[0::2], indexes[1::2]]))
    run([s for s in statements if not s.startswith("CREATE")])


def _insert_select(cursor, model, values: dict[str, str], source: str, params=()) -> int:
    """INSERT INTO the model's table SELECT `values` (attname → SQL expression over `source`,
    the FROM clause, whose placeholders `params` fill; the expressions take none) with every
    other column but the id set to its field's default."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns, expressions, defaults = [], [], []
    for field in fields:
        columns.append(f'"{field.column}"')
        if field.attname in values:
            expressions.append(values[field.attname])
        else:
            expressions.append(f"%s::{field.db_type(connection)}")
            defaults.append(field.get_db_prep_value(field.get_default(), connection))
    cursor.execute(
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(expressions)} FROM {source}",
        [*defaults, *params],
    )
    return cursor.rowcount


def load_postgres(
    members: int, seed: int = DEFAULT_SEED, url: str = benchlib.PG_URL, provinces: int = 1
) -> dict:
    """Drop, create, migrate and fill the benchmark database; returns step timings (s)."""
    steps = {}
    started = time.perf_counter()
    _recreate_database(url)
    benchlib.run_child(
        [benchlib.DANGVIEN, "migrate", "--verbosity", "0"], benchlib.child_env(url)
    ).check("dangvien migrate")
    steps["create + migrate"] = time.perf_counter() - started
    benchlib.setup_django(url)
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvien.accounts.models import RoleBinding, User
    from dangvien.core.vntext import fold, name_sort_key, sort_key
    from dangvien.members.models import Member
    from dangvien.organizations.models import Organization, OrgState

    now = timezone.now()
    step = time.perf_counter()
    tree = build_tree(members, seed, provinces)
    steps["build the tree"] = time.perf_counter() - step
    step = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        restore = _drop_secondary(cursor)
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        orgs = _copy(
            raw,
            Organization,
            (
                {
                    "id": o.id,
                    "code": o.code,
                    "name": o.name,
                    "kind": o.kind,
                    "parent_id": o.parent.id if o.parent else None,
                    "path": o.path,
                    "depth": o.depth,
                    "founded_on": o.founded_on,
                    "ended_on": None,
                    "sector": o.sector,
                    "sort_key": sort_key(o.name),
                    "search_name": fold(o.name),
                }
                for o in tree.orgs
            ),
        )
        steps["COPY organisations"] = time.perf_counter() - step
        step = time.perf_counter()
        # Each organisation's first state, as migration organizations/0003 gives existing ones.
        states = {
            "org_id": "id",
            "valid_from": "founded_on",
            "valid_until": "ended_on",
            **{name: name for name in ("parent_id", "name", "kind", "sector", "path", "depth")},
        }
        _insert_select(cursor, OrgState, states, "organizations_organization")
        steps["organisation states"] = time.perf_counter() - step
        step = time.perf_counter()
        derived: dict[str, tuple[bytes, str]] = {}  # names repeat: fold and sort each once

        def member_rows():
            for index, (branch, values) in enumerate(
                people(tree, members, seed, allow_left=True), start=1
            ):
                name = values["full_name"]
                if name not in derived:
                    derived[name] = (name_sort_key(name), fold(name))
                values.update(
                    id=index,
                    branch_id=branch.id,
                    branch_path=branch.path,
                    sort_key=derived[name][0],
                    search_name=derived[name][1],
                    user_id=None,
                    created_at=now,
                    updated_at=now,
                )
                yield values

        copied = _copy(raw, Member, member_rows())
        steps["COPY members"] = time.perf_counter() - step
        cursor.execute(
            "CREATE TABLE bench_dataset "
            "(members integer, seed bigint, provinces integer, created_at timestamptz)"
        )
        cursor.execute(
            "INSERT INTO bench_dataset VALUES (%s, %s, %s, now())", [copied, seed, provinces]
        )
    steps.update(_load_history(seed))
    step = time.perf_counter()
    _restore_secondary(url, restore)
    steps["indexes and constraints"] = time.perf_counter() - step
    step = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Organization, Member):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    sizes = benchlib.subtree_sizes(Organization.unscoped.only("id", "path"))
    kinds = dict(Organization.unscoped.values_list("id", "kind"))
    largest = {
        kind: max((pk for pk in sizes if kinds[pk] == kind), key=sizes.__getitem__)
        for kind in ("dang_bo_tinh", "dang_bo_cap_tren_co_so")
    }
    officers = [
        ("bench_province", "officer", largest["dang_bo_tinh"]),
        ("bench_upper", "officer", largest["dang_bo_cap_tren_co_so"]),
    ]
    if provinces > 1:
        officers.append(("bench_nation", "admin", None))  # the only role over the whole system
    for username, role, org_id in officers:
        user = User.objects.create_user(username, password=PASSWORD, full_name=username)
        RoleBinding.objects.create(user=user, role=role, organization_id=org_id)
    steps["officers"] = time.perf_counter() - step
    step = time.perf_counter()
    import admissions_report  # candidates and quotas, as the admissions benchmark adds them

    quotas, candidates = admissions_report.ensure_admissions(seed)
    steps["quotas and candidates"] = time.perf_counter() - step
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.perf_counter() - step
    step = time.perf_counter()
    benchlib.run_child(
        [benchlib.DANGVIEN, "recount", "--all"], benchlib.child_env(url), timeout=3600
    ).check("dangvien recount --all")
    steps["unit tallies (recount)"] = time.perf_counter() - step
    steps["total"] = time.perf_counter() - started
    print(
        f"PostgreSQL {benchlib.db_name(url)}: {orgs:,} organisations in {provinces} "
        f"province(s), {copied:,} members, {quotas:,} quotas, {candidates:,} candidates"
    )
    return steps


# ------------------------------------------------------- placements and five years of grades

GRADED_YEARS = range(REFERENCE_DAY.year - 5, REFERENCE_DAY.year)  # 2021–2025
# Out of 10,000: about 7.5% excellent (under the cap of 20% of "good"), 79% good, 13% completed.
MEMBER_GRADES = [("xuat_sac", 750), ("tot", 8650), ("hoan_thanh", 9950), ("khong_hoan_thanh", None)]
ORG_GRADES = [("xuat_sac", 1500), ("tot", 8500), ("hoan_thanh", 9800), ("khong_hoan_thanh", None)]
GRADED_KINDS = ("dang_bo_co_so", "chi_bo_co_so", "dang_bo_bo_phan", "chi_bo_truc_thuoc")


def _roll(seed: int, salt: int, key: str) -> str:
    """SQL: a number in 0..9999 drawn deterministically from the seed and the row's key."""
    hashed = f"hashint8({seed * 7919 + salt}::bigint * 1000003 + {key})"
    return f"((({hashed} %% 10000) + 10000) %% 10000)"


def _graded(seed: int, salt: int, grades: list[tuple[str, int | None]], key: str) -> str:
    """SQL CASE: a grade drawn with the cumulative weights of `grades`."""
    roll = _roll(seed, salt, key)
    cases = " ".join(f"WHEN {roll} < {upto} THEN '{grade}'" for grade, upto in grades if upto)
    return f"CASE {cases} ELSE '{grades[-1][0]}' END"


def _load_history(seed: int) -> dict:
    """Placements (one per member, from admission to leaving) and the grades of GRADED_YEARS
    of every member and every graded organisation, computed by the database (INSERT … SELECT,
    deterministic: each draw is a hash of the seed and the row's key). Returns step timings."""
    from django.db import connection, transaction

    from dangvien.assessments.models import MemberAssessment, OrgAssessment

    steps, step = {}, time.perf_counter()
    first, last = GRADED_YEARS.start, GRADED_YEARS.stop - 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO members_placement (member_id, branch_id, start, "end") '
            "SELECT id, branch_id, admitted_on, left_on FROM members_member ORDER BY id"
        )
        placements = cursor.rowcount
        steps["placements"] = time.perf_counter() - step
        step = time.perf_counter()
        key = "m.id * 16 + (y - 2000)"
        # The outcome of each member alive on 31/12: not graded (exempt, admitted in the second
        # half of the year, about 0.4% ill, 0.2% on maternity leave) or a drawn grade.
        outcome = (
            "CASE WHEN m.exempt_since <= make_date(y, 12, 31) THEN 'exempt' "
            "WHEN m.admitted_on > make_date(y, 6, 30) THEN 'new_member' "
            f"WHEN {_roll(seed, 1, key)} < 40 THEN 'illness' "
            f"WHEN {_roll(seed, 1, key)} < 60 AND m.gender = 'Nữ' THEN 'maternity' "
            f"ELSE {_graded(seed, 2, MEMBER_GRADES, key)} END"
        )
        graded = _insert_select(
            cursor,
            MemberAssessment,
            {
                "member_id": "member_id",
                "year": "year",
                "branch_id": "branch_id",
                "branch_path": "branch_path",
                "grade": "CASE WHEN outcome IN ('exempt', 'new_member', 'illness', 'maternity') "
                "THEN '' ELSE outcome END",
                "not_graded": "CASE WHEN outcome IN ('exempt', 'new_member', 'illness', "
                "'maternity') THEN outcome ELSE '' END",
                "decided_at": "now()",
                "imported": "true",
            },
            "(SELECT m.id AS member_id, y AS year, m.branch_id, m.branch_path, "
            f"{outcome} AS outcome "
            f"FROM members_member m CROSS JOIN generate_series({first}, {last}) AS y "
            "WHERE m.admitted_on <= make_date(y, 12, 31) "
            "AND (m.left_on IS NULL OR m.left_on > make_date(y, 12, 31)) ORDER BY y, m.id) graded",
        )
        steps["member grades"] = time.perf_counter() - step
        step = time.perf_counter()
        org_graded = _insert_select(
            cursor,
            OrgAssessment,
            {
                "organization_id": "o.id",
                "org_path": "o.path",
                "year": "y",
                "grade": _graded(seed, 3, ORG_GRADES, "o.id * 16 + (y - 2000)"),
                "decided_at": "now()",
                "imported": "true",
            },
            f"organizations_organization o CROSS JOIN generate_series({first}, {last}) AS y "
            "WHERE o.kind = ANY(%s)",
            [list(GRADED_KINDS)],
        )
        steps["organisation grades"] = time.perf_counter() - step
        for model in (MemberAssessment, OrgAssessment):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_history (years text, created_at timestamptz)"
        )
        cursor.execute("INSERT INTO bench_history VALUES (%s, now())", [f"{first}-{last}"])
    print(
        f"{placements:,} placements, {graded:,} member grades and {org_graded:,} "
        f"organisation grades of {first}–{last}"
    )
    return steps


def history_marker(url: str) -> str | None:
    """The graded years the benchmark database holds ("2021-2025"), or None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT years FROM bench_history ORDER BY created_at DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def ensure_postgres(
    members: int, seed: int = DEFAULT_SEED, url: str = benchlib.PG_URL, provinces: int = 1
) -> None:
    """(Re)generate the PostgreSQL data set unless the database already holds exactly it."""
    wanted = {"members": members, "seed": seed, "provinces": provinces}
    if dataset_marker(url) == wanted:
        # The data set stays; migrations added since it was made still have to run.
        benchlib.run_child(
            [benchlib.DANGVIEN, "migrate", "--verbosity", "0"], benchlib.child_env(url)
        ).check("dangvien migrate")
        return
    print(f"generating {members:,} members in {benchlib.db_name(url)} …", flush=True)
    command = [sys.executable, benchlib.BENCH / "generate.py", "postgres"]
    arguments = ["--members", str(members), "--seed", str(seed), "--provinces", str(provinces)]
    benchlib.run_child([*command, *arguments, "--database-url", url], timeout=3600).check(
        "generate.py postgres"
    )


def ensure_scale(scale: benchlib.Scale) -> None:
    """(Re)generate the data set of one benchmark scale (benchlib.SCALES) unless it is there."""
    ensure_postgres(scale.members, url=scale.url, provinces=scale.provinces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", choices=["files", "postgres"])
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--provinces", type=int, default=1, help="1 (BG) or up to 34")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", default=benchlib.PG_URL)
    args = parser.parse_args()
    if args.target == "files":
        benchlib.setup_django("sqlite:///:memory:")
        started = time.perf_counter()
        orgs_path, members_path = write_files(args.members, args.format, args.seed)
        print(f"{orgs_path}\n{members_path}\n({time.perf_counter() - started:.1f} s)")
        return
    url = benchlib.check_bench_url(args.database_url)
    steps = load_postgres(args.members, args.seed, url, args.provinces)
    for name, seconds in steps.items():
        print(f"  {name:<26} {seconds:7.1f} s")


if __name__ == "__main__":
    main()
